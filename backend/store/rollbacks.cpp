#include "rollbacks.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

const QString kColumns =
    QStringLiteral("id, state, trigger, reason, requested_by, strategy, created_at, finished_at, "
                   "class, message, incident_id");

protocol::RollbackInfo rollbackFrom(const QSqlQuery &q)
{
    protocol::RollbackInfo r;
    r.id = q.value(0).toLongLong();
    r.state = planStateFromString(q.value(1).toString()).value_or(PlanState::Failed);
    r.trigger = q.value(2).toString();
    r.reason = q.value(3).toString();
    r.requestedBy = q.value(4).toString();
    r.strategy = q.value(5).toString();
    r.createdAtMs = q.value(6).toLongLong();
    r.finishedAtMs = q.value(7).toLongLong();
    r.rollbackClass = q.value(8).toString();
    r.message = q.value(9).toString();
    r.incidentId = q.value(10).toLongLong();
    return r;
}

protocol::StepInfo stepFrom(const QSqlQuery &q)
{
    protocol::StepInfo s;
    s.id = q.value(0).toLongLong();
    s.index = q.value(1).toInt();
    s.service = q.value(2).toString();
    s.kind = q.value(3).toString();
    s.description = q.value(4).toString();
    s.state = stepStateFromString(q.value(5).toString()).value_or(StepState::Failed);
    s.startedAtMs = q.value(6).toLongLong();
    s.finishedAtMs = q.value(7).toLongLong();
    s.message = q.value(8).toString();
    s.executor = q.value(9).toString();
    for (const auto &a : jsonArray(q.value(10)))
        s.after.append(a.toInt());
    s.onFailure = q.value(11).toInt() != 0;
    s.attempts = q.value(12).toInt();
    return s;
}

protocol::TargetInfo targetFrom(const QSqlQuery &q)
{
    protocol::TargetInfo t;
    t.service = q.value(0).toString();
    t.fromReleaseId = q.value(1).toLongLong();
    t.toReleaseId = q.value(2).toLongLong();
    t.fromVersion = q.value(3).toString();
    t.toVersion = q.value(4).toString();
    t.strategy = q.value(5).toString();
    for (const auto &a : jsonArray(q.value(6)))
        t.after.append(a.toString());
    return t;
}

StepAttempt attemptFrom(const QSqlQuery &q)
{
    StepAttempt a;
    a.id = q.value(0).toLongLong();
    a.stepId = q.value(1).toLongLong();
    a.attempt = q.value(2).toInt();
    a.startedAtMs = q.value(3).toLongLong();
    a.finishedAtMs = q.value(4).toLongLong();
    a.outcome = q.value(5).toString();
    a.message = q.value(6).toString();
    a.output = q.value(7).toString();
    return a;
}

protocol::ApprovalInfo approvalFrom(const QSqlQuery &q)
{
    return {q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toLongLong()};
}

} // namespace

bool Rollbacks::create(protocol::RollbackInfo &r, const QList<QJsonObject> &stepParams,
                       qint64 firingId)
{
    return transaction([&] {
        auto q = db().query();
        if (!db().run(q,
                      QStringLiteral("INSERT INTO rollbacks (state, trigger, reason, "
                                     "requested_by, strategy, firing_id, created_at, class, "
                                     "incident_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      {wireName(r.state), text(r.trigger), text(r.reason), text(r.requestedBy),
                       text(r.strategy), nullableId(firingId), r.createdAtMs, text(r.rollbackClass),
                       nullableId(r.incidentId)}))
            return false;
        r.id = q.lastInsertId().toLongLong();
        for (const auto &t : std::as_const(r.targets)) {
            if (!db().run(q,
                          QStringLiteral("INSERT INTO rollback_targets (rollback_id, service, "
                                         "from_release_id, to_release_id, strategy, after_json) "
                                         "VALUES (?, ?, ?, ?, ?, ?)"),
                          {r.id, text(t.service), nullableId(t.fromReleaseId),
                           nullableId(t.toReleaseId), text(t.strategy),
                           compactJson(QJsonArray::fromStringList(t.after))}))
                return false;
        }
        for (qsizetype i = 0; i < r.steps.size(); ++i) {
            auto &s = r.steps[i];
            const auto params = i < stepParams.size() ? stepParams.at(i) : QJsonObject();
            QJsonArray after;
            for (const int a : s.after)
                after.append(a);
            if (!db().run(q,
                          QStringLiteral("INSERT INTO rollback_steps (rollback_id, idx, service, "
                                         "kind, description, params_json, state, executor, "
                                         "after_json, on_failure) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                          {r.id, s.index, text(s.service), text(s.kind), text(s.description),
                           compactJson(params), wireName(s.state), text(s.executor),
                           compactJson(after), s.onFailure ? 1 : 0}))
                return false;
            s.id = q.lastInsertId().toLongLong();
        }
        return true;
    });
}

