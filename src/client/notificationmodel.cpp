#include "notificationmodel.h"

#include "dashboardstate.h"
#include "historysources.h"

namespace rwd::client {

NotificationModel::NotificationModel(DashboardState *state, QObject *parent)
    : QAbstractListModel(parent)
{
    connect(state, &DashboardState::eventApplied, this, &NotificationModel::onEvent);
}

void NotificationModel::onEvent(const protocol::Event &event)
{
    namespace ev = protocol::event;
    const auto rollback =
        protocol::RollbackInfo::fromJson(event.data.value(QLatin1String("rollback")).toObject());
    const auto by = event.data.value(QLatin1String("by")).toString();
    const auto comment = event.data.value(QLatin1String("comment")).toString();
    Item item;
    item.time = QDateTime::fromMSecsSinceEpoch(event.timeMs, Qt::UTC);
    item.rollbackId = rollback.id;
    if (event.type == QLatin1String(ev::ApprovalRequested)) {
        item.kind = QStringLiteral("approval_requested");
        item.title = tr("Rollback #%1 awaits approval").arg(rollback.id);
        item.text = tr("%1 — requested by %2: %3")
                        .arg(rollbackSummary(rollback), rollback.requestedBy, rollback.reason);
        item.urgent = true;
    } else if (event.type == QLatin1String(ev::ApprovalGranted)) {
        item.kind = QStringLiteral("approval_granted");
        item.title = tr("%1 approved rollback #%2").arg(by).arg(rollback.id);
        item.text = comment.isEmpty() ? rollbackSummary(rollback) : comment;
    } else if (event.type == QLatin1String(ev::ApprovalRejected)) {
        item.kind = QStringLiteral("approval_rejected");
        item.title = tr("%1 rejected rollback #%2").arg(by).arg(rollback.id);
        item.text = comment.isEmpty() ? rollbackSummary(rollback) : comment;
    } else if (event.type == QLatin1String(ev::RollbackFinished)) {
        switch (rollback.state) {
        case PlanState::Succeeded:
            item.kind = QStringLiteral("rollback_succeeded");
            item.title = tr("Rollback #%1 succeeded").arg(rollback.id);
            break;
        case PlanState::Failed:
            item.kind = QStringLiteral("rollback_failed");
            item.title = tr("Rollback #%1 failed").arg(rollback.id);
            item.urgent = true;
            break;
        case PlanState::NeedsAttention:
            item.kind = QStringLiteral("needs_attention");
            item.title = tr("Rollback #%1 needs attention").arg(rollback.id);
            item.urgent = true;
            break;
        default:
            item.kind = QStringLiteral("rollback_aborted");
            item.title = tr("Rollback #%1 was aborted").arg(rollback.id);
            break;
        }
        item.text = rollback.message.isEmpty()
                        ? rollbackSummary(rollback)
                        : rollbackSummary(rollback) + QStringLiteral(" — ") + rollback.message;
    } else {
        // rollback_escalated follows rollback_finished for failed and needs_attention plans:
        // already told.
        return;
    }
    post(std::move(item));
}

void NotificationModel::post(Item item)
{
    const auto title = item.title;
    const auto text = item.text;
    const bool urgent = item.urgent;
    beginInsertRows({}, 0, 0);
    m_items.prepend(std::move(item));
    endInsertRows();
    if (m_items.size() > kMaxItems) {
        beginRemoveRows({}, kMaxItems, int(m_items.size()) - 1);
        m_items.resize(kMaxItems);
        endRemoveRows();
    }
    emit countChanged();
    emit posted(title, text, urgent);
}

int NotificationModel::unread() const
{
    return int(
        std::count_if(m_items.cbegin(), m_items.cend(), [](const Item &i) { return i.unread; }));
}

void NotificationModel::markAllRead()
{
    if (unread() == 0)
        return;
    for (auto &i : m_items)
        i.unread = false;
    emit dataChanged(index(0), index(int(m_items.size()) - 1), {UnreadRole});
    emit countChanged();
}

void NotificationModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
    emit countChanged();
}

int NotificationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant NotificationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &i = m_items.at(index.row());
    switch (role) {
    case KindRole:
        return i.kind;
    case Qt::DisplayRole:
    case TitleRole:
        return i.title;
    case TextRole:
        return i.text;
    case TimeRole:
        return i.time;
    case RollbackIdRole:
        return i.rollbackId;
    case UnreadRole:
        return i.unread;
    case UrgentRole:
        return i.urgent;
    default:
        return {};
    }
}

QHash<int, QByteArray> NotificationModel::roleNames() const
{
    return {{KindRole, "kind"},    {TitleRole, "title"},           {TextRole, "details"},
            {TimeRole, "time"},    {RollbackIdRole, "rollbackId"}, {UnreadRole, "unread"},
            {UrgentRole, "urgent"}};
}

} // namespace rwd::client
