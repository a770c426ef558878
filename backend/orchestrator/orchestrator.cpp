#include "orchestrator.h"

#include "common/duration.h"
#include "executors/logs/logcollector.h"
#include "logging/logging.h"
#include "monitor/metricstore.h"
#include "releases/releasetracker.h"

#include <QDir>
#include <QPointer>

namespace rwd::orchestrator {

namespace {

auto log()
{
    return logging::get("orchestrator");
}

// Answers from executors that never come are given up on this long after the step's timeout.
constexpr qint64 kExecutorGraceMs = 5'000;

// Replaces {{rollback_id}} in the text values of `vars`: names fixed when the plan was built
// (a snapshot's) take the plan's id once it has one.
QJsonObject withRollbackId(QJsonObject vars, qint64 id)
{
    const QString value = QString::number(id);
    for (auto it = vars.begin(); it != vars.end(); ++it) {
        if (it.value().isString() &&
            it.value().toString().contains(QLatin1String("{{rollback_id}}")))
            it.value() = it.value().toString().replace(QStringLiteral("{{rollback_id}}"), value);
    }
    vars.insert(QStringLiteral("rollback_id"), value);
    return vars;
}

} // namespace

Orchestrator::Orchestrator(Parts parts, QObject *parent)
    : QObject(parent)
    , m_parts(std::move(parts))
    , m_logs(std::make_unique<executors::LogCollector>())
{}

Orchestrator::~Orchestrator() = default;

Orchestrator::ActivePlan *Orchestrator::find(qint64 id)
{
    const auto it = m_active.find(id);
    return it == m_active.end() ? nullptr : it->second.get();
}

bool Orchestrator::isRollingBack(const QString &service) const
{
    for (const auto &[id, plan] : m_active) {
        for (const auto &t : plan->info.targets) {
            if (t.service == service)
                return true;
        }
    }
    return false;
}

QList<protocol::RollbackInfo> Orchestrator::active() const
{
    QList<protocol::RollbackInfo> out;
    for (const auto &[id, plan] : m_active)
        out.append(plan->info);
    return out;
}

std::optional<protocol::FreezeInfo> Orchestrator::freezeOf(const QString &service) const
{
    for (const auto &[id, plan] : m_active) {
        for (const auto &t : plan->info.targets) {
            if (t.service == service) {
                protocol::FreezeInfo f;
                f.service = service;
                f.rollbackId = id;
                f.startedAtMs = plan->info.createdAtMs;
                f.reason = QStringLiteral("rollback #%1 of %2 is in progress").arg(id).arg(service);
                return f;
            }
        }
    }
    return m_parts.store->activeFreeze(service, m_parts.clock->nowMs());
}

void Orchestrator::freeze(const QString &service, qint64 ms, const QString &reason,
                          qint64 rollbackId)
{
    if (ms <= 0)
        return;
    protocol::FreezeInfo f;
    f.service = service;
    f.reason = reason;
    f.rollbackId = rollbackId;
    f.startedAtMs = m_parts.clock->nowMs();
    f.untilMs = f.startedAtMs + ms;
    f.id = m_parts.store->insertFreeze(f);
    log()->warn("deployments of {} frozen for {}: {}", service, formatDuration(ms), reason);
    m_parts.events->publish(events::FreezeStarted{f});
}

PlanInputs Orchestrator::planInputs() const
{
    PlanInputs in;
    in.config = m_parts.config;
    in.strategies = m_parts.strategies;
    in.executors = m_parts.executors;
    auto *releases = m_parts.releases;
    auto *store = m_parts.store;
    in.current = [releases](const QString &s) { return releases->current(s); };
    in.rollbackTarget = [releases](const QString &s) { return releases->rollbackTarget(s); };
    in.release = [store, releases](const QString &s,
                                   const QString &version) -> std::optional<protocol::ReleaseInfo> {
        const auto current = releases->current(s);
        for (const auto &r : store->releases(s, 1000)) {
            if (r.version == version && (!current || r.id != current->id))
                return r;
        }
        return std::nullopt;
    };
    in.busy = [this](const QString &s) { return isRollingBack(s); };
    return in;
}

Result<void> Orchestrator::checkAttempts(const RollbackRequest &request) const
{
    if (!request.automatic())
        return {};
    const int max = m_parts.config->rollback.maxAttemptsPerRelease;
    for (const auto &service : request.services) {
        const auto current = m_parts.releases->current(service);
        if (!current)
            continue;
        const int attempts = m_parts.store->rollbackAttempts(service, current->id);
        if (attempts >= max)
            return Error{QStringLiteral("max_attempts_reached"),
                         QStringLiteral("%1 %2 was already rolled back %3 time(s) "
                                        "(max_attempts_per_release: %4); no more automatic "
                                        "rollbacks of it until a person acts")
                             .arg(service, current->version)
                             .arg(attempts)
                             .arg(max)};
    }
    return {};
}

qint64 Orchestrator::incidentFor(const protocol::RollbackInfo &info, const QString &severity)
{
    QStringList services;
    for (const auto &t : info.targets)
        services.append(t.service);
    if (const auto open = m_parts.store->openIncidentFor(services))
        return *open;
    QStringList what;
    for (const auto &t : info.targets)
        what.append(QStringLiteral("%1 %2").arg(t.service, t.fromVersion));
    const QString title = QStringLiteral("%1 rolled back: %2")
                              .arg(what.join(QStringLiteral(", ")), info.reason.left(200));
    const qint64 id =
        m_parts.store->openIncident(title, services, severity, m_parts.clock->nowMs());
    if (id > 0) {
        log()->warn("incident #{} opened: {}", id, title);
        m_parts.events->publish(events::IncidentOpened{id, title, services, severity});
    }
    return id;
}

Result<protocol::RollbackInfo> Orchestrator::request(const RollbackRequest &request)
{
    if (const auto checked = checkAttempts(request); !checked)
        return checked.error();
    auto built = buildPlan(planInputs(), request, m_parts.clock->nowMs());
    if (!built)
        return built.error();
    auto plan = *std::move(built);
    auto &info = plan.info;

    // The strictest policy among the environments of the targets applies.
    const auto need = approvalNeed(info);
    const bool autoApproved =
        need.required && request.automatic() && need.autoApprove.contains(request.severity);
    const bool needsApproval = need.required && !autoApproved;
    // A dry run says how many approvals the rollback would wait for, and stores nothing.
    if (request.dryRun) {
        info.approvalsNeeded = needsApproval ? need.approvals : 0;
        return info;
    }
    if (need.required) {
        info.approvalsNeeded = need.approvals;
        info.approvalExpiresAtMs = info.createdAtMs + need.expiresMs;
    }
    info.incidentId = incidentFor(info, request.automatic() ? QStringLiteral("critical")
                                                            : QStringLiteral("warning"));
    if (!m_parts.store->createRollback(info, plan.params, request.firingId))
        return Error{QStringLiteral("store_failed"),
                     QStringLiteral("the plan could not be stored")};
    auto active = std::make_unique<ActivePlan>();
    active->info = info;
    active->params = plan.params;
    const qint64 id = info.id;
    auto &ref = *active;
    m_active.emplace(id, std::move(active));
    log()->info("rollback #{} planned ({}, {}): {} step(s), trigger {}", id, info.strategy,
                info.rollbackClass, info.steps.size(), info.trigger);
    for (const auto &t : std::as_const(info.targets))
        log()->info("rollback #{}: {} {} -> {}{}", id, t.service, t.fromVersion, t.toVersion,
                    t.after.isEmpty() ? QString()
                                      : QStringLiteral(" (after %1)").arg(t.after.join(u',')));
    if (needsApproval) {
        if (!apply(ref, PlanEvent::AwaitApproval)) {
            finish(ref);
            return m_parts.store->rollback(id).value_or(info);
        }
        log()->info("rollback #{} waits for {} approval(s)", id, need.approvals);
        return ref.info;
    }
    if (autoApproved) {
        events::ApprovalGranted granted;
        granted.rollback = ref.info;
        granted.by = QStringLiteral("rewind");
        granted.automatic = true;
        granted.comment = QStringLiteral("auto-approved: severity %1").arg(request.severity);
        m_parts.events->publish(std::move(granted));
        log()->warn("rollback #{} auto-approved (severity {})", id, request.severity);
    }
    start(ref);
    if (auto *still = find(id))
        return still->info;
    return m_parts.store->rollback(id).value_or(info);
}

void Orchestrator::onRuleFired(const config::RuleConfig &rule, const protocol::FiringInfo &firing,
                               qint64 firingId)
{
    if (rule.action == u"freeze") {
        freeze(firing.service, rule.freezeMs,
               QStringLiteral("rule '%1' fired: %2").arg(rule.name, rule.when));
        return;
    }
    if (rule.action != u"rollback")
        return;
    const auto *service = m_parts.config->service(firing.service);
    const auto *env = service ? m_parts.config->environment(service->environment) : nullptr;
    if (!env || !env->autoRollback) {
        log()->warn("rule '{}' fired for {} but automatic rollback is off in '{}'; alert only",
                    rule.name, firing.service, service ? service->environment : QString());
        return;
    }
    RollbackRequest r;
    r.services =
        rule.rollbackServices.isEmpty() ? QStringList{firing.service} : rule.rollbackServices;
    for (const auto &s : std::as_const(r.services)) {
        if (isRollingBack(s))
            return;
    }
    r.trigger = (rule.rollbackServices.isEmpty() ? QStringLiteral("rule:")
                                                 : QStringLiteral("cross-service:")) +
                rule.name;
    r.rollbackClass = rule.rollbackClass;
    r.reason =
        QStringLiteral("rule '%1' fired for %2: %3").arg(rule.name, firing.service, rule.when);
    r.requestedBy = QStringLiteral("rewind");
    r.firingId = firingId;
    r.severity = rule.severity;
    const auto result = request(r);
    if (!result) {
        log()->error("rule '{}' fired for {} but no rollback was started: {}", rule.name,
                     firing.service, result.error().message);
        m_parts.events->publish(events::RollbackRefused{
            firing.service, rule.name, result.error().code, result.error().message});
    }
}

Orchestrator::ApprovalNeed Orchestrator::approvalNeed(const protocol::RollbackInfo &info) const
{
    ApprovalNeed need;
    bool first = true;
    for (const auto &t : info.targets) {
        const auto *service = m_parts.config->service(t.service);
        const auto *env = service ? m_parts.config->environment(service->environment) : nullptr;
        if (!env || !env->approval.required)
            continue;
        need.required = true;
        need.approvals = std::max(need.approvals, env->approval.approvals);
        need.expiresMs = need.expiresMs == 0 ? env->approval.expiresMs
                                             : std::min(need.expiresMs, env->approval.expiresMs);
        bool listed = false;
        for (const auto &[name, roles] : need.roles)
            listed = listed || name == env->name;
        if (!listed)
            need.roles.append({env->name, env->approval.roles});
        // Auto-approval only for severities every environment that needs approval lets through.
        if (first) {
            need.autoApprove = env->approval.autoApprove;
            first = false;
        } else {
            QStringList both;
            for (const auto &sev : std::as_const(need.autoApprove))
                if (env->approval.autoApprove.contains(sev))
                    both.append(sev);
            need.autoApprove = both;
        }
    }
    return need;
}

Result<Orchestrator::ActivePlan *>
Orchestrator::decisionAllowed(qint64 id, const QString &by,
                              const QHash<QString, QStringList> &roles)
{
    auto *plan = find(id);
    if (!plan) {
        if (const auto stored = m_parts.store->rollback(id))
            return Error{QStringLiteral("not_awaiting_approval"),
                         QStringLiteral("rollback #%1 is %2; only a rollback awaiting approval "
                                        "can be approved or rejected")
                             .arg(id)
                             .arg(wireName(stored->state))};
        return Error{QStringLiteral("not_found"), QStringLiteral("no rollback #%1").arg(id)};
    }
    if (plan->info.state != PlanState::AwaitingApproval)
        return Error{QStringLiteral("not_awaiting_approval"),
                     QStringLiteral("rollback #%1 is %2; only a rollback awaiting approval can "
                                    "be approved or rejected")
                         .arg(id)
                         .arg(wireName(plan->info.state))};
    const auto need = approvalNeed(plan->info);
    for (const auto &[env, allowed] : need.roles) {
        QStringList held = roles.value(QStringLiteral("*")) + roles.value(env);
        bool ok = held.contains(QStringLiteral("admin"));
        for (const auto &r : allowed)
            ok = ok || held.contains(r);
        if (!ok)
            return Error{QStringLiteral("forbidden"),
                         QStringLiteral("approving rollbacks in %1 needs one of the roles %2 there")
                             .arg(env, allowed.join(QStringLiteral(", ")))};
    }
    for (const auto &a : m_parts.store->approvals(id)) {
        if (a.user == by)
            return Error{QStringLiteral("already_decided"),
                         QStringLiteral("%1 %2 rollback #%3 already").arg(by, a.decision).arg(id)};
    }
    return plan;
}

Result<protocol::RollbackInfo> Orchestrator::approve(qint64 id, const QString &by,
                                                     const QHash<QString, QStringList> &roles,
                                                     const QString &comment)
{
    auto allowed = decisionAllowed(id, by, roles);
    if (!allowed)
        return allowed.error();
    auto &plan = **allowed;
    if (plan.info.requestedBy == by)
        return Error{QStringLiteral("self_approval"),
                     QStringLiteral("%1 requested rollback #%2 and cannot approve it; another "
                                    "approver must")
                         .arg(by)
                         .arg(id)};
    if (auto recorded = recordDecision(plan, by, QStringLiteral("approved"), comment); !recorded)
        return std::move(recorded).error();
    int approved = 0;
    for (const auto &a : std::as_const(plan.info.approvals))
        approved += a.decision == u"approved" ? 1 : 0;
    const int needed = plan.info.approvalsNeeded;
    m_parts.events->publish(
        events::ApprovalGranted{plan.info, by, comment, false, approved, needed});
    log()->info("rollback #{} approved by {} ({} of {})", id, by, approved, needed);
    const auto info = plan.info;
    if (approved >= needed) {
        if (apply(plan, PlanEvent::Approve))
            start(plan);
        else
            finish(plan);
    }
    if (auto *still = find(id))
        return still->info;
    return m_parts.store->rollback(id).value_or(info);
}

Result<void> Orchestrator::recordDecision(ActivePlan &plan, const QString &by,
                                          const QString &decision, const QString &comment)
{
    const qint64 now = m_parts.clock->nowMs();
    const QString what = decision == u"approved" ? QStringLiteral("approval by %1").arg(by)
                                                 : QStringLiteral("rejection by %1").arg(by);
    if (auto inTime = beforeDeadline(plan, now, what); !inTime)
        return inTime;
    if (!m_parts.store->insertApproval(plan.info.id, {by, decision, comment, now}))
        return Error{QStringLiteral("store_failed"),
                     QStringLiteral("the %1 could not be recorded (%2); it does not count")
                         .arg(what, m_parts.store->writeError())};
    plan.info.approvals.append({by, decision, comment, now});
    return {};
}

Result<protocol::RollbackInfo> Orchestrator::reject(qint64 id, const QString &by,
                                                    const QHash<QString, QStringList> &roles,
                                                    const QString &comment)
{
    auto allowed = decisionAllowed(id, by, roles);
    if (!allowed)
        return allowed.error();
    auto &plan = **allowed;
    if (auto recorded = recordDecision(plan, by, QStringLiteral("rejected"), comment); !recorded)
        return std::move(recorded).error();
    m_parts.events->publish(events::ApprovalRejected{plan.info, by, comment});
    log()->warn("rollback #{} rejected by {}: {}", id, by, comment);
    plan.aborted = true;
    plan.haltReason = QStringLiteral("rejected by %1%2")
                          .arg(by, comment.isEmpty() ? QString() : QStringLiteral(": ") + comment);
    const auto info = plan.info;
    (void)apply(plan, PlanEvent::Reject);
    return m_parts.store->rollback(id).value_or(info);
}

Result<protocol::RollbackInfo> Orchestrator::abort(qint64 id, const QString &by,
                                                   const QString &reason)
{
    auto *plan = find(id);
    if (!plan) {
        if (const auto stored = m_parts.store->rollback(id))
            return Error{
                QStringLiteral("already_finished"),
                QStringLiteral("rollback #%1 is %2 already").arg(id).arg(wireName(stored->state))};
        return Error{QStringLiteral("not_found"), QStringLiteral("no rollback #%1").arg(id)};
    }
    log()->warn("rollback #{} aborted by {}: {}", id, by, reason);
    plan->aborted = true;
    if (!plan->halted)
        plan->haltReason =
            QStringLiteral("aborted by %1%2")
                .arg(by, reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
    const auto info = plan->info;
    (void)apply(*plan, PlanEvent::Abort);
    if (auto *still = find(id))
        return still->info;
    return m_parts.store->rollback(id).value_or(info);
}

void Orchestrator::expireApprovals()
{
    const qint64 now = m_parts.clock->nowMs();
    std::vector<qint64> expired;
    for (const auto &[id, plan] : m_active) {
        if (plan->info.state == PlanState::AwaitingApproval && plan->info.approvalExpiresAtMs > 0 &&
            now >= plan->info.approvalExpiresAtMs)
            expired.push_back(id);
    }
    for (const auto id : expired) {
        if (auto *plan = find(id))
            expire(*plan, {});
    }
}

void Orchestrator::expire(ActivePlan &plan, const QString &lateDecision)
{
    int approved = 0;
    for (const auto &a : std::as_const(plan.info.approvals))
        approved += a.decision == u"approved" ? 1 : 0;
    plan.aborted = true;
    plan.haltReason =
        QStringLiteral("not approved in time (%1 of %2 approvals); it could be "
                       "approved until %3%4")
            .arg(approved)
            .arg(plan.info.approvalsNeeded)
            .arg(protocol::isoTime(plan.info.approvalExpiresAtMs))
            .arg(lateDecision.isEmpty()
                     ? QString()
                     : QStringLiteral(", and the %1 came too late").arg(lateDecision));
    log()->warn("rollback #{}: {}", plan.info.id, plan.haltReason);
    (void)apply(plan, PlanEvent::Expire);
}

Result<void> Orchestrator::beforeDeadline(ActivePlan &plan, qint64 nowMs, const QString &decision)
{
    // Decided at the moment of the decision, not by the tick that expires plans: a deadline
    // that has passed is passed, however recently.
    if (plan.info.approvalExpiresAtMs <= 0 || nowMs < plan.info.approvalExpiresAtMs)
        return {};
    const qint64 id = plan.info.id;
    const qint64 late = nowMs - plan.info.approvalExpiresAtMs;
    const auto deadline = plan.info.approvalExpiresAtMs;
    expire(plan, decision);
    return Error{QStringLiteral("approval_expired"),
                 QStringLiteral("rollback #%1 could be approved until %2; the %3 came %4 ms late, "
                                "so the rollback ended aborted")
                     .arg(id)
                     .arg(protocol::isoTime(deadline), decision)
                     .arg(late)};
}

int Orchestrator::resume()
{
    const qint64 now = m_parts.clock->nowMs();
    QList<qint64> ids;
    for (const auto &info : m_parts.store->unfinishedRollbacks()) {
        auto plan = std::make_unique<ActivePlan>();
        plan->info = info;
        plan->params = m_parts.store->stepParams(info.id);
        while (plan->params.size() < plan->info.steps.size())
            plan->params.append(QJsonObject());
        const bool attemptsMarked = m_parts.store->interruptAttempts(info.id, now);
        auto &p = *plan;
        if (!attemptsMarked)
            journalFailed(p, QStringLiteral("that its running attempts were interrupted"));
        for (int i = 0; i < p.info.steps.size(); ++i) {
            auto &step = p.info.steps[i];
            if (step.state != StepState::Running)
                continue;
            if (idempotentStep(p, i)) {
                step.state = StepState::Pending;
                step.message = QStringLiteral("interrupted when rewindd stopped; it is "
                                              "idempotent, so it runs again");
                if (!m_parts.store->updateStep(step))
                    journalFailed(p, QStringLiteral("that step %1 runs again").arg(i + 1));
            } else {
                step.state = StepState::Failed;
                step.finishedAtMs = now;
                step.message = QStringLiteral("interrupted when rewindd stopped; '%1' is not "
                                              "idempotent, so it is not run again: check whether "
                                              "it took effect")
                                   .arg(step.kind);
                if (!m_parts.store->updateStep(step))
                    journalFailed(p, QStringLiteral("that step %1 was interrupted").arg(i + 1));
                p.interrupted = true;
                p.halted = true;
                if (p.haltReason.isEmpty())
                    p.haltReason = QStringLiteral("step %1 (%2 of %3) was interrupted by a "
                                                  "restart and cannot safely run again")
                                       .arg(i + 1)
                                       .arg(step.kind, step.service);
            }
        }
        if (p.info.state == PlanState::AwaitingApproval) {
            const auto need = approvalNeed(p.info);
            p.info.approvalsNeeded = need.approvals;
            p.info.approvalExpiresAtMs = p.info.createdAtMs + need.expiresMs;
        }
        ids.append(info.id);
        log()->warn("rollback #{} resumed in state {}{}", info.id, wireName(info.state),
                    p.interrupted ? QStringLiteral(" (needs attention: ") + p.haltReason + u')'
                                  : QString());
        m_active.emplace(info.id, std::move(plan));
    }
    for (const auto id : ids) {
        auto *plan = find(id);
        if (!plan)
            continue;
        if (plan->interrupted || plan->journalFailed) {
            finish(*plan);
            continue;
        }
        switch (plan->info.state) {
        case PlanState::AwaitingApproval:
            break;
        case PlanState::Planned:
        case PlanState::Approved:
            start(*plan);
            break;
        default:
            (void)apply(*plan, PlanEvent::Resume);
            break;
        }
    }
    return int(ids.size());
}

bool Orchestrator::idempotentStep(const ActivePlan &plan, int index) const
{
    const auto &step = plan.info.steps.at(index);
    if (isBuiltinStep(step.kind))
        return true;
    const auto executorName = plan.params.at(index).value(QLatin1String("executor")).toString();
    auto *executor = m_parts.executors.value(executorName.isEmpty() ? step.executor : executorName);
    return executor && executor->idempotent(step.kind);
}

void Orchestrator::journalFailed(ActivePlan &plan, const QString &what)
{
    const QString why = QStringLiteral("the store could not record %1 (%2), so nothing more of "
                                       "the plan runs: a person must check the store and the "
                                       "services")
                            .arg(what, m_parts.store->writeError());
    log()->error("rollback #{}: {}", plan.info.id, why);
    if (plan.journalFailed)
        return;
    plan.journalFailed = true;
    plan.halted = true;
    plan.haltReason =
        plan.haltReason.isEmpty() ? why : plan.haltReason + QStringLiteral("; ") + why;
    m_parts.events->publish(events::StoreFailing{m_parts.store->writeError(), plan.info.id, what,
                                                 plan.info.services()});
}

void Orchestrator::start(ActivePlan &plan)
{
    // An approved plan starts only while its approval holds (checked now, not by the tick).
    const qint64 now = m_parts.clock->nowMs();
    if (plan.info.state == PlanState::Approved && plan.info.approvalExpiresAtMs > 0 &&
        now >= plan.info.approvalExpiresAtMs) {
        expire(plan, QStringLiteral("start"));
        return;
    }
    log()->info("rollback #{} started", plan.info.id);
    if (!apply(plan, PlanEvent::Start))
        finish(plan);
}

events::StepEvent Orchestrator::stepEvent(const ActivePlan &plan, int index)
{
    // `services` says who may see it: anyone who may see the rollback (docs/api/websocket.md).
    return {plan.info.id, plan.info.steps.at(index), plan.info.services()};
}

void Orchestrator::advance(qint64 id)
{
    auto *plan = find(id);
    // A plan waiting for approval runs nothing until it is approved (or ends without running).
    if (!plan || plan->finished || plan->info.state == PlanState::AwaitingApproval)
        return;
    if (plan->advancing) {
        plan->again = true;
        return;
    }
    plan->advancing = true;
    auto &steps = plan->info.steps;
    const auto settled = [&](int i) {
        const auto s = steps.at(i).state;
        return s == StepState::Succeeded || s == StepState::Skipped;
    };
    const auto serviceBusy = [&](const QString &service) {
        for (int i = 0; i < steps.size(); ++i) {
            if (steps.at(i).service == service && !steps.at(i).onFailure &&
                (plan->running.count(i) || plan->retryAt.count(i)))
                return true;
        }
        return false;
    };
    do {
        plan->again = false;
        for (int i = 0; i < steps.size() && !plan->finished; ++i) {
            const auto &step = steps.at(i);
            if (step.state != StepState::Pending || plan->running.count(i) ||
                plan->retryAt.count(i))
                continue;
            const auto &params = plan->params.at(i);
            if (plan->journalFailed) {
                skip(*plan, i, QStringLiteral("not run: the store could not record it"));
                continue;
            }
            if (step.onFailure) {
                if (!plan->failedServices.contains(step.service) || plan->interrupted ||
                    serviceBusy(step.service))
                    continue;
                bool ready = true;
                bool impossible = false;
                for (const int a : step.after) {
                    ready = ready && steps.at(a).state == StepState::Succeeded;
                    impossible = impossible || steps.at(a).state == StepState::Failed ||
                                 steps.at(a).state == StepState::Skipped;
                }
                if (impossible)
                    skip(*plan, i, QStringLiteral("not run: a step it needs did not succeed"));
                else if (ready)
                    startStep(*plan, i);
                continue;
            }
            if (plan->halted) {
                skip(*plan, i,
                     QStringLiteral("not run: the plan halted (%1)").arg(plan->haltReason));
                continue;
            }
            if (params.value(QLatin1String("gradual_intermediate")).toBool() &&
                plan->noImprovement.contains(step.service)) {
                skip(*plan, i,
                     QStringLiteral("skipped: the last shift brought no improvement, so "
                                    "all traffic goes back at once"));
                continue;
            }
            bool ready = true;
            for (const int a : step.after)
                ready = ready && settled(a);
            if (ready)
                startStep(*plan, i);
        }
    } while (plan->again && !plan->finished);
    plan->advancing = false;
    if (plan->finished)
        return;
    if (plan->running.empty() && plan->retryAt.empty()) {
        finish(*plan);
        return;
    }
    updatePlanState(*plan);
}

void Orchestrator::updatePlanState(ActivePlan &plan)
{
    if (plan.info.state == PlanState::AwaitingApproval || isTerminal(plan.info.state))
        return;
    bool onlyVerifying = !plan.running.empty();
    for (const auto &[i, running] : plan.running)
        onlyVerifying = onlyVerifying && running.gate && running.gate->verifies();
    const auto wanted = onlyVerifying ? PlanState::Verifying : PlanState::Running;
    if (plan.info.state != wanted)
        (void)apply(plan, onlyVerifying ? PlanEvent::Verify : PlanEvent::Work);
}

QJsonObject Orchestrator::runtimeParams(const ActivePlan &plan, int index) const
{
    auto params = plan.params.at(index);
    params.insert(QStringLiteral("vars"),
                  withRollbackId(params.value(QLatin1String("vars")).toObject(), plan.info.id));
    return params;
}

void Orchestrator::startStep(ActivePlan &plan, int index)
{
    auto &step = plan.info.steps[index];
    const qint64 now = m_parts.clock->nowMs();
    const auto params = runtimeParams(plan, index);
    ++step.attempts;
    step.state = StepState::Running;
    if (step.startedAtMs == 0)
        step.startedAtMs = now;
    step.finishedAtMs = 0;
    // Journal first: if the daemon dies during the step, the store says it was running. A step
    // whose start could not be written does not run.
    Running running;
    running.attempt = step.attempts;
    const bool journaled = m_parts.store->updateStep(step);
    running.attemptId = journaled ? m_parts.store->beginAttempt(step.id, step.attempts, now) : 0;
    if (!journaled || running.attemptId <= 0) {
        --step.attempts;
        step.state = StepState::Skipped;
        step.message = QStringLiteral("not run: the store could not record its start");
        journalFailed(plan, QStringLiteral("the start of step %1 (%2 of %3)")
                                .arg(index + 1)
                                .arg(step.kind, step.service));
        m_parts.events->publish(events::StepFinished{stepEvent(plan, index)});
        return;
    }
    running.token = m_nextToken++;
    const quint64 token = running.token;
    const qint64 planId = plan.info.id;
    m_parts.events->publish(events::StepStarted{stepEvent(plan, index)});
    log()->info("rollback #{} step {} started{}: {}", planId, index + 1,
                step.attempts > 1 ? QStringLiteral(" (attempt %1)").arg(step.attempts) : QString(),
                step.description);

    const auto *service = m_parts.config->service(step.service);
    const QString &kind = step.kind;
    if (isBuiltinStep(kind)) {
        if (!service && kind != QLatin1String(kPause)) {
            plan.running.emplace(index, std::move(running));
            attemptDone(planId, index, token,
                        {false,
                         false,
                         QStringLiteral("service '%1' is no longer configured").arg(step.service),
                         {},
                         {}});
            return;
        }
        if (kind == QLatin1String(kVerifyHealth)) {
            running.gate = std::make_unique<HealthVerification>(
                *service, now, params.value(QLatin1String("consecutive_successes")).toInt(3),
                params.value(QLatin1String("timeout_ms")).toInteger(300'000));
        } else if (kind == QLatin1String(kPause)) {
            running.gate = std::make_unique<Pause>(
                now, params.value(QLatin1String("duration_ms")).toInteger(0));
        } else if (kind == QLatin1String(kWatch)) {
            running.gate =
                std::make_unique<Watch>(*service, *m_parts.metrics, now,
                                        params.value(QLatin1String("duration_ms")).toInteger(0));
        } else if (kind == QLatin1String(kVerifyInstances)) {
            if (!m_parts.prober) {
                plan.running.emplace(index, std::move(running));
                attemptDone(planId, index, token,
                            {false,
                             false,
                             QStringLiteral("no HTTP client to probe instances with"),
                             {},
                             {}});
                return;
            }
            running.gate = std::make_unique<InstanceProbe>(*m_parts.prober, params, now);
        } else if (kind == QLatin1String(kPreserveLogs)) {
            plan.running.emplace(index, std::move(running));
            const QString dir =
                QDir(m_parts.config->resolvePath(m_parts.config->rollback.archiveDir))
                    .filePath(QStringLiteral("incident-%1/rollback-%2")
                                  .arg(plan.info.incidentId)
                                  .arg(planId));
            QPointer<Orchestrator> self(this);
            const qint64 incident = plan.info.incidentId;
            m_logs->collect(
                step.service, service->logs, dir, planId,
                [self, planId, index, token,
                 incident](const executors::LogCollector::Collected &r) {
                    if (!self)
                        return;
                    const qint64 at = self->m_parts.clock->nowMs();
                    qint64 bytes = 0;
                    for (const auto &l : r.logs) {
                        bytes += l.bytes;
                        (void)self->m_parts.store->addPreservedLog(incident, l, at);
                    }
                    QString message = QStringLiteral("%1 source(s) archived (%2 bytes)")
                                          .arg(r.logs.size())
                                          .arg(bytes);
                    if (!r.problems.isEmpty())
                        message += QStringLiteral("; not everything could be collected: ") +
                                   r.problems.join(QStringLiteral("; "));
                    // Never fatal: a rollback does not wait on a broken log source.
                    self->attemptDone(planId, index, token, {true, false, message, {}, {}});
                });
            return;
        }
        plan.running.emplace(index, std::move(running));
        evaluateGates(plan, step.service);
        updatePlanState(plan);
        return;
    }

    const QString executorName = params.value(QLatin1String("executor")).toString();
    auto *executor = m_parts.executors.value(executorName);
    const qint64 timeout = params.value(QLatin1String("timeout_ms")).toInteger(120'000);
    running.deadlineMs = now + timeout + kExecutorGraceMs;
    plan.running.emplace(index, std::move(running));
    if (!executor) {
        attemptDone(planId, index, token,
                    {false,
                     false,
                     QStringLiteral("executor '%1' is not configured").arg(executorName),
                     {},
                     {}});
        return;
    }
    updatePlanState(plan);
    QPointer<Orchestrator> self(this);
    executor->execute(kind, params, [self, planId, index, token](const StepResult &r) {
        if (self)
            self->attemptDone(planId, index, token, r);
    });
}

void Orchestrator::attemptDone(qint64 planId, int index, quint64 token, const StepResult &result)
{
    auto *plan = find(planId);
    if (!plan)
        return;
    const auto it = plan->running.find(index);
    if (it == plan->running.end() || it->second.token != token)
        return; // a late answer to an attempt already given up on
    const qint64 attemptId = it->second.attemptId;
    std::unique_ptr<Gate> gate = std::move(it->second.gate);
    plan->running.erase(it);
    const qint64 now = m_parts.clock->nowMs();
    auto &step = plan->info.steps[index];
    if (!m_parts.store->finishAttempt(
            attemptId, result.ok ? QStringLiteral("succeeded") : QStringLiteral("failed"), now,
            result.message, result.output.left(16 * 1024)))
        journalFailed(*plan, QStringLiteral("how step %1 (%2 of %3) ended")
                                 .arg(index + 1)
                                 .arg(step.kind, step.service));
    const auto &policy = m_parts.config->rollback;
    if (result.ok) {
        if (auto *watch = dynamic_cast<Watch *>(gate.get()); watch && !watch->improved())
            plan->noImprovement.insert(step.service);
        succeed(*plan, index, result);
    } else if (result.retryable && step.attempts < policy.retryAttempts && !plan->halted &&
               !plan->journalFailed) {
        qint64 backoff = policy.retryBackoffMs;
        for (int i = 1; i < step.attempts && backoff < policy.retryMaxBackoffMs; ++i)
            backoff *= 2;
        backoff = std::min(backoff, policy.retryMaxBackoffMs);
        plan->retryAt[index] = now + backoff;
        step.state = StepState::Pending;
        step.message = QStringLiteral("attempt %1 failed: %2; trying again in %3")
                           .arg(step.attempts)
                           .arg(result.message, formatDuration(backoff));
        journal(*plan, index);
        m_parts.events->publish(events::StepRetrying{{stepEvent(*plan, index)}, backoff});
        log()->warn("rollback #{} step {} attempt {} failed ({}); retrying in {}", planId,
                    index + 1, step.attempts, result.message, formatDuration(backoff));
    } else {
        fail(*plan, index,
             step.attempts > 1
                 ? QStringLiteral("%1 (after %2 attempts)").arg(result.message).arg(step.attempts)
                 : result.message);
    }
    advance(planId);
}

void Orchestrator::succeed(ActivePlan &plan, int index, const StepResult &result)
{
    auto &step = plan.info.steps[index];
    step.state = StepState::Succeeded;
    step.finishedAtMs = m_parts.clock->nowMs();
    step.message = result.message;
    journal(plan, index);
    m_parts.events->publish(events::StepFinished{stepEvent(plan, index)});
    log()->info("rollback #{} step {} succeeded in {} ms: {}", plan.info.id, index + 1,
                step.finishedAtMs - step.startedAtMs, result.message);
    if (step.kind == u"snapshot" && !result.data.isEmpty())
        recordSnapshot(plan, index, result.data);
    // A step that moved the service already changed what it runs: record it now, so that the
    // status shows the truth even if a later verification fails.
    if (plan.params.at(index).value(QLatin1String("restores")).toBool()) {
        for (const auto &t : std::as_const(plan.info.targets)) {
            if (t.service == step.service)
                m_parts.releases->rolledBack(t.service, t.fromReleaseId, t.toReleaseId);
        }
    }
}

void Orchestrator::fail(ActivePlan &plan, int index, const QString &message)
{
    auto &step = plan.info.steps[index];
    step.state = StepState::Failed;
    step.finishedAtMs = m_parts.clock->nowMs();
    step.message = message;
    journal(plan, index);
    m_parts.events->publish(events::StepFinished{stepEvent(plan, index)});
    log()->error("rollback #{} step {} ({}, {}) failed: {}", plan.info.id, index + 1, step.kind,
                 step.service, message);
    if (step.onFailure)
        return;
    plan.failedServices.insert(step.service);
    if (!plan.halted) {
        plan.halted = true;
        plan.haltReason = QStringLiteral("step %1 (%2 of %3) failed: %4")
                              .arg(index + 1)
                              .arg(step.kind, step.service, message);
    }
}

void Orchestrator::journal(ActivePlan &plan, int index)
{
    const auto &step = plan.info.steps.at(index);
    if (!m_parts.store->updateStep(step))
        journalFailed(plan, QStringLiteral("that step %1 (%2 of %3) is %4")
                                .arg(index + 1)
                                .arg(step.kind, step.service, wireName(step.state)));
}

void Orchestrator::skip(ActivePlan &plan, int index, const QString &message)
{
    auto &step = plan.info.steps[index];
    step.state = StepState::Skipped;
    step.message = message;
    journal(plan, index);
    if (!plan.finished)
        m_parts.events->publish(events::StepFinished{stepEvent(plan, index)});
}

void Orchestrator::recordSnapshot(const ActivePlan &plan, int index, const QJsonObject &data)
{
    protocol::SnapshotInfo s;
    s.name = data.value(QLatin1String("name")).toString();
    s.service = plan.info.steps.at(index).service;
    s.executor = data.value(QLatin1String("executor")).toString();
    s.reason = QStringLiteral("rollback #%1").arg(plan.info.id);
    s.path = data.value(QLatin1String("path")).toString();
    s.sizeBytes = data.value(QLatin1String("size_bytes")).toInteger();
    s.sha256 = data.value(QLatin1String("sha256")).toString();
    s.tables = data.value(QLatin1String("tables")).toObject();
    s.rollbackId = plan.info.id;
    s.createdAtMs = m_parts.clock->nowMs();
    if (m_parts.store->snapshot(s.name)) // taken again after a restart: the row exists
        return;
    s.id = m_parts.store->insertSnapshot(s);
    m_parts.events->publish(events::SnapshotTaken{s});
    for (const auto &pruned : data.value(QLatin1String("pruned")).toArray()) {
        if (const auto old = m_parts.store->snapshot(pruned.toString());
            old && !m_parts.store->markSnapshotPruned(old->id, s.createdAtMs))
            log()->error("cannot mark snapshot {} pruned: {}", old->name,
                         m_parts.store->writeError());
    }
}

void Orchestrator::addIncidentNote(const ActivePlan &plan, const QString &kind, const QString &text)
{
    if (plan.info.incidentId <= 0)
        return;
    if (!m_parts.store->addIncidentNote(
            plan.info.incidentId, {m_parts.clock->nowMs(), QStringLiteral("rewind"), kind, text}))
        log()->error("cannot add a note to incident #{}: {}", plan.info.incidentId,
                     m_parts.store->writeError());
    m_parts.events->publish(
        events::IncidentUpdated{plan.info.incidentId, kind, text, {}, plan.info.services()});
}

PlanFacts Orchestrator::facts(const ActivePlan &plan)
{
    PlanFacts f;
    f.interrupted = plan.interrupted;
    f.journalFailed = plan.journalFailed;
    f.aborted = plan.aborted;
    f.halted = plan.halted;
    f.haltReason = plan.haltReason;
    for (const auto &s : std::as_const(plan.info.steps)) {
        f.compensated = f.compensated || (s.onFailure && s.state == StepState::Succeeded);
        f.compensationFailed =
            f.compensationFailed || (s.onFailure && s.state == StepState::Failed);
    }
    return f;
}

void Orchestrator::finish(ActivePlan &plan)
{
    if (plan.finished)
        return;
    (void)apply(plan, settle(facts(plan)).event);
}

bool Orchestrator::apply(ActivePlan &plan, PlanEvent event)
{
    if (plan.finished)
        return false;
    const auto transition = planTransition(plan.info.state, event);
    if (!transition) {
        log()->critical("rollback #{}: '{}' is not possible while it is {}; ignored (a bug in "
                        "Rewind)",
                        plan.info.id, wireName(event), wireName(plan.info.state));
        return false;
    }
    const PlanState from = plan.info.state;
    plan.info.state = transition->to;
    if (isTerminal(transition->to)) {
        plan.finished = true;
        plan.info.finishedAtMs = m_parts.clock->nowMs();
    }
    const qint64 id = plan.info.id;
    for (const auto command : transition->commands) {
        switch (command) {
        case PlanCommand::Journal:
            if (!m_parts.store->setRollbackState(id, plan.info.state, plan.info.finishedAtMs, {})) {
                journalFailed(plan,
                              QStringLiteral("that the plan is %1").arg(wireName(plan.info.state)));
                return false;
            }
            break;
        case PlanCommand::AnnounceStart:
            m_parts.events->publish(events::RollbackStarted{plan.info});
            if (event == PlanEvent::Start)
                log()->info("rollback #{} started", id);
            break;
        case PlanCommand::RequestApproval:
            m_parts.events->publish(
                events::ApprovalRequested{plan.info, plan.info.approvalsNeeded});
            break;
        case PlanCommand::Halt:
            plan.halted = true;
            break;
        case PlanCommand::Advance:
            advance(id); // the plan may be gone now: Advance comes last
            break;
        case PlanCommand::SkipPending:
            for (int i = 0; i < plan.info.steps.size(); ++i) {
                if (plan.info.steps.at(i).state == StepState::Pending)
                    skip(
                        plan, i,
                        plan.info.steps.at(i).onFailure
                            ? QStringLiteral("not needed")
                            : QStringLiteral("not run: the plan halted (%1)").arg(plan.haltReason));
            }
            break;
        case PlanCommand::RecordEnd:
            plan.info.message = settle(facts(plan)).message;
            if (!m_parts.store->setRollbackState(id, plan.info.state, plan.info.finishedAtMs,
                                                 plan.info.message))
                log()->error("rollback #{}: the store could not record that it is {} ({}); a "
                             "restart would take it up again from its journal",
                             id, wireName(plan.info.state), m_parts.store->writeError());
            break;
        case PlanCommand::FreezeServices:
            freezeAfter(plan);
            break;
        case PlanCommand::AnnounceEnd:
            m_parts.events->publish(events::RollbackFinished{plan.info, plan.info.message});
            log()->log(plan.info.state == PlanState::Succeeded ? spdlog::level::info
                                                               : spdlog::level::err,
                       "rollback #{} {} after {} ms: {}", id, wireName(plan.info.state),
                       plan.info.finishedAtMs - plan.info.createdAtMs, plan.info.message);
            break;
        case PlanCommand::NoteIncident:
            addIncidentNote(plan, QStringLiteral("rollback"),
                            plan.info.state == PlanState::Succeeded
                                ? QStringLiteral("rollback #%1 succeeded").arg(id)
                                : QStringLiteral("rollback #%1 %2: %3")
                                      .arg(id)
                                      .arg(wireName(plan.info.state), plan.info.message));
            break;
        case PlanCommand::Escalate:
            m_parts.events->publish(events::RollbackEscalated{plan.info, plan.info.message});
            addIncidentNote(plan, QStringLiteral("escalation"),
                            QStringLiteral("rollback #%1 %2: %3")
                                .arg(id)
                                .arg(wireName(plan.info.state), plan.info.message));
            break;
        case PlanCommand::Retire: {
            const auto info = plan.info;
            m_active.erase(id); // `plan` is gone: Retire comes last
            emit rollbackFinished(info);
            break;
        }
        }
    }
    log()->debug("rollback #{}: {} -> {} on {}", id, wireName(from), wireName(transition->to),
                 wireName(event));
    return true;
}

void Orchestrator::freezeAfter(const ActivePlan &plan)
{
    // Deployments of the services stay frozen for a while after a rollback that did something.
    bool acted = false;
    for (const auto &s : std::as_const(plan.info.steps))
        acted = acted || s.attempts > 0;
    if (!acted)
        return;
    const auto &limits = m_parts.config->rollback.forClass(plan.info.rollbackClass);
    for (const auto &t : std::as_const(plan.info.targets)) {
        const auto *service = m_parts.config->service(t.service);
        const auto *env = service ? m_parts.config->environment(service->environment) : nullptr;
        const qint64 ms = std::max(env ? env->freezeAfterRollbackMs : 0, limits.freezeMs);
        freeze(t.service, ms,
               QStringLiteral("after rollback #%1 (%2)")
                   .arg(plan.info.id)
                   .arg(wireName(plan.info.state)),
               plan.info.id);
    }
}

void Orchestrator::evaluateGates(ActivePlan &plan, const QString &service)
{
    const qint64 now = m_parts.clock->nowMs();
    std::vector<std::pair<int, quint64>> decided;
    std::vector<StepResult> results;
    for (auto &[index, running] : plan.running) {
        if (!running.gate || (!service.isEmpty() && plan.info.steps.at(index).service != service))
            continue;
        const auto outcome = running.gate->evaluate(*m_parts.metrics, now);
        if (outcome == Gate::Outcome::Pending)
            continue;
        decided.emplace_back(index, running.token);
        results.push_back(
            {outcome == Gate::Outcome::Passed, false, running.gate->message(), {}, {}});
    }
    const qint64 id = plan.info.id;
    for (std::size_t i = 0; i < decided.size(); ++i)
        attemptDone(id, decided[i].first, decided[i].second, results[i]);
}

void Orchestrator::onSample(const QString &service)
{
    std::vector<qint64> ids;
    for (const auto &[id, plan] : m_active)
        ids.push_back(id);
    for (const auto id : ids) {
        if (auto *plan = find(id))
            evaluateGates(*plan, service);
    }
}

void Orchestrator::tick()
{
    expireApprovals();
    const qint64 now = m_parts.clock->nowMs();
    std::vector<qint64> ids;
    for (const auto &[id, plan] : m_active)
        ids.push_back(id);
    for (const auto id : ids) {
        auto *plan = find(id);
        if (!plan)
            continue;
        evaluateGates(*plan, {});
        if (!(plan = find(id)))
            continue;
        std::vector<std::pair<int, quint64>> late;
        for (const auto &[index, running] : plan->running) {
            if (!running.gate && running.deadlineMs > 0 && now > running.deadlineMs)
                late.emplace_back(index, running.token);
        }
        for (const auto &[index, token] : late)
            attemptDone(id, index, token,
                        {false,
                         true,
                         QStringLiteral("no answer from the executor within the step's timeout"),
                         {},
                         {}});
        if (!(plan = find(id)))
            continue;
        std::vector<int> due;
        for (const auto &[index, at] : plan->retryAt) {
            if (at <= now)
                due.push_back(index);
        }
        for (const int index : due) {
            plan->retryAt.erase(index);
            if (plan->halted)
                continue;
            startStep(*plan, index);
            if (!(plan = find(id)))
                break;
        }
        if (find(id))
            advance(id);
    }
}

} // namespace rwd::orchestrator
