#include "canary.h"

#include "common/duration.h"

namespace rwd::orchestrator {

std::unique_ptr<Strategy> CanaryStrategy::create(config::MapReader &options,
                                                 const config::StrategyConfig &strategy,
                                                 const config::ServiceConfig &,
                                                 const config::Config &)
{
    QList<int> steps;
    const auto node = options.value(QStringLiteral("steps"));
    if (!node.isNull()) {
        const auto items = node.isSequence() ? node.items() : QList<config::ConfigNode>{node};
        for (const auto &item : items) {
            bool ok = item.isScalar() && !item.isQuoted();
            const int weight = ok ? item.scalar().toInt(&ok) : -1;
            if (!ok || weight < 0 || weight > 99 || (!steps.isEmpty() && weight >= steps.last())) {
                options.errorAt(QStringLiteral("steps"),
                                QStringLiteral("'steps' of %1 must be canary weights from 99 down "
                                               "to 0, each smaller than the one before")
                                    .arg(options.what()));
                break;
            }
            steps.append(weight);
        }
    }
    if (steps.isEmpty() || steps.last() != 0)
        steps.append(0);
    const qint64 pause = options.durationMs(QStringLiteral("pause"), qint64(0));
    return std::make_unique<CanaryStrategy>(strategy.executor, steps, pause);
}

Result<QList<StepSpec>> CanaryStrategy::plan(const Target &target, const PlanContext &context) const
{
    const auto &name = target.service->name;
    const QString stable = target.to.target;
    const QString canary = target.from.target;
    if (stable.isEmpty() || canary.isEmpty())
        return failure(
            QStringLiteral("canary needs both releases of %1 recorded with a target (the "
                           "stable and the canary group)")
                .arg(name));
    if (stable == canary)
        return failure(
            QStringLiteral("release %1 of %2 runs on '%3', the same target as the canary; "
                           "there is no stable group to send traffic to")
                .arg(target.to.version, name, stable));
    // A gradual rollback uses the class's shifts; otherwise the strategy's own steps.
    QList<int> weights;
    qint64 pause = m_pauseMs;
    const bool gradual = context.rollbackClass == u"gradual";
    if (gradual) {
        for (const int shift : context.limits.shifts)
            weights.append(100 - shift);
        weights.append(0);
    } else {
        weights = m_steps;
    }
    QList<StepSpec> steps;
    for (int i = 0; i < weights.size(); ++i) {
        const int w = weights.at(i);
        const bool last = i + 1 == weights.size();
        auto step = executorStep(
            target, context, m_executor, QStringLiteral("set_weights"),
            w == 0 ? QStringLiteral("Stop the %1 canary %2 on %3: all traffic to %4 (%5)")
                         .arg(name, target.from.version, canary, stable, target.to.version)
                   : QStringLiteral("Lower the %1 canary on %2 to %3%").arg(name, canary).arg(w),
            {{"weight", QString::number(w)},
             {"weight_target", QString::number(100 - w)},
             {"weight_previous", QString::number(w)}},
            {{"weights", QJsonObject{{stable, 100 - w}, {canary, w}}}});
        if (last) {
            step.restores = true;
            steps.append(step);
            break;
        }
        if (gradual) {
            markIntermediate(step);
            steps.append(step);
            steps.append(watchStep(target, context.limits.watchMs, 100 - w));
        } else {
            steps.append(step);
            if (pause > 0)
                steps.append(
                    pauseStep(target, pause, QStringLiteral("with the canary at %1%").arg(w)));
            auto check = verifyHealthStep(target);
            check.description = QStringLiteral("Check %1 with the canary at %2%").arg(name).arg(w);
            steps.append(check);
        }
    }
    steps.append(verifyHealthStep(target));
    return steps;
}

} // namespace rwd::orchestrator
