// The API's backend: each command authorised (Access), carried out by the part it belongs to,
// and audited; reading filtered to what the caller may see.
#include "apiservice.h"

#include "api/restapi.h"
#include "api/websocketapi.h"
#include "audit/auditlog.h"
#include "events/eventhub.h"
#include "logging/logging.h"
#include "monitor/metrichistory.h"
#include "orchestrator/orchestrator.h"
#include "releases/releasetracker.h"
#include "rules/ruleengine.h"
#include "store/store.h"

#include <QJsonArray>

namespace rwd::server {

namespace {

auto log()
{
    return logging::get("api");
}

constexpr int kRecentRollbacks = 20;

} // namespace

ApiService::ApiService(const Parts &parts)
    : m_config(parts.config)
    , m_clock(*parts.clock)
    , m_store(parts.store)
    , m_accounts(parts.accounts)
    , m_audit(parts.audit)
    , m_events(parts.events)
    , m_orchestrator(parts.orchestrator)
    , m_releases(parts.releases)
    , m_rules(parts.rules)
    , m_history(parts.history)
    , m_runtime(parts.runtime)
    , m_access(*parts.config)
{}

QJsonObject ApiService::permissions(const auth::Principal &who) const
{
    return m_access.permissions(who);
}

void ApiService::auditCommand(const api::Caller &caller, const QString &action,
                              const QString &target, const QJsonObject &details)
{
    if (m_audit)
        m_audit->record(caller.who.name, caller.source, action, target, details);
}

Result<auth::Principal> ApiService::authenticate(const QString &token)
{
    return m_accounts->authenticate(token);
}

Result<auth::Accounts::Session> ApiService::login(const QString &name, const QString &password,
                                                  const QString &source, qint64 *retryAfterMs)
{
    auto session = m_accounts->login(name, password, source, retryAfterMs);
    if (!session) {
        log()->warn("sign-in of '{}' from {} refused: {}", name, source, session.error().code);
        m_audit->record(name, source, QStringLiteral("login_failed"),
                        QStringLiteral("user ") + name, {{"code", session.error().code}});
    } else {
        log()->info("'{}' signed in from {}", name, source);
        m_audit->record(name, source, QStringLiteral("login"), QStringLiteral("user ") + name);
    }
    return session;
}

void ApiService::logout(const api::Caller &caller)
{
    if (m_accounts->logout(caller.who))
        auditCommand(caller, QStringLiteral("logout"), QStringLiteral("user ") + caller.who.name);
}

QList<protocol::ServiceStatus> ApiService::services(const auth::Principal &who) const
{
    QList<protocol::ServiceStatus> out;
    for (const auto &s : m_runtime->allServices()) {
        if (m_access.mayRead(who, s.name))
            out.append(s);
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

protocol::Snapshot ApiService::snapshot(const auth::Principal &who) const
{
    protocol::Snapshot s;
    s.services = services(who);
    const auto active = m_orchestrator->active();
    for (const auto &r : m_store->rollbacks().list(kRecentRollbacks)) {
        if (m_access.mayReadAny(who, r.services()))
            s.rollbacks.append(withLiveState(r, active));
    }
    return s;
}

QList<protocol::ReleaseInfo> ApiService::releases(const auth::Principal &who,
                                                  const QString &service, int limit) const
{
    QList<protocol::ReleaseInfo> out;
    for (auto r : m_store->releases().list(service, limit)) {
        if (!m_access.mayRead(who, r.service))
            continue;
        // The release being verified says how far it is, as of now.
        if (r.state == ReleaseState::Live && !r.verification.final &&
            m_store->releases().currentId(r.service) == r.id)
            r.verification = m_runtime->verificationOf(r);
        out.append(r);
    }
    return out;
}

QList<protocol::RollbackInfo> ApiService::rollbacks(const auth::Principal &who,
                                                    const RollbackFilter &filter) const
{
    QList<protocol::RollbackInfo> out;
    const auto active = m_orchestrator->active();
    for (const auto &r :
         m_store->rollbacks().list(filter.limit, filter.offset, filter.state, filter.service)) {
        if (m_access.mayReadAny(who, r.services()))
            out.append(withLiveState(r, active));
    }
    return out;
}

std::optional<protocol::RollbackInfo> ApiService::rollback(const auth::Principal &who,
                                                           qint64 id) const
{
    for (const auto &active : m_orchestrator->active()) {
        if (active.id == id)
            return m_access.mayReadAny(who, active.services()) ? std::optional(active)
                                                               : std::nullopt;
    }
    auto r = m_store->rollbacks().find(id);
    if (!r || !m_access.mayReadAny(who, r->services()))
        return std::nullopt;
    return r;
}

QList<protocol::SnapshotInfo> ApiService::snapshots(const auth::Principal &who,
                                                    const QString &service, bool withPruned) const
{
    QList<protocol::SnapshotInfo> out;
    for (const auto &s : m_store->snapshots().list(service, withPruned)) {
        if (m_access.mayRead(who, s.service))
            out.append(s);
    }
    return out;
}

QList<protocol::FreezeInfo> ApiService::freezes(const auth::Principal &who) const
{
    QList<protocol::FreezeInfo> out;
    for (const auto &service : m_config->services) {
        if (!m_access.mayRead(who, service.name))
            continue;
        if (auto f = m_orchestrator->freezeOf(service.name))
            out.append(*f);
    }
    return out;
}

QList<protocol::IncidentInfo> ApiService::incidents(const auth::Principal &who, int limit,
                                                    int offset) const
{
    QList<protocol::IncidentInfo> out;
    for (const auto &i : m_store->incidents().list(limit, offset)) {
        if (m_access.mayReadAny(who, i.services))
            out.append(i);
    }
    return out;
}

std::optional<protocol::IncidentInfo> ApiService::incident(const auth::Principal &who,
                                                           qint64 id) const
{
    auto i = m_store->incidents().find(id);
    if (!i || !m_access.mayReadAny(who, i->services))
        return std::nullopt;
    return i;
}

QList<protocol::DeliveryInfo> ApiService::deliveries(const auth::Principal &who, int limit,
                                                     int offset) const
{
    if (!m_access.mayReadAny(who, {}))
        return {};
    auto list = m_store->deliveries().list(limit, offset);
    if (m_access.require(who, auth::Permission::Admin, {}))
        return list;
    // Others see the deliveries about rollbacks they may see.
    list.removeIf([&](const protocol::DeliveryInfo &d) {
        const auto r = d.rollbackId > 0 ? m_store->rollbacks().find(d.rollbackId) : std::nullopt;
        return !r || !m_access.mayReadAny(who, r->services());
    });
    return list;
}

bool ApiService::maySee(const auth::Principal &who, const QStringList &scope) const
{
    return m_access.mayReadAny(who, scope);
}

bool ApiService::mayReadService(const auth::Principal &who, const QString &service) const
{
    return m_config->service(service) && m_access.mayRead(who, service);
}

Result<api::ApiBackend::MetricSeries> ApiService::metricSeries(const auth::Principal &who,
                                                               const QString &service,
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

QList<QPair<QString, double>> ApiService::metricStep(const QString &service,
                                                     qint64 stepStartMs) const
{
    return m_history->step(service, stepStartMs);
}

qint64 ApiService::metricStepMs() const
{
    return m_history ? m_history->stepMs() : m_config->server.historyStepMs;
}

Result<protocol::ReleaseInfo>
ApiService::recordDeployment(const api::Caller &caller, const releases::DeploymentRequest &request)
{
    if (const auto allowed =
            m_access.require(caller.who, auth::Permission::Deploy, {request.service});
        !allowed)
        return allowed.error();
    auto r = request;
    if (r.deployedBy.isEmpty())
        r.deployedBy = caller.who.name;
    if (!r.freezeOverride.isEmpty() && m_orchestrator->freezeOf(r.service)) {
        if (const auto allowed = m_access.requireFreezeOverride(caller.who, r.service); !allowed)
            return allowed.error();
    }
    auto result = m_runtime->recordRelease(r);
    if (result) {
        QJsonObject details{{"version", result->version},
                            {"target", result->target},
                            {"artifact", result->artifact},
                            {"release_id", result->id}};
        if (!result->freezeOverride.isEmpty())
            details.insert(QStringLiteral("freeze_override"), result->freezeOverride);
        auditCommand(caller, QStringLiteral("deployment_recorded"), request.service, details);
    }
    return result;
}

Result<protocol::RollbackInfo> ApiService::requestRollback(const api::Caller &caller,
                                                           orchestrator::RollbackRequest request)
{
    request.requestedBy = caller.who.name;
    request.trigger =
        caller.who.tokenKind == u"session" ? QStringLiteral("manual") : QStringLiteral("api");
    // The plan first: the class may take more services along, each of which needs the role.
    auto dry = request;
    dry.dryRun = true;
    auto plan = m_orchestrator->request(dry);
    if (!plan) {
        if (const auto allowed =
                m_access.require(caller.who, auth::Permission::Read, request.services);
            !allowed)
            return allowed.error();
        return plan.error();
    }
    const auto services = plan->services();
    if (const auto allowed = m_access.require(
            caller.who, request.dryRun ? auth::Permission::Read : auth::Permission::Operate,
            services);
        !allowed)
        return allowed.error();
    if (request.dryRun)
        return plan;
    auto result = m_orchestrator->request(request);
    if (result)
        auditCommand(caller, QStringLiteral("rollback_requested"),
                     QStringLiteral("rollback #%1").arg(result->id),
                     {{"services", QJsonArray::fromStringList(services)},
                      {"class", request.rollbackClass},
                      {"reason", request.reason}});
    return result;
}

Result<protocol::RollbackInfo> ApiService::decideRollback(const api::Caller &caller, qint64 id,
                                                          bool approve, const QString &comment)
{
    if (!rollback(caller.who, id))
        return Error{QStringLiteral("not_found"), QStringLiteral("no rollback #%1").arg(id)};
    auto result = approve ? m_orchestrator->approve(id, caller.who.name, caller.who.roles, comment)
                          : m_orchestrator->reject(id, caller.who.name, caller.who.roles, comment);
    if (result)
        auditCommand(caller,
                     approve ? QStringLiteral("rollback_approved")
                             : QStringLiteral("rollback_rejected"),
                     QStringLiteral("rollback #%1").arg(id), {{"comment", comment}});
    else
        auditCommand(caller,
                     approve ? QStringLiteral("rollback_approval_refused")
                             : QStringLiteral("rollback_rejection_refused"),
                     QStringLiteral("rollback #%1").arg(id), {{"code", result.error().code}});
    return result;
}

Result<protocol::RollbackInfo> ApiService::abortRollback(const api::Caller &caller, qint64 id,
                                                         const QString &reason)
{
    const auto current = rollback(caller.who, id);
    if (!current)
        return Error{QStringLiteral("not_found"), QStringLiteral("no rollback #%1").arg(id)};
    if (current->requestedBy != caller.who.name) {
        if (const auto allowed =
                m_access.require(caller.who, auth::Permission::Operate, current->services());
            !allowed)
            return allowed.error();
    }
    auto result = m_orchestrator->abort(id, caller.who.name, reason);
    if (result)
        auditCommand(caller, QStringLiteral("rollback_aborted"),
                     QStringLiteral("rollback #%1").arg(id), {{"reason", reason}});
    return result;
}

Result<protocol::IncidentInfo> ApiService::addIncidentNote(const api::Caller &caller, qint64 id,
                                                           const QString &text)
{
    const auto current = incident(caller.who, id);
    if (!current)
        return Error{QStringLiteral("not_found"), QStringLiteral("no incident #%1").arg(id)};
    if (const auto allowed = m_access.requireInAny(caller.who, auth::Permission::Operate,
                                                   current->services, QStringLiteral("incident's"));
        !allowed)
        return allowed.error();
    if (!m_store->incidents().addNote(
            id, {m_clock.nowMs(), caller.who.name, QStringLiteral("note"), text}))
        return Error{
            QStringLiteral("store_failed"),
            QStringLiteral("the note could not be recorded: %1").arg(m_store->writeError())};
    m_events->publish(
        events::IncidentUpdated{id, QStringLiteral("note"), text, {}, current->services});
    auditCommand(caller, QStringLiteral("incident_note_added"),
                 QStringLiteral("incident #%1").arg(id));
    return *m_store->incidents().find(id);
}

Result<qint64> ApiService::pushSignal(const api::Caller &caller, const QString &service,
                                      const QString &check, const QJsonObject &signal)
{
    if (const auto allowed = m_access.require(caller.who, auth::Permission::Deploy, {service});
        !allowed)
        return allowed.error();
    auto result = m_runtime->feedSignal(service, check, signal);
    if (result)
        auditCommand(caller, QStringLiteral("signal_pushed"), service, {{"check", check}});
    return result;
}

Result<QList<store::User>> ApiService::users(const api::Caller &caller)
{
    if (const auto allowed = m_access.require(caller.who, auth::Permission::Admin, {}); !allowed)
        return allowed.error();
    return m_accounts->users();
}

Result<store::User> ApiService::addUser(const api::Caller &caller, const QString &name,
                                        const QString &password, const QJsonObject &roles)
{
    if (const auto allowed = m_access.require(caller.who, auth::Permission::Admin, {}); !allowed)
        return allowed.error();
    for (auto it = roles.begin(); it != roles.end(); ++it) {
        if (it.key() != u"*" && !m_config->environment(it.key()))
            return Error{QStringLiteral("invalid_request"),
                         QStringLiteral("roles name environment '%1', which is not configured")
                             .arg(it.key())};
    }
    auto result = m_accounts->addUser(name, password, roles);
    if (result)
        auditCommand(caller, QStringLiteral("user_added"), QStringLiteral("user ") + name,
                     {{"roles", roles}, {"password", !password.isEmpty()}});
    return result;
}

Result<QPair<store::Token, QString>> ApiService::createToken(const api::Caller &caller,
                                                             const QString &user,
                                                             const QString &name, qint64 ttlMs)
{
    if (user != caller.who.name) {
        if (const auto allowed = m_access.require(caller.who, auth::Permission::Admin, {});
            !allowed)
            return allowed.error();
    }
    auto result = m_accounts->createToken(user, name, ttlMs);
    if (result)
        auditCommand(caller, QStringLiteral("token_created"), QStringLiteral("user ") + user,
                     {{"token_id", result->first.id}, {"name", name}});
    return result;
}

Result<QList<store::Token>> ApiService::tokens(const api::Caller &caller, const QString &user)
{
    if (user != caller.who.name) {
        if (const auto allowed = m_access.require(caller.who, auth::Permission::Admin, {});
            !allowed)
            return allowed.error();
    }
    const auto u = m_store->users().find(user);
    if (!u)
        return Error{QStringLiteral("not_found"), QStringLiteral("no user named '%1'").arg(user)};
    return m_store->users().tokens(u->id);
}

Result<store::Token> ApiService::revokeToken(const api::Caller &caller, qint64 id)
{
    auto result = m_accounts->revokeToken(id, caller.who);
    if (result)
        auditCommand(caller, QStringLiteral("token_revoked"), QStringLiteral("token #%1").arg(id));
    return result;
}

Result<QList<audit::Entry>> ApiService::auditEntries(const api::Caller &caller, qint64 afterId,
                                                     int limit)
{
    if (const auto allowed = m_access.require(caller.who, auth::Permission::Admin, {}); !allowed)
        return allowed.error();
    return m_store->auditEntries().after(afterId, limit);
}

} // namespace rwd::server
