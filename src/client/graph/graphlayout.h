#pragma once

#include <QHash>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

// A layered (Sugiyama-style) layout of a directed graph, drawn left to right: every edge points
// from a node to one in a column further right, so a service sits left of what it depends on
// (frontend → backend → database). Pure computation over QtCore value types: no painting, no
// fonts, no event loop, so that the desktop dashboard, the browser build and the tests share it.
//
// The phases, each deterministic for the same input:
//  1. cycles are broken by reversing the back edges of a depth-first search (sources first,
//     then input order); self-loops and duplicate edges never reach the layering;
//  2. layers: longest path from the sources, then nodes are moved between layers while that
//     shortens the total edge span (fewer dummy nodes, shorter edges);
//  3. an edge spanning several layers gets a dummy node in each layer it crosses, so that it
//     takes part in ordering and routing like a node;
//  4. crossing reduction: alternating downward and upward sweeps by barycenter and by median,
//     each followed by adjacent transpositions, keeping the ordering with the fewest crossings;
//  5. coordinates: Brandes–Köpf (four alignments balanced), which keeps long edges straight and
//     puts each node next to the median of its neighbours without two nodes overlapping, then
//     compaction passes that close the gaps it leaves in dense graphs (see compactionPasses).
// On pathological inputs (thousands of long edges) the iterative phases take fewer passes and
// edges beyond a budget of dummy nodes are drawn straight, so that any input is laid out in
// about a second at worst; see graphlayout.cpp.
// Each connected component is laid out on its own; components are stacked top to bottom,
// largest first, and nodes without any edge are packed in rows below them.
namespace rwd::client::graph {

struct LayoutNode
{
    QString id;
    QSizeF size; // negative or non-finite extents count as 0
};

// `from` is drawn left of `to`: for a dependency graph, `from` depends on `to`.
struct LayoutEdge
{
    QString from;
    QString to;
};

struct LayoutOptions
{
    qreal layerSpacing = 72; // horizontal gap between two columns
    qreal nodeSpacing = 20;  // vertical gap between two nodes of a column
    qreal edgeSpacing = 10;  // vertical gap next to an edge passing through a column
    qreal componentSpacing = 48;
    // Passes of the crossing reduction (each a downward or an upward sweep); it stops earlier
    // when several passes in a row bring no improvement.
    int crossingPasses = 24;
    // At most this many passes of the compaction after Brandes–Köpf (0: pure Brandes–Köpf); it
    // stops as soon as it has converged, after a few passes for a tree, a hundred for a dense
    // graph of 500 nodes.
    int compactionPasses = 150;
};

struct NodePlacement
{
    QString id;
    QRectF rect;
    int layer = 0;     // column within its component, 0 = leftmost
    int position = 0;  // index within its column, top to bottom
    int component = 0; // index of its connected component in the stacking order
};

struct EdgeRoute
{
    QString from;
    QString to;
    // From a point on `from`'s border to a point on `to`'s border, through the bends where the
    // edge crosses intermediate columns; at least two points.
    QList<QPointF> points;
    // Drawn against the left-to-right direction because it closed a cycle.
    bool reversed = false;
    bool selfLoop = false;
};

struct LayoutResult
{
    // One per distinct node id, in input order (later duplicates of an id are ignored).
    QList<NodePlacement> nodes;
    // One per distinct (from, to) pair whose ids both exist, in input order.
    QList<EdgeRoute> edges;
    QHash<QString, int> nodeIndex; // id → index in `nodes`
    QRectF bounds;                 // every rectangle and polyline, origin at (0, 0)
    int crossings = 0;             // edge crossings between adjacent columns
    int reversedEdges = 0;
    int dummyNodes = 0;
    int ignoredEdges = 0; // unknown ids or duplicates

    [[nodiscard]] const NodePlacement *node(const QString &id) const;
};

[[nodiscard]] LayoutResult computeLayout(const QList<LayoutNode> &nodes,
                                         const QList<LayoutEdge> &edges,
                                         const LayoutOptions &options = {});

} // namespace rwd::client::graph
