#include "planmachine.h"

namespace rwd::orchestrator {

namespace {

using C = PlanCommand;
using E = PlanEvent;
using S = PlanState;

// How a plan ends, whichever way: the steps not started are skipped, the end is stored, the
// services stay frozen for a while, and the end is announced; then either a note on the incident
// or, when a person must act, an escalation.
const QList<PlanCommand> kEndQuietly{C::SkipPending, C::RecordEnd,    C::FreezeServices,
                                     C::AnnounceEnd, C::NoteIncident, C::Retire};
const QList<PlanCommand> kEndEscalating{C::SkipPending, C::RecordEnd, C::FreezeServices,
                                        C::AnnounceEnd, C::Escalate,  C::Retire};
const QList<PlanCommand> kHaltThenEnd{C::Halt,           C::SkipPending, C::RecordEnd,
                                      C::FreezeServices, C::AnnounceEnd, C::NoteIncident,
                                      C::Retire};

QList<PlanTransition> buildTable()
{
    QList<PlanTransition> t{
        {S::Planned,
         E::AwaitApproval,
         S::AwaitingApproval,
         {C::Journal, C::AnnounceStart, C::RequestApproval}},
        {S::Planned, E::Start, S::Running, {C::Journal, C::AnnounceStart, C::Advance}},
        {S::AwaitingApproval, E::Approve, S::Approved, {C::Journal}},
        {S::Approved, E::Start, S::Running, {C::Journal, C::AnnounceStart, C::Advance}},
        {S::AwaitingApproval, E::Reject, S::Aborted, kHaltThenEnd},
        {S::AwaitingApproval, E::Expire, S::Aborted, kHaltThenEnd},
        {S::Approved, E::Expire, S::Aborted, kHaltThenEnd},
        {S::AwaitingApproval, E::Abort, S::Aborted, kHaltThenEnd},
        // A running plan stops starting steps; what runs finishes, then it settles.
        {S::Running, E::Abort, S::Running, {C::Halt, C::Advance}},
        {S::Verifying, E::Abort, S::Verifying, {C::Halt, C::Advance}},
        {S::Running, E::Verify, S::Verifying, {C::Journal}},
        {S::Verifying, E::Work, S::Running, {C::Journal}},
        {S::Running, E::Resume, S::Running, {C::AnnounceStart, C::Advance}},
        {S::Verifying, E::Resume, S::Verifying, {C::AnnounceStart, C::Advance}},
    };
    for (const auto from : {S::Running, S::Verifying}) {
        t.append({from, E::Succeed, S::Succeeded, kEndQuietly});
        t.append({from, E::Fail, S::Failed, kEndEscalating});
        t.append({from, E::Stop, S::Aborted, kEndQuietly});
    }
    for (const auto from : {S::Planned, S::AwaitingApproval, S::Approved, S::Running, S::Verifying})
        t.append({from, E::NeedAttention, S::NeedsAttention, kEndEscalating});
    return t;
}

} // namespace

const QList<PlanTransition> &planTransitions()
{
    static const QList<PlanTransition> table = buildTable();
    return table;
}

std::optional<PlanTransition> planTransition(PlanState from, PlanEvent event)
{
    for (const auto &t : planTransitions()) {
        if (t.from == from && t.event == event)
            return t;
    }
    return std::nullopt;
}

PlanSettlement settle(const PlanFacts &facts)
{
    if (facts.interrupted || facts.journalFailed)
        return {E::NeedAttention, facts.haltReason};
    const bool undone = facts.compensated || facts.compensationFailed;
    if (facts.aborted && !undone)
        return {E::Stop, facts.haltReason};
    if (!facts.halted)
        return {E::Succeed, QStringLiteral("every step succeeded")};
    if (!undone)
        return {E::Fail, facts.haltReason};
    return {E::NeedAttention,
            facts.haltReason +
                (facts.compensationFailed
                     ? QStringLiteral("; undoing it failed too: a person must repair the service")
                     : QStringLiteral("; what the failed steps changed was undone (a snapshot "
                                      "restored): a person must decide what happens next"))};
}

QString wireName(PlanEvent event)
{
    switch (event) {
    case E::AwaitApproval:
        return QStringLiteral("await_approval");
    case E::Start:
        return QStringLiteral("start");
    case E::Approve:
        return QStringLiteral("approve");
    case E::Reject:
        return QStringLiteral("reject");
    case E::Expire:
        return QStringLiteral("expire");
    case E::Abort:
        return QStringLiteral("abort");
    case E::Work:
        return QStringLiteral("work");
    case E::Verify:
        return QStringLiteral("verify");
    case E::Resume:
        return QStringLiteral("resume");
    case E::Succeed:
        return QStringLiteral("succeed");
    case E::Fail:
        return QStringLiteral("fail");
    case E::Stop:
        return QStringLiteral("stop");
    case E::NeedAttention:
        return QStringLiteral("need_attention");
    }
    return QStringLiteral("unknown");
}

QString wireName(PlanCommand command)
{
    switch (command) {
    case C::Journal:
        return QStringLiteral("journal");
    case C::AnnounceStart:
        return QStringLiteral("announce_start");
    case C::RequestApproval:
        return QStringLiteral("request_approval");
    case C::Halt:
        return QStringLiteral("halt");
    case C::Advance:
        return QStringLiteral("advance");
    case C::SkipPending:
        return QStringLiteral("skip_pending");
    case C::RecordEnd:
        return QStringLiteral("record_end");
    case C::FreezeServices:
        return QStringLiteral("freeze_services");
    case C::AnnounceEnd:
        return QStringLiteral("announce_end");
    case C::NoteIncident:
        return QStringLiteral("note_incident");
    case C::Escalate:
        return QStringLiteral("escalate");
    case C::Retire:
        return QStringLiteral("retire");
    }
    return QStringLiteral("unknown");
}

} // namespace rwd::orchestrator