bool Rollbacks::setState(qint64 id, PlanState state, qint64 finishedAtMs, const QString &message)
{
    return db().run(QStringLiteral("UPDATE rollbacks SET state = ?, finished_at = ?, message = ? "
                                   "WHERE id = ?"),
                    {wireName(state), nullableTime(finishedAtMs), text(message), id});
}

bool Rollbacks::updateStep(const protocol::StepInfo &s)
{
    return db().run(QStringLiteral("UPDATE rollback_steps SET state = ?, started_at = ?, "
                                   "finished_at = ?, message = ?, attempt = ? WHERE id = ?"),
                    {wireName(s.state), nullableTime(s.startedAtMs), nullableTime(s.finishedAtMs),
                     text(s.message), s.attempts, s.id});
}

QList<protocol::StepInfo> Rollbacks::steps(qint64 rollbackId) const
{
    return all(db(),
               QStringLiteral("SELECT id, idx, service, kind, description, state, started_at, "
                              "finished_at, message, executor, after_json, on_failure, attempt "
                              "FROM rollback_steps WHERE rollback_id = ? ORDER BY idx"),
               {rollbackId}, stepFrom);
}

QList<QJsonObject> Rollbacks::stepParams(qint64 rollbackId) const
{
    return all(db(),
               QStringLiteral("SELECT params_json FROM rollback_steps WHERE rollback_id = ? "
                              "ORDER BY idx"),
               {rollbackId}, [](const QSqlQuery &q) { return jsonObject(q.value(0)); });
}

QList<protocol::TargetInfo> Rollbacks::targets(qint64 rollbackId) const
{
    return all(db(),
               QStringLiteral("SELECT t.service, t.from_release_id, t.to_release_id, "
                              "f.version, o.version, t.strategy, t.after_json "
                              "FROM rollback_targets t "
                              "LEFT JOIN releases f ON f.id = t.from_release_id "
                              "LEFT JOIN releases o ON o.id = t.to_release_id "
                              "WHERE t.rollback_id = ? ORDER BY t.rowid"),
               {rollbackId}, targetFrom);
}

protocol::RollbackInfo Rollbacks::withDetails(protocol::RollbackInfo rollback) const
{
    rollback.targets = targets(rollback.id);
    rollback.steps = steps(rollback.id);
    rollback.approvals = approvals(rollback.id);
    return rollback;
}

QList<protocol::RollbackInfo> Rollbacks::withDetails(QList<protocol::RollbackInfo> list) const
{
    for (auto &r : list)
        r = withDetails(std::move(r));
    return list;
}

std::optional<protocol::RollbackInfo> Rollbacks::find(qint64 id) const
{
    auto r = one(db(), QStringLiteral("SELECT %1 FROM rollbacks WHERE id = ?").arg(kColumns), {id},
                 rollbackFrom);
    if (!r)
        return std::nullopt;
    return withDetails(std::move(*r));
}

