#include "eventrecorder.h"

#include "client/connection.h"
#include "processes.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace rwd::drill {

EventRecorder::EventRecorder(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const auto message = QJsonDocument::fromJson(text.toUtf8()).object();
        const auto type = message.value(QLatin1String("type")).toString();
        if (type == u"authenticated")
            return;
        if (type == QLatin1String(protocol::event::Snapshot)) {
            m_snapshot =
                protocol::Snapshot::fromJson(message.value(QLatin1String("data")).toObject());
            m_snapshotSeq = message.value(QLatin1String("seq")).toInteger();
            return;
        }
        m_events.push_back(
            {protocol::Event::fromJson(message), QDateTime::currentMSecsSinceEpoch()});
    });
}

Result<void> EventRecorder::connectTo(const QUrl &base, const QString &token, int timeoutMs)
{
    QObject::disconnect(&m_socket, &QWebSocket::connected, this, nullptr);
    connect(&m_socket, &QWebSocket::connected, this, [this, token] {
        m_socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(QJsonObject{{"type", "auth"}, {"token", token}})
                                  .toJson(QJsonDocument::Compact)));
    });
    m_socket.open(client::Connection::eventStreamUrl(base, 0));
    if (!waitUntil([this] { return m_snapshotSeq >= 0; }, timeoutMs))
        return failure(QStringLiteral("no snapshot from %1 within %2 ms (%3)")
                           .arg(base.toString())
                           .arg(timeoutMs)
                           .arg(m_socket.errorString()));
    return {};
}

void EventRecorder::close()
{
    m_socket.close();
}

bool EventRecorder::sequenceIsContiguous() const
{
    qint64 previous = m_snapshotSeq;
    for (const auto &r : m_events) {
        if (r.event.seq != previous + 1)
            return false;
        previous = r.event.seq;
    }
    return true;
}

const EventRecorder::Received *
EventRecorder::find(const QString &type, const std::function<bool(const protocol::Event &)> &match,
                    std::size_t from) const
{
    for (std::size_t i = from; i < m_events.size(); ++i) {
        const auto &r = m_events[i];
        if (r.event.type == type && (!match || match(r.event)))
            return &r;
    }
    return nullptr;
}

const EventRecorder::Received *
EventRecorder::waitFor(const QString &type,
                       const std::function<bool(const protocol::Event &)> &match, int timeoutMs,
                       std::size_t from)
{
    const Received *found = nullptr;
    // Indices, not pointers, survive the vector growing while we wait.
    waitUntil([&] { return (found = find(type, match, from)) != nullptr; }, timeoutMs);
    return found ? find(type, match, from) : nullptr;
}

} // namespace rwd::drill
