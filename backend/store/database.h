#pragma once

#include "common/result.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <functional>
#include <memory>

namespace rwd::store {

// The SQLite database every aggregate of the store reads and writes: its QSql connection, the
// schema (versioned and migrated on open, migrations.cpp), transactions, and whether writes
// succeed — one state for the whole database, so that a write refused to any aggregate makes
// the store unwritable until a write to any of them succeeds. Single-threaded: used from the
// daemon's thread only.
class Database final
{
public:
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    // Opens (creating and migrating as needed) the database named by `url`: `sqlite:PATH`.
    // Fails, among other reasons, when the file was written by a newer Rewind (its schema is
    // ahead of this build).
    [[nodiscard]] static Result<std::unique_ptr<Database>> open(const QString &url);

    [[nodiscard]] int schemaVersion() const;
    [[nodiscard]] static int latestSchemaVersion();

    // Whether the database can write: false after a write failed (disk full, a read-only file, a
    // locked database) until a write succeeds again. `writeError()` says why.
    [[nodiscard]] bool writable() const { return m_writeError.isEmpty(); }
    [[nodiscard]] const QString &writeError() const { return m_writeError; }

    // Runs `work` in a transaction, committed if it returns true, rolled back otherwise.
    [[nodiscard]] bool transaction(const std::function<bool()> &work);

    // For the aggregates: a query on this connection, and the one way they run a statement
    // (prepared, with positional bindings, logged when it fails; an INSERT, UPDATE or DELETE
    // keeps writable() up to date).
    [[nodiscard]] QSqlQuery query() const;
    bool run(QSqlQuery &q, const QString &sql, const QVariantList &bindings = {}) const;
    bool run(const QString &sql, const QVariantList &bindings = {}) const;

private:
    explicit Database(QString connectionName);
    [[nodiscard]] QSqlDatabase db() const;
    [[nodiscard]] Result<void> migrate();

    QString m_connection;
    mutable QString m_writeError; // empty: the last write succeeded
};

// What every aggregate of the store shares: the database it reads and writes, and the write
// state of that database (not of the aggregate alone). An aggregate holds only the SQL of its
// own tables.
class Aggregate
{
public:
    Q_DISABLE_COPY_MOVE(Aggregate)

    // Whether the store's last write succeeded, and why not (Database::writable()).
    [[nodiscard]] bool writable() const { return m_db.writable(); }
    [[nodiscard]] const QString &writeError() const { return m_db.writeError(); }
    // Runs `work` in a transaction of the whole database (Database::transaction()).
    [[nodiscard]] bool transaction(const std::function<bool()> &work)
    {
        return m_db.transaction(work);
    }

protected:
    explicit Aggregate(Database &db)
        : m_db(db)
    {}
    ~Aggregate() = default;

    [[nodiscard]] Database &db() const { return m_db; }

private:
    Database &m_db;
};

} // namespace rwd::store
