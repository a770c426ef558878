#pragma once

#include "sketch.h"

#include <QtGlobal>

#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace rwd::monitor {

// One point of a field, as windows keep it.
struct Point
{
    qint64 timeMs = 0;
    double value = 0;
    double increment = 0; // counters: increase since the previous point; histograms: observations
    double seconds = 0;   // counters: time since the previous point, for rates
    std::vector<std::pair<double, double>> distribution; // histograms: (value, weight)
    // A histogram's point: its observations are `distribution` (none: nothing was observed),
    // never `value`.
    bool histogram = false;
};

// The points of one field over a sliding time window (now − offset − duration, now − offset]
// (offset 0: the latest `duration`), with running
// aggregates updated in O(1) amortised time per point: count, sums, mean, first/last, and — when
// asked for — min/max (monotonic deques) and quantiles (a QuantileSketch with removal).
class Window
{
public:
    struct Needs
    {
        bool extremes = false;  // min, max
        bool quantiles = false; // pXX
    };

    Window(qint64 durationMs, Needs needs, qint64 offsetMs = 0);

    void require(Needs needs);
    // Points must arrive in time order.
    void push(const Point &point);
    // Drops points that are no longer inside (now − duration, now].
    void evict(qint64 nowMs);

    [[nodiscard]] qint64 durationMs() const { return m_duration; }
    [[nodiscard]] qint64 offsetMs() const { return m_offset; }
    [[nodiscard]] Needs needs() const { return m_needs; }
    [[nodiscard]] std::size_t count() const { return m_points.size(); }
    [[nodiscard]] double sum() const { return m_sum; }
    [[nodiscard]] double sumIncrement() const { return m_sumIncrement; }
    [[nodiscard]] double sumSeconds() const { return m_sumSeconds; }
    // Σ value·increment: for histograms, the total of the observations.
    [[nodiscard]] double sumWeighted() const { return m_sumWeighted; }
    [[nodiscard]] const Point *first() const
    {
        return m_points.empty() ? nullptr : &m_points.front();
    }
    [[nodiscard]] const Point *last() const
    {
        return m_points.empty() ? nullptr : &m_points.back();
    }
    [[nodiscard]] std::optional<double> min() const;
    [[nodiscard]] std::optional<double> max() const;
    [[nodiscard]] std::optional<double> quantile(double q) const;
    [[nodiscard]] const std::deque<Point> &points() const { return m_points; }

private:
    void addToSketch(const Point &point, double sign);
    void recomputeSums();
    void admit(const Point &point);

    qint64 m_duration;
    qint64 m_offset;
    std::deque<Point> m_pending; // pushed, but newer than now − offset
    Needs m_needs;
    std::deque<Point> m_points;
    qint64 m_pushed = 0;  // sequence number of the next point pushed
    qint64 m_evicted = 0; // sequence number of the oldest point still held
    double m_sum = 0;
    double m_sumIncrement = 0;
    double m_sumSeconds = 0;
    double m_sumWeighted = 0;
    int m_evictionsSinceRecompute = 0;
    std::deque<std::pair<qint64, double>> m_minima; // (sequence, value), values increasing
    std::deque<std::pair<qint64, double>> m_maxima; // (sequence, value), values decreasing
    std::optional<QuantileSketch> m_sketch;
};

// Probe outcomes (ok / failed) over a sliding time window, O(1) amortised.
class OutcomeWindow
{
public:
    explicit OutcomeWindow(qint64 durationMs)
        : m_duration(durationMs)
    {}

    void push(qint64 timeMs, bool ok);
    void evict(qint64 nowMs);

    [[nodiscard]] qint64 durationMs() const { return m_duration; }
    [[nodiscard]] std::size_t count() const { return m_outcomes.size(); }
    [[nodiscard]] std::size_t failures() const { return m_failures; }

private:
    qint64 m_duration;
    std::deque<std::pair<qint64, bool>> m_outcomes;
    std::size_t m_failures = 0;
};

} // namespace rwd::monitor
