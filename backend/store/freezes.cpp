#include "store.h"

#include "logging/logging.h"
#include "migrations.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
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

// Prepares and runs a statement with positional bindings; logs and returns false on failure,
// with the reason in `*why`.
bool runQuery(QSqlQuery &q, const QString &sql, const QVariantList &bindings, QString *why)
{
    if (!q.prepare(sql)) {
        *why = q.lastError().text();
        log()->error("cannot prepare '{}': {}", sql, *why);
        return false;
    }
    for (const auto &b : bindings)
        q.addBindValue(b);
    if (!q.exec()) {
        *why = q.lastError().text();
        log()->error("query failed '{}': {}", sql, *why);
        return false;
    }
    return true;
}

bool isWrite(const QString &sql)
{
    const auto verb = QStringView(sql).trimmed().left(6);
    return verb.compare(u"INSERT", Qt::CaseInsensitive) == 0 ||
           verb.compare(u"UPDATE", Qt::CaseInsensitive) == 0 ||
           verb.compare(u"DELETE", Qt::CaseInsensitive) == 0;
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
    "verified_at, previous_id, metadata_json, freeze_override, verification_json");

QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString compactJson(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObject(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

QJsonArray jsonArray(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).array();
}

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
    r.metadata = jsonObject(q.value(11));
    r.freezeOverride = q.value(12).toString();
    if (const auto verdict = jsonObject(q.value(13)); !verdict.isEmpty())
        r.verification = protocol::VerificationInfo::fromJson(verdict);
    return r;
}

const QString kRollbackColumns =
    QStringLiteral("id, state, trigger, reason, requested_by, strategy, created_at, finished_at, "
                   "class, message, incident_id");

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
    r.rollbackClass = q.value(8).toString();
    r.message = q.value(9).toString();
    r.incidentId = q.value(10).toLongLong();
    return r;
}

const QString kSnapshotColumns = QStringLiteral(
    "id, name, service, executor, reason, path, size_bytes, sha256, tables_json, rollback_id, "
    "release_id, created_at, pruned_at");

protocol::SnapshotInfo snapshotFrom(const QSqlQuery &q)
{
    protocol::SnapshotInfo s;
    s.id = q.value(0).toLongLong();
    s.name = q.value(1).toString();
    s.service = q.value(2).toString();
    s.executor = q.value(3).toString();
    s.reason = q.value(4).toString();
    s.path = q.value(5).toString();
    s.sizeBytes = q.value(6).toLongLong();
    s.sha256 = q.value(7).toString();
    s.tables = jsonObject(q.value(8));
    s.rollbackId = q.value(9).toLongLong();
    s.releaseId = q.value(10).toLongLong();
    s.createdAtMs = q.value(11).toLongLong();
    s.prunedAtMs = q.value(12).toLongLong();
    return s;
}

const QString kFreezeColumns =
    QStringLiteral("id, service, reason, rollback_id, started_at, until_at");

protocol::FreezeInfo freezeFrom(const QSqlQuery &q)
{
    protocol::FreezeInfo f;
    f.id = q.value(0).toLongLong();
    f.service = q.value(1).toString();
    f.reason = q.value(2).toString();
    f.rollbackId = q.value(3).toLongLong();
    f.startedAtMs = q.value(4).toLongLong();
    f.untilMs = q.value(5).toLongLong();
    return f;
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

bool Store::run(QSqlQuery &q, const QString &sql, const QVariantList &bindings) const
{
    QString why;
    const bool ok = runQuery(q, sql, bindings, &why);
    if (isWrite(sql)) {
        if (ok)
            m_writeError.clear();
        else
            m_writeError = why.isEmpty() ? QStringLiteral("a write failed") : why;
    }
    return ok;
}

bool Store::transaction(const std::function<bool()> &work)
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

std::optional<protocol::ReleaseInfo> Store::insertRelease(protocol::ReleaseInfo r, qint64 nowMs)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO releases (service, version, artifact, target, state, "
                            "deployed_by, pipeline, deployed_at, verified_at, previous_id, "
                            "updated_at, metadata_json, freeze_override) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
             {text(r.service), text(r.version), text(r.artifact), text(r.target), wireName(r.state),
              text(r.deployedBy), text(r.pipeline), r.deployedAtMs, nullableTime(r.verifiedAtMs),
              nullableId(r.previousId), nowMs, compactJson(r.metadata), text(r.freezeOverride)}))
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

