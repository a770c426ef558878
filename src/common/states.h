#pragma once

#include <QObject>
#include <QString>

#include <optional>

// The phase vocabulary shared by the daemon, the API and every client. Each enum has a stable
// lower_snake_case spelling used on the wire and in the store; never renumber or rename.
namespace rwd {
Q_NAMESPACE

// Health of a service as computed from its checks and rules.
enum class Health
{
    Unknown,  // not enough samples yet to say anything (a fresh start, or checks never ran)
    Healthy,  // every check's latest sample is ok and no rule is firing
    Degraded, // some check's latest sample failed, but no rule has fired
    Failing,  // at least one rule is firing for this service
};

// Lifecycle of a release: deploying -> live -> verified | failed -> rolled_back.
enum class ReleaseState
{
    Deploying,  // recorded, rollout in progress
    Live,       // serving traffic, not yet proven healthy
    Verified,   // served healthy traffic for the verification period; a rollback target
    Failed,     // a rule fired against it or its deployment failed
    RolledBack, // traffic was moved back to an earlier release
    Superseded, // replaced by a newer deployment without being rolled back
};

// Lifecycle of a rollback plan.
enum class PlanState
{
    Planned,          // built, not started
    AwaitingApproval, // waits for approvers (production policy)
    Approved,         // approvals complete, about to run
    Running,          // steps executing
    Verifying,        // traffic moved, health being verified
    Succeeded,        // every target restored and verified
    Failed,           // a step failed and the plan stopped
    Aborted,          // stopped by a person
    NeedsAttention,   // stopped in a state that a person must look at
};

// Lifecycle of one step of a plan. Journaled before and after it runs.
enum class StepState
{
    Pending,   // not started
    Running,   // started; if the daemon dies now, resume decides what to do
    Succeeded, // finished and did what it should
    Failed,    // finished with an error
    Skipped,   // not run because an earlier step failed or the plan was aborted
};

Q_ENUM_NS(Health)
Q_ENUM_NS(ReleaseState)
Q_ENUM_NS(PlanState)
Q_ENUM_NS(StepState)

[[nodiscard]] QString wireName(Health value);
[[nodiscard]] QString wireName(ReleaseState value);
[[nodiscard]] QString wireName(PlanState value);
[[nodiscard]] QString wireName(StepState value);

[[nodiscard]] std::optional<Health> healthFromString(const QString &text);
[[nodiscard]] std::optional<ReleaseState> releaseStateFromString(const QString &text);
[[nodiscard]] std::optional<PlanState> planStateFromString(const QString &text);
[[nodiscard]] std::optional<StepState> stepStateFromString(const QString &text);

// A plan in one of these states will not change again.
[[nodiscard]] bool isTerminal(PlanState state);

} // namespace rwd
