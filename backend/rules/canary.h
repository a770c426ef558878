#pragma once

#include <QList>
#include <QString>

#include <vector>

// Canary judgement: compares a canary's measurements with the baseline's over the same interval,
// metric by metric, with the Mann-Whitney U test (as Kayenta does), and turns the comparisons
// into a score and a pass / marginal / fail verdict with reasons. Pure: no I/O, QtCore only.
namespace rwd::rules::canary {

// Which change of a metric is bad.
enum class Bad
{
    Increase, // latency, errors: the canary must not be higher
    Decrease, // throughput, conversions: the canary must not be lower
    Either,   // any significant difference fails
};

struct MetricSamples
{
    QString name;
    std::vector<double> canary;
    std::vector<double> baseline;
    Bad bad = Bad::Increase;
    // Relative difference of the medians below which a significant difference is still a pass
    // (statistically significant but too small to matter), e.g. 0.1 = 10 %.
    double tolerance = 0.1;
};

struct MetricVerdict
{
    enum class Classification
    {
        Pass,   // no significant, relevant difference in the bad direction
        High,   // the canary is significantly higher
        Low,    // the canary is significantly lower
        NoData, // too few samples on either side to judge
    };
    QString name;
    Classification classification = Classification::NoData;
    bool failed = false; // High or Low in the metric's bad direction
    double pValue = 1;   // two-sided, normal approximation with tie and continuity correction
    double u = 0;        // the canary's U statistic
    double canaryMedian = 0;
    double baselineMedian = 0;
    QString reason; // one sentence for people
};

struct Judgement
{
    enum class Verdict
    {
        Pass,
        Marginal,
        Fail,
        NoData
    };
    Verdict verdict = Verdict::NoData;
    double score = 0; // 0–100: share of judged metrics that passed
    QList<MetricVerdict> metrics;
    QString summary;
};

struct Thresholds
{
    double pass = 95;           // score at or above: pass
    double marginal = 75;       // score at or above (and below pass): marginal
    double confidence = 0.95;   // significance level 1 − confidence
    std::size_t minSamples = 5; // per side, per metric
};

[[nodiscard]] MetricVerdict compare(const MetricSamples &metric, const Thresholds &thresholds = {});
[[nodiscard]] Judgement judge(const QList<MetricSamples> &metrics,
                              const Thresholds &thresholds = {});
[[nodiscard]] QString verdictName(Judgement::Verdict verdict);
[[nodiscard]] QString classificationName(MetricVerdict::Classification classification);

// The Mann-Whitney U test: the canary's U and the two-sided p-value (normal approximation with
// tie correction and continuity correction). Exposed for tests.
struct UTest
{
    double u = 0;
    double pValue = 1;
};
[[nodiscard]] UTest mannWhitney(const std::vector<double> &canary,
                                const std::vector<double> &baseline);

} // namespace rwd::rules::canary
