#include "websocketapi.h"

#include "events/eventhub.h"
#include "httpserver.h"
#include "logging/logging.h"
#include "requests.h"

#include <QAbstractSocket>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>
#include <QWebSocket>

namespace rwd::api {

namespace {
auto log()
{
    return logging::get("api.ws");
}

QJsonObject errorMessage(const QString &code, const QString &message)
{
    return {{"type", "error"}, {"code", code}, {"message", message}};
}
} // namespace

WebSocketApi::WebSocketApi(HttpServer &server, ApiBackend &backend, events::EventHub &events,
                           QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_backend(backend)
    , m_events(events)
{
    connect(&m_server, &QAbstractHttpServer::newWebSocketConnection, this, &WebSocketApi::accept);
    connect(&m_events, &events::EventHub::published, this, &WebSocketApi::broadcast);
    // Heartbeats: a ping every 15 s keeps idle connections (and proxies) alive and lets the
    // client see a dead server.
    m_heartbeat.setInterval(15'000);
    connect(&m_heartbeat, &QTimer::timeout, this, &WebSocketApi::heartbeat);
    m_heartbeat.start();
}

WebSocketApi::~WebSocketApi()
{
    for (auto &c : m_clients) {
        c.socket->disconnect(this);
        c.socket->abort();
        delete c.socket;
    }
}

WebSocketApi::Client *WebSocketApi::clientOf(QWebSocket *socket)
{
    for (auto &c : m_clients) {
        if (c.socket == socket)
            return &c;
    }
    return nullptr;
}

void WebSocketApi::accept()
{
    while (auto pending = m_server.nextPendingWebSocketConnection()) {
        QWebSocket *socket = pending.release();
        socket->setParent(this);
        // Events are small and latency matters: no Nagle delay behind the previous event's
        // ACK. The upgraded connection is still the HTTP server's TCP socket.
        for (auto *tcp : m_server.findChildren<QAbstractSocket *>()) {
            if (tcp->peerPort() == socket->peerPort() &&
                tcp->peerAddress() == socket->peerAddress())
                tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        }
        const auto url = socket->requestUrl();
        if (url.path() != u"/ws/v1") {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("unknown WebSocket path %1; use /ws/v1").arg(url.path()));
            socket->deleteLater();
            continue;
        }
        Client client;
        client.socket = socket;
        const QUrlQuery query(url);
        if (query.hasQueryItem(QStringLiteral("after_seq"))) {
            bool ok = false;
            const qint64 after = query.queryItemValue(QStringLiteral("after_seq")).toLongLong(&ok);
            client.resumeAfter = ok ? after : -1;
        }
        client.stream = query.queryItemValue(QStringLiteral("stream"));
        m_clients.push_back(client);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onText(socket, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket] {
            send(socket, errorMessage(QStringLiteral("binary_not_supported"),
                                      QStringLiteral("send JSON text messages")));
        });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { drop(socket); });
        QTimer::singleShot(m_authTimeoutMs, socket, [this, socket] {
            auto *c = clientOf(socket);
            if (!c || c->authenticated)
                return;
            socket->close(
                QWebSocketProtocol::CloseCodePolicyViolated,
                QStringLiteral("authenticate first: send {\"type\":\"auth\",\"token\":…}"));
            drop(socket);
        });
        log()->info("client {} connected ({} now)", socket->peerAddress().toString(),
                    m_clients.size());
    }
}

void WebSocketApi::start(Client &client)
{
    // A resume within this run only (?stream= names it): after a restart the same numbers mean
    // other events, so anything else starts from a snapshot.
    if (client.resumeAfter >= 0 && client.stream == m_events.stream()) {
        const auto missed = m_events.since(client.resumeAfter);
        if (missed) {
            std::vector<events::Published> visible;
            for (const auto &e : *missed) {
                if (m_backend.maySee(client.who, events::servicesOf(*e.body)))
                    visible.push_back(e);
            }
            send(client.socket, {{"type", "resume"},
                                 {"seq", client.resumeAfter},
                                 {"stream", m_events.stream()},
                                 {"missed", qint64(visible.size())}});
            for (const auto &e : visible)
                send(client.socket, e.toJson());
            return;
        }
    }
    send(client.socket, {{"type", QString::fromLatin1(protocol::event::Snapshot)},
                         {"seq", m_events.lastSeq()},
                         {"stream", m_events.stream()},
                         {"data", m_backend.snapshot(client.who).toJson()}});
}

bool WebSocketApi::send(QWebSocket *socket, const QJsonObject &message)
{
    return send(socket, QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

bool WebSocketApi::send(QWebSocket *socket, const QString &text)
{
    if (socket->bytesToWrite() > m_backPressureLimit) {
        log()->warn("client {} is too slow ({} bytes unsent); disconnecting",
                    socket->peerAddress().toString(), socket->bytesToWrite());
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("client too slow: events not read fast enough"));
        drop(socket);
        return false;
    }
    socket->sendTextMessage(text);
    return true;
}

void WebSocketApi::broadcast(const events::Published &event)
{
    // Encoded and scoped once, whatever the number of clients.
    const QString text =
        QString::fromUtf8(QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact));
    const auto scope = events::servicesOf(*event.body);
    std::vector<QWebSocket *> targets; // send() may drop a client
    for (const auto &c : m_clients) {
        if (c.authenticated && m_backend.maySee(c.who, scope))
            targets.push_back(c.socket);
    }
    for (auto *socket : targets)
        send(socket, text);
}

