#include "restapi.h"

#include "jsonbody.h"

#include <QJsonArray>

#include <functional>

namespace rwd::api {

int httpStatusOf(const QString &code)
{
    static const QHash<QString, int> statuses{
        {QStringLiteral("invalid_json"), 400},      {QStringLiteral("invalid_request"), 400},
        {QStringLiteral("not_found"), 404},         {QStringLiteral("unknown_service"), 404},
        {QStringLiteral("unknown_check"), 404},     {QStringLiteral("rollback_in_progress"), 409},
        {QStringLiteral("no_release"), 409},        {QStringLiteral("no_rollback_target"), 409},
        {QStringLiteral("no_strategy"), 409},       {QStringLiteral("cannot_plan"), 409},
        {QStringLiteral("deployment_frozen"), 409}, {QStringLiteral("max_attempts_reached"), 409},
        {QStringLiteral("store_failed"), 500},
    };
    return statuses.value(code, 400);
}

namespace {

HttpResponse errorResponse(const Error &e)
{
    return HttpResponse::error(httpStatusOf(e.code), e.code, e.message);
}

// Reads ?name=N as an integer within [min, max]; `fallback` when absent.
std::variant<int, Error> intParam(const HttpRequest &r, const QString &name, int fallback, int min,
                                  int max)
{
    if (!r.query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const int value = r.query.queryItemValue(name).toInt(&ok);
    if (!ok || value < min || value > max)
        return Error{QStringLiteral("invalid_request"),
                     QStringLiteral("'%1' must be a whole number from %2 to %3")
                         .arg(name)
                         .arg(min)
                         .arg(max)};
    return value;
}

struct Page
{
    int limit = 50;
    int offset = 0;
};

// ?limit=N&offset=M of a listing.
std::variant<Page, Error> pageParams(const HttpRequest &r)
{
    const auto limit = intParam(r, QStringLiteral("limit"), 50, 1, 1000);
    const auto offset = intParam(r, QStringLiteral("offset"), 0, 0, 1'000'000);
    for (const auto *param : {&limit, &offset}) {
        if (const auto *error = std::get_if<Error>(param))
            return *error;
    }
    return Page{std::get<int>(limit), std::get<int>(offset)};
}

// The object named by the numeric {id} of the path, or 404 naming what was asked for.
template<typename T>
HttpResponse byId(const HttpRequest &r, const QString &what,
                  const std::function<std::optional<T>(qint64)> &find)
{
    bool ok = false;
    const qint64 id = r.params.value(QStringLiteral("id")).toLongLong(&ok);
    const auto found = ok ? find(id) : std::nullopt;
    if (!found)
        return HttpResponse::error(
            404, QStringLiteral("not_found"),
            QStringLiteral("no %1 #%2").arg(what, r.params.value(QStringLiteral("id"))));
    return HttpResponse::json(200, found->toJson());
}

} // namespace

void registerRestRoutes(HttpServer &server, ApiBackend &backend)
{
    server.route("GET", QStringLiteral("/healthz"), [](const HttpRequest &) {
        return HttpResponse::json(200, QJsonObject{{"status", "ok"}});
    });

    server.route("GET", QStringLiteral("/api/v1/status"), [&backend](const HttpRequest &) {
        const auto services = backend.services();
        QJsonObject counts;
        for (const auto &s : services) {
            const auto key = wireName(s.health);
            counts.insert(key, counts.value(key).toInt() + 1);
        }
        return HttpResponse::json(200, QJsonObject{{"services", protocol::toJsonArray(services)},
                                                   {"health_counts", counts}});
    });

    server.route("POST", QStringLiteral("/api/v1/deployments"), [&backend](const HttpRequest &r) {
        JsonBody body(r.body);
        releases::DeploymentRequest d;
        d.service = body.string(QStringLiteral("service"), true, 64).value_or(QString());
        d.version = body.string(QStringLiteral("version"), true, 128).value_or(QString());
        d.artifact = body.string(QStringLiteral("artifact"), false).value_or(QString());
        d.target = body.string(QStringLiteral("target"), false, 64).value_or(QString());
        d.pipeline = body.string(QStringLiteral("pipeline"), false).value_or(QString());
        d.deployedBy = body.string(QStringLiteral("deployed_by"), false, 128).value_or(QString());
        if (const auto metadata = body.value(QStringLiteral("metadata"))) {
            if (!metadata->isObject())
                return errorResponse(
                    {QStringLiteral("invalid_request"),
                     QStringLiteral("'metadata' must be an object of text values")});
            const auto object = metadata->toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (!it.value().isString() || it.key().size() > 64 ||
                    it.value().toString().size() > 1024)
                    return errorResponse(
                        {QStringLiteral("invalid_request"),
                         QStringLiteral("'metadata.%1' must be text (keys up to 64 characters, "
                                        "values up to 1024)")
                             .arg(it.key().left(64))});
            }
            d.metadata = object;
        }
        d.freezeOverride =
            body.string(QStringLiteral("override_freeze"), false, 2000).value_or(QString());
        if (const auto error = body.finish())
            return errorResponse(*error);
        const auto result = backend.recordDeployment(d);
        if (const auto *error = std::get_if<Error>(&result))
            return errorResponse(*error);
        return HttpResponse::json(201, std::get<protocol::ReleaseInfo>(result).toJson());
    });

