#pragma once

#include "common/clock.h"
#include "common/events.h"
#include "common/protocol.h"
#include "compose.h"
#include "config/config.h"
#include "messagetemplate.h"
#include "notifier.h"

#include <QHash>
#include <QObject>

#include <map>
#include <memory>
#include <vector>

namespace rwd::store {
class Deliveries;
}

namespace rwd::notify {

// Turns the daemon's events into notifications and their delivery records. One Notifier per
// `notifications:` entry. For each event it maps to a notification event (below), composes the
// message once (compose.h), and for every notifier that routes it — its `events` empty or naming
// it, and its `environments` empty or naming the environment of one of the services concerned —
// records a delivery (`pending`) and sends it. A failure worth retrying is tried again after 1 s,
// 2 s, 4 s, 8 s (`retrying`), five attempts in all; then, or at once for any other failure, the
// delivery is `failed`; a success makes it `delivered`. The record is written at every attempt.
//
// Daemon event → notification event:
//   rollback_started   → rollback_started, or approval_requested while it awaits approval
//   rollback_finished  → rollback_succeeded / rollback_failed / rollback_needs_attention by its
//                        final state (aborted: none)
//   approval_requested, approval_granted, approval_rejected ({rollback, by, comment}),
//   freeze_started, security_alert → the same name
//   (time)             → rollback_slow, once per rollback, when one has run 15 minutes
//
// Time comes from the injected clock only: retries and the slow-rollback check happen in
// tick(), which the daemon calls every 100 ms. Single-threaded, like the store.
class Dispatcher final : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kSlowRollbackMs = 15 * 60'000; // parity: "slow rollback → 15 min"
    static constexpr int kMaxAttempts = 5;
    static constexpr qint64 kFirstRetryMs = 1'000; // doubles after each failed attempt

    // Builds the notifiers of `config.notifications` with `registry` (a notification that does
    // not build — which a validated configuration never has — is logged and left out).
    // `records` (the store's deliveries) and `clock` must outlive the dispatcher: its destructor
    // records the deliveries it has not finished as failed ("abandoned"), so that no record
    // stays pending.
    Dispatcher(const config::Config &config, store::Deliveries &records, const Clock &clock,
               const NotifierRegistry &registry, QObject *parent = nullptr);
    ~Dispatcher() override;

    // The daemon connects EventHub::published here.
    void onEvent(const events::Published &event);
    // Sends the retries that are due and notices rollbacks that became slow.
    void tick();

    // The names of the notifiers in use, in configuration order.
    [[nodiscard]] QStringList notifiers() const;
    // Deliveries not finished yet: being sent, or waiting for a retry.
    [[nodiscard]] int unfinished() const { return int(m_deliveries.size()); }

signals:
    // A delivery was recorded or its record changed (after each attempt); the store has it.
    void deliveryUpdated(const rwd::protocol::DeliveryInfo &delivery);

private:
    void record(const protocol::DeliveryInfo &info);
    struct Channel
    {
        config::NotificationConfig config;
        std::unique_ptr<Notifier> notifier;
        QHash<QString, MessageTemplate> templates; // by event
    };
    struct Delivery
    {
        protocol::DeliveryInfo info;
        Message message;
        Channel *channel = nullptr;
        qint64 dueMs = 0; // when a retry is due
        bool inFlight = false;
    };
    // A rollback seen in events and not finished yet.
    struct Tracked
    {
        protocol::RollbackInfo rollback; // the latest state, steps updated from step events
        qint64 runningSinceMs = 0;       // 0: not running yet (awaiting approval)
        bool startNotified = false;
        bool approvalNotified = false;
        bool slowNotified = false;
    };

    void onRollbackEvent(const events::Published &event);
    Tracked *observe(const protocol::RollbackInfo &rollback, qint64 atMs);
    void notify(const Notice &notice);
    [[nodiscard]] bool routes(const Channel &channel, const Notice &notice) const;
    void attempt(quint64 key);
    void attempted(quint64 key, const Outcome &result);

    config::Config m_config;
    store::Deliveries &m_records;
    const Clock &m_clock;
    std::vector<std::unique_ptr<Channel>> m_channels;
    std::map<quint64, Delivery> m_deliveries; // by a key of their own: the store may fail
    quint64 m_nextKey = 1;
    std::map<qint64, Tracked> m_rollbacks;          // by rollback id
    QHash<QString, protocol::FreezeInfo> m_freezes; // the longest known freeze of each service
    QString m_apiBase;
    bool m_closing = false;
};

} // namespace rwd::notify