QList<protocol::RollbackInfo> Rollbacks::list(int limit, int offset, const QString &state,
                                              const QString &service) const
{
    QStringList conditions;
    QVariantList bindings;
    if (!state.isEmpty()) {
        conditions.append(QStringLiteral("state = ?"));
        bindings.append(state);
    }
    if (!service.isEmpty()) {
        conditions.append(QStringLiteral("id IN (SELECT rollback_id FROM rollback_targets WHERE "
                                         "service = ?)"));
        bindings.append(service);
    }
    bindings << limit << offset;
    return withDetails(
        all(db(),
            QStringLiteral("SELECT %1 FROM rollbacks %2 ORDER BY id DESC LIMIT ? OFFSET ?")
                .arg(kColumns, where(conditions)),
            bindings, rollbackFrom));
}

QList<protocol::RollbackInfo> Rollbacks::unfinished() const
{
    QStringList terminal;
    for (const auto state :
         {PlanState::Succeeded, PlanState::Failed, PlanState::Aborted, PlanState::NeedsAttention})
        terminal.append(u'\'' + wireName(state) + u'\'');
    return withDetails(
        all(db(),
            QStringLiteral("SELECT %1 FROM rollbacks WHERE state NOT IN (%2) ORDER BY id")
                .arg(kColumns, terminal.join(u',')),
            {}, rollbackFrom));
}

int Rollbacks::countFrom(const QString &service, qint64 releaseId) const
{
    return one(db(),
               QStringLiteral("SELECT COUNT(*) FROM rollback_targets WHERE service = ? AND "
                              "from_release_id = ?"),
               {service, releaseId}, [](const QSqlQuery &q) { return q.value(0).toInt(); })
        .value_or(0);
}

qint64 Rollbacks::beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs)
{
    return insertedId(db(),
                      QStringLiteral("INSERT INTO step_attempts (step_id, attempt, started_at, "
                                     "outcome) VALUES (?, ?, ?, 'running')"),
                      {stepId, attempt, startedAtMs});
}

bool Rollbacks::finishAttempt(qint64 attemptId, const QString &outcome, qint64 finishedAtMs,
                              const QString &message, const QString &output)
{
    return db().run(QStringLiteral("UPDATE step_attempts SET outcome = ?, finished_at = ?, "
                                   "message = ?, output = ? WHERE id = ?"),
                    {outcome, finishedAtMs, text(message), text(output), attemptId});
}

bool Rollbacks::interruptAttempts(qint64 rollbackId, qint64 atMs)
{
    return db().run(QStringLiteral("UPDATE step_attempts SET outcome = 'interrupted', "
                                   "finished_at = ?, message = 'rewindd stopped while the step "
                                   "was running' WHERE outcome = 'running' AND step_id IN "
                                   "(SELECT id FROM rollback_steps WHERE rollback_id = ?)"),
                    {atMs, rollbackId});
}

QList<StepAttempt> Rollbacks::attempts(qint64 rollbackId) const
{
    return all(db(),
               QStringLiteral("SELECT a.id, a.step_id, a.attempt, a.started_at, a.finished_at, "
                              "a.outcome, a.message, a.output FROM step_attempts a JOIN "
                              "rollback_steps s ON s.id = a.step_id WHERE s.rollback_id = ? "
                              "ORDER BY a.id"),
               {rollbackId}, attemptFrom);
}

bool Rollbacks::addApproval(qint64 rollbackId, const protocol::ApprovalInfo &a)
{
    return db().run(QStringLiteral("INSERT INTO approvals (rollback_id, user, decision, comment, "
                                   "at) VALUES (?, ?, ?, ?, ?)"),
                    {rollbackId, text(a.user), text(a.decision), text(a.comment), a.atMs});
}

QList<protocol::ApprovalInfo> Rollbacks::approvals(qint64 rollbackId) const
{
    return all(db(),
               QStringLiteral("SELECT user, decision, comment, at FROM approvals WHERE "
                              "rollback_id = ? ORDER BY id"),
               {rollbackId}, approvalFrom);
}

} // namespace rwd::store
