#include "restapi.h"

#include "common/result.h"
#include "jsonbody.h"
#include "requests.h"

#include <QJsonArray>

#include <functional>

namespace rwd::api {

namespace {

// The signed-in principal with what it may do (GET /me, and the user of a login).
QJsonObject meJson(const ApiBackend &backend, const auth::Principal &who)
{
    auto o = principalJson(who);
    o.insert(QStringLiteral("permissions"), backend.permissions(who));
    return o;
}

HttpResponse errorResponse(const Error &e)
{
    return HttpResponse::error(httpStatusOf(e.code), e.code, e.message);
}

// Reads ?name=N as an integer within [min, max]; `fallback` when absent.
Result<int> intParam(const HttpRequest &r, const QString &name, int fallback, int min, int max)
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
Result<Page> pageParams(const HttpRequest &r)
{
    const auto limit = intParam(r, QStringLiteral("limit"), 50, 1, 1000);
    const auto offset = intParam(r, QStringLiteral("offset"), 0, 0, 1'000'000);
    for (const auto *param : {&limit, &offset}) {
        if (!*param)
            return param->error();
    }
    return Page{*limit, *offset};
}

// The numeric {id} of the path, or 404 naming what was asked for.
Result<qint64, HttpResponse> idParam(const HttpRequest &r, const QString &what)
{
    bool ok = false;
    const qint64 id = r.params.value(QStringLiteral("id")).toLongLong(&ok);
    if (!ok || id <= 0)
        return HttpResponse::error(
            404, QStringLiteral("not_found"),
            QStringLiteral("no %1 #%2").arg(what, r.params.value(QStringLiteral("id"))));
    return id;
}

// A handler that needs a signed-in caller.
using SignedHandler = std::function<HttpResponse(const HttpRequest &, const Caller &)>;

// GET of one `what` by its {id}: `find(principal, id)` gives it, or nothing when it does not exist
// or the caller may not see it (both 404: a caller learns nothing of what it may not see).
template<typename Find>
SignedHandler oneById(const QString &what, Find find)
{
    return [what, find](const HttpRequest &r, const Caller &caller) {
        const auto id = idParam(r, what);
        if (!id)
            return id.error();
        const auto found = find(caller.who, *id);
        if (!found)
            return HttpResponse::error(404, QStringLiteral("not_found"),
                                       QStringLiteral("no %1 #%2").arg(what).arg(*id));
        return HttpResponse::json(200, found->toJson());
    };
}

// A JSON answer from a backend result, or the error it carries.
template<typename T, typename ToJson>
HttpResponse answer(const Result<T> &result, int status, ToJson toJson)
{
    if (!result)
        return errorResponse(result.error());
    return HttpResponse::json(status, toJson(*result));
}

} // namespace

// The caller of a request with `Authorization: Bearer TOKEN`; a 401 response (with
// WWW-Authenticate) otherwise.
Result<auth::Principal, HttpResponse> authenticated(ApiBackend &backend, const HttpRequest &r)
{
    const QByteArray header = r.header("Authorization");
    QString token;
    if (header.startsWith("Bearer "))
        token = QString::fromUtf8(header.mid(7).trimmed());
    auto who = backend.authenticate(token);
    if (!who) {
        auto response = errorResponse(who.error());
        response.headers.append(
            {QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")});
        return response;
    }
    return *std::move(who);
}

void registerRestRoutes(HttpServer &server, ApiBackend &backend)
{
    // Every route but the public ones authenticates its caller first: 401 without a valid
    // bearer token; the backend then checks what the caller's roles allow (403).
    // A user without any role is refused everything but what concerns only themselves (who
    // they are, signing out, their own tokens): `forSelf`.
    const auto signedRoute = [&server, &backend](const QByteArray &method, const QString &pattern,
                                                 SignedHandler handler, bool forSelf = false) {
        server.route(
            method, pattern,
            [&backend, forSelf, handler = std::move(handler)](const HttpRequest &r) {
                auto who = authenticated(backend, r);
                if (!who)
                    return std::move(who).error();
                auto &principal = *who;
                if (!forSelf && !principal.may(auth::Permission::Read))
                    return errorResponse(
                        {QStringLiteral("forbidden"),
                         QStringLiteral("%1 has no role in any environment").arg(principal.name)});
                return handler(r, Caller{std::move(principal), r.remote.toString()});
            });
    };

    server.route(
        "GET", QStringLiteral("/healthz"),
        [&backend](const HttpRequest &) {
            bool serving = true;
            const auto health = backend.health(&serving);
            return HttpResponse::json(serving ? 200 : 503, health);
        },
        true);

    server.route(
        "GET", QStringLiteral("/metrics"),
        [&backend](const HttpRequest &r) {
            if (!backend.publicMetrics()) {
                auto who = authenticated(backend, r);
                if (!who)
                    return std::move(who).error();
            }
            HttpResponse response;
            response.contentType = "text/plain; version=0.0.4; charset=utf-8";
            response.body = backend.metrics();
            return response;
        },
        true);

    server.route(
        "POST", QStringLiteral("/api/v1/login"),
        [&backend](const HttpRequest &r) {
            JsonBody body(r.body);
            const auto name = body.string(QStringLiteral("name"), true, 64).value_or(QString());
            const auto password =
                body.string(QStringLiteral("password"), true, 1024).value_or(QString());
            if (const auto finished = body.finish(); !finished)
                return errorResponse(finished.error());
            qint64 retryAfter = 0;
            const auto session = backend.login(name, password, r.remote.toString(), &retryAfter);
            if (!session) {
                auto response = errorResponse(session.error());
                if (retryAfter > 0)
                    response.headers.append(
                        {"Retry-After", QByteArray::number((retryAfter + 999) / 1000)});
                return response;
            }
            const auto &s = *session;
            return HttpResponse::json(200,
                                      QJsonObject{{"token", s.token},
                                                  {"expires_at", protocol::isoTime(s.expiresAtMs)},
                                                  {"user", meJson(backend, s.principal)}});
        },
        true);

    signedRoute(
        "POST", QStringLiteral("/api/v1/logout"),
        [&backend](const HttpRequest &, const Caller &caller) {
            if (caller.who.tokenKind != u"session")
                return errorResponse(
                    {QStringLiteral("invalid_request"),
                     QStringLiteral("logout ends a session; an API token is revoked with "
                                    "DELETE /api/v1/tokens/{id}")});
            backend.logout(caller);
            return HttpResponse::json(200, QJsonObject{{"status", "signed out"}});
        },
        true);

    signedRoute(
        "GET", QStringLiteral("/api/v1/me"),
        [&backend](const HttpRequest &, const Caller &caller) {
            return HttpResponse::json(200, meJson(backend, caller.who));
        },
        true);

    signedRoute("GET", QStringLiteral("/api/v1/status"),
                [&backend](const HttpRequest &, const Caller &caller) {
                    const auto services = backend.services(caller.who);
                    QJsonObject counts;
                    for (const auto &s : services) {
                        const auto key = wireName(s.health);
                        counts.insert(key, counts.value(key).toInt() + 1);
                    }
                    return HttpResponse::json(
                        200, QJsonObject{{"services", protocol::toJsonArray(services)},
                                         {"health_counts", counts}});
                });

    signedRoute("POST", QStringLiteral("/api/v1/deployments"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    auto request = parseDeploymentRequest(r.body);
                    if (!request)
                        return errorResponse(request.error());
                    return answer(
                        backend.recordDeployment(caller, *request), 201,
                        [](const protocol::ReleaseInfo &release) { return release.toJson(); });
                });

    signedRoute("GET", QStringLiteral("/api/v1/releases"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto limit = intParam(r, QStringLiteral("limit"), 50, 1, 1000);
                    if (!limit)
                        return errorResponse(limit.error());
                    const auto service = r.query.queryItemValue(QStringLiteral("service"));
                    return HttpResponse::json(
                        200, QJsonObject{{"releases", protocol::toJsonArray(backend.releases(
                                                          caller.who, service, *limit))}});
                });

    // Read of one service, like a single resource: one the caller may not read is unknown.
    signedRoute(
        "GET", QStringLiteral("/api/v1/services/{name}/metrics"),
        [&backend](const HttpRequest &r, const Caller &caller) {
            ApiBackend::MetricsRange range;
            for (const auto &[key, out] : {std::pair{QStringLiteral("since"), &range.sinceMs},
                                           std::pair{QStringLiteral("until"), &range.untilMs}}) {
                auto parsed = parseTimeParam(key, r.query.queryItemValue(key, QUrl::FullyDecoded));
                if (!parsed)
                    return errorResponse(parsed.error());
                *out = *parsed;
            }
            range.prefixes = parseSeriesPrefixes(
                r.query.queryItemValue(QStringLiteral("series"), QUrl::FullyDecoded));
            const QString service = r.params.value(QStringLiteral("name"));
            return answer(backend.metricSeries(caller.who, service, range), 200,
                          [&service](const ApiBackend::MetricSeries &m) {
                              return QJsonObject{{"service", service},
                                                 {"step_ms", m.stepMs},
                                                 {"series", protocol::toJsonArray(m.series)}};
                          });
        });

    signedRoute(
        "GET", QStringLiteral("/api/v1/rollbacks"),
        [&backend](const HttpRequest &r, const Caller &caller) {
            const auto page = pageParams(r);
            if (!page)
                return errorResponse(page.error());
            ApiBackend::RollbackFilter filter;
            filter.limit = page->limit;
            filter.offset = page->offset;
            filter.state = r.query.queryItemValue(QStringLiteral("state"));
            filter.service = r.query.queryItemValue(QStringLiteral("service"));
            if (!filter.state.isEmpty() && !planStateFromString(filter.state))
                return errorResponse({QStringLiteral("invalid_request"),
                                      QStringLiteral("unknown state '%1'").arg(filter.state)});
            return HttpResponse::json(
                200, QJsonObject{{"rollbacks",
                                  protocol::toJsonArray(backend.rollbacks(caller.who, filter))}});
        });

    signedRoute(
        "GET", QStringLiteral("/api/v1/rollbacks/{id}"),
        oneById(QStringLiteral("rollback"), [&backend](const auth::Principal &who, qint64 id) {
            return backend.rollback(who, id);
        }));

    signedRoute("POST", QStringLiteral("/api/v1/rollbacks"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    auto request = parseRollbackRequest(r.body);
                    if (!request)
                        return errorResponse(request.error());
                    auto parsed = *request;
                    const bool dryRun = parsed.dryRun;
                    return answer(backend.requestRollback(caller, std::move(parsed)),
                                  dryRun ? 200 : 201,
                                  [](const protocol::RollbackInfo &info) { return info.toJson(); });
                });

    // Decisions on a plan: approve, reject (with a comment), abort (with a reason).
    for (const auto *verb : {"approve", "reject", "abort"}) {
        const QString action = QLatin1String(verb);
        signedRoute("POST", QStringLiteral("/api/v1/rollbacks/{id}/") + action,
                    [&backend, action](const HttpRequest &r, const Caller &caller) {
                        const auto id = idParam(r, QStringLiteral("rollback"));
                        if (!id)
                            return id.error();
                        JsonBody body(r.body.isEmpty() ? QByteArrayLiteral("{}") : r.body);
                        const QString key = action == u"abort" ? QStringLiteral("reason")
                                                               : QStringLiteral("comment");
                        const auto text = body.string(key, false, 2000).value_or(QString());
                        if (const auto finished = body.finish(); !finished)
                            return errorResponse(finished.error());
                        const qint64 rollbackId = *id;
                        const auto result =
                            action == u"abort" ? backend.abortRollback(caller, rollbackId, text)
                                               : backend.decideRollback(caller, rollbackId,
                                                                        action == u"approve", text);
                        return answer(result, 200, [](const protocol::RollbackInfo &info) {
                            return info.toJson();
                        });
                    });
    }

    signedRoute(
        "POST", QStringLiteral("/api/v1/signals"),
        [&backend](const HttpRequest &r, const Caller &caller) {
            JsonBody body(r.body);
            const auto service =
                body.string(QStringLiteral("service"), true, 64).value_or(QString());
            const auto check = body.string(QStringLiteral("check"), true, 64).value_or(QString());
            QJsonObject signal;
            for (const auto *key : {"ok", "error", "fields"}) {
                if (const auto v = body.value(QLatin1String(key)))
                    signal.insert(QLatin1String(key), *v);
            }
            if (const auto finished = body.finish(); !finished)
                return errorResponse(finished.error());
            return answer(backend.pushSignal(caller, service, check, signal), 202, [](qint64 at) {
                return QJsonObject{{"recorded_at", protocol::isoTime(at)}};
            });
        });

    signedRoute("GET", QStringLiteral("/api/v1/snapshots"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto service = r.query.queryItemValue(QStringLiteral("service"));
                    const bool pruned = r.query.queryItemValue(QStringLiteral("pruned")) == u"true";
                    return HttpResponse::json(
                        200, QJsonObject{{"snapshots", protocol::toJsonArray(backend.snapshots(
                                                           caller.who, service, pruned))}});
                });

    signedRoute(
        "GET", QStringLiteral("/api/v1/freezes"),
        [&backend](const HttpRequest &, const Caller &caller) {
            return HttpResponse::json(
                200, QJsonObject{{"freezes", protocol::toJsonArray(backend.freezes(caller.who))}});
        });

    signedRoute("GET", QStringLiteral("/api/v1/incidents"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto page = pageParams(r);
                    if (!page)
                        return errorResponse(page.error());
                    const auto [limit, offset] = *page;
                    return HttpResponse::json(
                        200, QJsonObject{{"incidents", protocol::toJsonArray(backend.incidents(
                                                           caller.who, limit, offset))}});
                });

    signedRoute(
        "GET", QStringLiteral("/api/v1/incidents/{id}"),
        oneById(QStringLiteral("incident"), [&backend](const auth::Principal &who, qint64 id) {
            return backend.incident(who, id);
        }));

    signedRoute("POST", QStringLiteral("/api/v1/incidents/{id}/notes"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto id = idParam(r, QStringLiteral("incident"));
                    if (!id)
                        return id.error();
                    JsonBody body(r.body);
                    const auto text = body.string(QStringLiteral("text"), true, 10'000);
                    if (const auto finished = body.finish(); !finished)
                        return errorResponse(finished.error());
                    return answer(backend.addIncidentNote(caller, *id, *text), 201,
                                  [](const protocol::IncidentInfo &i) { return i.toJson(); });
                });

    signedRoute("GET", QStringLiteral("/api/v1/incidents/{id}/report"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto id = idParam(r, QStringLiteral("incident"));
                    if (!id)
                        return id.error();
                    // Markdown by default: every rewindd can write it, and scripts relied on it
                    // before the other formats existed.
                    static const QHash<QString, ApiBackend::ReportFormat> formats{
                        {QStringLiteral("md"), ApiBackend::ReportFormat::Markdown},
                        {QStringLiteral("json"), ApiBackend::ReportFormat::Json},
                        {QStringLiteral("pdf"), ApiBackend::ReportFormat::Pdf},
                    };
                    const QString name = r.query.hasQueryItem(QStringLiteral("format"))
                                             ? r.query.queryItemValue(QStringLiteral("format"))
                                             : QStringLiteral("md");
                    if (!formats.contains(name))
                        return HttpResponse::error(
                            400, QStringLiteral("invalid_request"),
                            QStringLiteral("'format' must be md, json or pdf, not '%1'").arg(name));
                    const auto report = backend.incidentReport(caller, *id, formats.value(name));
                    if (!report)
                        return errorResponse(report.error());
                    const auto &done = *report;
                    HttpResponse response;
                    response.contentType = done.contentType;
                    response.body = done.body;
                    // The data is for programs; the documents are downloads.
                    if (formats.value(name) != ApiBackend::ReportFormat::Json)
                        response.headers.append(
                            {"Content-Disposition",
                             "attachment; filename=\"" + done.fileName.toUtf8() + '"'});
                    return response;
                });

    signedRoute("GET", QStringLiteral("/api/v1/deliveries"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto page = pageParams(r);
                    if (!page)
                        return errorResponse(page.error());
                    const auto [limit, offset] = *page;
                    return HttpResponse::json(
                        200, QJsonObject{{"deliveries", protocol::toJsonArray(backend.deliveries(
                                                            caller.who, limit, offset))}});
                });

    signedRoute("GET", QStringLiteral("/api/v1/audit"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    const auto limit = intParam(r, QStringLiteral("limit"), 1000, 1, 10'000);
                    if (!limit)
                        return errorResponse(limit.error());
                    bool ok = true;
                    const qint64 after =
                        r.query.hasQueryItem(QStringLiteral("after_id"))
                            ? r.query.queryItemValue(QStringLiteral("after_id")).toLongLong(&ok)
                            : 0;
                    if (!ok || after < 0)
                        return errorResponse({QStringLiteral("invalid_request"),
                                              QStringLiteral("'after_id' must be a whole number "
                                                             "of 0 or more")});
                    return answer(backend.auditEntries(caller, after, *limit), 200,
                                  [](const QList<audit::Entry> &entries) {
                                      QJsonArray rows;
                                      for (const auto &e : entries)
                                          rows.append(e.toJson());
                                      return QJsonObject{{"entries", rows}};
                                  });
                });

    signedRoute("GET", QStringLiteral("/api/v1/users"),
                [&backend](const HttpRequest &, const Caller &caller) {
                    return answer(backend.users(caller), 200, [](const QList<store::User> &users) {
                        QJsonArray out;
                        for (const auto &u : users)
                            out.append(auth::Accounts::userJson(u));
                        return QJsonObject{{"users", out}};
                    });
                });

    signedRoute("POST", QStringLiteral("/api/v1/users"),
                [&backend](const HttpRequest &r, const Caller &caller) {
                    JsonBody body(r.body);
                    const auto name =
                        body.string(QStringLiteral("name"), true, 64).value_or(QString());
                    const auto password =
                        body.string(QStringLiteral("password"), false, 1024).value_or(QString());
                    const auto roles = body.value(QStringLiteral("roles"));
                    if (const auto finished = body.finish(); !finished)
                        return errorResponse(finished.error());
                    if (!roles || !roles->isObject())
                        return errorResponse({QStringLiteral("invalid_request"),
                                              QStringLiteral("'roles' must map environments to "
                                                             "lists of roles")});
                    return answer(backend.addUser(caller, name, password, roles->toObject()), 201,
                                  &auth::Accounts::userJson);
                });

    signedRoute(
        "GET", QStringLiteral("/api/v1/users/{name}/tokens"),
        [&backend](const HttpRequest &r, const Caller &caller) {
            return answer(backend.tokens(caller, r.params.value(QStringLiteral("name"))), 200,
                          [](const QList<store::Token> &tokens) {
                              QJsonArray out;
                              for (const auto &t : tokens)
                                  out.append(auth::Accounts::tokenJson(t));
                              return QJsonObject{{"tokens", out}};
                          });
        },
        true);

    signedRoute(
        "POST", QStringLiteral("/api/v1/users/{name}/tokens"),
        [&backend](const HttpRequest &r, const Caller &caller) {
            JsonBody body(r.body.isEmpty() ? QByteArrayLiteral("{}") : r.body);
            const auto name = body.string(QStringLiteral("name"), false, 128)
                                  .value_or(QStringLiteral("api token"));
            const auto ttl = body.value(QStringLiteral("expires_in_seconds"));
            if (const auto finished = body.finish(); !finished)
                return errorResponse(finished.error());
            if (ttl && (!ttl->isDouble() || ttl->toDouble() < 60))
                return errorResponse({QStringLiteral("invalid_request"),
                                      QStringLiteral("'expires_in_seconds' must be a "
                                                     "number of at least 60")});
            const qint64 ttlMs = ttl ? qint64(ttl->toDouble() * 1000) : 0;
            return answer(
                backend.createToken(caller, r.params.value(QStringLiteral("name")), name, ttlMs),
                201, [](const QPair<store::Token, QString> &created) {
                    auto o = auth::Accounts::tokenJson(created.first);
                    // Shown this once; only its hash is kept.
                    o.insert(QStringLiteral("token"), created.second);
                    return o;
                });
        },
        true);

    signedRoute(
        "DELETE", QStringLiteral("/api/v1/tokens/{id}"),
        [&backend](const HttpRequest &r, const Caller &caller) {
            const auto id = idParam(r, QStringLiteral("token"));
            if (!id)
                return id.error();
            return answer(backend.revokeToken(caller, *id), 200, &auth::Accounts::tokenJson);
        },
        true);
}

QJsonObject principalJson(const auth::Principal &p)
{
    QJsonObject roles;
    for (auto it = p.roles.cbegin(); it != p.roles.cend(); ++it)
        roles.insert(it.key(), QJsonArray::fromStringList(it.value()));
    QJsonObject o{{"name", p.name}, {"roles", roles}, {"token_kind", p.tokenKind}};
    if (p.expiresAtMs > 0)
        o.insert(QStringLiteral("expires_at"), protocol::isoTime(p.expiresAtMs));
    return o;
}

} // namespace rwd::api
