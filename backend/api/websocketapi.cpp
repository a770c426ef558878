#include "websocketapi.h"

#include "events/eventhub.h"
#include "httpserver.h"
#include "logging/logging.h"

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
    connect(&m_events, &events::EventHub::published, this,
            [this](const protocol::Event &e) { broadcast(e.toJson()); });
}

WebSocketApi::~WebSocketApi()
{
    for (auto *socket : m_clients) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

void WebSocketApi::accept()
{
    while (auto pending = m_server.nextPendingWebSocketConnection()) {
        QWebSocket *socket = pending.release();
        socket->setParent(this);
        const auto url = socket->requestUrl();
        if (url.path() != u"/ws/v1") {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("unknown WebSocket path %1; use /ws/v1").arg(url.path()));
            socket->deleteLater();
            continue;
        }
        m_clients.push_back(socket);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &text) { onText(socket, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket] {
            send(socket, errorMessage(QStringLiteral("binary_not_supported"),
                                      QStringLiteral("send JSON text messages")));
        });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { drop(socket); });
        log()->info("client {} connected ({} now)", socket->peerAddress().toString(),
                    m_clients.size());

        const QUrlQuery query(url);
        if (query.hasQueryItem(QStringLiteral("after_seq"))) {
            bool ok = false;
            const qint64 after = query.queryItemValue(QStringLiteral("after_seq")).toLongLong(&ok);
            const auto missed = ok ? m_events.since(after) : std::nullopt;
            if (missed) {
                send(socket,
                     {{"type", "resume"}, {"seq", after}, {"missed", qint64(missed->size())}});
                for (const auto &e : *missed)
                    send(socket, e.toJson());
                continue;
            }
        }
        send(socket, {{"type", QString::fromLatin1(protocol::event::Snapshot)},
                      {"seq", m_events.lastSeq()},
                      {"data", m_backend.snapshot().toJson()}});
    }
}

bool WebSocketApi::send(QWebSocket *socket, const QJsonObject &message)
{
    if (socket->bytesToWrite() > m_backPressureLimit) {
        log()->warn("client {} is too slow ({} bytes unsent); disconnecting",
                    socket->peerAddress().toString(), socket->bytesToWrite());
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("client too slow: events not read fast enough"));
        drop(socket);
        return false;
    }
    socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    return true;
}

void WebSocketApi::broadcast(const QJsonObject &message)
{
    const auto clients = m_clients; // send() may drop a client
    for (auto *socket : clients)
        send(socket, message);
}

void WebSocketApi::onText(QWebSocket *socket, const QString &text)
{
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        send(socket, errorMessage(QStringLiteral("invalid_json"),
                                  QStringLiteral("messages must be JSON objects")));
        return;
    }
    const auto type = doc.object().value(QLatin1String("type")).toString();
    if (type == u"ping") {
        send(socket, {{"type", "pong"}, {"seq", m_events.lastSeq()}});
        return;
    }
    send(socket, errorMessage(QStringLiteral("unknown_message_type"),
                              QStringLiteral("unknown message type '%1'").arg(type)));
}

void WebSocketApi::drop(QWebSocket *socket)
{
    const auto it = std::find(m_clients.begin(), m_clients.end(), socket);
    if (it == m_clients.end())
        return;
    m_clients.erase(it);
    socket->disconnect(this);
    socket->deleteLater();
    log()->info("client disconnected ({} now)", m_clients.size());
}

} // namespace rwd::api
