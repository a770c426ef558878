#include "graphlayout.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace rwd::client::graph {

const NodePlacement *LayoutResult::node(const QString &id) const
{
    const auto it = nodeIndex.constFind(id);
    return it == nodeIndex.constEnd() ? nullptr : &nodes.at(*it);
}

namespace {

using IndexList = std::vector<int>;

qreal sanitizedExtent(qreal value)
{
    return std::isfinite(value) && value > 0 ? value : 0;
}

// What keeps a pathological input (a complete DAG, a chain with an edge from its head to every
// node) from freezing the UI: the iterative phases take as many passes as the graph's size allows
// within about this many elementary steps each, and at most kMaxDummies dummy nodes are made.
// Service graphs of a few hundred nodes are far below both and never feel them.
constexpr long long kStepsPerPhase = 6'000'000;
constexpr long long kMaxDummies = 60'000;

// Passes of `stepsPerPass` steps that fit in a phase's budget, between `minimum` and `wanted`.
int passesWithinBudget(long long stepsPerPass, int wanted, int minimum)
{
    const long long affordable = kStepsPerPhase / std::max<long long>(1, stepsPerPass);
    return int(std::clamp<long long>(affordable, std::min(minimum, wanted), wanted));
}

quint64 pairKey(int a, int b)
{
    return (quint64(quint32(a)) << 32) | quint32(b);
}

// One connected component with at least one edge, in local indexes 0..size-1. Edges are
// distinct and never self-loops.
struct Component
{
    IndexList nodes;                        // global node indexes, ascending
    std::vector<std::pair<int, int>> edges; // local (from, to)
    std::vector<int> edgeOrigin;            // per edge: index into the cleaned edge list
};

// The result of laying out one component, in local coordinates with the top-left at (0, 0).
struct ComponentLayout
{
    std::vector<QRectF> rects;          // per local node
    std::vector<int> layer;             // per local node
    std::vector<int> position;          // per local node
    std::vector<QList<QPointF>> routes; // per component edge, from `from` to `to`
    std::vector<bool> reversed;         // per component edge
    int crossings = 0;
    int reversedEdges = 0;
    int dummyNodes = 0;
    QSizeF size;
};

// Lays out one component; see graphlayout.h for the phases.
class ComponentLayouter
{
public:
    ComponentLayouter(const Component &component, const std::vector<QSizeF> &sizes,
                      const LayoutOptions &options)
        : m_component(component)
        , m_options(options)
        , m_realCount(int(component.nodes.size()))
    {
        for (const int global : component.nodes) {
            m_width.push_back(sizes[std::size_t(global)].width());
            m_extent.push_back(sizes[std::size_t(global)].height());
        }
    }

    ComponentLayout run()
    {
        breakCycles();
        assignLayers();
        insertDummies();
        orderLayers();
        assignCoordinates();
        return build();
    }

private:
    const Component &m_component;
    const LayoutOptions &m_options;
    const int m_realCount;

    // Per layered node (real nodes first, then dummies).
    std::vector<qreal> m_width;
    std::vector<qreal> m_extent; // along the column, i.e. the height
    std::vector<int> m_layer;
    std::vector<IndexList> m_succ;
    std::vector<IndexList> m_pred;
    std::vector<int> m_pos;
    std::vector<qreal> m_coord; // centre along the column

    // Distinct edges of the acyclic graph, and per component edge which one it uses.
    std::vector<std::pair<int, int>> m_dagEdges;
    std::vector<int> m_edgeToDag;
    std::vector<bool> m_edgeReversed;
    std::vector<IndexList> m_chains; // per DAG edge: from, dummies…, to
    std::vector<IndexList> m_layers;
    int m_crossings = 0;

    [[nodiscard]] bool isDummy(int v) const { return v >= m_realCount; }

    // Depth-first search from the sources (then from any node left, in index order); an edge
    // to a node still on the stack closes a cycle and is reversed.
    void breakCycles()
    {
        const int n = m_realCount;
        const auto &edges = m_component.edges;
        std::vector<IndexList> out(static_cast<std::size_t>(n)); // edge indexes
        std::vector<int> inDegree(std::size_t(n), 0);
        for (int e = 0; e < int(edges.size()); ++e) {
            out[std::size_t(edges[std::size_t(e)].first)].push_back(e);
            ++inDegree[std::size_t(edges[std::size_t(e)].second)];
        }
        m_edgeReversed.assign(edges.size(), false);
        std::vector<char> state(std::size_t(n), 0);     // 0 new, 1 on the stack, 2 done
        std::vector<std::pair<int, std::size_t>> stack; // node, next out-edge to look at
        const auto visit = [&](int root) {
            if (state[std::size_t(root)] != 0)
                return;
            state[std::size_t(root)] = 1;
            stack.emplace_back(root, 0);
            while (!stack.empty()) {
                auto &[v, next] = stack.back();
                const auto &vOut = out[std::size_t(v)];
                if (next == vOut.size()) {
                    state[std::size_t(v)] = 2;
                    stack.pop_back();
                    continue;
                }
                const int e = vOut[next++];
                const int w = edges[std::size_t(e)].second;
                if (state[std::size_t(w)] == 1) {
                    m_edgeReversed[std::size_t(e)] = true;
                } else if (state[std::size_t(w)] == 0) {
                    state[std::size_t(w)] = 1;
                    stack.emplace_back(w, 0); // invalidates v and next; the loop re-reads them
                }
            }
        };
        for (int v = 0; v < n; ++v) {
            if (inDegree[std::size_t(v)] == 0)
                visit(v);
        }
        for (int v = 0; v < n; ++v)
            visit(v);

        // Two edges may now join the same pair (a → b and a reversed b → a): they share a route.
        std::unordered_map<quint64, int> dagIndex;
        m_edgeToDag.resize(edges.size());
        for (std::size_t e = 0; e < edges.size(); ++e) {
            auto [a, b] = edges[e];
            if (m_edgeReversed[e])
                std::swap(a, b);
            const auto [it, inserted] = dagIndex.try_emplace(pairKey(a, b), int(m_dagEdges.size()));
            if (inserted)
                m_dagEdges.emplace_back(a, b);
            m_edgeToDag[e] = it->second;
        }
    }

