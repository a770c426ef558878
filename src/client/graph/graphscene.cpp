#include "graphscene.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

namespace rwd::client::graph {

int GraphScene::indexOf(const QString &id) const
{
    for (int i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).id == id)
            return i;
    }
    return -1;
}

int GraphScene::nodeAt(const QPointF &scenePoint) const
{
    // Nodes never overlap; the last drawn wins should a caller's scene say otherwise.
    for (int i = int(nodes.size()) - 1; i >= 0; --i) {
        if (nodes.at(i).rect.contains(scenePoint))
            return i;
    }
    return -1;
}

QList<int> GraphScene::readingOrder() const
{
    QList<int> order(nodes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
        const auto &na = nodes.at(a);
        const auto &nb = nodes.at(b);
        return std::tie(na.component, na.layer, na.position) <
               std::tie(nb.component, nb.layer, nb.position);
    });
    return order;
}

int GraphScene::stepInReadingOrder(int from, int steps) const
{
    const auto order = readingOrder();
    if (order.isEmpty())
        return -1;
    if (from < 0 || from >= nodes.size())
        return steps >= 0 ? order.first() : order.last();
    const auto at = order.indexOf(from);
    const auto target = at + steps;
    if (target < 0 || target >= order.size())
        return -1;
    return order.at(target);
}

int GraphScene::neighbourInDirection(int from, Direction direction) const
{
    if (from < 0 || from >= nodes.size())
        return -1;
    const QPointF origin = nodes.at(from).rect.center();
    int best = -1;
    qreal bestScore = std::numeric_limits<qreal>::infinity();
    for (int i = 0; i < nodes.size(); ++i) {
        if (i == from)
            continue;
        const QPointF d = nodes.at(i).rect.center() - origin;
        qreal along = 0;
        qreal across = 0;
        switch (direction) {
        case Direction::Left:
            along = -d.x();
            across = d.y();
            break;
        case Direction::Right:
            along = d.x();
            across = d.y();
            break;
        case Direction::Up:
            along = -d.y();
            across = d.x();
            break;
        case Direction::Down:
            along = d.y();
            across = d.x();
            break;
        }
        // tan(60°) ≈ 1.732: anything wider is more sideways than in the direction asked.
        if (along <= 0 || std::abs(across) > along * 1.732)
            continue;
        // Sideways distance weighs double, so the node straight ahead beats a nearer one off
        // to the side.
        const qreal score = along + 2 * std::abs(across);
        if (score < bestScore) {
            bestScore = score;
            best = i;
        }
    }
    return best;
}

} // namespace rwd::client::graph
