#include "sqliteexecutor.h"

#include "logging/logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

namespace rwd::executors {

namespace {

auto log()
{
    return logging::get("executor.sqlite");
}

// One connection, closed when it goes out of scope.
class Connection
{
public:
    Connection(const QString &path, int flags, qint64 busyTimeoutMs)
    {
        m_status = sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db, flags, nullptr);
        if (m_status == SQLITE_OK)
            sqlite3_busy_timeout(m_db, int(busyTimeoutMs));
    }
    ~Connection()
    {
        if (m_db)
            sqlite3_close_v2(m_db);
    }
    Q_DISABLE_COPY_MOVE(Connection)

    [[nodiscard]] bool ok() const { return m_status == SQLITE_OK; }
    [[nodiscard]] sqlite3 *db() const { return m_db; }
    [[nodiscard]] QString error() const
    {
        return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db))
                    : QString::fromUtf8(sqlite3_errstr(m_status));
    }

private:
    sqlite3 *m_db = nullptr;
    int m_status = SQLITE_ERROR;
};

// Copies the whole of `from` into `to` with the online backup API, a few pages at a time so
// that writers of `from` are only briefly held up.
Result<void> backup(sqlite3 *from, sqlite3 *to)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        return failure(QString::fromUtf8(sqlite3_errmsg(to)));
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(5);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return failure(QString::fromUtf8(sqlite3_errstr(rc)));
    return {};
}

QString quoted(const QString &identifier)
{
    return u'"' + identifier + u'"';
}

// Statistics of the declared tables in `db`; `limits` (table -> max key) restricts the rows
// counted and checksummed to those a snapshot had.
Result<QHash<QString, database::TableStats>> tableStats(sqlite3 *db, const QJsonArray &declared,
                                                        const QJsonObject &limits)
{
    QHash<QString, database::TableStats> out;
    for (const auto &d : declared) {
        const auto table = d.toObject();
        const QString name = table.value(QLatin1String("name")).toString();
        const QString key = table.value(QLatin1String("key")).toString();
        QStringList columns;
        for (const auto &c : table.value(QLatin1String("checksum")).toArray())
            columns.append(quoted(c.toString()));
        const auto limit = limits.value(name).toObject();
        const bool limited = !key.isEmpty() && limit.contains(QLatin1String("max_key"));
        database::TableStats stats;
        // Existence first: a missing table is a finding, not an SQL error.
        {
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", -1,
                               &st, nullptr);
            const auto utf8 = name.toUtf8();
            sqlite3_bind_text(st, 1, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
            const bool exists = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_finalize(st);
            if (!exists)
                continue;
        }
        const QString where = limited ? QStringLiteral(" WHERE %1 <= %2")
                                            .arg(quoted(key))
                                            .arg(limit.value(QLatin1String("max_key")).toInteger())
                                      : QString();
        const QString countSql =
            QStringLiteral("SELECT COUNT(*), (SELECT COUNT(*) FROM %1)%2 FROM %1%3")
                .arg(quoted(name),
                     key.isEmpty() ? QString() : QStringLiteral(", MAX(%1)").arg(quoted(key)),
                     where);
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, countSql.toUtf8().constData(), -1, &st, nullptr) != SQLITE_OK)
            return failure(
                QStringLiteral("%1: %2").arg(name, QString::fromUtf8(sqlite3_errmsg(db))));
        if (sqlite3_step(st) == SQLITE_ROW) {
            stats.rows = sqlite3_column_int64(st, 0);
            stats.totalRows = sqlite3_column_int64(st, 1);
            if (!key.isEmpty() && sqlite3_column_type(st, 2) != SQLITE_NULL) {
                stats.hasMaxKey = true;
                stats.maxKey = sqlite3_column_int64(st, 2);
            } else if (!key.isEmpty()) {
                stats.hasMaxKey = true; // an empty table: every row had key <= 0
            }
        }
        sqlite3_finalize(st);
        if (!columns.isEmpty()) {
            QCryptographicHash hash(QCryptographicHash::Sha256);
            const QString sql = QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4")
                                    .arg(columns.join(u','), quoted(name), where, quoted(key));
            if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &st, nullptr) != SQLITE_OK)
                return failure(
                    QStringLiteral("%1: %2").arg(name, QString::fromUtf8(sqlite3_errmsg(db))));
            while (sqlite3_step(st) == SQLITE_ROW) {
                for (int c = 0; c < columns.size(); ++c) {
                    const auto *text = sqlite3_column_text(st, c);
                    const int size = sqlite3_column_bytes(st, c);
                    if (text)
                        hash.addData(QByteArrayView(reinterpret_cast<const char *>(text), size));
                    else
                        hash.addData(QByteArrayView("\\N"));
                    hash.addData(QByteArrayView("\x1f"));
                }
                hash.addData(QByteArrayView("\x1e"));
            }
            sqlite3_finalize(st);
            stats.checksum = QString::fromLatin1(hash.result().toHex());
        }
        out.insert(name, stats);
    }
    return out;
}