    // Longest path from the sources, then local moves that shorten the total edge span: moving a
    // node one layer right lengthens its incoming edges and shortens its outgoing ones, so a node
    // with more outgoing than incoming edges goes as far right as its successors allow, and the
    // other way round. Every move strictly lowers the total span, so this ends.
    void assignLayers()
    {
        const int n = m_realCount;
        std::vector<IndexList> succ(static_cast<std::size_t>(n)), pred(static_cast<std::size_t>(n));
        for (const auto &[a, b] : m_dagEdges) {
            succ[std::size_t(a)].push_back(b);
            pred[std::size_t(b)].push_back(a);
        }
        IndexList topo;
        topo.reserve(std::size_t(n));
        std::vector<int> remaining(static_cast<std::size_t>(n));
        for (int v = 0; v < n; ++v) {
            remaining[std::size_t(v)] = int(pred[std::size_t(v)].size());
            if (remaining[std::size_t(v)] == 0)
                topo.push_back(v);
        }
        for (std::size_t i = 0; i < topo.size(); ++i) {
            for (const int w : succ[std::size_t(topo[i])]) {
                if (--remaining[std::size_t(w)] == 0)
                    topo.push_back(w);
            }
        }
        m_layer.assign(std::size_t(n), 0);
        for (const int v : topo) {
            for (const int w : succ[std::size_t(v)])
                m_layer[std::size_t(w)] =
                    std::max(m_layer[std::size_t(w)], m_layer[std::size_t(v)] + 1);
        }
        int maxLayer = 0;
        for (const int l : m_layer)
            maxLayer = std::max(maxLayer, l);

        const int passes =
            passesWithinBudget(n + static_cast<long long>(m_dagEdges.size()), 4 * n + 8, 8);
        for (int pass = 0; pass < passes; ++pass) {
            bool moved = false;
            for (const int v : topo) {
                const auto &in = pred[std::size_t(v)];
                const auto &outs = succ[std::size_t(v)];
                if (in.size() == outs.size())
                    continue;
                int lo = 0;
                for (const int u : in)
                    lo = std::max(lo, m_layer[std::size_t(u)] + 1);
                int hi = maxLayer;
                for (const int w : outs)
                    hi = std::min(hi, m_layer[std::size_t(w)] - 1);
                const int target = outs.size() > in.size() ? hi : lo;
                if (target != m_layer[std::size_t(v)]) {
                    m_layer[std::size_t(v)] = target;
                    moved = true;
                }
            }
            if (!moved)
                break;
        }

        // Renumber so that layers are consecutive from 0 (a move may have emptied one).
        std::vector<int> used(std::size_t(maxLayer) + 1, 0);
        for (const int l : m_layer)
            used[std::size_t(l)] = 1;
        std::vector<int> renumber(used.size(), 0);
        int next = 0;
        for (std::size_t l = 0; l < used.size(); ++l) {
            renumber[l] = next;
            next += used[l];
        }
        for (auto &l : m_layer)
            l = renumber[std::size_t(l)];
    }

    void insertDummies()
    {
        m_succ.assign(std::size_t(m_realCount), {});
        m_pred.assign(std::size_t(m_realCount), {});
        m_chains.reserve(m_dagEdges.size());
        long long dummiesLeft = kMaxDummies;
        for (const auto &[a, b] : m_dagEdges) {
            IndexList chain{a};
            const int span = m_layer[std::size_t(b)] - m_layer[std::size_t(a)];
            if (span - 1 > dummiesLeft) {
                // Over the budget: drawn straight across the columns, outside the ordering.
                chain.push_back(b);
                m_chains.push_back(std::move(chain));
                continue;
            }
            dummiesLeft -= span - 1;
            int previous = a;
            for (int l = m_layer[std::size_t(a)] + 1; l < m_layer[std::size_t(b)]; ++l) {
                const int d = int(m_layer.size());
                m_layer.push_back(l);
                m_width.push_back(0);
                m_extent.push_back(0);
                m_succ.emplace_back();
                m_pred.emplace_back();
                m_succ[std::size_t(previous)].push_back(d);
                m_pred[std::size_t(d)].push_back(previous);
                chain.push_back(d);
                previous = d;
            }
            m_succ[std::size_t(previous)].push_back(b);
            m_pred[std::size_t(b)].push_back(previous);
            chain.push_back(b);
            m_chains.push_back(std::move(chain));
        }
        int layerCount = 0;
        for (const int l : m_layer)
            layerCount = std::max(layerCount, l + 1);
        m_layers.assign(std::size_t(layerCount), {});
        m_pos.assign(m_layer.size(), 0);
    }

    // ---- crossing reduction -------------------------------------------------------------------

    void updatePositions()
    {
        for (const auto &layer : m_layers) {
            for (std::size_t i = 0; i < layer.size(); ++i)
                m_pos[std::size_t(layer[i])] = int(i);
        }
    }

