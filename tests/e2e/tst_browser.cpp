// The browser dashboard (Qt for WebAssembly, built by the `wasm` preset) in Debian's Chromium,
// headless, driven over the DevTools protocol against a real rewindd that serves it at /app/
// and the sandbox fleet in production, where a rollback needs one approval. As people would,
// with the mouse and the keyboard: a viewer signs in (after a wrong password) and sees the
// services; a bad deploy is detected and the rollback waits for approval, which the viewer
// cannot give; an approver signs in, approves with a comment, and the page shows the rollback
// complete; then the graph, the history with the incident's PDF report downloaded by the
// browser, the audit log for an admin signed in with an API token, the dark theme and Arabic
// (right to left). A screenshot of each view is saved (test-output/browser-*.png),
// and the page's load figures, uncompressed and compressed, go to test-output/browser-load.json
// (docs/performance.md).
#include "chromium.h"
#include "client/sync/syncrest.h"
#include "e2escenario.h"
#include "results.h"
#include "screencheck.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

namespace {

constexpr int kTimeoutMs = 60'000;
constexpr int kWidth = 1280;
constexpr int kHeight = 800;
const QString kPassword = QStringLiteral("correct horse battery");

QString jsString(const QString &s)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

} // namespace

class TestBrowser : public QObject
{
    Q_OBJECT

private:
    testing::Scenario m_scenario;
    testing::Chromium m_browser;
    QTemporaryDir m_downloads;
    qint64 m_rollbackId = 0;

    // What the page's test hook (index.html's rewindApp.widget) says about a named widget:
    // found, visible, enabled, text, page coordinates of its centre, and rows of tables.
    QJsonObject widget(const QString &name)
    {
        const auto v =
            m_browser.evaluate(QStringLiteral("rewindApp.widget(%1)").arg(jsString(name)));
        if (!v)
            qWarning("widget(%s): %s", qPrintable(name), qPrintable(v.error().message));
        return v.valueOr(QJsonValue()).toObject();
    }

    bool visible(const QString &name)
    {
        const auto w = widget(name);
        return w.value(QLatin1String("found")).toBool() &&
               w.value(QLatin1String("visible")).toBool();
    }

    QString text(const QString &name)
    {
        return widget(name).value(QLatin1String("text")).toString();
    }

    int rows(const QString &table) { return widget(table).value(QLatin1String("rows")).toInt(-1); }

    QJsonArray cells(const QString &table)
    {
        return widget(table).value(QLatin1String("cells")).toArray();
    }

    // A click at the page coordinates ({x, y}) the hook gave for a widget, tab or row.
    bool clickAt(const QJsonObject &point)
    {
        return m_browser
            .click(point.value(QLatin1String("x")).toDouble(),
                   point.value(QLatin1String("y")).toDouble())
            .ok();
    }

    void click(const QString &name)
    {
        QTRY_VERIFY2_WITH_TIMEOUT(visible(name), qPrintable(name), kTimeoutMs);
        const auto w = widget(name);
        QVERIFY(clickAt(w));
    }

    void clickTab(const QString &label)
    {
        const auto tabs = widget(QStringLiteral("tabs")).value(QLatin1String("tabs")).toArray();
        for (int i = 0; i < tabs.size(); ++i) {
            const auto tab = tabs.at(i).toObject();
            if (tab.value(QLatin1String("text")).toString() != label)
                continue;
            QVERIFY2(tab.value(QLatin1String("visible")).toBool(), qPrintable(label));
            QVERIFY(clickAt(tab));
            QTRY_COMPARE(widget(QStringLiteral("tabs")).value(QLatin1String("current")).toInt(), i);
            return;
        }
        QFAIL(qPrintable(QStringLiteral("no tab %1").arg(label)));
    }