bool Store::setReleaseVerification(qint64 id, const protocol::VerificationInfo &verdict,
                                   qint64 nowMs)
{
    QSqlQuery q(db());
    return run(
        q, QStringLiteral("UPDATE releases SET verification_json = ?, updated_at = ? WHERE id = ?"),
        {compactJson(verdict.toJson()), nowMs, id});
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

QList<Store::Firing> Store::firings(const QStringList &services, qint64 fromMs, qint64 toMs,
                                    qint64 incidentId) const
{
    QList<Firing> out;
    QStringList marks;
    QVariantList bindings{fromMs, toMs};
    for (const auto &s : services) {
        marks.append(QStringLiteral("?"));
        bindings.append(text(s));
    }
    bindings.append(incidentId);
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT id, rule, service, severity, action, expression, values_json, "
                            "fired_at, resolved_at FROM firings WHERE (fired_at BETWEEN ? AND ? "
                            "AND service IN (%1)) OR id IN (SELECT firing_id FROM rollbacks "
                            "WHERE incident_id = ?) ORDER BY fired_at, id")
                 .arg(marks.isEmpty() ? QStringLiteral("NULL") : marks.join(u',')),
             bindings))
        return out;
    while (q.next()) {
        Firing f;
        f.id = q.value(0).toLongLong();
        f.info.rule = q.value(1).toString();
        f.info.service = q.value(2).toString();
        f.info.severity = q.value(3).toString();
        f.info.action = q.value(4).toString();
        f.info.expression = q.value(5).toString();
        f.info.values = jsonObject(q.value(6));
        f.info.sinceMs = q.value(7).toLongLong();
        f.resolvedAtMs = q.value(8).toLongLong();
        out.append(f);
    }
    return out;
}

