#include "commands.h"

#include "client/sync/syncrest.h"
#include "common/protocol.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>
#include <optional>
#include <unistd.h>

namespace rwd::ctl {

namespace {

client::RestResult call(client::RestClient &rest, const QByteArray &method, const QString &path,
                        const QJsonObject &body = {})
{
    return client::callAndWait(rest, method, path, body);
}

int report(Context &ctx, const client::RestResult &r)
{
    if (r.ok())
        return Ok;
    *ctx.err << "rewindctl: " << r.error->message << " (" << r.error->code << ")\n";
    return r.status == 0 ? Unreachable : Failed;
}

QString pad(const QString &text, int width)
{
    return text.leftJustified(width, u' ');
}

QString releaseText(const std::optional<protocol::ReleaseInfo> &r)
{
    if (!r)
        return QStringLiteral("-");
    QString text = r->version;
    if (!r->target.isEmpty())
        text += u'@' + r->target;
    return text + QStringLiteral(" (") + wireName(r->state) + u')';
}

QString ago(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

} // namespace

int status(Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("rollbacks"),
                      QStringLiteral("How many recent rollbacks to show (default 5)."),
                      QStringLiteral("n"), QStringLiteral("5")});
    if (!parser.parse(QStringList{QStringLiteral("status")} + args)) {
        *ctx.err << "rewindctl status: " << parser.errorText() << "\n";
        return Usage;
    }
    const auto statusResult = call(*ctx.rest, "GET", QStringLiteral("/api/v1/status"));
    if (!statusResult.ok())
        return report(ctx, statusResult);
    const auto rollbacksResult = call(*ctx.rest, "GET",
                                      QStringLiteral("/api/v1/rollbacks?limit=%1")
                                          .arg(parser.value(QStringLiteral("rollbacks"))));
    if (!rollbacksResult.ok())
        return report(ctx, rollbacksResult);
    if (ctx.json) {
        QJsonObject combined = statusResult.body.object();
        combined.insert(QStringLiteral("rollbacks"),
                        rollbacksResult.body.object().value(QLatin1String("rollbacks")));
        *ctx.out << QJsonDocument(combined).toJson(QJsonDocument::Indented);
        return Ok;
    }
    auto &out = *ctx.out;
    out << pad(QStringLiteral("SERVICE"), 14) << pad(QStringLiteral("ENVIRONMENT"), 13)
        << pad(QStringLiteral("HEALTH"), 10) << pad(QStringLiteral("CURRENT"), 26)
        << pad(QStringLiteral("LAST GOOD"), 26) << QStringLiteral("FIRING") << "\n";
    for (const auto &v : statusResult.body.object().value(QLatin1String("services")).toArray()) {
        const auto s = protocol::ServiceStatus::fromJson(v.toObject());
        QStringList firing;
        for (const auto &f : s.firings)
            firing.append(QStringLiteral("%1 (%2)").arg(f.rule, f.severity));
        out << pad(s.name, 14) << pad(s.environment, 13) << pad(wireName(s.health), 10)
            << pad(releaseText(s.current), 26) << pad(releaseText(s.lastGood), 26)
            << (firing.isEmpty() ? QStringLiteral("-") : firing.join(QStringLiteral(", "))) << "\n";
        // Why the live release is, or is not yet, verified.
        if (s.current && s.current->state == ReleaseState::Live &&
            !s.current->verification.isEmpty())
            out << "    " << s.current->verification.summary << "\n";
        for (const auto &e : s.checkErrors)
            out << "    check " << e.check << ": Rewind cannot probe it (" << e.error << ", "
                << e.count << " time(s) since " << ago(e.sinceMs) << ")\n";
    }
    const auto rollbacks =
        rollbacksResult.body.object().value(QLatin1String("rollbacks")).toArray();
    out << "\n"
        << (rollbacks.isEmpty() ? QStringLiteral("No rollbacks yet.")
                                : QStringLiteral("Recent rollbacks:"))
        << "\n";
    for (const auto &v : rollbacks) {
        const auto r = protocol::RollbackInfo::fromJson(v.toObject());
        QStringList targets;
        for (const auto &t : r.targets)
            targets.append(
                QStringLiteral("%1 %2 -> %3").arg(t.service, t.fromVersion, t.toVersion));
        out << "  #" << r.id << "  " << pad(wireName(r.state), 18) << pad(ago(r.createdAtMs), 25)
            << targets.join(QStringLiteral(", ")) << "  [" << r.trigger << "]\n";
        for (const auto &s : r.steps) {
            const qint64 took = s.finishedAtMs > 0 ? s.finishedAtMs - s.startedAtMs : 0;
            out << "      " << (s.index + 1) << ". " << pad(wireName(s.state), 10)
                << pad(took > 0 ? QStringLiteral("%1 ms").arg(took) : QStringLiteral("-"), 10)
                << s.description << "\n";
        }
    }
    return Ok;
}

