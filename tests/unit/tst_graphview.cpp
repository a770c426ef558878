// The dependency graph above the layout: DependencyGraph built from a DashboardState (relayout
// only on topology changes, the rollback overlay), the viewport's pan and zoom, hit testing and
// keyboard navigation, and the QPainter renderer checked pixel by pixel in a QImage.
#include "client/dashboardstate.h"
#include "client/graph/dependencygraph.h"
#include "client/graph/graphrenderer.h"
#include "client/graph/graphviewport.h"

#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

using namespace rwd;
using namespace rwd::client::graph;

namespace {

protocol::ServiceStatus service(const QString &name, Health health,
                                const QStringList &dependsOn = {},
                                const QString &version = QStringLiteral("v1.4"),
                                const QString &environment = QStringLiteral("production"))
{
    protocol::ServiceStatus s;
    s.name = name;
    s.environment = environment;
    s.kind = QStringLiteral("backend");
    s.health = health;
    s.dependsOn = dependsOn;
    if (!version.isEmpty()) {
        protocol::ReleaseInfo r;
        r.id = 1;
        r.service = name;
        r.version = version;
        r.state = ReleaseState::Verified;
        s.current = r;
    }
    return s;
}

// web → api → db and worker → db, each in its own health.
protocol::Snapshot fleet()
{
    protocol::Snapshot snapshot;
    snapshot.services = {
        service(QStringLiteral("web"), Health::Healthy, {QStringLiteral("api")}),
        service(QStringLiteral("api"), Health::Failing, {QStringLiteral("db")}),
        service(QStringLiteral("db"), Health::Degraded),
        service(QStringLiteral("worker"), Health::Unknown, {QStringLiteral("db")}),
    };
    return snapshot;
}

protocol::StepInfo step(int index, const QString &serviceName, const char *kind, StepState state,
                        const QList<int> &after = {})
{
    protocol::StepInfo s;
    s.id = 100 + index;
    s.index = index;
    s.service = serviceName;
    s.kind = QString::fromLatin1(kind);
    s.description = s.kind;
    s.after = after;
    s.state = state;
    return s;
}

protocol::TargetInfo target(const QString &serviceName, const QStringList &after = {})
{
    protocol::TargetInfo t;
    t.service = serviceName;
    t.fromVersion = QStringLiteral("v1.4");
    t.toVersion = QStringLiteral("v1.3");
    t.strategy = QStringLiteral("blue_green");
    t.after = after;
    return t;
}

// Rolls back web, then api (after web), then db (after api); worker is not part of it.
protocol::RollbackInfo trainRollback(qint64 id)
{
    protocol::RollbackInfo r;
    r.id = id;
    r.state = PlanState::Running;
    r.trigger = QStringLiteral("rule:errors");
    r.createdAtMs = 1'700'000'000'000 + id;
    r.targets = {target(QStringLiteral("web")),
                 target(QStringLiteral("api"), {QStringLiteral("web")}),
                 target(QStringLiteral("db"), {QStringLiteral("api")})};
    r.steps = {step(0, QStringLiteral("web"), "switch_traffic", StepState::Succeeded),
               step(1, QStringLiteral("web"), "verify_health", StepState::Succeeded, {0}),
               step(2, QStringLiteral("api"), "switch_traffic", StepState::Running, {1}),
               step(3, QStringLiteral("api"), "verify_health", StepState::Pending, {2}),
               step(4, QStringLiteral("db"), "switch_traffic", StepState::Pending, {3})};
    return r;
}

class EventFeed
{
public:
    explicit EventFeed(client::DashboardState &state)
        : m_state(state)
    {}
    void send(const char *type, const QJsonObject &data)
    {
        m_state.apply(protocol::Event{++m_seq, QString::fromLatin1(type), 0, data});
    }
    void update(const protocol::ServiceStatus &status)
    {
        send(protocol::event::ServiceUpdated, status.toJson());
    }
    void stepChanged(qint64 rollbackId, const protocol::StepInfo &s)
    {
        send(protocol::event::StepFinished, QJsonObject{{QStringLiteral("rollback_id"), rollbackId},
                                                        {QStringLiteral("step"), s.toJson()}});
    }

private:
    client::DashboardState &m_state;
    qint64 m_seq = 10;
};

const SceneNode &nodeNamed(const GraphScene &scene, const QString &name)
{
    static const SceneNode none;
    const int index = scene.indexOf(name);
    return index >= 0 ? scene.nodes.at(index) : none;
}

QImage render(const GraphScene &scene, const GraphViewport &viewport, const GraphPalette &palette,
              const QString &selected = {}, qreal dpr = 1, QSize size = {900, 500})
{
    QImage image(size * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    GraphRenderer(GraphStyle(), palette).paint(painter, scene, viewport, size, selected);
    painter.end();
    return image;
}

// The colour at a view point given in logical pixels.
QColor pixelAt(const QImage &image, const QPointF &viewPoint)
{
    const qreal dpr = image.devicePixelRatio();
    return image.pixelColor(int(viewPoint.x() * dpr), int(viewPoint.y() * dpr));
}

// A point inside a node's body that no text or mark covers: in the left padding, half-way down.
QPointF bodyPoint(const SceneNode &node)
{
    return QPointF(node.rect.left() + 5, node.rect.center().y());
}

void saveForLooking(const QImage &image, const QString &name)
{
    QDir().mkpath(QStringLiteral(REWIND_TEST_OUTPUT_DIR));
    image.save(QStringLiteral(REWIND_TEST_OUTPUT_DIR "/%1.png").arg(name));
}

} // namespace

class TestGraphView : public QObject
{
    Q_OBJECT

private slots:
    void buildsTheGraphFromTheState()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        const auto &scene = graph.scene();
        QCOMPARE(graph.nodeCount(), 4);
        QCOMPARE(scene.edges.size(), 3);
        QCOMPARE(nodeNamed(scene, QStringLiteral("api")).health, Health::Failing);
        QCOMPARE(nodeNamed(scene, QStringLiteral("web")).detail,
                 QStringLiteral("v1.4 · production"));
        QVERIFY(nodeNamed(scene, QStringLiteral("web")).rect.right() <
                nodeNamed(scene, QStringLiteral("api")).rect.left());
        QVERIFY(scene.overlayCaption.isEmpty());
        QCOMPARE(graph.shownRollbackId(), 0);
    }