bool Store::createRollback(protocol::RollbackInfo &r, const QList<QJsonObject> &stepParams,
                           qint64 firingId)
{
    return transaction([&] {
        QSqlQuery q(db());
        if (!run(q,
                 QStringLiteral("INSERT INTO rollbacks (state, trigger, reason, requested_by, "
                                "strategy, firing_id, created_at, class, incident_id) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                 {wireName(r.state), text(r.trigger), text(r.reason), text(r.requestedBy),
                  text(r.strategy), nullableId(firingId), r.createdAtMs, text(r.rollbackClass),
                  nullableId(r.incidentId)}))
            return false;
        r.id = q.lastInsertId().toLongLong();
        for (const auto &t : std::as_const(r.targets)) {
            if (!run(q,
                     QStringLiteral("INSERT INTO rollback_targets (rollback_id, service, "
                                    "from_release_id, to_release_id, strategy, after_json) "
                                    "VALUES (?, ?, ?, ?, ?, ?)"),
                     {r.id, text(t.service), nullableId(t.fromReleaseId), nullableId(t.toReleaseId),
                      text(t.strategy), compactJson(QJsonArray::fromStringList(t.after))}))
                return false;
        }
        for (qsizetype i = 0; i < r.steps.size(); ++i) {
            auto &s = r.steps[i];
            const auto params = i < stepParams.size() ? stepParams.at(i) : QJsonObject();
            QJsonArray after;
            for (const int a : s.after)
                after.append(a);
            if (!run(q,
                     QStringLiteral("INSERT INTO rollback_steps (rollback_id, idx, service, "
                                    "kind, description, params_json, state, executor, "
                                    "after_json, on_failure) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                     {r.id, s.index, text(s.service), text(s.kind), text(s.description),
                      compactJson(params), wireName(s.state), text(s.executor), compactJson(after),
                      s.onFailure ? 1 : 0}))
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

bool Store::updateStep(const protocol::StepInfo &s)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("UPDATE rollback_steps SET state = ?, started_at = ?, "
                              "finished_at = ?, message = ?, attempt = ? WHERE id = ?"),
               {wireName(s.state), nullableTime(s.startedAtMs), nullableTime(s.finishedAtMs),
                text(s.message), s.attempts, s.id});
}

QList<protocol::StepInfo> Store::steps(qint64 rollbackId) const
{
    QSqlQuery q(db());
    QList<protocol::StepInfo> out;
    if (!run(q,
             QStringLiteral("SELECT id, idx, service, kind, description, state, started_at, "
                            "finished_at, message, executor, after_json, on_failure, attempt "
                            "FROM rollback_steps WHERE rollback_id = ? ORDER BY idx"),
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
        s.executor = q.value(9).toString();
        for (const auto &a : jsonArray(q.value(10)))
            s.after.append(a.toInt());
        s.onFailure = q.value(11).toInt() != 0;
        s.attempts = q.value(12).toInt();
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
                            "f.version, o.version, t.strategy, t.after_json "
                            "FROM rollback_targets t "
                            "LEFT JOIN releases f ON f.id = t.from_release_id "
                            "LEFT JOIN releases o ON o.id = t.to_release_id "
                            "WHERE t.rollback_id = ? ORDER BY t.rowid"),
             {rollbackId}))
        return out;
    while (q.next()) {
        protocol::TargetInfo t;
        t.service = q.value(0).toString();
        t.fromReleaseId = q.value(1).toLongLong();
        t.toReleaseId = q.value(2).toLongLong();
        t.fromVersion = q.value(3).toString();
        t.toVersion = q.value(4).toString();
        t.strategy = q.value(5).toString();
        for (const auto &a : jsonArray(q.value(6)))
            t.after.append(a.toString());
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
    for (const auto &a : approvals(id))
        r.approvals.append({a.user, a.decision, a.comment, a.atMs});
    return r;
}

QList<protocol::RollbackInfo> Store::rollbacks(int limit, int offset, const QString &state,
                                               const QString &service) const
{
    QSqlQuery q(db());
    QList<protocol::RollbackInfo> out;
    QStringList where;
    QVariantList bindings;
    if (!state.isEmpty()) {
        where.append(QStringLiteral("state = ?"));
        bindings.append(state);
    }
    if (!service.isEmpty()) {
        where.append(QStringLiteral("id IN (SELECT rollback_id FROM rollback_targets WHERE "
                                    "service = ?)"));
        bindings.append(service);
    }
    bindings << limit << offset;
    if (!run(q,
             QStringLiteral("SELECT %1 FROM rollbacks %2 ORDER BY id DESC LIMIT ? OFFSET ?")
                 .arg(kRollbackColumns, where.isEmpty() ? QString()
                                                        : QStringLiteral("WHERE ") +
                                                              where.join(QStringLiteral(" AND "))),
             bindings))
        return out;
    while (q.next())
        out.append(rollbackFrom(q));
    for (auto &r : out) {
        r.targets = targets(r.id);
        r.steps = steps(r.id);
        for (const auto &a : approvals(r.id))
            r.approvals.append({a.user, a.decision, a.comment, a.atMs});
    }
    return out;
}

QList<protocol::RollbackInfo> Store::unfinishedRollbacks() const
{
    QSqlQuery q(db());
    QList<protocol::RollbackInfo> out;
    QStringList terminal;
    for (const auto state :
         {PlanState::Succeeded, PlanState::Failed, PlanState::Aborted, PlanState::NeedsAttention})
        terminal.append(u'\'' + wireName(state) + u'\'');
    if (!run(q, QStringLiteral("SELECT %1 FROM rollbacks WHERE state NOT IN (%2) ORDER BY id")
                    .arg(kRollbackColumns, terminal.join(u','))))
        return out;
    while (q.next())
        out.append(rollbackFrom(q));
    for (auto &r : out) {
        r.targets = targets(r.id);
        r.steps = steps(r.id);
        for (const auto &a : approvals(r.id))
            r.approvals.append({a.user, a.decision, a.comment, a.atMs});
    }
    return out;
}

int Store::rollbackAttempts(const QString &service, qint64 releaseId) const
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT COUNT(*) FROM rollback_targets WHERE service = ? AND "
                            "from_release_id = ?"),
             {service, releaseId}) ||
        !q.next())
        return 0;
    return q.value(0).toInt();
}

