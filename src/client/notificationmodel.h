#pragma once

#include <QAbstractListModel>
#include <QDateTime>

namespace rwd::protocol {
struct Event;
}

namespace rwd::client {

class DashboardState;

// In-app notifications, newest first: approval requests and decisions, rollback outcomes and
// escalations, as the event stream reports them. Each arrives once (events are applied once,
// in sequence order) and is unread until markAllRead().
class NotificationModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int unread READ unread NOTIFY countChanged)

public:
    enum Role
    {
        KindRole = Qt::UserRole + 1, // QString: approval_requested, approval_granted,
                                     // approval_rejected, rollback_succeeded, rollback_failed,
                                     // rollback_aborted, needs_attention
        TitleRole,                   // QString: one line
        TextRole,                    // QString: details ("details" in QML)
        TimeRole,                    // QDateTime (UTC)
        RollbackIdRole,              // qint64
        UnreadRole,                  // bool
        UrgentRole,                  // bool: asks for someone's action or reports a failure
    };
    Q_ENUM(Role)

    explicit NotificationModel(DashboardState *state, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_items.size()); }
    [[nodiscard]] int unread() const;

    Q_INVOKABLE void markAllRead();
    Q_INVOKABLE void clear();

    // At most this many are kept (the oldest go).
    static constexpr int kMaxItems = 200;

signals:
    void countChanged();
    // A new notification, for a transient pop-up.
    void posted(const QString &title, const QString &text, bool urgent);

private:
    struct Item
    {
        QString kind;
        QString title;
        QString text;
        QDateTime time;
        qint64 rollbackId = 0;
        bool unread = true;
        bool urgent = false;
    };

    void onEvent(const protocol::Event &event);
    void post(Item item);

    QList<Item> m_items;
};

} // namespace rwd::client
