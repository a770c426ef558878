#pragma once

#include "common/clock.h"
#include "common/error.h"
#include "common/events.h"
#include "common/protocol.h"
#include "common/result.h"
#include "config/config.h"
#include "gates.h"
#include "planmachine.h"
#include "planner.h"
#include "ports.h"
#include "strategy.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <map>
#include <memory>
#include <variant>

namespace rwd::releases {
class ReleaseTracker;
}
namespace rwd::monitor {
class MetricStore;
}
namespace rwd::executors {
class LogCollector;
} // namespace rwd::executors

namespace rwd::orchestrator {

// Turns rollback requests into plans and runs them. A plan is a graph of steps: each step waits
// for the steps in its `after`; steps whose waits are over run in parallel. Every step is written
// to the store before it starts and after it ends (with one row per attempt), so that a restarted
// daemon resumes exactly where it was: a step known finished is not run again; one that was
// running is run again only if it is idempotent — otherwise the plan needs attention.
//
// Failures: an executor's failure that is worth retrying is retried with exponential backoff up
// to the policy's attempts; any other failure halts the plan (no new step of any target starts),
// runs the failed service's compensating steps (a database restore), and escalates: an event and
// a note on the incident. A release is rolled back automatically at most
// `max_attempts_per_release` times; then only a person can start another rollback of it.
// Deployments of a service are frozen while a rollback of it runs and, after it, for the
// environment's `freeze_after_rollback` (or the class's freeze, whichever is longer).
class Orchestrator final : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        const config::Config *config = nullptr;
        PlanStore *store = nullptr;
        events::Sink *events = nullptr;
        releases::ReleaseTracker *releases = nullptr;
        monitor::MetricStore *metrics = nullptr;
        UrlProber *prober = nullptr; // for verify_instances probes
        const Clock *clock = nullptr;
        QHash<QString, StepExecutor *> executors; // by executor name
        QHash<QString, Strategy *> strategies;    // by service name
    };

    explicit Orchestrator(Parts parts, QObject *parent = nullptr);
    ~Orchestrator() override;

    // Picks up the plans the store says are unfinished (after a restart). Returns how many.
    int resume();

    // Builds (and unless dry-run, stores and starts) a plan. Refused with an error when a
    // service is unknown, already being rolled back, has no strategy or no release to go to,
    // or (automatic requests) its release was rolled back too many times already.
    [[nodiscard]] Result<protocol::RollbackInfo> request(const RollbackRequest &request);

    // A person's decision on a plan awaiting approval. Refused (with a stable code) when the plan
    // does not wait for approval (not_awaiting_approval), when `by` requested it (self_approval)
    // or lacks an approving role in one of its environments (forbidden), or decided already
    // (already_decided). Enough distinct approvals start the plan; one rejection ends it.
    [[nodiscard]] Result<protocol::RollbackInfo> approve(qint64 id, const QString &by,
                                                         const QHash<QString, QStringList> &roles,
                                                         const QString &comment);
    [[nodiscard]] Result<protocol::RollbackInfo> reject(qint64 id, const QString &by,
                                                        const QHash<QString, QStringList> &roles,
                                                        const QString &comment);
    // Stops a plan: one waiting for approval at once; a running one halts (steps running finish,
    // nothing new starts) and ends `aborted`.
    [[nodiscard]] Result<protocol::RollbackInfo> abort(qint64 id, const QString &by,
                                                       const QString &reason);

    // A rule with `action: rollback` or `action: freeze` fired for a service.
    void onRuleFired(const config::RuleConfig &rule, const protocol::FiringInfo &firing,
                     qint64 firingId);
    // A sample of `service` arrived: a running verification may now be decided.
    void onSample(const QString &service);
    // Decides gates, timeouts and due retries. Called regularly by the daemon.
    void tick();

    [[nodiscard]] bool isRollingBack(const QString &service) const;
    [[nodiscard]] QList<protocol::RollbackInfo> active() const;
    // Why deployments of `service` are refused right now, if they are: a rollback of it is
    // running (untilMs 0), or a stored freeze is in force.
    [[nodiscard]] std::optional<protocol::FreezeInfo> freezeOf(const QString &service) const;
    // Refuses deployments of `service` for `ms` from now.
    void freeze(const QString &service, qint64 ms, const QString &reason, qint64 rollbackId = 0);

signals:
    void rollbackFinished(const rwd::protocol::RollbackInfo &rollback);