qint64 Store::beginAttempt(qint64 stepId, int attempt, qint64 startedAtMs)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO step_attempts (step_id, attempt, started_at, outcome) "
                            "VALUES (?, ?, ?, 'running')"),
             {stepId, attempt, startedAtMs}))
        return 0;
    return q.lastInsertId().toLongLong();
}

bool Store::finishAttempt(qint64 attemptId, const QString &outcome, qint64 finishedAtMs,
                          const QString &message, const QString &output)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("UPDATE step_attempts SET outcome = ?, finished_at = ?, message = ?, "
                              "output = ? WHERE id = ?"),
               {outcome, finishedAtMs, text(message), text(output), attemptId});
}

bool Store::interruptAttempts(qint64 rollbackId, qint64 atMs)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("UPDATE step_attempts SET outcome = 'interrupted', finished_at = ?, "
                              "message = 'rewindd stopped while the step was running' "
                              "WHERE outcome = 'running' AND step_id IN "
                              "(SELECT id FROM rollback_steps WHERE rollback_id = ?)"),
               {atMs, rollbackId});
}

QList<Store::StepAttempt> Store::attempts(qint64 rollbackId) const
{
    QSqlQuery q(db());
    QList<StepAttempt> out;
    if (!run(q,
             QStringLiteral("SELECT a.id, a.step_id, a.attempt, a.started_at, a.finished_at, "
                            "a.outcome, a.message, a.output FROM step_attempts a JOIN "
                            "rollback_steps s ON s.id = a.step_id WHERE s.rollback_id = ? "
                            "ORDER BY a.id"),
             {rollbackId}))
        return out;
    while (q.next()) {
        StepAttempt a;
        a.id = q.value(0).toLongLong();
        a.stepId = q.value(1).toLongLong();
        a.attempt = q.value(2).toInt();
        a.startedAtMs = q.value(3).toLongLong();
        a.finishedAtMs = q.value(4).toLongLong();
        a.outcome = q.value(5).toString();
        a.message = q.value(6).toString();
        a.output = q.value(7).toString();
        out.append(a);
    }
    return out;
}

qint64 Store::insertFreeze(const protocol::FreezeInfo &f)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO freezes (service, reason, rollback_id, started_at, "
                            "until_at) VALUES (?, ?, ?, ?, ?)"),
             {text(f.service), text(f.reason), nullableId(f.rollbackId), f.startedAtMs, f.untilMs}))
        return 0;
    return q.lastInsertId().toLongLong();
}

std::optional<protocol::FreezeInfo> Store::activeFreeze(const QString &service, qint64 nowMs) const
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT %1 FROM freezes WHERE service = ? AND started_at <= ? AND "
                            "until_at > ? ORDER BY until_at DESC LIMIT 1")
                 .arg(kFreezeColumns),
             {service, nowMs, nowMs}) ||
        !q.next())
        return std::nullopt;
    return freezeFrom(q);
}

QList<protocol::FreezeInfo> Store::activeFreezes(qint64 nowMs) const
{
    QSqlQuery q(db());
    QList<protocol::FreezeInfo> out;
    if (!run(q,
             QStringLiteral("SELECT %1 FROM freezes WHERE started_at <= ? AND until_at > ? "
                            "ORDER BY service, until_at DESC")
                 .arg(kFreezeColumns),
             {nowMs, nowMs}))
        return out;
    while (q.next()) {
        auto f = freezeFrom(q);
        // One per service: the one that lasts longest.
        if (out.isEmpty() || out.last().service != f.service)
            out.append(f);
    }
    return out;
}

