#include "strategy.h"

#include "common/duration.h"

namespace rwd::orchestrator {

bool isBuiltinStep(const QString &kind)
{
    for (const auto *builtin : {kVerifyHealth, kVerifyInstances, kPause, kWatch, kPreserveLogs}) {
        if (kind == QLatin1String(builtin))
            return true;
    }
    return false;
}

QJsonObject targetVariables(const Target &target)
{
    QJsonObject vars{{"service", target.service->name},
                     {"environment", target.service->environment},
                     {"kind", target.service->kind},
                     {"version", target.to.version},
                     {"previous_version", target.from.version},
                     {"artifact", target.to.artifact},
                     {"previous_artifact", target.from.artifact},
                     {"target", target.to.target},
                     {"previous_target", target.from.target},
                     {"colour", target.to.target},
                     {"previous_colour", target.from.target},
                     {"release_id", QString::number(target.to.id)},
                     {"previous_release_id", QString::number(target.from.id)}};
    for (auto it = target.to.metadata.begin(); it != target.to.metadata.end(); ++it)
        vars.insert(QStringLiteral("meta.") + it.key(), it.value().toString());
    return vars;
}

StepSpec executorStep(const Target &target, const PlanContext &context, const QString &executor,
                      const QString &action, const QString &description,
                      const QJsonObject &extraVars, const QJsonObject &params)
{
    StepSpec step;
    step.service = target.service->name;
    step.kind = action;
    step.executor = executor;
    step.description = description;
    QJsonObject vars = context.vars;
    for (auto it = extraVars.begin(); it != extraVars.end(); ++it)
        vars.insert(it.key(), it.value());
    step.params = params;
    step.params.insert(QStringLiteral("executor"), executor);
    step.params.insert(QStringLiteral("vars"), vars);
    if (!step.params.contains(QLatin1String("timeout_ms")))
        step.params.insert(QStringLiteral("timeout_ms"), context.limits.stepTimeoutMs);
    return step;
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

StepSpec pauseStep(const Target &target, qint64 ms, const QString &why)
{
    StepSpec step;
    step.service = target.service->name;
    step.kind = QString::fromLatin1(kPause);
    step.description = QStringLiteral("Wait %1 %2").arg(formatDuration(ms), why);
    step.params = {{QStringLiteral("duration_ms"), ms}};
    return step;
}

StepSpec watchStep(const Target &target, qint64 ms, int percent)
{
    StepSpec step;
    step.service = target.service->name;
    step.kind = QString::fromLatin1(kWatch);
    step.description = QStringLiteral("Watch %1 for %2 with %3% of its traffic back on %4")
                           .arg(target.service->name, formatDuration(ms))
                           .arg(percent)
                           .arg(target.to.version);
    step.params = {{QStringLiteral("duration_ms"), ms}, {QStringLiteral("percent"), percent}};
    markIntermediate(step);
    return step;
}

void markIntermediate(StepSpec &step)
{
    step.params.insert(QStringLiteral("gradual_intermediate"), true);
}

} // namespace rwd::orchestrator
