#include "store.h"

#include "logging/logging.h"
#include "migrations.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
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

// Prepares and runs a statement with positional bindings; logs and returns false on failure.
bool run(QSqlQuery &q, const QString &sql, const QVariantList &bindings = {})
{
    if (!q.prepare(sql)) {
        log()->error("cannot prepare '{}': {}", sql, q.lastError().text());
        return false;
    }
    for (const auto &b : bindings)
        q.addBindValue(b);
    if (!q.exec()) {
        log()->error("query failed '{}': {}", sql, q.lastError().text());
        return false;
    }
    return true;
}

// A null QString binds as SQL NULL; text columns are NOT NULL, so bind "" instead.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

QVariant nullableTime(qint64 ms)
{
    return ms > 0 ? QVariant(ms) : QVariant(QMetaType::fromType<qint64>());
}
QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

const QString kReleaseColumns = QStringLiteral(
    "id, service, version, artifact, target, state, deployed_by, pipeline, deployed_at, "
    "verified_at, previous_id");

protocol::ReleaseInfo releaseFrom(const QSqlQuery &q)
{
    protocol::ReleaseInfo r;
    r.id = q.value(0).toLongLong();
    r.service = q.value(1).toString();
    r.version = q.value(2).toString();
    r.artifact = q.value(3).toString();
    r.target = q.value(4).toString();
    r.state = releaseStateFromString(q.value(5).toString()).value_or(ReleaseState::Live);
    r.deployedBy = q.value(6).toString();
    r.pipeline = q.value(7).toString();
    r.deployedAtMs = q.value(8).toLongLong();
    r.verifiedAtMs = q.value(9).toLongLong();
    r.previousId = q.value(10).toLongLong();
    return r;
}

const QString kRollbackColumns =
    QStringLiteral("id, state, trigger, reason, requested_by, strategy, created_at, finished_at");

protocol::RollbackInfo rollbackFrom(const QSqlQuery &q)
{
    protocol::RollbackInfo r;
    r.id = q.value(0).toLongLong();
    r.state = planStateFromString(q.value(1).toString()).value_or(PlanState::Failed);
    r.trigger = q.value(2).toString();
    r.reason = q.value(3).toString();
    r.requestedBy = q.value(4).toString();
    r.strategy = q.value(5).toString();
    r.createdAtMs = q.value(6).toLongLong();
    r.finishedAtMs = q.value(7).toLongLong();
    return r;
}

} // namespace

Store::Store(QString connectionName)
    : m_connection(std::move(connectionName))
{}

Store::~Store()
{
    {
        auto database = db();
        if (database.isOpen())
            database.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase Store::db() const
{
    return QSqlDatabase::database(m_connection, false);
}

std::unique_ptr<Store> Store::open(const QString &url, QString *error)
{
    if (!url.startsWith(QLatin1String("sqlite:"))) {
        *error = QStringLiteral("unsupported store '%1' (expected sqlite:PATH)").arg(url);
        return nullptr;
    }
    const QString path = url.mid(7);
    if (path.isEmpty()) {
        *error = QStringLiteral("the store URL '%1' names no file").arg(url);
        return nullptr;
    }
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("cannot create the directory of '%1'").arg(path);
        return nullptr;
    }
    const QString name =
        QStringLiteral("rewind-store-") + QUuid::createUuid().toString(QUuid::Id128);
    std::unique_ptr<Store> store(new Store(name));
    {
        auto database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(path);
        database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!database.open()) {
            *error = QStringLiteral("cannot open '%1': %2").arg(path, database.lastError().text());
            return nullptr;
        }
        QSqlQuery q(database);
        // WAL: readers never block the writer; NORMAL sync survives a killed process (the
        // journal guarantees of docs/architecture.md), FULL would add power-loss durability.
        for (const auto *pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
            if (!q.exec(QLatin1String(pragma))) {
                *error =
                    QStringLiteral("cannot configure '%1': %2").arg(path, q.lastError().text());
                return nullptr;
            }
        }
    }
    if (!store->migrate(error))
        return nullptr;
    return store;
}

int Store::latestSchemaVersion()
{
    return migrations().last().version;
}

int Store::schemaVersion() const
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

bool Store::migrate(QString *error)
{
    auto database = db();
    QSqlQuery q(database);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                               "applied_at INTEGER NOT NULL)"))) {
        *error = QStringLiteral("cannot create the migrations table: %1").arg(q.lastError().text());
        return false;
    }
    const int current = schemaVersion();
    if (current > latestSchemaVersion()) {
        *error = QStringLiteral("the store has schema version %1, newer than this build of "
                                "Rewind understands (%2); refusing to touch it")
                     .arg(current)
                     .arg(latestSchemaVersion());
        return false;
    }
    for (const auto &m : migrations()) {
        if (m.version <= current)
            continue;
        if (!database.transaction()) {
            *error = database.lastError().text();
            return false;
        }
        bool ok = true;
        for (const auto &statement : m.statements) {
            if (!q.exec(statement)) {
                *error = QStringLiteral("migration %1 (%2) failed: %3")
                             .arg(m.version)
                             .arg(m.description, q.lastError().text());
                ok = false;
                break;
            }
        }
        ok = ok && run(q,
                       QStringLiteral("INSERT INTO schema_migrations (version, description, "
                                      "applied_at) VALUES (?, ?, ?)"),
                       {m.version, m.description, QDateTime::currentMSecsSinceEpoch()});
        if (!ok || !database.commit()) {
            database.rollback();
            if (error->isEmpty())
                *error = QStringLiteral("migration %1 could not be committed").arg(m.version);
            return false;
        }
        log()->info("schema migrated to version {}: {}", m.version, m.description);
    }
    return true;
}

