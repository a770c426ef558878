#pragma once

#include "common/result.h"
#include "exposition.h"
#include "monitor/sample.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>

namespace rwd::monitor {

// One entry of a scrape check's `metrics:` map: which series it reads and how they become the
// value of one field.
struct MetricSelector
{
    enum class Kind
    {
        Counter,   // a per-second rate, with the increase since the previous scrape
        Gauge,     // the current value
        Histogram, // the observations since the previous scrape
    };

    // How the values of several matching series become one.
    enum class Aggregate
    {
        Sum,
        Max,
        Min,
        Avg,
    };

    // One `labels:` entry. A series without the label counts as having it empty, as in PromQL,
    // so `code: "!=500"` also matches series that have no `code`.
    struct LabelMatcher
    {
        enum class Op
        {
            Equal,      // "x" (or "=x" for a value that itself starts with '=', '!' or '~')
            NotEqual,   // "!=x"
            Matches,    // "~re": the whole value matches the regular expression
            NotMatches, // "!~re"
        };

        QString name;
        Op op = Op::Equal;
        QString value; // the text, or the pattern
        QRegularExpression regex;

        // Reads a `labels:` value; fails on an invalid regular expression.
        [[nodiscard]] static Result<LabelMatcher> parse(const QString &name, const QString &spec);
        [[nodiscard]] bool matches(const exposition::Series &series) const;
        // In PromQL notation: code=~"5..".
        [[nodiscard]] QString toString() const;
    };

    QString field;
    Kind kind = Kind::Gauge;
    QString metric; // for histograms, the base name (the check reads _bucket, _sum and _count)
    QList<LabelMatcher> labels;
    Aggregate aggregate = Aggregate::Sum;
    rules::Dimension dimension = rules::Dimension::Scalar;

    [[nodiscard]] bool matchesLabels(const exposition::Series &series) const;
    // The metric names the selector reads, for the parser to keep.
    [[nodiscard]] QStringList seriesNames() const;
    // What it selects, for messages: counter fleet_http_requests_total{code=~"5.."}.
    [[nodiscard]] QString toString() const;
    [[nodiscard]] FieldSpec fieldSpec() const;
};

// Turns successive scrapes into values of one selector's field. Counters and histograms are
// measured as increases since the previous scrape, so the tracker remembers what each matching
// series was at that scrape.
//
// Counters: the values of the matching series are aggregated, and the aggregate is compared
// with the same aggregate of the previous values of those same series. A series seen for the
// first time (after the first scrape) counts from 0, so the first errors of a new `code` label
// are not lost; a series whose value went down was reset and counts from 0 too. A series that
// disappears is remembered for kForgetAfterMs, so that one missing scrape does not make its
// whole history count again when it comes back.
//
// Histograms: the same, per histogram series (its labels without `le`); a series whose count
// or any bucket went down, or whose buckets changed, was reset. The bucket increases of all
// matching series are summed.
class MetricTracker
{
public:
    static constexpr qint64 kForgetAfterMs = 15 * 60'000;

    explicit MetricTracker(MetricSelector selector);

    struct Result
    {
        // Series that matched the selector (for histograms, `_bucket` series).
        qsizetype matched = 0;
        // Absent on the first scrape of a counter or histogram, when no matching series has a
        // finite value, and for a histogram without new observations.
        std::optional<FieldValue> field;
    };

    // Reads one scrape taken at `timeMs`. Scrapes must come in time order; a counter scrape
    // no later than the previous one measures nothing and leaves the previous one in place.
    [[nodiscard]] Result update(const exposition::Exposition &scrape, qint64 timeMs);

    [[nodiscard]] const MetricSelector &selector() const { return m_selector; }

private:
    struct Remembered
    {
        double value = 0;
        qint64 seenMs = 0;
    };
    struct HistogramState
    {
        std::map<double, double> buckets; // upper bound → cumulative count
        double sum = 0;
        double count = 0;
        qint64 seenMs = 0;
    };

    Result updateGauge(const exposition::Exposition &scrape) const;
    Result updateCounter(const exposition::Exposition &scrape, qint64 timeMs);
    Result updateHistogram(const exposition::Exposition &scrape, qint64 timeMs);
    [[nodiscard]] double aggregate(const std::vector<double> &values) const;
    template<typename State>
    static void forgetOld(QHash<QString, State> &states, qint64 nowMs);

    MetricSelector m_selector;
    bool m_hasPrevious = false;
    qint64 m_previousMs = 0;
    QHash<QString, Remembered> m_counters;       // series key → value
    QHash<QString, HistogramState> m_histograms; // series key without `le` → state
};

} // namespace rwd::monitor
