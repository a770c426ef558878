#include "sketch.h"

#include <algorithm>
#include <cmath>

namespace rwd::monitor {

namespace {
constexpr double kMinMagnitude = 1e-9;
constexpr double kMaxMagnitude = 1e12;
// Weights that should have cancelled out may leave floating-point crumbs.
constexpr double kEpsilon = 1e-9;
} // namespace

QuantileSketch::QuantileSketch(double relativeAccuracy)
    : m_alpha(relativeAccuracy)
    , m_gamma((1 + relativeAccuracy) / (1 - relativeAccuracy))
    , m_logGamma(std::log(m_gamma))
{}

int QuantileSketch::indexOf(double magnitude) const
{
    magnitude = std::clamp(magnitude, kMinMagnitude, kMaxMagnitude);
    return int(std::ceil(std::log(magnitude) / m_logGamma));
}

double QuantileSketch::valueOf(int index) const
{
    // The middle of bucket (γ^(i−1), γ^i] in relative terms: every value in it is within α.
    return 2 * std::pow(m_gamma, index) / (m_gamma + 1);
}

void QuantileSketch::Store::add(int index, double weight)
{
    if (counts.empty()) {
        counts.assign(1, 0);
        offset = index;
    } else if (index < offset) {
        counts.insert(counts.begin(), std::size_t(offset - index), 0);
        offset = index;
    } else if (index >= offset + int(counts.size())) {
        counts.resize(std::size_t(index - offset) + 1, 0);
    }
    auto &slot = counts[std::size_t(index - offset)];
    slot = std::max(0.0, slot + weight);
    if (slot < kEpsilon)
        slot = 0;
    total = std::max(0.0, total + weight);
    if (total < kEpsilon)
        total = 0;
}

void QuantileSketch::update(double value, double weight)
{
    if (!std::isfinite(value) || weight == 0)
        return;
    if (std::abs(value) < kMinMagnitude) {
        m_zero = std::max(0.0, m_zero + weight);
        if (m_zero < kEpsilon)
            m_zero = 0;
    } else if (value > 0) {
        m_positive.add(indexOf(value), weight);
    } else {
        m_negative.add(indexOf(-value), weight);
    }
    m_count = std::max(0.0, m_count + weight);
    if (m_count < kEpsilon)
        m_count = 0;
}

void QuantileSketch::add(double value, double weight)
{
    update(value, std::max(weight, 0.0));
}

void QuantileSketch::remove(double value, double weight)
{
    update(value, -std::max(weight, 0.0));
}

void QuantileSketch::clear()
{
    m_positive = {};
    m_negative = {};
    m_zero = 0;
    m_count = 0;
}

double QuantileSketch::quantile(double q) const
{
    if (m_count <= 0)
        return 0;
    q = std::clamp(q, 0.0, 1.0);
    // The value whose rank (0-based, over the total weight) is q · (count − 1). High quantiles
    // are found from the top, so p95/p99 scan only the tail of the buckets.
    const double rank = q * std::max(0.0, m_count - 1);
    if (q > 0.5)
        return fromTop(m_count - 1 - rank);
    double seen = 0;
    // Negative values, most negative first: highest magnitude bucket first.
    for (int i = int(m_negative.counts.size()) - 1; i >= 0; --i) {
        seen += m_negative.counts[std::size_t(i)];
        if (seen > rank)
            return -valueOf(i + m_negative.offset);
    }
    seen += m_zero;
    if (seen > rank)
        return 0;
    for (std::size_t i = 0; i < m_positive.counts.size(); ++i) {
        seen += m_positive.counts[i];
        if (seen > rank)
            return valueOf(int(i) + m_positive.offset);
    }
    return fromTop(0);
}

double QuantileSketch::fromTop(double rankFromTop) const
{
    double seen = 0;
    for (int i = int(m_positive.counts.size()) - 1; i >= 0; --i) {
        seen += m_positive.counts[std::size_t(i)];
        if (seen > rankFromTop)
            return valueOf(i + m_positive.offset);
    }
    seen += m_zero;
    if (seen > rankFromTop)
        return 0;
    for (std::size_t i = 0; i < m_negative.counts.size(); ++i) {
        seen += m_negative.counts[i];
        if (seen > rankFromTop)
            return -valueOf(int(i) + m_negative.offset);
    }
    // Rounding left the rank just beyond the total: the smallest value.
    for (std::size_t i = m_negative.counts.size(); i-- > 0;) {
        if (m_negative.counts[i] > 0)
            return -valueOf(int(i) + m_negative.offset);
    }
    return m_zero > 0 ? 0 : valueOf(m_positive.offset);
}

} // namespace rwd::monitor
