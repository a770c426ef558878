#pragma once

#include "rules/metricsource.h"
#include "sample.h"

#include <deque>
#include <optional>

namespace rwd::monitor {

// The recent samples of one check, oldest first, kept for as long as the longest window any
// rule reads (plus the latest sample, always). Appends are O(1); consecutive counts are kept
// incrementally; windowed aggregates scan only the samples inside the window.
class SampleSeries
{
public:
    explicit SampleSeries(qint64 retentionMs = 5 * 60'000)
        : m_retentionMs(retentionMs)
    {}

    void setRetention(qint64 ms) { m_retentionMs = ms; }
    [[nodiscard]] qint64 retentionMs() const { return m_retentionMs; }

    // Samples must arrive in time order; one older than the newest is dropped.
    void append(const Sample &sample);

    [[nodiscard]] std::optional<double> aggregate(rules::Aggregate aggregate, const QString &field,
                                                  qint64 windowMs, double quantile,
                                                  qint64 nowMs) const;
    [[nodiscard]] const Sample *latest() const
    {
        return m_samples.empty() ? nullptr : &m_samples.back();
    }
    [[nodiscard]] std::size_t size() const { return m_samples.size(); }
    [[nodiscard]] int consecutiveFailures() const { return m_consecutiveFailures; }
    [[nodiscard]] int consecutiveSuccesses() const { return m_consecutiveSuccesses; }

    // Every sample newer than `sinceMs`, oldest first.
    [[nodiscard]] std::vector<Sample> since(qint64 sinceMs) const;

private:
    void evict(qint64 nowMs);

    std::deque<Sample> m_samples;
    qint64 m_retentionMs;
    int m_consecutiveFailures = 0;
    int m_consecutiveSuccesses = 0;
};

} // namespace rwd::monitor
