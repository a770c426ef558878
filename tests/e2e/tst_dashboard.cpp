// The QML dashboard, started under the offscreen platform against a real rewindd and the sandbox
// fleet whose services are in production, where a rollback needs one approval. As people would:
// a viewer signs in on the sign-in page and sees the services; a bad deploy is detected and the
// rollback waits for approval, which the viewer cannot give; an approver signs in, clicks
// Approve, and the dashboard shows the rollback complete. Then the service's charts, the
// dependency graph, the history with the incident's PDF report saved from the dashboard, the
// audit log (admin) and the Arabic layout. A screenshot of each view is saved
// (test-output/dashboard-*.png) and the README links them.
#include "app/dashboardapp.h"
#include "client/sync/syncrest.h"
#include "dashboard/graphitem.h"
#include "dashboard/qmltypes.h"
#include "e2escenario.h"
#include "results.h"
#include "screencheck.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace rwd;

namespace {

constexpr int kTimeoutMs = 60'000;
const QString kPassword = QStringLiteral("correct horse battery");

QString serviceValue(client::ServiceListModel *model, const QString &service, int role)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto index = model->index(row);
        if (index.data(client::ServiceListModel::NameRole).toString() == service)
            return index.data(role).toString();
    }
    return {};
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settings; // the app's settings live here, not in the user's home
    testing::Scenario m_scenario;
    std::unique_ptr<dashboard::DashboardApp> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    qint64 m_rollbackId = 0;

    void screenshot(const QString &name)
    {
        QDir().mkpath(QStringLiteral(REWIND_TEST_OUTPUT_DIR));
        const auto image = m_window->grabWindow();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
        QVERIFY2(testing::distinctColours(image) > 20, "the window looks blank");
        const auto path = QDir(QStringLiteral(REWIND_TEST_OUTPUT_DIR)).filePath(name);
        QVERIFY(image.save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

    // The item named `name` under `under` (the whole window by default), looking through both
    // the object tree and the visual tree (controls reparent their content items).
    QQuickItem *item(const QString &name, QQuickItem *under = nullptr)
    {
        QQuickItem *root = under ? under : m_window->contentItem()->parentItem();
        if (!root)
            root = m_window->contentItem();
        QList<QQuickItem *> pending{root};
        while (!pending.isEmpty()) {
            auto *next = pending.takeFirst();
            if (next->objectName() == name)
                return next;
            pending.append(next->childItems());
            for (auto *child : next->findChildren<QQuickItem *>(Qt::FindDirectChildrenOnly)) {
                if (!pending.contains(child))
                    pending.append(child);
            }
        }
        return nullptr;
    }

    bool shown(const QString &name)
    {
        auto *found = item(name);
        return found && found->isVisible();
    }

    // Clicks the middle of a visible item, as a mouse would.
    void click(QQuickItem *target)
    {
        QVERIFY(target);
        QTRY_VERIFY(target->isVisible() && target->width() > 0);
        const auto centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, {}, centre.toPoint());
    }

    void type(const QString &field, const QString &text)
    {
        auto *input = item(field);
        QVERIFY2(input, qPrintable(field));
        input->setProperty("text", text);
    }

    void showPage(const QString &page) { m_window->setProperty("page", page); }

    void signInWithPassword(const QString &user)
    {
        auto *page = item(QStringLiteral("signInPage"));
        QVERIFY(page);
        QTRY_VERIFY(page->isVisible());
        type(QStringLiteral("serverField"), m_scenario->rewindUrl().authority());
        type(QStringLiteral("userField"), user);
        type(QStringLiteral("passwordField"), kPassword);
        click(item(QStringLiteral("signInButton")));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->connected(), kTimeoutMs);
        QCOMPARE(m_app->session()->user(), user);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        QCoreApplication::setOrganizationName(QStringLiteral("RewindTest"));

        drill::ScenarioOptions options;
        options.environment = QStringLiteral("production");
        options.approvals = 1;
        QVERIFY2(
            m_scenario.given()
                .theSandbox(options)
                .aUser(QStringLiteral("victor"), kPassword, {{"production", QJsonArray{"viewer"}}})
                .aUser(QStringLiteral("alice"), kPassword,
                       {{"production", QJsonArray{"approver", "operator"}}}),
            m_scenario.failure());

        QQuickStyle::setStyle(QStringLiteral("Fusion"));
        m_app = std::make_unique<dashboard::DashboardApp>();
        m_app->setLanguage(QStringLiteral("en"));
        m_engine = std::make_unique<QQmlApplicationEngine>();
        dashboard::registerQmlTypes(m_app.get(), m_engine.get());
        m_engine->load(QUrl(QStringLiteral("qrc:/Rewind/Dashboard/Main.qml")));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_app.reset();
        m_scenario.stop();
    }

    void signInAndSeeTheServices()
    {
        QVERIFY(!m_app->session()->signedIn());
        // A wrong password is refused with a reason on the page.
        type(QStringLiteral("serverField"), m_scenario->rewindUrl().authority());
        type(QStringLiteral("userField"), QStringLiteral("victor"));
        type(QStringLiteral("passwordField"), QStringLiteral("not the password"));
        click(item(QStringLiteral("signInButton")));
        QTRY_COMPARE_WITH_TIMEOUT(int(m_app->session()->errorKind()),
                                  int(client::Session::ErrorKind::BadCredentials), kTimeoutMs);
        QVERIFY(shown(QStringLiteral("signInError")));
        screenshot(QStringLiteral("dashboard-sign-in.png"));

        signInWithPassword(QStringLiteral("victor"));
        QCOMPARE(m_app->services()->rowCount(), 2);
        QCOMPARE(m_app->lastServer(), m_app->session()->serverUrl().toString());
        auto *list = item(QStringLiteral("serviceList"));
        QVERIFY(list);
        QTRY_COMPARE(list->property("count").toInt(), 2);
    }

    void aBadDeployWaitsForApproval()
    {
        const auto deployed = m_scenario->deployBadRelease({});
        QVERIFY2(deployed, qPrintable(testing::why(deployed)));
        QTRY_COMPARE_WITH_TIMEOUT(serviceValue(m_app->services(), QStringLiteral("api"),
                                               client::ServiceListModel::CurrentVersionRole),
                                  QStringLiteral("v1.2"), kTimeoutMs);
        // Rewind detects it; in production the rollback waits for an approver.
        QTRY_COMPARE_WITH_TIMEOUT(m_app->approvals()->rowCount(), 1, kTimeoutMs);
        const auto row = m_app->approvals()->index(0);
        m_rollbackId = row.data(client::PendingApprovalModel::IdRole).toLongLong();
        QCOMPARE(row.data(client::PendingApprovalModel::RequestedByRole).toString(),
                 QStringLiteral("rewind"));
        QTRY_COMPARE_WITH_TIMEOUT(serviceValue(m_app->services(), QStringLiteral("api"),
                                               client::ServiceListModel::HealthRole),
                                  QStringLiteral("failing"), kTimeoutMs);
        showPage(QStringLiteral("overview"));
        screenshot(QStringLiteral("dashboard-overview.png"));

        // A viewer sees it, and a notification, but cannot approve.
        QVERIFY(m_app->notifications()->rowCount() >= 1);
        showPage(QStringLiteral("rollbacks"));
        auto *card = item(QStringLiteral("approval-%1").arg(m_rollbackId));
        QVERIFY(card);
        auto *approve = item(QStringLiteral("approveButton"), card);
        QVERIFY(approve);
        QTRY_VERIFY(approve->isVisible());
        QVERIFY(!approve->isEnabled());
        auto *why = item(QStringLiteral("whyNot"), card);
        QVERIFY(why);
        QVERIFY(why->property("text").toString().contains(QLatin1String("approver")));
        click(approve);
        // An enabled button would have started the command at once: nothing was sent.
        QVERIFY(!m_app->commands()->busy());
        QCOMPARE(m_app->approvals()->rowCount(), 1);
        screenshot(QStringLiteral("dashboard-approval-viewer.png"));
    }

    void anApproverApprovesAndTheRollbackCompletes()
    {
        m_app->signOut();
        signInWithPassword(QStringLiteral("alice"));
        QTRY_COMPARE_WITH_TIMEOUT(m_app->approvals()->rowCount(), 1, kTimeoutMs);
        showPage(QStringLiteral("rollbacks"));
        auto *card = item(QStringLiteral("approval-%1").arg(m_rollbackId));
        QVERIFY(card);
        auto *approve = item(QStringLiteral("approveButton"), card);
        QTRY_VERIFY(approve->isEnabled());
        item(QStringLiteral("approvalComment"), card)
            ->setProperty("text", QStringLiteral("error rate confirmed on the api chart"));
        screenshot(QStringLiteral("dashboard-approval.png"));
        click(approve);

        QTRY_COMPARE_WITH_TIMEOUT(m_app->approvals()->rowCount(), 0, kTimeoutMs);
        auto *rollbacks = m_app->rollbacks();
        const auto stateOf = [rollbacks, this] {
            for (int row = 0; row < rollbacks->rowCount(); ++row) {
                const auto index = rollbacks->index(row);
                if (index.data(client::RollbackListModel::IdRole).toLongLong() == m_rollbackId)
                    return index.data(client::RollbackListModel::StateRole).toString();
            }
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(), QStringLiteral("succeeded"), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(serviceValue(m_app->services(), QStringLiteral("api"),
                                               client::ServiceListModel::CurrentVersionRole),
                                  QStringLiteral("v1.1"), kTimeoutMs);
        // The approval is on the record: alice, with her comment.
        const auto r = client::callAndWait(
            m_scenario->rewind(), "GET", QStringLiteral("/api/v1/rollbacks/%1").arg(m_rollbackId));
        QVERIFY(r.ok());
        const auto approvals = r.body.object().value(QLatin1String("approvals")).toArray();
        QCOMPARE(approvals.size(), 1);
        QCOMPARE(approvals.first().toObject().value(QLatin1String("user")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(approvals.first().toObject().value(QLatin1String("comment")).toString(),
                 QStringLiteral("error rate confirmed on the api chart"));
        auto *card2 = item(QStringLiteral("rollback-%1").arg(m_rollbackId));
        QVERIFY(card2);
        screenshot(QStringLiteral("dashboard-rollback.png"));
    }

    void theServicePageChartsItsMetrics()
    {
        // The last minute: where this run's deploys and rollback are.
        m_app->metrics()->setRangeMinutes(1);
        QCOMPARE(m_app->metrics()->rangeMinutes(), 1);
        QMetaObject::invokeMethod(m_window, "showService", Q_ARG(QVariant, QStringLiteral("api")));
        QCOMPARE(m_app->metrics()->service(), QStringLiteral("api"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->metrics()->rowCount() > 0, kTimeoutMs);
        // History came through the API and points keep arriving live.
        int points = 0;
        for (int row = 0; row < m_app->metrics()->rowCount(); ++row)
            points = std::max(points, int(m_app->metrics()->pointsOf(row).size()));
        QVERIFY(points > 0);
        const auto grew = [this, points] {
            for (int row = 0; row < m_app->metrics()->rowCount(); ++row) {
                if (m_app->metrics()->pointsOf(row).size() > points)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(grew(), kTimeoutMs);
        // The deploys and the rollback are marked.
        QTRY_VERIFY_WITH_TIMEOUT(m_app->metrics()->markers().size() >= 2, kTimeoutMs);
        screenshot(QStringLiteral("dashboard-service.png"));
    }

    // The graph shows every service the server has, one node each, with an edge for each
    // dependency it declares (from the service to what it depends on), and each node is where a
    // click would find it, inside the view.
    void theDependencyGraph()
    {
        showPage(QStringLiteral("graph"));
        auto *view =
            qobject_cast<dashboard::DependencyGraphView *>(item(QStringLiteral("dependencyGraph")));
        QVERIFY(view);
        QTRY_VERIFY(view->isVisible() && view->width() > 0);
        QStringList services;
        QStringList dependencies;
        const auto status =
            client::callAndWait(m_scenario->rewind(), "GET", QStringLiteral("/api/v1/status"));
        for (const auto &v : status.body.object().value(QLatin1String("services")).toArray()) {
            const auto s = protocol::ServiceStatus::fromJson(v.toObject());
            services.append(s.name);
            for (const auto &d : s.dependsOn)
                dependencies.append(s.name + QStringLiteral(" -> ") + d);
        }
        QVERIFY(services.size() >= 2 && !dependencies.isEmpty());
        services.sort();
        dependencies.sort();
        const auto &scene = m_app->graph()->scene();
        QTRY_COMPARE(int(scene.nodes.size()), int(services.size()));
        QStringList nodes;
        for (const auto &node : scene.nodes) {
            nodes.append(node.id);
            const auto centre = view->viewport().toView(node.rect.center());
            QVERIFY2(centre.x() > 0 && centre.x() < view->width() && centre.y() > 0 &&
                         centre.y() < view->height(),
                     qPrintable(node.id));
            QCOMPARE(view->serviceAt(centre.x(), centre.y()), node.id);
        }
        nodes.sort();
        QCOMPARE(nodes, services);
        QStringList edges;
        for (const auto &edge : scene.edges)
            edges.append(scene.nodes.at(edge.from).id + QStringLiteral(" -> ") +
                         scene.nodes.at(edge.to).id);
        edges.sort();
        QCOMPARE(edges, dependencies);
        screenshot(QStringLiteral("dashboard-graph.png"));
    }

    void historyAndTheReportFromTheDashboard()
    {
        showPage(QStringLiteral("history"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->incidents()->count() >= 1, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->history()->count() >= 1, kTimeoutMs);
        const auto incident = m_app->incidents()->get(0);
        const qint64 id = incident.value(QStringLiteral("id")).toLongLong();
        QVERIFY(id > 0);
        auto *list = item(QStringLiteral("incidentList"));
        QVERIFY(list);
        QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, m_lastDelegate),
                                  Q_ARG(int, 0));
        click(m_lastDelegate);
        QTRY_VERIFY(shown(QStringLiteral("saveReportButton")));
        screenshot(QStringLiteral("dashboard-history.png"));

        // What the save dialog's Save does: the dashboard renders the PDF itself.
        QTemporaryDir dir;
        const auto path = dir.filePath(dashboard::DashboardApp::reportFileName(id));
        QSignalSpy saved(m_app.get(), &dashboard::DashboardApp::reportSaved);
        m_app->saveReport(id, QUrl::fromLocalFile(path));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kTimeoutMs);
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(2).toString()));
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        const auto laidOut = testing::pdfLayoutText(path);
        QVERIFY2(laidOut, qPrintable(testing::why(laidOut)));
        const QString &content = *laidOut;
        // (Long titles wrap, so the number and the rule are what is looked for.)
        QVERIFY2(content.contains(QStringLiteral("Incident #%1").arg(id)),
                 qPrintable(content.left(400)));
        QVERIFY(content.contains(QLatin1String("error-rate")));
        QVERIFY(content.contains(QLatin1String("alice")));
        QVERIFY(content.contains(QLatin1String("v1.2")));
    }

    void theAuditLogForAdmins()
    {
        // The audit view is for admins only; the drill's admin token signs in.
        QVERIFY(!m_app->session()->admin());
        m_app->signOut();
        m_app->connectToServer(m_scenario->rewindUrl().authority(), m_scenario->token());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->connected(), kTimeoutMs);
        QVERIFY(m_app->session()->admin());
        showPage(QStringLiteral("audit"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->audit()->count() > 0, kTimeoutMs);
        bool approved = false;
        for (int row = 0; row < m_app->audit()->count(); ++row)
            approved = approved || m_app->audit()->get(row).value(QStringLiteral("action")) ==
                                       QStringLiteral("rollback_approved");
        QVERIFY(approved);
        screenshot(QStringLiteral("dashboard-audit.png"));
    }

    void notificationsAndArabic()
    {
        showPage(QStringLiteral("overview"));
        auto *drawer = m_window->findChild<QObject *>(QStringLiteral("notificationsDrawer"));
        QVERIFY(drawer);
        QMetaObject::invokeMethod(drawer, "open");
        QTRY_VERIFY(drawer->property("position").toDouble() > 0.99);
        screenshot(QStringLiteral("dashboard-notifications.png"));
        QMetaObject::invokeMethod(drawer, "close");
        QTRY_VERIFY(drawer->property("position").toDouble() < 0.01);

        // In Arabic the pages are named as translations/rewind_ar.ts has them, and the page list
        // moves to the right edge of the window; back in English, to the left.
        const auto navOverview = [this] { return item(QStringLiteral("nav-overview")); };
        QVERIFY(navOverview());
        const auto side = [&] {
            auto *nav = navOverview();
            return nav->mapToScene(QPointF(nav->width() / 2, 0)).x() < m_window->width() / 2.0
                       ? QStringLiteral("left")
                       : QStringLiteral("right");
        };
        QCOMPARE(side(), QStringLiteral("left"));
        const auto arabic = translation(QStringLiteral("ar"), QStringLiteral("Overview"));
        QVERIFY(!arabic.isEmpty() && arabic != u"Overview");
        m_app->setLanguage(QStringLiteral("ar"));
        QVERIFY(m_app->rightToLeft());
        QTRY_COMPARE(navOverview()->property("text").toString(), arabic);
        QCOMPARE(item(QStringLiteral("nav-graph"))->property("text").toString(),
                 translation(QStringLiteral("ar"), QStringLiteral("Dependencies")));
        QTRY_COMPARE(side(), QStringLiteral("right"));
        screenshot(QStringLiteral("dashboard-overview-ar.png"));
        m_app->setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(navOverview()->property("text").toString(), QStringLiteral("Overview"));
        QTRY_COMPARE(side(), QStringLiteral("left"));
    }

private:
    // The translation of `source` in translations/rewind_<language>.ts, read from the file.
    static QString translation(const QString &language, const QString &source)
    {
        QFile file(QStringLiteral(REWIND_SOURCE_DIR "/translations/rewind_%1.ts").arg(language));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        QXmlStreamReader xml(&file);
        QString current;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"source")
                current = xml.readElementText();
            else if (xml.name() == u"translation" && current == source)
                return xml.readElementText();
        }
        return {};
    }

    QQuickItem *m_lastDelegate = nullptr;
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
