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
    case RulePhase::NoTraffic:
        return QStringLiteral("no_traffic");
    }
    return {};
}

namespace {

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

// The services a rule is compiled for. A rule that names no services applies to every service
// (of its environments and kinds) that has all the checks it refers to, so one rule file can
// serve a fleet whose services are checked differently. If that leaves none, it is compiled for
// all of them, so that a misspelt check is reported where it is written — except for a rule
// from an included rule library, which is then inert: a library serves many fleets.
QList<const config::ServiceConfig *>
servicesFor(const config::Config &config, const config::RuleConfig &rule,
            const std::function<Scope(const config::ServiceConfig &)> &scopes)
{
    auto scoped = config.servicesOf(rule);
    if (!rule.services.isEmpty())
        return scoped;
    const auto needed = Expression::referencedChecks(rule.when);
    QList<const config::ServiceConfig *> out;
    for (const auto *service : std::as_const(scoped)) {
        const auto scope = scopes(*service);
        bool hasAll = true;
        for (const auto &check : needed)
            hasAll = hasAll && scope.checks.contains(check);
        if (hasAll)
            out.append(service);
    }
    return out.isEmpty() && !rule.included ? scoped : out;
}

} // namespace

void RuleEngine::validate(const config::Config &config, const config::RuleConfig &rule,
                          const ScopeProvider &scopes, config::Diagnostics &diagnostics)
{
    const auto services = servicesFor(config, rule, scopes);
    QList<QPair<QString, QList<CompileError>>> errors;
    for (const auto *service : services) {
        auto compiled = Expression::compile(rule.when, scopes(*service));
        if (!compiled)
            errors.append({service->name, compiled.error()});
    }
    report(rule, errors, services.size(), diagnostics);
}

RuleEngine::RuleEngine(const config::Config &config, const ScopeProvider &scopes,
                       config::Diagnostics &diagnostics)
{
    QHash<QString, Scope> scopeOf;
    for (const auto &service : config.services)
        scopeOf.insert(service.name, scopes(service));
    const auto scopeFor = [&scopeOf](const config::ServiceConfig &s) {
        return scopeOf.value(s.name);
    };
    for (const auto &rule : config.rules) {
        const auto services = servicesFor(config, rule, scopeFor);
        QList<QPair<QString, QList<CompileError>>> errors;
        for (const auto *service : services) {
            auto compiled = Expression::compile(rule.when, scopeOf.value(service->name));
            if (!compiled) {
                errors.append({service->name, compiled.error()});
                continue;
            }
            Instance instance;
            instance.rule = &rule;
            instance.service = service->name;
            instance.expression = *std::move(compiled);
            instance.checks = Expression::referencedChecks(rule.when);
            m_byService[service->name].push_back(m_instances.size());
            m_instances.push_back(std::move(instance));
        }
        report(rule, errors, services.size(), diagnostics);
    }
}

std::vector<Transition> RuleEngine::onSample(const QString &service, const QString &check,
                                             const MetricSource &source, qint64 nowMs)
{
    std::vector<Transition> out;
    const auto it = m_byService.constFind(service);
    if (it == m_byService.cend())
        return out;
    for (const auto index : *it) {
        auto &instance = m_instances[index];
        if (instance.rule->everyMs == 0 && instance.checks.contains(check))
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

std::vector<Transition> RuleEngine::releaseChanged(const QString &service, bool deployed)
{
    std::vector<Transition> out;
    for (const auto index : m_byService.value(service)) {
        auto &instance = m_instances[index];
        if (instance.phase == RulePhase::Firing)
            out.push_back({Transition::Kind::Resolved, instance.rule, instance.firing,
                           deployed ? QStringLiteral("a new release of the service went live")
                                    : QStringLiteral("a rollback put the service back on an "
                                                     "earlier release")});
        instance.phase = RulePhase::Inactive;
        instance.consecutiveTrue = 0;
        instance.consecutiveFalse = 0;
        instance.pendingSinceMs = 0;
        if (deployed)
            instance.lastFiredMs = 0;
    }
    return out;
}

void RuleEngine::evaluate(Instance &instance, const MetricSource &source, qint64 nowMs,
                          std::vector<Transition> &out)
{
    const auto &rule = *instance.rule;
    instance.lastEvaluatedMs = nowMs;
    ++m_evaluations;
    const auto truth =
        instance.expression->evaluate(source, nowMs, nullptr, m_observer ? &m_terms : nullptr);
    if (m_observer)
        m_observer->evaluated(rule, instance.service, instance.expression->comparisons(), m_terms,
                              nowMs);
    switch (truth) {
    case Truth::True: {
        ++instance.consecutiveTrue;
        instance.consecutiveFalse = 0;
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
        (void)instance.expression->evaluate(source, nowMs, &firing.values);
        instance.firing = firing;
        out.push_back({Transition::Kind::Fired, &rule, firing, {}});
        return;
    }
    case Truth::False:
        instance.consecutiveTrue = 0;
        ++instance.consecutiveFalse;
        if (instance.phase == RulePhase::Firing) {
            // A firing rule resolves only after `recover_after` false evaluations in a row.
            if (instance.consecutiveFalse < rule.recoverAfter)
                return;
            protocol::FiringInfo resolved = instance.firing;
            (void)instance.expression->evaluate(source, nowMs, &resolved.values);
            out.push_back({Transition::Kind::Resolved, &rule, resolved, {}});
        }
        instance.phase = RulePhase::Inactive;
        return;
    case Truth::Unknown:
    case Truth::NoTraffic:
        instance.consecutiveTrue = 0;
        // A firing rule stays firing while data is missing: silence is not recovery.
        if (instance.phase != RulePhase::Firing)
            instance.phase =
                truth == Truth::NoTraffic ? RulePhase::NoTraffic : RulePhase::InsufficientData;
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

std::vector<std::pair<QString, MetricQuery>> RuleEngine::queries() const
{
    std::vector<std::pair<QString, MetricQuery>> out;
    for (const auto &instance : m_instances) {
        for (const auto &q : instance.expression->queries())
            out.emplace_back(instance.service, q);
    }
    return out;
}

std::vector<RuleEngine::CompiledRule> RuleEngine::compiled() const
{
    std::vector<CompiledRule> out;
    out.reserve(m_instances.size());
    for (const auto &instance : m_instances)
        out.push_back({instance.rule, instance.service, instance.expression->comparisons()});
    return out;
}

QList<QPair<QString, RulePhase>> RuleEngine::phases(const QString &service) const
{
    QList<QPair<QString, RulePhase>> out;
    for (const auto index : m_byService.value(service))
        out.append({m_instances[index].rule->name, m_instances[index].phase});
    return out;
}

} // namespace rwd::rules
