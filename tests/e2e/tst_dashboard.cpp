// The QML dashboard against a running rewindd and fleet, under the offscreen platform: it shows
// the services with their versions, follows a bad deploy being rolled back live, and saves a
// screenshot of each state.
#include "dashboard/dashboardapp.h"
#include "scenario.h"

#include <QDir>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QtQml>

Q_IMPORT_QML_PLUGIN(Rewind_DashboardPlugin)

using namespace rwd;

namespace {

QString serviceValue(client::ServiceListModel *model, const QString &service, int role)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto index = model->index(row);
        if (index.data(client::ServiceListModel::NameRole).toString() == service)
            return index.data(role).toString();
    }
    return {};
}

// A picture of a real window has many colours; a blank or failed render has one or two.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<drill::Scenario> m_scenario;
    std::unique_ptr<dashboard::DashboardApp> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;

    void screenshot(const QString &name)
    {
        QDir().mkpath(QStringLiteral(REWIND_TEST_OUTPUT_DIR));
        const auto image = m_window->grabWindow();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
        QVERIFY2(distinctColours(image) > 20, "the window looks blank");
        const auto path = QDir(QStringLiteral(REWIND_TEST_OUTPUT_DIR)).filePath(name);
        QVERIFY(image.save(path));
        qInfo("screenshot: %s", qPrintable(path));
    }

private slots:
    void initTestCase()
    {
        drill::ScenarioOptions options;
        options.binDir = QStringLiteral(REWIND_BIN_DIR);
        m_scenario = std::make_unique<drill::Scenario>(options);
        QString error;
        QVERIFY2(m_scenario->start(&error), qPrintable(error));

        m_app = std::make_unique<dashboard::DashboardApp>();
        qmlRegisterSingletonInstance("Rewind.Core", 1, 0, "Dashboard", m_app.get());
        m_engine = std::make_unique<QQmlApplicationEngine>();
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
        m_scenario.reset();
    }

    void connectsAndShowsTheServices()
    {
        QCOMPARE(m_app->status(), QStringLiteral("Disconnected"));
        // As a user would: type the address without a scheme.
        m_app->connectToServer(m_scenario->rewindUrl().authority(), m_scenario->token());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->connected(), 15'000);
        QCOMPARE(m_app->services()->rowCount(), 2);
        QString error;
        for (const auto *service : {"web", "api"})
            QVERIFY(m_scenario->record(QLatin1String(service), QStringLiteral("v1.0"),
                                       QStringLiteral("blue"), &error));
        const auto *services = m_app->services();
        QTRY_COMPARE_WITH_TIMEOUT(serviceValue(m_app->services(), QStringLiteral("api"),
                                               client::ServiceListModel::CurrentVersionRole),
                                  QStringLiteral("v1.0"), 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(serviceValue(m_app->services(), QStringLiteral("web"),
                                               client::ServiceListModel::HealthRole),
                                  QStringLiteral("healthy"), 15'000);
        // The QML list shows one delegate per service.
        auto *list = m_window->findChild<QQuickItem *>(QStringLiteral("serviceList"));
        QVERIFY(list);
        QTRY_COMPARE(list->property("count").toInt(), services->rowCount());
        screenshot(QStringLiteral("dashboard-overview.png"));
    }

    void followsARollbackLive()
    {
        const auto outcome = m_scenario->runBadDeploy();
        QVERIFY2(outcome.rolledBack, qPrintable(outcome.failure));
        auto *rollbacks = m_app->rollbacks();
        QTRY_COMPARE_WITH_TIMEOUT(rollbacks->rowCount(), 1, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(
            rollbacks->index(0).data(client::RollbackListModel::StateRole).toString(),
            QStringLiteral("succeeded"), 15'000);
        QCOMPARE(rollbacks->index(0).data(client::RollbackListModel::SummaryRole).toString(),
                 QStringLiteral("api v1.2 → v1.1"));
        QCOMPARE(rollbacks->index(0).data(client::RollbackListModel::StepsDoneRole).toInt(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(serviceValue(m_app->services(), QStringLiteral("api"),
                                               client::ServiceListModel::CurrentVersionRole),
                                  QStringLiteral("v1.1"), 15'000);
        QCOMPARE(serviceValue(m_app->services(), QStringLiteral("api"),
                              client::ServiceListModel::LastGoodVersionRole),
                 QStringLiteral("v1.1"));
        auto *list = m_window->findChild<QQuickItem *>(QStringLiteral("rollbackList"));
        QVERIFY(list);
        QTRY_COMPARE(list->property("count").toInt(), 1);
        screenshot(QStringLiteral("dashboard-rollback.png"));
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