// The first column of the first row of `query` (empty when it returns no row).
Result<QString> queryValue(sqlite3 *db, const QString &query)
{
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, query.toUtf8().constData(), -1, &st, nullptr) != SQLITE_OK)
        return failure(QString::fromUtf8(sqlite3_errmsg(db)));
    QString value;
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const auto *text = sqlite3_column_text(st, 0);
        value = text ? QString::fromUtf8(reinterpret_cast<const char *>(text)) : QString();
    } else if (rc != SQLITE_DONE) {
        const QString error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return failure(error);
    }
    sqlite3_finalize(st);
    return value;
}

struct Job
{
    SqliteExecutor::Options options;
    QString action;
    QString snapshot;
    QJsonObject params;
};

ActionResult snapshotJob(const Job &job)
{
    const auto &o = job.options;
    if (!QDir().mkpath(o.retention.dir))
        return {false, false, QStringLiteral("cannot create %1").arg(o.retention.dir), {}, {}};
    const QString file = QDir(o.retention.dir).filePath(job.snapshot + QStringLiteral(".sqlite"));
    const QString partial = file + QStringLiteral(".partial");
    QFile::remove(partial);
    {
        Connection from(o.path, SQLITE_OPEN_READWRITE, o.busyTimeoutMs);
        if (!from.ok())
            return {false,
                    true,
                    QStringLiteral("cannot open %1: %2").arg(o.path, from.error()),
                    {},
                    {}};
        Connection to(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, o.busyTimeoutMs);
        const auto copied = to.ok() ? backup(from.db(), to.db()) : failure(to.error());
        if (!copied)
            return {false,
                    true,
                    QStringLiteral("backup of %1 failed: %2").arg(o.path, copied.error().message),
                    {},
                    {}};
    }
    // The statistics come from the copy itself: exactly what a restore would bring back.
    QHash<QString, database::TableStats> stats;
    QJsonObject tables;
    {
        Connection copy(partial, SQLITE_OPEN_READONLY, o.busyTimeoutMs);
        const auto read =
            copy.ok()
                ? tableStats(copy.db(), job.params.value(QLatin1String("tables")).toArray(), {})
                : failure(copy.error());
        if (!read)
            return {false,
                    false,
                    QStringLiteral("cannot read the snapshot: %1").arg(read.error().message),
                    {},
                    {}};
        stats = *read;
    }
    for (auto it = stats.cbegin(); it != stats.cend(); ++it)
        tables.insert(it.key(), database::statsJson(*it));
    QFile::remove(file);
    if (!QFile::rename(partial, file))
        return {false, false, QStringLiteral("cannot move the snapshot into %1").arg(file), {}, {}};
    const auto sha = database::sha256File(file);
    if (!sha)
        return {false, false, sha.error().message, {}, {}};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QJsonObject sidecar{{"name", job.snapshot},
                              {"file", QFileInfo(file).fileName()},
                              {"database", o.path},
                              {"executor", o.name},
                              {"reason", job.params.value(QLatin1String("reason")).toString()},
                              {"created_at_ms", now},
                              {"size_bytes", QFileInfo(file).size()},
                              {"sha256", *sha},
                              {"tables", tables}};
    if (const auto written =
            database::writeSidecar(database::sidecarPath(o.retention.dir, job.snapshot), sidecar);
        !written)
        return {false, false, written.error().message, {}, {}};
    const QString prefix = job.snapshot.left(job.snapshot.indexOf(u'-') + 1);
    const auto pruned = database::prune(o.retention, prefix, job.snapshot, now);
    QJsonObject data = sidecar;
    data.insert(QStringLiteral("path"), file);
    data.insert(QStringLiteral("pruned"), QJsonArray::fromStringList(pruned));
    QStringList counts;
    for (auto it = tables.begin(); it != tables.end(); ++it)
        counts.append(QStringLiteral("%1: %2 rows")
                          .arg(it.key())
                          .arg(it.value().toObject().value(QLatin1String("rows")).toInteger()));
    return {true,
            false,
            QStringLiteral("snapshot %1 taken (%2 bytes, sha256 %3…)%4")
                .arg(job.snapshot)
                .arg(QFileInfo(file).size())
                .arg(sha->left(12))
                .arg(counts.isEmpty() ? QString()
                                      : QStringLiteral("; ") + counts.join(QStringLiteral(", "))),
            {},
            data};
}

