#include "controlapi.h"

#include "faultprofile.h"
#include "fleet.h"
#include "jsonutil.h"
#include "loadgenerator.h"
#include "metrics.h"
#include "names.h"

#include <QHttpServerRequest>
#include <QJsonObject>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

#include <spdlog/spdlog.h>

namespace rwd::fleet {

namespace {

using Method = QHttpServerRequest::Method;

QString methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return QStringLiteral("GET");
    case Method::Put:
        return QStringLiteral("PUT");
    case Method::Post:
        return QStringLiteral("POST");
    case Method::Delete:
        return QStringLiteral("DELETE");
    case Method::Head:
        return QStringLiteral("HEAD");
    case Method::Options:
        return QStringLiteral("OPTIONS");
    case Method::Patch:
        return QStringLiteral("PATCH");
    default:
        return QStringLiteral("OTHER");
    }
}

// Reads a required string field; the message names the field when it is missing or not a string.
bool stringField(const QJsonObject &body, const QString &key, QString *value, QString *error)
{
    const QJsonValue field = body.value(key);
    if (field.isUndefined()) {
        *error = QStringLiteral("missing required key \"%1\"").arg(key);
        return false;
    }
    if (!field.isString()) {
        *error = QStringLiteral("\"%1\" must be a string").arg(key);
        return false;
    }
    *value = field.toString();
    return true;
}

} // namespace

ControlApi::ControlApi(Fleet &fleet, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_fleet(fleet)
{}

bool ControlApi::start(QString *error)
{
    auto *server = new QTcpServer(this);
    if (!server->listen(QHostAddress::LocalHost, 0)) {
        *error =
            QStringLiteral("control API cannot listen on 127.0.0.1: %1").arg(server->errorString());
        delete server;
        return false;
    }
    m_port = server->serverPort();
    bind(server);
    spdlog::info("control API listening on {}", qUtf8Printable(url()));
    return true;
}

QString ControlApi::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

bool ControlApi::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    bool shutdown = false;
    const Reply reply = dispatch(request, &shutdown);
    spdlog::debug(
        "control {} {} -> {}", qUtf8Printable(methodName(request.method())),
        qUtf8Printable(request.url().toString(QUrl::RemoveScheme | QUrl::RemoveAuthority)),
        reply.status);
    DeferredResponse response(makeResponder(request, socket), request, socket);
    if (reply.contentType.isEmpty())
        response.sendJson(reply.status, reply.body, reply.headers);
    else
        response.send(reply.status, reply.contentType, reply.body, reply.headers);
    if (shutdown) {
        // The answer is small enough to go to the kernel in one flush, so the client receives it
        // even though the process exits right after.
        response.flush();
        QTimer::singleShot(0, this, &ControlApi::shutdownRequested);
    }
    return true;
}

void ControlApi::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const Reply reply = error(404, QStringLiteral("not_found"),
                              QStringLiteral("no such endpoint: %1").arg(request.url().path()));
    DeferredResponse(makeResponder(request, socket), request, socket)
        .sendJson(reply.status, reply.body, reply.headers);
}

ControlApi::Reply ControlApi::dispatch(const QHttpServerRequest &request, bool *shutdown)
{
    const QString path = request.url().path();
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const auto is = [&](qsizetype index, const char *segment) {
        return parts.at(index) == QLatin1String(segment);
    };

    if (parts.size() == 1 && is(0, "state"))
        return handleState(request);
    if (parts.size() == 1 && is(0, "load"))
        return handleLoad(request);
    if (parts.size() == 1 && is(0, "metrics")) {
        // Every instance of every service, as a load balancer in front of them would report.
        if (request.method() != Method::Get)
            return methodNotAllowed({QStringLiteral("GET")});
        return {200, m_fleet.metricsText(), {}, InstanceMetrics::kContentType};
    }
    if (parts.size() == 1 && is(0, "shutdown")) {
        if (request.method() != Method::Post)
            return methodNotAllowed({QStringLiteral("POST")});
        *shutdown = true;
        spdlog::info("shutdown requested through the control API");
        return json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("stopping")}});
    }
    if (parts.size() == 1 && is(0, "services")) {
        if (request.method() != Method::Get)
            return methodNotAllowed({QStringLiteral("GET")});
        return json(200, QJsonObject{{QStringLiteral("services"),
                                      m_fleet.readyJson().value(QStringLiteral("services"))}});
    }
    if (parts.size() >= 2 && is(0, "services")) {
        const QString &service = parts.at(1);
        if (parts.size() == 2)
            return handleService(request, service);
        if (parts.size() == 3 && is(2, "deploy"))
            return handleDeploy(request, service);
        if (parts.size() == 3 && is(2, "route"))
            return handleRoute(request, service);
        if (parts.size() == 5 && is(2, "versions") && is(4, "fault"))
            return handleFault(request, service, parts.at(3));
    }
    return error(404, QStringLiteral("not_found"),
                 QStringLiteral("no such endpoint: %1").arg(path));
}

