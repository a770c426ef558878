#include "auditentries.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

const QString kColumns =
    QStringLiteral("id, at, actor, source, action, target, details_json, prev_hash, hash");

audit::Entry entryFrom(const QSqlQuery &q)
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

} // namespace

std::optional<audit::Entry> AuditEntries::last() const
{
    return one(db(), QStringLiteral("SELECT %1 FROM audit ORDER BY id DESC LIMIT 1").arg(kColumns),
               {}, entryFrom);
}

bool AuditEntries::insert(const audit::Entry &e)
{
    return db().run(QStringLiteral("INSERT INTO audit (id, at, actor, source, action, target, "
                                   "details_json, prev_hash, hash) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                    {e.id, e.atMs, text(e.actor), text(e.source), text(e.action), text(e.target),
                     compactJson(e.details), text(e.prevHash), text(e.hash)});
}

QList<audit::Entry> AuditEntries::after(qint64 afterId, int limit) const
{
    return all(
        db(), QStringLiteral("SELECT %1 FROM audit WHERE id > ? ORDER BY id LIMIT ?").arg(kColumns),
        {afterId, limit}, entryFrom);
}

} // namespace rwd::store
