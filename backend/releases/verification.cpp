#include "verification.h"

#include "common/duration.h"

#include <algorithm>
#include <cmath>

namespace rwd::releases {

namespace {

// The smallest number of samples a check is judged on, whatever its interval.
constexpr qint64 kFloorSamples = 3;

QString percent(double ratio)
{
    return QStringLiteral("%1%").arg(ratio * 100.0, 0, 'f', ratio < 0.1 ? 1 : 0);
}

// "health: 3 of 30 samples failed (10%)"
QString describe(const protocol::VerificationCheck &c)
{
    return QStringLiteral("%1: %2 of %3 sample(s) failed (%4)")
        .arg(c.check)
        .arg(c.failed)
        .arg(c.samples)
        .arg(percent(c.errorRate));
}

} // namespace

qint64 samplesNeeded(const VerificationPolicy &policy, const CheckEvidence &check, qint64 dueAtMs)
{
    if (policy.minSamples)
        return std::max<qint64>(*policy.minSamples, 1);
    if (check.passive || check.intervalMs <= 0)
        return 0;
    const qint64 judged = std::max<qint64>(dueAtMs - check.countFromMs, 0);
    const auto scheduled = qint64(std::floor(double(judged) / double(check.intervalMs)));
    return std::max<qint64>(kFloorSamples, (scheduled + 1) / 2);
}

protocol::VerificationInfo judge(const VerificationInput &in)
{
    protocol::VerificationInfo v;
    v.releaseId = in.releaseId;
    v.startedAtMs = in.liveSinceMs;
    v.dueAtMs = in.liveSinceMs + in.policy.verifyAfterMs;
    v.judgedAtMs = in.nowMs;
    v.remainingMs = std::max<qint64>(v.dueAtMs - in.nowMs, 0);
    v.errorBudget = in.policy.errorBudget;
    v.graceUntilMs = in.liveSinceMs;

    QStringList overBudget;
    QStringList short_;
    qint64 checkErrors = 0;
    QString lastCheckError;
    for (const auto &e : in.checks) {
        protocol::VerificationCheck c;
        c.check = e.check;
        c.samples = e.ok + e.failed;
        c.failed = e.failed;
        c.needed = samplesNeeded(in.policy, e, v.dueAtMs);
        c.inGrace = e.inGrace;
        c.checkErrors = e.checkErrors;
        c.errorRate = c.samples > 0 ? double(c.failed) / double(c.samples) : 0.0;
        // Strictly above: a budget of 1 % allows one failure in a hundred samples.
        c.overBudget = c.samples > 0 && c.errorRate > in.policy.errorBudget;
        c.lastFailure = e.lastFailure;
        c.lastCheckError = e.lastCheckError;
        v.graceUntilMs = std::max(v.graceUntilMs, e.countFromMs);
        if (c.overBudget)
            overBudget.append(describe(c));
        if (c.samples < c.needed)
            short_.append(
                QStringLiteral("%1: %2 of %3 sample(s)").arg(c.check).arg(c.samples).arg(c.needed));
        checkErrors += e.checkErrors;
        if (!e.lastCheckError.isEmpty())
            lastCheckError = e.lastCheckError;
        v.checks.append(c);
    }
    qint64 total = 0;
    for (const auto &c : std::as_const(v.checks))
        total += c.samples;
    if (total == 0 && short_.isEmpty())
        short_.append(QStringLiteral("no check has a sample"));
    const QString budget = percent(in.policy.errorBudget);
    const QString errorsNote =
        checkErrors > 0
            ? QStringLiteral("; %1 probe(s) could not be made by Rewind (%2) and are not counted")
                  .arg(checkErrors)
                  .arg(lastCheckError)
            : QString();

    if (!in.firedRule.isEmpty()) {
        v.state = QStringLiteral("rule_fired");
        v.final = true;
        v.rule = in.firedRule;
        v.ruleFiredAtMs = in.firedAtMs;
        v.summary = QStringLiteral("not verified: rule '%1' fired for the service %2 after the "
                                   "release went live")
                        .arg(in.firedRule, formatDuration(in.firedAtMs - in.liveSinceMs));
        return v;
    }
    if (in.checks.isEmpty()) {
        v.state = QStringLiteral("insufficient_data");
        v.missing.append(QStringLiteral("the service has no checks: nothing can prove it healthy"));
        v.summary = QStringLiteral("not verified: the service has no checks to judge it by");
        return v;
    }
    if (in.nowMs < v.dueAtMs) {
        v.state = QStringLiteral("pending");
        v.missing.append(
            QStringLiteral("%1 of the verification period").arg(formatDuration(v.remainingMs)));
        v.missing.append(short_);
        v.summary =
            overBudget.isEmpty()
                ? QStringLiteral("verifying: %1 left, every check within its %2 error budget so "
                                 "far%3")
                      .arg(formatDuration(v.remainingMs), budget, errorsNote)
                : QStringLiteral("verifying: %1 left, over the %2 error budget so far: %3%4")
                      .arg(formatDuration(v.remainingMs), budget,
                           overBudget.join(QStringLiteral("; ")), errorsNote);
        return v;
    }
    if (!overBudget.isEmpty()) {
        v.state = QStringLiteral("over_budget");
        v.final = true;
        v.summary = QStringLiteral("not verified: over the %1 error budget in its verification "
                                   "period: %2%3")
                        .arg(budget, overBudget.join(QStringLiteral("; ")), errorsNote);
        return v;
    }
    if (!short_.isEmpty()) {
        v.state = QStringLiteral("insufficient_data");
        v.missing = short_;
        v.summary = QStringLiteral("not verified yet: too few samples to judge (%1)%2; it waits "
                                   "for more")
                        .arg(short_.join(QStringLiteral("; ")), errorsNote);
        return v;
    }
    v.state = QStringLiteral("verified");
    v.final = true;
    QStringList seen;
    for (const auto &c : std::as_const(v.checks))
        seen.append(describe(c));
    v.summary =
        QStringLiteral("verified: within the %1 error budget for %2 and no rule fired "
                       "(%3)")
            .arg(budget, formatDuration(in.policy.verifyAfterMs), seen.join(QStringLiteral("; ")));
    return v;
}

} // namespace rwd::releases