int deployRecord(Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    const QList<QCommandLineOption> options{
        {QStringLiteral("service"), QStringLiteral("Service that was deployed."),
         QStringLiteral("name")},
        {QStringLiteral("version"), QStringLiteral("Version that was deployed."),
         QStringLiteral("version")},
        {QStringLiteral("target"), QStringLiteral("Where it runs (e.g. blue or green)."),
         QStringLiteral("target")},
        {QStringLiteral("artifact"), QStringLiteral("Image tag or asset reference."),
         QStringLiteral("artifact")},
        {QStringLiteral("pipeline"), QStringLiteral("CI pipeline or run that deployed it."),
         QStringLiteral("pipeline")},
        {QStringLiteral("by"), QStringLiteral("Who deployed it."), QStringLiteral("who")},
        {QStringLiteral("metadata"),
         QStringLiteral("Metadata for executors, NAME=VALUE (repeatable)."),
         QStringLiteral("name=value")},
        {QStringLiteral("override-freeze"),
         QStringLiteral("Record it even though deployments are frozen, for this reason."),
         QStringLiteral("reason")},
    };
    parser.addOptions(options);
    if (!parser.parse(QStringList{QStringLiteral("deploy record")} + args)) {
        *ctx.err << "rewindctl deploy record: " << parser.errorText() << "\n";
        return Usage;
    }
    if (!parser.isSet(QStringLiteral("service")) || !parser.isSet(QStringLiteral("version"))) {
        *ctx.err << "rewindctl deploy record: --service and --version are required\n";
        return Usage;
    }
    QJsonObject body{{"service", parser.value(QStringLiteral("service"))},
                     {"version", parser.value(QStringLiteral("version"))}};
    const QList<QPair<QString, QString>> optional{
        {QStringLiteral("target"), QStringLiteral("target")},
        {QStringLiteral("artifact"), QStringLiteral("artifact")},
        {QStringLiteral("pipeline"), QStringLiteral("pipeline")},
        {QStringLiteral("by"), QStringLiteral("deployed_by")}};
    for (const auto &[option, key] : optional) {
        if (parser.isSet(option))
            body.insert(key, parser.value(option));
    }
    QJsonObject metadata;
    for (const auto &pair : parser.values(QStringLiteral("metadata"))) {
        const auto eq = pair.indexOf(u'=');
        if (eq <= 0) {
            *ctx.err << "rewindctl deploy record: --metadata takes NAME=VALUE, not '" << pair
                     << "'\n";
            return Usage;
        }
        metadata.insert(pair.left(eq), pair.mid(eq + 1));
    }
    if (!metadata.isEmpty())
        body.insert(QStringLiteral("metadata"), metadata);
    if (parser.isSet(QStringLiteral("override-freeze")))
        body.insert(QStringLiteral("override_freeze"),
                    parser.value(QStringLiteral("override-freeze")));
    const auto r = call(*ctx.rest, "POST", QStringLiteral("/api/v1/deployments"), body);
    if (!r.ok())
        return report(ctx, r);
    const auto release = protocol::ReleaseInfo::fromJson(r.body.object());
    if (ctx.json)
        *ctx.out << r.body.toJson(QJsonDocument::Indented);
    else
        *ctx.out << "recorded release #" << release.id << ": " << release.service << " "
                 << release.version
                 << (release.target.isEmpty() ? QString() : u'@' + release.target) << "\n";
    return Ok;
}