    // Clicks the row of `table` whose first cell is `key`.
    void clickRow(const QString &table, const QString &key)
    {
        QJsonObject row;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &r : widget(table).value(QLatin1String("rowCentres")).toArray()) {
                    if (r.toObject().value(QLatin1String("key")).toString() == key) {
                        row = r.toObject();
                        return true;
                    }
                }
                return false;
            }(),
            kTimeoutMs);
        QVERIFY(clickAt(row));
    }

    // Clicks into a line edit, empties it with Backspace and types `value`.
    void typeInto(const QString &name, const QString &value)
    {
        click(name);
        const int length = widget(name).value(QLatin1String("length")).toInt();
        for (int i = 0; i < length; ++i)
            REWIND_VERIFY_OK(m_browser.press(QStringLiteral("Backspace")));
        REWIND_VERIFY_OK(m_browser.type(value));
        QTRY_COMPARE(widget(name).value(QLatin1String("length")).toInt(), int(value.size()));
    }

    void screenshot(const QString &name)
    {
        const auto shot = m_browser.screenshot();
        QVERIFY2(shot && !shot->isEmpty(), qPrintable(testing::why(shot)));
        const QByteArray &png = *shot;
        const auto image = QImage::fromData(png, "PNG");
        QCOMPARE(image.size(), QSize(kWidth, kHeight));
        QVERIFY2(testing::distinctColours(image) > 20, "the page looks blank");
        QDir().mkpath(QStringLiteral(REWIND_TEST_OUTPUT_DIR));
        const auto path = QDir(QStringLiteral(REWIND_TEST_OUTPUT_DIR)).filePath(name);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(png);
        qInfo("screenshot: %s", qPrintable(path));
    }

    void signIn(const QString &user, const QString &password)
    {
        QTRY_VERIFY_WITH_TIMEOUT(visible(QStringLiteral("signIn")), kTimeoutMs);
        typeInto(QStringLiteral("user"), user);
        QCOMPARE(text(QStringLiteral("user")), user);
        typeInto(QStringLiteral("password"), password);
        // The password field never gives its text to the page's scripting hook.
        QVERIFY(!widget(QStringLiteral("password")).contains(QLatin1String("text")));
        click(QStringLiteral("signIn"));
    }

    void signInAs(const QString &user)
    {
        signIn(user, kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(visible(QStringLiteral("status")), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(text(QStringLiteral("status")).startsWith(user), kTimeoutMs);
    }

    QString rollbackState(qint64 id)
    {
        for (const auto &row : cells(QStringLiteral("rollbacks"))) {
            const auto c = row.toArray();
            if (c.size() > 1 && c.at(0).toString() == QString::number(id))
                return c.at(1).toString();
        }
        return {};
    }

    void dumpConsole()
    {
        for (const auto &line : m_browser.console())
            qInfo("page: %s", qPrintable(line));
    }

private slots:
    void initTestCase()
    {
        const QString webRoot = QStringLiteral(REWIND_WEB_DIR);
        QVERIFY2(QFile::exists(QDir(webRoot).filePath(QStringLiteral("rewind-web.wasm"))),
                 qPrintable(QStringLiteral("no browser build in %1: build the wasm preset first "
                                           "(scripts/test does)")
                                .arg(webRoot)));
        drill::ScenarioOptions options;
        options.environment = QStringLiteral("production");
        options.approvals = 1;
        options.webRoot = webRoot;
        QVERIFY2(
            m_scenario.given()
                .theSandbox(options)
                .aUser(QStringLiteral("victor"), kPassword, {{"production", QJsonArray{"viewer"}}})
                .aUser(QStringLiteral("alice"), kPassword,
                       {{"production", QJsonArray{"approver", "operator"}}}),
            m_scenario.failure());
        REWIND_VERIFY_OK(m_browser.start(kWidth, kHeight));
        QVERIFY(m_downloads.isValid());
        REWIND_VERIFY_OK(m_browser.allowDownloads(m_downloads.path()));
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            dumpConsole();
    }

    void cleanupTestCase()
    {
        m_browser.close();
        m_scenario.stop();
    }

    // How long the page took and what went over the wire, as the page measured it.
    QJsonObject loadFigures()
    {
        return m_browser
            .evaluate(QStringLiteral(R"((() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  let transferred = nav.transferSize, decoded = nav.decodedBodySize;
  const files = {};
  for (const r of performance.getEntriesByType('resource')) {
    if (!r.name.includes('/app/')) continue;
    transferred += r.transferSize; decoded += r.decodedBodySize;
    files[r.name.replace(/^.*[/]/, '')] = {transferred: r.transferSize, decoded: r.decodedBodySize};
  }
  return {firstPaintMs: paint ? paint.startTime : -1,
          interactiveMs: rewindApp.interactive,
          transferredBytes: transferred, decodedBytes: decoded, files};
})())"))
            .valueOr(QJsonValue())
            .toObject();
    }

    void load(const QJsonObject &headers, QJsonObject *figures)
    {
        REWIND_VERIFY_OK(m_browser.setNetwork(true, headers));
        QUrl app = m_scenario->rewindUrl();
        app.setPath(QStringLiteral("/app/"));
        REWIND_VERIFY_OK(m_browser.navigate(app));
        QTRY_VERIFY_WITH_TIMEOUT(m_browser.evaluate(QStringLiteral("rewindApp.interactive > 0"))
                                     .valueOr(QJsonValue())
                                     .toBool(),
                                 kTimeoutMs);
        QVERIFY(visible(QStringLiteral("signIn")));
        *figures = loadFigures();
        qInfo("browser load: %s",
              QJsonDocument(*figures).toJson(QJsonDocument::Compact).constData());
        QVERIFY(figures->value(QLatin1String("firstPaintMs")).toDouble() > 0);
        QVERIFY(figures->value(QLatin1String("interactiveMs")).toDouble() >=
                figures->value(QLatin1String("firstPaintMs")).toDouble());
        QVERIFY2(figures->value(QLatin1String("files")).toObject().contains(u"rewind-web.wasm"),
                 "the page did not fetch rewind-web.wasm");
    }

    void theAppLoadsFromRewindd()
    {
        // As browsers load it (brotli), first in a fresh browser; then, warm, the baseline
        // (the same page without compression) and again compressed, each with the cache off.
        QJsonObject first;
        load({}, &first);
        QJsonObject identity;
        load({{"Accept-Encoding", "identity"}}, &identity);
        QJsonObject compressed;
        load({}, &compressed);
        // Precompressed: far fewer bytes on the wire than the files hold.
        const auto wasmOf = [](const QJsonObject &figures) {
            return figures.value(QLatin1String("files"))
                .toObject()
                .value(QLatin1String("rewind-web.wasm"))
                .toObject();
        };
        QVERIFY(wasmOf(compressed)[QLatin1String("transferred")].toDouble() * 2 <
                wasmOf(compressed)[QLatin1String("decoded")].toDouble());
        QVERIFY(wasmOf(identity)[QLatin1String("transferred")].toDouble() >=
                wasmOf(identity)[QLatin1String("decoded")].toDouble());
        REWIND_VERIFY_OK(m_browser.setNetwork(false, {}));
        QDir().mkpath(QStringLiteral(REWIND_TEST_OUTPUT_DIR));
        QFile out(QDir(QStringLiteral(REWIND_TEST_OUTPUT_DIR))
                      .filePath(QStringLiteral("browser-load.json")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(
            QJsonDocument(
                QJsonObject{{"first", first}, {"compressed", compressed}, {"identity", identity}})
                .toJson());
    }

    void aViewerSignsInAndSeesTheServices()
    {
        // A wrong password is refused with a reason on the page.
        signIn(QStringLiteral("victor"), QStringLiteral("not the password"));
        QTRY_VERIFY_WITH_TIMEOUT(!text(QStringLiteral("signInError")).isEmpty(), kTimeoutMs);
        QVERIFY(visible(QStringLiteral("signIn")));
        screenshot(QStringLiteral("browser-sign-in.png"));

        signInAs(QStringLiteral("victor"));
        QTRY_COMPARE_WITH_TIMEOUT(rows(QStringLiteral("overview")), 2, kTimeoutMs);
        QStringList names;
        for (const auto &row : cells(QStringLiteral("overview")))
            names.append(row.toArray().at(0).toString());
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("api"), QStringLiteral("web")}));
        // Audit is for admins only.
        for (const auto &tab :
             widget(QStringLiteral("tabs")).value(QLatin1String("tabs")).toArray()) {
            if (tab.toObject().value(QLatin1String("text")).toString() == QLatin1String("Audit"))
                QVERIFY(!tab.toObject().value(QLatin1String("visible")).toBool());
        }
    }

    void aBadDeployWaitsForApprovalTheViewerCannotGive()
    {
        REWIND_VERIFY_OK(m_scenario->deployBadRelease({}));
        clickTab(QStringLiteral("Rollbacks"));
        QTRY_COMPARE_WITH_TIMEOUT(rows(QStringLiteral("approvals")), 1, kTimeoutMs);
        m_rollbackId =
            cells(QStringLiteral("approvals")).at(0).toArray().at(0).toString().toLongLong();
        QVERIFY(m_rollbackId > 0);
        clickRow(QStringLiteral("approvals"), QString::number(m_rollbackId));
        QTRY_VERIFY(text(QStringLiteral("whyNot")).contains(QLatin1String("approver")));
        QVERIFY(!widget(QStringLiteral("approve")).value(QLatin1String("enabled")).toBool());
        click(QStringLiteral("approve"));
        screenshot(QStringLiteral("browser-approval-viewer.png"));
        // A disabled button sends nothing: the rollback still waits, with no approval.
        const auto r = client::callAndWait(
            m_scenario->rewind(), "GET", QStringLiteral("/api/v1/rollbacks/%1").arg(m_rollbackId));
        QVERIFY(r.ok());
        QCOMPARE(r.body.object().value(QLatin1String("approvals")).toArray().size(), 0);

        clickTab(QStringLiteral("Overview"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &row : cells(QStringLiteral("overview"))) {
                    const auto c = row.toArray();
                    if (c.at(0).toString() == QLatin1String("api"))
                        return c.at(2).toString() == QLatin1String("failing");
                }
                return false;
            }(),
            kTimeoutMs);
        screenshot(QStringLiteral("browser-overview.png"));
    }

    void anApproverApprovesAndTheRollbackCompletes()
    {
        click(QStringLiteral("signOut"));
        signInAs(QStringLiteral("alice"));
        clickTab(QStringLiteral("Rollbacks"));
        QTRY_COMPARE_WITH_TIMEOUT(rows(QStringLiteral("approvals")), 1, kTimeoutMs);
        clickRow(QStringLiteral("approvals"), QString::number(m_rollbackId));
        QTRY_VERIFY_WITH_TIMEOUT(
            widget(QStringLiteral("approve")).value(QLatin1String("enabled")).toBool(), kTimeoutMs);
        const QString comment = QStringLiteral("error rate confirmed in the browser");
        typeInto(QStringLiteral("comment"), comment);
        QCOMPARE(text(QStringLiteral("comment")), comment);
        screenshot(QStringLiteral("browser-approval.png"));
        click(QStringLiteral("approve"));

        QTRY_COMPARE_WITH_TIMEOUT(rows(QStringLiteral("approvals")), 0, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(rollbackState(m_rollbackId), QStringLiteral("succeeded"),
                                  kTimeoutMs);
        const auto r = client::callAndWait(
            m_scenario->rewind(), "GET", QStringLiteral("/api/v1/rollbacks/%1").arg(m_rollbackId));
        QVERIFY(r.ok());
        const auto approvals = r.body.object().value(QLatin1String("approvals")).toArray();
        QCOMPARE(approvals.size(), 1);
        QCOMPARE(approvals.first().toObject().value(QLatin1String("user")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(approvals.first().toObject().value(QLatin1String("comment")).toString(), comment);
        screenshot(QStringLiteral("browser-rollback.png"));
    }

    void theServiceChartsAndADryRunPlan()
    {
        clickTab(QStringLiteral("Service"));
        QTRY_VERIFY(visible(QStringLiteral("charts")));
        // The services are listed by name, so api comes first; its series arrive from the API.
        QTRY_VERIFY_WITH_TIMEOUT(text(QStringLiteral("chartState")).startsWith(u"v1.1"),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            widget(QStringLiteral("charts")).value(QLatin1String("seriesCount")).toInt() > 0,
            kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            widget(QStringLiteral("charts")).value(QLatin1String("markerCount")).toInt() >= 2,
            kTimeoutMs);
        screenshot(QStringLiteral("browser-service.png"));

        // "Request rollback…" opens the request form with the service checked; the plan comes
        // first, and Request stays disabled until it is shown and a reason is given.
        click(QStringLiteral("chartRequestRollback"));
        QTRY_VERIFY(visible(QStringLiteral("planButton")));
        QTRY_VERIFY(widget(QStringLiteral("target-api")).value(QLatin1String("checked")).toBool());
        QVERIFY(!widget(QStringLiteral("requestButton")).value(QLatin1String("enabled")).toBool());
        typeInto(QStringLiteral("rollbackReason"), QStringLiteral("latency after the release"));
        // api runs v1.1, its only verified release: the server says there is nothing to go back
        // to, and the page shows its reason (not just "Conflict").
        click(QStringLiteral("planButton"));
        QTRY_VERIFY_WITH_TIMEOUT(
            text(QStringLiteral("requestResult")).contains(u"no verified release other than"),
            kTimeoutMs);
        QVERIFY(!visible(QStringLiteral("planView")));
        QVERIFY(!widget(QStringLiteral("requestButton")).value(QLatin1String("enabled")).toBool());

        // A good v1.3 goes out and is verified; now a rollback of api has a target (v1.1).
        const auto good = m_scenario->release(QStringLiteral("api"), QStringLiteral("blue"),
                                              QStringLiteral("v1.3"));
        QVERIFY2(good, qPrintable(testing::why(good)));
        QVERIFY(m_scenario->waitForReleaseState(good->id, ReleaseState::Verified, kTimeoutMs));
        click(QStringLiteral("planButton"));
        QTRY_VERIFY2_WITH_TIMEOUT(visible(QStringLiteral("planView")),
                                  qPrintable(text(QStringLiteral("requestResult"))), kTimeoutMs);
        const QString plan = text(QStringLiteral("planView"));
        QVERIFY2(plan.contains(u"v1.3 → v1.1"), qPrintable(plan));
        QVERIFY2(plan.contains(u"approval"), qPrintable(plan)); // production asks for one
        QTRY_VERIFY(
            widget(QStringLiteral("requestButton")).value(QLatin1String("enabled")).toBool());
        screenshot(QStringLiteral("browser-plan.png"));
        // Only a plan: nothing was started.
        const auto r =
            client::callAndWait(m_scenario->rewind(), "GET", QStringLiteral("/api/v1/rollbacks"));
        QVERIFY(r.ok());
        int active = 0;
        for (const auto &rb : r.body.object().value(QLatin1String("rollbacks")).toArray())
            active += rb.toObject().value(QLatin1String("state")).toString() != u"succeeded";
        QCOMPARE(active, 0);
    }

    void theGraphAndTheHistoryWithItsReport()
    {
        clickTab(QStringLiteral("Graph"));
        QTRY_VERIFY(visible(QStringLiteral("graph")));
        screenshot(QStringLiteral("browser-graph.png"));

        clickTab(QStringLiteral("History"));
        QTRY_VERIFY_WITH_TIMEOUT(rows(QStringLiteral("incidents")) >= 1, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(rows(QStringLiteral("history")) >= 1, kTimeoutMs);
        const QString incident =
            cells(QStringLiteral("incidents")).at(0).toArray().at(0).toString();
        clickRow(QStringLiteral("incidents"), incident);
        QTRY_VERIFY(widget(QStringLiteral("report")).value(QLatin1String("enabled")).toBool());
        screenshot(QStringLiteral("browser-history.png"));
        click(QStringLiteral("report"));
        // The browser downloads the PDF the page rendered.
        const QString path =
            QDir(m_downloads.path()).filePath(QStringLiteral("incident-%1.pdf").arg(incident));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > 0, kTimeoutMs);
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QCOMPARE(pdf.read(5), QByteArray("%PDF-"));
        pdf.close();
        const auto laidOut = testing::pdfLayoutText(path);
        QVERIFY2(laidOut, qPrintable(testing::why(laidOut)));
        const QString &content = *laidOut;
        QVERIFY2(content.contains(QStringLiteral("Incident #%1").arg(incident)),
                 qPrintable(content.left(400)));
        QVERIFY(content.contains(QLatin1String("alice")));
    }

    void theAuditLogForAdminsSignedInWithAToken()
    {
        click(QStringLiteral("signOut"));
        QTRY_VERIFY_WITH_TIMEOUT(visible(QStringLiteral("signIn")), kTimeoutMs);
        click(QStringLiteral("useToken"));
        QTRY_VERIFY(widget(QStringLiteral("useToken")).value(QLatin1String("checked")).toBool());
        QVERIFY(!widget(QStringLiteral("user")).value(QLatin1String("enabled")).toBool());
        typeInto(QStringLiteral("password"), m_scenario->token());
        click(QStringLiteral("signIn"));
        QTRY_VERIFY_WITH_TIMEOUT(visible(QStringLiteral("status")), kTimeoutMs);
        clickTab(QStringLiteral("Audit"));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &row : cells(QStringLiteral("audit"))) {
                    const auto c = row.toArray();
                    if (c.size() > 2 && c.at(2).toString() == u"rollback_approved" &&
                        c.at(1).toString() == u"alice")
                        return true;
                }
                return false;
            }(),
            kTimeoutMs);
        screenshot(QStringLiteral("browser-audit.png"));
    }

    void darkTheme()
    {
        clickTab(QStringLiteral("Overview"));
        click(QStringLiteral("darkMode"));
        QTRY_VERIFY(widget(QStringLiteral("darkMode")).value(QLatin1String("checked")).toBool());
        // The page is drawn dark: its middle is a dark colour now.
        QImage image;
        QTRY_VERIFY([&] {
            image = QImage::fromData(m_browser.screenshot().valueOr(QByteArray()), "PNG");
            return !image.isNull() && qGray(image.pixel(kWidth / 2, kHeight / 2)) < 80;
        }());
        screenshot(QStringLiteral("browser-overview-dark.png"));
        click(QStringLiteral("darkMode"));
        QTRY_VERIFY(!widget(QStringLiteral("darkMode")).value(QLatin1String("checked")).toBool());
    }

    // The language box: Arabic lays the page out right to left, in Arabic; back to English.
    void arabicRightToLeft()
    {
        const auto choose = [this](const QString &key, const QString &expected) {
            click(QStringLiteral("language"));
            for (int i = 0; i < 2; ++i)
                REWIND_VERIFY_OK(m_browser.press(key));
            REWIND_VERIFY_OK(m_browser.press(QStringLiteral("Enter")));
            QTRY_COMPARE_WITH_TIMEOUT(text(QStringLiteral("language")), expected, kTimeoutMs);
        };
        const auto firstTab = [this] {
            const auto tabs = widget(QStringLiteral("tabs")).value(QLatin1String("tabs")).toArray();
            return tabs.isEmpty() ? QJsonObject() : tabs.first().toObject();
        };
        choose(QStringLiteral("ArrowDown"), QStringLiteral("العربية"));
        // The first tab, the overview, is named in Arabic (once the pages are made again in it)
        // and is on the right now.
        QTRY_COMPARE_WITH_TIMEOUT(firstTab().value(QLatin1String("text")).toString(),
                                  QStringLiteral("نظرة عامة"), kTimeoutMs);
        QVERIFY(firstTab().value(QLatin1String("x")).toDouble() > kWidth / 2.0);
        screenshot(QStringLiteral("browser-overview-ar.png"));
        choose(QStringLiteral("ArrowUp"), QStringLiteral("English"));
        QTRY_COMPARE(firstTab().value(QLatin1String("text")).toString(),
                     QStringLiteral("Overview"));
    }

    void nothingWentWrongInThePage()
    {
        for (const auto &line : m_browser.console())
            QVERIFY2(!line.startsWith(QLatin1String("exception:")), qPrintable(line));
    }
};

QTEST_MAIN(TestBrowser)
#include "tst_browser.moc"
