#pragma once

#include "executors/executor.h"
#include "snapshotfiles.h"

#include <QObject>
#include <QThreadPool>

namespace rwd::executors {

// `type: sqlite` — snapshots of a SQLite database through SQLite's online backup API (a
// consistent copy while the application keeps writing), restores through the same API, and
// integrity checks of declared tables. The work runs on a worker thread, never on the event
// loop; each action opens its own connection.
//
// Actions (all idempotent):
//   snapshot          {vars.snapshot: NAME, tables, reason}  copy, checksum, describe, prune
//   integrity_check   {vars.snapshot: NAME, tables, query}   compare with the snapshot
//   restore_snapshot  {vars.snapshot: NAME}                  verify the checksum, copy back
class SqliteExecutor final : public Executor
{
public:
    struct Options
    {
        QString name;
        QString path; // the database file
        database::Retention retention;
        qint64 busyTimeoutMs = 5'000;
    };

    explicit SqliteExecutor(Options options);
    ~SqliteExecutor() override;

    [[nodiscard]] QStringList actions() const override;
    [[nodiscard]] bool idempotent(const QString &) const override { return true; }
    void execute(const QString &action, const QJsonObject &params, Done done) override;

    static std::unique_ptr<Executor> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

private:
    Options m_options;
    QThreadPool m_pool;
    QObject m_context;
};

} // namespace rwd::executors
