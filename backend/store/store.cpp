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

std::unique_ptr<Store> Store::open(const QString &url, QString *error)
{
    auto db = Database::open(url, error);
    if (!db)
        return nullptr;
    return std::unique_ptr<Store>(new Store(std::move(db)));
}

int Store::latestSchemaVersion()
{
    return Database::latestSchemaVersion();
}

int Store::schemaVersion() const
{
    return m_db->schemaVersion();
}

bool Store::transaction(const std::function<bool()> &work)
{
    return m_db->transaction(work);
}

std::optional<protocol::ReleaseInfo> Store::insertRelease(protocol::ReleaseInfo release,
                                                          qint64 nowMs)
{
    return m_releases.insert(std::move(release), nowMs);
}

bool Store::setReleaseState(qint64 id, ReleaseState state, qint64 nowMs)
{
    return m_releases.setState(id, state, nowMs);
}

bool Store::setReleaseVerification(qint64 id, const protocol::VerificationInfo &verdict,
                                   qint64 nowMs)
{
    return m_releases.setVerification(id, verdict, nowMs);
}

std::optional<protocol::ReleaseInfo> Store::release(qint64 id) const
{
    return m_releases.find(id);
}

QList<protocol::ReleaseInfo> Store::releases(const QString &service, int limit) const
{
    return m_releases.list(service, limit);
}

std::optional<protocol::ReleaseInfo> Store::lastVerified(const QString &service,
                                                         qint64 excludeId) const
{
    return m_releases.lastVerified(service, excludeId);
}

std::optional<qint64> Store::currentReleaseId(const QString &service) const
{
    return m_releases.currentId(service);
}

bool Store::setCurrentRelease(const QString &service, qint64 releaseId)
{
    return m_releases.setCurrent(service, releaseId);
}

bool Store::setReleaseFreezeOverride(qint64 releaseId, const QString &reason)
{
    return m_releases.setFreezeOverride(releaseId, reason);
}

qint64 Store::insertFiring(const protocol::FiringInfo &firing)
{
    return m_firings.insert(firing);
}

bool Store::resolveFiring(qint64 id, qint64 atMs)
{
    return m_firings.resolve(id, atMs);
}

QList<Store::Firing> Store::firings(const QStringList &services, qint64 fromMs, qint64 toMs,
                                    qint64 incidentId) const
{
    return m_firings.list(services, fromMs, toMs, incidentId);
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

QList<protocol::RollbackInfo> Store::rollbacks(int limit, int offset, const QString &state,
                                               const QString &service) const
{
    return m_rollbacks.list(limit, offset, state, service);
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

QList<Store::StepAttempt> Store::attempts(qint64 rollbackId) const
{
    return m_rollbacks.attempts(rollbackId);
}

bool Store::setRollbackIncident(qint64 rollbackId, qint64 incidentId)
{
    return m_rollbacks.setIncident(rollbackId, incidentId);
}

bool Store::insertApproval(qint64 rollbackId, const Approval &approval)
{
    return m_rollbacks.addApproval(rollbackId, approval);
}

QList<Store::Approval> Store::approvals(qint64 rollbackId) const
{
    return m_rollbacks.approvals(rollbackId);
}

qint64 Store::insertFreeze(const protocol::FreezeInfo &freeze)
{
    return m_freezes.insert(freeze);
}

std::optional<protocol::FreezeInfo> Store::activeFreeze(const QString &service, qint64 nowMs) const
{
    return m_freezes.active(service, nowMs);
}

QList<protocol::FreezeInfo> Store::activeFreezes(qint64 nowMs) const
{
    return m_freezes.allActive(nowMs);
}

qint64 Store::insertSnapshot(const protocol::SnapshotInfo &snapshot)
{
    return m_snapshots.insert(snapshot);
}

std::optional<protocol::SnapshotInfo> Store::snapshot(const QString &name) const
{
    return m_snapshots.find(name);
}

QList<protocol::SnapshotInfo> Store::snapshots(const QString &service, bool withPruned,
                                               int limit) const
{
    return m_snapshots.list(service, withPruned, limit);
}

bool Store::markSnapshotPruned(qint64 id, qint64 atMs)
{
    return m_snapshots.markPruned(id, atMs);
}

std::optional<Store::User> Store::user(const QString &name) const
{
    return m_users.find(name);
}

std::optional<Store::User> Store::user(qint64 id) const
{
    return m_users.find(id);
}

qint64 Store::saveUser(const User &user)
{
    return m_users.save(user);
}

qint64 Store::insertToken(const Token &token)
{
    return m_users.insertToken(token);
}

std::optional<Store::Token> Store::tokenByHash(const QString &hash) const
{
    return m_users.tokenByHash(hash);
}

std::optional<Store::Token> Store::token(qint64 id) const
{
    return m_users.token(id);
}

QList<Store::Token> Store::tokens(qint64 userId) const
{
    return m_users.tokens(userId);
}

bool Store::revokeToken(qint64 id, qint64 atMs)
{
    return m_users.revokeToken(id, atMs);
}

bool Store::touchToken(qint64 id, qint64 atMs)
{
    return m_users.touchToken(id, atMs);
}

std::optional<audit::Entry> Store::lastAuditEntry() const
{
    return m_audit.last();
}

bool Store::insertAuditEntry(const audit::Entry &entry)
{
    return m_audit.insert(entry);
}

QList<audit::Entry> Store::auditEntries(qint64 afterId, int limit) const
{
    return m_audit.after(afterId, limit);
}

qint64 Store::insertDelivery(const protocol::DeliveryInfo &delivery)
{
    return m_deliveries.insert(delivery);
}

bool Store::updateDelivery(const protocol::DeliveryInfo &delivery)
{
    return m_deliveries.update(delivery);
}

int Store::abandonUnfinishedDeliveries(qint64 atMs, const QString &message)
{
    return m_deliveries.abandonUnfinished(atMs, message);
}

QList<protocol::DeliveryInfo> Store::deliveries(int limit, int offset) const
{
    return m_deliveries.list(limit, offset);
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

bool Store::closeIncident(qint64 id, qint64 atMs)
{
    return m_incidents.close(id, atMs);
}

bool Store::addIncidentNote(qint64 incidentId, const protocol::IncidentNote &note)
{
    return m_incidents.addNote(incidentId, note);
}

qint64 Store::addPreservedLog(qint64 incidentId, const protocol::PreservedLog &log, qint64 atMs)
{
    return m_incidents.addPreservedLog(incidentId, log, atMs);
}

std::optional<protocol::IncidentInfo> Store::incident(qint64 id) const
{
    return m_incidents.find(id);
}

QList<protocol::IncidentInfo> Store::incidents(int limit, int offset) const
{
    return m_incidents.list(limit, offset);
}

QList<qint64> Store::openIncidents() const
{
    return m_incidents.openIds();
}

} // namespace rwd::store
