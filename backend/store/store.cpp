#include "store.h"

namespace rwd::store {

Store::Store(std::unique_ptr<Database> db)
    : m_db(std::move(db))
    , m_releases(*m_db)
    , m_firings(*m_db)
    , m_rollbacks(*m_db)
    , m_freezes(*m_db)
    , m_snapshots(*m_db)
    , m_incidents(*m_db)
    , m_users(*m_db)
    , m_audit(*m_db)
    , m_deliveries(*m_db)
{}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const QString &url)
{
    auto db = Database::open(url);
    if (!db)
        return std::move(db).error();
    return std::unique_ptr<Store>(new Store(*std::move(db)));
}

bool Store::createRollback(protocol::RollbackInfo &rollback, const QList<QJsonObject> &stepParams,
                           qint64 firingId)
{
    return m_rollbacks.create(rollback, stepParams, firingId);
}

bool Store::setRollbackState(qint64 id, PlanState state, qint64 finishedAtMs,
                             const QString &message)
{
    return m_rollbacks.setState(id, state, finishedAtMs, message);
}

bool Store::updateStep(const protocol::StepInfo &step)
{
    return m_rollbacks.updateStep(step);
}

std::optional<protocol::RollbackInfo> Store::rollback(qint64 id) const
{
    return m_rollbacks.find(id);
}

QList<QJsonObject> Store::stepParams(qint64 rollbackId) const
{
    return m_rollbacks.stepParams(rollbackId);
}

QList<protocol::RollbackInfo> Store::unfinishedRollbacks() const
{
    return m_rollbacks.unfinished();
}

int Store::rollbackAttempts(const QString &service, qint64 releaseId) const
{
    return m_rollbacks.countFrom(service, releaseId);
}

qint64 Store::beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs)
{
    return m_rollbacks.beginAttempt(stepId, attempt, startedAtMs);
}

bool Store::finishAttempt(qint64 attemptId, const QString &outcome, qint64 finishedAtMs,
                          const QString &message, const QString &output)
{
    return m_rollbacks.finishAttempt(attemptId, outcome, finishedAtMs, message, output);
}

bool Store::interruptAttempts(qint64 rollbackId, qint64 atMs)
{
    return m_rollbacks.interruptAttempts(rollbackId, atMs);
}

bool Store::insertApproval(qint64 rollbackId, const protocol::ApprovalInfo &approval)
{
    return m_rollbacks.addApproval(rollbackId, approval);
}

QList<protocol::ApprovalInfo> Store::approvals(qint64 rollbackId) const
{
    return m_rollbacks.approvals(rollbackId);
}

QList<protocol::ReleaseInfo> Store::releases(const QString &service, int limit) const
{
    return m_releases.list(service, limit);
}

qint64 Store::insertFreeze(const protocol::FreezeInfo &freeze)
{
    return m_freezes.insert(freeze);
}

std::optional<protocol::FreezeInfo> Store::activeFreeze(const QString &service, qint64 nowMs) const
{
    return m_freezes.active(service, nowMs);
}

qint64 Store::openIncident(const QString &title, const QStringList &services,
                           const QString &severity, qint64 atMs)
{
    return m_incidents.open(title, services, severity, atMs);
}

std::optional<qint64> Store::openIncidentFor(const QStringList &services) const
{
    return m_incidents.openFor(services);
}

bool Store::addIncidentNote(qint64 incidentId, const protocol::IncidentNote &note)
{
    return m_incidents.addNote(incidentId, note);
}

qint64 Store::addPreservedLog(qint64 incidentId, const protocol::PreservedLog &log, qint64 atMs)
{
    return m_incidents.addPreservedLog(incidentId, log, atMs);
}

qint64 Store::insertSnapshot(const protocol::SnapshotInfo &snapshot)
{
    return m_snapshots.insert(snapshot);
}

std::optional<protocol::SnapshotInfo> Store::snapshot(const QString &name) const
{
    return m_snapshots.find(name);
}

bool Store::markSnapshotPruned(qint64 id, qint64 atMs)
{
    return m_snapshots.markPruned(id, atMs);
}

} // namespace rwd::store
