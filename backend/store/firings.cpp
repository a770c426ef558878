#include "firings.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

Firing firingFrom(const QSqlQuery &q)
{
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
    return f;
}

} // namespace

qint64 Firings::insert(const protocol::FiringInfo &f)
{
    return insertedId(
        db(),
        QStringLiteral("INSERT INTO firings (rule, service, severity, action, expression, "
                       "values_json, fired_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {text(f.rule), text(f.service), text(f.severity), text(f.action), text(f.expression),
         compactJson(f.values), f.sinceMs});
}

bool Firings::resolve(qint64 id, qint64 atMs)
{
    return db().run(QStringLiteral("UPDATE firings SET resolved_at = ? WHERE id = ?"), {atMs, id});
}

QList<Firing> Firings::list(const QStringList &services, qint64 fromMs, qint64 toMs,
                            qint64 incidentId) const
{
    QStringList marks;
    QVariantList bindings{fromMs, toMs};
    for (const auto &s : services) {
        marks.append(QStringLiteral("?"));
        bindings.append(text(s));
    }
    bindings.append(incidentId);
    return all(db(),
               QStringLiteral("SELECT id, rule, service, severity, action, expression, "
                              "values_json, fired_at, resolved_at FROM firings WHERE (fired_at "
                              "BETWEEN ? AND ? AND service IN (%1)) OR id IN (SELECT firing_id "
                              "FROM rollbacks WHERE incident_id = ?) ORDER BY fired_at, id")
                   .arg(marks.isEmpty() ? QStringLiteral("NULL") : marks.join(u',')),
               bindings, firingFrom);
}

} // namespace rwd::store
