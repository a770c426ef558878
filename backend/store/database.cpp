#include "database.h"

#include "logging/logging.h"
#include "migrations.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace rwd::store {

namespace {

auto log()
{
    return logging::get("store");
}

// Prepares and runs a statement with positional bindings; a failure is logged.
Result<void> runQuery(QSqlQuery &q, const QString &sql, const QVariantList &bindings)
{
    if (!q.prepare(sql)) {
        const QString why = q.lastError().text();
        log()->error("cannot prepare '{}': {}", sql, why);
        return failure(why);
    }
    for (const auto &b : bindings)
        q.addBindValue(b);
    if (!q.exec()) {
        const QString why = q.lastError().text();
        log()->error("query failed '{}': {}", sql, why);
        return failure(why);
    }
    return {};
}

bool isWrite(const QString &sql)
{
    const auto verb = QStringView(sql).trimmed().left(6);
    return verb.compare(u"INSERT", Qt::CaseInsensitive) == 0 ||
           verb.compare(u"UPDATE", Qt::CaseInsensitive) == 0 ||
           verb.compare(u"DELETE", Qt::CaseInsensitive) == 0;
}

} // namespace

Database::Database(QString connectionName)
    : m_connection(std::move(connectionName))
{}

Database::~Database()
{
    {
        auto database = db();
        if (database.isOpen())
            database.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase Database::db() const
{
    return QSqlDatabase::database(m_connection, false);
}

Result<std::unique_ptr<Database>> Database::open(const QString &url)
{
    if (!url.startsWith(QLatin1String("sqlite:")))
        return failure(QStringLiteral("unsupported store '%1' (expected sqlite:PATH)").arg(url));
    const QString path = url.mid(7);
    if (path.isEmpty())
        return failure(QStringLiteral("the store URL '%1' names no file").arg(url));
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return failure(QStringLiteral("cannot create the directory of '%1'").arg(path));
    const QString name =
        QStringLiteral("rewind-store-") + QUuid::createUuid().toString(QUuid::Id128);
    std::unique_ptr<Database> opened(new Database(name));
    {
        auto database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(path);
        database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!database.open())
            return failure(
                QStringLiteral("cannot open '%1': %2").arg(path, database.lastError().text()));
        QSqlQuery q(database);
        // WAL: readers never block the writer; NORMAL sync survives a killed process (the
        // journal guarantees of docs/architecture.md), FULL would add power-loss durability.
        for (const auto *pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
            if (!q.exec(QLatin1String(pragma)))
                return failure(
                    QStringLiteral("cannot configure '%1': %2").arg(path, q.lastError().text()));
        }
    }
    if (auto migrated = opened->migrate(); !migrated)
        return std::move(migrated).error();
    return opened;
}

int Database::latestSchemaVersion()
{
    return migrations().last().version;
}

int Database::schemaVersion() const
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

Result<void> Database::migrate()
{
    auto database = db();
    QSqlQuery q(database);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                               "applied_at INTEGER NOT NULL)"))) {
        return failure(
            QStringLiteral("cannot create the migrations table: %1").arg(q.lastError().text()));
    }
    const int current = schemaVersion();
    if (current > latestSchemaVersion()) {
        return failure(QStringLiteral("the store has schema version %1, newer than this build of "
                                      "Rewind understands (%2); refusing to touch it")
                           .arg(current)
                           .arg(latestSchemaVersion()));
    }
    for (const auto &m : migrations()) {
        if (m.version <= current)
            continue;
        if (!database.transaction())
            return failure(database.lastError().text());
        QString failed;
        for (const auto &statement : m.statements) {
            if (!q.exec(statement)) {
                failed = QStringLiteral("migration %1 (%2) failed: %3")
                             .arg(m.version)
                             .arg(m.description, q.lastError().text());
                break;
            }
        }
        const bool ok = failed.isEmpty() &&
                        run(q,
                            QStringLiteral("INSERT INTO schema_migrations (version, description, "
                                           "applied_at) VALUES (?, ?, ?)"),
                            {m.version, m.description, QDateTime::currentMSecsSinceEpoch()});
        if (!ok || !database.commit()) {
            database.rollback();
            return failure(
                failed.isEmpty()
                    ? QStringLiteral("migration %1 could not be committed").arg(m.version)
                    : failed);
        }
        log()->info("schema migrated to version {}: {}", m.version, m.description);
    }
    return {};
}

bool Database::run(QSqlQuery &q, const QString &sql, const QVariantList &bindings) const
{
    const auto ran = runQuery(q, sql, bindings);
    if (isWrite(sql)) {
        if (ran)
            m_writeError.clear();
        else
            m_writeError = ran.error().message.isEmpty() ? QStringLiteral("a write failed")
                                                         : ran.error().message;
    }
    return ran.ok();
}

QSqlQuery Database::query() const
{
    return QSqlQuery(db());
}

bool Database::run(const QString &sql, const QVariantList &bindings) const
{
    auto q = query();
    return run(q, sql, bindings);
}

bool Database::transaction(const std::function<bool()> &work)
{
    auto database = db();
    if (!database.transaction()) {
        m_writeError = database.lastError().text();
        log()->error("cannot begin a transaction: {}", m_writeError);
        return false;
    }
    if (!work()) {
        database.rollback();
        return false;
    }
    if (!database.commit()) {
        m_writeError = database.lastError().text();
        log()->error("cannot commit: {}", m_writeError);
        database.rollback();
        return false;
    }
    return true;
}

} // namespace rwd::store