    // Crossings between layer `l` and `l + 1`: the inversions of the lower ends when the edges
    // are sorted by their upper end (Barth, Jünger and Mutzel), counted with a Fenwick tree.
    [[nodiscard]] long long crossingsBetween(std::size_t l, std::vector<int> &scratch,
                                             std::vector<int> &tree) const
    {
        const auto &upper = m_layers[l];
        const int lowerSize = int(m_layers[l + 1].size());
        tree.assign(std::size_t(lowerSize) + 1, 0);
        long long crossings = 0;
        long long seen = 0;
        for (const int u : upper) {
            scratch.clear();
            for (const int w : m_succ[std::size_t(u)])
                scratch.push_back(m_pos[std::size_t(w)]);
            std::sort(scratch.begin(), scratch.end());
            for (const int p : scratch) {
                long long atMost = 0;
                for (int i = p + 1; i > 0; i -= i & -i)
                    atMost += tree[std::size_t(i)];
                crossings += seen - atMost;
                for (int i = p + 1; i <= lowerSize; i += i & -i)
                    ++tree[std::size_t(i)];
                ++seen;
            }
        }
        return crossings;
    }

    [[nodiscard]] long long totalCrossings() const
    {
        std::vector<int> scratch, tree;
        long long total = 0;
        for (std::size_t l = 0; l + 1 < m_layers.size(); ++l)
            total += crossingsBetween(l, scratch, tree);
        return total;
    }

    // Gansner et al.'s weighted median of sorted positions.
    static double weightedMedian(const std::vector<int> &p)
    {
        const std::size_t m = p.size() / 2;
        if (p.size() % 2 == 1)
            return p[m];
        if (p.size() == 2)
            return (p[0] + p[1]) / 2.0;
        const double left = p[m - 1] - p[0];
        const double right = p.back() - p[m];
        if (left + right <= 0)
            return (p[m - 1] + p[m]) / 2.0;
        return (p[m - 1] * right + p[m] * left) / (left + right);
    }

