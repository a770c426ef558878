#include "servicemodel.h"

#include "dashboardstate.h"

#include <QDateTime>

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
    case FrozenRole:
        return state()->freezeOf(s.name, state()->nowMs()) != nullptr;
    case FrozenUntilRole: {
        const auto *f = state()->freezeOf(s.name, state()->nowMs());
        return f ? QDateTime::fromMSecsSinceEpoch(f->untilMs, Qt::UTC) : QDateTime();
    }
    case FreezeReasonRole: {
        const auto *f = state()->freezeOf(s.name, state()->nowMs());
        return f ? f->reason : QString();
    }
    case StrategyRole:
        return s.strategy;
    case SearchTextRole:
        return QStringList{s.name, s.environment, s.kind,
                           s.current ? s.current->version : QString(),
                           s.lastGood ? s.lastGood->version : QString()}
            .join(u' ')
            .toLower();
    default:
        return {};
    }
}

QVariantMap ServiceListModel::get(const QString &name) const
{
    const int row = state()->indexOfService(name);
    if (row < 0)
        return {};
    QVariantMap out;
    const auto names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        out.insert(QString::fromUtf8(it.value()), data(index(row), it.key()));
    QVariantList firings;
    for (const auto &f : state()->services().at(row).firings) {
        QStringList values;
        for (auto v = f.values.begin(); v != f.values.end(); ++v)
            values.append(QStringLiteral("%1 = %2").arg(
                v.key(), v.value().isDouble() ? QString::number(v.value().toDouble(), 'g', 4)
                                              : v.value().toVariant().toString()));
        firings.append(QVariantMap{{"rule", f.rule},
                                   {"severity", f.severity},
                                   {"action", f.action},
                                   {"expression", f.expression},
                                   {"since", QDateTime::fromMSecsSinceEpoch(f.sinceMs, Qt::UTC)},
                                   {"values", values.join(QStringLiteral(", "))}});
    }
    out.insert(QStringLiteral("firings"), firings);
    return out;
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
            {DependsOnRole, "dependsOn"},
            {FrozenRole, "frozen"},
            {FrozenUntilRole, "frozenUntil"},
            {FreezeReasonRole, "freezeReason"},
            {StrategyRole, "strategy"},
            {SearchTextRole, "searchText"}};
}

} // namespace rwd::client
