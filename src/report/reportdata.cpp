#include "reportdata.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace rwd::client {

namespace {

// Every text for people goes through the "IncidentReport" context, which the dashboard's
// translations (translations/*.ts) cover.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(IncidentReport)
};

void putTime(QJsonObject &o, const char *key, qint64 ms)
{
    o.insert(QLatin1String(key), ms > 0 ? QJsonValue(protocol::isoTime(ms)) : QJsonValue());
}

qint64 timeOf(const QJsonObject &o, const char *key)
{
    return protocol::parseIsoTime(o.value(QLatin1String(key)));
}

// The objects of an array; anything else in it is skipped, a non-array reads as empty.
template<typename T>
QList<T> objects(const QJsonValue &value)
{
    QList<T> out;
    for (const auto &item : value.toArray()) {
        if (item.isObject())
            out.append(T::fromJson(item.toObject()));
    }
    return out;
}

// Rule functions whose value is a ratio (docs/rules.md), shown as percentages.
bool isRatioTerm(const QString &term)
{
    for (const auto *prefix : {"error_rate(", "success_rate(", "ratio("}) {
        if (term.startsWith(QLatin1String(prefix)))
            return true;
    }
    return false;
}

} // namespace

QJsonObject ReportFiring::toJson() const
{
    QJsonObject o = firing.toJson();
    o.insert(QLatin1String("id"), id);
    putTime(o, "resolved_at", resolvedAtMs);
    return o;
}

ReportFiring ReportFiring::fromJson(const QJsonObject &o)
{
    ReportFiring f;
    f.id = o.value(QLatin1String("id")).toInteger();
    f.firing = protocol::FiringInfo::fromJson(o);
    f.resolvedAtMs = timeOf(o, "resolved_at");
    return f;
}

QJsonObject ReportLog::toJson() const
{
    QJsonObject o = log.toJson();
    o.insert(QLatin1String("excerpt"), excerpt);
    o.insert(QLatin1String("excerpt_lines"), lines);
    o.insert(QLatin1String("excerpt_cut"), excerptCut);
    if (!error.isEmpty())
        o.insert(QLatin1String("excerpt_error"), error);
    return o;
}

ReportLog ReportLog::fromJson(const QJsonObject &o)
{
    ReportLog l;
    l.log = protocol::PreservedLog::fromJson(o);
    l.excerpt = o.value(QLatin1String("excerpt")).toString();
    l.lines = std::max(0, o.value(QLatin1String("excerpt_lines")).toInt());
    l.excerptCut = o.value(QLatin1String("excerpt_cut")).toBool();
    l.error = o.value(QLatin1String("excerpt_error")).toString();
    return l;
}

QJsonObject ReportPerson::toJson() const
{
    return QJsonObject{{"name", name}, {"roles", QJsonArray::fromStringList(roles)}};
}

ReportPerson ReportPerson::fromJson(const QJsonObject &o)
{
    ReportPerson p;
    p.name = o.value(QLatin1String("name")).toString();
    for (const auto &role : o.value(QLatin1String("roles")).toArray()) {
        if (role.isString())
            p.roles.append(role.toString());
    }
    return p;
}

QJsonObject ReportSeries::toJson() const
{
    return QJsonObject{{"service", service}, {"series", protocol::toJsonArray(series)}};
}

ReportSeries ReportSeries::fromJson(const QJsonObject &o)
{
    ReportSeries s;
    s.service = o.value(QLatin1String("service")).toString();
    s.series = objects<protocol::SeriesInfo>(o.value(QLatin1String("series")));
    return s;
}

QJsonObject ReportData::toJson() const
{
    QJsonObject o{{"format", format},
                  {"incident", incident.toJson()},
                  {"rollbacks", protocol::toJsonArray(rollbacks)},
                  {"releases", protocol::toJsonArray(releases)},
                  {"firings", protocol::toJsonArray(firings)},
                  {"logs", protocol::toJsonArray(logs)},
                  {"people", protocol::toJsonArray(people)}};
    putTime(o, "generated_at", generatedAtMs);
    putTime(o, "from", fromMs);
    putTime(o, "to", toMs);
    if (series)
        o.insert(QLatin1String("series"), protocol::toJsonArray(*series));
    return o;
}