namespace {

void printPlan(QTextStream &out, const protocol::RollbackInfo &r)
{
    if (r.dryRun)
        out << "Plan (dry run, nothing executed), class " << r.rollbackClass << ": ";
    else
        out << "Rollback #" << r.id << " " << wireName(r.state) << ", class " << r.rollbackClass
            << ": ";
    out << r.targets.size() << " target(s), " << r.steps.size() << " step(s)\n";
    for (const auto &t : r.targets)
        out << "  " << pad(t.service, 12)
            << pad(t.fromVersion + QStringLiteral(" -> ") + t.toVersion, 22) << t.strategy
            << (t.after.isEmpty() ? QString()
                                  : QStringLiteral(", after ") + t.after.join(QStringLiteral(", ")))
            << "\n";
    out << "Steps:\n";
    for (const auto &s : r.steps) {
        QStringList waits;
        for (const int a : s.after)
            waits.append(QString::number(a + 1));
        QString note;
        if (s.onFailure)
            note = QStringLiteral("  (only if a step of %1 fails").arg(s.service) +
                   (waits.isEmpty() ? QString() : QStringLiteral(", after ") + waits.join(u',')) +
                   u')';
        else if (!waits.isEmpty())
            note = QStringLiteral("  (after ") + waits.join(u',') + u')';
        out << "  " << QString::number(s.index + 1).rightJustified(3) << ". " << pad(s.service, 10)
            << pad(s.kind, 18) << s.description << note << "\n";
    }
    if (!r.dryRun && !r.message.isEmpty())
        out << r.message << "\n";
}

// A rollback the server answered with: as JSON, or as its plan.
int printRollback(Context &ctx, const client::RestResult &r)
{
    if (!r.ok())
        return report(ctx, r);
    if (ctx.json)
        *ctx.out << r.body.toJson(QJsonDocument::Indented);
    else
        printPlan(*ctx.out, protocol::RollbackInfo::fromJson(r.body.object()));
    return Ok;
}

} // namespace

int rollback(Context &ctx, const QStringList &args, bool dryRun)
{
    const QString name =
        dryRun ? QStringLiteral("rollback plan") : QStringLiteral("rollback request");
    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("service"), QStringLiteral("A service to roll back (repeatable)."),
         QStringLiteral("name")},
        {QStringLiteral("class"), QStringLiteral("fast (default), immediate or gradual."),
         QStringLiteral("class"), QStringLiteral("fast")},
        {QStringLiteral("version"), QStringLiteral("Target version of a service, SERVICE=VERSION."),
         QStringLiteral("service=version")},
        {QStringLiteral("reason"), QStringLiteral("Why (required for a request)."),
         QStringLiteral("text")},
    });
    if (!parser.parse(QStringList{name} + args)) {
        *ctx.err << "rewindctl " << name << ": " << parser.errorText() << "\n";
        return Usage;
    }
    const auto services = parser.values(QStringLiteral("service"));
    if (services.isEmpty() || (!dryRun && !parser.isSet(QStringLiteral("reason")))) {
        *ctx.err << "rewindctl " << name << ": --service is required"
                 << (dryRun ? "" : ", and so is --reason") << "\n";
        return Usage;
    }
    QJsonObject body{{"services", QJsonArray::fromStringList(services)},
                     {"class", parser.value(QStringLiteral("class"))},
                     {"reason", parser.isSet(QStringLiteral("reason"))
                                    ? parser.value(QStringLiteral("reason"))
                                    : QStringLiteral("dry run from rewindctl")},
                     {"dry_run", dryRun}};
    QJsonObject versions;
    for (const auto &pair : parser.values(QStringLiteral("version"))) {
        const auto eq = pair.indexOf(u'=');
        if (eq <= 0) {
            *ctx.err << "rewindctl " << name << ": --version takes SERVICE=VERSION, not '" << pair
                     << "'\n";
            return Usage;
        }
        versions.insert(pair.left(eq), pair.mid(eq + 1));
    }
    if (!versions.isEmpty())
        body.insert(QStringLiteral("versions"), versions);
    return printRollback(ctx, call(*ctx.rest, "POST", QStringLiteral("/api/v1/rollbacks"), body));
}

