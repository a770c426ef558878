// The Daemon as the API's backend: who may do what (roles per environment), the audit of every
// command, and reading filtered to what the caller may see.
#include "api/restapi.h"
#include "api/websocketapi.h"
#include "audit/auditlog.h"
#include "daemon.h"
#include "events/eventhub.h"
#include "logging/logging.h"
#include "monitor/metrichistory.h"
#include "orchestrator/orchestrator.h"
#include "releases/releasetracker.h"
#include "rules/ruleengine.h"
#include "store/store.h"

#include <QJsonArray>

namespace rwd::daemon {

namespace {

auto log()
{
    return logging::get("api");
}

constexpr int kRecentRollbacks = 20;
// Upper bounds of the rollback duration histogram, in seconds.
constexpr std::array<double, 9> kDurationBuckets{1, 5, 15, 30, 60, 120, 300, 900, 3600};

Error forbidden(const QString &message)
{
    return {QStringLiteral("forbidden"), message};
}

} // namespace

QString Daemon::environmentOf(const QString &service) const
{
    const auto *s = m_config->service(service);
    return s ? s->environment : QString();
}

bool Daemon::mayRead(const auth::Principal &who, const QString &service) const
{
    const QString env = environmentOf(service);
    // A service no longer configured: only admins of every environment see its history.
    return env.isEmpty() ? who.may(auth::Permission::Admin) : who.may(auth::Permission::Read, env);
}

bool Daemon::mayReadAny(const auth::Principal &who, const QStringList &services) const
{
    if (services.isEmpty())
        return who.may(auth::Permission::Read);
    for (const auto &s : services) {
        if (mayRead(who, s))
            return true;
    }
    return false;
}

std::optional<Error> Daemon::require(const auth::Principal &who, auth::Permission permission,
                                     const QStringList &services) const
{
    if (permission == auth::Permission::Admin) {
        if (!who.may(permission))
            return forbidden(
                QStringLiteral("%1 is not an admin of every environment").arg(who.name));
        return std::nullopt;
    }
    for (const auto &service : services) {
        const QString env = environmentOf(service);
        if (env.isEmpty())
            continue; // unknown services are refused by what comes next, with their own code
        if (!who.may(permission, env))
            return forbidden(QStringLiteral("%1 needs the %2 role in %3 (for %4)")
                                 .arg(who.name, auth::permissionName(permission), env, service));
    }
    return std::nullopt;
}

void Daemon::auditCommand(const api::Caller &caller, const QString &action, const QString &target,
                          const QJsonObject &details)
{
    if (m_audit)
        m_audit->record(caller.who.name, caller.source, action, target, details);
}

std::variant<auth::Principal, Error> Daemon::authenticate(const QString &token)
{
    return m_accounts->authenticate(token);
}

std::variant<auth::Accounts::Session, Error> Daemon::login(const QString &name,
                                                           const QString &password,
                                                           const QString &source,
                                                           qint64 *retryAfterMs)
{
    auto session = m_accounts->login(name, password, source, retryAfterMs);
    if (const auto *error = std::get_if<Error>(&session)) {
        log()->warn("sign-in of '{}' from {} refused: {}", name, source, error->code);
        m_audit->record(name, source, QStringLiteral("login_failed"),
                        QStringLiteral("user ") + name, {{"code", error->code}});
    } else {
        log()->info("'{}' signed in from {}", name, source);
        m_audit->record(name, source, QStringLiteral("login"), QStringLiteral("user ") + name);
    }
    return session;
}

void Daemon::logout(const api::Caller &caller)
{
    if (m_accounts->logout(caller.who))
        auditCommand(caller, QStringLiteral("logout"), QStringLiteral("user ") + caller.who.name);
}

QList<protocol::ServiceStatus> Daemon::services(const auth::Principal &who) const
{
    QList<protocol::ServiceStatus> out;
    for (const auto &s : allServices()) {
        if (mayRead(who, s.name))
            out.append(s);
    }
    return out;
}

QJsonObject Daemon::permissions(const auth::Principal &who) const
{
    QJsonObject out;
    for (const auto &env : m_config->environments) {
        const bool admin = who.hasRole(QStringLiteral("admin"), env.name);
        // Who may approve follows the policy's roles, as the orchestrator decides (approvals).
        bool approve = admin;
        for (const auto &role : env.approval.roles)
            approve = approve || who.hasRole(role, env.name);
        QJsonArray may;
        if (who.may(auth::Permission::Read, env.name))
            may.append(QStringLiteral("read"));
        if (who.may(auth::Permission::Deploy, env.name))
            may.append(QStringLiteral("deploy"));
        if (who.may(auth::Permission::Operate, env.name))
            may.append(QStringLiteral("operate"));
        if (approve)
            may.append(QStringLiteral("approve"));
        if (admin)
            may.append(QStringLiteral("admin"));
        if (!may.isEmpty())
            out.insert(env.name, may);
    }
    return out;
}

namespace {

// A stored rollback as the orchestrator holds it while it is active: the store keeps what is
// journaled, the orchestrator also what the policy adds (approvals needed, when they expire).
protocol::RollbackInfo withLiveState(const protocol::RollbackInfo &stored,
                                     const QList<protocol::RollbackInfo> &active)
{
    for (const auto &a : active) {
        if (a.id == stored.id)
            return a;
    }
    return stored;
}

} // namespace

protocol::Snapshot Daemon::snapshot(const auth::Principal &who) const
{
    protocol::Snapshot s;
    s.services = services(who);
    const auto active = m_orchestrator->active();
    for (const auto &r : m_store->rollbacks(kRecentRollbacks)) {
        if (mayReadAny(who, r.services()))
            s.rollbacks.append(withLiveState(r, active));
    }
    return s;
}

QList<protocol::ReleaseInfo> Daemon::releases(const auth::Principal &who, const QString &service,
                                              int limit) const
{
    QList<protocol::ReleaseInfo> out;
    for (auto r : m_store->releases(service, limit)) {
        if (!mayRead(who, r.service))
            continue;
        // The release being verified says how far it is, as of now.
        if (r.state == ReleaseState::Live && !r.verification.final &&
            m_store->currentReleaseId(r.service) == r.id)
            r.verification = verificationOf(r);
        out.append(r);
    }
    return out;
}

QList<protocol::RollbackInfo> Daemon::rollbacks(const auth::Principal &who,
                                                const RollbackFilter &filter) const
{
    QList<protocol::RollbackInfo> out;
    const auto active = m_orchestrator->active();
    for (const auto &r :
         m_store->rollbacks(filter.limit, filter.offset, filter.state, filter.service)) {
        if (mayReadAny(who, r.services()))
            out.append(withLiveState(r, active));
    }
    return out;
}

std::optional<protocol::RollbackInfo> Daemon::rollback(const auth::Principal &who, qint64 id) const
{
    for (const auto &active : m_orchestrator->active()) {
        if (active.id == id)
            return mayReadAny(who, active.services()) ? std::optional(active) : std::nullopt;
    }
    auto r = m_store->rollback(id);
    if (!r || !mayReadAny(who, r->services()))
        return std::nullopt;
    return r;
}

QList<protocol::SnapshotInfo> Daemon::snapshots(const auth::Principal &who, const QString &service,
                                                bool withPruned) const
{
    QList<protocol::SnapshotInfo> out;
    for (const auto &s : m_store->snapshots(service, withPruned)) {
        if (mayRead(who, s.service))
            out.append(s);
    }
    return out;
}

QList<protocol::FreezeInfo> Daemon::freezes(const auth::Principal &who) const
{
    QList<protocol::FreezeInfo> out;
    for (const auto &service : m_config->services) {
        if (!mayRead(who, service.name))
            continue;
        if (auto f = m_orchestrator->freezeOf(service.name))
            out.append(*f);
    }
    return out;
}

QList<protocol::IncidentInfo> Daemon::incidents(const auth::Principal &who, int limit,
                                                int offset) const
{
    QList<protocol::IncidentInfo> out;
    for (const auto &i : m_store->incidents(limit, offset)) {
        if (mayReadAny(who, i.services))
            out.append(i);
    }
    return out;
}

std::optional<protocol::IncidentInfo> Daemon::incident(const auth::Principal &who, qint64 id) const
{
    auto i = m_store->incident(id);
    if (!i || !mayReadAny(who, i->services))
        return std::nullopt;
    return i;
}

QList<protocol::DeliveryInfo> Daemon::deliveries(const auth::Principal &who, int limit,
                                                 int offset) const
{
    if (!who.may(auth::Permission::Read))
        return {};
    auto list = m_store->deliveries(limit, offset);
    if (who.may(auth::Permission::Admin))
        return list;
    // Others see the deliveries about rollbacks they may see.
    list.removeIf([&](const protocol::DeliveryInfo &d) {
        const auto r = d.rollbackId > 0 ? m_store->rollback(d.rollbackId) : std::nullopt;
        return !r || !mayReadAny(who, r->services());
    });
    return list;
}

bool Daemon::maySee(const auth::Principal &who, const QStringList &scope) const
{
    return mayReadAny(who, scope);
}

bool Daemon::mayReadService(const auth::Principal &who, const QString &service) const
{
    return m_config->service(service) && mayRead(who, service);
}

std::variant<api::ApiBackend::MetricSeries, Error>
Daemon::metricSeries(const auth::Principal &who, const QString &service,
                     const MetricsRange &range) const
{
    // The default window: what a chart shows when it opens.
    constexpr qint64 kDefaultRangeMs = 15 * 60'000;
    if (!mayReadService(who, service))
        return Error{QStringLiteral("unknown_service"),
                     QStringLiteral("no service named '%1'").arg(service)};
    const qint64 until = range.untilMs.value_or(m_clock.nowMs());
    const qint64 since = range.sinceMs.value_or(until - kDefaultRangeMs);
    if (since >= until)
        return Error{QStringLiteral("invalid_request"),
                     QStringLiteral("'since' (%1) must be before 'until' (%2)")
                         .arg(protocol::isoTime(since), protocol::isoTime(until))};
    return MetricSeries{m_history->stepMs(),
                        m_history->series(service, since, until, range.prefixes)};
}

QList<QPair<QString, double>> Daemon::metricStep(const QString &service, qint64 stepStartMs) const
{
    return m_history->step(service, stepStartMs);
}

qint64 Daemon::metricStepMs() const
{
    return m_history ? m_history->stepMs() : m_config->server.historyStepMs;
}

std::variant<protocol::ReleaseInfo, Error>
Daemon::recordDeployment(const api::Caller &caller, const releases::DeploymentRequest &request)
{
    if (const auto refused = require(caller.who, auth::Permission::Deploy, {request.service}))
        return *refused;
    auto r = request;
    if (r.deployedBy.isEmpty())
        r.deployedBy = caller.who.name;
    if (!r.freezeOverride.isEmpty() && m_orchestrator->freezeOf(r.service) &&
        !caller.who.hasRole(QStringLiteral("admin"), environmentOf(r.service)))
        return forbidden(QStringLiteral("only an admin of %1 may override a deployment freeze")
                             .arg(environmentOf(r.service)));
    auto result = recordRelease(r);
    if (const auto *release = std::get_if<protocol::ReleaseInfo>(&result)) {
        QJsonObject details{{"version", release->version},
                            {"target", release->target},
                            {"artifact", release->artifact},
                            {"release_id", release->id}};
        if (!release->freezeOverride.isEmpty())
            details.insert(QStringLiteral("freeze_override"), release->freezeOverride);
        auditCommand(caller, QStringLiteral("deployment_recorded"), request.service, details);
    }
    return result;
}

std::variant<protocol::RollbackInfo, Error>
Daemon::requestRollback(const api::Caller &caller, orchestrator::RollbackRequest request)
{
    request.requestedBy = caller.who.name;
    request.trigger =
        caller.who.tokenKind == u"session" ? QStringLiteral("manual") : QStringLiteral("api");
    // The plan first: the class may take more services along, each of which needs the role.
    auto dry = request;
    dry.dryRun = true;
    const auto plan = m_orchestrator->request(dry);
    if (const auto *error = std::get_if<Error>(&plan)) {
        if (const auto refused = require(caller.who, auth::Permission::Read, request.services))
            return *refused;
        return *error;
    }
    const auto services = std::get<protocol::RollbackInfo>(plan).services();
    if (const auto refused =
            require(caller.who, request.dryRun ? auth::Permission::Read : auth::Permission::Operate,
                    services))
        return *refused;
    if (request.dryRun)
        return plan;
    auto result = m_orchestrator->request(request);
    if (const auto *info = std::get_if<protocol::RollbackInfo>(&result))
        auditCommand(caller, QStringLiteral("rollback_requested"),
                     QStringLiteral("rollback #%1").arg(info->id),
                     {{"services", QJsonArray::fromStringList(services)},
                      {"class", request.rollbackClass},
                      {"reason", request.reason}});
    return result;
}

std::variant<protocol::RollbackInfo, Error>
Daemon::decideRollback(const api::Caller &caller, qint64 id, bool approve, const QString &comment)
{
    if (!rollback(caller.who, id))
        return Error{QStringLiteral("not_found"), QStringLiteral("no rollback #%1").arg(id)};
    auto result = approve ? m_orchestrator->approve(id, caller.who.name, caller.who.roles, comment)
                          : m_orchestrator->reject(id, caller.who.name, caller.who.roles, comment);
    if (std::holds_alternative<protocol::RollbackInfo>(result))
        auditCommand(caller,
                     approve ? QStringLiteral("rollback_approved")
                             : QStringLiteral("rollback_rejected"),
                     QStringLiteral("rollback #%1").arg(id), {{"comment", comment}});
    else
        auditCommand(caller,
                     approve ? QStringLiteral("rollback_approval_refused")
                             : QStringLiteral("rollback_rejection_refused"),
                     QStringLiteral("rollback #%1").arg(id),
                     {{"code", std::get<Error>(result).code}});
    return result;
}

std::variant<protocol::RollbackInfo, Error> Daemon::abortRollback(const api::Caller &caller,
                                                                  qint64 id, const QString &reason)
{
    const auto current = rollback(caller.who, id);
    if (!current)
        return Error{QStringLiteral("not_found"), QStringLiteral("no rollback #%1").arg(id)};
    if (current->requestedBy != caller.who.name) {
        if (const auto refused =
                require(caller.who, auth::Permission::Operate, current->services()))
            return *refused;
    }
    auto result = m_orchestrator->abort(id, caller.who.name, reason);
    if (std::holds_alternative<protocol::RollbackInfo>(result))
        auditCommand(caller, QStringLiteral("rollback_aborted"),
                     QStringLiteral("rollback #%1").arg(id), {{"reason", reason}});
    return result;
}

std::variant<protocol::IncidentInfo, Error> Daemon::addIncidentNote(const api::Caller &caller,
                                                                    qint64 id, const QString &text)
{
    const auto current = incident(caller.who, id);
    if (!current)
        return Error{QStringLiteral("not_found"), QStringLiteral("no incident #%1").arg(id)};
    bool allowed = false;
    for (const auto &s : current->services)
        allowed = allowed || caller.who.may(auth::Permission::Operate, environmentOf(s));
    if (!allowed)
        return forbidden(QStringLiteral("%1 needs the operator role in an environment of the "
                                        "incident's services")
                             .arg(caller.who.name));
    if (!m_store->addIncidentNote(id,
                                  {m_clock.nowMs(), caller.who.name, QStringLiteral("note"), text}))
        return Error{
            QStringLiteral("store_failed"),
            QStringLiteral("the note could not be recorded: %1").arg(m_store->writeError())};
    m_events->publish(
        events::IncidentUpdated{id, QStringLiteral("note"), text, {}, current->services});
    auditCommand(caller, QStringLiteral("incident_note_added"),
                 QStringLiteral("incident #%1").arg(id));
    return *m_store->incident(id);
}

std::variant<qint64, Error> Daemon::pushSignal(const api::Caller &caller, const QString &service,
                                               const QString &check, const QJsonObject &signal)
{
    if (const auto refused = require(caller.who, auth::Permission::Deploy, {service}))
        return *refused;
    auto result = feedSignal(service, check, signal);
    if (std::holds_alternative<qint64>(result))
        auditCommand(caller, QStringLiteral("signal_pushed"), service, {{"check", check}});
    return result;
}

std::variant<QList<store::Store::User>, Error> Daemon::users(const api::Caller &caller)
{
    if (const auto refused = require(caller.who, auth::Permission::Admin, {}))
        return *refused;
    return m_accounts->users();
}

std::variant<store::Store::User, Error> Daemon::addUser(const api::Caller &caller,
                                                        const QString &name,
                                                        const QString &password,
                                                        const QJsonObject &roles)
{
    if (const auto refused = require(caller.who, auth::Permission::Admin, {}))
        return *refused;
    for (auto it = roles.begin(); it != roles.end(); ++it) {
        if (it.key() != u"*" && !m_config->environment(it.key()))
            return Error{QStringLiteral("invalid_request"),
                         QStringLiteral("roles name environment '%1', which is not configured")
                             .arg(it.key())};
    }
    auto result = m_accounts->addUser(name, password, roles);
    if (std::holds_alternative<store::Store::User>(result))
        auditCommand(caller, QStringLiteral("user_added"), QStringLiteral("user ") + name,
                     {{"roles", roles}, {"password", !password.isEmpty()}});
    return result;
}

std::variant<QPair<store::Store::Token, QString>, Error>
Daemon::createToken(const api::Caller &caller, const QString &user, const QString &name,
                    qint64 ttlMs)
{
    if (user != caller.who.name) {
        if (const auto refused = require(caller.who, auth::Permission::Admin, {}))
            return *refused;
    }
    auto result = m_accounts->createToken(user, name, ttlMs);
    if (const auto *created = std::get_if<QPair<store::Store::Token, QString>>(&result))
        auditCommand(caller, QStringLiteral("token_created"), QStringLiteral("user ") + user,
                     {{"token_id", created->first.id}, {"name", name}});
    return result;
}

std::variant<QList<store::Store::Token>, Error> Daemon::tokens(const api::Caller &caller,
                                                               const QString &user)
{
    if (user != caller.who.name) {
        if (const auto refused = require(caller.who, auth::Permission::Admin, {}))
            return *refused;
    }
    const auto u = m_store->user(user);
    if (!u)
        return Error{QStringLiteral("not_found"), QStringLiteral("no user named '%1'").arg(user)};
    return m_store->tokens(u->id);
}

std::variant<store::Store::Token, Error> Daemon::revokeToken(const api::Caller &caller, qint64 id)
{
    auto result = m_accounts->revokeToken(id, caller.who);
    if (std::holds_alternative<store::Store::Token>(result))
        auditCommand(caller, QStringLiteral("token_revoked"), QStringLiteral("token #%1").arg(id));
    return result;
}

std::variant<QList<audit::Entry>, Error> Daemon::auditEntries(const api::Caller &caller,
                                                              qint64 afterId, int limit)
{
    if (const auto refused = require(caller.who, auth::Permission::Admin, {}))
        return *refused;
    return m_store->auditEntries(afterId, limit);
}

void Daemon::countRollback(const protocol::RollbackInfo &rollback)
{
    ++m_rollbackOutcomes[wireName(rollback.state)];
    const double seconds = double(rollback.finishedAtMs - rollback.createdAtMs) / 1000.0;
    if (m_rollbackDurations.size() != kDurationBuckets.size())
        m_rollbackDurations.assign(kDurationBuckets.size(), 0);
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
        if (seconds <= kDurationBuckets[i])
            ++m_rollbackDurations[i];
    }
    m_rollbackSecondsSum += seconds;
    ++m_rollbackCount;
}