Result<ReportData> ReportData::fromJson(const QJsonObject &json)
{
    const auto incident = json.value(QLatin1String("incident"));
    if (!incident.isObject())
        return failure(Tr::tr("the report data has no incident"));
    ReportData d;
    d.format = json.value(QLatin1String("format")).toInt(kFormat);
    d.generatedAtMs = timeOf(json, "generated_at");
    d.fromMs = timeOf(json, "from");
    d.toMs = timeOf(json, "to");
    d.incident = protocol::IncidentInfo::fromJson(incident.toObject());
    d.rollbacks = objects<protocol::RollbackInfo>(json.value(QLatin1String("rollbacks")));
    d.releases = objects<protocol::ReleaseInfo>(json.value(QLatin1String("releases")));
    d.firings = objects<ReportFiring>(json.value(QLatin1String("firings")));
    d.logs = objects<ReportLog>(json.value(QLatin1String("logs")));
    d.people = objects<ReportPerson>(json.value(QLatin1String("people")));
    if (json.value(QLatin1String("series")).isArray())
        d.series = objects<ReportSeries>(json.value(QLatin1String("series")));
    // A window that is missing or reversed is taken from what the incident itself says.
    if (d.fromMs <= 0 || d.toMs <= d.fromMs) {
        d.fromMs = d.incident.openedAtMs;
        d.toMs = std::max(d.incident.closedAtMs, d.generatedAtMs);
        for (const auto &entry : d.timeline()) {
            if (d.fromMs <= 0 || entry.atMs < d.fromMs)
                d.fromMs = entry.atMs;
            d.toMs = std::max(d.toMs, entry.atMs);
        }
    }
    return d;
}

Result<ReportData> ReportData::fromJson(const QByteArray &json)
{
    QJsonParseError parseError{};
    const auto doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return failure(
            parseError.error != QJsonParseError::NoError
                ? Tr::tr("the report data is not valid JSON: %1").arg(parseError.errorString())
                : Tr::tr("the report data is not a JSON object"));
    return fromJson(doc.object());
}

