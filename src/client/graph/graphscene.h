#pragma once

#include "common/states.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

// What the dependency graph shows, in scene coordinates (logical pixels at zoom 1): laid-out
// services with what is drawn on them, and the routed edges. Plain data, built by
// DependencyGraph and read by GraphRenderer and the views; no Qt Quick, no widgets.
namespace rwd::client::graph {

struct SceneNode
{
    QString id;     // the service name, unique in the scene
    QString detail; // the second line: version and environment
    Health health = Health::Unknown;
    QRectF rect;
    int component = 0; // from the layout: which connected component, its column, and the
    int layer = 0;     // index within that column; they give the reading order
    int position = 0;
    // Rollback overlay: the wave in which the shown plan rolls this service back (1 first;
    // targets that run in parallel share a number), 0 when it is not a target.
    int planOrder = 0;
    StepState planState = StepState::Pending; // its steps taken together; meaningful if planOrder

    bool operator==(const SceneNode &) const = default;
};

struct SceneEdge
{
    int from = -1; // node indexes
    int to = -1;
    QList<QPointF> points; // from `from` to `to`, see graph::EdgeRoute
    bool reversed = false;
    bool selfLoop = false;
    bool inPlan = false; // both ends are targets of the shown plan

    bool operator==(const SceneEdge &) const = default;
};

enum class Direction
{
    Left,
    Right,
    Up,
    Down,
};

struct GraphScene
{
    QList<SceneNode> nodes;
    QList<SceneEdge> edges;
    QRectF bounds;
    // Shown in the corner of the view while a rollback is overlaid ("" when none).
    QString overlayCaption;
    // Shown in the middle of an empty view.
    QString placeholder;

    bool operator==(const GraphScene &) const = default;

    [[nodiscard]] int indexOf(const QString &id) const;
    // The node whose rectangle contains the point, -1 if none.
    [[nodiscard]] int nodeAt(const QPointF &scenePoint) const;
    // Nodes component by component, column by column, top to bottom: what Tab walks through.
    [[nodiscard]] QList<int> readingOrder() const;
    // The node `steps` places after `from` in reading order (before it when negative); -1 when
    // that walks off either end. From -1, the first (or last) node.
    [[nodiscard]] int stepInReadingOrder(int from, int steps) const;
    // The nearest node in a direction from `from` (within 60° of it), -1 if none.
    [[nodiscard]] int neighbourInDirection(int from, Direction direction) const;
};

} // namespace rwd::client::graph
