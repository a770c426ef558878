#pragma once

#include "common/protocol.h"
#include "common/result.h"

#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <vector>

namespace rwd::drill {

// A /ws/v1 client that records every message it receives, with the local time it arrived.
class EventRecorder final : public QObject
{
    Q_OBJECT

public:
    struct Received
    {
        protocol::Event event;
        qint64 receivedMs = 0;
    };

    explicit EventRecorder(QObject *parent = nullptr);

    // Connects, authenticates with `token` and waits for the snapshot. `base` is rewindd's
    // http:// URL.
    [[nodiscard]] Result<void> connectTo(const QUrl &base, const QString &token, int timeoutMs);
    void close();

    [[nodiscard]] const std::vector<Received> &events() const { return m_events; }
    [[nodiscard]] const protocol::Snapshot &snapshot() const { return m_snapshot; }
    [[nodiscard]] qint64 snapshotSeq() const { return m_snapshotSeq; }
    // Every sequence number was exactly one more than the one before (and than the snapshot's).
    [[nodiscard]] bool sequenceIsContiguous() const;
    // The first recorded event of `type` for which `match` holds, after position `from`.
    [[nodiscard]] const Received *
    find(const QString &type, const std::function<bool(const protocol::Event &)> &match = {},
         std::size_t from = 0) const;
    // Waits until such an event arrives.
    const Received *waitFor(const QString &type,
                            const std::function<bool(const protocol::Event &)> &match,
                            int timeoutMs, std::size_t from = 0);

private:
    QWebSocket m_socket;
    std::vector<Received> m_events;
    protocol::Snapshot m_snapshot;
    qint64 m_snapshotSeq = -1;
};

} // namespace rwd::drill