const protocol::ReleaseInfo *ReportData::release(qint64 id) const
{
    for (const auto &r : releases) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QList<TimelineEntry> ReportData::timeline() const
{
    using Kind = TimelineEntry::Kind;
    QList<TimelineEntry> out;
    const auto add = [&](qint64 at, Kind kind, const QString &service, const QString &text,
                         const QString &detail = {}) {
        if (at > 0)
            out.append({at, kind, service, text, detail});
    };

    for (const auto &r : releases) {
        QStringList how;
        if (!r.target.isEmpty())
            how.append(Tr::tr("to %1").arg(r.target));
        if (!r.deployedBy.isEmpty())
            how.append(Tr::tr("by %1").arg(r.deployedBy));
        if (!r.pipeline.isEmpty())
            how.append(Tr::tr("pipeline %1").arg(r.pipeline));
        add(r.deployedAtMs, Kind::Deploy, r.service,
            Tr::tr("%1 %2 deployed").arg(r.service, r.version), how.join(u' '));
        add(r.verifiedAtMs, Kind::Verified, r.service,
            Tr::tr("%1 %2 verified").arg(r.service, r.version));
    }
    add(incident.openedAtMs, Kind::IncidentOpened, {},
        Tr::tr("Incident #%1 opened").arg(incident.id), incident.title);
    for (const auto &f : firings) {
        add(f.firing.sinceMs, Kind::Firing, f.firing.service,
            Tr::tr("Rule %1 fired for %2").arg(f.firing.rule, f.firing.service),
            formatFiringValues(f.firing.values));
        add(f.resolvedAtMs, Kind::Resolved, f.firing.service,
            Tr::tr("Rule %1 resolved for %2").arg(f.firing.rule, f.firing.service));
    }
    for (const auto &r : rollbacks) {
        const QString services = r.services().join(QStringLiteral(", "));
        add(r.createdAtMs, Kind::RollbackStarted, services,
            Tr::tr("Rollback #%1 of %2 planned").arg(r.id).arg(services),
            Tr::tr("class %1, trigger %2, requested by %3")
                    .arg(r.rollbackClass, r.trigger, r.requestedBy) +
                (r.reason.isEmpty() ? QString() : QStringLiteral(": ") + r.reason));
        for (const auto &a : r.approvals) {
            add(a.atMs, Kind::Approval, services,
                a.decision == u"rejected"
                    ? Tr::tr("Rollback #%1 rejected by %2").arg(r.id).arg(a.user)
                    : Tr::tr("Rollback #%1 approved by %2").arg(r.id).arg(a.user),
                a.comment);
        }
        for (const auto &s : r.steps) {
            const QString name = s.description.isEmpty() ? s.kind : s.description;
            add(s.startedAtMs, Kind::StepStarted, s.service,
                Tr::tr("Step %1 started: %2").arg(s.index + 1).arg(s.kind), name);
            if (s.finishedAtMs > 0) {
                const QString took = formatDurationMs(
                    s.startedAtMs > 0 ? std::max<qint64>(0, s.finishedAtMs - s.startedAtMs) : 0);
                add(s.finishedAtMs, Kind::StepFinished, s.service,
                    Tr::tr("Step %1 %2: %3").arg(s.index + 1).arg(wireName(s.state), s.kind),
                    s.message.isEmpty() ? Tr::tr("took %1").arg(took)
                                        : Tr::tr("took %1: %2").arg(took, s.message));
            }
        }
        if (r.finishedAtMs > 0)
            add(r.finishedAtMs, Kind::RollbackFinished, services,
                Tr::tr("Rollback #%1 %2").arg(r.id).arg(wireName(r.state)),
                Tr::tr("took %1").arg(formatDurationMs(r.finishedAtMs - r.createdAtMs)) +
                    (r.message.isEmpty() ? QString() : QStringLiteral(": ") + r.message));
    }
    for (const auto &n : incident.notes) {
        add(n.atMs, Kind::Note, {},
            n.kind == u"note" || n.kind.isEmpty() ? Tr::tr("Note by %1").arg(n.author)
                                                  : Tr::tr("%1 (%2)").arg(n.kind, n.author),
            n.text);
    }
    add(incident.closedAtMs, Kind::IncidentClosed, {},
        Tr::tr("Incident #%1 closed").arg(incident.id));
    std::stable_sort(out.begin(), out.end(), [](const TimelineEntry &a, const TimelineEntry &b) {
        return a.atMs < b.atMs;
    });
    return out;
}

QString ReportData::fileName(const QString &extension) const
{
    return QStringLiteral("incident-%1.%2").arg(incident.id).arg(extension);
}

QString formatDurationMs(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    if (ms < 1000)
        return Tr::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return Tr::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    if (ms < 3'600'000)
        return Tr::tr("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
    return Tr::tr("%1 h %2 min").arg(ms / 3'600'000).arg((ms / 60'000) % 60);
}

QString formatFiringValue(const QString &term, const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return Tr::tr("no data");
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? Tr::tr("true") : Tr::tr("false");
    if (!value.isDouble())
        return QStringLiteral("?");
    const double v = value.toDouble();
    if (isRatioTerm(term))
        return Tr::tr("%1 %").arg(QString::number(v * 100.0, 'g', 4));
    return QString::number(v, 'g', 6);
}

QString formatFiringValues(const QJsonObject &values)
{
    QStringList parts;
    for (auto it = values.begin(); it != values.end(); ++it)
        parts.append(QStringLiteral("%1 = %2").arg(it.key(), formatFiringValue(it.key(), *it)));
    return parts.join(QStringLiteral("; "));
}

QString personRoleText(const QString &role)
{
    if (role == u"deployer")
        return Tr::tr("deployed a release");
    if (role == u"requester")
        return Tr::tr("requested a rollback");
    if (role == u"approver")
        return Tr::tr("approved a rollback");
    if (role == u"rejecter")
        return Tr::tr("rejected a rollback");
    if (role == u"note_author")
        return Tr::tr("wrote a note");
    return role;
}

} // namespace rwd::client
