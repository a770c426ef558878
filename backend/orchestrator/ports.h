#pragma once

#include "common/protocol.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

// The orchestrator's ports: the interfaces through which it reaches the world, owned here and
// implemented by the adapters — the SQL store (store::Store is a PlanStore), the executors
// (executors::Executor is a StepExecutor), the HTTP client (http::UrlProber is a UrlProber) and
// the event hub (an events::Sink, common/events.h). Its clock is the injected rwd::Clock.
// Nothing here knows SQL, HTTP or processes.
namespace rwd::orchestrator {

// The outcome of one step's action.
struct StepResult
{
    bool ok = false;
    // Worth trying again (a refused connection, a timeout), as opposed to a definite refusal
    // (invalid configuration, nginx -t rejecting the file).
    bool retryable = false;
    QString message;  // one line for people
    QString output;   // captured output, truncated, secrets redacted
    QJsonObject data; // what the action produced, for Rewind to record (a snapshot's name…)
};

// Performs the actions of steps against real infrastructure. Actions are named
// (`switch_traffic`, …) and take their parameters as JSON so that steps can be journaled and
// resumed. It never blocks: execute() starts the work and reports through `done`.
class StepExecutor
{
public:
    using Done = std::function<void(const StepResult &)>;

    virtual ~StepExecutor() = default;
    [[nodiscard]] virtual QStringList actions() const = 0;
    // Running the action twice has the same effect as running it once; decides whether a step
    // interrupted by a crash may simply be run again.
    [[nodiscard]] virtual bool idempotent(const QString &action) const = 0;
    virtual void execute(const QString &action, const QJsonObject &params, Done done) = 0;
};

// Asks whether a URL answers, for the verify_instances gate. It never blocks: probe() starts the
// request and reports through `done`, later, from the event loop — the HTTP status, or 0 and why
// no answer came (refused, timed out). A cancelled probe never reports.
class UrlProber
{
public:
    using Id = quint64;
    using Done = std::function<void(int status, const QString &error)>;

    virtual ~UrlProber() = default;
    virtual Id probe(const QUrl &url, qint64 timeoutMs, Done done) = 0;
    virtual void cancel(Id id) = 0;
};

// The durable record of plans: the journal written before and after every step, and the rows
// around a plan (its approvals, the releases it moves between, freezes, incidents, snapshots).
// Every write returns whether it was recorded; writeError() says why not.
class PlanStore
{
public:
    virtual ~PlanStore() = default;
    [[nodiscard]] virtual const QString &writeError() const = 0;

    // Plans and their journal. `createRollback` assigns ids to the plan and its steps.
    [[nodiscard]] virtual bool createRollback(protocol::RollbackInfo &rollback,
                                              const QList<QJsonObject> &stepParams,
                                              qint64 firingId) = 0;
    [[nodiscard]] virtual bool setRollbackState(qint64 id, PlanState state, qint64 finishedAtMs,
                                                const QString &message) = 0;
    [[nodiscard]] virtual bool updateStep(const protocol::StepInfo &step) = 0;
    [[nodiscard]] virtual std::optional<protocol::RollbackInfo> rollback(qint64 id) const = 0;
    [[nodiscard]] virtual QList<QJsonObject> stepParams(qint64 rollbackId) const = 0;
    // Plans not in a terminal state, oldest first.
    [[nodiscard]] virtual QList<protocol::RollbackInfo> unfinishedRollbacks() const = 0;
    // Stored plans (of any state) that tried to move `service` off release `releaseId`.
    [[nodiscard]] virtual int rollbackAttempts(const QString &service, qint64 releaseId) const = 0;
    [[nodiscard]] virtual qint64 beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs) = 0;
    [[nodiscard]] virtual bool finishAttempt(qint64 attemptId, const QString &outcome,
                                             qint64 finishedAtMs, const QString &message,
                                             const QString &output) = 0;
    // Marks every attempt still running of the plan as interrupted (after a crash).
    [[nodiscard]] virtual bool interruptAttempts(qint64 rollbackId, qint64 atMs) = 0;
    [[nodiscard]] virtual bool insertApproval(qint64 rollbackId,
                                              const protocol::ApprovalInfo &approval) = 0;
    [[nodiscard]] virtual QList<protocol::ApprovalInfo> approvals(qint64 rollbackId) const = 0;

    // Releases of a service, newest first (explicit rollback targets).
    [[nodiscard]] virtual QList<protocol::ReleaseInfo> releases(const QString &service,
                                                                int limit) const = 0;

    // Deployment freezes.
    [[nodiscard]] virtual qint64 insertFreeze(const protocol::FreezeInfo &freeze) = 0;
    [[nodiscard]] virtual std::optional<protocol::FreezeInfo> activeFreeze(const QString &service,
                                                                           qint64 nowMs) const = 0;

    // Incidents.
    [[nodiscard]] virtual qint64 openIncident(const QString &title, const QStringList &services,
                                              const QString &severity, qint64 atMs) = 0;
    [[nodiscard]] virtual std::optional<qint64>
    openIncidentFor(const QStringList &services) const = 0;
    [[nodiscard]] virtual bool addIncidentNote(qint64 incidentId,
                                               const protocol::IncidentNote &note) = 0;
    [[nodiscard]] virtual qint64
    addPreservedLog(qint64 incidentId, const protocol::PreservedLog &log, qint64 atMs) = 0;

    // Database snapshots taken by plans.
    [[nodiscard]] virtual qint64 insertSnapshot(const protocol::SnapshotInfo &snapshot) = 0;
    [[nodiscard]] virtual std::optional<protocol::SnapshotInfo>
    snapshot(const QString &name) const = 0;
    [[nodiscard]] virtual bool markSnapshotPruned(qint64 id, qint64 atMs) = 0;
};

} // namespace rwd::orchestrator
