#include "restclient.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QtNetwork/qtnetwork-config.h>
#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#endif

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

bool RestClient::addCaCertificates(const QByteArray &pem)
{
    const auto certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    m_extraCas += certificates;
    return !certificates.isEmpty();
}

void RestClient::prepare(QNetworkRequest &request) const
{
    request.setTransferTimeout(m_timeoutMs);
#if QT_CONFIG(ssl)
    if (!m_extraCas.isEmpty()) {
        auto ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_extraCas);
        request.setSslConfiguration(ssl);
    }
#endif // in the browser, the browser's own TLS and trust store apply
    request.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
}

void RestClient::get(const QString &path, Callback done)
{
    QNetworkRequest request(urlFor(path));
    prepare(request);
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
    prepare(request);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
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
        r.raw = bytes;
        const bool json = reply->header(QNetworkRequest::ContentTypeHeader)
                              .toString()
                              .contains(QLatin1String("json"));
        QJsonParseError parseError{};
        if (json || bytes.startsWith('{'))
            r.body = QJsonDocument::fromJson(bytes, &parseError);
        const bool https = reply->url().scheme() == u"https";
        if (r.status == 0 && reply->error() == QNetworkReply::SslHandshakeFailedError) {
            // A certificate the client does not trust or a name that does not match: worth
            // telling apart from "nothing there".
            r.error = Error{QStringLiteral("tls_error"), reply->errorString()};
        } else if (r.status == 0 && https &&
                   reply->error() == QNetworkReply::RemoteHostClosedError) {
            // What a plain-HTTP server does with a TLS handshake: hang up.
            r.error = Error{QStringLiteral("tls_error"),
                            QStringLiteral("the server closed the connection during the TLS "
                                           "handshake (does it serve https?)")};
        } else if (r.status == 0) {
            r.error = Error{QStringLiteral("unreachable"), reply->errorString()};
        } else if (r.status < 200 || r.status >= 300) {
            const auto o = r.body.object();
            r.error = Error{
                o.value(QLatin1String("code")).toString(QStringLiteral("http_%1").arg(r.status)),
                o.value(QLatin1String("message")).toString(reply->errorString())};
        } else if (json && !bytes.isEmpty() && parseError.error != QJsonParseError::NoError) {
            r.error = Error{QStringLiteral("invalid_response"),
                            QStringLiteral("the server answered something that is not JSON")};
        }
        done(r);
    });
}

} // namespace rwd::client
