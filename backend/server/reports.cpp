// The Daemon's incident reports: the data a report is made of (GET
// /api/v1/incidents/{id}/report?format=json), drawn as PDF by the same renderer the dashboard
// uses (rewind_report; rewindctl downloads this PDF), or written as Markdown.
#include "apiservice.h"
#include "common/result.h"
#include "executors/logs/logcollector.h"
#include "monitor/metrichistory.h"
#include "report/incidentreport.h"
#include "report/reportdata.h"
#include "store/store.h"

#include <QJsonDocument>

#include <algorithm>

namespace rwd::server {

namespace {

// The report covers the incident from a minute before its first deploy, firing or rollback to
// half a minute after it closed (or until now, while it is open).
constexpr qint64 kLeadMs = 60'000;
constexpr qint64 kTrailMs = 30'000;
// Preserved-log excerpts: the last lines of each archive, bounded in lines, bytes and width.
constexpr int kExcerptLines = 40;
constexpr qint64 kExcerptBytes = 8 * 1024;
constexpr qint64 kExcerptReadBytes = 64 * 1024;
constexpr qsizetype kExcerptLineChars = 400;
// Series are sent with at most this many points; longer windows are downsampled.
constexpr int kMaxSeriesPoints = 600;
// Releases of a service looked through for those deployed during the report's window.
constexpr int kReleasesLookedAt = 200;

// The last lines of a preserved log archive, for the report.
client::ReportLog excerptOf(const protocol::PreservedLog &log)
{
    client::ReportLog out;
    out.log = log;
    const auto tail = executors::LogCollector::readGzipTail(log.path, kExcerptReadBytes);
    if (!tail) {
        out.error = tail.error().message;
        return out;
    }
    const bool cut = tail->cut;
    QStringList lines = QString::fromUtf8(tail->data).split(u'\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    // The first line of a tail that was cut is a partial line: left out.
    if (cut && !lines.isEmpty())
        lines.removeFirst();
    QStringList kept;
    qint64 bytes = 0;
    for (auto it = lines.crbegin(); it != lines.crend() && kept.size() < kExcerptLines; ++it) {
        QString line = executors::LogCollector::maskSecrets(*it);
        line.remove(u'\r');
        if (line.size() > kExcerptLineChars)
            line = line.left(kExcerptLineChars) + QStringLiteral("…");
        bytes += line.toUtf8().size() + 1;
        if (bytes > kExcerptBytes && !kept.isEmpty())
            break;
        kept.prepend(line);
    }
    out.lines = int(kept.size());
    out.excerptCut = cut || kept.size() < lines.size();
    out.excerpt = kept.join(u'\n');
    return out;
}

// At most kMaxSeriesPoints points, each the largest value of the steps it stands for (a spike
// stays visible).
protocol::SeriesInfo downsampled(protocol::SeriesInfo s)
{
    if (s.points.size() <= kMaxSeriesPoints || s.stepMs <= 0)
        return s;
    const qint64 span = s.points.last().first - s.points.first().first;
    const qint64 factor =
        std::max<qint64>(2, (span / s.stepMs + kMaxSeriesPoints) / kMaxSeriesPoints);
    const qint64 step = s.stepMs * factor;
    QList<QPair<qint64, double>> points;
    for (const auto &[t, v] : std::as_const(s.points)) {
        const qint64 bucket = t - t % step;
        if (!points.isEmpty() && points.last().first == bucket)
            points.last().second = std::max(points.last().second, v);
        else
            points.append({bucket, v});
    }
    s.points = points;
    s.stepMs = step;
    return s;
}

void addPerson(QList<client::ReportPerson> &people, const QString &name, const QString &role)
{
    if (name.isEmpty())
        return;
    for (auto &p : people) {
        if (p.name == name) {
            if (!p.roles.contains(role))
                p.roles.append(role);
            return;
        }
    }
    people.append({name, {role}});
}

QString mdCell(QString text)
{
    return text.replace(u'|', QStringLiteral("\\|")).replace(u'\n', u' ');
}

QString mdDuration(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

} // namespace

client::ReportData ApiService::reportData(const protocol::IncidentInfo &i) const
{
    client::ReportData d;
    const qint64 now = m_clock.nowMs();
    d.generatedAtMs = now;
    d.incident = i;

    QStringList services = i.services;
    qint64 start = i.openedAtMs > 0 ? i.openedAtMs : now;
    qint64 end = i.open || i.closedAtMs <= 0 ? now : i.closedAtMs;
    QList<qint64> releaseIds;
    QList<qint64> rolledBackIds;
    for (const auto rollbackId : i.rollbacks) {
        auto r = m_store->rollbacks().find(rollbackId);
        // The orchestrator's copy of a running plan is the fresher one.
        for (const auto &active : m_orchestrator->active()) {
            if (active.id == rollbackId)
                r = active;
        }
        if (!r)
            continue;
        for (const auto &t : r->targets) {
            if (!services.contains(t.service))
                services.append(t.service);
            releaseIds.append(t.fromReleaseId);
            releaseIds.append(t.toReleaseId);
            rolledBackIds.append(t.fromReleaseId);
        }
        if (r->createdAtMs > 0)
            start = std::min(start, r->createdAtMs);
        end = std::max(end, r->finishedAtMs);
        d.rollbacks.append(*r);
    }
    QList<protocol::ReleaseInfo> releases;
    for (const auto id : std::as_const(releaseIds)) {
        if (id <= 0 || std::any_of(releases.begin(), releases.end(),
                                   [id](const auto &r) { return r.id == id; }))
            continue;
        if (auto r = m_store->releases().find(id)) {
            releases.append(*r);
            // The deploy of a release that was rolled back opens the window.
            if (rolledBackIds.contains(r->id) && r->deployedAtMs > 0)
                start = std::min(start, r->deployedAtMs);
        }
    }
    d.fromMs = start - kLeadMs;
    d.toMs = std::min(now, end + kTrailMs);
    if (d.toMs <= d.fromMs)
        d.toMs = d.fromMs + kLeadMs;

    // Other releases of the services that went out during the window.
    for (const auto &service : std::as_const(services)) {
        for (const auto &r : m_store->releases().list(service, kReleasesLookedAt)) {
            if (r.deployedAtMs < d.fromMs)
                break; // newest first: the rest are older
            if (r.deployedAtMs <= d.toMs &&
                std::none_of(releases.begin(), releases.end(),
                             [&](const auto &known) { return known.id == r.id; }))
                releases.append(r);
        }
    }
    std::sort(releases.begin(), releases.end(), [](const auto &a, const auto &b) {
        return a.deployedAtMs != b.deployedAtMs ? a.deployedAtMs < b.deployedAtMs : a.id < b.id;
    });
    d.releases = releases;

    for (const auto &f : m_store->firings().list(services, d.fromMs, d.toMs, i.id))
        d.firings.append({f.id, f.info, f.resolvedAtMs});
    for (const auto &log : i.logs)
        d.logs.append(excerptOf(log));

    for (const auto &r : std::as_const(d.releases))
        addPerson(d.people, r.deployedBy, QStringLiteral("deployer"));
    for (const auto &r : std::as_const(d.rollbacks)) {
        addPerson(d.people, r.requestedBy, QStringLiteral("requester"));
        for (const auto &a : r.approvals)
            addPerson(d.people, a.user,
                      a.decision == u"rejected" ? QStringLiteral("rejecter")
                                                : QStringLiteral("approver"));
    }
    for (const auto &n : i.notes)
        addPerson(d.people, n.author, QStringLiteral("note_author"));

    if (m_history) {
        QList<client::ReportSeries> all;
        for (const auto &service : std::as_const(services)) {
            client::ReportSeries group{service, {}};
            for (auto &s : m_history->series(service, d.fromMs, d.toMs)) {
                if (!s.points.isEmpty())
                    group.series.append(downsampled(std::move(s)));
            }
            if (!group.series.isEmpty())
                all.append(group);
        }
        d.series = all;
    }
    return d;
}

QByteArray ApiService::markdownReport(const client::ReportData &d)
{
    const auto &i = d.incident;
    QString md;
    md += QStringLiteral("# Incident #%1: %2\n\n").arg(i.id).arg(i.title);
    md +=
        QStringLiteral("- Services: %1\n- Severity: %2\n- Opened: %3\n- %4\n\n")
            .arg(i.services.join(QStringLiteral(", ")), i.severity, protocol::isoTime(i.openedAtMs),
                 i.open ? QStringLiteral("Still open")
                        : QStringLiteral("Closed: %1").arg(protocol::isoTime(i.closedAtMs)));
    if (!d.firings.isEmpty()) {
        md += QStringLiteral("## Rules that fired\n\n");
        for (const auto &f : d.firings)
            md += QStringLiteral("- %1 — %2 for %3 (%4): `%5`; %6\n")
                      .arg(protocol::isoTime(f.firing.sinceMs), f.firing.rule, f.firing.service,
                           f.firing.severity, f.firing.expression,
                           client::formatFiringValues(f.firing.values));
        md += u'\n';
    }
    for (const auto &r : d.rollbacks) {
        md += QStringLiteral("## Rollback #%1 (%2, %3)\n\n")
                  .arg(r.id)
                  .arg(wireName(r.state), r.rollbackClass);
        md += QStringLiteral("- Trigger: %1\n- Reason: %2\n- Requested by: %3\n- Duration: %4\n")
                  .arg(r.trigger, r.reason, r.requestedBy,
                       mdDuration(r.finishedAtMs > 0 ? r.finishedAtMs - r.createdAtMs : 0));
        if (!r.message.isEmpty())
            md += QStringLiteral("- Outcome: %1\n").arg(r.message);
        for (const auto &a : r.approvals)
            md += QStringLiteral("- %1 by %2 at %3%4\n")
                      .arg(a.decision == u"approved" ? QStringLiteral("Approved")
                                                     : QStringLiteral("Rejected"),
                           a.user, protocol::isoTime(a.atMs),
                           a.comment.isEmpty() ? QString() : QStringLiteral(": ") + a.comment);
        md += QStringLiteral("\n| service | from | to | strategy |\n|---|---|---|---|\n");
        for (const auto &t : r.targets)
            md += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                      .arg(t.service, t.fromVersion, t.toVersion, t.strategy);
        md += QStringLiteral(
            "\n| # | service | step | state | took | message |\n|---|---|---|---|---|---|\n");
        for (const auto &s : r.steps)
            md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                      .arg(s.index + 1)
                      .arg(s.service, mdCell(s.description), wireName(s.state),
                           mdDuration(s.finishedAtMs > 0 ? s.finishedAtMs - s.startedAtMs : 0),
                           mdCell(s.message));
        md += u'\n';
    }
    if (!i.notes.isEmpty()) {
        md += QStringLiteral("## Timeline and notes\n\n");
        for (const auto &n : i.notes)
            md += QStringLiteral("- %1 — %2 (%3): %4\n")
                      .arg(protocol::isoTime(n.atMs), n.author, n.kind, n.text);
        md += u'\n';
    }
    if (!d.logs.isEmpty()) {
        md += QStringLiteral("## Preserved logs\n\n");
        for (const auto &l : d.logs) {
            md += QStringLiteral("- %1 (%2): `%3`, %4 bytes%5\n")
                      .arg(l.log.service, l.log.source, l.log.path)
                      .arg(l.log.bytes)
                      .arg(l.log.truncated ? QStringLiteral(", truncated") : QString());
            if (!l.excerpt.isEmpty()) {
                // A fence longer than any run of backticks in the excerpt.
                QString fence = QStringLiteral("```");
                while (l.excerpt.contains(fence))
                    fence += u'`';
                md += QStringLiteral("\n  %1 the last %2 lines\n").arg(fence).arg(l.lines);
                for (const auto &line : l.excerpt.split(u'\n'))
                    md += QStringLiteral("  ") + line + u'\n';
                md += QStringLiteral("  %1\n").arg(fence);
            }
        }
        md += u'\n';
    }
    if (!d.people.isEmpty()) {
        md += QStringLiteral("## People involved\n\n");
        for (const auto &p : d.people)
            md += QStringLiteral("- %1: %2\n").arg(p.name, p.roles.join(QStringLiteral(", ")));
        md += u'\n';
    }
    return md.toUtf8();
}

Result<api::ApiBackend::Report> ApiService::incidentReport(const api::Caller &caller, qint64 id,
                                                           ReportFormat format)
{
    const auto i = incident(caller.who, id);
    if (!i)
        return Error{QStringLiteral("not_found"), QStringLiteral("no incident #%1").arg(id)};
    if (format == ReportFormat::Pdf && !client::canRenderReports())
        return Error{QStringLiteral("pdf_unavailable"),
                     QStringLiteral("this rewindd cannot draw PDF reports (it runs without a "
                                    "graphical application); ask for format=json and render it "
                                    "with the dashboard, or for format=md")};
    const auto data = reportData(*i);
    Report report;
    switch (format) {
    case ReportFormat::Markdown:
        report = {"text/markdown; charset=utf-8", markdownReport(data), data.fileName("md")};
        break;
    case ReportFormat::Json:
        report = {"application/json", QJsonDocument(data.toJson()).toJson(QJsonDocument::Compact),
                  data.fileName("json")};
        break;
    case ReportFormat::Pdf: {
        client::ReportOptions options;
        options.producer = QStringLiteral("rewindd");
        auto pdf = client::incidentReportPdf(data, options);
        if (!pdf)
            return Error{
                QStringLiteral("pdf_unavailable"),
                QStringLiteral("the PDF report could not be drawn: %1").arg(pdf.error().message)};
        report = {"application/pdf", *std::move(pdf), data.fileName("pdf")};
        break;
    }
    }
    auditCommand(caller, QStringLiteral("report_downloaded"),
                 QStringLiteral("incident #%1").arg(id),
                 {{"format", report.fileName.section(u'.', -1)}});
    return report;
}

} // namespace rwd::server
