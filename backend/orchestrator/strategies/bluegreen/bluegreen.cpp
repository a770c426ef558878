#include "bluegreen.h"

namespace rwd::orchestrator {

std::unique_ptr<Strategy> BlueGreenStrategy::create(config::MapReader &options,
                                                    const config::StrategyConfig &strategy,
                                                    const config::ServiceConfig &,
                                                    const config::Config &)
{
    if (const auto keep = options.boolean(QStringLiteral("keep_failed")); keep && !*keep)
        options.errorAt(QStringLiteral("keep_failed"),
                        QStringLiteral("blue_green always keeps the failed colour running for "
                                       "debugging; 'keep_failed: false' is not supported"));
    return std::make_unique<BlueGreenStrategy>(strategy.executor);
}

std::variant<QList<StepSpec>, QString> BlueGreenStrategy::plan(const Target &target) const
{
    if (target.to.target.isEmpty())
        return QStringLiteral("release %1 of %2 was recorded without a target colour, so "
                              "blue_green does not know where to send traffic")
            .arg(target.to.version, target.service->name);
    if (target.to.target == target.from.target)
        return QStringLiteral("release %1 of %2 runs on '%3', the same colour as the release to "
                              "roll back; its instances were replaced")
            .arg(target.to.version, target.service->name, target.to.target);
    StepSpec sw;
    sw.service = target.service->name;
    sw.kind = QStringLiteral("switch_traffic");
    sw.description = QStringLiteral("Route %1 traffic to %2 (%3)")
                         .arg(target.service->name, target.to.target, target.to.version);
    sw.params = {{QStringLiteral("executor"), m_executor},
                 {QStringLiteral("target"), target.to.target},
                 {QStringLiteral("version"), target.to.version}};
    return QList<StepSpec>{sw, verifyHealthStep(target)};
}

} // namespace rwd::orchestrator
