#pragma once

#include <QString>

namespace rwd::rules {

// The aggregates a rule can ask of a service's checks (see docs/rules.md).
enum class Aggregate
{
    ErrorRate,            // outcome: failed / total probes in the window
    SuccessRate,          // outcome: ok / total probes in the window
    Count,                // outcome: probes in the window
    Failures,             // outcome: failed probes in the window
    ConsecutiveFailures,  // outcome: failed probes in a row, most recent first
    ConsecutiveSuccesses, // outcome: ok probes in a row, most recent first
    Last,                 // field: the latest value
    Mean,                 // field: mean over the window (histograms: mean observation)
    Min,                  // field
    Max,                  // field
    Sum,                  // field: counters sum increases, gauges sum values
    Quantile,             // field: MetricQuery::quantile, e.g. 0.95, from a quantile sketch
    Rate,                 // field: counters: increase per second; gauges: change per second
    Ratio,                // two counter fields: increase of field ÷ increase of field2
    Baseline,             // field: mean over the window before the current release went live
    Prior,                // field: mean over the window that ended `offsetMs` ago
    ErrorCusum,           // two counter fields (errors, requests): the CUSUM statistic
    Canary,               // two checks: canary judgement score of check vs check2 (0–100)
};

// One question a compiled rule asks: "the p95 of health.latency over the last 5 minutes".
struct MetricQuery
{
    Aggregate aggregate = Aggregate::Last;
    QString check;
    QString field;  // empty for outcome aggregates
    QString check2; // Canary: the baseline check
    QString field2; // Ratio, ErrorCusum: the denominator / requests field (same check)
    qint64 windowMs = 0;
    qint64 offsetMs = 0; // Prior
    double quantile = 0; // Quantile
    double p0 = 0;       // ErrorCusum: acceptable error rate
    double p1 = 0;       // ErrorCusum: error rate to detect

    [[nodiscard]] bool operator==(const MetricQuery &other) const = default;
};

// The answer to a query: a number, or why there is none.
struct QueryResult
{
    enum class Kind
    {
        Value,     // `value` holds the answer
        NoData,    // nothing to answer with (no samples in the window, a check that never ran)
        NoTraffic, // data, but no traffic to judge (a ratio whose denominator did not move)
    };
    Kind kind = Kind::NoData;
    double value = 0;

    static QueryResult of(double v) { return {Kind::Value, v}; }
    static QueryResult noData() { return {Kind::NoData, 0}; }
    static QueryResult noTraffic() { return {Kind::NoTraffic, 0}; }
    [[nodiscard]] bool hasValue() const { return kind == Kind::Value; }
};

// Answers metric queries for one service.
class MetricSource
{
public:
    virtual ~MetricSource() = default;
    [[nodiscard]] virtual QueryResult query(const MetricQuery &query, qint64 nowMs) const = 0;
};

} // namespace rwd::rules
