#include "deliveries.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

protocol::DeliveryInfo deliveryFrom(const QSqlQuery &q)
{
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
    return d;
}

} // namespace

qint64 Deliveries::insert(const protocol::DeliveryInfo &d)
{
    return insertedId(db(),
                      QStringLiteral("INSERT INTO deliveries (notifier, type, event, event_seq, "
                                     "rollback_id, state, attempts, created_at, finished_at, "
                                     "message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                      {text(d.notifier), text(d.type), text(d.event), d.eventSeq,
                       nullableId(d.rollbackId), text(d.state), d.attempts, d.createdAtMs,
                       nullableTime(d.finishedAtMs), text(d.message)});
}

bool Deliveries::update(const protocol::DeliveryInfo &d)
{
    return db().run(
        QStringLiteral("UPDATE deliveries SET state = ?, attempts = ?, "
                       "finished_at = ?, message = ? WHERE id = ?"),
        {text(d.state), d.attempts, nullableTime(d.finishedAtMs), text(d.message), d.id});
}

int Deliveries::abandonUnfinished(qint64 atMs, const QString &message)
{
    auto q = db().query();
    if (!db().run(q,
                  QStringLiteral("UPDATE deliveries SET state = 'failed', finished_at = ?, "
                                 "message = ? WHERE state IN ('pending', 'retrying')"),
                  {atMs, text(message)}))
        return 0;
    return q.numRowsAffected();
}

QList<protocol::DeliveryInfo> Deliveries::list(int limit, int offset) const
{
    return all(db(),
               QStringLiteral("SELECT id, notifier, type, event, event_seq, rollback_id, state, "
                              "attempts, created_at, finished_at, message FROM deliveries "
                              "ORDER BY id DESC LIMIT ? OFFSET ?"),
               {limit, offset}, deliveryFrom);
}

} // namespace rwd::store
