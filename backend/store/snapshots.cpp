#include "snapshots.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

const QString kColumns = QStringLiteral(
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

} // namespace

qint64 Snapshots::insert(const protocol::SnapshotInfo &s)
{
    return insertedId(db(),
                      QStringLiteral("INSERT INTO snapshots (name, service, executor, reason, "
                                     "path, size_bytes, sha256, tables_json, rollback_id, "
                                     "release_id, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      {text(s.name), text(s.service), text(s.executor), text(s.reason),
                       text(s.path), s.sizeBytes, text(s.sha256), compactJson(s.tables),
                       nullableId(s.rollbackId), nullableId(s.releaseId), s.createdAtMs});
}

bool Snapshots::markPruned(qint64 id, qint64 atMs)
{
    return db().run(QStringLiteral("UPDATE snapshots SET pruned_at = ? WHERE id = ?"), {atMs, id});
}

std::optional<protocol::SnapshotInfo> Snapshots::find(const QString &name) const
{
    return one(db(), QStringLiteral("SELECT %1 FROM snapshots WHERE name = ?").arg(kColumns),
               {name}, snapshotFrom);
}

QList<protocol::SnapshotInfo> Snapshots::list(const QString &service, bool withPruned,
                                              int limit) const
{
    QStringList conditions;
    QVariantList bindings;
    if (!service.isEmpty()) {
        conditions.append(QStringLiteral("service = ?"));
        bindings.append(service);
    }
    if (!withPruned)
        conditions.append(QStringLiteral("pruned_at IS NULL"));
    bindings.append(limit);
    return all(db(),
               QStringLiteral("SELECT %1 FROM snapshots %2 ORDER BY id DESC LIMIT ?")
                   .arg(kColumns, where(conditions)),
               bindings, snapshotFrom);
}

} // namespace rwd::store