    // Reorders layer `l` by its neighbours in the adjacent layer (above when `downward`). Nodes
    // without such neighbours keep their slots; the others are stably sorted into the rest.
    void sortLayer(std::size_t l, bool downward, bool median)
    {
        auto &layer = m_layers[l];
        std::vector<std::pair<double, int>> movable;
        std::vector<char> fixed(layer.size(), 0);
        std::vector<int> positions;
        for (std::size_t i = 0; i < layer.size(); ++i) {
            const int v = layer[i];
            const auto &neighbours = downward ? m_pred[std::size_t(v)] : m_succ[std::size_t(v)];
            if (neighbours.empty()) {
                fixed[i] = 1;
                continue;
            }
            positions.clear();
            for (const int w : neighbours)
                positions.push_back(m_pos[std::size_t(w)]);
            double value;
            if (median) {
                std::sort(positions.begin(), positions.end());
                value = weightedMedian(positions);
            } else {
                value = std::accumulate(positions.begin(), positions.end(), 0.0) /
                        double(positions.size());
            }
            movable.emplace_back(value, v);
        }
        std::stable_sort(movable.begin(), movable.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        std::size_t next = 0;
        for (std::size_t i = 0; i < layer.size(); ++i) {
            if (!fixed[i])
                layer[i] = movable[next++].second;
        }
        for (std::size_t i = 0; i < layer.size(); ++i)
            m_pos[std::size_t(layer[i])] = int(i);
    }

    // Pairs (a, b), a from `first` and b from `second` (both sorted), with a > b: the crossings
    // between the edges of two neighbouring nodes when the first is above the second.
    static long long pairCrossings(const std::vector<int> &first, const std::vector<int> &second)
    {
        long long count = 0;
        std::size_t j = 0;
        for (const int a : first) {
            while (j < second.size() && second[j] < a)
                ++j;
            count += static_cast<long long>(j);
        }
        return count;
    }

    // Swaps neighbours of a layer while that lowers the crossings with both adjacent layers.
    void transpose()
    {
        std::vector<std::vector<int>> up, down;
        for (std::size_t l = 0; l < m_layers.size(); ++l) {
            auto &layer = m_layers[l];
            up.assign(layer.size(), {});
            down.assign(layer.size(), {});
            const auto neighbourPositions = [&](const std::vector<IndexList> &adjacency, int v,
                                                std::vector<int> &out) {
                out.clear();
                for (const int w : adjacency[std::size_t(v)])
                    out.push_back(m_pos[std::size_t(w)]);
                std::sort(out.begin(), out.end());
            };
            for (std::size_t i = 0; i < layer.size(); ++i) {
                neighbourPositions(m_pred, layer[i], up[i]);
                neighbourPositions(m_succ, layer[i], down[i]);
            }
            for (int round = 0; round < 16; ++round) {
                bool swapped = false;
                for (std::size_t i = 0; i + 1 < layer.size(); ++i) {
                    const long long keep =
                        pairCrossings(up[i], up[i + 1]) + pairCrossings(down[i], down[i + 1]);
                    const long long swap =
                        pairCrossings(up[i + 1], up[i]) + pairCrossings(down[i + 1], down[i]);
                    if (swap < keep) {
                        std::swap(layer[i], layer[i + 1]);
                        std::swap(up[i], up[i + 1]);
                        std::swap(down[i], down[i + 1]);
                        swapped = true;
                    }
                }
                if (!swapped)
                    break;
            }
            for (std::size_t i = 0; i < layer.size(); ++i)
                m_pos[std::size_t(layer[i])] = int(i);
        }
    }

    // The first ordering: depth-first from the sources, each node appended to its layer when
    // first reached, which draws trees without crossings before any sweep.
    void initialOrder()
    {
        std::vector<char> seen(m_layer.size(), 0);
        IndexList stack;
        const auto visit = [&](int root) {
            stack.push_back(root);
            while (!stack.empty()) {
                const int v = stack.back();
                stack.pop_back();
                if (seen[std::size_t(v)])
                    continue;
                seen[std::size_t(v)] = 1;
                m_layers[std::size_t(m_layer[std::size_t(v)])].push_back(v);
                const auto &succ = m_succ[std::size_t(v)];
                for (auto it = succ.rbegin(); it != succ.rend(); ++it) {
                    if (!seen[std::size_t(*it)])
                        stack.push_back(*it);
                }
            }
        };
        for (int v = 0; v < m_realCount; ++v) {
            if (m_pred[std::size_t(v)].empty())
                visit(v);
        }
        for (int v = 0; v < int(m_layer.size()); ++v)
            visit(v);
        updatePositions();
    }

    void orderLayers()
    {
        initialOrder();
        long long best = totalCrossings();
        auto bestLayers = m_layers;
        int sinceImprovement = 0;
        long long edgeCount = 0;
        for (const auto &succ : m_succ)
            edgeCount += static_cast<long long>(succ.size());
        // A pass sorts every layer and transposes it (up to 16 rounds), then counts crossings.
        const int passes = passesWithinBudget(
            20 * (static_cast<long long>(m_layer.size()) + edgeCount), m_options.crossingPasses, 2);
        for (int pass = 0; pass < passes && best > 0; ++pass) {
            const bool downward = pass % 2 == 0;
            const bool median = (pass / 2) % 2 == 1;
            if (downward) {
                for (std::size_t l = 1; l < m_layers.size(); ++l)
                    sortLayer(l, true, median);
            } else {
                for (std::size_t l = m_layers.size() - 1; l-- > 0;)
                    sortLayer(l, false, median);
            }
            transpose();
            const long long crossings = totalCrossings();
            if (crossings < best) {
                best = crossings;
                bestLayers = m_layers;
                sinceImprovement = 0;
            } else if (++sinceImprovement >= 6) {
                break;
            }
        }
        m_layers = std::move(bestLayers);
        updatePositions();
        m_crossings = int(std::min<long long>(best, std::numeric_limits<int>::max()));
    }

    // ---- coordinates (Brandes and Köpf, with Gansner's block graph compaction) ----------------

    [[nodiscard]] qreal separation(int u, int v) const
    {
        const qreal gapU = isDummy(u) ? m_options.edgeSpacing : m_options.nodeSpacing;
        const qreal gapV = isDummy(v) ? m_options.edgeSpacing : m_options.nodeSpacing;
        return (m_extent[std::size_t(u)] + m_extent[std::size_t(v)] + gapU + gapV) / 2;
    }

    // Type 1 conflicts: an edge that is not between two dummies crossing one that is. Marking
    // them lets the long edges (dummy chains) win the alignment and stay straight.
    [[nodiscard]] std::unordered_set<quint64> typeOneConflicts() const
    {
        std::unordered_set<quint64> conflicts;
        for (std::size_t l = 1; l < m_layers.size(); ++l) {
            const auto &layer = m_layers[l];
            const int previousSize = int(m_layers[l - 1].size());
            int k0 = 0;
            std::size_t scan = 0;
            for (std::size_t i = 0; i < layer.size(); ++i) {
                const int v = layer[i];
                int inner = -1;
                if (isDummy(v) && !m_pred[std::size_t(v)].empty() &&
                    isDummy(m_pred[std::size_t(v)].front()))
                    inner = m_pred[std::size_t(v)].front();
                if (inner < 0 && i + 1 != layer.size())
                    continue;
                const int k1 = inner >= 0 ? m_pos[std::size_t(inner)] : previousSize;
                for (; scan <= i; ++scan) {
                    const int w = layer[scan];
                    for (const int u : m_pred[std::size_t(w)]) {
                        const int p = m_pos[std::size_t(u)];
                        if ((p < k0 || k1 < p) && !(isDummy(u) && isDummy(w)))
                            conflicts.insert(pairKey(std::min(u, w), std::max(u, w)));
                    }
                }
                k0 = k1;
            }
        }
        return conflicts;
    }

    // One of the four extreme layouts: blocks aligned towards the upper (or lower) neighbours'
    // median, compacted towards the top (or, with `reverse`, the bottom).
    std::vector<qreal> extremeLayout(bool fromUpper, bool reverse,
                                     const std::unordered_set<quint64> &conflicts) const
    {
        const std::size_t count = m_layer.size();
        std::vector<std::vector<int>> layers = m_layers;
        if (!fromUpper)
            std::reverse(layers.begin(), layers.end());
        if (reverse) {
            for (auto &layer : layers)
                std::reverse(layer.begin(), layer.end());
        }
        std::vector<int> pos(count);
        for (const auto &layer : layers) {
            for (std::size_t i = 0; i < layer.size(); ++i)
                pos[std::size_t(layer[i])] = int(i);
        }
        std::vector<int> root(count), align(count);
        std::iota(root.begin(), root.end(), 0);
        std::iota(align.begin(), align.end(), 0);
        std::vector<int> neighbours;
        for (const auto &layer : layers) {
            int previous = -1;
            for (const int v : layer) {
                const auto &adjacent = fromUpper ? m_pred[std::size_t(v)] : m_succ[std::size_t(v)];
                if (adjacent.empty())
                    continue;
                neighbours.assign(adjacent.begin(), adjacent.end());
                std::sort(neighbours.begin(), neighbours.end(),
                          [&](int a, int b) { return pos[std::size_t(a)] < pos[std::size_t(b)]; });
                const std::size_t last = neighbours.size() - 1;
                for (std::size_t i = last / 2; i <= (last + 1) / 2; ++i) {
                    const int w = neighbours[i];
                    if (align[std::size_t(v)] == v && previous < pos[std::size_t(w)] &&
                        !conflicts.contains(pairKey(std::min(v, w), std::max(v, w)))) {
                        align[std::size_t(w)] = v;
                        root[std::size_t(v)] = root[std::size_t(w)];
                        align[std::size_t(v)] = root[std::size_t(v)];
                        previous = pos[std::size_t(w)];
                    }
                }
            }
        }

        // The block graph: an edge from the block of each node to the block of the node after
        // it in its layer, weighted by the separation they need.
        std::unordered_map<quint64, qreal> weights;
        std::vector<IndexList> blockSucc(count), blockPred(count);
        for (const auto &layer : layers) {
            for (std::size_t i = 1; i < layer.size(); ++i) {
                const int ru = root[std::size_t(layer[i - 1])];
                const int rv = root[std::size_t(layer[i])];
                const qreal sep = separation(layer[i - 1], layer[i]);
                const auto [it, inserted] = weights.try_emplace(pairKey(ru, rv), sep);
                if (inserted) {
                    blockSucc[std::size_t(ru)].push_back(rv);
                    blockPred[std::size_t(rv)].push_back(ru);
                } else {
                    it->second = std::max(it->second, sep);
                }
            }
        }
        IndexList order;
        std::vector<int> remaining(count, 0);
        for (std::size_t v = 0; v < count; ++v) {
            if (root[v] != int(v))
                continue;
            remaining[v] = int(blockPred[v].size());
            if (remaining[v] == 0)
                order.push_back(int(v));
        }
        for (std::size_t i = 0; i < order.size(); ++i) {
            for (const int w : blockSucc[std::size_t(order[i])]) {
                if (--remaining[std::size_t(w)] == 0)
                    order.push_back(w);
            }
        }
        // Aligned blocks never cross, so the block graph is acyclic; should that ever fail, the
        // blocks left out are placed after the others rather than overlapping them.
        for (std::size_t v = 0; v < count; ++v) {
            if (root[v] == int(v) && remaining[v] > 0)
                order.push_back(int(v));
        }
        std::vector<qreal> xs(count, 0);
        std::vector<char> placed(count, 0);
        for (const int b : order) {
            qreal x = 0;
            for (const int p : blockPred[std::size_t(b)]) {
                if (placed[std::size_t(p)])
                    x = std::max(x, xs[std::size_t(p)] + weights.at(pairKey(p, b)));
            }
            xs[std::size_t(b)] = x;
            placed[std::size_t(b)] = 1;
        }
        // Pull blocks with slack towards their successors, so that a block is not left far from
        // the rest only because nothing precedes it.
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const int b = *it;
            qreal limit = std::numeric_limits<qreal>::infinity();
            for (const int s : blockSucc[std::size_t(b)])
                limit = std::min(limit, xs[std::size_t(s)] - weights.at(pairKey(b, s)));
            if (std::isfinite(limit))
                xs[std::size_t(b)] = std::max(xs[std::size_t(b)], limit);
        }
        std::vector<qreal> result(count);
        for (std::size_t v = 0; v < count; ++v)
            result[v] = reverse ? -xs[std::size_t(root[v])] : xs[std::size_t(root[v])];
        return result;
    }

