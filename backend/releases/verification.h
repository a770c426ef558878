#pragma once

#include "common/protocol.h"

#include <QList>
#include <QString>

#include <optional>

namespace rwd::releases {

// When a release has earned `verified` (docs/configuration.md, "Verification").
struct VerificationPolicy
{
    qint64 verifyAfterMs = 5 * 60'000; // the verification period, from the release going live
    double errorBudget = 0.01;         // the share of failed samples each check may have
    std::optional<qint64> minSamples;  // per check; unset: half of what its interval schedules
};

// What one check's samples said about the release since it went live.
struct CheckEvidence
{
    QString check;
    qint64 intervalMs = 0;  // its probing interval (0 for a passive check: none is scheduled)
    bool passive = false;   // fed by pushes: no sample is owed unless min_samples asks for some
    qint64 countFromMs = 0; // its grace period ended: samples count from then
    qint64 ok = 0;
    qint64 failed = 0;
    qint64 inGrace = 0;
    qint64 checkErrors = 0;
    QString lastFailure;
    QString lastCheckError;
};

struct VerificationInput
{
    qint64 releaseId = 0;
    qint64 liveSinceMs = 0; // the release went live
    qint64 nowMs = 0;
    VerificationPolicy policy;
    QList<CheckEvidence> checks;
    // The first rule that fired for the service since the release went live, if one did.
    QString firedRule;
    qint64 firedAtMs = 0;
};

// The samples a check must have to be judged: `min_samples` when set; otherwise half of the
// probes its interval schedules between the end of its grace period and the end of the
// verification period, and at least 3 — none for a passive check.
[[nodiscard]] qint64 samplesNeeded(const VerificationPolicy &policy, const CheckEvidence &check,
                                   qint64 dueAtMs);

// The verdict, decided at `nowMs` (pure: time comes in with the input). In order:
// - rule_fired (final) when a rule fired for the service since the release went live;
// - pending while the period runs (nowMs < liveSinceMs + verifyAfterMs), even when a check is
//   over its budget so far (more samples may bring it back under);
// - over_budget (final) when, at or after the end of the period, a check's share of failed
//   samples is above the budget;
// - insufficient_data when a check has fewer samples than it needs: no data is not healthy; the
//   release stays live and waits for more;
// - verified (final) otherwise. A service with no checks is never verified.
[[nodiscard]] protocol::VerificationInfo judge(const VerificationInput &input);

} // namespace rwd::releases