ControlApi::Reply ControlApi::handleState(const QHttpServerRequest &request)
{
    if (request.method() != Method::Get)
        return methodNotAllowed({QStringLiteral("GET")});
    return json(200, m_fleet.stateJson());
}

ControlApi::Reply ControlApi::handleService(const QHttpServerRequest &request,
                                            const QString &service)
{
    if (request.method() != Method::Get)
        return methodNotAllowed({QStringLiteral("GET")});
    if (!m_fleet.hasService(service))
        return unknownService(service);
    return json(200, m_fleet.serviceJson(service));
}

ControlApi::Reply ControlApi::handleDeploy(const QHttpServerRequest &request,
                                           const QString &service)
{
    if (request.method() != Method::Post)
        return methodNotAllowed({QStringLiteral("POST")});
    if (!m_fleet.hasService(service))
        return unknownService(service);

    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message))
        return error(400, QStringLiteral("invalid_json"), message);
    QString colourText;
    QString version;
    if (!rejectUnknownKeys(body, {QStringLiteral("colour"), QStringLiteral("version")}, &message) ||
        !stringField(body, QStringLiteral("colour"), &colourText, &message) ||
        !stringField(body, QStringLiteral("version"), &version, &message))
        return error(400, QStringLiteral("invalid_request"), message);
    const auto colour = parseColour(colourText);
    if (!colour) {
        return error(404, QStringLiteral("unknown_colour"),
                     QStringLiteral("unknown colour \"%1\" (blue or green)").arg(colourText));
    }
    if (!isValidVersion(version)) {
        return error(400, QStringLiteral("invalid_request"),
                     QStringLiteral("invalid version \"%1\" (expected "
                                    "[A-Za-z0-9][A-Za-z0-9._+-]{0,63})")
                         .arg(version));
    }
    m_fleet.deploy(service, *colour, version);
    return json(200, m_fleet.serviceJson(service));
}

ControlApi::Reply ControlApi::handleFault(const QHttpServerRequest &request, const QString &service,
                                          const QString &version)
{
    const Method method = request.method();
    if (method != Method::Get && method != Method::Put && method != Method::Delete)
        return methodNotAllowed(
            {QStringLiteral("GET"), QStringLiteral("PUT"), QStringLiteral("DELETE")});
    if (!m_fleet.hasService(service))
        return unknownService(service);
    if (!isValidVersion(version)) {
        return error(400, QStringLiteral("invalid_request"),
                     QStringLiteral("invalid version \"%1\"").arg(version));
    }

    if (method == Method::Get)
        return json(200, m_fleet.fault(service, version).toJson());
    if (method == Method::Delete) {
        m_fleet.setFault(service, version, FaultProfile{});
        return json(200, FaultProfile{}.toJson());
    }

    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message))
        return error(400, QStringLiteral("invalid_json"), message);
    FaultProfile profile = m_fleet.fault(service, version);
    if (!applyFaultPatch(body, &profile, &message))
        return error(400, QStringLiteral("invalid_request"), message);
    m_fleet.setFault(service, version, profile);
    return json(200, profile.toJson());
}