    void assignCoordinates()
    {
        const auto conflicts = typeOneConflicts();
        std::vector<std::vector<qreal>> layouts;
        for (const bool fromUpper : {true, false}) {
            for (const bool reverse : {false, true})
                layouts.push_back(extremeLayout(fromUpper, reverse, conflicts));
        }
        const std::size_t count = m_layer.size();
        // Align the four to the narrowest: the top-compacted ones by their minimum, the
        // bottom-compacted ones by their maximum.
        std::size_t narrowest = 0;
        qreal narrowestWidth = std::numeric_limits<qreal>::infinity();
        std::vector<std::pair<qreal, qreal>> ranges;
        for (std::size_t k = 0; k < layouts.size(); ++k) {
            qreal lo = std::numeric_limits<qreal>::infinity();
            qreal hi = -lo;
            qreal extentLo = lo;
            qreal extentHi = -lo;
            for (std::size_t v = 0; v < count; ++v) {
                lo = std::min(lo, layouts[k][v]);
                hi = std::max(hi, layouts[k][v]);
                extentLo = std::min(extentLo, layouts[k][v] - m_extent[v] / 2);
                extentHi = std::max(extentHi, layouts[k][v] + m_extent[v] / 2);
            }
            ranges.emplace_back(lo, hi);
            if (extentHi - extentLo < narrowestWidth) {
                narrowestWidth = extentHi - extentLo;
                narrowest = k;
            }
        }
        for (std::size_t k = 0; k < layouts.size(); ++k) {
            const bool bottomCompacted = k % 2 == 1;
            const qreal delta = bottomCompacted ? ranges[narrowest].second - ranges[k].second
                                                : ranges[narrowest].first - ranges[k].first;
            for (auto &x : layouts[k])
                x += delta;
        }
        m_coord.assign(count, 0);
        std::array<qreal, 4> values{};
        for (std::size_t v = 0; v < count; ++v) {
            for (std::size_t k = 0; k < 4; ++k)
                values[k] = layouts[k][v];
            std::sort(values.begin(), values.end());
            m_coord[v] = (values[1] + values[2]) / 2;
        }
        long long edgeCount = 0;
        for (const auto &succ : m_succ)
            edgeCount += static_cast<long long>(succ.size());
        compact(passesWithinBudget(static_cast<long long>(m_layer.size()) + 2 * edgeCount,
                                   m_options.compactionPasses, 4));
        // The balanced layout keeps every separation (each of the four does, and taking the same
        // order statistic of each node preserves them), and so does compaction; this pass only
        // guards against rounding.
        for (const auto &layer : m_layers) {
            for (std::size_t i = 1; i < layer.size(); ++i) {
                const qreal minimum =
                    m_coord[std::size_t(layer[i - 1])] + separation(layer[i - 1], layer[i]);
                auto &c = m_coord[std::size_t(layer[i])];
                c = std::max(c, minimum);
            }
        }
    }

