#pragma once

#include "common/audit.h"
#include "common/protocol.h"
#include "orchestrator/ports.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>
#include <optional>

namespace rwd::store {

// The daemon's durable state: releases, which release each service runs, rule firings, and
// rollbacks with their steps (the journal the orchestrator writes before and after each step).
// SQLite through QSql, schema versioned and migrated on open. Single-threaded: used from the
// daemon's thread only.
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
    [[nodiscard]] bool writable() const { return m_writeError.isEmpty(); }
    [[nodiscard]] const QString &writeError() const override { return m_writeError; }
    [[nodiscard]] static int latestSchemaVersion();

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
    struct Firing
    {
        qint64 id = 0;
        protocol::FiringInfo info; // info.sinceMs: when it fired
        qint64 resolvedAtMs = 0;   // 0: not resolved
    };
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

    // Every run of a step: one row per attempt, written when it starts and when it ends, so
    // that a step's history (retries, an interruption by a crash) can be read back.
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
    struct User
    {
        qint64 id = 0;
        QString name;
        QString passwordHash; // empty: no password login
        QJsonObject roles;    // environment (or "*") -> [role…]
        bool fromConfig = false;
        qint64 createdAtMs = 0;
        qint64 disabledAtMs = 0;
    };
    struct Token
    {
        qint64 id = 0;
        qint64 userId = 0;
        QString kind; // api, session
        QString name;
        QString hash; // SHA-256 of the token, hex
        qint64 createdAtMs = 0;
        qint64 expiresAtMs = 0; // 0: never
        qint64 revokedAtMs = 0;
        qint64 lastUsedAtMs = 0;
    };
    [[nodiscard]] std::optional<User> user(const QString &name) const;
    [[nodiscard]] std::optional<User> user(qint64 id) const;
    [[nodiscard]] QList<User> users() const;
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
    explicit Store(QString connectionName);
    [[nodiscard]] bool migrate(QString *error);
    // Prepares and runs a statement (the members' way: it keeps writable() up to date).
    bool run(QSqlQuery &q, const QString &sql, const QVariantList &bindings = {}) const;
    [[nodiscard]] QSqlDatabase db() const;
    [[nodiscard]] QList<protocol::StepInfo> steps(qint64 rollbackId) const;
    [[nodiscard]] QList<protocol::TargetInfo> targets(qint64 rollbackId) const;

    QString m_connection;
    mutable QString m_writeError; // empty: the last write succeeded
};

} // namespace rwd::store
