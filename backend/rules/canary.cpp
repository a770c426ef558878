#include "canary.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rwd::rules::canary {

namespace {

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    const auto mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1)
        return upper;
    return (upper + *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(mid))) / 2;
}

QString number(double v)
{
    return QString::number(v, 'g', 4);
}

} // namespace

UTest mannWhitney(const std::vector<double> &canary, const std::vector<double> &baseline)
{
    const double n1 = double(canary.size());
    const double n2 = double(baseline.size());
    if (n1 == 0 || n2 == 0)
        return {};
    // Rank all values together, ties sharing the average of their ranks.
    std::vector<std::pair<double, bool>> all; // (value, from canary)
    all.reserve(canary.size() + baseline.size());
    for (const double v : canary)
        all.emplace_back(v, true);
    for (const double v : baseline)
        all.emplace_back(v, false);
    std::sort(all.begin(), all.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    double canaryRanks = 0;
    double tieTerm = 0; // Σ (t³ − t) over groups of t tied values
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i;
        while (j < all.size() && all[j].first == all[i].first)
            ++j;
        const double rank = (double(i + 1) + double(j)) / 2; // average of ranks i+1 … j
        const double t = double(j - i);
        tieTerm += t * t * t - t;
        for (std::size_t k = i; k < j; ++k) {
            if (all[k].second)
                canaryRanks += rank;
        }
        i = j;
    }
    const double n = n1 + n2;
    UTest result;
    result.u = canaryRanks - n1 * (n1 + 1) / 2;
    const double mean = n1 * n2 / 2;
    const double variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
    if (variance <= 0)
        return {result.u, 1}; // every value equal: no difference at all
    const double difference = std::abs(result.u - mean) - 0.5;
    const double z = std::max(0.0, difference) / std::sqrt(variance);
    result.pValue = std::erfc(z / std::sqrt(2.0)); // two-sided: 2 · (1 − Φ(z))
    return result;
}

MetricVerdict compare(const MetricSamples &metric, const Thresholds &thresholds)
{
    MetricVerdict v;
    v.name = metric.name;
    if (metric.canary.size() < thresholds.minSamples ||
        metric.baseline.size() < thresholds.minSamples) {
        v.reason = QStringLiteral("%1: too few samples to judge (canary %2, baseline %3, need %4)")
                       .arg(metric.name)
                       .arg(metric.canary.size())
                       .arg(metric.baseline.size())
                       .arg(thresholds.minSamples);
        return v;
    }
    const auto test = mannWhitney(metric.canary, metric.baseline);
    v.u = test.u;
    v.pValue = test.pValue;
    v.canaryMedian = median(metric.canary);
    v.baselineMedian = median(metric.baseline);
    const double scale = std::max(std::abs(v.baselineMedian), 1e-12);
    const double relative = (v.canaryMedian - v.baselineMedian) / scale;
    const bool significant = test.pValue < 1 - thresholds.confidence;
    const bool relevant = std::abs(relative) > metric.tolerance;
    if (significant && relevant)
        v.classification =
            relative > 0 ? MetricVerdict::Classification::High : MetricVerdict::Classification::Low;
    else
        v.classification = MetricVerdict::Classification::Pass;
    v.failed =
        (v.classification == MetricVerdict::Classification::High && metric.bad != Bad::Decrease) ||
        (v.classification == MetricVerdict::Classification::Low && metric.bad != Bad::Increase);
    const QString medians = QStringLiteral("median %1 vs %2 (%3%4%), p = %5")
                                .arg(number(v.canaryMedian), number(v.baselineMedian))
                                .arg(relative >= 0 ? QStringLiteral("+") : QString())
                                .arg(number(relative * 100))
                                .arg(number(v.pValue));
    if (v.failed)
        v.reason = QStringLiteral("%1: canary significantly %2 — %3")
                       .arg(metric.name,
                            v.classification == MetricVerdict::Classification::High
                                ? QStringLiteral("higher")
                                : QStringLiteral("lower"),
                            medians);
    else if (significant && !relevant)
        v.reason = QStringLiteral("%1: a significant but small difference (within %2%) — %3")
                       .arg(metric.name, number(metric.tolerance * 100), medians);
    else
        v.reason = QStringLiteral("%1: no significant difference in the bad direction — %2")
                       .arg(metric.name, medians);
    return v;
}

Judgement judge(const QList<MetricSamples> &metrics, const Thresholds &thresholds)
{
    Judgement j;
    int judged = 0;
    int passed = 0;
    for (const auto &m : metrics) {
        auto v = compare(m, thresholds);
        if (v.classification != MetricVerdict::Classification::NoData) {
            ++judged;
            passed += v.failed ? 0 : 1;
        }
        j.metrics.append(v);
    }
    if (judged == 0) {
        j.verdict = Judgement::Verdict::NoData;
        j.summary = QStringLiteral("no metric had enough samples to judge");
        return j;
    }
    j.score = 100.0 * passed / judged;
    j.verdict = j.score >= thresholds.pass       ? Judgement::Verdict::Pass
                : j.score >= thresholds.marginal ? Judgement::Verdict::Marginal
                                                 : Judgement::Verdict::Fail;
    QStringList failures;
    for (const auto &v : std::as_const(j.metrics)) {
        if (v.failed)
            failures.append(v.name);
    }
    j.summary =
        QStringLiteral("%1 (score %2: %3 of %4 metrics passed%5)")
            .arg(verdictName(j.verdict), number(j.score))
            .arg(passed)
            .arg(judged)
            .arg(failures.isEmpty()
                     ? QString()
                     : QStringLiteral("; failed: %1").arg(failures.join(QStringLiteral(", "))));
    return j;
}

QString verdictName(Judgement::Verdict verdict)
{
    switch (verdict) {
    case Judgement::Verdict::Pass:
        return QStringLiteral("pass");
    case Judgement::Verdict::Marginal:
        return QStringLiteral("marginal");
    case Judgement::Verdict::Fail:
        return QStringLiteral("fail");
    case Judgement::Verdict::NoData:
        return QStringLiteral("no_data");
    }
    return {};
}

QString classificationName(MetricVerdict::Classification classification)
{
    switch (classification) {
    case MetricVerdict::Classification::Pass:
        return QStringLiteral("pass");
    case MetricVerdict::Classification::High:
        return QStringLiteral("high");
    case MetricVerdict::Classification::Low:
        return QStringLiteral("low");
    case MetricVerdict::Classification::NoData:
        return QStringLiteral("no_data");
    }
    return {};
}

} // namespace rwd::rules::canary
