#include "cdnedge.h"

#include "httpclientpool.h"
#include "jsonutil.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QNetworkReply>
#include <QPointer>
#include <QTcpServer>

#include <memory>
#include <spdlog/spdlog.h>
#include <utility>

namespace rwd::fleet {

namespace {

const QByteArray kCacheHeader = QByteArrayLiteral("X-Cache");

// Cloudflare's error codes for the answers the edge gives.
constexpr int kAuthenticationError = 10000;
constexpr int kInvalidZone = 7003;
constexpr int kInvalidRequest = 1012;
constexpr int kMethodNotAllowed = 10405;

QByteArray cloudflareError(int code, const QString &message)
{
    return toCompactJson(QJsonObject{
        {QStringLiteral("success"), false},
        {QStringLiteral("errors"), QJsonArray{QJsonObject{{QStringLiteral("code"), code},
                                                          {QStringLiteral("message"), message}}}},
        {QStringLiteral("messages"), QJsonArray{}},
        {QStringLiteral("result"), QJsonValue::Null},
    });
}

// Compares without stopping at the first difference, so that timing reveals nothing of the token.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

} // namespace

CdnEdge::CdnEdge(QUrl origin, QString token, HttpClientPool *http, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_origin(std::move(origin))
    , m_token(std::move(token))
    , m_http(http)
{}

CdnEdge::~CdnEdge() = default;

bool CdnEdge::start(QString *error)
{
    m_listener = new QTcpServer(this);
    if (!m_listener->listen(QHostAddress::LocalHost, 0)) {
        *error = QStringLiteral("CDN edge cannot listen on 127.0.0.1: %1")
                     .arg(m_listener->errorString());
        return false;
    }
    m_port = m_listener->serverPort();
    bind(m_listener);
    spdlog::info("CDN edge listening on {} in front of {}", qUtf8Printable(url()),
                 qUtf8Printable(m_origin.toString()));
    return true;
}

void CdnEdge::stop()
{
    if (!m_listener)
        return;
    m_listener->close();
    const auto sockets = m_listener->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets)
        socket->abort();
    m_listener = nullptr;
}

QString CdnEdge::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QJsonObject CdnEdge::stateJson() const
{
    return QJsonObject{{QStringLiteral("url"), url()},
                       {QStringLiteral("zone"), QLatin1String(kZone)},
                       {QStringLiteral("hits"), m_hits},
                       {QStringLiteral("misses"), m_misses},
                       {QStringLiteral("purges"), m_purges},
                       {QStringLiteral("purged_objects"), m_purgedObjects},
                       {QStringLiteral("cached_objects"), m_cache.size()}};
}

QString CdnEdge::cacheKey(const QUrl &url)
{
    QString key = url.path(QUrl::FullyEncoded);
    if (url.hasQuery())
        key += QLatin1Char('?') + url.query(QUrl::FullyEncoded);
    return key;
}

bool CdnEdge::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.size() == 5 && parts.at(0) == QLatin1String("client") &&
        parts.at(1) == QLatin1String("v4") && parts.at(2) == QLatin1String("zones") &&
        parts.at(4) == QLatin1String("purge_cache")) {
        handlePurge(request, socket, parts.at(3));
        return true;
    }
    if (path.startsWith(QLatin1String("/assets/"))) {
        const auto method = request.method();
        if (method != QHttpServerRequest::Method::Get &&
            method != QHttpServerRequest::Method::Head) {
            DeferredResponse(makeResponder(request, socket), request, socket)
                .sendJson(405,
                          errorJson(QStringLiteral("method_not_allowed"),
                                    QStringLiteral("assets are served to GET and HEAD only")),
                          {{QByteArrayLiteral("Allow"), QByteArrayLiteral("GET, HEAD")}});
            return true;
        }
        serveAsset(request, socket, cacheKey(request.url()));
        return true;
    }
    DeferredResponse(makeResponder(request, socket), request, socket)
        .sendJson(404,
                  errorJson(QStringLiteral("not_found"),
                            QStringLiteral("the CDN edge serves /assets/ only, not %1").arg(path)));
    return true;
}

void CdnEdge::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    DeferredResponse(makeResponder(request, socket), request, socket)
        .sendJson(404, errorJson(QStringLiteral("not_found"),
                                 QStringLiteral("no such path: %1").arg(request.url().path())));
}

