#pragma once

#include <QAbstractListModel>
#include <QTimer>

namespace rwd::client {

class DashboardState;
class Session;

// Rollbacks that wait for approval, oldest first, with whether the signed-in user may decide
// on each and why not. Mirrors the server's rules (the approver roles of the environments'
// policies, never one's own request, one decision per person, not after expiry) so that the
// Approve and Reject buttons are enabled only when the server would accept; the server still
// decides.
class PendingApprovalModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1, // qint64: rollback id
        SummaryRole,               // QString: "api v1.2 → v1.1" for each target
        ReasonRole,                // QString
        TriggerRole,               // QString: rule:<name>, manual, api
        RequestedByRole,           // QString: who asked (rewind for a rule)
        CreatedAtRole,             // QDateTime (UTC)
        ExpiresAtRole,             // QDateTime (UTC): when the request lapses (invalid: never)
        ApprovalsRole,             // int: distinct approvals so far
        NeededRole,                // int: approvals needed
        ApproversRole,             // QStringList: who approved so far
        EnvironmentsRole,          // QStringList: environments of its services
        CanDecideRole,             // bool: the user may approve or reject it now
        WhyNotRole,                // QString: why the user may not ("" when CanDecide)
    };
    Q_ENUM(Role)

    PendingApprovalModel(DashboardState *state, Session *session, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_ids.size()); }

    // Why the signed-in user may not decide on rollback `id` now ("" when they may).
    [[nodiscard]] Q_INVOKABLE QString whyNot(qint64 id) const;
    // Re-evaluates every row. The model does it by itself when the state or the session
    // changes, and at the next expiry by the system's timer; with another clock, call it.
    Q_INVOKABLE void refresh();

signals:
    void countChanged();

private:
    DashboardState *m_state;
    Session *m_session;
    QList<qint64> m_ids;
    QTimer m_expiry;
};

} // namespace rwd::client