void WebSocketApi::onText(QWebSocket *socket, const QString &text)
{
    auto *client = clientOf(socket);
    if (!client)
        return;
    const auto parsed = parseClientMessage(text.toUtf8());
    if (!parsed) {
        send(socket, errorMessage(parsed.error().code, parsed.error().message));
        return;
    }
    const auto &message = *parsed;
    if (message.type == u"auth") {
        const auto who = m_backend.authenticate(message.token);
        if (!who) {
            send(socket, errorMessage(who.error().code, who.error().message));
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, who.error().message);
            drop(socket);
            return;
        }
        client->who = *who;
        if (!client->who.may(auth::Permission::Read)) {
            send(socket,
                 errorMessage(
                     QStringLiteral("forbidden"),
                     QStringLiteral("%1 has no role in any environment").arg(client->who.name)));
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("no role in any environment"));
            drop(socket);
            return;
        }
        client->authenticated = true;
        client->token = message.token;
        client->metrics.clear(); // a new sign-in subscribes anew
        send(socket, {{"type", "authenticated"}, {"user", client->who.name}});
        start(*client);
        return;
    }
    if (!client->authenticated) {
        send(socket, errorMessage(QStringLiteral("unauthenticated"),
                                  QStringLiteral("authenticate first: send "
                                                 "{\"type\":\"auth\",\"token\":…}")));
        return;
    }
    if (message.type == u"subscribe_metrics") {
        subscribeMetrics(*client, message.services);
        return;
    }
    // ping
    send(socket, {{"type", "pong"}, {"seq", m_events.lastSeq()}});
}

void WebSocketApi::subscribeMetrics(Client &client, const QStringList &services)
{
    // All or nothing: a list naming a service the client may not see (or that does not exist,
    // which it cannot tell apart) leaves the subscription as it was.
    QStringList unknown;
    for (const auto &service : services) {
        if (!m_backend.mayReadService(client.who, service))
            unknown.append(QStringLiteral("'%1'").arg(service));
    }
    if (!unknown.isEmpty()) {
        send(client.socket,
             errorMessage(QStringLiteral("unknown_service"),
                          QStringLiteral("no service named %1; the metrics subscription is "
                                         "unchanged")
                              .arg(unknown.join(QStringLiteral(", ")))));
        return;
    }
    client.metrics = services;
    send(client.socket, {{"type", "metrics_subscribed"},
                         {"services", QJsonArray::fromStringList(services)},
                         {"step_ms", m_backend.metricStepMs()}});
}

void WebSocketApi::pushMetrics(qint64 stepStartMs)
{
    // Each service's message is built once, whatever the number of clients subscribed to it.
    QHash<QString, QString> encoded;
    std::vector<std::pair<QWebSocket *, QString>> outgoing; // send() may drop a client
    for (const auto &c : m_clients) {
        if (!c.authenticated)
            continue;
        for (const auto &service : c.metrics) {
            if (!m_backend.mayReadService(c.who, service))
                continue;
            auto it = encoded.find(service);
            if (it == encoded.end()) {
                QJsonObject points;
                for (const auto &[name, value] : m_backend.metricStep(service, stepStartMs))
                    points.insert(name, value);
                const QJsonObject message{{"type", "metrics"},
                                          {"service", service},
                                          {"time", protocol::isoTime(stepStartMs)},
                                          {"points", points}};
                it = encoded.insert(service, QString::fromUtf8(QJsonDocument(message).toJson(
                                                 QJsonDocument::Compact)));
            }
            outgoing.emplace_back(c.socket, *it);
        }
    }
    for (const auto &[socket, text] : outgoing) {
        if (clientOf(socket))
            send(socket, text);
    }
}

void WebSocketApi::heartbeat()
{
    // A session that expired or a token revoked since the client signed in ends its stream too.
    std::vector<std::pair<QWebSocket *, Error>> expired;
    for (const auto &c : m_clients) {
        if (!c.authenticated)
            continue;
        const auto who = m_backend.authenticate(c.token);
        if (!who)
            expired.emplace_back(c.socket, who.error());
        else
            c.socket->ping();
    }
    for (const auto &[socket, error] : expired) {
        send(socket, errorMessage(error.code, error.message));
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, error.message);
        drop(socket);
    }
}

void WebSocketApi::drop(QWebSocket *socket)
{
    const auto it = std::find_if(m_clients.begin(), m_clients.end(),
                                 [socket](const Client &c) { return c.socket == socket; });
    if (it == m_clients.end())
        return;
    m_clients.erase(it);
    socket->disconnect(this);
    socket->deleteLater();
    log()->info("client disconnected ({} now)", m_clients.size());
}

} // namespace rwd::api
