#pragma once

#include "statelistmodel.h"

namespace rwd::client {

// Rollbacks, newest first, updated live as their steps start and finish.
class RollbackListModel final : public StateListModel
{
    Q_OBJECT

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1, // qint64: rollback id
        StateRole,                 // QString: plan state (running, succeeded, …)
        TriggerRole,               // QString: rule:<name>, manual, api
        ReasonRole,                // QString: why
        SummaryRole,               // QString: "api v1.2 → v1.1" for each target
        CreatedAtRole,             // QDateTime (UTC)
        DurationMsRole,            // qint64: from creation to finish (or to now's last step)
        StepCountRole,             // int
        StepsDoneRole,             // int: steps that finished (either way)
        CurrentStepRole,           // QString: description of the running step, "" if none
        StepsRole,                 // QVariantList of maps (see client::stepMap)
        FinishedRole,              // bool: the plan reached a terminal state
        RequestedByRole,           // QString: who asked for it (rewind for a rule)
        ServicesRole,              // QStringList: its targets' services, in plan order
        IncidentIdRole,            // qint64: its incident (0: none)
        MessageRole,               // QString: why it ended as it did
        EnvironmentsRole,          // QStringList: the environments of its services
    };
    Q_ENUM(Role)

    explicit RollbackListModel(DashboardState *state, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
};

} // namespace rwd::client