    // Edge weights of the compaction (Gansner et al.'s Ω): a segment between two dummies weighs
    // most, so long edges stay straight; one between a node and a dummy comes next.
    [[nodiscard]] qreal straightnessWeight(int u, int v) const
    {
        const int dummies = int(isDummy(u)) + int(isDummy(v));
        return dummies == 2 ? 8 : (dummies == 1 ? 2 : 1);
    }

    // Brandes–Köpf aligns nodes with medians but leaves wide gaps in dense graphs (a column is
    // pushed apart by the alignments of the next). Compaction lowers Σ ω·(y_u − y_v)² over the
    // edges, one column at a time, alternately downwards and upwards: each column is solved
    // exactly under its order and separations, as an isotonic regression (pool adjacent
    // violators) of the weighted mean position of each node's neighbours, until nothing moves by
    // more than a quarter of a pixel. The order, hence the crossings, never changes; nothing
    // ever overlaps.
    void compact(int passes)
    {
        struct Block
        {
            qreal weight;
            qreal weightedSum;
            std::size_t begin;
            std::size_t end;
            [[nodiscard]] qreal mean() const { return weightedSum / weight; }
        };
        std::vector<qreal> target, weight, offset;
        std::vector<Block> blocks;
        for (int pass = 0; pass < passes; ++pass) {
            const bool downward = pass % 2 == 0;
            qreal largestMove = 0;
            for (std::size_t k = 0; k < m_layers.size(); ++k) {
                const auto &layer = m_layers[downward ? k : m_layers.size() - 1 - k];
                const std::size_t size = layer.size();
                target.assign(size, 0);
                weight.assign(size, 0);
                offset.assign(size, 0);
                for (std::size_t i = 0; i < size; ++i) {
                    const int v = layer[i];
                    if (i > 0)
                        offset[i] = offset[i - 1] + separation(layer[i - 1], v);
                    qreal sumWeight = 0;
                    qreal sum = 0;
                    for (const auto *adjacent :
                         {&m_pred[std::size_t(v)], &m_succ[std::size_t(v)]}) {
                        for (const int u : *adjacent) {
                            const qreal w = straightnessWeight(u, v);
                            sumWeight += w;
                            sum += w * m_coord[std::size_t(u)];
                        }
                    }
                    if (sumWeight <= 0) {
                        // No neighbours: stay put, giving way to any node that has some.
                        sumWeight = 1e-3;
                        sum = sumWeight * m_coord[std::size_t(v)];
                    }
                    weight[i] = sumWeight;
                    target[i] = sum / sumWeight - offset[i];
                }
                blocks.clear();
                for (std::size_t i = 0; i < size; ++i) {
                    blocks.push_back({weight[i], weight[i] * target[i], i, i + 1});
                    while (blocks.size() >= 2 &&
                           blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
                        const Block last = blocks.back();
                        blocks.pop_back();
                        auto &merged = blocks.back();
                        merged.weight += last.weight;
                        merged.weightedSum += last.weightedSum;
                        merged.end = last.end;
                    }
                }
                for (const auto &block : blocks) {
                    const qreal z = block.mean();
                    for (std::size_t i = block.begin; i < block.end; ++i) {
                        auto &c = m_coord[std::size_t(layer[i])];
                        largestMove = std::max(largestMove, std::abs(z + offset[i] - c));
                        c = z + offset[i];
                    }
                }
            }
            if (largestMove < 0.25)
                break;
        }
    }

    // ---- output --------------------------------------------------------------------------------

