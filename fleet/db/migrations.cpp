#include "migrations.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rwd::fleet::db {

namespace {

QList<Migration> buildMigrations()
{
    Migration orders;
    orders.number = 1;
    orders.upSummary = QStringLiteral("create table orders");
    orders.downSummary = QStringLiteral("drop table orders");
    orders.sqliteUp = {QStringLiteral(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at BIGINT NOT NULL, "
        "version TEXT NOT NULL, amount INTEGER NOT NULL)")};
    orders.postgresUp = {
        QStringLiteral("CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, created_at BIGINT NOT NULL, "
                       "version TEXT NOT NULL, amount INTEGER NOT NULL)")};
    orders.sqliteDown = orders.postgresDown = {QStringLiteral("DROP TABLE orders")};

    Migration customers;
    customers.number = 2;
    customers.upSummary = QStringLiteral("create table customers");
    customers.downSummary = QStringLiteral("drop table customers");
    customers.sqliteUp = {QStringLiteral(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)")};
    customers.postgresUp = {
        QStringLiteral("CREATE TABLE customers (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)")};
    customers.sqliteDown = customers.postgresDown = {QStringLiteral("DROP TABLE customers")};

    Migration coupons;
    coupons.number = 3;
    coupons.upSummary = QStringLiteral("add column orders.coupon, create table coupons");
    coupons.downSummary = QStringLiteral("drop table coupons and column orders.coupon");
    coupons.sqliteUp = coupons.postgresUp = {
        QStringLiteral("ALTER TABLE orders ADD COLUMN coupon TEXT"),
        QStringLiteral("CREATE TABLE coupons (code TEXT PRIMARY KEY, percent INTEGER NOT NULL)")};
    coupons.sqliteDown =
        coupons.postgresDown = {QStringLiteral("DROP TABLE coupons"),
                                QStringLiteral("ALTER TABLE orders DROP COLUMN coupon")};

    return {orders, customers, coupons};
}

QString sqlError(const QSqlQuery &query)
{
    const QString text = query.lastError().text().trimmed();
    return text.isEmpty() ? QStringLiteral("unknown database error") : text;
}

bool schemaTableExists(Connection &connection, bool *exists, QString *error)
{
    QSqlQuery query(connection.database());
    const QString sql =
        connection.backend() == Backend::Sqlite
            ? QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                             "'schema_version'")
            : QStringLiteral("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = "
                             "'schema_version' AND schemaname = current_schema()");
    if (!query.exec(sql) || !query.next()) {
        *error = QStringLiteral("cannot look for table schema_version: %1").arg(sqlError(query));
        return false;
    }
    *exists = query.value(0).toInt() > 0;
    return true;
}

// Reads the one row of schema_version; forUpdate locks it (PostgreSQL) for the transaction.
bool selectVersion(Connection &connection, bool forUpdate, int *version, QString *error)
{
    QSqlQuery query(connection.database());
    QString sql = QStringLiteral("SELECT version FROM schema_version");
    if (forUpdate && connection.backend() == Backend::Postgres)
        sql += QStringLiteral(" FOR UPDATE");
    if (!query.exec(sql)) {
        *error = QStringLiteral("cannot read schema_version: %1").arg(sqlError(query));
        return false;
    }
    int rows = 0;
    while (query.next()) {
        *version = query.value(0).toInt();
        ++rows;
    }
    if (rows != 1) {
        *error = QStringLiteral("schema_version must hold exactly one row, it holds %1").arg(rows);
        return false;
    }
    return true;
}

bool begin(Connection &connection, QString *error)
{
    return connection.exec(connection.backend() == Backend::Sqlite
                               ? QStringLiteral("BEGIN IMMEDIATE")
                               : QStringLiteral("BEGIN"),
                           error);
}

void rollback(Connection &connection)
{
    QString ignored;
    connection.exec(QStringLiteral("ROLLBACK"), &ignored);
}

// Creates schema_version with its row (0) unless both exist, in one transaction.
bool ensureSchemaTable(Connection &connection, QString *error)
{
    bool exists = false;
    if (!schemaTableExists(connection, &exists, error))
        return false;
    if (exists)
        return true;
    if (!begin(connection, error))
        return false;
    bool ok = connection.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version "
                                             "(version INTEGER NOT NULL)"),
                              error);
    if (ok && connection.backend() == Backend::Postgres)
        ok = connection.exec(QStringLiteral("LOCK TABLE schema_version IN EXCLUSIVE MODE"), error);
    if (ok) {
        QSqlQuery query(connection.database());
        if (!query.exec(QStringLiteral("SELECT count(*) FROM schema_version")) || !query.next()) {
            *error = QStringLiteral("cannot read schema_version: %1").arg(sqlError(query));
            ok = false;
        } else if (query.value(0).toInt() == 0) {
            query.finish();
            ok = connection.exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (0)"),
                                 error);
        }
    }
    if (ok)
        ok = connection.exec(QStringLiteral("COMMIT"), error);
    if (!ok)
        rollback(connection);
    return ok;
}

