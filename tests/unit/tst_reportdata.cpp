// The incident report's data (ReportData): it survives a round trip through JSON, reads whatever
// it is given without crashing (missing fields, wrong types), builds the timeline in order with
// the values that fired, and the PDF renderer draws any of it — also a report long enough for
// its tables and notes to break across pages.
#include "report/incidentreport.h"
#include "report/reportdata.h"
#include "results.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <optional>
#include <utility>

using namespace rwd;
using client::ReportData;

namespace {

constexpr qint64 kT0 = 1'760'000'000'000;

ReportData sample()
{
    ReportData d;
    d.generatedAtMs = kT0 + 120'000;
    d.fromMs = kT0 - 60'000;
    d.toMs = kT0 + 90'000;
    d.incident.id = 7;
    d.incident.title = QStringLiteral("api v1.2: rule error-rate fired");
    d.incident.services = {QStringLiteral("api")};
    d.incident.severity = QStringLiteral("critical");
    d.incident.open = false;
    d.incident.openedAtMs = kT0 + 1'200;
    d.incident.closedAtMs = kT0 + 30'000;
    d.incident.rollbacks = {3};
    d.incident.notes = {{kT0 + 40'000, QStringLiteral("alice"), QStringLiteral("note"),
                         QStringLiteral("pool size was 2")}};
    protocol::ReleaseInfo good;
    good.id = 1;
    good.service = QStringLiteral("api");
    good.version = QStringLiteral("v1.1");
    good.deployedBy = QStringLiteral("ci");
    good.deployedAtMs = kT0 - 30'000;
    good.verifiedAtMs = kT0 - 20'000;
    good.state = ReleaseState::Verified;
    protocol::ReleaseInfo bad = good;
    bad.id = 2;
    bad.version = QStringLiteral("v1.2");
    bad.deployedAtMs = kT0;
    bad.verifiedAtMs = 0;
    bad.state = ReleaseState::RolledBack;
    d.releases = {good, bad};
    client::ReportFiring f;
    f.id = 11;
    f.firing.rule = QStringLiteral("error-rate");
    f.firing.service = QStringLiteral("api");
    f.firing.severity = QStringLiteral("critical");
    f.firing.action = QStringLiteral("rollback");
    f.firing.expression = QStringLiteral("error_rate(health, 5s) > 5%");
    f.firing.values = {{"error_rate(health, 5s)", 0.25}, {"count(health, 5s)", 48}};
    f.firing.sinceMs = kT0 + 1'000;
    f.resolvedAtMs = kT0 + 8'000;
    d.firings = {f};
    protocol::RollbackInfo r;
    r.id = 3;
    r.state = PlanState::Succeeded;
    r.trigger = QStringLiteral("rule:error-rate");
    r.requestedBy = QStringLiteral("rewind");
    r.createdAtMs = kT0 + 1'100;
    r.finishedAtMs = kT0 + 2'500;
    r.incidentId = 7;
    r.targets = {{QStringLiteral("api"),
                  QStringLiteral("v1.2"),
                  QStringLiteral("v1.1"),
                  2,
                  1,
                  QStringLiteral("blue_green"),
                  {}}};
    protocol::StepInfo s;
    s.id = 1;
    s.service = QStringLiteral("api");
    s.kind = QStringLiteral("switch_traffic");
    s.description = QStringLiteral("Route api traffic to green (v1.1)");
    s.state = StepState::Succeeded;
    s.startedAtMs = kT0 + 1'500;
    s.finishedAtMs = kT0 + 1'520;
    r.steps = {s};
    r.approvals = {
        {QStringLiteral("bob"), QStringLiteral("approved"), QStringLiteral("go"), kT0 + 1'400}};
    r.approvalsNeeded = 1;
    d.rollbacks = {r};
    d.logs = {{{1, 3, QStringLiteral("api"), QStringLiteral("/var/log/api.log"),
                QStringLiteral("/archives/x.gz"), 1234, false},
               QStringLiteral("line one\nline two"),
               2,
               true,
               {}}};
    d.people = {{QStringLiteral("ci"), {QStringLiteral("deployer")}},
                {QStringLiteral("bob"), {QStringLiteral("approver")}}};
    protocol::SeriesInfo series;
    series.name = QStringLiteral("error_rate(health, 5s)");
    series.unit = QStringLiteral("ratio");
    series.stepMs = 1000;
    for (int i = -60; i < 90; ++i)
        series.points.append({kT0 + i * 1000, i > 0 && i < 3 ? 0.25 : 0.0});
    series.thresholds = {
        {QStringLiteral("error-rate"), QStringLiteral(">"), 0.05, QStringLiteral("critical")}};
    d.series = QList<client::ReportSeries>{{QStringLiteral("api"), {series}}};
    return d;
}

} // namespace

class TestReportData : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip()
    {
        const auto d = sample();
        const auto back = ReportData::fromJson(QJsonDocument(d.toJson()).toJson());
        QVERIFY2(back, qPrintable(testing::why(back)));
        QCOMPARE(back->incident.id, 7);
        QCOMPARE(back->incident.title, d.incident.title);
        QCOMPARE(back->fromMs, d.fromMs);
        QCOMPARE(back->toMs, d.toMs);
        QCOMPARE(back->generatedAtMs, d.generatedAtMs);
        QCOMPARE(back->releases.size(), 2);
        QCOMPARE(back->releases.at(1).version, QStringLiteral("v1.2"));
        QCOMPARE(back->firings.size(), 1);
        QCOMPARE(back->firings.first().id, 11);
        QCOMPARE(back->firings.first().resolvedAtMs, kT0 + 8'000);
        QCOMPARE(back->firings.first().firing.values, d.firings.first().firing.values);
        QCOMPARE(back->rollbacks.first().steps.first().kind, QStringLiteral("switch_traffic"));
        QCOMPARE(back->rollbacks.first().approvals.first().user, QStringLiteral("bob"));
        QCOMPARE(back->logs.first().excerpt, QStringLiteral("line one\nline two"));
        QCOMPARE(back->logs.first().lines, 2);
        QVERIFY(back->logs.first().excerptCut);
        QCOMPARE(back->people.at(1).roles, QStringList{QStringLiteral("approver")});
        QVERIFY(back->series);
        QCOMPARE(back->series->first().series.first().points.size(), 150);
        QCOMPARE(back->series->first().series.first().thresholds.first().value, 0.05);
        QCOMPARE(back->fileName(QStringLiteral("pdf")), QStringLiteral("incident-7.pdf"));
    }

    void missingFieldsReadAsEmpty()
    {
        const auto d = ReportData::fromJson(QJsonObject{{"incident", QJsonObject{}}});
        QVERIFY2(d, qPrintable(testing::why(d)));
        QCOMPARE(d->incident.id, 0);
        QVERIFY(d->rollbacks.isEmpty());
        QVERIFY(d->firings.isEmpty());
        QVERIFY(d->people.isEmpty());
        QVERIFY(!d->series); // no metric history on that server
        QCOMPARE(d->format, ReportData::kFormat);
        QVERIFY(d->timeline().isEmpty());
        // With an empty series list the server has history, with nothing in it.
        const auto empty = ReportData::fromJson(
            QJsonObject{{"incident", QJsonObject{}}, {"series", QJsonArray{}}});
        QVERIFY(empty && empty->series && empty->series->isEmpty());
    }

    void wrongTypesDoNotCrash()
    {
        const QByteArray json = R"({
            "format": "one", "generated_at": 5, "from": [], "to": {},
            "incident": {"id": "7", "title": 3, "services": "api", "notes": 5,
                         "logs": [1, {"bytes": "x"}], "rollbacks": {"a": 1},
                         "opened_at": "yesterday"},
            "rollbacks": ["x", 1, null, {"steps": "none", "targets": [3],
                          "approvals": [{"at": 4}], "state": "exploded"}],
            "releases": {"id": 1},
            "firings": [1, "a", null, {"values": 3, "since": false}],
            "logs": [{"excerpt": 42, "excerpt_lines": -3}],
            "people": [{"name": null, "roles": [1, "deployer", {}]}],
            "series": [3, {"service": 1, "series": [{"points": [[1], ["a", 2], [3, 4], 5],
                                                     "thresholds": 6}]}]
        })";
        const auto d = ReportData::fromJson(json);
        QVERIFY2(d, qPrintable(testing::why(d)));
        QCOMPARE(d->incident.id, 0);
        QVERIFY(d->incident.title.isEmpty());
        QCOMPARE(d->rollbacks.size(), 1); // the only object
        QCOMPARE(d->rollbacks.first().state, PlanState::Planned);
        QVERIFY(d->releases.isEmpty());
        QCOMPARE(d->firings.size(), 1);
        QVERIFY(d->firings.first().firing.values.isEmpty());
        QCOMPARE(d->logs.first().lines, 0);
        QCOMPARE(d->people.first().roles, QStringList{QStringLiteral("deployer")});
        QCOMPARE(d->series->size(), 1);
        QCOMPARE(d->series->first().series.first().points.size(), 1); // [3, 4]
        // It can still be drawn.
        const auto pdf = client::incidentReportPdf(*d);
        QVERIFY2(pdf && !pdf->isEmpty(), qPrintable(testing::why(pdf)));
    }