ActionResult integrityJob(const Job &job)
{
    const auto &o = job.options;
    const auto sidecar =
        database::readSidecar(database::sidecarPath(o.retention.dir, job.snapshot));
    if (!sidecar)
        return {false, false, sidecar.error().message, {}, {}};
    const auto declared = job.params.value(QLatin1String("tables")).toArray();
    const auto atSnapshot = sidecar->value(QLatin1String("tables")).toObject();
    Connection db(o.path, SQLITE_OPEN_READONLY, o.busyTimeoutMs);
    if (!db.ok())
        return {false, true, QStringLiteral("cannot open %1: %2").arg(o.path, db.error()), {}, {}};
    const auto now = tableStats(db.db(), declared, atSnapshot);
    if (!now)
        return {false,
                false,
                QStringLiteral("integrity check failed: %1").arg(now.error().message),
                {},
                {}};
    QString report;
    auto problems = database::compareTables(declared, atSnapshot, *now, &report);
    const QString query = job.params.value(QLatin1String("query")).toString();
    if (!query.isEmpty()) {
        const auto value = queryValue(db.db(), query);
        if (!value)
            problems.append(
                QStringLiteral("the integrity query failed: %1").arg(value.error().message));
        else if (!database::isTruthy(*value))
            problems.append(QStringLiteral("the integrity query returned '%1'").arg(*value));
        else
            report += QStringLiteral("%1integrity query holds").arg(report.isEmpty() ? "" : "; ");
    }
    if (!problems.isEmpty())
        return {
            false,
            false,
            QStringLiteral("integrity check failed: %1").arg(problems.join(QStringLiteral("; "))),
            report,
            {}};
    return {true, false, QStringLiteral("data kept: %1").arg(report), {}, {}};
}

ActionResult restoreJob(const Job &job)
{
    const auto &o = job.options;
    const auto sidecar =
        database::readSidecar(database::sidecarPath(o.retention.dir, job.snapshot));
    if (!sidecar)
        return {false, false, sidecar.error().message, {}, {}};
    const QString file =
        QDir(o.retention.dir).filePath(sidecar->value(QLatin1String("file")).toString());
    const auto sha = database::sha256File(file);
    if (!sha)
        return {false, false, sha.error().message, {}, {}};
    if (*sha != sidecar->value(QLatin1String("sha256")).toString())
        return {false,
                false,
                QStringLiteral("snapshot %1 is damaged: its SHA-256 is %2, not %3 as when it was "
                               "taken; not restoring it")
                    .arg(job.snapshot, sha->left(12),
                         sidecar->value(QLatin1String("sha256")).toString().left(12)),
                {},
                {}};
    Connection from(file, SQLITE_OPEN_READONLY, o.busyTimeoutMs);
    Connection to(o.path, SQLITE_OPEN_READWRITE, o.busyTimeoutMs);
    if (!from.ok() || !to.ok())
        return {false,
                true,
                QStringLiteral("cannot open %1: %2")
                    .arg(from.ok() ? o.path : file, from.ok() ? to.error() : from.error()),
                {},
                {}};
    if (const auto restored = backup(from.db(), to.db()); !restored)
        return {false,
                true,
                QStringLiteral("restore into %1 failed: %2").arg(o.path, restored.error().message),
                {},
                {}};
    return {
        true,
        false,
        QStringLiteral("restored %1 from snapshot %2 (sha256 verified)").arg(o.path, job.snapshot),
        {},
        {}};
}

} // namespace

SqliteExecutor::SqliteExecutor(Options options)
    : m_options(std::move(options))
{
    m_pool.setMaxThreadCount(2);
}

SqliteExecutor::~SqliteExecutor()
{
    m_pool.waitForDone();
}

std::unique_ptr<Executor> SqliteExecutor::create(config::MapReader &r, const QString &name,
                                                 const config::Config &config)
{
    Options o;
    o.name = name;
    o.path = config.resolvePath(
        r.string(QStringLiteral("path"), config::Need::Required).value_or(QString()));
    o.retention = database::readRetention(r, config);
    o.busyTimeoutMs = r.durationMs(QStringLiteral("busy_timeout"), o.busyTimeoutMs);
    return std::make_unique<SqliteExecutor>(std::move(o));
}

QStringList SqliteExecutor::actions() const
{
    return {QStringLiteral("integrity_check"), QStringLiteral("restore_snapshot"),
            QStringLiteral("snapshot")};
}

void SqliteExecutor::execute(const QString &action, const QJsonObject &params, Done done)
{
    Job job{m_options, action, stepVariables(params).value(QLatin1String("snapshot")).toString(),
            params};
    if (!actions().contains(action) || !database::isSnapshotName(job.snapshot)) {
        done({false,
              false,
              actions().contains(action)
                  ? QStringLiteral("'%1' is not a valid snapshot name").arg(job.snapshot)
                  : QStringLiteral("the sqlite executor cannot '%1'").arg(action),
              {},
              {}});
        return;
    }
    log()->info("{}: {} {} ({})", m_options.name, action, job.snapshot, m_options.path);
    // The destructor waits for the pool, so the context outlives every job; a result posted to it
    // after the executor is gone is dropped with it.
    QObject *context = &m_context;
    m_pool.start([job, context, done = std::move(done)] {
        const ActionResult result = job.action == u"snapshot"          ? snapshotJob(job)
                                    : job.action == u"integrity_check" ? integrityJob(job)
                                                                       : restoreJob(job);
        QMetaObject::invokeMethod(
            context, [done, result] { done(result); }, Qt::QueuedConnection);
    });
}

} // namespace rwd::executors