bool Store::setReleaseFreezeOverride(qint64 releaseId, const QString &reason)
{
    QSqlQuery q(db());
    return run(q, QStringLiteral("UPDATE releases SET freeze_override = ? WHERE id = ?"),
               {text(reason), releaseId});
}

qint64 Store::insertSnapshot(const protocol::SnapshotInfo &s)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO snapshots (name, service, executor, reason, path, "
                            "size_bytes, sha256, tables_json, rollback_id, release_id, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
             {text(s.name), text(s.service), text(s.executor), text(s.reason), text(s.path),
              s.sizeBytes, text(s.sha256), compactJson(s.tables), nullableId(s.rollbackId),
              nullableId(s.releaseId), s.createdAtMs}))
        return 0;
    return q.lastInsertId().toLongLong();
}

std::optional<protocol::SnapshotInfo> Store::snapshot(const QString &name) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM snapshots WHERE name = ?").arg(kSnapshotColumns),
             {name}) ||
        !q.next())
        return std::nullopt;
    return snapshotFrom(q);
}

QList<protocol::SnapshotInfo> Store::snapshots(const QString &service, bool withPruned,
                                               int limit) const
{
    QSqlQuery q(db());
    QList<protocol::SnapshotInfo> out;
    QStringList where;
    QVariantList bindings;
    if (!service.isEmpty()) {
        where.append(QStringLiteral("service = ?"));
        bindings.append(service);
    }
    if (!withPruned)
        where.append(QStringLiteral("pruned_at IS NULL"));
    bindings.append(limit);
    if (!run(q,
             QStringLiteral("SELECT %1 FROM snapshots %2 ORDER BY id DESC LIMIT ?")
                 .arg(kSnapshotColumns, where.isEmpty() ? QString()
                                                        : QStringLiteral("WHERE ") +
                                                              where.join(QStringLiteral(" AND "))),
             bindings))
        return out;
    while (q.next())
        out.append(snapshotFrom(q));
    return out;
}

bool Store::markSnapshotPruned(qint64 id, qint64 atMs)
{
    QSqlQuery q(db());
    return run(q, QStringLiteral("UPDATE snapshots SET pruned_at = ? WHERE id = ?"), {atMs, id});
}

qint64 Store::openIncident(const QString &title, const QStringList &services,
                           const QString &severity, qint64 atMs)
{
    QSqlQuery q(db());
    if (!run(
            q,
            QStringLiteral("INSERT INTO incidents (title, services_json, severity, opened_at) "
                           "VALUES (?, ?, ?, ?)"),
            {text(title), compactJson(QJsonArray::fromStringList(services)), text(severity), atMs}))
        return 0;
    return q.lastInsertId().toLongLong();
}

std::optional<qint64> Store::openIncidentFor(const QStringList &services) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT id, services_json FROM incidents WHERE closed_at IS NULL "
                               "ORDER BY id DESC")))
        return std::nullopt;
    while (q.next()) {
        for (const auto &s : jsonArray(q.value(1))) {
            if (services.contains(s.toString()))
                return q.value(0).toLongLong();
        }
    }
    return std::nullopt;
}

bool Store::closeIncident(qint64 id, qint64 atMs)
{
    QSqlQuery q(db());
    return run(q, QStringLiteral("UPDATE incidents SET closed_at = ? WHERE id = ?"), {atMs, id});
}

bool Store::setRollbackIncident(qint64 rollbackId, qint64 incidentId)
{
    QSqlQuery q(db());
    return run(q, QStringLiteral("UPDATE rollbacks SET incident_id = ? WHERE id = ?"),
               {incidentId, rollbackId});
}

bool Store::addIncidentNote(qint64 incidentId, const protocol::IncidentNote &n)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("INSERT INTO incident_notes (incident_id, at, author, kind, text) "
                              "VALUES (?, ?, ?, ?, ?)"),
               {incidentId, n.atMs, text(n.author), text(n.kind), text(n.text)});
}

