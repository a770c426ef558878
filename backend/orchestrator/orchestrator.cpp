#include "orchestrator.h"

#include "events/eventhub.h"
#include "executors/executor.h"
#include "logging/logging.h"
#include "monitor/metricstore.h"
#include "releases/releasetracker.h"
#include "store/store.h"

#include <QPointer>

namespace rwd::orchestrator {

namespace {
auto log()
{
    return logging::get("orchestrator");
}

QString eventName(const char *name)
{
    return QString::fromLatin1(name);
}
} // namespace

Orchestrator::Orchestrator(Parts parts, QObject *parent)
    : QObject(parent)
    , m_parts(std::move(parts))
{}

Orchestrator::~Orchestrator() = default;

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

std::variant<std::pair<protocol::RollbackInfo, QList<QJsonObject>>, Error>
Orchestrator::buildPlan(const RollbackRequest &request) const
{
    const auto &config = *m_parts.config;
    if (request.services.isEmpty())
        return Error{QStringLiteral("invalid_request"), QStringLiteral("no service to roll back")};
    protocol::RollbackInfo info;
    QList<QJsonObject> params;
    info.state = PlanState::Planned;
    info.trigger = request.trigger;
    info.reason = request.reason;
    info.requestedBy = request.requestedBy;
    info.createdAtMs = m_parts.clock->nowMs();
    QStringList strategies;
    for (const auto &name : request.services) {
        const auto *service = config.service(name);
        if (!service)
            return Error{QStringLiteral("unknown_service"),
                         QStringLiteral("no service named '%1' is configured").arg(name)};
        if (isRollingBack(name))
            return Error{QStringLiteral("rollback_in_progress"),
                         QStringLiteral("'%1' is already being rolled back").arg(name)};
        auto *strategy = m_parts.strategies.value(name);
        if (!strategy)
            return Error{
                QStringLiteral("no_strategy"),
                QStringLiteral("service '%1' has no rollback strategy configured").arg(name)};
        const auto from = m_parts.releases->current(name);
        const auto to = m_parts.releases->rollbackTarget(name);
        if (!from)
            return Error{QStringLiteral("no_release"),
                         QStringLiteral("no deployment of '%1' has been recorded").arg(name)};
        if (!to)
            return Error{QStringLiteral("no_rollback_target"),
                         QStringLiteral("'%1' has no verified release other than the current one "
                                        "(%2) to roll back to")
                             .arg(name, from->version)};
        const Target target{service, *from, *to};
        auto steps = strategy->plan(target);
        if (auto *why = std::get_if<QString>(&steps))
            return Error{QStringLiteral("cannot_plan"), *why};
        info.targets.append({name, from->version, to->version, from->id, to->id});
        for (const auto &spec : std::get<QList<StepSpec>>(steps)) {
            protocol::StepInfo step;
            step.index = int(info.steps.size());
            step.service = spec.service;
            step.kind = spec.kind;
            step.description = spec.description;
            step.state = StepState::Pending;
            info.steps.append(step);
            params.append(spec.params);
        }
        if (!strategies.contains(strategy->type()))
            strategies.append(strategy->type());
    }
    info.strategy = strategies.join(u',');
    return std::pair{info, params};
}

std::variant<protocol::RollbackInfo, Error> Orchestrator::request(const RollbackRequest &request)
{
    auto built = buildPlan(request);
    if (auto *error = std::get_if<Error>(&built))
        return *error;
    auto [info, params] = std::get<0>(std::move(built));
    if (request.dryRun)
        return info;

    // The strictest policy among the environments of the targets applies.
    bool needsApproval = false;
    for (const auto &t : std::as_const(info.targets)) {
        const auto *service = m_parts.config->service(t.service);
        const auto *env = m_parts.config->environment(service->environment);
        needsApproval = needsApproval || (env && env->approval.required);
    }
    if (!m_parts.store->createRollback(info, params, request.firingId))
        return Error{QStringLiteral("store_failed"),
                     QStringLiteral("the plan could not be stored")};
    auto plan = std::make_unique<ActivePlan>();
    plan->info = info;
    plan->params = params;
    const qint64 id = info.id;
    m_active.emplace(id, std::move(plan));
    log()->info("rollback #{} planned ({}): {} step(s), trigger {}", id, info.strategy,
                info.steps.size(), info.trigger);
    for (const auto &t : std::as_const(info.targets))
        log()->info("rollback #{}: {} {} -> {}", id, t.service, t.fromVersion, t.toVersion);
    auto &active = *m_active.at(id);
    if (needsApproval) {
        setPlanState(active, PlanState::AwaitingApproval);
        m_parts.events->publish(eventName(protocol::event::RollbackStarted), active.info.toJson());
        return active.info;
    }
    start(id);
    return m_active.count(id) ? m_active.at(id)->info : *m_parts.store->rollback(id);
}

void Orchestrator::onRuleFired(const config::RuleConfig &rule, const protocol::FiringInfo &firing,
                               qint64 firingId)
{
    if (rule.action != u"rollback")
        return;
    const auto *service = m_parts.config->service(firing.service);
    const auto *env = service ? m_parts.config->environment(service->environment) : nullptr;
    if (!env || !env->autoRollback) {
        log()->warn("rule '{}' fired for {} but automatic rollback is off in '{}'; alert only",
                    rule.name, firing.service, service ? service->environment : QString());
        return;
    }
    if (isRollingBack(firing.service))
        return;
    RollbackRequest r;
    r.services = {firing.service};
    r.trigger = QStringLiteral("rule:") + rule.name;
    r.reason = QStringLiteral("rule '%1' fired: %2").arg(rule.name, rule.when);
    r.requestedBy = QStringLiteral("rewind");
    r.firingId = firingId;
    const auto result = request(r);
    if (const auto *error = std::get_if<Error>(&result))
        log()->error("rule '{}' fired for {} but no rollback is possible: {}", rule.name,
                     firing.service, error->message);
}

void Orchestrator::setPlanState(ActivePlan &plan, PlanState state)
{
    plan.info.state = state;
    m_parts.store->setRollbackState(plan.info.id, state, plan.info.finishedAtMs, {});
}

void Orchestrator::start(qint64 id)
{
    auto &plan = *m_active.at(id);
    setPlanState(plan, PlanState::Running);
    m_parts.events->publish(eventName(protocol::event::RollbackStarted), plan.info.toJson());
    log()->info("rollback #{} started", id);
    runStep(plan, 0);
}

void Orchestrator::runStep(ActivePlan &plan, int index)
{
    if (index >= plan.info.steps.size()) {
        finish(plan, PlanState::Succeeded, QStringLiteral("every step succeeded"));
        return;
    }
    plan.current = index;
    auto &step = plan.info.steps[index];
    const auto &params = plan.params.at(index);
    const qint64 now = m_parts.clock->nowMs();
    step.state = StepState::Running;
    step.startedAtMs = now;
    ++plan.attempt;
    // Journal first: if the daemon dies during the step, the store says it was running.
    m_parts.store->updateStep(step, 1);
    m_parts.events->publish(eventName(protocol::event::StepStarted),
                            QJsonObject{{"rollback_id", plan.info.id}, {"step", step.toJson()}});
    log()->info("rollback #{} step {} started: {}", plan.info.id, index + 1, step.description);

    const qint64 planId = plan.info.id;
    if (step.kind == QLatin1String(kVerifyHealth)) {
        const auto *service = m_parts.config->service(step.service);
        plan.verification = std::make_unique<HealthVerification>(
            *service, now, params.value(QLatin1String("consecutive_successes")).toInt(3),
            params.value(QLatin1String("timeout_ms")).toInteger(300'000));
        if (plan.info.state != PlanState::Verifying)
            setPlanState(plan, PlanState::Verifying);
        decideVerification(plan);
        return;
    }
    const QString executorName = params.value(QLatin1String("executor")).toString();
    auto *executor = m_parts.executors.value(executorName);
    if (!executor) {
        stepFinished(planId, index, false,
                     QStringLiteral("executor '%1' is not configured").arg(executorName));
        return;
    }
    QPointer<Orchestrator> self(this);
    executor->execute(step.kind, params, [self, planId, index](const executors::ActionResult &r) {
        if (self)
            self->stepFinished(planId, index, r.ok, r.message);
    });
}

void Orchestrator::decideVerification(ActivePlan &plan)
{
    if (!plan.verification)
        return;
    const auto outcome = plan.verification->evaluate(*m_parts.metrics, m_parts.clock->nowMs());
    if (outcome == HealthVerification::Outcome::Pending)
        return;
    const auto message = plan.verification->message();
    plan.verification.reset();
    stepFinished(plan.info.id, plan.current, outcome == HealthVerification::Outcome::Passed,
                 message);
}

void Orchestrator::stepFinished(qint64 planId, int index, bool ok, const QString &message)
{
    const auto it = m_active.find(planId);
    if (it == m_active.end())
        return;
    auto &plan = *it->second;
    auto &step = plan.info.steps[index];
    step.state = ok ? StepState::Succeeded : StepState::Failed;
    step.finishedAtMs = m_parts.clock->nowMs();
    step.message = message;
    m_parts.store->updateStep(step, 1);
    m_parts.events->publish(eventName(protocol::event::StepFinished),
                            QJsonObject{{"rollback_id", planId}, {"step", step.toJson()}});
    log()->log(ok ? spdlog::level::info : spdlog::level::err,
               "rollback #{} step {} {} in {} ms: {}", planId, index + 1, wireName(step.state),
               step.finishedAtMs - step.startedAtMs, message);
    if (!ok) {
        finish(plan, PlanState::Failed,
               QStringLiteral("step %1 (%2) failed: %3").arg(index + 1).arg(step.kind, message));
        return;
    }
    // A step that switched traffic already moved the service: record it now, so that the
    // status shows the truth even if verification later fails.
    if (step.kind == u"switch_traffic") {
        for (const auto &t : std::as_const(plan.info.targets)) {
            if (t.service == step.service)
                m_parts.releases->rolledBack(t.service, t.fromReleaseId, t.toReleaseId);
        }
    }
    runStep(plan, index + 1);
}

void Orchestrator::finish(ActivePlan &plan, PlanState state, const QString &message)
{
    const qint64 now = m_parts.clock->nowMs();
    for (auto &step : plan.info.steps) {
        if (step.state == StepState::Pending) {
            step.state = StepState::Skipped;
            m_parts.store->updateStep(step, 0);
        }
    }
    plan.info.state = state;
    plan.info.finishedAtMs = now;
    m_parts.store->setRollbackState(plan.info.id, state, now, message);
    m_parts.events->publish(eventName(protocol::event::RollbackFinished),
                            QJsonObject{{"rollback", plan.info.toJson()}, {"message", message}});
    log()->log(state == PlanState::Succeeded ? spdlog::level::info : spdlog::level::err,
               "rollback #{} {} after {} ms: {}", plan.info.id, wireName(state),
               now - plan.info.createdAtMs, message);
    const auto info = plan.info;
    m_active.erase(info.id);
    emit rollbackFinished(info);
}

void Orchestrator::onSample(const QString &service)
{
    std::vector<qint64> ids;
    for (const auto &[id, plan] : m_active) {
        if (plan->verification && plan->verification->service() == service)
            ids.push_back(id);
    }
    for (const auto id : ids) {
        if (const auto it = m_active.find(id); it != m_active.end())
            decideVerification(*it->second);
    }
}

void Orchestrator::tick()
{
    std::vector<qint64> ids;
    for (const auto &[id, plan] : m_active) {
        if (plan->verification)
            ids.push_back(id);
    }
    for (const auto id : ids) {
        if (const auto it = m_active.find(id); it != m_active.end())
            decideVerification(*it->second);
    }
}

} // namespace rwd::orchestrator