bool Store::transaction(const std::function<bool()> &work)
{
    auto database = db();
    if (!database.transaction()) {
        log()->error("cannot begin a transaction: {}", database.lastError().text());
        return false;
    }
    if (!work()) {
        database.rollback();
        return false;
    }
    if (!database.commit()) {
        log()->error("cannot commit: {}", database.lastError().text());
        database.rollback();
        return false;
    }
    return true;
}

std::optional<protocol::ReleaseInfo> Store::insertRelease(protocol::ReleaseInfo r, qint64 nowMs)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO releases (service, version, artifact, target, state, "
                            "deployed_by, pipeline, deployed_at, verified_at, previous_id, "
                            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
             {text(r.service), text(r.version), text(r.artifact), text(r.target), wireName(r.state),
              text(r.deployedBy), text(r.pipeline), r.deployedAtMs, nullableTime(r.verifiedAtMs),
              nullableId(r.previousId), nowMs}))
        return std::nullopt;
    r.id = q.lastInsertId().toLongLong();
    return r;
}

bool Store::setReleaseState(qint64 id, ReleaseState state, qint64 nowMs)
{
    QSqlQuery q(db());
    if (state == ReleaseState::Verified)
        return run(q,
                   QStringLiteral("UPDATE releases SET state = ?, verified_at = ?, "
                                  "updated_at = ? WHERE id = ?"),
                   {wireName(state), nowMs, nowMs, id});
    return run(q, QStringLiteral("UPDATE releases SET state = ?, updated_at = ? WHERE id = ?"),
               {wireName(state), nowMs, id});
}

std::optional<protocol::ReleaseInfo> Store::release(qint64 id) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM releases WHERE id = ?").arg(kReleaseColumns),
             {id}) ||
        !q.next())
        return std::nullopt;
    return releaseFrom(q);
}

QList<protocol::ReleaseInfo> Store::releases(const QString &service, int limit) const
{
    QSqlQuery q(db());
    QList<protocol::ReleaseInfo> out;
    const bool all = service.isEmpty();
    if (!run(q,
             QStringLiteral("SELECT %1 FROM releases %2 ORDER BY id DESC LIMIT ?")
                 .arg(kReleaseColumns, all ? QString() : QStringLiteral("WHERE service = ?")),
             all ? QVariantList{limit} : QVariantList{service, limit}))
        return out;
    while (q.next())
        out.append(releaseFrom(q));
    return out;
}

std::optional<protocol::ReleaseInfo> Store::lastVerified(const QString &service,
                                                         qint64 excludeId) const
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT %1 FROM releases WHERE service = ? AND state = ? AND "
                            "id != ? ORDER BY id DESC LIMIT 1")
                 .arg(kReleaseColumns),
             {service, wireName(ReleaseState::Verified), excludeId}) ||
        !q.next())
        return std::nullopt;
    return releaseFrom(q);
}

std::optional<qint64> Store::currentReleaseId(const QString &service) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT current_release_id FROM service_state WHERE service = ?"),
             {service}) ||
        !q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool Store::setCurrentRelease(const QString &service, qint64 releaseId)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("INSERT INTO service_state (service, current_release_id) "
                              "VALUES (?, ?) ON CONFLICT(service) DO UPDATE SET "
                              "current_release_id = excluded.current_release_id"),
               {service, releaseId});
}

qint64 Store::insertFiring(const protocol::FiringInfo &f)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO firings (rule, service, severity, action, expression, "
                            "values_json, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
             {text(f.rule), text(f.service), text(f.severity), text(f.action), text(f.expression),
              QString::fromUtf8(QJsonDocument(f.values).toJson(QJsonDocument::Compact)),
              f.sinceMs}))
        return 0;
    return q.lastInsertId().toLongLong();
}

bool Store::resolveFiring(qint64 id, qint64 atMs)
{
    QSqlQuery q(db());
    return run(q, QStringLiteral("UPDATE firings SET resolved_at = ? WHERE id = ?"), {atMs, id});
}