qint64 Store::addPreservedLog(qint64 incidentId, const protocol::PreservedLog &l, qint64 atMs)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("INSERT INTO preserved_logs (incident_id, rollback_id, service, "
                            "source, path, bytes, truncated, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
             {nullableId(incidentId), nullableId(l.rollbackId), text(l.service), text(l.source),
              text(l.path), l.bytes, l.truncated ? 1 : 0, atMs}))
        return 0;
    return q.lastInsertId().toLongLong();
}

std::optional<protocol::IncidentInfo> Store::incident(qint64 id) const
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT id, title, services_json, severity, opened_at, closed_at "
                            "FROM incidents WHERE id = ?"),
             {id}) ||
        !q.next())
        return std::nullopt;
    protocol::IncidentInfo i;
    i.id = q.value(0).toLongLong();
    i.title = q.value(1).toString();
    for (const auto &s : jsonArray(q.value(2)))
        i.services.append(s.toString());
    i.severity = q.value(3).toString();
    i.openedAtMs = q.value(4).toLongLong();
    i.closedAtMs = q.value(5).toLongLong();
    i.open = q.value(5).isNull();
    if (run(q, QStringLiteral("SELECT id FROM rollbacks WHERE incident_id = ? ORDER BY id"), {id}))
        while (q.next())
            i.rollbacks.append(q.value(0).toLongLong());
    if (run(q,
            QStringLiteral("SELECT at, author, kind, text FROM incident_notes WHERE "
                           "incident_id = ? ORDER BY id"),
            {id}))
        while (q.next())
            i.notes.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                            q.value(3).toString()});
    if (run(q,
            QStringLiteral("SELECT id, rollback_id, service, source, path, bytes, truncated FROM "
                           "preserved_logs WHERE incident_id = ? ORDER BY id"),
            {id}))
        while (q.next()) {
            protocol::PreservedLog l;
            l.id = q.value(0).toLongLong();
            l.rollbackId = q.value(1).toLongLong();
            l.service = q.value(2).toString();
            l.source = q.value(3).toString();
            l.path = q.value(4).toString();
            l.bytes = q.value(5).toLongLong();
            l.truncated = q.value(6).toInt() != 0;
            i.logs.append(l);
        }
    return i;
}

QList<protocol::IncidentInfo> Store::incidents(int limit, int offset) const
{
    QSqlQuery q(db());
    QList<qint64> ids;
    if (run(q, QStringLiteral("SELECT id FROM incidents ORDER BY id DESC LIMIT ? OFFSET ?"),
            {limit, offset}))
        while (q.next())
            ids.append(q.value(0).toLongLong());
    QList<protocol::IncidentInfo> out;
    for (const auto id : ids) {
        if (auto i = incident(id))
            out.append(*i);
    }
    return out;
}

QList<qint64> Store::openIncidents() const
{
    QSqlQuery q(db());
    QList<qint64> ids;
    if (run(q, QStringLiteral("SELECT id FROM incidents WHERE closed_at IS NULL ORDER BY id")))
        while (q.next())
            ids.append(q.value(0).toLongLong());
    return ids;
}

qint64 Store::insertDelivery(const protocol::DeliveryInfo &d)
{
    QSqlQuery q(db());
    if (!run(
            q,
            QStringLiteral("INSERT INTO deliveries (notifier, type, event, event_seq, rollback_id, "
                           "state, attempts, created_at, finished_at, message) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {text(d.notifier), text(d.type), text(d.event), d.eventSeq, nullableId(d.rollbackId),
             text(d.state), d.attempts, d.createdAtMs, nullableTime(d.finishedAtMs),
             text(d.message)}))
        return 0;
    return q.lastInsertId().toLongLong();
}

bool Store::updateDelivery(const protocol::DeliveryInfo &d)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("UPDATE deliveries SET state = ?, attempts = ?, finished_at = ?, "
                              "message = ? WHERE id = ?"),
               {text(d.state), d.attempts, nullableTime(d.finishedAtMs), text(d.message), d.id});
}

