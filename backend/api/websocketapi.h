#pragma once

#include "apibackend.h"

#include <QObject>

#include <memory>
#include <vector>

class QWebSocket;

namespace rwd::events {
class EventHub;
}

namespace rwd::api {

class HttpServer;

// Serves /ws/v1 (contract: docs/api/websocket.md): on connect a snapshot (or, with
// ?after_seq=N, the events missed since N), then every event in sequence order. A client whose
// unsent data exceeds the back-pressure limit is disconnected with a reason; it never slows the
// daemon down.
class WebSocketApi final : public QObject
{
    Q_OBJECT

public:
    WebSocketApi(HttpServer &server, ApiBackend &backend, events::EventHub &events,
                 QObject *parent = nullptr);
    ~WebSocketApi() override;

    [[nodiscard]] int clientCount() const { return int(m_clients.size()); }
    void setBackPressureLimit(qint64 bytes) { m_backPressureLimit = bytes; }

private:
    void accept();
    void broadcast(const QJsonObject &message);
    bool send(QWebSocket *socket, const QJsonObject &message);
    void onText(QWebSocket *socket, const QString &text);
    void drop(QWebSocket *socket);

    HttpServer &m_server;
    ApiBackend &m_backend;
    events::EventHub &m_events;
    std::vector<QWebSocket *> m_clients;
    qint64 m_backPressureLimit = 8 * 1024 * 1024;
};

} // namespace rwd::api
