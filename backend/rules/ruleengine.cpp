#include "ruleengine.h"

namespace rwd::rules {

QString phaseName(RulePhase phase)
{
    switch (phase) {
    case RulePhase::Inactive:
        return QStringLiteral("inactive");
    case RulePhase::Pending:
        return QStringLiteral("pending");
    case RulePhase::Firing:
        return QStringLiteral("firing");
    case RulePhase::InsufficientData:
        return QStringLiteral("insufficient_data");
    }
    return {};
}

namespace {

Scope scopeOf(const config::ServiceConfig &service)
{
    Scope scope;
    for (const auto &c : service.checks)
        scope.checks.append(c.name);
    return scope;
}

// Reports each distinct error once; names the service only when the error does not apply to
// every service the rule is scoped to.
void report(const config::RuleConfig &rule,
            const QList<QPair<QString, QList<CompileError>>> &errorsByService,
            qsizetype serviceCount, config::Diagnostics &diagnostics)
{
    QList<QPair<qsizetype, QString>> order;
    QHash<QString, QStringList> servicesOf;
    for (const auto &[service, errors] : errorsByService) {
        for (const auto &e : errors) {
            const auto key = QString::number(e.offset) + u'\x1f' + e.message;
            if (!servicesOf.contains(key))
                order.append({e.offset, e.message});
            servicesOf[key].append(service);
        }
    }
    for (const auto &[offset, message] : order) {
        const auto services = servicesOf.value(QString::number(offset) + u'\x1f' + message);
        const QString suffix =
            services.size() < serviceCount
                ? QStringLiteral(" (for service %1)").arg(services.join(QStringLiteral(", ")))
                : QString();
        diagnostics.error(rule.positionOf(offset),
                          QStringLiteral("in rule '%1': %2%3").arg(rule.name, message, suffix));
    }
}

} // namespace

void RuleEngine::validate(const config::Config &config, const config::RuleConfig &rule,
                          config::Diagnostics &diagnostics)
{
    const auto services = config.servicesOf(rule);
    QList<QPair<QString, QList<CompileError>>> errors;
    for (const auto *service : services) {
        auto compiled = Expression::compile(rule.when, scopeOf(*service));
        if (auto *e = std::get_if<QList<CompileError>>(&compiled))
            errors.append({service->name, *e});
    }
    report(rule, errors, services.size(), diagnostics);
}

RuleEngine::RuleEngine(const config::Config &config, config::Diagnostics &diagnostics)
{
    for (const auto &rule : config.rules) {
        const auto services = config.servicesOf(rule);
        QList<QPair<QString, QList<CompileError>>> errors;
        for (const auto *service : services) {
            auto compiled = Expression::compile(rule.when, scopeOf(*service));
            if (auto *e = std::get_if<QList<CompileError>>(&compiled)) {
                errors.append({service->name, *e});
                continue;
            }
            Instance instance{&rule,
                              service->name,
                              std::get<Expression>(std::move(compiled)),
                              RulePhase::Inactive,
                              0,
                              0,
                              0,
                              0,
                              {}};
            m_byService[service->name].push_back(m_instances.size());
            m_instances.push_back(std::move(instance));
        }
        report(rule, errors, services.size(), diagnostics);
    }
}

std::vector<Transition> RuleEngine::onSample(const QString &service, const MetricSource &source,
                                             qint64 nowMs)
{
    std::vector<Transition> out;
    const auto it = m_byService.constFind(service);
    if (it == m_byService.cend())
        return out;
    for (const auto index : *it) {
        auto &instance = m_instances[index];
        if (instance.rule->everyMs == 0)
            evaluate(instance, source, nowMs, out);
    }
    return out;
}

std::vector<Transition>
RuleEngine::tick(const std::function<const MetricSource &(const QString &)> &sourceFor,
                 qint64 nowMs)
{
    std::vector<Transition> out;
    for (auto &instance : m_instances) {
        const auto every = instance.rule->everyMs;
        const bool due = every > 0 ? nowMs - instance.lastEvaluatedMs >= every
                                   : instance.phase == RulePhase::Pending;
        if (due)
            evaluate(instance, sourceFor(instance.service), nowMs, out);
    }
    return out;
}

void RuleEngine::evaluate(Instance &instance, const MetricSource &source, qint64 nowMs,
                          std::vector<Transition> &out)
{
    const auto &rule = *instance.rule;
    instance.lastEvaluatedMs = nowMs;
    const auto truth = instance.expression.evaluate(source, nowMs);
    switch (truth) {
    case Truth::True: {
        ++instance.consecutiveTrue;
        if (instance.phase == RulePhase::Firing)
            return;
        if (instance.phase != RulePhase::Pending) {
            instance.phase = RulePhase::Pending;
            instance.pendingSinceMs = nowMs;
        }
        const bool held = nowMs - instance.pendingSinceMs >= rule.forMs &&
                          instance.consecutiveTrue >= rule.consecutive;
        const bool cooledDown =
            instance.lastFiredMs == 0 || nowMs - instance.lastFiredMs >= rule.cooldownMs;
        if (!held || !cooledDown)
            return;
        instance.phase = RulePhase::Firing;
        instance.lastFiredMs = nowMs;
        protocol::FiringInfo firing;
        firing.rule = rule.name;
        firing.service = instance.service;
        firing.severity = rule.severity;
        firing.action = rule.action;
        firing.expression = rule.when;
        firing.sinceMs = nowMs;
        // Evaluate once more, recording what each function returned: the evidence.
        (void)instance.expression.evaluate(source, nowMs, &firing.values);
        instance.firing = firing;
        out.push_back({Transition::Kind::Fired, &rule, firing});
        return;
    }
    case Truth::False:
        instance.consecutiveTrue = 0;
        if (instance.phase == RulePhase::Firing) {
            protocol::FiringInfo resolved = instance.firing;
            (void)instance.expression.evaluate(source, nowMs, &resolved.values);
            out.push_back({Transition::Kind::Resolved, &rule, resolved});
        }
        instance.phase = RulePhase::Inactive;
        return;
    case Truth::Unknown:
        instance.consecutiveTrue = 0;
        // A firing rule stays firing while data is missing: silence is not recovery.
        if (instance.phase != RulePhase::Firing)
            instance.phase = RulePhase::InsufficientData;
        return;
    }
}

RulePhase RuleEngine::phase(const QString &rule, const QString &service) const
{
    for (const auto index : m_byService.value(service)) {
        const auto &instance = m_instances[index];
        if (instance.rule->name == rule)
            return instance.phase;
    }
    return RulePhase::Inactive;
}

QList<protocol::FiringInfo> RuleEngine::activeFirings(const QString &service) const
{
    QList<protocol::FiringInfo> out;
    for (const auto index : m_byService.value(service)) {
        const auto &instance = m_instances[index];
        if (instance.phase == RulePhase::Firing)
            out.append(instance.firing);
    }
    return out;
}

qint64 RuleEngine::longestWindowMs(const QString &service, const QString &check) const
{
    qint64 longest = 0;
    for (const auto index : m_byService.value(service)) {
        for (const auto &q : m_instances[index].expression.queries()) {
            if (q.check == check)
                longest = std::max(longest, q.windowMs);
        }
    }
    return longest;
}

} // namespace rwd::rules
