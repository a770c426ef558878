#include "restclient.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace rwd::client {

RestClient::RestClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{}

QUrl RestClient::urlFor(const QString &path) const
{
    QUrl url = m_base;
    const auto question = path.indexOf(u'?');
    QString base = m_base.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + (question < 0 ? path : path.left(question)));
    url.setQuery(question < 0 ? QString() : path.mid(question + 1));
    return url;
}

void RestClient::get(const QString &path, Callback done)
{
    QNetworkRequest request(urlFor(path));
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    track(m_network->get(request), std::move(done));
}

void RestClient::post(const QString &path, const QJsonObject &body, Callback done)
{
    send("POST", path, body, std::move(done));
}

void RestClient::send(const QByteArray &method, const QString &path, const QJsonObject &body,
                      Callback done)
{
    QNetworkRequest request(urlFor(path));
    request.setTransferTimeout(m_timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    track(m_network->sendCustomRequest(request, method,
                                       QJsonDocument(body).toJson(QJsonDocument::Compact)),
          std::move(done));
}

void RestClient::track(QNetworkReply *reply, Callback done)
{
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        RestResult r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const auto bytes = reply->readAll();
        QJsonParseError parseError;
        r.body = QJsonDocument::fromJson(bytes, &parseError);
        if (r.status == 0) {
            r.error = Error{QStringLiteral("unreachable"), reply->errorString()};
        } else if (r.status < 200 || r.status >= 300) {
            const auto o = r.body.object();
            r.error = Error{
                o.value(QLatin1String("code")).toString(QStringLiteral("http_%1").arg(r.status)),
                o.value(QLatin1String("message")).toString(reply->errorString())};
        } else if (!bytes.isEmpty() && parseError.error != QJsonParseError::NoError) {
            r.error = Error{QStringLiteral("invalid_response"),
                            QStringLiteral("the server answered something that is not JSON")};
        }
        done(r);
    });
}

} // namespace rwd::client