// Applies one migration in its own transaction, checking that nobody moved the schema since.
bool applyStep(Connection &connection, const Migration &migration, bool up, int expected,
               QString *error)
{
    const int to = up ? migration.number : migration.number - 1;
    const auto fail = [&](const QString &why) {
        rollback(connection);
        *error = QStringLiteral("migration %1 %2 failed: %3")
                     .arg(migration.number)
                     .arg(up ? QStringLiteral("up") : QStringLiteral("down"), why);
        return false;
    };
    QString message;
    if (!begin(connection, &message))
        return fail(message);
    int current = -1;
    if (!selectVersion(connection, true, &current, &message))
        return fail(message);
    if (current != expected)
        return fail(QStringLiteral("the schema changed to %1 while migrating").arg(current));
    for (const QString &statement :
         up ? migration.up(connection.backend()) : migration.down(connection.backend())) {
        if (!connection.exec(statement, &message))
            return fail(message);
    }
    QSqlQuery update(connection.database());
    update.prepare(QStringLiteral("UPDATE schema_version SET version = ?"));
    update.addBindValue(to);
    if (!update.exec())
        return fail(QStringLiteral("cannot update schema_version: %1").arg(sqlError(update)));
    update.finish();
    if (!connection.exec(QStringLiteral("COMMIT"), &message))
        return fail(message);
    return true;
}

} // namespace

const QList<Migration> &migrations()
{
    static const QList<Migration> all = buildMigrations();
    return all;
}

bool readSchemaVersion(Connection &connection, int *version, QString *error)
{
    bool exists = false;
    if (!schemaTableExists(connection, &exists, error))
        return false;
    if (!exists) {
        *version = 0;
        return true;
    }
    return selectVersion(connection, false, version, error);
}

bool migrateTo(Connection &connection, int target,
               const std::function<void(const MigrationStep &)> &onStep, int *from, QString *error)
{
    if (target < 0 || target > kLatestSchema) {
        *error =
            QStringLiteral("unknown schema %1 (known: 0 to %2)").arg(target).arg(kLatestSchema);
        return false;
    }
    if (!ensureSchemaTable(connection, error))
        return false;
    int current = 0;
    if (!readSchemaVersion(connection, &current, error))
        return false;
    *from = current;
    if (current < 0 || current > kLatestSchema) {
        *error = QStringLiteral("the database is at schema %1, which this program does not know "
                                "(known: 0 to %2)")
                     .arg(current)
                     .arg(kLatestSchema);
        return false;
    }
    while (current != target) {
        const bool up = target > current;
        const Migration &migration = migrations().at(up ? current : current - 1);
        if (!applyStep(connection, migration, up, current, error))
            return false;
        const int next = up ? current + 1 : current - 1;
        if (onStep)
            onStep(MigrationStep{&migration, up, current, next});
        current = next;
    }
    return true;
}

} // namespace rwd::fleet::db