    ComponentLayout build() const
    {
        ComponentLayout out;
        const std::size_t layerCount = m_layers.size();
        std::vector<qreal> columnWidth(layerCount, 0), columnX(layerCount, 0);
        for (int v = 0; v < m_realCount; ++v) {
            auto &w = columnWidth[std::size_t(m_layer[std::size_t(v)])];
            w = std::max(w, m_width[std::size_t(v)]);
        }
        for (std::size_t l = 1; l < layerCount; ++l)
            columnX[l] = columnX[l - 1] + columnWidth[l - 1] + m_options.layerSpacing;

        qreal top = std::numeric_limits<qreal>::infinity();
        for (std::size_t v = 0; v < m_coord.size(); ++v)
            top = std::min(top, m_coord[v] - m_extent[v] / 2);
        if (!std::isfinite(top))
            top = 0;
        const auto centreY = [&](int v) { return m_coord[std::size_t(v)] - top; };

        out.rects.resize(std::size_t(m_realCount));
        out.layer.resize(std::size_t(m_realCount));
        out.position.resize(std::size_t(m_realCount));
        for (int v = 0; v < m_realCount; ++v) {
            const std::size_t l = std::size_t(m_layer[std::size_t(v)]);
            const qreal w = m_width[std::size_t(v)];
            const qreal h = m_extent[std::size_t(v)];
            out.rects[std::size_t(v)] =
                QRectF(columnX[l] + (columnWidth[l] - w) / 2, centreY(v) - h / 2, w, h);
            out.layer[std::size_t(v)] = int(l);
            out.position[std::size_t(v)] = m_pos[std::size_t(v)];
        }

        std::vector<QList<QPointF>> dagRoutes;
        dagRoutes.reserve(m_chains.size());
        for (const auto &chain : m_chains) {
            QList<QPointF> points;
            const QRectF &from = out.rects[std::size_t(chain.front())];
            const QRectF &to = out.rects[std::size_t(chain.back())];
            // A node narrower than its column gets a horizontal stub to the column's border, so
            // that between two columns every edge is one straight segment from border to border:
            // two edges then cross at most once, and only where their orders swap.
            const std::size_t fromLayer = std::size_t(m_layer[std::size_t(chain.front())]);
            const std::size_t toLayer = std::size_t(m_layer[std::size_t(chain.back())]);
            points.append(QPointF(from.right(), from.center().y()));
            const qreal fromBorder = columnX[fromLayer] + columnWidth[fromLayer];
            if (fromBorder > from.right())
                points.append(QPointF(fromBorder, from.center().y()));
            for (std::size_t i = 1; i + 1 < chain.size(); ++i) {
                const std::size_t l = std::size_t(m_layer[std::size_t(chain[i])]);
                const qreal y = centreY(chain[i]);
                // Straight through the column, so the edge never cuts across a node of it.
                points.append(QPointF(columnX[l], y));
                points.append(QPointF(columnX[l] + columnWidth[l], y));
            }
            if (columnX[toLayer] < to.left())
                points.append(QPointF(columnX[toLayer], to.center().y()));
            points.append(QPointF(to.left(), to.center().y()));
            dagRoutes.push_back(std::move(points));
        }
        out.routes.resize(m_component.edges.size());
        out.reversed.resize(m_component.edges.size());
        for (std::size_t e = 0; e < m_component.edges.size(); ++e) {
            auto points = dagRoutes[std::size_t(m_edgeToDag[e])];
            if (m_edgeReversed[e]) {
                std::reverse(points.begin(), points.end());
                ++out.reversedEdges;
            }
            out.routes[e] = std::move(points);
            out.reversed[e] = m_edgeReversed[e];
        }
        out.crossings = m_crossings;
        out.dummyNodes = int(m_layer.size()) - m_realCount;
        qreal bottom = 0;
        for (const auto &r : out.rects)
            bottom = std::max(bottom, r.bottom());
        const qreal right = layerCount ? columnX.back() + columnWidth.back() : 0;
        out.size = QSizeF(right, bottom);
        return out;
    }
};

// A small loop on the top-right corner of a node, ending with an arrow into its right side.
QList<QPointF> selfLoopRoute(const QRectF &r)
{
    const qreal reach = 10;
    const qreal x = r.right() - std::min<qreal>(r.width() * 0.3, 24);
    return {QPointF(x, r.top()), QPointF(x, r.top() - reach),
            QPointF(r.right() + reach, r.top() - reach), QPointF(r.right() + reach, r.center().y()),
            QPointF(r.right(), r.center().y())};
}

int findRoot(std::vector<int> &parent, int v)
{
    while (parent[std::size_t(v)] != v) {
        parent[std::size_t(v)] = parent[std::size_t(parent[std::size_t(v)])];
        v = parent[std::size_t(v)];
    }
    return v;
}

} // namespace

