#include "servicemodel.h"

#include "dashboardstate.h"

namespace rwd::client {

ServiceListModel::ServiceListModel(DashboardState *state, QObject *parent)
    : StateListModel(state, parent)
{
    connect(state, &DashboardState::serviceChanged, this,
            [this](int row) { emit dataChanged(index(row), index(row)); });
}

int ServiceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(state()->services().size());
}

QVariant ServiceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &s = state()->services().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return s.name;
    case EnvironmentRole:
        return s.environment;
    case KindRole:
        return s.kind;
    case HealthRole:
        return wireName(s.health);
    case CurrentVersionRole:
        return s.current ? s.current->version : QString();
    case CurrentStateRole:
        return s.current ? wireName(s.current->state) : QString();
    case LastGoodVersionRole:
        return s.lastGood ? s.lastGood->version : QString();
    case FiringCountRole:
        return int(s.firings.size());
    case FiringSummaryRole: {
        QStringList parts;
        for (const auto &f : s.firings)
            parts.append(QStringLiteral("%1 (%2)").arg(f.rule, f.severity));
        return parts.join(QStringLiteral(", "));
    }
    case DependsOnRole:
        return s.dependsOn;
    default:
        return {};
    }
}

QHash<int, QByteArray> ServiceListModel::roleNames() const
{
    return {{NameRole, "name"},
            {EnvironmentRole, "environment"},
            {KindRole, "kind"},
            {HealthRole, "health"},
            {CurrentVersionRole, "currentVersion"},
            {CurrentStateRole, "currentState"},
            {LastGoodVersionRole, "lastGoodVersion"},
            {FiringCountRole, "firingCount"},
            {FiringSummaryRole, "firingSummary"},
            {DependsOnRole, "dependsOn"}};
}

} // namespace rwd::client
