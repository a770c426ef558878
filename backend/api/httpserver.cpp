#include "httpserver.h"

#include "logging/logging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#include <memory>
#include <sys/resource.h>

namespace rwd::api {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

} // namespace

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonValue &value)
{
    HttpResponse r;
    r.status = status;
    if (value.isArray())
        r.body = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else
        r.body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse HttpResponse::error(int status, const QString &code, const QString &message)
{
    return json(status, QJsonObject{{"code", code}, {"message", message}});
}

HttpServer::HttpServer(QObject *parent)
    : QAbstractHttpServer(parent)
{}

quint16 HttpServer::listen(const QHostAddress &address, quint16 port)
{
    rlimit limit{};
    const qint64 soft = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                            ? qint64(limit.rlim_cur)
                            : 0;
    const int cap = connectionCap(m_limits, soft, openDescriptors());
    auto server = std::make_unique<GuardedServer>(m_limits, cap);
#if QT_CONFIG(ssl)
    if (m_tls)
        server->setTls(*m_tls);
#endif
    if (!server->listen(address, port)) {
        logging::get("api")->error("cannot listen on {}:{}: {}", address.toString(), port,
                                   server->errorString());
        return 0;
    }
    logging::get("api")->info("API accepts up to {} connection(s) (max_connections {}, open-file "
                              "limit {}, {} descriptors reserved)",
                              cap, m_limits.maxConnections, soft, m_limits.reservedDescriptors);
    m_server = server.release();
    bind(m_server);
    return m_server->serverPort();
}

void HttpServer::route(const QByteArray &method, const QString &pattern, Handler handler,
                       bool isPublic)
{
    m_routes.append(
        {method, pattern, pattern.split(u'/', Qt::SkipEmptyParts), std::move(handler), isPublic});
}

QList<RouteInfo> HttpServer::routes() const
{
    QList<RouteInfo> out;
    for (const auto &r : m_routes)
        out.append({r.method, r.pattern, r.isPublic});
    return out;
}

bool HttpServer::match(const Route &route, const QStringList &segments,
                       QHash<QString, QString> &params)
{
    if (route.segments.size() != segments.size())
        return false;
    QHash<QString, QString> captured;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const auto &expected = route.segments.at(i);
        if (expected.startsWith(u'{') && expected.endsWith(u'}')) {
            if (segments.at(i).isEmpty())
                return false;
            captured.insert(expected.mid(1, expected.size() - 2), segments.at(i));
        } else if (expected != segments.at(i)) {
            return false;
        }
    }
    params = captured;
    return true;
}

void HttpServer::send(QHttpServerResponder &responder, const HttpResponse &response, bool withBody)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    const bool notModified = response.status == 304;
    if (!notModified) {
        responder.writeHeader("Content-Type", response.contentType);
        responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    }
    if (!response.cacheControl.isEmpty())
        responder.writeHeader("Cache-Control", response.cacheControl);
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    if (withBody && !notModified)
        responder.writeBody(response.body);
    else
        responder.writeBody(QByteArray());
}

bool HttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Qt 6.4 offers WebSocket upgrade requests to the HTTP handler before handing the socket to
    // its WebSocket server: answering here would put an HTTP response in front of the 101.
    auto *guard = socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly);
    if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        if (guard)
            guard->upgraded();
        return true;
    }
    // RFC 9112 9.3: HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes it unless
    // told to keep it.
    const QByteArray connection = request.value("connection").toLower();
    const bool http10 = guard && guard->http10();
    const bool close =
        connection.contains("close") || (http10 && !connection.contains("keep-alive"));
    if (guard)
        guard->answered();
    auto responder = makeResponder(request, socket);
    const auto sendAndClose = [&](HttpResponse response, bool withBody) {
        if (close)
            response.headers.append({QByteArray("Connection"), QByteArray("close")});
        else if (http10)
            response.headers.append({QByteArray("Connection"), QByteArray("keep-alive")});
        send(responder, response, withBody);
        if (close)
            socket->disconnectFromHost();
    };
    HttpRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path();
    r.query = request.query();
    r.remote = request.remoteAddress();
    r.headers = request.headers();
    if (request.body().size() > m_bodyLimit) {
        sendAndClose(HttpResponse::error(413, QStringLiteral("body_too_large"),
                                         QStringLiteral("the request body is larger than %1 "
                                                        "bytes")
                                             .arg(m_bodyLimit)),
                     true);
        return true;
    }
    r.body = request.body();
    const auto segments = r.path.split(u'/', Qt::SkipEmptyParts);
    QStringList allowed;
    for (const auto &route : std::as_const(m_routes)) {
        QHash<QString, QString> params;
        if (!match(route, segments, params))
            continue;
        if (route.method != r.method) {
            allowed.append(QString::fromLatin1(route.method));
            continue;
        }
        r.params = params;
        sendAndClose(route.handler(r), r.method != "HEAD");
        return true;
    }
    if (!allowed.isEmpty()) {
        auto response = HttpResponse::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2 (allowed: %3)")
                .arg(QString::fromLatin1(r.method), r.path, allowed.join(QStringLiteral(", "))));
        response.headers.append({"Allow", allowed.join(QStringLiteral(", ")).toLatin1()});
        sendAndClose(response, r.method != "HEAD");
        return true;
    }
    sendAndClose(HttpResponse::error(404, QStringLiteral("not_found"),
                                     QStringLiteral("no such resource: %1").arg(r.path)),
                 r.method != "HEAD");
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (auto *guard = socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly))
        guard->answered();
    auto responder = makeResponder(request, socket);
    send(responder,
         HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no such resource")));
}

} // namespace rwd::api
