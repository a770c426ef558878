#pragma once

// A WebSocket client of rewindd's event stream (/ws/v1) for tests: it authenticates with a token
// once connected and keeps every JSON message it receives, in order.

#include <QJsonObject>
#include <QList>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

namespace rwd::testing {

class WsClient
{
public:
    struct Options
    {
        // For wss:// URLs, e.g. a configuration that trusts a test's self-signed certificate.
        QSslConfiguration ssl;
        // Whether the server's "authenticated" reply is kept in `messages` (its user is always
        // kept in `user`). Without it, the first message is the snapshot (or resume).
        bool keepAuthReply = true;
    };

    // Opens `url`; once connected, sends {"type": "auth", "token": token} unless `token` is
    // empty (for tests of what an unauthenticated client gets).
    WsClient(const QUrl &url, const QString &token, const Options &options);
    WsClient(const QUrl &url, const QString &token)
        : WsClient(url, token, Options{})
    {}
    Q_DISABLE_COPY_MOVE(WsClient)

    // Sends one JSON message.
    void send(const QJsonObject &message);

    // The type of every message, in order.
    [[nodiscard]] QStringList types() const;
    [[nodiscard]] bool has(const QString &type) const { return find(type) != nullptr; }
    // The first message of `type` (whose data's "service" is `service`, when given).
    [[nodiscard]] const QJsonObject *find(const QString &type, const QString &service = {}) const;
    // The last message of `type`.
    [[nodiscard]] const QJsonObject *last(const QString &type) const;

    QWebSocket socket;
    QList<QJsonObject> messages;
    QByteArray raw; // every message as received, one a line
    QString user;   // from the "authenticated" reply
};

} // namespace rwd::testing