int deployGate(Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("service"), QStringLiteral("The service deployed."),
         QStringLiteral("name")},
        {QStringLiteral("version"), QStringLiteral("The version deployed."),
         QStringLiteral("version")},
        {QStringLiteral("timeout"),
         QStringLiteral("Give up after this many seconds (default 1800)."),
         QStringLiteral("seconds"), QStringLiteral("1800")},
        {QStringLiteral("interval"), QStringLiteral("Seconds between checks (default 2)."),
         QStringLiteral("seconds"), QStringLiteral("2")},
    });
    if (!parser.parse(QStringList{QStringLiteral("deploy gate")} + args)) {
        *ctx.err << "rewindctl deploy gate: " << parser.errorText() << "\n";
        return Usage;
    }
    const QString service = parser.value(QStringLiteral("service"));
    const QString version = parser.value(QStringLiteral("version"));
    bool ok1 = false;
    bool ok2 = false;
    const double timeout = parser.value(QStringLiteral("timeout")).toDouble(&ok1);
    const double interval = parser.value(QStringLiteral("interval")).toDouble(&ok2);
    if (service.isEmpty() || version.isEmpty() || !ok1 || !ok2 || timeout <= 0 || interval <= 0) {
        *ctx.err << "rewindctl deploy gate: --service and --version are required; --timeout and "
                    "--interval are positive numbers of seconds\n";
        return Usage;
    }
    QElapsedTimer elapsed;
    elapsed.start();
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    QString last;
    while (true) {
        const auto r = call(*ctx.rest, "GET",
                            QStringLiteral("/api/v1/releases?service=%1&limit=50").arg(service));
        if (!r.ok())
            return report(ctx, r);
        std::optional<protocol::ReleaseInfo> release;
        for (const auto &v : r.body.object().value(QLatin1String("releases")).toArray()) {
            const auto candidate = protocol::ReleaseInfo::fromJson(v.toObject());
            if (candidate.version == version) {
                release = candidate;
                break; // newest first
            }
        }
        if (!release) {
            *ctx.err << "rewindctl deploy gate: no deployment of " << service << " " << version
                     << " has been recorded\n";
            return Failed;
        }
        const QString state = wireName(release->state);
        const auto &verdict = release->verification;
        // The state, and how verification is going: when it changes, at most every 30 s.
        const QString seen = state + u'/' + verdict.state;
        if (!ctx.json && (seen != last || sinceProgress.elapsed() >= 30'000)) {
            *ctx.out << service << " " << version << ": " << state;
            if (release->state == ReleaseState::Live && !verdict.isEmpty())
                *ctx.out << " - " << verdict.summary;
            *ctx.out << "\n";
            sinceProgress.restart();
        }
        ctx.out->flush();
        last = seen;
        // A live release whose verification ended without `verified` will never be verified.
        if (release->state == ReleaseState::Live && verdict.final && verdict.state != u"verified") {
            if (ctx.json)
                *ctx.out << QJsonDocument(release->toJson()).toJson(QJsonDocument::Indented);
            else
                *ctx.err << "rewindctl deploy gate: " << service << " " << version
                         << " was not verified: " << verdict.summary << "\n";
            return RolledBack;
        }
        switch (release->state) {
        case ReleaseState::Verified:
            if (ctx.json)
                *ctx.out << QJsonDocument(release->toJson()).toJson(QJsonDocument::Indented);
            return Ok;
        case ReleaseState::Failed:
        case ReleaseState::RolledBack:
        case ReleaseState::Superseded:
            if (ctx.json)
                *ctx.out << QJsonDocument(release->toJson()).toJson(QJsonDocument::Indented);
            else
                *ctx.err << "rewindctl deploy gate: " << service << " " << version << " is "
                         << state << "\n";
            return RolledBack;
        case ReleaseState::Deploying:
        case ReleaseState::Live:
            break;
        }
        if (elapsed.elapsed() >= qint64(timeout * 1000)) {
            *ctx.err << "rewindctl deploy gate: " << service << " " << version << " is still "
                     << state << " after " << timeout << " s\n";
            return TimedOut;
        }
        client::waitMs(int(interval * 1000));
    }
}