ControlApi::Reply ControlApi::handleRoute(const QHttpServerRequest &request, const QString &service)
{
    const Method method = request.method();
    if (method != Method::Get && method != Method::Post)
        return methodNotAllowed({QStringLiteral("GET"), QStringLiteral("POST")});
    if (!m_fleet.hasService(service))
        return unknownService(service);
    if (method == Method::Get)
        return json(200, QJsonObject{{QStringLiteral("live"), m_fleet.liveColour(service)}});

    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message))
        return error(400, QStringLiteral("invalid_json"), message);
    QString colourText;
    if (!rejectUnknownKeys(body, {QStringLiteral("colour")}, &message) ||
        !stringField(body, QStringLiteral("colour"), &colourText, &message))
        return error(400, QStringLiteral("invalid_request"), message);
    const auto colour = parseColour(colourText);
    if (!colour) {
        return error(404, QStringLiteral("unknown_colour"),
                     QStringLiteral("unknown colour \"%1\" (blue or green)").arg(colourText));
    }
    if (!m_fleet.route(service, *colour, &message))
        return error(500, QStringLiteral("nginx_failed"), message);
    return json(200, QJsonObject{{QStringLiteral("live"), m_fleet.liveColour(service)}});
}

ControlApi::Reply ControlApi::handleLoad(const QHttpServerRequest &request)
{
    const Method method = request.method();
    if (method == Method::Get) {
        const QUrlQuery query = request.query();
        qint64 sinceMs = 0;
        QString service;
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key == QLatin1String("since_ms")) {
                bool ok = false;
                sinceMs = value.toLongLong(&ok);
                if (!ok || sinceMs < 0) {
                    return error(400, QStringLiteral("invalid_request"),
                                 QStringLiteral("since_ms must be a non-negative integer "
                                                "(milliseconds since the epoch)"));
                }
            } else if (key == QLatin1String("service")) {
                service = value;
                if (!m_fleet.hasService(service))
                    return unknownService(service);
            } else {
                return error(400, QStringLiteral("invalid_request"),
                             QStringLiteral("unknown query parameter \"%1\" (allowed: since_ms, "
                                            "service)")
                                 .arg(key));
            }
        }
        return json(200, m_fleet.load()->statistics(sinceMs, service));
    }
    if (method == Method::Put) {
        QJsonObject body;
        QString message;
        if (!parseJsonObject(request.body(), &body, &message))
            return error(400, QStringLiteral("invalid_json"), message);
        if (!rejectUnknownKeys(body, {QStringLiteral("rps")}, &message))
            return error(400, QStringLiteral("invalid_request"), message);
        if (!body.contains(QStringLiteral("rps")))
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("missing required key \"rps\""));
        const auto rps =
            integerValue(body.value(QStringLiteral("rps")), 0, FleetOptions::kMaxLoadRps);
        if (!rps) {
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("rps must be an integer between 0 and %1")
                             .arg(FleetOptions::kMaxLoadRps));
        }
        m_fleet.load()->setRate(static_cast<int>(*rps));
        return json(200, QJsonObject{{QStringLiteral("rps"), m_fleet.load()->rate()}});
    }
    return methodNotAllowed({QStringLiteral("GET"), QStringLiteral("PUT")});
}

ControlApi::Reply ControlApi::json(int status, const QJsonObject &body)
{
    return Reply{status, toCompactJson(body), {}};
}

ControlApi::Reply ControlApi::error(int status, const QString &code, const QString &message)
{
    return Reply{status, errorJson(code, message), {}};
}

ControlApi::Reply ControlApi::methodNotAllowed(const QStringList &allowed)
{
    return Reply{
        405,
        errorJson(
            QStringLiteral("method_not_allowed"),
            QStringLiteral("method not allowed; use %1").arg(allowed.join(QStringLiteral(" or ")))),
        {{QByteArrayLiteral("Allow"), allowed.join(QStringLiteral(", ")).toUtf8()}}};
}

ControlApi::Reply ControlApi::unknownService(const QString &service)
{
    return Reply{404,
                 errorJson(QStringLiteral("unknown_service"),
                           QStringLiteral("unknown service \"%1\"").arg(service)),
                 {}};
}

} // namespace rwd::fleet
