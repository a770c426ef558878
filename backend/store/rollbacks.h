#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace rwd::store {

// One run of a step: a row per attempt, written when it starts and when it ends, so that a
// step's history (retries, an interruption by a crash) can be read back.
struct StepAttempt
{
    qint64 id = 0;
    qint64 stepId = 0;
    int attempt = 0;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    QString outcome; // running, succeeded, failed, interrupted
    QString message;
    QString output;
};

// Rollbacks — the orchestrator's plans — and their journal: the plan (`rollbacks`), the
// services it moves between releases (`rollback_targets`), its steps with their parameters
// (`rollback_steps`), every attempt of a step (`step_attempts`) and the decisions on it
// (`approvals`). Read back whole: a RollbackInfo has its targets, steps and approvals.
class Rollbacks final : public Aggregate
{
public:
    explicit Rollbacks(Database &db)
        : Aggregate(db)
    {}

    // Writes the plan, its targets and its steps in one transaction, and assigns ids to the
    // rollback and its steps. `stepParams` go with the steps of the same index.
    [[nodiscard]] bool create(protocol::RollbackInfo &rollback,
                              const QList<QJsonObject> &stepParams, qint64 firingId);
    [[nodiscard]] bool setState(qint64 id, PlanState state, qint64 finishedAtMs,
                                const QString &message);
    // Writes the step's state, times, message and attempt count.
    [[nodiscard]] bool updateStep(const protocol::StepInfo &step);

    [[nodiscard]] std::optional<protocol::RollbackInfo> find(qint64 id) const;
    // Newest first. `state`, `service`: only those in that state / with that target (empty: any).
    [[nodiscard]] QList<protocol::RollbackInfo>
    list(int limit, int offset = 0, const QString &state = {}, const QString &service = {}) const;
    [[nodiscard]] QList<QJsonObject> stepParams(qint64 rollbackId) const;
    // Plans not in a terminal state, oldest first: what a restarted daemon resumes.
    [[nodiscard]] QList<protocol::RollbackInfo> unfinished() const;
    // How many stored plans (of any state) tried to move `service` off release `releaseId`.
    [[nodiscard]] int countFrom(const QString &service, qint64 releaseId) const;

    // Returns the attempt's id, 0 when it was not written.
    [[nodiscard]] qint64 beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs);
    [[nodiscard]] bool finishAttempt(qint64 attemptId, const QString &outcome, qint64 finishedAtMs,
                                     const QString &message, const QString &output);
    // Marks every attempt still `running` of the plan as `interrupted` (after a crash).
    [[nodiscard]] bool interruptAttempts(qint64 rollbackId, qint64 atMs);
    [[nodiscard]] QList<StepAttempt> attempts(qint64 rollbackId) const;

    // One decision per person and rollback.
    [[nodiscard]] bool addApproval(qint64 rollbackId, const protocol::ApprovalInfo &approval);
    [[nodiscard]] QList<protocol::ApprovalInfo> approvals(qint64 rollbackId) const;

private:
    // Adds the targets, steps and approvals to rollbacks read from `rollbacks`.
    [[nodiscard]] protocol::RollbackInfo withDetails(protocol::RollbackInfo rollback) const;
    [[nodiscard]] QList<protocol::RollbackInfo>
    withDetails(QList<protocol::RollbackInfo> list) const;
    [[nodiscard]] QList<protocol::StepInfo> steps(qint64 rollbackId) const;
    [[nodiscard]] QList<protocol::TargetInfo> targets(qint64 rollbackId) const;
};

} // namespace rwd::store
