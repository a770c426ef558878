#include "window.h"

namespace rwd::monitor {

namespace {
// Running sums are corrected from scratch this often, so floating-point drift from adding and
// subtracting for days never accumulates (O(n) every n evictions: still O(1) amortised).
constexpr int kRecomputeEvery = 4096;
} // namespace

Window::Window(qint64 durationMs, Needs needs, qint64 offsetMs)
    : m_duration(durationMs)
    , m_offset(offsetMs)
{
    require(needs);
}

void Window::require(Needs needs)
{
    if (needs.quantiles && !m_sketch) {
        m_sketch.emplace();
        for (const auto &p : m_points)
            addToSketch(p, 1);
    }
    if (needs.extremes && !m_needs.extremes) {
        m_minima.clear();
        m_maxima.clear();
        qint64 seq = m_evicted;
        for (const auto &p : m_points) {
            while (!m_minima.empty() && m_minima.back().second >= p.value)
                m_minima.pop_back();
            m_minima.emplace_back(seq, p.value);
            while (!m_maxima.empty() && m_maxima.back().second <= p.value)
                m_maxima.pop_back();
            m_maxima.emplace_back(seq, p.value);
            ++seq;
        }
    }
    m_needs.extremes = m_needs.extremes || needs.extremes;
    m_needs.quantiles = m_needs.quantiles || needs.quantiles;
}

void Window::addToSketch(const Point &point, double sign)
{
    if (!m_sketch)
        return;
    if (!point.histogram) {
        if (sign > 0)
            m_sketch->add(point.value);
        else
            m_sketch->remove(point.value);
        return;
    }
    for (const auto &[value, weight] : point.distribution) {
        if (sign > 0)
            m_sketch->add(value, weight);
        else
            m_sketch->remove(value, weight);
    }
}

void Window::push(const Point &point)
{
    if (m_offset == 0) {
        admit(point);
        evict(point.timeMs);
        return;
    }
    m_pending.push_back(point);
    evict(point.timeMs);
}

void Window::admit(const Point &point)
{
    const qint64 seq = m_pushed++;
    m_sum += point.value;
    m_sumIncrement += point.increment;
    m_sumSeconds += point.seconds;
    m_sumWeighted += point.value * point.increment;
    if (m_needs.extremes) {
        while (!m_minima.empty() && m_minima.back().second >= point.value)
            m_minima.pop_back();
        m_minima.emplace_back(seq, point.value);
        while (!m_maxima.empty() && m_maxima.back().second <= point.value)
            m_maxima.pop_back();
        m_maxima.emplace_back(seq, point.value);
    }
    addToSketch(point, 1);
    m_points.push_back(point);
}

void Window::evict(qint64 nowMs)
{
    const qint64 until = nowMs - m_offset;
    while (!m_pending.empty() && m_pending.front().timeMs <= until) {
        admit(m_pending.front());
        m_pending.pop_front();
    }
    const qint64 from = until - m_duration;
    while (!m_points.empty() && m_points.front().timeMs <= from) {
        const auto &p = m_points.front();
        m_sum -= p.value;
        m_sumIncrement -= p.increment;
        m_sumSeconds -= p.seconds;
        m_sumWeighted -= p.value * p.increment;
        addToSketch(p, -1);
        if (!m_minima.empty() && m_minima.front().first == m_evicted)
            m_minima.pop_front();
        if (!m_maxima.empty() && m_maxima.front().first == m_evicted)
            m_maxima.pop_front();
        m_points.pop_front();
        ++m_evicted;
        if (++m_evictionsSinceRecompute >= kRecomputeEvery)
            recomputeSums();
    }
    if (m_points.empty())
        recomputeSums();
}

void Window::recomputeSums()
{
    m_evictionsSinceRecompute = 0;
    m_sum = m_sumIncrement = m_sumSeconds = m_sumWeighted = 0;
    for (const auto &p : m_points) {
        m_sum += p.value;
        m_sumIncrement += p.increment;
        m_sumSeconds += p.seconds;
        m_sumWeighted += p.value * p.increment;
    }
}

std::optional<double> Window::min() const
{
    if (m_minima.empty())
        return std::nullopt;
    return m_minima.front().second;
}

std::optional<double> Window::max() const
{
    if (m_maxima.empty())
        return std::nullopt;
    return m_maxima.front().second;
}

std::optional<double> Window::quantile(double q) const
{
    if (!m_sketch || m_sketch->count() <= 0)
        return std::nullopt;
    return m_sketch->quantile(q);
}

void OutcomeWindow::push(qint64 timeMs, bool ok)
{
    m_outcomes.emplace_back(timeMs, ok);
    m_failures += ok ? 0 : 1;
    evict(timeMs);
}

void OutcomeWindow::evict(qint64 nowMs)
{
    const qint64 from = nowMs - m_duration;
    while (!m_outcomes.empty() && m_outcomes.front().first <= from) {
        m_failures -= m_outcomes.front().second ? 0 : 1;
        m_outcomes.pop_front();
    }
}

} // namespace rwd::monitor
