// The layered layout of the dependency graph: properties that must hold for any input (edges
// point right, nothing overlaps, deterministic, no crash on cycles or junk), crossings removed
// where a drawing without them exists, checked on the geometry it outputs.
#include "client/graph/graphlayout.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace rwd::client::graph;

namespace {

QList<LayoutNode> nodesNamed(const QStringList &ids, QSizeF size = {120, 48})
{
    QList<LayoutNode> nodes;
    for (const auto &id : ids)
        nodes.append({id, size});
    return nodes;
}

QString nodeName(int i)
{
    return QStringLiteral("s%1").arg(i);
}

// A fleet-like DAG: tiers of services (frontends, gateways, backends, workers, stores…), each
// depending on one to three services of the next tier, mostly near its own position (its area),
// sometimes a shared one, and now and then one further down (the same model as bench_graph).
void realisticDag(int count, quint32 seed, QList<LayoutNode> &nodes, QList<LayoutEdge> &edges)
{
    std::mt19937 random(seed);
    const int tiers = 6;
    std::vector<std::vector<int>> tier(tiers);
    for (int i = 0; i < count; ++i) {
        tier[std::size_t(i * tiers / count)].push_back(i);
        std::uniform_int_distribution<int> width(100, 220);
        nodes.append({nodeName(i), QSizeF(width(random), 46)});
    }
    const auto near = [&](const std::vector<int> &in, double where) {
        const int size = int(in.size());
        const int spread = std::max(2, size / 12);
        const int j = int(where * size) + int(random() % quint32(2 * spread + 1)) - spread;
        return in[std::size_t(std::clamp(j, 0, size - 1))];
    };
    for (int t = 0; t + 1 < tiers; ++t) {
        const auto &own = tier[std::size_t(t)];
        for (std::size_t i = 0; i < own.size(); ++i) {
            const double where = (double(i) + 0.5) / double(own.size());
            const auto &next = tier[std::size_t(t) + 1];
            std::uniform_int_distribution<int> fanOut(1, 3);
            for (int k = fanOut(random); k > 0; --k) {
                const int w = random() % 4 == 0
                                  ? next[random() % std::max<std::size_t>(1, next.size() / 10)]
                                  : near(next, where);
                edges.append({nodeName(own[i]), nodeName(w)});
            }
            if (t + 2 < tiers && random() % 5 == 0) {
                const auto &far =
                    tier[std::size_t(t) + 2 + std::size_t(random() % quint32(tiers - t - 2))];
                edges.append({nodeName(own[i]), nodeName(near(far, where))});
            }
        }
    }
}

// Any directed graph, cycles, self-loops and duplicates included.
void randomGraph(int count, int edgeCount, quint32 seed, QList<LayoutNode> &nodes,
                 QList<LayoutEdge> &edges)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> pick(0, count - 1);
    std::uniform_int_distribution<int> size(20, 200);
    for (int i = 0; i < count; ++i)
        // NOLINTNEXTLINE(bugprone-integer-division): heights are whole numbers on purpose
        nodes.append({nodeName(i), QSizeF(size(random), size(random) / 3 + 10)});
    for (int e = 0; e < edgeCount; ++e)
        edges.append({nodeName(pick(random)), nodeName(pick(random))});
}

double cross(const QPointF &o, const QPointF &a, const QPointF &b)
{
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

// Whether two segments cross at a point inside both (touching at an end does not count: edges
// of one node meet at its border).
bool segmentsCross(const QPointF &a, const QPointF &b, const QPointF &c, const QPointF &d)
{
    const double eps = 1e-6;
    const double d1 = cross(c, d, a), d2 = cross(c, d, b);
    const double d3 = cross(a, b, c), d4 = cross(a, b, d);
    return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) &&
           ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
}

// Crossings counted on the drawing itself, independent of what the layout reports.
int geometricCrossings(const LayoutResult &layout)
{
    int count = 0;
    for (qsizetype i = 0; i < layout.edges.size(); ++i) {
        for (qsizetype j = i + 1; j < layout.edges.size(); ++j) {
            const auto &p = layout.edges.at(i).points;
            const auto &q = layout.edges.at(j).points;
            for (qsizetype s = 0; s + 1 < p.size(); ++s) {
                for (qsizetype t = 0; t + 1 < q.size(); ++t) {
                    if (segmentsCross(p.at(s), p.at(s + 1), q.at(t), q.at(t + 1)))
                        ++count;
                }
            }
        }
    }
    return count;
}

