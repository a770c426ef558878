#pragma once

#include "common/clock.h"
#include "common/events.h"
#include "common/protocol.h"

#include <QObject>

#include <deque>
#include <optional>
#include <vector>

namespace rwd::events {

// Every change the daemon wants clients to see goes through here: it stamps the event with the
// next sequence number and the time, keeps the latest `replay` events so a reconnecting client
// can catch up, and emits `published`.
class EventHub final : public QObject, public Sink
{
    Q_OBJECT

public:
    EventHub(const Clock &clock, int replay, QObject *parent = nullptr);

    // Publishes `body` (a typed event, common/events.h) as the next event.
    void publish(Body body) override;
    // The same with a wire form of the caller's (`data`, what clients receive): for benchmarks
    // and tests that stamp or pad events to measure the stream. Consumers in rewindd read `body`.
    void publish(Body body, QJsonObject data);

    // Names this run's sequence: numbers restart at 1 when rewindd restarts, so a client resuming
    // gives the stream it saw, and gets a snapshot when it is not this one.
    [[nodiscard]] const QString &stream() const { return m_stream; }
    // The sequence number of the last published event (0 before the first).
    [[nodiscard]] qint64 lastSeq() const { return m_seq; }
    // Events after `seq`, oldest first; nothing when some of them have been dropped already (the
    // client must then start from a fresh snapshot).
    [[nodiscard]] std::optional<std::vector<Published>> since(qint64 seq) const;

signals:
    void published(const rwd::events::Published &event);

private:
    const Clock &m_clock;
    std::size_t m_replay;
    qint64 m_seq = 0;
    QString m_stream;
    std::deque<Published> m_recent;
};

} // namespace rwd::events