LayoutResult computeLayout(const QList<LayoutNode> &nodes, const QList<LayoutEdge> &edges,
                           const LayoutOptions &options)
{
    LayoutResult result;
    std::vector<QSizeF> sizes;
    for (const auto &node : nodes) {
        if (result.nodeIndex.contains(node.id))
            continue;
        result.nodeIndex.insert(node.id, int(result.nodes.size()));
        NodePlacement placement;
        placement.id = node.id;
        result.nodes.append(placement);
        sizes.emplace_back(sanitizedExtent(node.size.width()), sanitizedExtent(node.size.height()));
    }
    const int n = int(result.nodes.size());

    // Distinct, known edges; self-loops are kept aside, they take no part in the layering.
    std::vector<std::pair<int, int>> cleaned;
    std::vector<int> selfLoops; // node index per self-loop edge, in `result.edges` order
    std::unordered_set<quint64> seen;
    for (const auto &edge : edges) {
        const auto from = result.nodeIndex.constFind(edge.from);
        const auto to = result.nodeIndex.constFind(edge.to);
        if (from == result.nodeIndex.constEnd() || to == result.nodeIndex.constEnd() ||
            !seen.insert(pairKey(*from, *to)).second) {
            ++result.ignoredEdges;
            continue;
        }
        EdgeRoute route;
        route.from = edge.from;
        route.to = edge.to;
        route.selfLoop = *from == *to;
        result.edges.append(route);
        cleaned.emplace_back(*from, *to);
    }

    std::vector<int> parent(static_cast<std::size_t>(n));
    std::iota(parent.begin(), parent.end(), 0);
    for (const auto &[a, b] : cleaned) {
        const int ra = findRoot(parent, a);
        const int rb = findRoot(parent, b);
        if (ra != rb)
            parent[std::size_t(std::max(ra, rb))] = std::min(ra, rb);
    }
    std::unordered_map<int, int> componentOfRoot;
    std::vector<Component> components;
    std::vector<int> componentOf(static_cast<std::size_t>(n)),
        localIndex(static_cast<std::size_t>(n));
    for (int v = 0; v < n; ++v) {
        const int r = findRoot(parent, v);
        const auto [it, inserted] = componentOfRoot.try_emplace(r, int(components.size()));
        if (inserted)
            components.emplace_back();
        componentOf[std::size_t(v)] = it->second;
        auto &c = components[std::size_t(it->second)];
        localIndex[std::size_t(v)] = int(c.nodes.size());
        c.nodes.push_back(v);
    }
    for (std::size_t e = 0; e < cleaned.size(); ++e) {
        const auto [a, b] = cleaned[e];
        if (a == b)
            continue;
        auto &c = components[std::size_t(componentOf[std::size_t(a)])];
        c.edges.emplace_back(localIndex[std::size_t(a)], localIndex[std::size_t(b)]);
        c.edgeOrigin.push_back(int(e));
    }

    // Largest components first, then in the order their first node was given.
    std::vector<int> stacking(components.size());
    std::iota(stacking.begin(), stacking.end(), 0);
    std::stable_sort(stacking.begin(), stacking.end(), [&](int a, int b) {
        return components[std::size_t(a)].nodes.size() > components[std::size_t(b)].nodes.size();
    });

    std::vector<QList<QPointF>> routes(cleaned.size());
    std::vector<bool> reversed(cleaned.size(), false);
    qreal y = 0;
    qreal widest = 0;
    int componentNumber = 0;
    std::vector<int> singles;
    for (const int ci : stacking) {
        const auto &component = components[std::size_t(ci)];
        if (component.edges.empty()) {
            singles.push_back(component.nodes.front());
            continue;
        }
        const auto layout = ComponentLayouter(component, sizes, options).run();
        for (std::size_t i = 0; i < component.nodes.size(); ++i) {
            auto &placement = result.nodes[component.nodes[i]];
            placement.rect = layout.rects[i].translated(0, y);
            placement.layer = layout.layer[i];
            placement.position = layout.position[i];
            placement.component = componentNumber;
        }
        for (std::size_t e = 0; e < component.edges.size(); ++e) {
            auto points = layout.routes[e];
            for (auto &p : points)
                p.ry() += y;
            routes[std::size_t(component.edgeOrigin[e])] = std::move(points);
            reversed[std::size_t(component.edgeOrigin[e])] = layout.reversed[e];
        }
        result.crossings += layout.crossings;
        result.reversedEdges += layout.reversedEdges;
        result.dummyNodes += layout.dummyNodes;
        widest = std::max(widest, layout.size.width());
        y += layout.size.height() + options.componentSpacing;
        ++componentNumber;
    }

    // Nodes without edges, in rows about as wide as the widest component (or a square).
    if (!singles.empty()) {
        qreal largest = 0;
        for (const int v : singles)
            largest = std::max(largest, sizes[std::size_t(v)].width());
        const qreal gap = options.nodeSpacing * 2;
        const qreal rowLimit =
            std::max(widest, std::ceil(std::sqrt(double(singles.size()))) * (largest + gap) - gap);
        qreal x = 0;
        qreal rowHeight = 0;
        for (const int v : singles) {
            const QSizeF size = sizes[std::size_t(v)];
            if (x > 0 && x + size.width() > rowLimit) {
                x = 0;
                y += rowHeight + options.nodeSpacing;
                rowHeight = 0;
            }
            auto &placement = result.nodes[v];
            placement.rect = QRectF(QPointF(x, y), size);
            placement.component = componentNumber++;
            x += size.width() + gap;
            rowHeight = std::max(rowHeight, size.height());
        }
    }

    for (int e = 0; e < int(cleaned.size()); ++e) {
        auto &route = result.edges[e];
        if (route.selfLoop)
            route.points = selfLoopRoute(result.nodes.at(cleaned[std::size_t(e)].first).rect);
        else
            route.points = routes[std::size_t(e)];
        route.reversed = reversed[std::size_t(e)];
    }

    // QRectF::united() skips empty rectangles, and a node may be given a zero size.
    qreal left = 0, top = 0, right = 0, bottom = 0;
    bool first = true;
    const auto include = [&](const QPointF &p) {
        if (first) {
            left = right = p.x();
            top = bottom = p.y();
            first = false;
            return;
        }
        left = std::min(left, p.x());
        top = std::min(top, p.y());
        right = std::max(right, p.x());
        bottom = std::max(bottom, p.y());
    };
    for (const auto &node : result.nodes) {
        include(node.rect.topLeft());
        include(node.rect.bottomRight());
    }
    for (const auto &edge : result.edges) {
        for (const auto &p : edge.points)
            include(p);
    }
    const QPointF shift(-left, -top);
    for (auto &node : result.nodes)
        node.rect.translate(shift);
    for (auto &edge : result.edges) {
        for (auto &p : edge.points)
            p += shift;
    }
    const QRectF bounds(0, 0, right - left, bottom - top);
    result.bounds = bounds;
    return result;
}

} // namespace rwd::client::graph