bool overlaps(const QRectF &a, const QRectF &b)
{
    const double eps = 1e-6;
    return a.left() < b.right() - eps && b.left() < a.right() - eps && a.top() < b.bottom() - eps &&
           b.top() < a.bottom() - eps;
}

void verifyNoOverlap(const LayoutResult &layout)
{
    for (qsizetype i = 0; i < layout.nodes.size(); ++i) {
        for (qsizetype j = i + 1; j < layout.nodes.size(); ++j) {
            if (overlaps(layout.nodes.at(i).rect, layout.nodes.at(j).rect))
                QFAIL(qPrintable(QStringLiteral("%1 overlaps %2")
                                     .arg(layout.nodes.at(i).id, layout.nodes.at(j).id)));
        }
    }
}

// Every edge goes from a lower layer to a higher one, left to right on screen, except the ones
// reported reversed (which go right to left) and self-loops; every point is finite and inside
// the bounds.
void verifyEdgesPointRight(const LayoutResult &layout)
{
    for (const auto &edge : layout.edges) {
        QVERIFY(edge.points.size() >= 2);
        for (const auto &p : edge.points) {
            QVERIFY(std::isfinite(p.x()) && std::isfinite(p.y()));
            QVERIFY(layout.bounds.adjusted(-1e-6, -1e-6, 1e-6, 1e-6).contains(p));
        }
        if (edge.selfLoop)
            continue;
        const auto *from = layout.node(edge.from);
        const auto *to = layout.node(edge.to);
        QVERIFY(from && to);
        QCOMPARE(from->component, to->component);
        if (edge.reversed) {
            QVERIFY2(from->layer > to->layer,
                     qPrintable(edge.from + QStringLiteral(" → ") + edge.to));
            QVERIFY(from->rect.left() > to->rect.right());
        } else {
            QVERIFY2(from->layer < to->layer,
                     qPrintable(edge.from + QStringLiteral(" → ") + edge.to));
            QVERIFY(from->rect.right() < to->rect.left());
        }
        for (qsizetype i = 0; i + 1 < edge.points.size(); ++i) {
            if (edge.reversed)
                QVERIFY(edge.points.at(i).x() >= edge.points.at(i + 1).x());
            else
                QVERIFY(edge.points.at(i).x() <= edge.points.at(i + 1).x());
        }
    }
}

} // namespace

class TestGraphLayout : public QObject
{
    Q_OBJECT

private slots:
    void dependentsLeftOfDependencies()
    {
        // The sandbox fleet: web → api → db, worker → db.
        const auto layout =
            computeLayout(nodesNamed({QStringLiteral("web"), QStringLiteral("api"),
                                      QStringLiteral("db"), QStringLiteral("worker")}),
                          {{QStringLiteral("web"), QStringLiteral("api")},
                           {QStringLiteral("api"), QStringLiteral("db")},
                           {QStringLiteral("worker"), QStringLiteral("db")}});
        const auto *web = layout.node(QStringLiteral("web"));
        const auto *api = layout.node(QStringLiteral("api"));
        const auto *db = layout.node(QStringLiteral("db"));
        const auto *worker = layout.node(QStringLiteral("worker"));
        QCOMPARE(web->layer, 0);
        QCOMPARE(api->layer, 1);
        QCOMPARE(db->layer, 2);
        // The worker sits next to db rather than two columns away from it.
        QCOMPARE(worker->layer, 1);
        QVERIFY(web->rect.right() < api->rect.left());
        QVERIFY(api->rect.right() < db->rect.left());
        QCOMPARE(layout.crossings, 0);
        QCOMPARE(layout.dummyNodes, 0);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
        // The chain web → api is straight; db, depended on by api and worker, sits between them
        // (the balanced alignment averages its two medians).
        QVERIFY(qAbs(web->rect.center().y() - api->rect.center().y()) < 0.5);
        QVERIFY(db->rect.center().y() >=
                std::min(api->rect.center().y(), worker->rect.center().y()));
        QVERIFY(db->rect.center().y() <=
                std::max(api->rect.center().y(), worker->rect.center().y()));
        QCOMPARE(layout.bounds.topLeft(), QPointF(0, 0));
    }

