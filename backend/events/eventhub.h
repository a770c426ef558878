#pragma once

#include "common/clock.h"
#include "common/protocol.h"

#include <QObject>

#include <deque>
#include <optional>
#include <vector>

namespace rwd::events {

// Every change the daemon wants clients to see goes through here: it stamps the event with the
// next sequence number and the time, keeps the latest `replay` events so a reconnecting client
// can catch up, and emits `published`.
class EventHub final : public QObject
{
    Q_OBJECT

public:
    EventHub(const Clock &clock, int replay, QObject *parent = nullptr);

    // Publishes an event of `type` (see protocol::event) and returns it as sent.
    protocol::Event publish(const QString &type, const QJsonObject &data);

    // Names this run's sequence: numbers restart at 1 when rewindd restarts, so a client resuming
    // gives the stream it saw, and gets a snapshot when it is not this one.
    [[nodiscard]] const QString &stream() const { return m_stream; }
    // The sequence number of the last published event (0 before the first).
    [[nodiscard]] qint64 lastSeq() const { return m_seq; }
    // Events after `seq`, oldest first; nothing when some of them have been dropped already (the
    // client must then start from a fresh snapshot).
    [[nodiscard]] std::optional<std::vector<protocol::Event>> since(qint64 seq) const;

signals:
    void published(const rwd::protocol::Event &event);

private:
    const Clock &m_clock;
    std::size_t m_replay;
    qint64 m_seq = 0;
    QString m_stream;
    std::deque<protocol::Event> m_recent;
};

} // namespace rwd::events
