#include "redeploy.h"

namespace rwd::orchestrator {

std::unique_ptr<Strategy> RedeployStrategy::create(config::MapReader &options,
                                                   const config::StrategyConfig &strategy,
                                                   const config::ServiceConfig &,
                                                   const config::Config &)
{
    return std::make_unique<RedeployStrategy>(
        strategy.executor, options.string(QStringLiteral("action"), QStringLiteral("redeploy")));
}

Result<QList<StepSpec>> RedeployStrategy::plan(const Target &target,
                                               const PlanContext &context) const
{
    auto step = executorStep(target, context, m_executor, m_action,
                             QStringLiteral("Redeploy %1 %2%3")
                                 .arg(target.service->name, target.to.version,
                                      target.to.artifact.isEmpty()
                                          ? QString()
                                          : QStringLiteral(" (%1)").arg(target.to.artifact)));
    step.restores = true;
    return QList<StepSpec>{step, verifyHealthStep(target)};
}

} // namespace rwd::orchestrator
