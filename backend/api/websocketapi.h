#pragma once

#include "apibackend.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

class QWebSocket;

namespace rwd::events {
class EventHub;
}

namespace rwd::api {

class HttpServer;

// Serves /ws/v1 (contract: docs/api/websocket.md): the client authenticates first
// ({"type":"auth","token":…} within the auth timeout); then a snapshot (or, with ?after_seq=N, the
// events missed since N), then every event it may see, in sequence order. A client whose unsent
// data exceeds the back-pressure limit is disconnected with a reason; it never slows the daemon
// down. The server pings every client every heartbeat interval.
class WebSocketApi final : public QObject
{
    Q_OBJECT

public:
    WebSocketApi(HttpServer &server, ApiBackend &backend, events::EventHub &events,
                 QObject *parent = nullptr);
    ~WebSocketApi() override;

    [[nodiscard]] int clientCount() const { return int(m_clients.size()); }
    void setBackPressureLimit(qint64 bytes) { m_backPressureLimit = bytes; }
    void setAuthTimeoutMs(int ms) { m_authTimeoutMs = ms; }
    void setHeartbeatMs(int ms) { m_heartbeat.setInterval(ms); }
    // Pings every client, and ends the streams whose credentials are no longer valid.
    void heartbeat();
    // Sends the values of the closed metric step that starts at `stepStartMs` to every client
    // subscribed (subscribe_metrics) to a service it may read: one `metrics` message per
    // service, without `seq` (telemetry is not replayed), through the same back-pressure check
    // as events.
    void pushMetrics(qint64 stepStartMs);

private:
    struct Client
    {
        QWebSocket *socket = nullptr;
        bool authenticated = false;
        auth::Principal who;
        qint64 resumeAfter = -1; // ?after_seq, applied once authenticated
        QString stream;          // ?stream: the run the client's after_seq belongs to
        QString token;           // checked again at every heartbeat
        QStringList metrics;     // services whose metric steps it is sent (subscribe_metrics)
    };

    void accept();
    void broadcast(const events::Published &event);
    bool send(QWebSocket *socket, const QJsonObject &message);
    bool send(QWebSocket *socket, const QString &text);
    void onText(QWebSocket *socket, const QString &text);
    void subscribeMetrics(Client &client, const QStringList &services);
    void start(Client &client);
    void drop(QWebSocket *socket);
    [[nodiscard]] Client *clientOf(QWebSocket *socket);

    HttpServer &m_server;
    ApiBackend &m_backend;
    events::EventHub &m_events;
    std::vector<Client> m_clients;
    qint64 m_backPressureLimit = 8 * 1024 * 1024;
    int m_authTimeoutMs = 10'000;
    QTimer m_heartbeat;
};

} // namespace rwd::api
