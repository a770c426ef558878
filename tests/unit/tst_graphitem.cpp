// DependencyGraphView in a real QQuickWindow (offscreen, software renderer): created from QML
// through registerGraphTypes(), it paints the graph and turns clicks, double clicks and keys
// into selection, activation and viewport changes.
#include "client/dashboardstate.h"
#include "client/graph/dependencygraph.h"
#include "dashboard/graphitem.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

using namespace rwd;

namespace {

protocol::ServiceStatus service(const QString &name, Health health, const QStringList &dependsOn)
{
    protocol::ServiceStatus s;
    s.name = name;
    s.environment = QStringLiteral("staging");
    s.health = health;
    s.dependsOn = dependsOn;
    return s;
}

} // namespace

class TestGraphItem : public QObject
{
    Q_OBJECT

private:
    client::DashboardState m_state;
    std::unique_ptr<client::DependencyGraph> m_graph;
    std::unique_ptr<QQmlEngine> m_engine;
    std::unique_ptr<QQuickWindow> m_window;
    dashboard::DependencyGraphView *m_view = nullptr;

    QPoint centreOf(const QString &name) const
    {
        const auto &scene = m_graph->scene();
        const auto rect = scene.nodes.at(scene.indexOf(name)).rect;
        return m_view->viewport().toView(rect.center()).toPoint();
    }

private slots:
    void initTestCase()
    {
        dashboard::registerGraphTypes();
        protocol::Snapshot snapshot;
        snapshot.services = {
            service(QStringLiteral("web"), Health::Healthy, {QStringLiteral("api")}),
            service(QStringLiteral("api"), Health::Degraded, {QStringLiteral("db")}),
            service(QStringLiteral("db"), Health::Healthy, {}),
        };
        m_state.reset(snapshot, 1);
        m_graph = std::make_unique<client::DependencyGraph>(&m_state);

        m_engine = std::make_unique<QQmlEngine>();
        QQmlComponent component(m_engine.get());
        component.setData("import Rewind.Core 1.0\n"
                          "DependencyGraphView { width: 800; height: 400 }\n",
                          QUrl());
        QObject *object = component.create();
        QVERIFY2(object, qPrintable(component.errorString()));
        m_view = qobject_cast<dashboard::DependencyGraphView *>(object);
        QVERIFY(m_view);
        QVERIFY(m_view->setProperty("graph", QVariant::fromValue(m_graph.get())));
        QCOMPARE(m_view->graph(), m_graph.get());

        m_window = std::make_unique<QQuickWindow>();
        m_window->resize(800, 400);
        m_view->setParentItem(m_window->contentItem());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase()
    {
        delete m_view;
        m_window.reset();
    }

    void paintsTheGraph()
    {
        // Fitted on its own: a small graph stays at its natural size, centred.
        QVERIFY(m_view->autoFit());
        QCOMPARE(m_view->zoom(), 1.0);
        const QImage image = m_window->grabWindow();
        QVERIFY(!image.isNull());
        const auto palette = client::graph::GraphPalette::light();
        const auto &node =
            m_graph->scene().nodes.at(m_graph->scene().indexOf(QStringLiteral("api")));
        const QPointF body =
            m_view->viewport().toView(QPointF(node.rect.left() + 5, node.rect.center().y()));
        const qreal dpr = image.devicePixelRatio();
        QCOMPARE(image.pixelColor(int(body.x() * dpr), int(body.y() * dpr)),
                 palette.fill(Health::Degraded));
    }

    void clickSelectsDoubleClickActivates()
    {
        QSignalSpy selected(m_view, &dashboard::DependencyGraphView::selectedServiceChanged);
        QSignalSpy activated(m_view, &dashboard::DependencyGraphView::serviceActivated);
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, centreOf(QStringLiteral("api")));
        QCOMPARE(m_view->selectedService(), QStringLiteral("api"));
        QCOMPARE(selected.count(), 1);
        QVERIFY(m_view->hasActiveFocus());
        QTest::mouseDClick(m_window.get(), Qt::LeftButton, {}, centreOf(QStringLiteral("db")));
        QCOMPARE(m_view->selectedService(), QStringLiteral("db"));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toString(), QStringLiteral("db"));
        // A click on nothing clears the selection.
        QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(m_view->selectedService(), QString());
    }

    void keyboard()
    {
        m_view->forceActiveFocus();
        QSignalSpy activated(m_view, &dashboard::DependencyGraphView::serviceActivated);
        QTest::keyClick(m_window.get(), Qt::Key_Tab);
        QCOMPARE(m_view->selectedService(), QStringLiteral("web"));
        QTest::keyClick(m_window.get(), Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(m_view->selectedService(), QStringLiteral("api"));
        QTest::keyClick(m_window.get(), Qt::Key_Tab);
        QCOMPARE(m_view->selectedService(), QStringLiteral("db"));
        QTest::keyClick(m_window.get(), Qt::Key_Backtab);
        QCOMPARE(m_view->selectedService(), QStringLiteral("api"));
        QTest::keyClick(m_window.get(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toString(), QStringLiteral("api"));
        QTest::keyClick(m_window.get(), Qt::Key_Escape);
        QCOMPARE(m_view->selectedService(), QString());

        // Zooming and panning by keys leave the fitted state; 0 comes back to it.
        const qreal fitted = m_view->zoom();
        QTest::keyClick(m_window.get(), Qt::Key_Plus);
        QCOMPARE(m_view->zoom(), fitted * 1.25);
        QVERIFY(!m_view->autoFit());
        const QPointF before = m_view->viewport().offset();
        QTest::keyClick(m_window.get(), Qt::Key_Left);
        QCOMPARE(m_view->viewport().offset(), before + QPointF(48, 0));
        QTest::keyClick(m_window.get(), Qt::Key_0);
        QVERIFY(m_view->autoFit());
        QCOMPARE(m_view->zoom(), fitted);
    }

    void dragPansAndWheelZoomsAroundTheCursor()
    {
        m_view->fitToView();
        const QPointF offset = m_view->viewport().offset();
        const QPoint start(400, 380); // below the nodes
        QTest::mousePress(m_window.get(), Qt::LeftButton, {}, start);
        QTest::mouseMove(m_window.get(), start + QPoint(30, -10));
        QTest::mouseMove(m_window.get(), start + QPoint(60, -20));
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, {}, start + QPoint(60, -20));
        QCOMPARE(m_view->viewport().offset(), offset + QPointF(60, -20));
        QCOMPARE(m_view->selectedService(), QString()); // a drag is not a click
        QVERIFY(!m_view->autoFit());

        const QPoint cursor = centreOf(QStringLiteral("web"));
        const QPointF under = m_view->viewport().toScene(cursor);
        QWheelEvent wheel(cursor, m_window->mapToGlobal(cursor), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(m_window.get(), &wheel);
        QVERIFY(m_view->zoom() > 1.1);
        const QPointF still = m_view->viewport().toScene(cursor);
        QVERIFY(qAbs(still.x() - under.x()) < 1e-6 && qAbs(still.y() - under.y()) < 1e-6);
        QCOMPARE(m_view->serviceAt(cursor.x(), cursor.y()), QStringLiteral("web"));
    }

    void fittedViewMakesRoomForTheRollbackCaption()
    {
        m_view->fitToView();
        protocol::RollbackInfo rollback;
        rollback.id = 9;
        rollback.state = PlanState::Running;
        protocol::TargetInfo target;
        target.service = QStringLiteral("api");
        rollback.targets = {target};
        m_state.apply(protocol::Event{5, QString::fromLatin1(protocol::event::RollbackStarted), 0,
                                      rollback.toJson()});
        QVERIFY(!m_graph->scene().overlayCaption.isEmpty());
        const qreal captionBottom = client::graph::GraphRenderer(m_graph->style()).captionBottom();
        // Centred in what is left below the caption (12 px under it, 24 px margin at the bottom).
        const qreal centre = (captionBottom + 12 + m_view->height() - 24) / 2;
        QCOMPARE(m_view->viewport().toView(m_graph->scene().bounds.center()).y(), centre);
        QVERIFY(m_view->autoFit());
    }
};

QTEST_MAIN(TestGraphItem)
#include "tst_graphitem.moc"
