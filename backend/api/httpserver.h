#pragma once

#include "connectionguard.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include <functional>

namespace rwd::api {

struct HttpRequest
{
    QByteArray method;
    QString path;
    QHash<QString, QString> params; // from {name} segments of the route
    QUrlQuery query;
    QByteArray body;
    QHostAddress remote;
    QList<QPair<QByteArray, QByteArray>> headers;

    [[nodiscard]] QByteArray header(const QByteArray &name) const;
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QByteArray cacheControl = "no-store"; // API answers are never cached
    QList<QPair<QByteArray, QByteArray>> headers;

    static HttpResponse json(int status, const QJsonValue &value);
    // The error shape of every API: {"code": "...", "message": "..."}.
    static HttpResponse error(int status, const QString &code, const QString &message);
};

// A route as registered, for listing and for checking against docs/api/openapi.yaml.
struct RouteInfo
{
    QByteArray method;
    QString pattern;       // e.g. /api/v1/rollbacks/{id}
    bool isPublic = false; // answers without a token (health, metrics, login)
};

// An HTTP server with a small router: routes are METHOD + path pattern with `{name}` segments.
// Unknown paths answer 404, known paths with another method 405 (with Allow), bodies over the
// limit 413 — always as JSON errors. Handlers run on the server's thread and must not block.
// A HEAD route's answer goes out without its body (its Content-Length is that of the body).
// Connections are held within ConnectionLimits (GuardedServer); `Connection: close`, and
// HTTP/1.0 without `Connection: keep-alive`, close the connection after the answer.
class HttpServer final : public QAbstractHttpServer
{
    Q_OBJECT

public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    explicit HttpServer(QObject *parent = nullptr);

    // `isPublic`: the route needs no token (the handler checks one otherwise; see restapi.cpp).
    void route(const QByteArray &method, const QString &pattern, Handler handler,
               bool isPublic = false);
    [[nodiscard]] QList<RouteInfo> routes() const;
    void setBodyLimit(qsizetype bytes) { m_bodyLimit = bytes; }
    // Before listen(): how many connections, for how long.
    void setLimits(const ConnectionLimits &limits) { m_limits = limits; }
#if QT_CONFIG(ssl)
    // Before listen(): HTTPS (and WSS) on the port.
    void setTls(const QSslConfiguration &configuration)
    {
        m_tls = configuration;
    }
#endif
    // Listens on `address`:`port` (0: any free port) with a GuardedServer; the port, or 0.
    quint16 listen(const QHostAddress &address, quint16 port);
    // The listening server (null before listen()): its cap and what it refused.
    [[nodiscard]] const GuardedServer *guard() const
    {
        return m_server;
    }

    // Writes `response` through `responder` (Content-Type, Content-Length, Cache-Control, extra
    // headers), and its body unless `withBody` is false (HEAD). A 304 has neither Content-Type
    // nor Content-Length, nor a body.
    static void send(QHttpServerResponder &responder, const HttpResponse &response,
                     bool withBody = true);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Route
    {
        QByteArray method;
        QString pattern;
        QStringList segments;
        Handler handler;
        bool isPublic = false;
    };

    static bool match(const Route &route, const QStringList &segments,
                      QHash<QString, QString> &params);

    QList<Route> m_routes;
    qsizetype m_bodyLimit = 1024 * 1024;
    ConnectionLimits m_limits;
    GuardedServer *m_server = nullptr; // a child
#if QT_CONFIG(ssl)
    std::optional<QSslConfiguration> m_tls;
#endif
};

} // namespace rwd::api
