#pragma once

#include "database.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace rwd::fleet::db {

// The numbered schema of the db service's database. The current schema is the single row of
// schema_version(version INTEGER NOT NULL); a database without that table is at schema 0.
// Migration N takes the schema from N-1 to N ("up") and back ("down"):
//
//   1  orders(id, created_at BIGINT, version TEXT, amount INTEGER)     down: drop orders
//   2  customers(id, name TEXT)                                        down: drop customers
//   3  orders.coupon TEXT, coupons(code TEXT PRIMARY KEY, percent)     down: drop coupons and
//                                                                            orders.coupon
//
// Ids are INTEGER PRIMARY KEY AUTOINCREMENT on SQLite and BIGSERIAL PRIMARY KEY on PostgreSQL.
// Rows of tables a migration does not drop survive it in both directions.
struct Migration
{
    int number = 0;
    QString upSummary; // one line each, for the migration tool's output
    QString downSummary;
    QStringList sqliteUp;
    QStringList sqliteDown;
    QStringList postgresUp;
    QStringList postgresDown;

    [[nodiscard]] const QString &summary(bool upwards) const
    {
        return upwards ? upSummary : downSummary;
    }
    [[nodiscard]] const QStringList &up(Backend backend) const
    {
        return backend == Backend::Sqlite ? sqliteUp : postgresUp;
    }
    [[nodiscard]] const QStringList &down(Backend backend) const
    {
        return backend == Backend::Sqlite ? sqliteDown : postgresDown;
    }
};

inline constexpr int kLatestSchema = 3;
// The schema the fleet brings a database up to when it starts (it never migrates down).
inline constexpr int kFleetSchema = 2;

// Migrations 1..kLatestSchema, in order.
[[nodiscard]] const QList<Migration> &migrations();

// Reads the current schema without changing anything: 0 when schema_version does not exist.
// Fails if the table holds other than one row.
bool readSchemaVersion(Connection &connection, int *version, QString *error);

// One migration that was applied and committed.
struct MigrationStep
{
    const Migration *migration = nullptr;
    bool up = true;
    int from = 0;
    int to = 0;
};

// Brings the schema to target (0..kLatestSchema) one migration at a time, in order, each in its
// own transaction that also updates schema_version (on SQLite "BEGIN IMMEDIATE", so that
// concurrent writers wait through their busy timeout instead of failing; on PostgreSQL the
// schema_version row is locked first). Creates schema_version (at 0) if it is missing. A failed
// migration is rolled back and stops the run: the schema stays at the last committed step.
// *from receives the schema before the run; onStep is called after each commit.
bool migrateTo(Connection &connection, int target,
               const std::function<void(const MigrationStep &)> &onStep, int *from, QString *error);

} // namespace rwd::fleet::db