    server.route("GET", QStringLiteral("/api/v1/releases"), [&backend](const HttpRequest &r) {
        const auto limit = intParam(r, QStringLiteral("limit"), 50, 1, 1000);
        if (const auto *error = std::get_if<Error>(&limit))
            return errorResponse(*error);
        const auto service = r.query.queryItemValue(QStringLiteral("service"));
        return HttpResponse::json(
            200, QJsonObject{{"releases", protocol::toJsonArray(
                                              backend.releases(service, std::get<int>(limit)))}});
    });

    server.route("GET", QStringLiteral("/api/v1/rollbacks"), [&backend](const HttpRequest &r) {
        const auto page = pageParams(r);
        if (const auto *error = std::get_if<Error>(&page))
            return errorResponse(*error);
        const auto [limit, offset] = std::get<Page>(page);
        return HttpResponse::json(
            200,
            QJsonObject{{"rollbacks", protocol::toJsonArray(backend.rollbacks(limit, offset))}});
    });

    server.route("GET", QStringLiteral("/api/v1/rollbacks/{id}"), [&backend](const HttpRequest &r) {
        return byId<protocol::RollbackInfo>(r, QStringLiteral("rollback"),
                                            [&](qint64 id) { return backend.rollback(id); });
    });

    server.route("POST", QStringLiteral("/api/v1/signals"), [&backend](const HttpRequest &r) {
        JsonBody body(r.body);
        const auto service = body.string(QStringLiteral("service"), true, 64).value_or(QString());
        const auto check = body.string(QStringLiteral("check"), true, 64).value_or(QString());
        QJsonObject signal;
        for (const auto *key : {"ok", "error", "fields"}) {
            if (const auto v = body.value(QLatin1String(key)))
                signal.insert(QLatin1String(key), *v);
        }
        if (const auto error = body.finish())
            return errorResponse(*error);
        const auto result = backend.pushSignal(service, check, signal);
        if (const auto *error = std::get_if<Error>(&result))
            return errorResponse(*error);
        return HttpResponse::json(
            202, QJsonObject{{"recorded_at", protocol::isoTime(std::get<qint64>(result))}});
    });

    server.route("POST", QStringLiteral("/api/v1/rollbacks"), [&backend](const HttpRequest &r) {
        JsonBody body(r.body);
        orchestrator::RollbackRequest request;
        request.services =
            body.stringList(QStringLiteral("services"), true).value_or(QStringList{});
        request.reason = body.string(QStringLiteral("reason"), true, 2000).value_or(QString());
        request.requestedBy =
            body.string(QStringLiteral("requested_by"), false, 128).value_or(QStringLiteral("api"));
        request.dryRun = body.boolean(QStringLiteral("dry_run")).value_or(false);
        request.rollbackClass =
            body.string(QStringLiteral("class"), false, 16).value_or(QStringLiteral("fast"));
        request.trigger = QStringLiteral("api");
        if (const auto versions = body.value(QStringLiteral("versions"))) {
            if (!versions->isObject())
                return errorResponse({QStringLiteral("invalid_request"),
                                      QStringLiteral("'versions' must map services to versions")});
            const auto object = versions->toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (!it.value().isString())
                    return errorResponse({QStringLiteral("invalid_request"),
                                          QStringLiteral("'versions.%1' must be a version (text)")
                                              .arg(it.key().left(64))});
                request.versions.insert(it.key(), it.value().toString());
            }
        }
        if (const auto error = body.finish())
            return errorResponse(*error);
        const auto result = backend.requestRollback(request);
        if (const auto *error = std::get_if<Error>(&result))
            return errorResponse(*error);
        return HttpResponse::json(request.dryRun ? 200 : 201,
                                  std::get<protocol::RollbackInfo>(result).toJson());
    });

    server.route("GET", QStringLiteral("/api/v1/snapshots"), [&backend](const HttpRequest &r) {
        const auto service = r.query.queryItemValue(QStringLiteral("service"));
        const bool pruned = r.query.queryItemValue(QStringLiteral("pruned")) == u"true";
        return HttpResponse::json(
            200,
            QJsonObject{{"snapshots", protocol::toJsonArray(backend.snapshots(service, pruned))}});
    });

    server.route("GET", QStringLiteral("/api/v1/freezes"), [&backend](const HttpRequest &) {
        return HttpResponse::json(
            200, QJsonObject{{"freezes", protocol::toJsonArray(backend.freezes())}});
    });

    server.route("GET", QStringLiteral("/api/v1/incidents"), [&backend](const HttpRequest &r) {
        const auto page = pageParams(r);
        if (const auto *error = std::get_if<Error>(&page))
            return errorResponse(*error);
        const auto [limit, offset] = std::get<Page>(page);
        return HttpResponse::json(
            200,
            QJsonObject{{"incidents", protocol::toJsonArray(backend.incidents(limit, offset))}});
    });

    server.route("GET", QStringLiteral("/api/v1/incidents/{id}"), [&backend](const HttpRequest &r) {
        return byId<protocol::IncidentInfo>(r, QStringLiteral("incident"),
                                            [&](qint64 id) { return backend.incident(id); });
    });
}

} // namespace rwd::api
