#include "historysources.h"

#include "common/protocol.h"

#include <QDateTime>
#include <QJsonDocument>

namespace rwd::client {

namespace {

QVariant utc(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

} // namespace

QString rollbackSummary(const protocol::RollbackInfo &rollback)
{
    QStringList parts;
    for (const auto &t : rollback.targets)
        parts.append(QStringLiteral("%1 %2 → %3").arg(t.service, t.fromVersion, t.toVersion));
    return parts.join(QStringLiteral(", "));
}

QVariantMap stepMap(const protocol::StepInfo &s)
{
    const qint64 duration =
        s.finishedAtMs > 0 && s.startedAtMs > 0 ? s.finishedAtMs - s.startedAtMs : 0;
    return {{"index", s.index},
            {"service", s.service},
            {"kind", s.kind},
            {"description", s.description},
            {"state", wireName(s.state)},
            {"message", s.message},
            {"startedAt", utc(s.startedAtMs)},
            {"durationMs", duration},
            {"attempts", s.attempts}};
}

RestListModel::Source incidentsSource()
{
    RestListModel::Source s;
    s.path = QStringLiteral("/api/v1/incidents?limit=200");
    s.arrayKey = QStringLiteral("incidents");
    s.keys = {QStringLiteral("id"),       QStringLiteral("title"),     QStringLiteral("services"),
              QStringLiteral("severity"), QStringLiteral("open"),      QStringLiteral("openedAt"),
              QStringLiteral("closedAt"), QStringLiteral("rollbacks"), QStringLiteral("notes"),
              QStringLiteral("logs")};
    s.convert = [](const QJsonObject &o) {
        const auto i = protocol::IncidentInfo::fromJson(o);
        QVariantList rollbacks;
        for (const auto id : i.rollbacks)
            rollbacks.append(id);
        QVariantList notes;
        for (const auto &n : i.notes)
            notes.append(QVariantMap{
                {"at", utc(n.atMs)}, {"author", n.author}, {"kind", n.kind}, {"text", n.text}});
        QVariantList logs;
        for (const auto &l : i.logs)
            logs.append(QVariantMap{{"service", l.service},
                                    {"source", l.source},
                                    {"bytes", l.bytes},
                                    {"truncated", l.truncated}});
        return QVariantMap{{"id", i.id},
                           {"title", i.title},
                           {"services", i.services},
                           {"severity", i.severity},
                           {"open", i.open},
                           {"openedAt", utc(i.openedAtMs)},
                           {"closedAt", utc(i.closedAtMs)},
                           {"rollbacks", rollbacks},
                           {"notes", notes},
                           {"logs", logs}};
    };
    return s;
}

RestListModel::Source rollbackHistorySource()
{
    RestListModel::Source s;
    s.path = QStringLiteral("/api/v1/rollbacks?limit=200");
    s.arrayKey = QStringLiteral("rollbacks");
    s.keys = {
        QStringLiteral("id"),         QStringLiteral("state"),       QStringLiteral("trigger"),
        QStringLiteral("reason"),     QStringLiteral("requestedBy"), QStringLiteral("summary"),
        QStringLiteral("services"),   QStringLiteral("createdAt"),   QStringLiteral("finishedAt"),
        QStringLiteral("durationMs"), QStringLiteral("incidentId"),  QStringLiteral("steps"),
        QStringLiteral("approvals"),  QStringLiteral("message")};
    s.convert = [](const QJsonObject &o) {
        const auto r = protocol::RollbackInfo::fromJson(o);
        QVariantList steps;
        for (const auto &step : r.steps)
            steps.append(stepMap(step));
        QVariantList approvals;
        for (const auto &a : r.approvals)
            approvals.append(QVariantMap{{"user", a.user},
                                         {"decision", a.decision},
                                         {"comment", a.comment},
                                         {"at", utc(a.atMs)}});
        return QVariantMap{
            {"id", r.id},
            {"state", wireName(r.state)},
            {"trigger", r.trigger},
            {"reason", r.reason},
            {"requestedBy", r.requestedBy},
            {"summary", rollbackSummary(r)},
            {"services", r.services()},
            {"createdAt", utc(r.createdAtMs)},
            {"finishedAt", utc(r.finishedAtMs)},
            {"durationMs", r.finishedAtMs > 0 ? r.finishedAtMs - r.createdAtMs : qint64(0)},
            {"incidentId", r.incidentId},
            {"steps", steps},
            {"approvals", approvals},
            {"message", r.message}};
    };
    return s;
}

RestListModel::Source auditSource()
{
    RestListModel::Source s;
    s.path = QStringLiteral("/api/v1/audit");
    s.arrayKey = QStringLiteral("entries");
    s.keys = {QStringLiteral("id"),     QStringLiteral("at"),     QStringLiteral("actor"),
              QStringLiteral("source"), QStringLiteral("action"), QStringLiteral("target"),
              QStringLiteral("details")};
    s.pageByAfterId = true;
    s.convert = [](const QJsonObject &o) {
        return QVariantMap{
            {"id", o.value(QLatin1String("id")).toInteger()},
            {"at", utc(protocol::parseIsoTime(o.value(QLatin1String("at"))))},
            {"actor", o.value(QLatin1String("actor")).toString()},
            {"source", o.value(QLatin1String("source")).toString()},
            {"action", o.value(QLatin1String("action")).toString()},
            {"target", o.value(QLatin1String("target")).toString()},
            {"details",
             QString::fromUtf8(QJsonDocument(o.value(QLatin1String("details")).toObject())
                                   .toJson(QJsonDocument::Compact))}};
    };
    return s;
}

} // namespace rwd::client
