#include "sampleseries.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace rwd::monitor {

namespace {

double fieldOf(const Sample &s, const QString &field)
{
    if (field == u"latency")
        return s.latency;
    if (field == u"status")
        return s.status;
    return s.value;
}

// The sample at rank ceil(q * n) (nearest-rank method), so p100 is the maximum and p50 of
// two samples is the lower one.
double nearestRank(std::vector<double> &values, double q)
{
    const auto n = values.size();
    auto rank = std::size_t(std::ceil(q * double(n)));
    rank = std::clamp<std::size_t>(rank, 1, n);
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(rank - 1), values.end());
    return values[rank - 1];
}

} // namespace

void SampleSeries::append(const Sample &sample)
{
    if (!m_samples.empty() && sample.timeMs < m_samples.back().timeMs)
        return;
    m_samples.push_back(sample);
    if (sample.ok) {
        ++m_consecutiveSuccesses;
        m_consecutiveFailures = 0;
    } else {
        ++m_consecutiveFailures;
        m_consecutiveSuccesses = 0;
    }
    evict(sample.timeMs);
}

void SampleSeries::evict(qint64 nowMs)
{
    while (m_samples.size() > 1 && m_samples.front().timeMs < nowMs - m_retentionMs)
        m_samples.pop_front();
}

std::optional<double> SampleSeries::aggregate(rules::Aggregate aggregate, const QString &field,
                                              qint64 windowMs, double quantile, qint64 nowMs) const
{
    using rules::Aggregate;
    if (m_samples.empty())
        return std::nullopt;
    switch (aggregate) {
    case Aggregate::ConsecutiveFailures:
        return m_consecutiveFailures;
    case Aggregate::ConsecutiveSuccesses:
        return m_consecutiveSuccesses;
    case Aggregate::Last:
        return fieldOf(m_samples.back(), field);
    default:
        break;
    }
    const qint64 from = nowMs - windowMs;
    std::size_t total = 0;
    std::size_t failed = 0;
    double sum = 0;
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -std::numeric_limits<double>::infinity();
    std::vector<double> values;
    for (auto it = m_samples.rbegin(); it != m_samples.rend() && it->timeMs > from; ++it) {
        if (it->timeMs > nowMs)
            continue;
        ++total;
        failed += it->ok ? 0 : 1;
        const double v = fieldOf(*it, field);
        sum += v;
        lowest = std::min(lowest, v);
        highest = std::max(highest, v);
        if (aggregate == Aggregate::Quantile)
            values.push_back(v);
    }
    if (aggregate == Aggregate::Count)
        return double(total);
    if (aggregate == Aggregate::Failures)
        return double(failed);
    if (total == 0)
        return std::nullopt;
    switch (aggregate) {
    case Aggregate::ErrorRate:
        return double(failed) / double(total);
    case Aggregate::SuccessRate:
        return double(total - failed) / double(total);
    case Aggregate::Mean:
        return sum / double(total);
    case Aggregate::Min:
        return lowest;
    case Aggregate::Max:
        return highest;
    case Aggregate::Quantile:
        return nearestRank(values, quantile);
    case Aggregate::Count:
    case Aggregate::Failures:
    case Aggregate::ConsecutiveFailures:
    case Aggregate::ConsecutiveSuccesses:
    case Aggregate::Last:
        break;
    }
    return std::nullopt;
}

std::vector<Sample> SampleSeries::since(qint64 sinceMs) const
{
    std::vector<Sample> out;
    for (const auto &s : m_samples) {
        if (s.timeMs > sinceMs)
            out.push_back(s);
    }
    return out;
}

} // namespace rwd::monitor
