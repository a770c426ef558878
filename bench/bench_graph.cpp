// The dashboard's dependency graph: layout time for realistic service DAGs of 100, 250 and 500
// services against a naive layered placement of the same graph measured in the same run (with the
// height of the drawing with and without the compaction after Brandes-Koepf), the same for a
// complete DAG of 500 services (the work budget's worst case), and the time to paint one frame of
// the 500-service graph into a QImage against plain QPainter drawing of as many boxes and lines;
// then, at zoom 1, the cost of stroking the whole curves of the edges in view with the
// renderer's one-pixel cosmetic pen against a 1.4 px pen.
// Reproduce: build/ci/bin/bench_graph [--save DIR] (see docs/performance.md). --save writes the
// 500-service graph, fitted and zoomed in, as PNG files to look at.
#include "client/dashboardstate.h"
#include "client/graph/dependencygraph.h"
#include "client/graph/graphlayout.h"
#include "client/graph/graphrenderer.h"
#include "harness.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <cmath>
#include <random>

using namespace rwd;
using namespace rwd::client::graph;

namespace {

// A fleet in six tiers (frontends, gateways, APIs, workers, caches, databases), as teams build
// them: each service depends on one to three services of the next tier, mostly ones of its own
// area (near its position in that tier) and now and then a shared one (the first tenth of the
// tier: auth, the main gateway, the shared cache…); one in five also depends on a service
// further down.
protocol::Snapshot realisticFleet(int count, quint32 seed)
{
    static const char *const tierNames[] = {"web", "gateway", "api", "worker", "cache", "db"};
    static const char *const tierKinds[] = {"frontend", "backend", "backend",
                                            "worker",   "backend", "database"};
    constexpr int tiers = 6;
    std::mt19937 random(seed);
    std::vector<std::vector<int>> tier(tiers);
    protocol::Snapshot snapshot;
    for (int i = 0; i < count; ++i) {
        const int t = i * tiers / count;
        tier[std::size_t(t)].push_back(i);
        protocol::ServiceStatus s;
        s.name = QStringLiteral("%1-%2").arg(QLatin1String(tierNames[t])).arg(i);
        s.environment = i % 3 == 0 ? QStringLiteral("staging") : QStringLiteral("production");
        s.kind = QLatin1String(tierKinds[t]);
        const int h = int(random() % 20);
        s.health = h < 15
                       ? Health::Healthy
                       : (h < 17 ? Health::Degraded : (h < 19 ? Health::Failing : Health::Unknown));
        protocol::ReleaseInfo release;
        release.service = s.name;
        release.version = QStringLiteral("v%1.%2").arg(random() % 4 + 1).arg(random() % 20);
        s.current = release;
        snapshot.services.append(s);
    }
    const auto near = [&](const std::vector<int> &in, double where) {
        const int size = int(in.size());
        const int spread = std::max(2, size / 12);
        const int j = int(where * size) + int(random() % quint32(2 * spread + 1)) - spread;
        return in[std::size_t(std::clamp(j, 0, size - 1))];
    };
    const auto shared = [&](const std::vector<int> &in) {
        return in[random() % std::max<std::size_t>(1, in.size() / 10)];
    };
    for (int t = 0; t + 1 < tiers; ++t) {
        const auto &own = tier[std::size_t(t)];
        for (std::size_t i = 0; i < own.size(); ++i) {
            const double where = (double(i) + 0.5) / double(own.size());
            auto &dependsOn = snapshot.services[own[i]].dependsOn;
            const auto add = [&](int v) {
                const auto &name = snapshot.services.at(v).name;
                if (!dependsOn.contains(name))
                    dependsOn.append(name);
            };
            const auto &next = tier[std::size_t(t) + 1];
            for (int k = int(random() % 3) + 1; k > 0; --k)
                add(random() % 4 == 0 ? shared(next) : near(next, where));
            if (t + 2 < tiers && random() % 5 == 0)
                add(near(tier[std::size_t(t) + 2 + std::size_t(random() % quint32(tiers - t - 2))],
                         where));
        }
    }
    return snapshot;
}

struct Topology
{
    QList<LayoutNode> nodes;
    QList<LayoutEdge> edges;
};

Topology topologyOf(const protocol::Snapshot &snapshot, const GraphStyle &style)
{
    Topology t;
    for (const auto &s : snapshot.services) {
        const QString detail = QStringLiteral("%1 · %2").arg(s.current->version, s.environment);
        t.nodes.append({s.name, style.nodeSize(s.name, detail)});
        for (const auto &d : s.dependsOn)
            t.edges.append({s.name, d});
    }
    return t;
}

struct Drawing
{
    QList<QRectF> rects;
    QList<QList<QPointF>> edges;
};

// The baseline: what a first version would do. Topological sort (Kahn), each node in the
// column after its deepest dependent, stacked in the order it was reached, every edge one
// straight line from border to border; no dummy nodes, no ordering, no alignment.
Drawing naiveLayout(const Topology &t)
{
    const int n = int(t.nodes.size());
    QHash<QString, int> index;
    for (int i = 0; i < n; ++i)
        index.insert(t.nodes.at(i).id, i);
    std::vector<std::vector<int>> succ(static_cast<std::size_t>(n));
    std::vector<int> inDegree(static_cast<std::size_t>(n), 0);
    for (const auto &e : t.edges) {
        const int a = index.value(e.from), b = index.value(e.to);
        succ[std::size_t(a)].push_back(b);
        ++inDegree[std::size_t(b)];
    }
    std::vector<int> order, layer(static_cast<std::size_t>(n), 0);
    for (int v = 0; v < n; ++v) {
        if (inDegree[std::size_t(v)] == 0)
            order.push_back(v);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        for (const int w : succ[std::size_t(order[i])]) {
            layer[std::size_t(w)] =
                std::max(layer[std::size_t(w)], layer[std::size_t(order[i])] + 1);
            if (--inDegree[std::size_t(w)] == 0)
                order.push_back(w);
        }
    }
    qreal widest = 0;
    for (const auto &node : t.nodes)
        widest = std::max(widest, node.size.width());
    std::vector<qreal> columnY;
    Drawing d;
    d.rects.resize(n);
    for (const int v : order) {
        const std::size_t l = std::size_t(layer[std::size_t(v)]);
        if (columnY.size() <= l)
            columnY.resize(l + 1, 0);
        d.rects[v] = QRectF(QPointF(qreal(l) * (widest + 72), columnY[l]), t.nodes.at(v).size);
        columnY[l] += t.nodes.at(v).size.height() + 20;
    }
    for (const auto &e : t.edges) {
        const QRectF &a = d.rects.at(index.value(e.from));
        const QRectF &b = d.rects.at(index.value(e.to));
        d.edges.append({QPointF(a.right(), a.center().y()), QPointF(b.left(), b.center().y())});
    }
    return d;
}

double cross(const QPointF &o, const QPointF &a, const QPointF &b)
{
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

// Edge crossings as drawn (segments meeting inside both), to compare the two drawings.
long long drawnCrossings(const QList<QList<QPointF>> &edges)
{
    const auto crosses = [](const QPointF &a, const QPointF &b, const QPointF &c,
                            const QPointF &d) {
        const double d1 = cross(c, d, a), d2 = cross(c, d, b);
        const double d3 = cross(a, b, c), d4 = cross(a, b, d);
        return ((d1 > 1e-6 && d2 < -1e-6) || (d1 < -1e-6 && d2 > 1e-6)) &&
               ((d3 > 1e-6 && d4 < -1e-6) || (d3 < -1e-6 && d4 > 1e-6));
    };
    long long count = 0;
    for (qsizetype i = 0; i < edges.size(); ++i) {
        for (qsizetype j = i + 1; j < edges.size(); ++j) {
            for (qsizetype s = 0; s + 1 < edges.at(i).size(); ++s) {
                for (qsizetype u = 0; u + 1 < edges.at(j).size(); ++u)
                    count += crosses(edges.at(i).at(s), edges.at(i).at(s + 1), edges.at(j).at(u),
                                     edges.at(j).at(u + 1));
            }
        }
    }
    return count;
}

// Every service depends on every later one: n (n - 1) / 2 edges, most of them long.
Topology completeDag(int n, const GraphStyle &style)
{
    Topology t;
    for (int i = 0; i < n; ++i) {
        const QString name = QStringLiteral("svc-%1").arg(i, 3, 10, QLatin1Char('0'));
        t.nodes.append({name, style.nodeSize(name, QStringLiteral("v1.0 · production"))});
    }
    for (int i = 0; i < n; ++i) {
        for (int j = i + 1; j < n; ++j)
            t.edges.append({t.nodes.at(i).id, t.nodes.at(j).id});
    }
    return t;
}

// The edges whose points reach into `visible`, each as its whole curve (the segments as the
// renderer shapes them: horizontal tangents at both ends, straight where the ends are level),
// without cutting it to the view.
QList<QPainterPath> wholeCurves(const QList<client::graph::SceneEdge> &edges, const QRectF &visible)
{
    QList<QPainterPath> out;
    for (const auto &edge : edges) {
        if (edge.points.size() < 2)
            continue;
        if (!QPolygonF(edge.points).boundingRect().adjusted(-1, -1, 1, 1).intersects(visible))
            continue;
        QPainterPath path(edge.points.first());
        for (qsizetype i = 0; i + 1 < edge.points.size(); ++i) {
            const QPointF from = edge.points.at(i), to = edge.points.at(i + 1);
            const qreal half = (to.x() - from.x()) / 2;
            if (std::abs(to.x() - from.x()) >= 1 && std::abs(to.y() - from.y()) >= 0.5)
                path.cubicTo(from + QPointF(half, 0), to - QPointF(half, 0), to);
            else
                path.lineTo(to);
        }
        out.append(path);
    }
    return out;
}

// Rolls back a chain of four services, the second one running: the overlay in the pictures.
protocol::RollbackInfo rollbackOver(const protocol::Snapshot &snapshot)
{
    protocol::RollbackInfo r;
    r.id = 42;
    r.state = PlanState::Running;
    QString previous;
    QString current = snapshot.services.first().name;
    for (int i = 0; i < 4 && !current.isEmpty(); ++i) {
        protocol::TargetInfo t;
        t.service = current;
        if (!previous.isEmpty())
            t.after = {previous};
        r.targets.append(t);
        protocol::StepInfo s;
        s.index = i;
        s.service = current;
        s.kind = QStringLiteral("switch_traffic");
        s.state =
            i == 0 ? StepState::Succeeded : (i == 1 ? StepState::Running : StepState::Pending);
        r.steps.append(s);
        previous = current;
        const auto &svc = snapshot.services.at(
            std::max(0, int(std::find_if(snapshot.services.begin(), snapshot.services.end(),
                                         [&](const auto &x) { return x.name == current; }) -
                            snapshot.services.begin())));
        current = svc.dependsOn.isEmpty() ? QString() : svc.dependsOn.first();
    }
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    // Rendering needs a QGuiApplication but no screen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QString saveDir;
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--save") == 0)
            saveDir = QString::fromLocal8Bit(argv[i + 1]);
    }
    const GraphStyle style;
    std::printf("Rewind dependency graph benchmarks (one core; medians of 5 rounds)\n");

    for (const int count : {100, 250, 500}) {
        const auto snapshot = realisticFleet(count, 7);
        const auto topology = topologyOf(snapshot, style);
        std::printf("\nLayout: %d services, %d dependencies (6 tiers, fan-out 1-3)\n", count,
                    int(topology.edges.size()));
        const auto baseline = bench::measure(
            "baseline: topological sort + naive layer placement",
            [&](int n) {
                for (int i = 0; i < n; ++i)
                    bench::keep(naiveLayout(topology));
            },
            0.5, 5, 10);
        bench::print(baseline);
        const auto layout = bench::measure(
            "computeLayout (Sugiyama + Brandes-Koepf + compaction)",
            [&](int n) {
                for (int i = 0; i < n; ++i)
                    bench::keep(computeLayout(topology.nodes, topology.edges));
            },
            0.5, 5, 1);
        bench::print(layout, &baseline);
        const auto result = computeLayout(topology.nodes, topology.edges);
        QList<QList<QPointF>> routes;
        for (const auto &e : result.edges)
            routes.append(e.points);
        std::printf("  -> %.2f ms per layout (baseline %.3f ms); crossings drawn: %lld (baseline "
                    "%lld); %d dummy nodes\n",
                    1000 / layout.perSecond, 1000 / baseline.perSecond, drawnCrossings(routes),
                    drawnCrossings(naiveLayout(topology).edges), result.dummyNodes);
        LayoutOptions pureBrandesKoepf;
        pureBrandesKoepf.compactionPasses = 0;
        const auto loose = computeLayout(topology.nodes, topology.edges, pureBrandesKoepf);
        std::printf("  -> drawing %.0f x %.0f px; without the compaction (compactionPasses 0, "
                    "Brandes-Koepf alone) %.0f x %.0f px, %.2fx as tall\n",
                    result.bounds.width(), result.bounds.height(), loose.bounds.width(),
                    loose.bounds.height(), loose.bounds.height() / result.bounds.height());
    }

    {
        const int count = 500;
        const auto topology = completeDag(count, style);
        std::printf("\nLayout: a complete DAG of %d services, %d dependencies (every service "
                    "depends on every later one; medians of 3)\n",
                    count, int(topology.edges.size()));
        const auto baseline = bench::measure(
            "baseline: topological sort + naive layer placement",
            [&](int n) {
                for (int i = 0; i < n; ++i)
                    bench::keep(naiveLayout(topology));
            },
            0.5, 3, 1);
        bench::print(baseline);
        // One layout takes longer than the round: each round is one layout.
        const auto layout = bench::measure(
            "computeLayout (within its work budget)",
            [&](int n) {
                for (int i = 0; i < n; ++i)
                    bench::keep(computeLayout(topology.nodes, topology.edges));
            },
            0.01, 3, 1);
        bench::print(layout, &baseline);
        const auto result = computeLayout(topology.nodes, topology.edges);
        std::printf("  -> %.0f ms per layout (baseline %.1f ms); %d dummy nodes\n",
                    1000 / layout.perSecond, 1000 / baseline.perSecond, result.dummyNodes);
    }

    // One frame of the 500-service graph, as the desktop view paints it.
    client::DashboardState state;
    const auto snapshot = realisticFleet(500, 7);
    state.reset(snapshot, 1);
    protocol::Event started{2, QLatin1String(protocol::event::RollbackStarted), 0,
                            rollbackOver(snapshot).toJson()};
    state.apply(started);
    client::DependencyGraph graph(&state);
    const auto &scene = graph.scene();
    const QSize viewSize(1600, 1000);
    QImage image(viewSize, QImage::Format_ARGB32_Premultiplied);
    GraphViewport fitted;
    fitted.fit(scene.bounds, viewSize);
    GraphViewport readable;
    readable.setZoom(1);
    readable.setOffset(
        QPointF(20, 20) -
        scene.nodes.at(scene.indexOf(snapshot.services.first().name)).rect.topLeft());
    const GraphRenderer renderer(graph.style(), GraphPalette::light());
    std::printf("\nOne frame of the 500-service graph into a %d x %d QImage (scene %.0f x %.0f)\n",
                viewSize.width(), viewSize.height(), scene.bounds.width(), scene.bounds.height());
    const auto drawBaseline = bench::measure(
        "baseline: QPainter, 500 plain rectangles + the edges as lines",
        [&](int n) {
            for (int i = 0; i < n; ++i) {
                QPainter painter(&image);
                painter.fillRect(image.rect(), Qt::white);
                painter.setTransform(fitted.transform());
                for (const auto &node : scene.nodes)
                    painter.drawRect(node.rect);
                for (const auto &edge : scene.edges)
                    painter.drawPolyline(edge.points.constData(), int(edge.points.size()));
            }
        },
        0.5, 5, 1);
    bench::print(drawBaseline);
    const auto frame = [&](const GraphViewport &viewport) {
        return [&renderer, &scene, &image, viewport, viewSize](int n) {
            for (int i = 0; i < n; ++i) {
                QPainter painter(&image);
                renderer.paint(painter, scene, viewport, viewSize, scene.nodes.at(3).id);
            }
        };
    };
    const auto fittedFrame = bench::measure("GraphRenderer, whole graph fitted (boxes, no text)",
                                            frame(fitted), 0.5, 5, 1);
    bench::print(fittedFrame, &drawBaseline);
    const auto readableFrame = bench::measure(
        "GraphRenderer, zoom 1 (text and marks, culled to the view)", frame(readable), 0.5, 5, 1);
    bench::print(readableFrame, &drawBaseline);
    std::printf("  -> %.2f ms per fitted frame, %.2f ms at zoom 1 (baseline %.2f ms)\n",
                1000 / fittedFrame.perSecond, 1000 / readableFrame.perSecond,
                1000 / drawBaseline.perSecond);

    // The edges alone at zoom 1, as whole curves (the renderer strokes only the part of each
    // curve inside the view): with its one-device-pixel cosmetic pen, and with a 1.4 px pen.
    const auto curves =
        wholeCurves(scene.edges, readable.toScene(QRectF(QPointF(0, 0), QSizeF(viewSize))));
    std::printf("\nThe %d edges that reach into the zoom-1 view, stroked whole (antialiased)\n",
                int(curves.size()));
    const auto stroke = [&](const QPen &pen) {
        return [&image, &curves, &readable, pen](int n) {
            for (int i = 0; i < n; ++i) {
                QPainter painter(&image);
                painter.fillRect(image.rect(), Qt::white);
                painter.setRenderHint(QPainter::Antialiasing);
                painter.setTransform(readable.transform());
                painter.setPen(pen);
                for (const auto &path : curves)
                    painter.drawPath(path);
            }
        };
    };
    QPen hairline(Qt::darkGray, 1, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    hairline.setCosmetic(true);
    const auto thin = bench::measure("whole curves, 1 device pixel cosmetic pen (the renderer's)",
                                     stroke(hairline), 0.5, 5, 1);
    bench::print(thin);
    const auto wide = bench::measure(
        "whole curves, 1.4 px pen",
        stroke(QPen(Qt::darkGray, 1.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin)), 0.5, 5, 1);
    bench::print(wide, &thin);
    std::printf("  -> %.2f ms with the cosmetic pen, %.2f ms with 1.4 px (%.1fx as long); the "
                "renderer's whole zoom-1 frame: %.2f ms\n",
                1000 / thin.perSecond, 1000 / wide.perSecond, thin.perSecond / wide.perSecond,
                1000 / readableFrame.perSecond);

    if (!saveDir.isEmpty()) {
        QDir().mkpath(saveDir);
        for (const auto &[name, viewport] :
             {std::pair{QStringLiteral("graph-500-fitted.png"), fitted},
              std::pair{QStringLiteral("graph-500-zoom1.png"), readable}}) {
            QImage picture(viewSize * 2, QImage::Format_ARGB32_Premultiplied);
            picture.setDevicePixelRatio(2);
            QPainter painter(&picture);
            renderer.paint(painter, scene, viewport, viewSize, scene.nodes.at(3).id);
            painter.end();
            picture.save(saveDir + u'/' + name);
        }
        std::printf("\nPictures written to %s\n", qPrintable(saveDir));
    }
    std::printf("\nTarget: a 500-service layout in under 100 ms.\n");
    return 0;
}
