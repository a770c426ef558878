#include "rollbackmodel.h"

#include "dashboardstate.h"
#include "historysources.h"

#include <QDateTime>

namespace rwd::client {

RollbackListModel::RollbackListModel(DashboardState *state, QObject *parent)
    : StateListModel(state, parent)
{
    connect(state, &DashboardState::rollbackAboutToBeAdded, this,
            [this] { beginInsertRows({}, 0, 0); });
    connect(state, &DashboardState::rollbackAdded, this, [this] {
        endInsertRows();
        emit countChanged();
    });
    connect(state, &DashboardState::rollbackChanged, this,
            [this](int row) { emit dataChanged(index(row), index(row)); });
}

int RollbackListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(state()->rollbacks().size());
}

QVariant RollbackListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &r = state()->rollbacks().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case SummaryRole:
        return rollbackSummary(r);
    case IdRole:
        return r.id;
    case StateRole:
        return wireName(r.state);
    case TriggerRole:
        return r.trigger;
    case ReasonRole:
        return r.reason;
    case CreatedAtRole:
        return QDateTime::fromMSecsSinceEpoch(r.createdAtMs, Qt::UTC);
    case DurationMsRole: {
        qint64 end = r.finishedAtMs;
        for (const auto &s : r.steps)
            end = std::max({end, s.startedAtMs, s.finishedAtMs});
        return end > 0 ? end - r.createdAtMs : qint64(0);
    }
    case StepCountRole:
        return int(r.steps.size());
    case StepsDoneRole: {
        int done = 0;
        for (const auto &s : r.steps)
            done += (s.state == StepState::Succeeded || s.state == StepState::Failed) ? 1 : 0;
        return done;
    }
    case CurrentStepRole:
        for (const auto &s : r.steps) {
            if (s.state == StepState::Running)
                return s.description;
        }
        return QString();
    case StepsRole: {
        QVariantList steps;
        for (const auto &s : r.steps)
            steps.append(stepMap(s));
        return steps;
    }
    case FinishedRole:
        return isTerminal(r.state);
    case RequestedByRole:
        return r.requestedBy;
    case ServicesRole:
        return r.services();
    case IncidentIdRole:
        return r.incidentId;
    case MessageRole:
        return r.message;
    case EnvironmentsRole:
        return state()->environmentsOf(r);
    default:
        return {};
    }
}

QHash<int, QByteArray> RollbackListModel::roleNames() const
{
    return {{IdRole, "rollbackId"},
            {StateRole, "state"},
            {TriggerRole, "trigger"},
            {ReasonRole, "reason"},
            {SummaryRole, "summary"},
            {CreatedAtRole, "createdAt"},
            {DurationMsRole, "durationMs"},
            {StepCountRole, "stepCount"},
            {StepsDoneRole, "stepsDone"},
            {CurrentStepRole, "currentStep"},
            {StepsRole, "steps"},
            {FinishedRole, "finished"},
            {RequestedByRole, "requestedBy"},
            {ServicesRole, "services"},
            {IncidentIdRole, "incidentId"},
            {MessageRole, "message"},
            {EnvironmentsRole, "environments"}};
}

} // namespace rwd::client
