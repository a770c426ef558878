#include "wsclient.h"

#include <QJsonDocument>

namespace rwd::testing {

WsClient::WsClient(const QUrl &url, const QString &token, const Options &options)
{
    if (!options.ssl.isNull())
        socket.setSslConfiguration(options.ssl);
    QObject::connect(&socket, &QWebSocket::connected, [this, token] {
        if (!token.isEmpty())
            send({{"type", "auth"}, {"token", token}});
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived,
                     [this, keep = options.keepAuthReply](const QString &text) {
                         raw += text.toUtf8() + '\n';
                         const auto message = QJsonDocument::fromJson(text.toUtf8()).object();
                         if (message.value(QLatin1String("type")).toString() == u"authenticated") {
                             user = message.value(QLatin1String("user")).toString();
                             if (!keep)
                                 return;
                         }
                         messages.append(message);
                     });
    socket.open(url);
}

void WsClient::send(const QJsonObject &message)
{
    socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

QStringList WsClient::types() const
{
    QStringList out;
    for (const auto &m : messages)
        out.append(m.value(QLatin1String("type")).toString());
    return out;
}

const QJsonObject *WsClient::find(const QString &type, const QString &service) const
{
    for (const auto &m : messages) {
        if (m.value(QLatin1String("type")).toString() != type)
            continue;
        const auto data = m.value(QLatin1String("data")).toObject();
        if (service.isEmpty() || data.value(QLatin1String("service")).toString() == service)
            return &m;
    }
    return nullptr;
}

const QJsonObject *WsClient::last(const QString &type) const
{
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->value(QLatin1String("type")).toString() == type)
            return &*it;
    }
    return nullptr;
}

} // namespace rwd::testing
