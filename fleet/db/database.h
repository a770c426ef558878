#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace rwd::fleet::db {

// The database engines the fleet's db service and rewind-fleet-migrate work with.
enum class Backend
{
    Sqlite,  // QSQLITE, one file shared with other processes (WAL mode, busy timeout)
    Postgres // QPSQL, a server reached over TCP
};

// Where a database is, as written on a command line (never with a password):
//
//   sqlite:PATH                        PATH made absolute against the working directory
//   postgresql://USER@HOST[:PORT]/DB   PORT defaults to 5432; "postgres://" is accepted too
//
// The password of a PostgreSQL user comes from an environment variable, never from the URL:
// a URL with "USER:PASSWORD@" is rejected so that a password cannot end up in process lists,
// fleet.json or logs.
struct DatabaseUrl
{
    static constexpr int kDefaultPostgresPort = 5432;

    Backend backend = Backend::Sqlite;
    QString path; // sqlite: absolute, cleaned
    QString user; // postgresql: the remaining fields
    QString host;
    int port = kDefaultPostgresPort;
    QString database;

    [[nodiscard]] static std::optional<DatabaseUrl> parse(const QString &text, QString *error);

    // "sqlite:/abs/path" or "postgresql://USER@HOST:PORT/DB".
    [[nodiscard]] QString toString() const;
};

// How long a SQLite connection waits for another process's write lock before giving up.
inline constexpr int kSqliteBusyTimeoutMs = 5000;
// How long connecting to PostgreSQL may take.
inline constexpr int kPostgresConnectTimeoutSeconds = 5;

// One named QSqlDatabase connection, usable only on the thread that created it and removed
// from Qt's registry when destroyed. open() applies the fleet's settings: for SQLite a busy
// timeout and WAL journal mode (the fleet, the migration tool and Rewind's backups use the same
// file at once); for PostgreSQL a connect timeout, application_name "rewind-fleet" and
// client_min_messages = warning (no NOTICE chatter on stderr).
class Connection
{
public:
    Connection(DatabaseUrl url, QString password);
    ~Connection();
    Q_DISABLE_COPY_MOVE(Connection)

    bool open(QString *error);
    void close();
    [[nodiscard]] bool isOpen() const { return m_db.isOpen(); }

    [[nodiscard]] const DatabaseUrl &url() const { return m_url; }
    [[nodiscard]] Backend backend() const { return m_url.backend; }
    // Queries must not outlive the connection.
    [[nodiscard]] QSqlDatabase database() const { return m_db; }

    // Runs one statement that returns no rows; on failure *error names the statement.
    bool exec(const QString &sql, QString *error);

private:
    DatabaseUrl m_url;
    QString m_password;
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace rwd::fleet::db
