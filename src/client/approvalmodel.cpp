#include "approvalmodel.h"

#include "dashboardstate.h"
#include "historysources.h"
#include "session.h"

#include <QDateTime>

namespace rwd::client {

PendingApprovalModel::PendingApprovalModel(DashboardState *state, Session *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_state(state)
    , m_session(session)
{
    connect(state, &DashboardState::wasReset, this, &PendingApprovalModel::refresh);
    connect(state, &DashboardState::rollbackAdded, this, &PendingApprovalModel::refresh);
    connect(state, &DashboardState::rollbackChanged, this, &PendingApprovalModel::refresh);
    connect(state, &DashboardState::serviceChanged, this, &PendingApprovalModel::refresh);
    connect(session, &Session::changed, this, &PendingApprovalModel::refresh);
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, &PendingApprovalModel::refresh);
    refresh();
}

void PendingApprovalModel::refresh()
{
    QList<qint64> ids;
    const auto &rollbacks = m_state->rollbacks();
    const qint64 now = m_state->nowMs();
    qint64 nextExpiry = 0;
    // The state keeps rollbacks newest first; requests are listed oldest first (first come).
    for (auto it = rollbacks.crbegin(); it != rollbacks.crend(); ++it) {
        if (it->state != PlanState::AwaitingApproval)
            continue;
        ids.append(it->id);
        if (it->approvalExpiresAtMs > now &&
            (nextExpiry == 0 || it->approvalExpiresAtMs < nextExpiry))
            nextExpiry = it->approvalExpiresAtMs;
    }
    // The buttons turn off when a request lapses, even before the server says it ended.
    if (nextExpiry > 0)
        m_expiry.start(int(std::min<qint64>(nextExpiry - now + 1, 1 << 30)));
    else
        m_expiry.stop();
    if (ids != m_ids) {
        beginResetModel();
        m_ids = ids;
        endResetModel();
        emit countChanged();
    } else if (!m_ids.isEmpty()) {
        emit dataChanged(index(0), index(int(m_ids.size()) - 1));
    }
}

int PendingApprovalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

QString PendingApprovalModel::whyNot(qint64 id) const
{
    const auto *r = m_state->rollback(id);
    if (!r || r->state != PlanState::AwaitingApproval)
        return tr("It no longer waits for approval");
    if (!m_session->signedIn())
        return tr("Sign in to decide");
    const auto &user = m_session->user();
    if (r->requestedBy == user)
        return tr("You requested this rollback; someone else must approve it");
    for (const auto &a : r->approvals) {
        if (a.user == user)
            return tr("You have already decided (%1)").arg(a.decision);
    }
    if (r->approvalExpiresAtMs > 0 && r->approvalExpiresAtMs <= m_state->nowMs())
        return tr("The request has expired");
    for (const auto &env : m_state->environmentsOf(*r)) {
        if (!m_session->may(QStringLiteral("approve"), env))
            return tr("Approving in %1 needs an approver role there").arg(env);
    }
    return {};
}

QVariant PendingApprovalModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 id = m_ids.at(index.row());
    const auto *r = m_state->rollback(id);
    if (!r)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case SummaryRole:
        return rollbackSummary(*r);
    case IdRole:
        return id;
    case ReasonRole:
        return r->reason;
    case TriggerRole:
        return r->trigger;
    case RequestedByRole:
        return r->requestedBy;
    case CreatedAtRole:
        return QDateTime::fromMSecsSinceEpoch(r->createdAtMs, Qt::UTC);
    case ExpiresAtRole:
        return r->approvalExpiresAtMs > 0
                   ? QDateTime::fromMSecsSinceEpoch(r->approvalExpiresAtMs, Qt::UTC)
                   : QDateTime();
    case ApprovalsRole: {
        int approved = 0;
        for (const auto &a : r->approvals)
            approved += a.decision == u"approved" ? 1 : 0;
        return approved;
    }
    case NeededRole:
        return r->approvalsNeeded;
    case ApproversRole: {
        QStringList who;
        for (const auto &a : r->approvals) {
            if (a.decision == u"approved")
                who.append(a.user);
        }
        return who;
    }
    case EnvironmentsRole:
        return m_state->environmentsOf(*r);
    case CanDecideRole:
        return whyNot(id).isEmpty();
    case WhyNotRole:
        return whyNot(id);
    default:
        return {};
    }
}

QHash<int, QByteArray> PendingApprovalModel::roleNames() const
{
    return {{IdRole, "rollbackId"},
            {SummaryRole, "summary"},
            {ReasonRole, "reason"},
            {TriggerRole, "trigger"},
            {RequestedByRole, "requestedBy"},
            {CreatedAtRole, "createdAt"},
            {ExpiresAtRole, "expiresAt"},
            {ApprovalsRole, "approvals"},
            {NeededRole, "needed"},
            {ApproversRole, "approvers"},
            {EnvironmentsRole, "environments"},
            {CanDecideRole, "canDecide"},
            {WhyNotRole, "whyNot"}};
}

} // namespace rwd::client