int Store::abandonUnfinishedDeliveries(qint64 atMs, const QString &message)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("UPDATE deliveries SET state = 'failed', finished_at = ?, message = ? "
                            "WHERE state IN ('pending', 'retrying')"),
             {atMs, text(message)}))
        return 0;
    return q.numRowsAffected();
}

QList<protocol::DeliveryInfo> Store::deliveries(int limit, int offset) const
{
    QSqlQuery q(db());
    QList<protocol::DeliveryInfo> out;
    if (!run(q,
             QStringLiteral("SELECT id, notifier, type, event, event_seq, rollback_id, state, "
                            "attempts, created_at, finished_at, message FROM deliveries "
                            "ORDER BY id DESC LIMIT ? OFFSET ?"),
             {limit, offset}))
        return out;
    while (q.next()) {
        protocol::DeliveryInfo d;
        d.id = q.value(0).toLongLong();
        d.notifier = q.value(1).toString();
        d.type = q.value(2).toString();
        d.event = q.value(3).toString();
        d.eventSeq = q.value(4).toLongLong();
        d.rollbackId = q.value(5).toLongLong();
        d.state = q.value(6).toString();
        d.attempts = q.value(7).toInt();
        d.createdAtMs = q.value(8).toLongLong();
        d.finishedAtMs = q.value(9).toLongLong();
        d.message = q.value(10).toString();
        out.append(d);
    }
    return out;
}

namespace {

Store::User userFrom(const QSqlQuery &q)
{
    Store::User u;
    u.id = q.value(0).toLongLong();
    u.name = q.value(1).toString();
    u.passwordHash = q.value(2).toString();
    u.roles = jsonObject(q.value(3));
    u.fromConfig = q.value(4).toInt() != 0;
    u.createdAtMs = q.value(5).toLongLong();
    u.disabledAtMs = q.value(6).toLongLong();
    return u;
}

const QString kUserColumns =
    QStringLiteral("id, name, password_hash, roles_json, from_config, created_at, disabled_at");

Store::Token tokenFrom(const QSqlQuery &q)
{
    Store::Token t;
    t.id = q.value(0).toLongLong();
    t.userId = q.value(1).toLongLong();
    t.kind = q.value(2).toString();
    t.name = q.value(3).toString();
    t.hash = q.value(4).toString();
    t.createdAtMs = q.value(5).toLongLong();
    t.expiresAtMs = q.value(6).toLongLong();
    t.revokedAtMs = q.value(7).toLongLong();
    t.lastUsedAtMs = q.value(8).toLongLong();
    return t;
}

const QString kTokenColumns = QStringLiteral(
    "id, user_id, kind, name, hash, created_at, expires_at, revoked_at, last_used_at");

audit::Entry auditFrom(const QSqlQuery &q)
{
    audit::Entry e;
    e.id = q.value(0).toLongLong();
    e.atMs = q.value(1).toLongLong();
    e.actor = q.value(2).toString();
    e.source = q.value(3).toString();
    e.action = q.value(4).toString();
    e.target = q.value(5).toString();
    e.details = jsonObject(q.value(6));
    e.prevHash = q.value(7).toString();
    e.hash = q.value(8).toString();
    return e;
}

const QString kAuditColumns =
    QStringLiteral("id, at, actor, source, action, target, details_json, prev_hash, hash");

} // namespace

std::optional<Store::User> Store::user(const QString &name) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM users WHERE name = ?").arg(kUserColumns), {name}) ||
        !q.next())
        return std::nullopt;
    return userFrom(q);
}

std::optional<Store::User> Store::user(qint64 id) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(kUserColumns), {id}) ||
        !q.next())
        return std::nullopt;
    return userFrom(q);
}

QList<Store::User> Store::users() const
{
    QSqlQuery q(db());
    QList<User> out;
    if (run(q, QStringLiteral("SELECT %1 FROM users ORDER BY name").arg(kUserColumns)))
        while (q.next())
            out.append(userFrom(q));
    return out;
}