bool Store::createRollback(protocol::RollbackInfo &r, const QList<QJsonObject> &stepParams,
                           qint64 firingId)
{
    return transaction([&] {
        QSqlQuery q(db());
        if (!run(q,
                 QStringLiteral("INSERT INTO rollbacks (state, trigger, reason, requested_by, "
                                "strategy, firing_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                 {wireName(r.state), text(r.trigger), text(r.reason), text(r.requestedBy),
                  text(r.strategy), nullableId(firingId), r.createdAtMs}))
            return false;
        r.id = q.lastInsertId().toLongLong();
        for (const auto &t : std::as_const(r.targets)) {
            if (!run(q,
                     QStringLiteral("INSERT INTO rollback_targets (rollback_id, service, "
                                    "from_release_id, to_release_id) VALUES (?, ?, ?, ?)"),
                     {r.id, text(t.service), nullableId(t.fromReleaseId),
                      nullableId(t.toReleaseId)}))
                return false;
        }
        for (qsizetype i = 0; i < r.steps.size(); ++i) {
            auto &s = r.steps[i];
            const auto params = i < stepParams.size() ? stepParams.at(i) : QJsonObject();
            if (!run(q,
                     QStringLiteral("INSERT INTO rollback_steps (rollback_id, idx, service, "
                                    "kind, description, params_json, state) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?)"),
                     {r.id, s.index, text(s.service), text(s.kind), text(s.description),
                      QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)),
                      wireName(s.state)}))
                return false;
            s.id = q.lastInsertId().toLongLong();
        }
        return true;
    });
}

bool Store::setRollbackState(qint64 id, PlanState state, qint64 finishedAtMs,
                             const QString &message)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("UPDATE rollbacks SET state = ?, finished_at = ?, message = ? "
                              "WHERE id = ?"),
               {wireName(state), nullableTime(finishedAtMs), text(message), id});
}

bool Store::updateStep(const protocol::StepInfo &s, int attempt)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("UPDATE rollback_steps SET state = ?, started_at = ?, "
                              "finished_at = ?, message = ?, attempt = ? WHERE id = ?"),
               {wireName(s.state), nullableTime(s.startedAtMs), nullableTime(s.finishedAtMs),
                text(s.message), attempt, s.id});
}

QList<protocol::StepInfo> Store::steps(qint64 rollbackId) const
{
    QSqlQuery q(db());
    QList<protocol::StepInfo> out;
    if (!run(q,
             QStringLiteral("SELECT id, idx, service, kind, description, state, started_at, "
                            "finished_at, message FROM rollback_steps WHERE rollback_id = ? "
                            "ORDER BY idx"),
             {rollbackId}))
        return out;
    while (q.next()) {
        protocol::StepInfo s;
        s.id = q.value(0).toLongLong();
        s.index = q.value(1).toInt();
        s.service = q.value(2).toString();
        s.kind = q.value(3).toString();
        s.description = q.value(4).toString();
        s.state = stepStateFromString(q.value(5).toString()).value_or(StepState::Failed);
        s.startedAtMs = q.value(6).toLongLong();
        s.finishedAtMs = q.value(7).toLongLong();
        s.message = q.value(8).toString();
        out.append(s);
    }
    return out;
}

QList<QJsonObject> Store::stepParams(qint64 rollbackId) const
{
    QSqlQuery q(db());
    QList<QJsonObject> out;
    if (!run(q,
             QStringLiteral("SELECT params_json FROM rollback_steps WHERE rollback_id = ? "
                            "ORDER BY idx"),
             {rollbackId}))
        return out;
    while (q.next())
        out.append(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
    return out;
}

QList<protocol::TargetInfo> Store::targets(qint64 rollbackId) const
{
    QSqlQuery q(db());
    QList<protocol::TargetInfo> out;
    if (!run(q,
             QStringLiteral("SELECT t.service, t.from_release_id, t.to_release_id, "
                            "f.version, o.version FROM rollback_targets t "
                            "LEFT JOIN releases f ON f.id = t.from_release_id "
                            "LEFT JOIN releases o ON o.id = t.to_release_id "
                            "WHERE t.rollback_id = ? ORDER BY t.service"),
             {rollbackId}))
        return out;
    while (q.next()) {
        protocol::TargetInfo t;
        t.service = q.value(0).toString();
        t.fromReleaseId = q.value(1).toLongLong();
        t.toReleaseId = q.value(2).toLongLong();
        t.fromVersion = q.value(3).toString();
        t.toVersion = q.value(4).toString();
        out.append(t);
    }
    return out;
}

std::optional<protocol::RollbackInfo> Store::rollback(qint64 id) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM rollbacks WHERE id = ?").arg(kRollbackColumns),
             {id}) ||
        !q.next())
        return std::nullopt;
    auto r = rollbackFrom(q);
    r.targets = targets(id);
    r.steps = steps(id);
    return r;
}

QList<protocol::RollbackInfo> Store::rollbacks(int limit, int offset) const
{
    QSqlQuery q(db());
    QList<protocol::RollbackInfo> out;
    if (!run(q,
             QStringLiteral("SELECT %1 FROM rollbacks ORDER BY id DESC LIMIT ? OFFSET ?")
                 .arg(kRollbackColumns),
             {limit, offset}))
        return out;
    while (q.next())
        out.append(rollbackFrom(q));
    for (auto &r : out) {
        r.targets = targets(r.id);
        r.steps = steps(r.id);
    }
    return out;
}

} // namespace rwd::store
