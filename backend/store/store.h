#pragma once

#include "auditentries.h"
#include "database.h"
#include "deliveries.h"
#include "firings.h"
#include "freezes.h"
#include "incidents.h"
#include "orchestrator/ports.h"
#include "releases.h"
#include "rollbacks.h"
#include "snapshots.h"
#include "users.h"

#include <QString>

#include <memory>

namespace rwd::store {

// The daemon's durable state, one aggregate per group of tables, all in one SQLite database
// (through QSql, schema versioned and migrated on open): releases and the release each service
// runs, rule firings, rollbacks with their steps (the journal the orchestrator writes before and
// after each step) and approvals, freezes, snapshots, incidents, users and tokens, the audit log
// and notification deliveries. A part that needs one aggregate is given that one; the
// orchestrator sees the store as its PlanStore port. Single-threaded: used from the daemon's
// thread only.
class Store final : public orchestrator::PlanStore
{
public:
    ~Store() override;
    Q_DISABLE_COPY_MOVE(Store)

    // Opens (creating and migrating as needed) the store named by `url`: `sqlite:PATH`.
    // Fails, among other reasons, when the file was written by a newer Rewind (its schema is
    // ahead of this build).
    [[nodiscard]] static Result<std::unique_ptr<Store>> open(const QString &url);

    [[nodiscard]] int schemaVersion() const { return m_db->schemaVersion(); }
    [[nodiscard]] static int latestSchemaVersion() { return Database::latestSchemaVersion(); }

    // Whether the store can write: false after a write to any aggregate failed (disk full, a
    // read-only file, a locked database) until a write to any of them succeeds again.
    // `writeError()` says why. Every write method is [[nodiscard]]: a caller must decide what to
    // do when the record was not written.
    [[nodiscard]] bool writable() const { return m_db->writable(); }
    [[nodiscard]] const QString &writeError() const override { return m_db->writeError(); }

    // The aggregates. Each one's transaction() is one of the whole database.
    [[nodiscard]] Releases &releases() { return m_releases; }
    [[nodiscard]] const Releases &releases() const { return m_releases; }
    [[nodiscard]] Firings &firings() { return m_firings; }
    [[nodiscard]] const Firings &firings() const { return m_firings; }
    [[nodiscard]] Rollbacks &rollbacks() { return m_rollbacks; }
    [[nodiscard]] const Rollbacks &rollbacks() const { return m_rollbacks; }
    [[nodiscard]] Freezes &freezes() { return m_freezes; }
    [[nodiscard]] const Freezes &freezes() const { return m_freezes; }
    [[nodiscard]] Snapshots &snapshots() { return m_snapshots; }
    [[nodiscard]] const Snapshots &snapshots() const { return m_snapshots; }
    [[nodiscard]] Incidents &incidents() { return m_incidents; }
    [[nodiscard]] const Incidents &incidents() const { return m_incidents; }
    [[nodiscard]] Users &users() { return m_users; }
    [[nodiscard]] const Users &users() const { return m_users; }
    [[nodiscard]] AuditEntries &auditEntries() { return m_audit; }
    [[nodiscard]] const AuditEntries &auditEntries() const { return m_audit; }
    [[nodiscard]] Deliveries &deliveries() { return m_deliveries; }
    [[nodiscard]] const Deliveries &deliveries() const { return m_deliveries; }

private:
    explicit Store(std::unique_ptr<Database> db);

    // orchestrator::PlanStore, by delegation to the aggregates. Private: the orchestrator
    // reaches them through its port, everything else through the aggregate they belong to.
    [[nodiscard]] bool createRollback(protocol::RollbackInfo &rollback,
                                      const QList<QJsonObject> &stepParams,
                                      qint64 firingId) override;
    [[nodiscard]] bool setRollbackState(qint64 id, PlanState state, qint64 finishedAtMs,
                                        const QString &message) override;
    [[nodiscard]] bool updateStep(const protocol::StepInfo &step) override;
    [[nodiscard]] std::optional<protocol::RollbackInfo> rollback(qint64 id) const override;
    [[nodiscard]] QList<QJsonObject> stepParams(qint64 rollbackId) const override;
    [[nodiscard]] QList<protocol::RollbackInfo> unfinishedRollbacks() const override;
    [[nodiscard]] int rollbackAttempts(const QString &service, qint64 releaseId) const override;
    [[nodiscard]] qint64 beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs) override;
    [[nodiscard]] bool finishAttempt(qint64 attemptId, const QString &outcome, qint64 finishedAtMs,
                                     const QString &message, const QString &output) override;
    [[nodiscard]] bool interruptAttempts(qint64 rollbackId, qint64 atMs) override;
    [[nodiscard]] bool insertApproval(qint64 rollbackId,
                                      const protocol::ApprovalInfo &approval) override;
    [[nodiscard]] QList<protocol::ApprovalInfo> approvals(qint64 rollbackId) const override;
    // (An overload of the accessor above: the port's name for Releases::list.)
    [[nodiscard]] QList<protocol::ReleaseInfo> releases(const QString &service,
                                                        int limit) const override;
    [[nodiscard]] qint64 insertFreeze(const protocol::FreezeInfo &freeze) override;
    [[nodiscard]] std::optional<protocol::FreezeInfo> activeFreeze(const QString &service,
                                                                   qint64 nowMs) const override;
    [[nodiscard]] qint64 openIncident(const QString &title, const QStringList &services,
                                      const QString &severity, qint64 atMs) override;
    [[nodiscard]] std::optional<qint64> openIncidentFor(const QStringList &services) const override;
    [[nodiscard]] bool addIncidentNote(qint64 incidentId,
                                       const protocol::IncidentNote &note) override;
    [[nodiscard]] qint64 addPreservedLog(qint64 incidentId, const protocol::PreservedLog &log,
                                         qint64 atMs) override;
    [[nodiscard]] qint64 insertSnapshot(const protocol::SnapshotInfo &snapshot) override;
    [[nodiscard]] std::optional<protocol::SnapshotInfo>
    snapshot(const QString &name) const override;
    [[nodiscard]] bool markSnapshotPruned(qint64 id, qint64 atMs) override;

    std::unique_ptr<Database> m_db; // first: the aggregates hold a reference to it
    Releases m_releases;
    Firings m_firings;
    Rollbacks m_rollbacks;
    Freezes m_freezes;
    Snapshots m_snapshots;
    Incidents m_incidents;
    Users m_users;
    AuditEntries m_audit;
    Deliveries m_deliveries;
};

} // namespace rwd::store
