// The incident report of a real incident: rewind-fleet behind a real nginx, a bad release of api
// detected by Rewind, its rollback approved by a person and run (the fleet's log preserved
// first), a note added. The report's data comes from the API; the PDF is drawn by rewindd, and
// fetched both by rewindctl (`report -o FILE.pdf`) and straight from the API (format=pdf);
// pdftotext must find in both what the incident was about, and the first two pages rendered by
// pdftoppm must not be blank. The PDFs, their text and the page images are kept in the test
// output directory.
#include "client/sync/syncrest.h"
#include "programs.h"
#include "report/reportdata.h"
#include "results.h"
#include "scenario.h"
#include "screencheck.h"

#include <QDir>
#include <QImage>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

using namespace rwd;

namespace {

constexpr int kRollbackTimeoutMs = 90'000;
// Enough bad requests through nginx for the charts to show the errors before the rollback.
constexpr qint64 kBadRequests = 150;

// Why a REST call failed, for a test's message (QVERIFY2 evaluates it even when the call worked).
QByteArray failure(const client::RestResult &r)
{
    return r.ok() ? QByteArray()
                  : (r.error->code + QStringLiteral(": ") + r.error->message).toUtf8();
}

QString outputDir()
{
    QString dir = QDir(QStringLiteral(REWIND_TEST_OUTPUT_DIR)).filePath(QStringLiteral("report"));
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<drill::Scenario> m_scenario;
    protocol::RollbackInfo m_rollback;
    qint64 m_incident = 0;
    client::ReportData m_data;
    const QString m_note = QStringLiteral("Root cause: v1.2 shipped with a connection pool of 2; "
                                          "the fix goes out as v1.3 after review.");

    QStringList ctl(const QStringList &args) const
    {
        return QStringList{QStringLiteral("--server"), m_scenario->rewindUrl().toString(),
                           QStringLiteral("--token-file"), m_scenario->tokenFile()} +
               args;
    }

    // What pdftotext finds in `pdf`, whitespace collapsed (table cells wrap their text).
    static QString pdfText(const QString &pdf)
    {
        const auto text = testing::runProgram(QStringLiteral("pdftotext"),
                                              {QStringLiteral("-raw"), QStringLiteral("-enc"),
                                               QStringLiteral("UTF-8"), pdf, QStringLiteral("-")});
        if (text.exitCode != 0)
            qWarning("pdftotext %s: %s", qPrintable(pdf), qPrintable(text.err));
        QFile saved(pdf + QStringLiteral(".txt"));
        if (saved.open(QIODevice::WriteOnly))
            saved.write(text.out.toUtf8());
        return text.out.simplified();
    }

    // The report's text says what happened, and its first two pages are real pictures.
    void checkPdf(const QString &pdf, const QString &pagesPrefix)
    {
        QFile file(pdf);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(pdf));
        QVERIFY(file.read(5) == "%PDF-");
        const QString text = pdfText(pdf);
        QVERIFY2(!text.isEmpty(), "pdftotext found no text");
        QStringList expected{m_data.incident.title,  QStringLiteral("Incident #%1").arg(m_incident),
                             QStringLiteral("api"),  QStringLiteral("v1.2"),
                             QStringLiteral("v1.1"), m_note};
        for (const auto &step : m_rollback.steps)
            expected.append(step.kind);
        QVERIFY(!m_data.firings.isEmpty());
        const auto &firing = m_data.firings.first().firing;
        expected.append(firing.rule);
        for (auto it = firing.values.begin(); it != firing.values.end(); ++it)
            expected.append(
                QStringLiteral("%1 = %2").arg(it.key(), client::formatFiringValue(it.key(), *it)));
        for (const auto &person : m_data.people)
            expected.append(person.name);
        for (const auto &approval : m_rollback.approvals)
            expected.append(approval.comment);
        expected.append(QStringLiteral("Page 1 of"));
        for (const auto &e : std::as_const(expected))
            QVERIFY2(text.contains(e.simplified()),
                     qPrintable(QStringLiteral("'%1' is not in the text of %2").arg(e, pdf)));

        const QString prefix = QDir(outputDir()).filePath(pagesPrefix);
        const auto pages =
            testing::runProgram(QStringLiteral("pdftoppm"),
                                {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("60"),
                                 QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"),
                                 QStringLiteral("2"), pdf, prefix});
        QVERIFY2(pages.exitCode == 0, qPrintable(pages.err));
        const auto images =
            QDir(outputDir())
                .entryInfoList({pagesPrefix + QStringLiteral("-*.png")}, QDir::Files, QDir::Name);
        QCOMPARE(images.size(), 2);
        for (const auto &info : images) {
            const QImage image(info.filePath());
            QVERIFY2(!image.isNull(), qPrintable(info.filePath()));
            // A4 at 60 dpi.
            QVERIFY(image.width() > 450 && image.height() > 650);
            QVERIFY2(testing::distinctColours(image, 1) > 20,
                     qPrintable(QStringLiteral("%1 looks blank").arg(info.filePath())));
        }
    }

private slots:
    void initTestCase()
    {
        for (const auto &dir : {QStringLiteral("pdftotext"), QStringLiteral("pdftoppm")})
            QVERIFY2(!QStandardPaths::findExecutable(dir).isEmpty(),
                     "poppler-utils is needed (scripts/packages.txt)");
        for (const auto &old : QDir(outputDir()).entryInfoList({QStringLiteral("*")}, QDir::Files))
            QFile::remove(old.filePath());

        drill::ScenarioOptions options;
        options.binDir = QStringLiteral(REWIND_BIN_DIR);
        options.loadRps = 50;
        options.badErrorRate = 0.3;
        options.approvals = 1;
        options.preserveLogs = true;
        m_scenario = std::make_unique<drill::Scenario>(options);
        REWIND_VERIFY_OK(m_scenario->start());
        const auto bad = m_scenario->deployBadRelease(
            [](const QString &line) { qInfo("%s", qPrintable(line)); });
        QVERIFY2(bad, qPrintable(testing::why(bad)));

        // Rewind detects it and asks for approval; a person looks at the traffic first.
        auto &events = m_scenario->events();
        const auto *asked = events.waitFor(QString::fromLatin1(protocol::event::ApprovalRequested),
                                           {}, kRollbackTimeoutMs, bad->mark);
        QVERIFY2(asked, "no approval was requested");
        const qint64 rollbackId = asked->event.data.value(QLatin1String("rollback"))
                                      .toObject()
                                      .value(QLatin1String("id"))
                                      .toInteger();
        QVERIFY(rollbackId > 0);
        QVERIFY(drill::waitUntil(
            [&] {
                return m_scenario->traffic(QStringLiteral("api"), bad->deployMs).requests >=
                       kBadRequests;
            },
            60'000));
        const auto approved = client::callAndWait(
            m_scenario->rewind(), "POST",
            QStringLiteral("/api/v1/rollbacks/%1/approve").arg(rollbackId),
            {{"comment", QStringLiteral("errors confirmed on the api dashboard")}});
        QVERIFY2(approved.ok(), failure(approved).constData());

        const auto *finished =
            events.waitFor(QString::fromLatin1(protocol::event::RollbackFinished), {},
                           kRollbackTimeoutMs, bad->mark);
        QVERIFY2(finished, "the rollback did not finish");
        m_rollback = protocol::RollbackInfo::fromJson(
            finished->event.data.value(QLatin1String("rollback")).toObject());
        QCOMPARE(m_rollback.state, PlanState::Succeeded);
        m_incident = m_rollback.incidentId;
        QVERIFY(m_incident > 0);

        // Healthy again: the incident closes by itself.
        QVERIFY2(drill::waitUntil(
                     [&] {
                         const auto i = client::callAndWait(
                             m_scenario->rewind(), "GET",
                             QStringLiteral("/api/v1/incidents/%1").arg(m_incident));
                         return i.ok() && i.body.object().value(QLatin1String("state")) ==
                                              QLatin1String("closed");
                     },
                     60'000),
                 "the incident did not close");
        const auto noted = client::callAndWait(
            m_scenario->rewind(), "POST",
            QStringLiteral("/api/v1/incidents/%1/notes").arg(m_incident), {{"text", m_note}});
        QVERIFY2(noted.ok(), failure(noted).constData());

        const auto report = client::callAndWait(
            m_scenario->rewind(), "GET",
            QStringLiteral("/api/v1/incidents/%1/report?format=json").arg(m_incident));
        QVERIFY2(report.ok(), failure(report).constData());
        const auto data = client::ReportData::fromJson(report.body.object());
        QVERIFY2(data, qPrintable(testing::why(data)));
        m_data = *data;
        QFile json(QDir(outputDir()).filePath(QStringLiteral("report.json")));
        if (json.open(QIODevice::WriteOnly))
            json.write(report.raw);
    }

    void cleanupTestCase() { m_scenario.reset(); }

    void theDataHasEverythingTheReportShows()
    {
        QCOMPARE(m_data.incident.id, m_incident);
        QVERIFY(!m_data.incident.open);
        QCOMPARE(m_data.rollbacks.size(), 1);
        const auto &r = m_data.rollbacks.first();
        QCOMPARE(r.id, m_rollback.id);
        QCOMPARE(r.targets.first().fromVersion, QStringLiteral("v1.2"));
        QCOMPARE(r.targets.first().toVersion, QStringLiteral("v1.1"));
        QStringList kinds;
        for (const auto &s : r.steps)
            kinds.append(s.kind);
        QCOMPARE(kinds,
                 (QStringList{QStringLiteral("preserve_logs"), QStringLiteral("switch_traffic"),
                              QStringLiteral("verify_health")}));
        QCOMPARE(r.approvals.size(), 1);
        QCOMPARE(r.approvals.first().user, QStringLiteral("drill"));

        // The releases involved, with who deployed them and when.
        QStringList versions;
        for (const auto &release : m_data.releases) {
            if (release.service == u"api")
                versions.append(release.version);
            QVERIFY(release.deployedAtMs > 0);
            QCOMPARE(release.deployedBy, QStringLiteral("rewind-drill"));
        }
        QVERIFY2(versions.contains(QStringLiteral("v1.2")) &&
                     versions.contains(QStringLiteral("v1.1")),
                 qPrintable(versions.join(u',')));

        // The firing with the values that made it fire.
        QVERIFY(!m_data.firings.isEmpty());
        const auto &f = m_data.firings.first();
        QCOMPARE(f.firing.service, QStringLiteral("api"));
        QVERIFY(!f.firing.values.isEmpty());
        QVERIFY(f.firing.sinceMs >= m_data.fromMs && f.firing.sinceMs <= m_data.toMs);

        // The end of the fleet's log, as preserved before traffic was switched.
        QCOMPARE(m_data.logs.size(), 1);
        const auto &log = m_data.logs.first();
        QVERIFY2(log.error.isEmpty(), qPrintable(log.error));
        QVERIFY(log.lines > 0 && log.lines <= 40);
        QCOMPARE(log.excerpt.count(u'\n') + 1, log.lines);
        QVERIFY(log.excerpt.toUtf8().size() <= 8 * 1024);

        QCOMPARE(m_data.incident.notes.last().text, m_note);
        const auto took = [&](const QString &name, const QString &role) {
            for (const auto &p : m_data.people) {
                if (p.name == name)
                    return p.roles.contains(role);
            }
            return false;
        };
        QVERIFY(took(QStringLiteral("rewind-drill"), QStringLiteral("deployer")));
        QVERIFY(took(QStringLiteral("rewind"), QStringLiteral("requester")));
        QVERIFY(took(QStringLiteral("drill"), QStringLiteral("approver")));
        QVERIFY(took(QStringLiteral("drill"), QStringLiteral("note_author")));

        // Charts: api's series over the window, the rule's error rate among them, with its
        // threshold.
        QVERIFY(m_data.series.has_value());
        bool sawThreshold = false;
        for (const auto &group : *m_data.series) {
            for (const auto &s : group.series) {
                QVERIFY(!s.points.isEmpty());
                QVERIFY(s.points.size() <= 600);
                if (group.service == u"api" && !s.thresholds.isEmpty())
                    sawThreshold = true;
            }
        }
        QVERIFY(sawThreshold);
        // Nothing secret travels with it.
        QVERIFY(!QJsonDocument(m_data.toJson()).toJson().contains(m_scenario->token().toUtf8()));
    }

    void rewindctlDrawsThePdf()
    {
        const QString pdf = QDir(outputDir()).filePath(QStringLiteral("incident-rewindctl.pdf"));
        const auto done =
            testing::runProgram(QStringLiteral(REWIND_BIN_DIR "/rewindctl"),
                                ctl({QStringLiteral("report"), QString::number(m_incident),
                                     QStringLiteral("-o"), pdf}));
        QVERIFY2(done.exitCode == 0, qPrintable(done.err));
        QVERIFY2(done.out.contains(QStringLiteral("wrote")), qPrintable(done.out));
        checkPdf(pdf, QStringLiteral("rewindctl-page"));
    }

    void rewinddDrawsThePdf()
    {
        QByteArray body;
        const auto r = client::fetchAndWait(
            m_scenario->rewind(),
            QStringLiteral("/api/v1/incidents/%1/report?format=pdf").arg(m_incident), &body);
        QVERIFY2(r.ok(), failure(r).constData());
        const QString pdf = QDir(outputDir()).filePath(QStringLiteral("incident-rewindd.pdf"));
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(body);
        file.close();
        checkPdf(pdf, QStringLiteral("rewindd-page"));
    }

    void theOtherFormats()
    {
        // Markdown stays the default of the API and of rewindctl without -o.
        QByteArray md;
        QVERIFY(client::fetchAndWait(m_scenario->rewind(),
                                     QStringLiteral("/api/v1/incidents/%1/report").arg(m_incident),
                                     &md)
                    .ok());
        QVERIFY(md.startsWith("# Incident #" + QByteArray::number(m_incident)));
        QVERIFY(md.contains(m_note.toUtf8()));
        const auto printed =
            testing::runProgram(QStringLiteral(REWIND_BIN_DIR "/rewindctl"),
                                ctl({QStringLiteral("report"), QString::number(m_incident)}));
        QCOMPARE(printed.exitCode, 0);
        QVERIFY(printed.out.startsWith(QStringLiteral("# Incident #")));
        // --json prints the data the PDF is drawn from.
        const auto json = testing::runProgram(
            QStringLiteral(REWIND_BIN_DIR "/rewindctl"),
            ctl({QStringLiteral("--json"), QStringLiteral("report"), QString::number(m_incident)}));
        QCOMPARE(json.exitCode, 0);
        const auto data = client::ReportData::fromJson(json.out.toUtf8());
        QVERIFY2(data, qPrintable(testing::why(data)));
        QCOMPARE(data->incident.id, m_incident);
        // A format nobody knows is refused, by the API and by rewindctl.
        const auto bogus = client::callAndWait(
            m_scenario->rewind(), "GET",
            QStringLiteral("/api/v1/incidents/%1/report?format=docx").arg(m_incident));
        QCOMPARE(bogus.status, 400);
        QCOMPARE(bogus.error->code, QStringLiteral("invalid_request"));
        const auto usage =
            testing::runProgram(QStringLiteral(REWIND_BIN_DIR "/rewindctl"),
                                ctl({QStringLiteral("report"), QString::number(m_incident),
                                     QStringLiteral("--format"), QStringLiteral("docx")}));
        QCOMPARE(usage.exitCode, 2);
        // An incident that does not exist.
        const auto missing = testing::runProgram(
            QStringLiteral(REWIND_BIN_DIR "/rewindctl"),
            ctl({QStringLiteral("report"), QStringLiteral("9999"), QStringLiteral("-o"),
                 QDir(outputDir()).filePath(QStringLiteral("none.pdf"))}));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("not_found")));
        QVERIFY(!QFile::exists(QDir(outputDir()).filePath(QStringLiteral("none.pdf"))));
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