int rollbackDecision(Context &ctx, const QString &verb, const QStringList &args)
{
    QCommandLineParser parser;
    const QString key = verb == u"abort" ? QStringLiteral("reason") : QStringLiteral("comment");
    parser.addOption({key, QStringLiteral("Why."), QStringLiteral("text")});
    parser.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The rollback's number."));
    if (!parser.parse(QStringList{QStringLiteral("rollback ") + verb} + args) ||
        parser.positionalArguments().size() != 1) {
        *ctx.err << "rewindctl rollback " << verb << ": "
                 << (parser.errorText().isEmpty() ? QStringLiteral("give the rollback's number")
                                                  : parser.errorText())
                 << "\n";
        return Usage;
    }
    bool ok = false;
    const qint64 id = parser.positionalArguments().first().toLongLong(&ok);
    if (!ok || id <= 0) {
        *ctx.err << "rewindctl rollback " << verb << ": '" << parser.positionalArguments().first()
                 << "' is not a rollback number\n";
        return Usage;
    }
    QJsonObject body;
    if (parser.isSet(key))
        body.insert(key, parser.value(key));
    return printRollback(
        ctx,
        call(*ctx.rest, "POST", QStringLiteral("/api/v1/rollbacks/%1/%2").arg(id).arg(verb), body));
}

int incidents(Context &ctx, const QStringList &args)
{
    if (!args.isEmpty()) {
        bool ok = false;
        const qint64 id = args.first().toLongLong(&ok);
        if (!ok || id <= 0 || args.size() > 1) {
            *ctx.err << "rewindctl incidents: give at most one incident number, not '"
                     << args.join(u' ') << "'\n";
            return Usage;
        }
        const auto r = call(*ctx.rest, "GET", QStringLiteral("/api/v1/incidents/%1").arg(id));
        if (!r.ok())
            return report(ctx, r);
        if (ctx.json) {
            *ctx.out << r.body.toJson(QJsonDocument::Indented);
            return Ok;
        }
        const auto i = protocol::IncidentInfo::fromJson(r.body.object());
        *ctx.out << "Incident #" << i.id << " (" << (i.open ? "open" : "closed") << "): " << i.title
                 << "\n  services: " << i.services.join(QStringLiteral(", "))
                 << "\n  opened:   " << ago(i.openedAtMs) << "\n";
        for (const auto rollbackId : i.rollbacks)
            *ctx.out << "  rollback #" << rollbackId << "\n";
        for (const auto &n : i.notes)
            *ctx.out << "  " << ago(n.atMs) << "  " << n.author << " (" << n.kind << "): " << n.text
                     << "\n";
        for (const auto &l : i.logs)
            *ctx.out << "  log " << l.service << ": " << l.source << " -> " << l.path << "\n";
        return Ok;
    }
    const auto r = call(*ctx.rest, "GET", QStringLiteral("/api/v1/incidents?limit=50"));
    if (!r.ok())
        return report(ctx, r);
    if (ctx.json) {
        *ctx.out << r.body.toJson(QJsonDocument::Indented);
        return Ok;
    }
    const auto list = r.body.object().value(QLatin1String("incidents")).toArray();
    if (list.isEmpty())
        *ctx.out << "No incidents.\n";
    for (const auto &v : list) {
        const auto i = protocol::IncidentInfo::fromJson(v.toObject());
        *ctx.out << "#" << i.id << "  "
                 << pad(i.open ? QStringLiteral("open") : QStringLiteral("closed"), 8)
                 << pad(ago(i.openedAtMs), 25) << i.title << "\n";
    }
    return Ok;
}

