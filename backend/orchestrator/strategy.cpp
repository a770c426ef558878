#include "strategy.h"

#include "common/duration.h"

namespace rwd::orchestrator {

void StrategyRegistry::add(const QString &type, Factory factory)
{
    m_factories.insert(type, std::move(factory));
}

const StrategyRegistry::Factory *StrategyRegistry::factory(const QString &type) const
{
    const auto it = m_factories.constFind(type);
    return it == m_factories.cend() ? nullptr : &*it;
}

QStringList StrategyRegistry::types() const
{
    auto names = m_factories.keys();
    names.sort();
    return names;
}

std::unique_ptr<Strategy> StrategyRegistry::create(const config::ServiceConfig &service,
                                                   const config::Config &config,
                                                   config::Diagnostics &diagnostics) const
{
    if (!service.strategy)
        return nullptr;
    const auto *make = factory(service.strategy->type);
    if (!make)
        return nullptr;
    const auto before = diagnostics.count();
    config::MapReader options(service.strategy->node, diagnostics,
                              QStringLiteral("strategy of service '%1'").arg(service.name));
    auto created = (*make)(options, *service.strategy, service, config);
    return diagnostics.count() == before ? std::move(created) : nullptr;
}

StepSpec verifyHealthStep(const Target &target)
{
    const auto &v = target.service->verification;
    StepSpec step;
    step.service = target.service->name;
    step.kind = QString::fromLatin1(kVerifyHealth);
    step.description = QStringLiteral("Verify %1 on %2: every check passes %3 times in a row "
                                      "within %4")
                           .arg(target.service->name, target.to.version)
                           .arg(v.consecutiveSuccesses)
                           .arg(formatDuration(v.timeoutMs));
    step.params = {{QStringLiteral("consecutive_successes"), v.consecutiveSuccesses},
                   {QStringLiteral("timeout_ms"), v.timeoutMs}};
    return step;
}

} // namespace rwd::orchestrator