    void removesCrossingsOfANaiveOrder()
    {
        // c has two dependents: the first ordering (depth first from a: c, e, then d from b)
        // draws a → e across b → c; putting e above c removes the crossing.
        const auto nodes =
            nodesNamed({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                        QStringLiteral("d"), QStringLiteral("e")});
        const QList<LayoutEdge> edges{{QStringLiteral("a"), QStringLiteral("c")},
                                      {QStringLiteral("a"), QStringLiteral("e")},
                                      {QStringLiteral("b"), QStringLiteral("c")},
                                      {QStringLiteral("b"), QStringLiteral("d")}};
        LayoutOptions withoutReduction;
        withoutReduction.crossingPasses = 0;
        QVERIFY(computeLayout(nodes, edges, withoutReduction).crossings > 0);
        const auto layout = computeLayout(nodes, edges);
        QCOMPARE(layout.crossings, 0);
        QCOMPARE(geometricCrossings(layout), 0);
        verifyNoOverlap(layout);
    }

    void removesCrossingsWithLongEdges()
    {
        // The same knot with a third column and a long edge a → g, which has to pass between e
        // and c for the drawing to be free of crossings; the first ordering has two.
        const QStringList ids{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                              QStringLiteral("d"), QStringLiteral("e"), QStringLiteral("g")};
        const QList<LayoutEdge> edges{
            {QStringLiteral("a"), QStringLiteral("c")}, {QStringLiteral("a"), QStringLiteral("e")},
            {QStringLiteral("a"), QStringLiteral("g")}, {QStringLiteral("b"), QStringLiteral("c")},
            {QStringLiteral("b"), QStringLiteral("d")}, {QStringLiteral("c"), QStringLiteral("g")}};
        LayoutOptions withoutReduction;
        withoutReduction.crossingPasses = 0;
        QVERIFY(computeLayout(nodesNamed(ids), edges, withoutReduction).crossings > 0);
        const auto layout = computeLayout(nodesNamed(ids), edges);
        QCOMPARE(layout.dummyNodes, 1);
        QCOMPARE(layout.crossings, 0);
        QCOMPARE(geometricCrossings(layout), 0);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
    }

    void treesHaveNoCrossings()
    {
        // Random trees (each node depends on one earlier node) always have a crossing-free
        // layered drawing; the layout must find it.
        for (quint32 seed = 1; seed <= 20; ++seed) {
            std::mt19937 random(seed);
            QList<LayoutNode> nodes;
            QList<LayoutEdge> edges;
            const int count = 60;
            for (int i = 0; i < count; ++i) {
                nodes.append({nodeName(i), QSizeF(100, 40)});
                if (i > 0)
                    edges.append({nodeName(int(random() % quint32(i))), nodeName(i)});
            }
            const auto layout = computeLayout(nodes, edges);
            QVERIFY2(layout.crossings == 0, qPrintable(QString::number(seed)));
            QCOMPARE(geometricCrossings(layout), 0);
            verifyNoOverlap(layout);
        }
    }

    void longEdgesStayStraight()
    {
        // a → b → c → d with a → d: the long edge passes b's and c's columns at one height.
        const auto layout = computeLayout(nodesNamed({QStringLiteral("a"), QStringLiteral("b"),
                                                      QStringLiteral("c"), QStringLiteral("d")}),
                                          {{QStringLiteral("a"), QStringLiteral("b")},
                                           {QStringLiteral("b"), QStringLiteral("c")},
                                           {QStringLiteral("c"), QStringLiteral("d")},
                                           {QStringLiteral("a"), QStringLiteral("d")}});
        QCOMPARE(layout.dummyNodes, 2);
        const auto &longEdge = layout.edges.last();
        QCOMPARE(longEdge.points.size(), 6); // a, in and out of two columns, d
        // Straight to within half a pixel (compaction stops once nothing moves by more than a
        // quarter of one).
        for (int i = 2; i < 5; ++i)
            QVERIFY(qAbs(longEdge.points.at(i).y() - longEdge.points.at(1).y()) < 0.5);
        // The chain itself is straight too.
        const qreal y = layout.node(QStringLiteral("b"))->rect.center().y();
        QVERIFY(qAbs(layout.node(QStringLiteral("c"))->rect.center().y() - y) < 0.5);
        QCOMPARE(geometricCrossings(layout), 0);
    }

