#pragma once

#include "common/protocol.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace rwd::store {

// The daemon's durable state: releases, which release each service runs, rule firings, and
// rollbacks with their steps (the journal the orchestrator writes before and after each step).
// SQLite through QSql, schema versioned and migrated on open. Single-threaded: used from the
// daemon's thread only.
class Store
{
public:
    ~Store();
    Q_DISABLE_COPY_MOVE(Store)

    // Opens (creating and migrating as needed) the store named by `url`: `sqlite:PATH`.
    // Returns null and sets `error` when that fails, including when the file was written by a
    // newer Rewind (its schema is ahead of this build).
    [[nodiscard]] static std::unique_ptr<Store> open(const QString &url, QString *error);

    [[nodiscard]] int schemaVersion() const;
    [[nodiscard]] static int latestSchemaVersion();

    // Runs `work` in a transaction, committed if it returns true, rolled back otherwise.
    bool transaction(const std::function<bool()> &work);

    // Releases.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> insertRelease(protocol::ReleaseInfo release,
                                                                     qint64 nowMs);
    bool setReleaseState(qint64 id, ReleaseState state, qint64 nowMs);
    [[nodiscard]] std::optional<protocol::ReleaseInfo> release(qint64 id) const;
    // Newest first.
    [[nodiscard]] QList<protocol::ReleaseInfo> releases(const QString &service, int limit) const;
    // The newest verified release of `service` other than `excludeId`.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> lastVerified(const QString &service,
                                                                    qint64 excludeId = 0) const;
    [[nodiscard]] std::optional<qint64> currentReleaseId(const QString &service) const;
    bool setCurrentRelease(const QString &service, qint64 releaseId);

    // Rule firings.
    [[nodiscard]] qint64 insertFiring(const protocol::FiringInfo &firing);
    bool resolveFiring(qint64 id, qint64 atMs);

    // Rollbacks and their steps. `createRollback` assigns ids to the rollback and its steps.
    bool createRollback(protocol::RollbackInfo &rollback, const QList<QJsonObject> &stepParams,
                        qint64 firingId);
    bool setRollbackState(qint64 id, PlanState state, qint64 finishedAtMs, const QString &message);
    bool updateStep(const protocol::StepInfo &step, int attempt);
    [[nodiscard]] std::optional<protocol::RollbackInfo> rollback(qint64 id) const;
    // Newest first.
    [[nodiscard]] QList<protocol::RollbackInfo> rollbacks(int limit, int offset = 0) const;
    [[nodiscard]] QList<QJsonObject> stepParams(qint64 rollbackId) const;

private:
    explicit Store(QString connectionName);
    bool migrate(QString *error);
    [[nodiscard]] QSqlDatabase db() const;
    [[nodiscard]] QList<protocol::StepInfo> steps(qint64 rollbackId) const;
    [[nodiscard]] QList<protocol::TargetInfo> targets(qint64 rollbackId) const;

    QString m_connection;
};

} // namespace rwd::store