    void refusesWhatIsNotReportData_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("%PDF-1.4 not json");
        QTest::newRow("array") << QByteArray("[1, 2]");
        QTest::newRow("no incident") << QByteArray(R"({"rollbacks": []})");
        QTest::newRow("incident not an object") << QByteArray(R"({"incident": 7})");
        QTest::newRow("truncated") << QByteArray(R"({"incident": {"id": 1)");
    }

    void refusesWhatIsNotReportData()
    {
        QFETCH(QByteArray, json);
        const auto refused = ReportData::fromJson(json);
        QVERIFY(!refused);
        QVERIFY(!refused.error().message.isEmpty());
    }

    void timelineInOrderWithWhatFired()
    {
        using Kind = client::TimelineEntry::Kind;
        const auto entries = sample().timeline();
        QList<Kind> kinds;
        for (int i = 0; i < entries.size(); ++i) {
            kinds.append(entries.at(i).kind);
            if (i > 0)
                QVERIFY(entries.at(i - 1).atMs <= entries.at(i).atMs);
        }
        QCOMPARE(kinds, (QList<Kind>{Kind::Deploy, Kind::Verified, Kind::Deploy, Kind::Firing,
                                     Kind::RollbackStarted, Kind::IncidentOpened, Kind::Approval,
                                     Kind::StepStarted, Kind::StepFinished, Kind::RollbackFinished,
                                     Kind::Resolved, Kind::IncidentClosed, Kind::Note}));
        const auto &fired = entries.at(3);
        QCOMPARE(fired.text, QStringLiteral("Rule error-rate fired for api"));
        QVERIFY2(fired.detail.contains(QStringLiteral("error_rate(health, 5s) = 25 %")),
                 qPrintable(fired.detail));
        QVERIFY2(fired.detail.contains(QStringLiteral("count(health, 5s) = 48")),
                 qPrintable(fired.detail));
        QVERIFY(entries.at(8).detail.contains(QStringLiteral("20 ms")));
        QCOMPARE(entries.at(6).text, QStringLiteral("Rollback #3 approved by bob"));
    }

    void formats()
    {
        QCOMPARE(client::formatDurationMs(0), QStringLiteral("-"));
        QCOMPARE(client::formatDurationMs(16), QStringLiteral("16 ms"));
        QCOMPARE(client::formatDurationMs(1'500), QStringLiteral("1.5 s"));
        QCOMPARE(client::formatDurationMs(125'000), QStringLiteral("2 min 5 s"));
        QCOMPARE(client::formatDurationMs(3'900'000), QStringLiteral("1 h 5 min"));
        QCOMPARE(client::formatFiringValue(QStringLiteral("ratio(a.b, a.c, 1m)"), 0.05),
                 QStringLiteral("5 %"));
        QCOMPARE(client::formatFiringValue(QStringLiteral("p95(x, 1m)"), 1.25),
                 QStringLiteral("1.25"));
        QCOMPARE(client::formatFiringValue(QStringLiteral("mean(x, 1m)"), QJsonValue()),
                 QStringLiteral("no data"));
        QCOMPARE(
            client::formatFiringValue(QStringLiteral("mean(x, 1m)"), QStringLiteral("no traffic")),
            QStringLiteral("no traffic"));
    }

    void drawsAPdf()
    {
        const auto pdf = client::incidentReportPdf(sample());
        QVERIFY2(pdf && !pdf->isEmpty(), qPrintable(testing::why(pdf)));
        QVERIFY(pdf->startsWith("%PDF-"));
        QVERIFY(pdf->trimmed().endsWith("%%EOF"));
    }

    // Hundreds of timeline rows and a note longer than a page: tables and paragraphs break
    // across pages (the page count grows) and nothing is lost or crashes.
    void longReportsBreakAcrossPages()
    {
        auto d = sample();
        const auto countPages = [](const QByteArray &pdf) {
            return int(pdf.count("/Type /Page")) - int(pdf.count("/Type /Pages"));
        };
        const int shortPages = countPages(client::incidentReportPdf(d).valueOr(QByteArray()));
        for (int i = 0; i < 300; ++i)
            d.incident.notes.append(
                {kT0 + 50'000 + i, QStringLiteral("carol"), QStringLiteral("note"),
                 QStringLiteral("note %1: ").arg(i) + QStringLiteral("word ").repeated(i % 40)});
        d.incident.notes.append({kT0 + 60'000, QStringLiteral("dave"), QStringLiteral("note"),
                                 QStringLiteral("a very long note. ").repeated(600)});
        d.incident.notes.append({kT0 + 61'000, QStringLiteral("erin"), QStringLiteral("note"),
                                 QString(5000, u'x')}); // one word wider than any line
        const auto pdf = client::incidentReportPdf(d);
        QVERIFY2(pdf && !pdf->isEmpty(), qPrintable(testing::why(pdf)));
        const int longPages = countPages(*pdf);
        QVERIFY2(shortPages >= 2 && longPages > shortPages + 5,
                 qPrintable(QStringLiteral("%1 pages, then %2").arg(shortPages).arg(longPages)));
    }

    // An Arabic report reads right to left: the Arabic title is there in its logical order
    // (pdftotext, letters folded from their presentation forms), and each label stands to the
    // right of its value, the page's heading at the right margin — the mirror of the
    // left-to-right report of the same incident.
    void rightToLeft()
    {
        auto d = sample();
        d.incident.title = QStringLiteral("حادث في الخدمة api");
        client::ReportOptions rtlOptions;
        rtlOptions.direction = Qt::RightToLeft;
        const QString rtl = writePdf(d, rtlOptions, QStringLiteral("report-rtl.pdf"));
        const QString ltr = writePdf(d, {}, QStringLiteral("report-ltr.pdf"));
        QVERIFY(!rtl.isEmpty() && !ltr.isEmpty());
        for (const auto &path : {rtl, ltr}) {
            QProcess text;
            text.start(QStringLiteral("pdftotext"),
                       {QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"),
                        QStringLiteral("1"), path, QStringLiteral("-")});
            QVERIFY2(text.waitForFinished(30'000) && text.exitCode() == 0,
                     "pdftotext (Debian package poppler-utils) failed");
            QString plain = QString::fromUtf8(text.readAllStandardOutput())
                                .normalized(QString::NormalizationForm_KC);
            plain.remove(QRegularExpression(QStringLiteral("[\u200e\u200f\u202a-\u202e]")));
            QVERIFY2(plain.contains(QStringLiteral("حادث في الخدمة")), qPrintable(plain));
        }
        const auto r = words(rtl);
        const auto l = words(ltr);
        QVERIFY(r.width > 0 && l.width > 0);
        // Label and value on one row: Services / api, Severity / critical.
        for (const auto &[label, value] :
             {std::pair{"Services", "api"}, {"Severity", "critical"}}) {
            const auto rl = r.find(QLatin1String(label));
            const auto rv = r.onRowOf(rl, QLatin1String(value));
            const auto ll = l.find(QLatin1String(label));
            const auto lv = l.onRowOf(ll, QLatin1String(value));
            QVERIFY2(rl && rv && ll && lv, label);
            QVERIFY2(rl->xMin > rv->xMax, label); // right to left: the label at the right
            QVERIFY2(ll->xMax < lv->xMin, label); // left to right: the label at the left
        }
        const auto rh = r.find(QStringLiteral("INCIDENT"));
        const auto lh = l.find(QStringLiteral("INCIDENT"));
        QVERIFY(rh && lh);
        QVERIFY2(rh->xMax > r.width * 0.8 && rh->xMin > r.width / 2, "heading not at the right");
        QVERIFY2(lh->xMin < l.width * 0.2, "heading not at the left");
    }

private:
    struct Word
    {
        QString text;
        double xMin = 0;
        double xMax = 0;
        double yMin = 0;
    };
    struct Page
    {
        double width = 0;
        QList<Word> words;

        [[nodiscard]] std::optional<Word> find(const QString &text) const
        {
            for (const auto &w : words) {
                if (w.text == text)
                    return w;
            }
            return std::nullopt;
        }
        // The word `text` on the same line as `other`.
        [[nodiscard]] std::optional<Word> onRowOf(const std::optional<Word> &other,
                                                  const QString &text) const
        {
            for (const auto &w : words) {
                if (other && w.text == text && qAbs(w.yMin - other->yMin) < 1.0)
                    return w;
            }
            return std::nullopt;
        }
    };

    // The words of the first page with their boxes (pdftotext -bbox).
    static Page words(const QString &path)
    {
        Page page;
        QProcess p;
        p.start(QStringLiteral("pdftotext"),
                {QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"),
                 QStringLiteral("1"), QStringLiteral("-bbox"), path, QStringLiteral("-")});
        if (!p.waitForFinished(30'000) || p.exitCode() != 0)
            return page;
        const QString html = QString::fromUtf8(p.readAllStandardOutput());
        const QRegularExpression pageRe(QStringLiteral(R"re(<page width="([0-9.]+)")re"));
        if (const auto m = pageRe.match(html); m.hasMatch())
            page.width = m.captured(1).toDouble();
        const QRegularExpression wordRe(QStringLiteral(
            R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>)re"));
        for (auto it = wordRe.globalMatch(html); it.hasNext();) {
            const auto m = it.next();
            page.words.append({m.captured(4), m.captured(1).toDouble(), m.captured(3).toDouble(),
                               m.captured(2).toDouble()});
        }
        return page;
    }

    // The report of `d` written to the test output directory; its path, empty on failure.
    static QString writePdf(const ReportData &d, const client::ReportOptions &options,
                            const QString &name)
    {
        const auto pdf = client::incidentReportPdf(d, options);
        QDir().mkpath(QStringLiteral(REWIND_TEST_OUTPUT_DIR));
        QFile f(QStringLiteral(REWIND_TEST_OUTPUT_DIR "/") + name);
        if (!pdf || pdf->isEmpty() || !f.open(QIODevice::WriteOnly) ||
            f.write(*pdf) != pdf->size()) {
            qWarning("cannot write %s: %s", qPrintable(name),
                     qPrintable(pdf ? f.errorString() : pdf.error().message));
            return {};
        }
        return f.fileName();
    }
};

QTEST_MAIN(TestReportData)
#include "tst_reportdata.moc"
