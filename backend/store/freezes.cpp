#include "freezes.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

const QString kColumns = QStringLiteral("id, service, reason, rollback_id, started_at, until_at");

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

qint64 Freezes::insert(const protocol::FreezeInfo &f)
{
    return insertedId(
        db(),
        QStringLiteral("INSERT INTO freezes (service, reason, rollback_id, "
                       "started_at, until_at) VALUES (?, ?, ?, ?, ?)"),
        {text(f.service), text(f.reason), nullableId(f.rollbackId), f.startedAtMs, f.untilMs});
}

std::optional<protocol::FreezeInfo> Freezes::active(const QString &service, qint64 nowMs) const
{
    return one(db(),
               QStringLiteral("SELECT %1 FROM freezes WHERE service = ? AND started_at <= ? AND "
                              "until_at > ? ORDER BY until_at DESC LIMIT 1")
                   .arg(kColumns),
               {service, nowMs, nowMs}, freezeFrom);
}

} // namespace rwd::store
