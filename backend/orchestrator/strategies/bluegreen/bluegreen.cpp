#include "bluegreen.h"

namespace rwd::orchestrator {

std::unique_ptr<Strategy> BlueGreenStrategy::create(config::MapReader &options,
                                                    const config::StrategyConfig &strategy,
                                                    const config::ServiceConfig &,
                                                    const config::Config &config)
{
    const bool keep = options.boolean(QStringLiteral("keep_failed")).value_or(true);
    const auto retire = options.string(QStringLiteral("retire_executor"));
    if (!keep && !retire)
        options.errorAt(QStringLiteral("keep_failed"),
                        QStringLiteral("'keep_failed: false' needs 'retire_executor', the "
                                       "executor that stops the failed colour"));
    if (retire && !config.executor(*retire))
        options.errorAt(
            QStringLiteral("retire_executor"),
            QStringLiteral("'retire_executor' names no configured executor '%1'").arg(*retire));
    return std::make_unique<BlueGreenStrategy>(strategy.executor,
                                               keep ? QString() : retire.value_or(QString()));
}

QList<ActionUse> BlueGreenStrategy::actions() const
{
    QList<ActionUse> uses{
        {m_executor, QStringLiteral("switch_traffic"), QStringLiteral("executor")}};
    if (!m_retireExecutor.isEmpty())
        uses.append(
            {m_retireExecutor, QStringLiteral("retire"), QStringLiteral("retire_executor")});
    return uses;
}

Result<QList<StepSpec>> BlueGreenStrategy::plan(const Target &target,
                                                const PlanContext &context) const
{
    const auto &name = target.service->name;
    if (target.to.target.isEmpty())
        return failure(QStringLiteral("release %1 of %2 was recorded without a target colour, so "
                                      "blue_green does not know where to send traffic")
                           .arg(target.to.version, name));
    if (target.to.target == target.from.target)
        return failure(
            QStringLiteral("release %1 of %2 runs on '%3', the same colour as the release to "
                           "roll back; its instances were replaced")
                .arg(target.to.version, name, target.to.target));
    QList<StepSpec> steps;
    if (context.rollbackClass == u"gradual") {
        for (const int percent : context.limits.shifts) {
            auto shift =
                executorStep(target, context, m_executor, QStringLiteral("set_weights"),
                             QStringLiteral("Send %1% of %2 traffic back to %3 (%4)")
                                 .arg(percent)
                                 .arg(name, target.to.target, target.to.version),
                             {{"weight_target", QString::number(percent)},
                              {"weight_previous", QString::number(100 - percent)}},
                             {{"weights", QJsonObject{{target.to.target, percent},
                                                      {target.from.target, 100 - percent}}}});
            markIntermediate(shift);
            steps.append(shift);
            steps.append(watchStep(target, context.limits.watchMs, percent));
        }
    }
    auto sw = executorStep(target, context, m_executor, QStringLiteral("switch_traffic"),
                           QStringLiteral("Route %1 traffic to %2 (%3)")
                               .arg(name, target.to.target, target.to.version));
    sw.restores = true;
    steps.append(sw);
    steps.append(verifyHealthStep(target));
    if (!m_retireExecutor.isEmpty())
        steps.append(executorStep(
            target, context, m_retireExecutor, QStringLiteral("retire"),
            QStringLiteral("Stop %1 on %2 (%3)").arg(name, target.from.target, target.from.version),
            {{"target", target.from.target}, {"colour", target.from.target}}));
    return steps;
}

} // namespace rwd::orchestrator