    void healthAndVersionChangesDoNotRelayout()
    {
        client::DashboardState state;
        client::DependencyGraph graph(&state);
        state.reset(fleet(), 10);
        const int layouts = graph.layoutCount();
        const QRectF apiRect = nodeNamed(graph.scene(), QStringLiteral("api")).rect;
        QSignalSpy changed(&graph, &client::DependencyGraph::changed);
        QSignalSpy layoutChanged(&graph, &client::DependencyGraph::layoutChanged);
        EventFeed feed(state);

        feed.update(service(QStringLiteral("api"), Health::Healthy, {QStringLiteral("db")}));
        QCOMPARE(graph.layoutCount(), layouts);
        QCOMPARE(layoutChanged.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(nodeNamed(graph.scene(), QStringLiteral("api")).health, Health::Healthy);

        // A new version of about the same length keeps the node's size, so the layout stays.
        feed.update(service(QStringLiteral("api"), Health::Healthy, {QStringLiteral("db")},
                            QStringLiteral("v1.5")));
        QCOMPARE(graph.layoutCount(), layouts);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(nodeNamed(graph.scene(), QStringLiteral("api")).detail,
                 QStringLiteral("v1.5 · production"));
        QCOMPARE(nodeNamed(graph.scene(), QStringLiteral("api")).rect, apiRect);

        // The same status again changes nothing drawn: no repaint asked for.
        feed.update(service(QStringLiteral("api"), Health::Healthy, {QStringLiteral("db")},
                            QStringLiteral("v1.5")));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(layoutChanged.count(), 0);
    }

    void topologyChangesRelayout()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        const int layouts = graph.layoutCount();
        QSignalSpy layoutChanged(&graph, &client::DependencyGraph::layoutChanged);
        EventFeed feed(state);

        // worker now depends on api as well: a new edge.
        feed.update(service(QStringLiteral("worker"), Health::Unknown,
                            {QStringLiteral("db"), QStringLiteral("api")}));
        QCOMPARE(graph.layoutCount(), layouts + 1);
        QCOMPARE(layoutChanged.count(), 1);
        QCOMPARE(graph.scene().edges.size(), 4);

        // A version string long enough to widen the node changes the label size.
        feed.update(service(QStringLiteral("db"), Health::Degraded, {},
                            QStringLiteral("v2.0.0-rc.1+build.20261202.abcdef")));
        QCOMPARE(graph.layoutCount(), layouts + 2);

        // A new snapshot with another service.
        auto snapshot = fleet();
        snapshot.services.append(service(QStringLiteral("cache"), Health::Healthy));
        state.reset(snapshot, 50);
        QCOMPARE(graph.layoutCount(), layouts + 3);
        QCOMPARE(graph.nodeCount(), 5);
    }

