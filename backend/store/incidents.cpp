#include "incidents.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

protocol::IncidentInfo incidentFrom(const QSqlQuery &q)
{
    protocol::IncidentInfo i;
    i.id = q.value(0).toLongLong();
    i.title = q.value(1).toString();
    for (const auto &s : jsonArray(q.value(2)))
        i.services.append(s.toString());
    i.severity = q.value(3).toString();
    i.openedAtMs = q.value(4).toLongLong();
    i.closedAtMs = q.value(5).toLongLong();
    i.open = q.value(5).isNull();
    return i;
}

protocol::IncidentNote noteFrom(const QSqlQuery &q)
{
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toString()};
}

protocol::PreservedLog logFrom(const QSqlQuery &q)
{
    protocol::PreservedLog l;
    l.id = q.value(0).toLongLong();
    l.rollbackId = q.value(1).toLongLong();
    l.service = q.value(2).toString();
    l.source = q.value(3).toString();
    l.path = q.value(4).toString();
    l.bytes = q.value(5).toLongLong();
    l.truncated = q.value(6).toInt() != 0;
    return l;
}

qint64 idFrom(const QSqlQuery &q)
{
    return q.value(0).toLongLong();
}

} // namespace

qint64 Incidents::open(const QString &title, const QStringList &services, const QString &severity,
                       qint64 atMs)
{
    return insertedId(
        db(),
        QStringLiteral("INSERT INTO incidents (title, services_json, severity, "
                       "opened_at) VALUES (?, ?, ?, ?)"),
        {text(title), compactJson(QJsonArray::fromStringList(services)), text(severity), atMs});
}

bool Incidents::close(qint64 id, qint64 atMs)
{
    return db().run(QStringLiteral("UPDATE incidents SET closed_at = ? WHERE id = ?"), {atMs, id});
}

bool Incidents::addNote(qint64 incidentId, const protocol::IncidentNote &n)
{
    return db().run(QStringLiteral("INSERT INTO incident_notes (incident_id, at, author, kind, "
                                   "text) VALUES (?, ?, ?, ?, ?)"),
                    {incidentId, n.atMs, text(n.author), text(n.kind), text(n.text)});
}

qint64 Incidents::addPreservedLog(qint64 incidentId, const protocol::PreservedLog &l, qint64 atMs)
{
    return insertedId(db(),
                      QStringLiteral("INSERT INTO preserved_logs (incident_id, rollback_id, "
                                     "service, source, path, bytes, truncated, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                      {nullableId(incidentId), nullableId(l.rollbackId), text(l.service),
                       text(l.source), text(l.path), l.bytes, l.truncated ? 1 : 0, atMs});
}

std::optional<protocol::IncidentInfo> Incidents::find(qint64 id) const
{
    auto i = one(db(),
                 QStringLiteral("SELECT id, title, services_json, severity, opened_at, closed_at "
                                "FROM incidents WHERE id = ?"),
                 {id}, incidentFrom);
    if (!i)
        return std::nullopt;
    // The rollbacks' link to the incident is theirs (rollbacks.incident_id), read here.
    i->rollbacks =
        all(db(), QStringLiteral("SELECT id FROM rollbacks WHERE incident_id = ? ORDER BY id"),
            {id}, idFrom);
    i->notes = all(db(),
                   QStringLiteral("SELECT at, author, kind, text FROM incident_notes WHERE "
                                  "incident_id = ? ORDER BY id"),
                   {id}, noteFrom);
    i->logs = all(db(),
                  QStringLiteral("SELECT id, rollback_id, service, source, path, bytes, truncated "
                                 "FROM preserved_logs WHERE incident_id = ? ORDER BY id"),
                  {id}, logFrom);
    return i;
}

QList<protocol::IncidentInfo> Incidents::list(int limit, int offset) const
{
    QList<protocol::IncidentInfo> out;
    for (const auto id :
         all(db(), QStringLiteral("SELECT id FROM incidents ORDER BY id DESC LIMIT ? OFFSET ?"),
             {limit, offset}, idFrom)) {
        if (auto i = find(id))
            out.append(std::move(*i));
    }
    return out;
}

std::optional<qint64> Incidents::openFor(const QStringList &services) const
{
    auto q = db().query();
    if (!db().run(q, QStringLiteral("SELECT id, services_json FROM incidents WHERE closed_at IS "
                                    "NULL ORDER BY id DESC")))
        return std::nullopt;
    while (q.next()) {
        for (const auto &s : jsonArray(q.value(1))) {
            if (services.contains(s.toString()))
                return q.value(0).toLongLong();
        }
    }
    return std::nullopt;
}

QList<qint64> Incidents::openIds() const
{
    return all(db(), QStringLiteral("SELECT id FROM incidents WHERE closed_at IS NULL ORDER BY id"),
               {}, idFrom);
}

} // namespace rwd::store
