#pragma once

#include <QString>

#include <optional>

namespace rwd::rules {

// The aggregates a rule can ask of a check's samples.
enum class Aggregate
{
    ErrorRate,            // failed / total samples in the window
    SuccessRate,          // ok / total samples in the window
    Count,                // samples in the window
    Failures,             // failed samples in the window
    ConsecutiveFailures,  // failed samples since the last ok one
    ConsecutiveSuccesses, // ok samples since the last failed one
    Last,                 // the latest value of the field
    Mean,
    Min,
    Max,
    Quantile, // MetricQuery::quantile, e.g. 0.95
};

// One question a compiled rule asks: "the p95 of health.latency over the last 5 minutes".
struct MetricQuery
{
    QString check;
    QString field; // "" for ok/failed counts; "latency", "value", "status"
    Aggregate aggregate = Aggregate::Last;
    qint64 windowMs = 0;
    double quantile = 0;
};

// Answers metric queries for one service. Returns nothing when there is no data to answer
// with (no samples in the window): the rule then evaluates to "insufficient data".
class MetricSource
{
public:
    virtual ~MetricSource() = default;
    [[nodiscard]] virtual std::optional<double> query(const MetricQuery &query,
                                                      qint64 nowMs) const = 0;
};

} // namespace rwd::rules
