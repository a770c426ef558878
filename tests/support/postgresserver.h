#pragma once

#include "results.h"

#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

namespace rwd::testing {

// A real PostgreSQL server for one test: a fresh cluster in a temporary directory, listening on
// 127.0.0.1 on a free port (and on a unix socket in that directory), stopped and deleted when the
// object is destroyed.
//
// initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (which then
// owns the temporary directory); otherwise as the current user. Every program is started with an
// argument list, never through a shell.
//
// Authentication: the superuser connects without a password (trust); every other user must give
// its password over TCP (scram-sha-256), so tests can exercise both.
class PostgresServer
{
public:
    // `binDirectory`: where initdb, pg_ctl and postgres are; $REWIND_PG_BINDIR overrides the
    // default (PostgreSQL 15 as packaged by Debian).
    explicit PostgresServer(QString binDirectory = QString());
    ~PostgresServer();
    Q_DISABLE_COPY_MOVE(PostgresServer)

    // Whether the server programs are installed, so that a test can skip rather than fail.
    [[nodiscard]] bool available() const;

    // initdb (the first time) and `pg_ctl start -w`, which returns once the server accepts
    // connections. Fails with the reason and the end of the server's log.
    [[nodiscard]] Result<void> start();
    // `pg_ctl stop -m fast`; if the server is still there afterwards, SIGKILL to its PID.
    // Returns whether the server is gone. Safe to call when it is not running.
    bool stop();
    [[nodiscard]] bool isRunning() const;

    [[nodiscard]] QString host() const { return QStringLiteral("127.0.0.1"); }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] qint64 pid() const { return m_pid; }
    [[nodiscard]] QString superuser() const { return QStringLiteral("postgres"); }
    [[nodiscard]] QString socketDirectory() const { return m_dir.path(); }
    // `postgresql://SUPERUSER@127.0.0.1:PORT/DATABASE`
    [[nodiscard]] QString url(const QString &database = QStringLiteral("postgres")) const;

    // Runs one SQL statement as the superuser on `database` (for setting up tests). Fails with
    // the server's message.
    [[nodiscard]] Result<void> execute(const QString &sql,
                                       const QString &database = QStringLiteral("postgres"));
    // The first column of the first row of `sql`.
    [[nodiscard]] Result<QVariant> value(const QString &sql,
                                         const QString &database = QStringLiteral("postgres"));

    // The last lines of the server's log, for failure messages.
    [[nodiscard]] QString logTail(int lines = 20) const;

private:
    // Runs a server program (as `postgres` when we are root) and waits for it.
    [[nodiscard]] Result<void> run(const QString &program, const QStringList &arguments,
                                   int timeoutMs);
    [[nodiscard]] QString dataDirectory() const;
    [[nodiscard]] QString logFile() const;
    bool readPid();
    // A connection name for `database`, opened on first use in the calling thread.
    [[nodiscard]] Result<QString> connection(const QString &database);
    // `sql` run on `database`, ready to read.
    [[nodiscard]] Result<QSqlQuery> exec(const QString &sql, const QString &database);

    QString m_bin;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    qint64 m_pid = 0;
    bool m_initialised = false;
    QStringList m_connections;
};

} // namespace rwd::testing