private:
    struct Running
    {
        int attempt = 0;
        qint64 attemptId = 0;
        qint64 deadlineMs = 0; // executor steps: when to stop waiting for an answer
        quint64 token = 0;     // answers carrying another token are late and ignored
        std::unique_ptr<Gate> gate;
    };
    struct ActivePlan
    {
        protocol::RollbackInfo info;
        QList<QJsonObject> params;
        std::map<int, Running> running;
        std::map<int, qint64> retryAt; // step -> when to run it again
        QSet<QString> failedServices;  // services with a failed normal step
        QSet<QString> noImprovement;   // gradual: services whose watch saw no improvement
        bool halted = false;
        QString haltReason;
        bool interrupted = false;   // a non-idempotent step was running when rewindd stopped
        bool journalFailed = false; // the store refused a write: nothing more runs
        bool aborted = false;       // a person stopped it
        bool advancing = false;
        bool again = false;
        bool finished = false;
    };

    [[nodiscard]] PlanInputs planInputs() const;
    // The approval policy of a plan: the strictest among its targets' environments.
    struct ApprovalNeed
    {
        bool required = false;
        int approvals = 0;
        qint64 expiresMs = 0;
        QList<QPair<QString, QStringList>> roles; // environment -> roles that may approve
        QStringList autoApprove;                  // severities every such environment lets through
    };
    [[nodiscard]] ApprovalNeed approvalNeed(const protocol::RollbackInfo &info) const;
    [[nodiscard]] Result<ActivePlan *> decisionAllowed(qint64 id, const QString &by,
                                                       const QHash<QString, QStringList> &roles);
    void expireApprovals();
    // Records `by`'s decision ("approved" or "rejected") on a plan awaiting approval, unless its
    // deadline has passed (approval_expired, and the plan ends) or the store refuses it.
    [[nodiscard]] Result<void> recordDecision(ActivePlan &plan, const QString &by,
                                              const QString &decision, const QString &comment);
    // Ends a plan whose approval time is over (`lateDecision`: what came too late, if anything).
    void expire(ActivePlan &plan, const QString &lateDecision);
    // Fails with approval_expired (and the plan ends aborted) when `nowMs` is at or after the
    // plan's approval deadline.
    [[nodiscard]] Result<void> beforeDeadline(ActivePlan &plan, qint64 nowMs,
                                              const QString &decision);
    // A journal write of `plan` failed (`what` was not recorded): nothing more runs for it — a
    // step runs only once its start is on record — and it ends needs_attention with the reason,
    // logged and announced (store_failing).
    void journalFailed(ActivePlan &plan, const QString &what);
    // Writes step `index` as it is now; a failure is a journalFailed().
    void journal(ActivePlan &plan, int index);
    [[nodiscard]] Result<void> checkAttempts(const RollbackRequest &request) const;
    void start(ActivePlan &plan);
    void advance(qint64 id);
    void startStep(ActivePlan &plan, int index);
    void attemptDone(qint64 planId, int index, quint64 token, const StepResult &result);
    void succeed(ActivePlan &plan, int index, const StepResult &result);
    void fail(ActivePlan &plan, int index, const QString &message);
    void skip(ActivePlan &plan, int index, const QString &message);
    // Ends the plan the way its facts say (settle() in planmachine.h).
    void finish(ActivePlan &plan);
    // Moves `plan` by `event` through the transition table (planmachine.h) and carries out the
    // transition's commands. False when the event is not possible in the plan's state, or when
    // the store refused to record the new state (the caller then finishes the plan, which needs
    // attention). After Advance or Retire the plan may be gone: look it up again by id.
    [[nodiscard]] bool apply(ActivePlan &plan, PlanEvent event);
    [[nodiscard]] static PlanFacts facts(const ActivePlan &plan);
    void freezeAfter(const ActivePlan &plan);
    void evaluateGates(ActivePlan &plan, const QString &service);
    void updatePlanState(ActivePlan &plan);
    [[nodiscard]] static events::StepEvent stepEvent(const ActivePlan &plan, int index);
    void recordSnapshot(const ActivePlan &plan, int index, const QJsonObject &data);
    void addIncidentNote(const ActivePlan &plan, const QString &kind, const QString &text);
    [[nodiscard]] qint64 incidentFor(const protocol::RollbackInfo &info, const QString &severity);
    [[nodiscard]] bool idempotentStep(const ActivePlan &plan, int index) const;
    [[nodiscard]] QJsonObject runtimeParams(const ActivePlan &plan, int index) const;
    [[nodiscard]] ActivePlan *find(qint64 id);

    Parts m_parts;
    std::map<qint64, std::unique_ptr<ActivePlan>> m_active;
    std::unique_ptr<executors::LogCollector> m_logs;
    quint64 m_nextToken = 1;
};

} // namespace rwd::orchestrator
