#pragma once

#include "config/secret.h"
#include "executors/executor.h"
#include "executors/runs.h"
#include "snapshotfiles.h"

#include <QObject>

#include <map>
#include <memory>

namespace rwd::process {
class ProcessRunner;
}

namespace rwd::executors {

// `type: postgres` — snapshots of a PostgreSQL database with pg_dump (custom format), restores
// with pg_restore (--clean, in one transaction), integrity checks with psql. The password comes
// from a secret and reaches the tools through PGPASSWORD, never the command line.
//
// Actions (all idempotent): snapshot, integrity_check, restore_snapshot — as for `sqlite`.
class PostgresExecutor final : public Executor
{
public:
    struct Options
    {
        QString name;
        QString url; // postgresql://USER@HOST:PORT/DB, without a password
        config::Secret password;
        QString pgDump = QStringLiteral("pg_dump");
        QString pgRestore = QStringLiteral("pg_restore");
        QString psql = QStringLiteral("psql");
        database::Retention retention;
        qint64 timeoutMs = 10 * 60'000; // each tool
    };

    explicit PostgresExecutor(Options options);
    ~PostgresExecutor() override;

    [[nodiscard]] QStringList actions() const override;
    [[nodiscard]] bool idempotent(const QString &) const override { return true; }
    void execute(const QString &action, const QJsonObject &params, Done done) override;

    static std::unique_ptr<Executor> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

private:
    struct Run;
    // Runs a tool for `run`; on success `then` continues, on failure the run ends.
    void tool(quint64 id, const QString &program, const QStringList &arguments, const QString &what,
              std::function<void(Run &, const QByteArray &output)> then);
    void finish(quint64 id, const ActionResult &result);
    void snapshot(quint64 id);
    void integrity(quint64 id);
    void restore(quint64 id);
    // psql over the declared tables: one row per table.
    void stats(quint64 id, const QJsonObject &limits,
               std::function<void(Run &, const QHash<QString, database::TableStats> &)> then);

    // The sidecar of the run's snapshot, or the run finished with why there is none.
    std::optional<QJsonObject> sidecarOf(quint64 id, Run &run);

    Options m_options;
    Runs<Run> m_runs;
    QObject m_context;
};

} // namespace rwd::executors