    void filtersByEnvironment()
    {
        client::DashboardState state;
        auto snapshot = fleet();
        snapshot.services.append(service(QStringLiteral("web-staging"), Health::Healthy,
                                         {QStringLiteral("api")}, QStringLiteral("v2"),
                                         QStringLiteral("staging")));
        state.reset(snapshot, 10);
        client::DependencyGraph graph(&state);
        QCOMPARE(graph.environments(),
                 QStringList({QStringLiteral("production"), QStringLiteral("staging")}));
        QCOMPARE(graph.nodeCount(), 5);
        QCOMPARE(graph.scene().edges.size(), 4);
        graph.setEnvironment(QStringLiteral("staging"));
        QCOMPARE(graph.nodeCount(), 1);
        // Its edge to a production service is left out.
        QCOMPARE(graph.scene().edges.size(), 0);
        graph.setEnvironment(QStringLiteral("nowhere"));
        QCOMPARE(graph.nodeCount(), 0);
        QVERIFY(!graph.scene().placeholder.isEmpty());
    }

    void overlaysTheRunningRollback()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        EventFeed feed(state);
        feed.send(protocol::event::RollbackStarted, trainRollback(7).toJson());
        const int layouts = graph.layoutCount();
        QCOMPARE(graph.shownRollbackId(), 7);
        const auto &scene = graph.scene();
        QCOMPARE(nodeNamed(scene, QStringLiteral("web")).planOrder, 1);
        QCOMPARE(nodeNamed(scene, QStringLiteral("api")).planOrder, 2);
        QCOMPARE(nodeNamed(scene, QStringLiteral("db")).planOrder, 3);
        QCOMPARE(nodeNamed(scene, QStringLiteral("worker")).planOrder, 0);
        QCOMPARE(nodeNamed(scene, QStringLiteral("web")).planState, StepState::Succeeded);
        QCOMPARE(nodeNamed(scene, QStringLiteral("api")).planState, StepState::Running);
        QCOMPARE(nodeNamed(scene, QStringLiteral("db")).planState, StepState::Pending);
        QVERIFY(scene.overlayCaption.contains(QStringLiteral("#7")));
        int planEdges = 0;
        for (const auto &edge : scene.edges)
            planEdges += edge.inPlan;
        QCOMPARE(planEdges, 2); // web → api, api → db; worker → db is not

        // Steps move on: a repaint, never a relayout.
        QSignalSpy changed(&graph, &client::DependencyGraph::changed);
        feed.stepChanged(7, step(2, QStringLiteral("api"), "switch_traffic", StepState::Failed));
        QCOMPARE(nodeNamed(graph.scene(), QStringLiteral("api")).planState, StepState::Failed);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(graph.layoutCount(), layouts);

