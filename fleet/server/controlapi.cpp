#include "controlapi.h"

#include "assetstore.h"
#include "faultprofile.h"
#include "fleet.h"
#include "jsonutil.h"
#include "loadgenerator.h"
#include "metrics.h"
#include "names.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <optional>
#include <spdlog/spdlog.h>
#include <utility>

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

// The one key of keys that body has; fails unless there is exactly one.
bool exactlyOneOf(const QJsonObject &body, const QStringList &keys, QString *key, QString *error)
{
    QStringList present;
    for (const QString &candidate : keys) {
        if (body.contains(candidate))
            present.append(candidate);
    }
    if (present.size() != 1) {
        QStringList quotedKeys;
        for (const QString &candidate : keys)
            quotedKeys.append(QLatin1Char('"') + candidate + QLatin1Char('"'));
        *error =
            QStringLiteral("give exactly one of %1").arg(quotedKeys.join(QStringLiteral(", ")));
        return false;
    }
    *key = present.first();
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
    if (parts.size() == 1 && is(0, "assets"))
        return handleAssets(request);
    if (parts.size() == 2 && is(0, "assets") && is(1, "activate"))
        return handleActivateAssets(request);
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
    QString key;
    QString instance;
    QString version;
    if (!rejectUnknownKeys(
            body, {QStringLiteral("colour"), QStringLiteral("instance"), QStringLiteral("version")},
            &message) ||
        !exactlyOneOf(body, {QStringLiteral("colour"), QStringLiteral("instance")}, &key,
                      &message) ||
        !stringField(body, key, &instance, &message) ||
        !stringField(body, QStringLiteral("version"), &version, &message))
        return error(400, QStringLiteral("invalid_request"), message);
    if (!m_fleet.hasInstance(service, instance))
        return unknownInstance(service, instance);
    if (!isValidVersion(version)) {
        return error(400, QStringLiteral("invalid_request"),
                     QStringLiteral("invalid version \"%1\" (expected "
                                    "[A-Za-z0-9][A-Za-z0-9._+-]{0,63})")
                         .arg(version));
    }
    m_fleet.deploy(service, instance, version);
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
        return json(200, m_fleet.routeJson(service));

    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message))
        return error(400, QStringLiteral("invalid_json"), message);
    const QStringList forms{QStringLiteral("colour"), QStringLiteral("instances"),
                            QStringLiteral("weights")};
    QString form;
    if (!rejectUnknownKeys(body, forms, &message) || !exactlyOneOf(body, forms, &form, &message))
        return error(400, QStringLiteral("invalid_request"), message);

    QList<RouteWeight> weights;
    bool weighted = false;
    QStringList named; // every instance the request names, checked against the service
    const QJsonValue value = body.value(form);
    if (form == QLatin1String("colour")) {
        QString instance;
        if (!stringField(body, form, &instance, &message))
            return error(400, QStringLiteral("invalid_request"), message);
        named.append(instance);
        weights.append(RouteWeight{instance, 1});
    } else if (form == QLatin1String("instances")) {
        const QJsonArray list = value.toArray();
        if (!value.isArray() || list.isEmpty())
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("\"instances\" must be a non-empty array of names"));
        for (const auto &item : list) {
            if (!item.isString())
                return error(400, QStringLiteral("invalid_request"),
                             QStringLiteral("\"instances\" must hold strings only"));
            if (named.contains(item.toString()))
                return error(
                    400, QStringLiteral("invalid_request"),
                    QStringLiteral("instance \"%1\" is listed twice").arg(item.toString()));
            named.append(item.toString());
            weights.append(RouteWeight{item.toString(), 1});
        }
    } else {
        const QJsonObject map = value.toObject();
        if (!value.isObject() || map.isEmpty())
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("\"weights\" must be a non-empty object of name: weight"));
        weighted = true;
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            const auto weight = integerValue(it.value(), 0, Fleet::kMaxRouteWeight);
            if (!weight)
                return error(400, QStringLiteral("invalid_request"),
                             QStringLiteral("the weight of \"%1\" must be an integer between 0 "
                                            "and %2")
                                 .arg(it.key())
                                 .arg(Fleet::kMaxRouteWeight));
            named.append(it.key());
            // nginx has no weight 0: such an instance is left out of the upstream.
            if (*weight > 0)
                weights.append(RouteWeight{it.key(), static_cast<int>(*weight)});
        }
        if (weights.isEmpty())
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("at least one weight must be greater than 0"));
    }
    for (const QString &instance : std::as_const(named)) {
        if (!m_fleet.hasInstance(service, instance))
            return unknownInstance(service, instance);
    }
    // A list keeps the caller's order; weights (a JSON object has no order) follow the service's
    // instance order. Of equal weights, the first server in the file is the dominant one.
    if (weighted) {
        const QStringList order = m_fleet.instanceNames(service);
        std::sort(weights.begin(), weights.end(), [&](const RouteWeight &a, const RouteWeight &b) {
            return order.indexOf(a.instance) < order.indexOf(b.instance);
        });
    }
    if (!m_fleet.route(service, weights, weighted, &message))
        return error(500, QStringLiteral("nginx_failed"), message);
    return json(200, m_fleet.routeJson(service));
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
        if (!rejectUnknownKeys(body, {QStringLiteral("rps"), QStringLiteral("write_rps")},
                               &message))
            return error(400, QStringLiteral("invalid_request"), message);
        if (body.isEmpty())
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("give \"rps\", \"write_rps\" or both"));
        std::optional<qint64> rps;
        std::optional<qint64> writeRps;
        for (const auto &[key, target] : {std::pair{QStringLiteral("rps"), &rps},
                                          std::pair{QStringLiteral("write_rps"), &writeRps}}) {
            if (!body.contains(key))
                continue;
            *target = integerValue(body.value(key), 0, FleetOptions::kMaxLoadRps);
            if (!*target) {
                return error(400, QStringLiteral("invalid_request"),
                             QStringLiteral("%1 must be an integer between 0 and %2")
                                 .arg(key)
                                 .arg(FleetOptions::kMaxLoadRps));
            }
        }
        if (writeRps && *writeRps > 0 && !m_fleet.load()->hasWriteTarget())
            return error(400, QStringLiteral("invalid_request"),
                         QStringLiteral("write_rps needs a db service (--db-service)"));
        if (rps)
            m_fleet.load()->setRate(static_cast<int>(*rps));
        if (writeRps)
            m_fleet.load()->setWriteRate(static_cast<int>(*writeRps));
        return json(200, QJsonObject{{QStringLiteral("rps"), m_fleet.load()->rate()},
                                     {QStringLiteral("write_rps"), m_fleet.load()->writeRate()}});
    }
    return methodNotAllowed({QStringLiteral("GET"), QStringLiteral("PUT")});
}