QJsonObject Daemon::health(bool *serving) const
{
    const bool writable = m_store && m_store->writable();
    QJsonObject store{{"writable", writable}};
    if (!writable && m_store)
        store.insert(QStringLiteral("error"), m_store->writeError());
    QJsonArray impaired;
    for (auto service = m_checkErrors.cbegin(); service != m_checkErrors.cend(); ++service) {
        for (auto it = service->cbegin(); it != service->cend(); ++it)
            impaired.append(QJsonObject{{"service", service.key()},
                                        {"check", it.key()},
                                        {"error", it->error},
                                        {"since", protocol::isoTime(it->sinceMs)},
                                        {"count", it->count}});
    }
    QJsonObject api;
    if (const auto *guard = m_http ? m_http->guard() : nullptr) {
        const auto &st = guard->stats();
        api = QJsonObject{{"connections", guard->open()},
                          {"connection_limit", guard->cap()},
                          {"refused", qint64(st.refused)},
                          {"evicted", qint64(st.evicted)},
                          {"timed_out", qint64(st.timedOut)}};
    }
    *serving = writable;
    return QJsonObject{{"status", !writable            ? "failing"
                                  : impaired.isEmpty() ? "ok"
                                                       : "degraded"},
                       {"store", store},
                       {"check_errors", impaired},
                       {"api", api}};
}