    void propertiesHoldOnRealisticDags_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<quint32>("seed");
        for (const int count : {10, 40, 120, 300})
            for (const quint32 seed : {1u, 2u, 3u})
                QTest::addRow("%d nodes, seed %u", count, seed) << count << seed;
    }

    void propertiesHoldOnRealisticDags()
    {
        QFETCH(int, count);
        QFETCH(quint32, seed);
        QList<LayoutNode> nodes;
        QList<LayoutEdge> edges;
        realisticDag(count, seed, nodes, edges);
        const auto layout = computeLayout(nodes, edges);
        QCOMPARE(layout.nodes.size(), count);
        QCOMPARE(layout.reversedEdges, 0);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
        // What the layout counts is what is drawn.
        if (count <= 120)
            QCOMPARE(geometricCrossings(layout), layout.crossings);
        // The sweeps keep the best ordering: never worse than the first one.
        LayoutOptions withoutReduction;
        withoutReduction.crossingPasses = 0;
        QVERIFY(layout.crossings <= computeLayout(nodes, edges, withoutReduction).crossings);
    }

    // A complete DAG needs hundreds of thousands of dummy nodes; the layout degrades (edges over
    // the budget are drawn straight) instead of exhausting memory or time, and stays sound.
    void pathologicalInputStaysSound()
    {
        QList<LayoutNode> nodes;
        QList<LayoutEdge> edges;
        const int count = 150;
        for (int i = 0; i < count; ++i) {
            nodes.append({nodeName(i), QSizeF(100, 40)});
            for (int j = 0; j < i; ++j)
                edges.append({nodeName(j), nodeName(i)});
        }
        const auto layout = computeLayout(nodes, edges);
        QCOMPARE(layout.nodes.size(), count);
        QCOMPARE(layout.edges.size(), edges.size());
        QVERIFY(layout.dummyNodes <= 60'000);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
    }

    void propertiesHoldOnArbitraryGraphs_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("edgeCount");
        QTest::addColumn<quint32>("seed");
        for (const quint32 seed : {1u, 2u, 3u, 4u, 5u}) {
            QTest::addRow("sparse %u", seed) << 30 << 25 << seed;
            QTest::addRow("dense %u", seed) << 25 << 120 << seed;
            QTest::addRow("large %u", seed) << 200 << 400 << seed;
        }
    }

    // Cycles, self-loops, duplicates: config forbids cycles, but the layout must never hang or
    // crash, and the drawing must stay sound.
    void propertiesHoldOnArbitraryGraphs()
    {
        QFETCH(int, count);
        QFETCH(int, edgeCount);
        QFETCH(quint32, seed);
        QList<LayoutNode> nodes;
        QList<LayoutEdge> edges;
        randomGraph(count, edgeCount, seed, nodes, edges);
        const auto layout = computeLayout(nodes, edges);
        QCOMPARE(layout.nodes.size(), count);
        QCOMPARE(layout.edges.size() + layout.ignoredEdges, edgeCount);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
    }

    void breaksCyclesDeterministically()
    {
        const QList<LayoutEdge> edges{{QStringLiteral("a"), QStringLiteral("b")},
                                      {QStringLiteral("b"), QStringLiteral("c")},
                                      {QStringLiteral("c"), QStringLiteral("a")},
                                      {QStringLiteral("c"), QStringLiteral("d")},
                                      {QStringLiteral("d"), QStringLiteral("c")}};
        const auto nodes = nodesNamed(
            {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")});
        const auto layout = computeLayout(nodes, edges);
        QCOMPARE(layout.reversedEdges, 2);
        QCOMPARE(layout.edges.size(), 5);
        QVERIFY(layout.edges.at(2).reversed); // c → a closes the first cycle found from a
        QVERIFY(layout.edges.at(4).reversed); // d → c the second
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
        // A two-node cycle's edges share one route, drawn in opposite directions.
        auto back = layout.edges.at(4).points;
        std::reverse(back.begin(), back.end());
        QCOMPARE(back, layout.edges.at(3).points);
    }

    void handlesJunkInput()
    {
        QList<LayoutNode> nodes = nodesNamed({QStringLiteral("a"), QStringLiteral("b")});
        nodes.append({QStringLiteral("a"), QSizeF(500, 500)}); // duplicate id: ignored
        nodes.append({QStringLiteral("nan"), QSizeF(std::numeric_limits<qreal>::quiet_NaN(),
                                                    std::numeric_limits<qreal>::infinity())});
        nodes.append({QStringLiteral("negative"), QSizeF(-10, -10)});
        const QList<LayoutEdge> edges{{QStringLiteral("a"), QStringLiteral("b")},
                                      {QStringLiteral("a"), QStringLiteral("b")},     // duplicate
                                      {QStringLiteral("a"), QStringLiteral("ghost")}, // unknown
                                      {QStringLiteral("ghost"), QStringLiteral("b")}, // unknown
                                      {QStringLiteral("b"), QStringLiteral("b")},     // self-loop
                                      {QStringLiteral("nan"), QStringLiteral("negative")}};
        const auto layout = computeLayout(nodes, edges);
        QCOMPARE(layout.nodes.size(), 4);
        QCOMPARE(layout.node(QStringLiteral("a"))->rect.size(), QSizeF(120, 48));
        QCOMPARE(layout.node(QStringLiteral("nan"))->rect.size(), QSizeF(0, 0));
        QCOMPARE(layout.node(QStringLiteral("negative"))->rect.size(), QSizeF(0, 0));
        QCOMPARE(layout.ignoredEdges, 3);
        QCOMPARE(layout.edges.size(), 3);
        QVERIFY(layout.edges.at(1).selfLoop);
        QVERIFY(layout.edges.at(1).points.size() >= 2);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);

        const auto empty = computeLayout({}, {});
        QVERIFY(empty.nodes.isEmpty());
        QCOMPARE(empty.bounds, QRectF());
        const auto edgesOnly = computeLayout({}, edges);
        QCOMPARE(edgesOnly.ignoredEdges, int(edges.size()));
        const auto single = computeLayout(nodesNamed({QStringLiteral("only")}), {});
        QCOMPARE(single.nodes.first().rect, QRectF(0, 0, 120, 48));
    }

    void componentsAndLoneNodesDoNotOverlap()
    {
        QList<LayoutNode> nodes;
        QList<LayoutEdge> edges;
        for (int i = 0; i < 30; ++i)
            nodes.append({nodeName(i), QSizeF(110, 40)});
        // Three chains and fifteen services on their own.
        for (int c = 0; c < 3; ++c) {
            for (int k = 0; k < 4; ++k)
                edges.append({nodeName(c * 5 + k), nodeName(c * 5 + k + 1)});
        }
        const auto layout = computeLayout(nodes, edges);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
        QCOMPARE(layout.nodes.at(0).component, 0);
        QCOMPARE(layout.nodes.at(5).component, 1);
        QCOMPARE(layout.nodes.at(10).component, 2);
        // Lone nodes come below the components, in rows rather than one long column.
        const qreal componentsBottom = layout.node(nodeName(10))->rect.bottom();
        QSet<qreal> rows;
        for (int i = 15; i < 30; ++i) {
            QVERIFY(layout.nodes.at(i).rect.top() > componentsBottom);
            rows.insert(layout.nodes.at(i).rect.top());
        }
        QVERIFY(rows.size() < 8);
    }

    void deterministic()
    {
        QList<LayoutNode> nodes;
        QList<LayoutEdge> edges;
        randomGraph(150, 300, 7, nodes, edges);
        const auto first = computeLayout(nodes, edges);
        const auto second = computeLayout(nodes, edges);
        QCOMPARE(first.crossings, second.crossings);
        for (qsizetype i = 0; i < first.nodes.size(); ++i)
            QCOMPARE(first.nodes.at(i).rect, second.nodes.at(i).rect);
        for (qsizetype i = 0; i < first.edges.size(); ++i)
            QCOMPARE(first.edges.at(i).points, second.edges.at(i).points);
    }

    void fiveHundredNodes()
    {
        QList<LayoutNode> nodes;
        QList<LayoutEdge> edges;
        realisticDag(500, 42, nodes, edges);
        QElapsedTimer timer;
        timer.start();
        const auto layout = computeLayout(nodes, edges);
        // Timing is bench_graph's business; printed here only as a hint.
        qInfo("500 nodes, %d edges: %lld ms, %d dummies, %d crossings", int(edges.size()),
              timer.elapsed(), layout.dummyNodes, layout.crossings);
        QCOMPARE(layout.nodes.size(), 500);
        verifyNoOverlap(layout);
        verifyEdgesPointRight(layout);
    }
};

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graphlayout.moc"
