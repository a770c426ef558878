#pragma once

#include "common/states.h"

#include <QList>
#include <QString>

#include <optional>

namespace rwd::orchestrator {

// The life of a rollback plan as a pure state machine: (state, event) -> (state, commands).
// Every change of a plan's state goes through planTransition(); the table in planmachine.cpp is
// the one place that says which changes exist and what the orchestrator does on each. Anything
// not in the table is refused (and the orchestrator logs it as a bug, changing nothing).
//
//   planned ──await_approval──▶ awaiting_approval ──approve──▶ approved ──start──▶ running
//      └────────────start─────────────────────────────────────────────────────────▶ running
//   awaiting_approval, approved ──reject | expire | abort──▶ aborted
//   running ◀──work── verifying ◀──verify── running      (abort: halts, steps running finish)
//   running, verifying ──succeed | fail | stop──▶ succeeded | failed | aborted
//   any unfinished state ──need_attention──▶ needs_attention
enum class PlanEvent
{
    AwaitApproval, // a new plan waits for people
    Start,         // a new plan, or an approved one whose approval still holds, begins
    Approve,       // the last approval it needed was recorded
    Reject,        // an approver said no
    Expire,        // its approval time is over (checked when something happens, not by a timer)
    Abort,         // a person stopped it
    Work,          // a step other than a verification runs
    Verify,        // only verifications run
    Resume,        // rewindd restarted while it ran; it carries on from its journal
    Succeed,       // nothing runs or waits any more, and nothing failed
    Fail,          // nothing runs any more, a step failed, and nothing was undone
    Stop,          // nothing runs any more after a person stopped it, and nothing was undone
    NeedAttention, // interrupted, the store refused a write, or a compensation ran
};

// What the orchestrator does on a transition, in the order listed.
enum class PlanCommand
{
    Journal,         // store the new state; if the store refuses, the plan needs attention
    AnnounceStart,   // rollback_started
    RequestApproval, // approval_requested
    Halt,            // no new normal step starts; running steps finish
    Advance,         // start what may start now (and settle the plan when nothing runs)
    SkipPending,     // every step not started is skipped
    RecordEnd,       // store the final state, when it ended and why
    FreezeServices,  // deployments of its services stay frozen for a while (if it acted)
    AnnounceEnd,     // rollback_finished
    NoteIncident,    // a note on the incident
    Escalate,        // rollback_escalated, and an escalation note on the incident
    Retire,          // forget the plan: it is finished
};

struct PlanTransition
{
    PlanState from;
    PlanEvent event;
    PlanState to;
    QList<PlanCommand> commands;
};

// The whole table, in the order above.
[[nodiscard]] const QList<PlanTransition> &planTransitions();
// The transition for `event` in `from`, or nothing when the event is not possible there.
[[nodiscard]] std::optional<PlanTransition> planTransition(PlanState from, PlanEvent event);

// What is known about a plan when nothing of it runs any more.
struct PlanFacts
{
    bool interrupted = false;   // a step that is not idempotent was running when rewindd stopped
    bool journalFailed = false; // the store refused a write
    bool aborted = false;       // a person stopped it (abort, rejection, approval expired)
    bool halted = false;        // a step failed (or any of the above)
    bool compensated = false;   // a compensating step (a snapshot restore) succeeded
    bool compensationFailed = false;
    QString haltReason;
};

struct PlanSettlement
{
    PlanEvent event;
    QString message;
};

// How a plan ends, from what is known about it: the event that ends it and the message that
// says why, for people.
[[nodiscard]] PlanSettlement settle(const PlanFacts &facts);

[[nodiscard]] QString wireName(PlanEvent event);
[[nodiscard]] QString wireName(PlanCommand command);

} // namespace rwd::orchestrator
