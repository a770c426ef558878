#include "strategy.h"

#include "common/duration.h"

namespace rwd::orchestrator {

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