        // Once it has finished, the overlay goes unless that rollback is pinned.
        auto finished = trainRollback(7);
        finished.state = PlanState::Failed;
        feed.send(protocol::event::RollbackFinished,
                  QJsonObject{{QStringLiteral("rollback"), finished.toJson()}});
        QCOMPARE(graph.shownRollbackId(), 0);
        QCOMPARE(nodeNamed(graph.scene(), QStringLiteral("api")).planOrder, 0);
        QVERIFY(graph.scene().overlayCaption.isEmpty());
        graph.setPinnedRollbackId(7);
        QCOMPARE(graph.shownRollbackId(), 7);
        QCOMPARE(nodeNamed(graph.scene(), QStringLiteral("api")).planOrder, 2);
        QCOMPARE(graph.layoutCount(), layouts);
    }

    void parallelTargetsShareTheirOrder()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        protocol::RollbackInfo r;
        r.id = 3;
        r.state = PlanState::AwaitingApproval;
        // web and worker first, side by side; then api; db last. "ghost" is not a service and a
        // self-reference is no order at all.
        r.targets = {
            target(QStringLiteral("web")), target(QStringLiteral("worker")),
            target(QStringLiteral("api"), {QStringLiteral("web"), QStringLiteral("ghost")}),
            target(QStringLiteral("db"),
                   {QStringLiteral("api"), QStringLiteral("worker"), QStringLiteral("db")})};
        EventFeed(state).send(protocol::event::RollbackStarted, r.toJson());
        const auto &scene = graph.scene();
        QCOMPARE(nodeNamed(scene, QStringLiteral("web")).planOrder, 1);
        QCOMPARE(nodeNamed(scene, QStringLiteral("worker")).planOrder, 1);
        QCOMPARE(nodeNamed(scene, QStringLiteral("api")).planOrder, 2);
        QCOMPARE(nodeNamed(scene, QStringLiteral("db")).planOrder, 3);
        QCOMPARE(nodeNamed(scene, QStringLiteral("db")).planState, StepState::Pending);
    }

    void zoomAroundKeepsThePointFixed()
    {
        GraphViewport viewport;
        viewport.setOffset(QPointF(-120, 35));
        for (const qreal factor : {1.25, 0.8, 3.0, 0.01, 100.0}) {
            const QPointF anchor(317, 211);
            const QPointF before = viewport.toScene(anchor);
            viewport.zoomAround(anchor, factor);
            const QPointF after = viewport.toScene(anchor);
            QVERIFY2(qAbs(before.x() - after.x()) < 1e-9 && qAbs(before.y() - after.y()) < 1e-9,
                     qPrintable(QString::number(factor)));
            QVERIFY(viewport.zoom() >= GraphViewport::MinZoom);
            QVERIFY(viewport.zoom() <= GraphViewport::MaxZoom);
        }
        viewport.setZoom(1);
        viewport.zoomAround(QPointF(10, 10), 0); // nonsense factors are ignored
        viewport.zoomAround(QPointF(10, 10), std::numeric_limits<qreal>::quiet_NaN());
        QCOMPARE(viewport.zoom(), 1.0);
        QCOMPARE(viewport.toView(viewport.toScene(QPointF(42, 17))), QPointF(42, 17));
        QCOMPARE(viewport.transform().map(QPointF(3, 4)), viewport.toView(QPointF(3, 4)));
    }

    void fitAndEnsureVisible()
    {
        GraphViewport viewport;
        const QRectF scene(0, 0, 2000, 500);
        viewport.fit(scene, QSizeF(1000, 800), 20);
        QCOMPARE(viewport.zoom(), 960.0 / 2000);
        const QRectF shown = viewport.toView(scene);
        QCOMPARE(shown.center(), QPointF(500, 400));
        QVERIFY(QRectF(0, 0, 1000, 800).contains(shown));
        // A small graph is not blown up.
        viewport.fit(QRectF(0, 0, 100, 50), QSizeF(1000, 800));
        QCOMPARE(viewport.zoom(), 1.0);

        viewport.setOffset(QPointF(0, 0));
        viewport.ensureVisible(QRectF(1500, 100, 100, 50), QSizeF(1000, 800), 10);
        const QRectF now = viewport.toView(QRectF(1500, 100, 100, 50));
        QCOMPARE(now.right(), 990.0);
        QCOMPARE(now.top(), 100.0); // already visible vertically: not moved that way
    }

    void hitTestingAfterPanAndZoom()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        const auto &scene = graph.scene();
        GraphViewport viewport;
        viewport.panBy(QPointF(250, -40));
        viewport.zoomAround(QPointF(400, 300), 1.7);
        for (int i = 0; i < scene.nodes.size(); ++i) {
            const QPointF centre = viewport.toView(scene.nodes.at(i).rect.center());
            QCOMPARE(scene.nodeAt(viewport.toScene(centre)), i);
            const QPointF corner = viewport.toView(scene.nodes.at(i).rect.topLeft());
            QCOMPARE(scene.nodeAt(viewport.toScene(corner - QPointF(2, 2))), -1);
        }
        QCOMPARE(scene.nodeAt(viewport.toScene(QPointF(-1000, -1000))), -1);
    }

    void keyboardNavigation()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        const auto &scene = graph.scene();
        const int web = scene.indexOf(QStringLiteral("web"));
        const int api = scene.indexOf(QStringLiteral("api"));
        const int db = scene.indexOf(QStringLiteral("db"));
        // Reading order: column by column; web is alone in the first one.
        QCOMPARE(scene.stepInReadingOrder(-1, 1), web);
        QCOMPARE(scene.readingOrder().size(), 4);
        QCOMPARE(scene.readingOrder().last(), db);
        QCOMPARE(scene.stepInReadingOrder(db, 1), -1);
        QCOMPARE(scene.stepInReadingOrder(web, -1), -1);
        QCOMPARE(scene.neighbourInDirection(web, Direction::Right), api);
        QCOMPARE(scene.neighbourInDirection(api, Direction::Right), db);
        QCOMPARE(scene.neighbourInDirection(api, Direction::Left), web);
        QCOMPARE(scene.neighbourInDirection(web, Direction::Left), -1);
    }

    void rendersHealthColours_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addColumn<qreal>("dpr");
        QTest::addRow("light") << false << 1.0;
        QTest::addRow("dark") << true << 1.0;
        QTest::addRow("light, device pixel ratio 2") << false << 2.0;
    }

    void rendersHealthColours()
    {
        QFETCH(bool, dark);
        QFETCH(qreal, dpr);
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        const auto palette = dark ? GraphPalette::dark() : GraphPalette::light();
        GraphViewport viewport;
        viewport.setOffset(QPointF(30, 30));
        const auto image = render(graph.scene(), viewport, palette, {}, dpr);
        QCOMPARE(image.size(), QSize(900, 500) * dpr);
        QCOMPARE(pixelAt(image, QPointF(2, 2)), palette.background);
        for (const auto &node : graph.scene().nodes) {
            QCOMPARE(pixelAt(image, viewport.toView(bodyPoint(node))), palette.fill(node.health));
        }
        QVERIFY(palette.fill(Health::Healthy) != palette.fill(Health::Failing));
        if (!dark && dpr == 1)
            saveForLooking(image, QStringLiteral("graph-fleet"));
    }

    void rendersTheRollbackOverlay()
    {
        client::DashboardState state;
        state.reset(fleet(), 10);
        client::DependencyGraph graph(&state);
        EventFeed(state).send(protocol::event::RollbackStarted, trainRollback(7).toJson());
        const auto palette = GraphPalette::light();
        GraphViewport viewport;
        viewport.setOffset(QPointF(40, 70));
        const auto &scene = graph.scene();
        const auto image = render(scene, viewport, palette, QStringLiteral("worker"));
        saveForLooking(image, QStringLiteral("graph-fleet-rollback"));
        saveForLooking(render(scene, viewport, GraphPalette::dark(), QStringLiteral("worker"), 2),
                       QStringLiteral("graph-fleet-rollback-dark@2x"));
        for (const auto &node : scene.nodes) {
            // The badge sits on the ring's top-left corner: sample it above its number.
            const QPointF badge = node.rect.topLeft() - QPointF(4, 4) - QPointF(0, 7);
            const QColor colour = pixelAt(image, viewport.toView(badge));
            if (node.planOrder > 0) {
                QCOMPARE(colour, palette.stepColor(node.planState));
            } else {
                QCOMPARE(colour, palette.background);
            }
        }
        // A running target's ring is solid, in the running colour, just outside its border.
        const auto &api = nodeNamed(scene, QStringLiteral("api"));
        QCOMPARE(
            pixelAt(image, viewport.toView(QPointF(api.rect.left() - 4, api.rect.center().y()))),
            palette.stepColor(StepState::Running));
        // The selected service is outlined.
        const auto &worker = nodeNamed(scene, QStringLiteral("worker"));
        QCOMPARE(pixelAt(image, viewport.toView(
                                    QPointF(worker.rect.center().x(), worker.rect.bottom() + 4))),
                 palette.selection);
        // The badge's number is drawn: its box is not all one colour.
        const QPointF centre = viewport.toView(api.rect.topLeft() - QPointF(4, 4));
        QSet<QRgb> colours;
        for (int dy = -4; dy <= 4; ++dy)
            for (int dx = -3; dx <= 3; ++dx)
                colours.insert(image.pixel(int(centre.x()) + dx, int(centre.y()) + dy));
        QVERIFY(colours.size() > 2);

        // The caption is drawn in the top-left corner of the view, and only with an overlay.
        const QPointF captionPoint(16, 20);
        QVERIFY(pixelAt(image, captionPoint) != palette.background);
        // (This replaces the scene: `scene` and `api` must not be used after it.)
        graph.setPinnedRollbackId(-1); // no such rollback: no overlay
        QVERIFY(graph.scene().overlayCaption.isEmpty());
        QCOMPARE(pixelAt(render(graph.scene(), viewport, palette), captionPoint),
                 palette.background);
    }

    void rendersAnEmptyGraphAndTinyZoom()
    {
        client::DashboardState state;
        client::DependencyGraph graph(&state);
        const auto palette = GraphPalette::light();
        auto image = render(graph.scene(), {}, palette);
        QCOMPARE(pixelAt(image, QPointF(5, 5)), palette.background);
        QVERIFY(!graph.scene().placeholder.isEmpty());

        state.reset(fleet(), 10);
        GraphViewport viewport;
        viewport.setZoom(GraphViewport::MinZoom);
        image = render(graph.scene(), viewport, palette);
        QCOMPARE(pixelAt(image, QPointF(500, 400)), palette.background);
    }
};

QTEST_MAIN(TestGraphView)
#include "tst_graphview.moc"