void CdnEdge::serveAsset(const QHttpServerRequest &request, QTcpSocket *socket, const QString &key)
{
    if (const auto it = m_cache.constFind(key); it != m_cache.constEnd()) {
        ++m_hits;
        const qint64 age = (QDateTime::currentMSecsSinceEpoch() - it->storedMs) / 1000;
        DeferredResponse(makeResponder(request, socket), request, socket)
            .send(200, it->contentType, it->body,
                  {{kCacheHeader, QByteArrayLiteral("HIT")},
                   {QByteArrayLiteral("Age"), QByteArray::number(age)}});
        return;
    }
    ++m_misses;
    QUrl originUrl = m_origin;
    originUrl.setPath(request.url().path(QUrl::FullyEncoded), QUrl::TolerantMode);
    if (request.url().hasQuery())
        originUrl.setQuery(request.url().query(QUrl::FullyEncoded), QUrl::TolerantMode);
    auto response =
        std::make_shared<DeferredResponse>(makeResponder(request, socket), request, socket);
    QNetworkReply *reply = m_http->get(originUrl, kOriginTimeoutMs);
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::finished, this, [this, reply, response, key, generation] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid()) {
            response->sendJson(
                502,
                errorJson(
                    QStringLiteral("origin_unreachable"),
                    QStringLiteral("the origin did not answer: %1").arg(reply->errorString())),
                {{kCacheHeader, QByteArrayLiteral("MISS")}});
            return;
        }
        QByteArray contentType = reply->rawHeader(QByteArrayLiteral("Content-Type"));
        if (contentType.isEmpty())
            contentType = QByteArrayLiteral("application/octet-stream");
        const QByteArray body = reply->readAll();
        if (status.toInt() == 200 && generation == m_generation)
            m_cache.insert(key, Entry{contentType, body, QDateTime::currentMSecsSinceEpoch()});
        response->send(status.toInt(), contentType, body,
                       {{kCacheHeader, QByteArrayLiteral("MISS")}});
    });
}

void CdnEdge::handlePurge(const QHttpServerRequest &request, QTcpSocket *socket,
                          const QString &zone)
{
    DeferredResponse response(makeResponder(request, socket), request, socket);
    if (request.method() != QHttpServerRequest::Method::Post) {
        response.sendJson(405,
                          cloudflareError(kMethodNotAllowed, QStringLiteral("Method not allowed")),
                          {{QByteArrayLiteral("Allow"), QByteArrayLiteral("POST")}});
        return;
    }
    const QByteArray expected = QByteArrayLiteral("Bearer ") + m_token.toUtf8();
    if (!sameSecret(request.value(QByteArrayLiteral("Authorization")).trimmed(), expected)) {
        spdlog::warn("CDN edge: purge refused: wrong or missing API token");
        response.sendJson(
            403, cloudflareError(kAuthenticationError, QStringLiteral("Authentication error")));
        return;
    }
    if (zone != QLatin1String(kZone)) {
        response.sendJson(
            404, cloudflareError(kInvalidZone, QStringLiteral("Could not route to "
                                                              "/client/v4/zones/%1/purge_cache, "
                                                              "perhaps your object identifier is "
                                                              "invalid?")
                                                   .arg(zone)));
        return;
    }

    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message)) {
        response.sendJson(400, cloudflareError(kInvalidRequest, message));
        return;
    }
    const bool everything = body.value(QStringLiteral("purge_everything")).toBool(false);
    const QJsonValue files = body.value(QStringLiteral("files"));
    const auto invalid = [&](const QString &why) {
        response.sendJson(400, cloudflareError(kInvalidRequest, why));
    };
    if (body.contains(QStringLiteral("purge_everything")) &&
        !body.value(QStringLiteral("purge_everything")).isBool())
        return invalid(QStringLiteral("purge_everything must be a boolean"));
    if (everything == body.contains(QStringLiteral("files")) || body.size() != 1)
        return invalid(QStringLiteral("Request must contain exactly one of "
                                      "\"purge_everything\": true or \"files\""));

    qint64 purged = 0;
    if (everything) {
        purged = m_cache.size();
        m_cache.clear();
    } else {
        if (!files.isArray() || files.toArray().isEmpty())
            return invalid(QStringLiteral("files must be a non-empty array"));
        QStringList keys;
        for (const auto &file : files.toArray()) {
            const QString text = file.isObject()
                                     ? file.toObject().value(QStringLiteral("url")).toString()
                                     : file.toString();
            const QUrl url(text, QUrl::StrictMode);
            if (text.isEmpty() || !url.isValid())
                return invalid(QStringLiteral("files must hold URLs (strings or {\"url\": URL})"));
            keys.append(cacheKey(url));
        }
        for (const QString &key : std::as_const(keys))
            purged += m_cache.remove(key) ? 1 : 0;
    }
    ++m_generation;
    ++m_purges;
    m_purgedObjects += purged;
    spdlog::info("CDN edge: purged {} object(s) ({})", purged, everything ? "everything" : "files");
    response.sendJson(200, toCompactJson(QJsonObject{
                               {QStringLiteral("success"), true},
                               {QStringLiteral("errors"), QJsonArray{}},
                               {QStringLiteral("messages"), QJsonArray{}},
                               {QStringLiteral("result"),
                                QJsonObject{{QStringLiteral("id"), QLatin1String(kZone)}}},
                           }));
}

} // namespace rwd::fleet