qint64 Store::saveUser(const User &u)
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral(
                 "INSERT INTO users (name, password_hash, roles_json, from_config, "
                 "created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, "
                 "roles_json = excluded.roles_json, from_config = excluded.from_config, "
                 "disabled_at = excluded.disabled_at"),
             {text(u.name), text(u.passwordHash), compactJson(u.roles), u.fromConfig ? 1 : 0,
              u.createdAtMs, nullableTime(u.disabledAtMs)}))
        return 0;
    const auto saved = user(u.name);
    return saved ? saved->id : 0;
}

qint64 Store::insertToken(const Token &t)
{
    QSqlQuery q(db());
    if (!run(
            q,
            QStringLiteral("INSERT INTO tokens (user_id, kind, name, hash, created_at, expires_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)"),
            {t.userId, text(t.kind), text(t.name), text(t.hash), t.createdAtMs,
             nullableTime(t.expiresAtMs)}))
        return 0;
    return q.lastInsertId().toLongLong();
}

std::optional<Store::Token> Store::tokenByHash(const QString &hash) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM tokens WHERE hash = ?").arg(kTokenColumns),
             {hash}) ||
        !q.next())
        return std::nullopt;
    return tokenFrom(q);
}

std::optional<Store::Token> Store::token(qint64 id) const
{
    QSqlQuery q(db());
    if (!run(q, QStringLiteral("SELECT %1 FROM tokens WHERE id = ?").arg(kTokenColumns), {id}) ||
        !q.next())
        return std::nullopt;
    return tokenFrom(q);
}

QList<Store::Token> Store::tokens(qint64 userId) const
{
    QSqlQuery q(db());
    QList<Token> out;
    if (run(q,
            QStringLiteral("SELECT %1 FROM tokens WHERE user_id = ? ORDER BY id")
                .arg(kTokenColumns),
            {userId}))
        while (q.next())
            out.append(tokenFrom(q));
    return out;
}

bool Store::revokeToken(qint64 id, qint64 atMs)
{
    QSqlQuery q(db());
    return run(
        q, QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
        {atMs, id});
}

bool Store::touchToken(qint64 id, qint64 atMs)
{
    QSqlQuery q(db());
    return run(q, QStringLiteral("UPDATE tokens SET last_used_at = ? WHERE id = ?"), {atMs, id});
}

bool Store::insertApproval(qint64 rollbackId, const Approval &a)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("INSERT INTO approvals (rollback_id, user, decision, comment, at) "
                              "VALUES (?, ?, ?, ?, ?)"),
               {rollbackId, text(a.user), text(a.decision), text(a.comment), a.atMs});
}

QList<Store::Approval> Store::approvals(qint64 rollbackId) const
{
    QSqlQuery q(db());
    QList<Approval> out;
    if (run(q,
            QStringLiteral(
                "SELECT user, decision, comment, at FROM approvals WHERE rollback_id = ? "
                "ORDER BY id"),
            {rollbackId}))
        while (q.next())
            out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                        q.value(3).toLongLong()});
    return out;
}

std::optional<audit::Entry> Store::lastAuditEntry() const
{
    QSqlQuery q(db());
    if (!run(q,
             QStringLiteral("SELECT %1 FROM audit ORDER BY id DESC LIMIT 1").arg(kAuditColumns)) ||
        !q.next())
        return std::nullopt;
    return auditFrom(q);
}

bool Store::insertAuditEntry(const audit::Entry &e)
{
    QSqlQuery q(db());
    return run(q,
               QStringLiteral("INSERT INTO audit (id, at, actor, source, action, target, "
                              "details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
               {e.id, e.atMs, text(e.actor), text(e.source), text(e.action), text(e.target),
                compactJson(e.details), text(e.prevHash), text(e.hash)});
}

QList<audit::Entry> Store::auditEntries(qint64 afterId, int limit) const
{
    QSqlQuery q(db());
    QList<audit::Entry> out;
    if (run(q,
            QStringLiteral("SELECT %1 FROM audit WHERE id > ? ORDER BY id LIMIT ?")
                .arg(kAuditColumns),
            {afterId, limit}))
        while (q.next())
            out.append(auditFrom(q));
    return out;
}

} // namespace rwd::store
