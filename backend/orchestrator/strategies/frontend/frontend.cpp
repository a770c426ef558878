#include "frontend.h"

namespace rwd::orchestrator {

std::unique_ptr<Strategy> FrontendStrategy::create(config::MapReader &options,
                                                   const config::StrategyConfig &strategy,
                                                   const config::ServiceConfig &,
                                                   const config::Config &config)
{
    const QString purge = options.string(QStringLiteral("purge"), QString());
    if (!purge.isEmpty() && !config.executor(purge))
        options.errorAt(QStringLiteral("purge"),
                        QStringLiteral("'purge' names no configured executor '%1'").arg(purge));
    return std::make_unique<FrontendStrategy>(strategy.executor, purge);
}

QList<ActionUse> FrontendStrategy::actions() const
{
    QList<ActionUse> uses{
        {m_executor, QStringLiteral("switch_assets"), QStringLiteral("executor")}};
    if (!m_purgeExecutor.isEmpty())
        uses.append({m_purgeExecutor, QStringLiteral("purge_cdn"), QStringLiteral("purge")});
    return uses;
}

Result<QList<StepSpec>> FrontendStrategy::plan(const Target &target,
                                               const PlanContext &context) const
{
    const auto &name = target.service->name;
    const QString assets = target.to.artifact.isEmpty() ? target.to.version : target.to.artifact;
    auto sw = executorStep(target, context, m_executor, QStringLiteral("switch_assets"),
                           QStringLiteral("Serve %1 assets %2 again").arg(name, assets));
    sw.restores = true;
    QList<StepSpec> steps{sw};
    if (!m_purgeExecutor.isEmpty())
        steps.append(executorStep(target, context, m_purgeExecutor, QStringLiteral("purge_cdn"),
                                  QStringLiteral("Purge the CDN of %1's assets").arg(name)));
    steps.append(verifyHealthStep(target));
    return steps;
}

} // namespace rwd::orchestrator