ControlApi::Reply ControlApi::handleAssets(const QHttpServerRequest &request)
{
    const Method method = request.method();
    if (method != Method::Get && method != Method::Post)
        return methodNotAllowed({QStringLiteral("GET"), QStringLiteral("POST")});
    AssetStore *assets = m_fleet.assets();
    if (!assets)
        return error(404, QStringLiteral("no_assets_service"),
                     QStringLiteral("this fleet has no assets service (--assets-service)"));
    const auto state = [&] {
        return m_fleet.stateJson().value(QStringLiteral("assets")).toObject();
    };
    if (method == Method::Get)
        return json(200, state());

    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message))
        return error(400, QStringLiteral("invalid_json"), message);
    QString version;
    if (!rejectUnknownKeys(body, {QStringLiteral("version"), QStringLiteral("broken")}, &message) ||
        !stringField(body, QStringLiteral("version"), &version, &message))
        return error(400, QStringLiteral("invalid_request"), message);
    if (!isValidVersion(version))
        return error(400, QStringLiteral("invalid_request"),
                     QStringLiteral("invalid version \"%1\" (expected "
                                    "[A-Za-z0-9][A-Za-z0-9._+-]{0,63})")
                         .arg(version));
    const QJsonValue broken = body.value(QStringLiteral("broken"));
    if (!broken.isUndefined() && !broken.isBool())
        return error(400, QStringLiteral("invalid_request"),
                     QStringLiteral("\"broken\" must be a boolean"));
    if (!assets->write(version, broken.toBool(false), &message))
        return error(500, QStringLiteral("assets_failed"), message);
    return json(200, state());
}

ControlApi::Reply ControlApi::handleActivateAssets(const QHttpServerRequest &request)
{
    if (request.method() != Method::Post)
        return methodNotAllowed({QStringLiteral("POST")});
    AssetStore *assets = m_fleet.assets();
    if (!assets)
        return error(404, QStringLiteral("no_assets_service"),
                     QStringLiteral("this fleet has no assets service (--assets-service)"));
    QJsonObject body;
    QString message;
    if (!parseJsonObject(request.body(), &body, &message))
        return error(400, QStringLiteral("invalid_json"), message);
    QString version;
    if (!rejectUnknownKeys(body, {QStringLiteral("version")}, &message) ||
        !stringField(body, QStringLiteral("version"), &version, &message))
        return error(400, QStringLiteral("invalid_request"), message);
    if (!assets->hasVersion(version))
        return error(
            404, QStringLiteral("unknown_asset_version"),
            QStringLiteral("no assets for version \"%1\" (POST /assets writes them)").arg(version));
    QString previous;
    if (!assets->activate(version, &previous, &message))
        return error(500, QStringLiteral("assets_failed"), message);
    return json(200, QJsonObject{{QStringLiteral("version"), version},
                                 {QStringLiteral("previous"), previous}});
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

ControlApi::Reply ControlApi::unknownInstance(const QString &service, const QString &instance) const
{
    return Reply{404,
                 errorJson(QStringLiteral("unknown_instance"),
                           QStringLiteral("service \"%1\" has no instance \"%2\" (it has: %3)")
                               .arg(service, instance,
                                    m_fleet.instanceNames(service).join(QStringLiteral(", ")))),
                 {}};
}

} // namespace rwd::fleet