namespace {

enum class ReportFormat
{
    Markdown,
    Json,
    Pdf,
};

// --format wins; else -o's extension (.pdf, .json; anything else is Markdown); else the global
// --json; else Markdown.
std::optional<ReportFormat> reportFormat(const QString &format, const QString &output, bool json)
{
    if (!format.isEmpty()) {
        if (format == u"pdf")
            return ReportFormat::Pdf;
        if (format == u"json")
            return ReportFormat::Json;
        if (format == u"md" || format == u"markdown")
            return ReportFormat::Markdown;
        return std::nullopt;
    }
    if (output.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return ReportFormat::Pdf;
    if (output.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) || json)
        return ReportFormat::Json;
    return ReportFormat::Markdown;
}

void addReportOptions(QCommandLineParser &parser)
{
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write the report to this file (default: standard output)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("pdf, md or json (default: from the file's extension, else "
                                     "md)."),
                      QStringLiteral("format")});
    parser.addPositionalArgument(QStringLiteral("incident"),
                                 QStringLiteral("The incident's number."));
}

} // namespace

int report(Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    addReportOptions(parser);
    if (!parser.parse(QStringList{QStringLiteral("report")} + args) ||
        parser.positionalArguments().size() != 1) {
        *ctx.err << "rewindctl report: give the incident's number\n";
        return Usage;
    }
    const QString output = parser.value(QStringLiteral("output"));
    const auto format = reportFormat(parser.value(QStringLiteral("format")), output, ctx.json);
    if (!format) {
        *ctx.err << "rewindctl report: --format must be pdf, md or json\n";
        return Usage;
    }
    if (*format == ReportFormat::Pdf && output.isEmpty() && isatty(fileno(stdout))) {
        *ctx.err << "rewindctl report: a PDF is not for the terminal: give -o FILE.pdf\n";
        return Usage;
    }
    // Every format comes from the server as it is: rewindd writes the Markdown and draws the PDF
    // (with the renderer the dashboard uses), so rewindctl needs no fonts and no Qt Gui.
    const QString formatName = *format == ReportFormat::Pdf        ? QStringLiteral("pdf")
                               : *format == ReportFormat::Markdown ? QStringLiteral("md")
                                                                   : QStringLiteral("json");
    const QString path = QStringLiteral("/api/v1/incidents/%1/report?format=%2")
                             .arg(parser.positionalArguments().first(), formatName);
    QByteArray body;
    const auto r = client::fetchAndWait(*ctx.rest, path, &body);
    if (!r.ok())
        return report(ctx, r);

    if (*format == ReportFormat::Json)
        body = QJsonDocument::fromJson(body).toJson(QJsonDocument::Indented);
    if (output.isEmpty()) {
        ctx.out->flush();
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(body) != body.size()) {
            *ctx.err << "rewindctl report: cannot write to standard output\n";
            return Failed;
        }
        return Ok;
    }
    // Written whole or not at all: a half-written report is never left behind.
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly) || file.write(body) != body.size() || !file.commit()) {
        *ctx.err << "rewindctl report: cannot write " << output << ": " << file.errorString()
                 << "\n";
        return Failed;
    }
    *ctx.out << "wrote " << output << " (" << body.size() << " bytes)\n";
    return Ok;
}

} // namespace rwd::ctl