QByteArray Daemon::metrics() const
{
    QByteArray out;
    const auto line = [&out](const QByteArray &text) { out += text + '\n'; };
    const auto label = [](const QString &value) {
        QString v = value;
        v.replace(u'\\', QStringLiteral("\\\\"))
            .replace(u'"', QStringLiteral("\\\""))
            .replace(u'\n', QStringLiteral("\\n"));
        return v.toUtf8();
    };
    line("# HELP rewind_up Whether rewindd is serving (always 1 when it answers).");
    line("# TYPE rewind_up gauge");
    line("rewind_up 1");
    line("# HELP rewind_rollbacks_total Rollbacks finished since rewindd started, by outcome.");
    line("# TYPE rewind_rollbacks_total counter");
    for (const auto state :
         {PlanState::Succeeded, PlanState::Failed, PlanState::Aborted, PlanState::NeedsAttention})
        line("rewind_rollbacks_total{outcome=\"" + wireName(state).toUtf8() + "\"} " +
             QByteArray::number(m_rollbackOutcomes.value(wireName(state))));
    line("# HELP rewind_rollbacks_active Rollbacks planned, waiting for approval or running.");
    line("# TYPE rewind_rollbacks_active gauge");
    line("rewind_rollbacks_active " +
         QByteArray::number(m_orchestrator ? m_orchestrator->active().size() : 0));
    line("# HELP rewind_rollback_duration_seconds From plan to end, of finished rollbacks.");
    line("# TYPE rewind_rollback_duration_seconds histogram");
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i)
        line("rewind_rollback_duration_seconds_bucket{le=\"" +
             QByteArray::number(kDurationBuckets[i]) + "\"} " +
             QByteArray::number(i < m_rollbackDurations.size() ? m_rollbackDurations[i] : 0));
    line("rewind_rollback_duration_seconds_bucket{le=\"+Inf\"} " +
         QByteArray::number(m_rollbackCount));
    line("rewind_rollback_duration_seconds_sum " +
         QByteArray::number(m_rollbackSecondsSum, 'g', 10));
    line("rewind_rollback_duration_seconds_count " + QByteArray::number(m_rollbackCount));
    line("# HELP rewind_checks_total Probes of checks since rewindd started, by outcome.");
    line("# TYPE rewind_checks_total counter");
    for (auto it = m_checkRuns.cbegin(); it != m_checkRuns.cend(); ++it) {
        const auto parts = it.key().split(u'\x1f');
        line("rewind_checks_total{service=\"" + label(parts.value(0)) + "\",check=\"" +
             label(parts.value(1)) + "\",outcome=\"" + label(parts.value(2)) + "\"} " +
             QByteArray::number(it.value()));
    }
    line("# HELP rewind_rule_evaluations_total Rule evaluations since the configuration was "
         "loaded.");
    line("# TYPE rewind_rule_evaluations_total counter");
    line("rewind_rule_evaluations_total " +
         QByteArray::number(m_rules ? m_rules->evaluations() : 0));
    line("# HELP rewind_metric_history_bytes Memory the metric history's ring buffers hold (fixed "
         "by the configuration).");
    line("# TYPE rewind_metric_history_bytes gauge");
    line("rewind_metric_history_bytes " +
         QByteArray::number(quint64(m_history ? m_history->memoryBytes() : 0)));
    line("# HELP rewind_store_writable Whether the store accepted the last write (0: failing; "
         "nothing is acted on that cannot be recorded).");
    line("# TYPE rewind_store_writable gauge");
    line(QByteArray("rewind_store_writable ") + (m_store && m_store->writable() ? "1" : "0"));
    line("# HELP rewind_check_errors_active Checks whose latest probe Rewind itself could not "
         "make.");
    line("# TYPE rewind_check_errors_active gauge");
    qsizetype erring = 0;
    for (const auto &checks : m_checkErrors)
        erring += checks.size();
    line("rewind_check_errors_active " + QByteArray::number(erring));
    if (const auto *guard = m_http ? m_http->guard() : nullptr) {
        line("# HELP rewind_api_connections Connections the API holds, and the most it may hold.");
        line("# TYPE rewind_api_connections gauge");
        line("rewind_api_connections " + QByteArray::number(guard->open()));
        line("# HELP rewind_api_connection_limit The most connections the API may hold.");
        line("# TYPE rewind_api_connection_limit gauge");
        line("rewind_api_connection_limit " + QByteArray::number(guard->cap()));
        line("# HELP rewind_api_connections_closed_total Connections the API closed to protect "
             "itself, by reason.");
        line("# TYPE rewind_api_connections_closed_total counter");
        const auto &st = guard->stats();
        for (const auto &[reason, count] :
             {std::pair{"refused", st.refused}, std::pair{"evicted", st.evicted},
              std::pair{"timed_out", st.timedOut}, std::pair{"accept_error", st.acceptErrors}})
            line(QByteArray("rewind_api_connections_closed_total{reason=\"") + reason + "\"} " +
                 QByteArray::number(count));
    }
    line("# HELP rewind_websocket_clients WebSocket clients connected to /ws/v1.");
    line("# TYPE rewind_websocket_clients gauge");
    line("rewind_websocket_clients " + QByteArray::number(m_ws ? m_ws->clientCount() : 0));
    line("# HELP rewind_events_total Events published since rewindd started (the last sequence "
         "number).");
    line("# TYPE rewind_events_total counter");
    line("rewind_events_total " + QByteArray::number(m_events ? m_events->lastSeq() : 0));
    line("# HELP rewind_notification_deliveries Recent notification deliveries, by notifier and "
         "state.");
    line("# TYPE rewind_notification_deliveries gauge");
    QHash<QString, quint64> deliveries;
    for (const auto &d : m_store->deliveries(10'000))
        ++deliveries[d.notifier + u'\x1f' + d.state];
    for (auto it = deliveries.cbegin(); it != deliveries.cend(); ++it) {
        const auto parts = it.key().split(u'\x1f');
        line("rewind_notification_deliveries{notifier=\"" + label(parts.value(0)) + "\",state=\"" +
             label(parts.value(1)) + "\"} " + QByteArray::number(it.value()));
    }
    return out;
}

} // namespace rwd::daemon
