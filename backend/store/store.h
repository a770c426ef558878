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

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace rwd::store {

// The daemon's durable state, one aggregate per group of tables, all in one SQLite database
// (through QSql, schema versioned and migrated on open): releases and the release each service
// runs, rule firings, rollbacks with their steps (the journal the orchestrator writes before and
// after each step) and approvals, freezes, snapshots, incidents, users and tokens, the audit log
// and notification deliveries. Single-threaded: used from the daemon's thread only.
//
// Its methods below forward to the aggregates, until the callers reach those directly.
class Store final : public orchestrator::PlanStore
{
public:
    ~Store() override;
    Q_DISABLE_COPY_MOVE(Store)

    // Opens (creating and migrating as needed) the store named by `url`: `sqlite:PATH`.
    // Returns null and sets `error` when that fails, including when the file was written by a
    // newer Rewind (its schema is ahead of this build).
    [[nodiscard]] static std::unique_ptr<Store> open(const QString &url, QString *error);

    [[nodiscard]] int schemaVersion() const;

    // Whether the store can write: false after a write failed (disk full, a read-only file, a
    // locked database) until a write succeeds again. `writeError()` says why. Every write method
    // is [[nodiscard]]: a caller must decide what to do when the record was not written.
    [[nodiscard]] bool writable() const { return m_db->writable(); }
    [[nodiscard]] const QString &writeError() const override { return m_db->writeError(); }
    [[nodiscard]] static int latestSchemaVersion();

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

    // Runs `work` in a transaction, committed if it returns true, rolled back otherwise.
    [[nodiscard]] bool transaction(const std::function<bool()> &work);

    // Releases.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> insertRelease(protocol::ReleaseInfo release,
                                                                     qint64 nowMs);
    [[nodiscard]] bool setReleaseState(qint64 id, ReleaseState state, qint64 nowMs);
    // The final verdict of a release's verification (or the latest one, kept with it).
    [[nodiscard]] bool setReleaseVerification(qint64 id, const protocol::VerificationInfo &verdict,
                                              qint64 nowMs);
    [[nodiscard]] std::optional<protocol::ReleaseInfo> release(qint64 id) const;
    // Newest first.
    [[nodiscard]] QList<protocol::ReleaseInfo> releases(const QString &service,
                                                        int limit) const override;
    // The newest verified release of `service` other than `excludeId`.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> lastVerified(const QString &service,
                                                                    qint64 excludeId = 0) const;
    [[nodiscard]] std::optional<qint64> currentReleaseId(const QString &service) const;
    [[nodiscard]] bool setCurrentRelease(const QString &service, qint64 releaseId);

    // Rule firings.
    [[nodiscard]] qint64 insertFiring(const protocol::FiringInfo &firing);
    [[nodiscard]] bool resolveFiring(qint64 id, qint64 atMs);
    using Firing = store::Firing;
    // Firings of `services` that fired in [fromMs, toMs], and those that triggered a rollback
    // of incident `incidentId`; oldest first.
    [[nodiscard]] QList<Firing> firings(const QStringList &services, qint64 fromMs, qint64 toMs,
                                        qint64 incidentId) const;

    // Rollbacks and their steps. `createRollback` assigns ids to the rollback and its steps.
    [[nodiscard]] bool createRollback(protocol::RollbackInfo &rollback,
                                      const QList<QJsonObject> &stepParams,
                                      qint64 firingId) override;
    [[nodiscard]] bool setRollbackState(qint64 id, PlanState state, qint64 finishedAtMs,
                                        const QString &message) override;
    // Writes the step's state, times, message and attempt count.
    [[nodiscard]] bool updateStep(const protocol::StepInfo &step) override;
    [[nodiscard]] std::optional<protocol::RollbackInfo> rollback(qint64 id) const override;
    // Newest first.
    // `state`, `service`: only those in that state / with that target (empty: any).
    [[nodiscard]] QList<protocol::RollbackInfo> rollbacks(int limit, int offset = 0,
                                                          const QString &state = {},
                                                          const QString &service = {}) const;
    [[nodiscard]] QList<QJsonObject> stepParams(qint64 rollbackId) const override;
    // Plans not in a terminal state, oldest first: what a restarted daemon resumes.
    [[nodiscard]] QList<protocol::RollbackInfo> unfinishedRollbacks() const override;
    // Stored plans (of any state) that tried to move `service` off release `releaseId`.
    [[nodiscard]] int rollbackAttempts(const QString &service, qint64 releaseId) const override;

    using StepAttempt = store::StepAttempt;
    [[nodiscard]] qint64 beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs) override;
    [[nodiscard]] bool finishAttempt(qint64 attemptId, const QString &outcome, qint64 finishedAtMs,
                                     const QString &message, const QString &output) override;
    // Marks every attempt still `running` of the plan as `interrupted` (after a crash).
    [[nodiscard]] bool interruptAttempts(qint64 rollbackId, qint64 atMs) override;
    [[nodiscard]] QList<StepAttempt> attempts(qint64 rollbackId) const;

    // Deployment freezes.
    [[nodiscard]] qint64 insertFreeze(const protocol::FreezeInfo &freeze) override;
    // The freeze of `service` that lasts longest among those in force at `nowMs`.
    [[nodiscard]] std::optional<protocol::FreezeInfo> activeFreeze(const QString &service,
                                                                   qint64 nowMs) const override;
    [[nodiscard]] QList<protocol::FreezeInfo> activeFreezes(qint64 nowMs) const;
    [[nodiscard]] bool setReleaseFreezeOverride(qint64 releaseId, const QString &reason);

    // Database snapshots.
    [[nodiscard]] qint64 insertSnapshot(const protocol::SnapshotInfo &snapshot) override;
    [[nodiscard]] std::optional<protocol::SnapshotInfo>
    snapshot(const QString &name) const override;
    // Newest first; `service` empty: every service. Pruned ones only when `withPruned`.
    [[nodiscard]] QList<protocol::SnapshotInfo> snapshots(const QString &service, bool withPruned,
                                                          int limit = 1000) const;
    [[nodiscard]] bool markSnapshotPruned(qint64 id, qint64 atMs) override;

    // Users, API tokens and sessions.
    using User = store::User;
    using Token = store::Token;
    [[nodiscard]] std::optional<User> user(const QString &name) const;
    [[nodiscard]] std::optional<User> user(qint64 id) const;
    // Inserts or updates by name; returns the id.
    [[nodiscard]] qint64 saveUser(const User &user);
    [[nodiscard]] qint64 insertToken(const Token &token);
    [[nodiscard]] std::optional<Token> tokenByHash(const QString &hash) const;
    [[nodiscard]] std::optional<Token> token(qint64 id) const;
    [[nodiscard]] QList<Token> tokens(qint64 userId) const;
    [[nodiscard]] bool revokeToken(qint64 id, qint64 atMs);
    [[nodiscard]] bool touchToken(qint64 id, qint64 atMs);

    // Approvals of rollbacks.
    using Approval = protocol::ApprovalInfo;
    [[nodiscard]] bool insertApproval(qint64 rollbackId, const Approval &approval) override;
    [[nodiscard]] QList<Approval> approvals(qint64 rollbackId) const override;

    // The audit log (append-only).
    [[nodiscard]] std::optional<audit::Entry> lastAuditEntry() const;
    [[nodiscard]] bool insertAuditEntry(const audit::Entry &entry);
    // Oldest first, after `afterId`.
    [[nodiscard]] QList<audit::Entry> auditEntries(qint64 afterId, int limit) const;

    // Notification deliveries.
    [[nodiscard]] qint64 insertDelivery(const protocol::DeliveryInfo &delivery);
    [[nodiscard]] bool updateDelivery(const protocol::DeliveryInfo &delivery);
    // Deliveries a previous run left pending or retrying (it died): failed with `message`.
    // Returns how many.
    int abandonUnfinishedDeliveries(qint64 atMs, const QString &message);
    // Newest first.
    [[nodiscard]] QList<protocol::DeliveryInfo> deliveries(int limit, int offset = 0) const;

    // Incidents.
    [[nodiscard]] qint64 openIncident(const QString &title, const QStringList &services,
                                      const QString &severity, qint64 atMs) override;
    // The open incident that concerns any of `services`, if there is one.
    [[nodiscard]] std::optional<qint64> openIncidentFor(const QStringList &services) const override;
    [[nodiscard]] bool closeIncident(qint64 id, qint64 atMs);
    [[nodiscard]] bool setRollbackIncident(qint64 rollbackId, qint64 incidentId);
    [[nodiscard]] bool addIncidentNote(qint64 incidentId,
                                       const protocol::IncidentNote &note) override;
    [[nodiscard]] qint64 addPreservedLog(qint64 incidentId, const protocol::PreservedLog &log,
                                         qint64 atMs) override;
    [[nodiscard]] std::optional<protocol::IncidentInfo> incident(qint64 id) const;
    // Newest first.
    [[nodiscard]] QList<protocol::IncidentInfo> incidents(int limit, int offset = 0) const;
    [[nodiscard]] QList<qint64> openIncidents() const;

private:
    explicit Store(std::unique_ptr<Database> db);

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
