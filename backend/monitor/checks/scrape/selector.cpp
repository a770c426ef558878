#include "selector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace rwd::monitor {

namespace {

const QString kLe = QStringLiteral("le");

// An unambiguous key for a label set (values are length-prefixed; names cannot contain '=').
QString seriesKey(const exposition::Labels &labels, const QString &without = {})
{
    QString key;
    for (const auto &[name, value] : labels) {
        if (name == without)
            continue;
        key += name + u'=' + QString::number(value.size()) + u':' + value + u',';
    }
    return key;
}

QString quotedLabelValue(const QString &value)
{
    QString out = value;
    out.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    out.replace(u'\n', QStringLiteral("\\n"));
    return u'"' + out + u'"';
}

// The value a bucket's observations are taken to have: the middle of the bucket, half the
// upper bound for the first one, and the highest finite bound for +Inf (there is no better
// guess for observations above every bound).
double bucketMidpoint(std::optional<double> lower, double upper, double fallback)
{
    if (std::isinf(upper))
        return lower.value_or(fallback);
    if (!lower)
        return upper > 0 ? upper / 2 : upper;
    return (*lower + upper) / 2;
}

} // namespace

Result<MetricSelector::LabelMatcher> MetricSelector::LabelMatcher::parse(const QString &name,
                                                                         const QString &spec)
{
    LabelMatcher m;
    m.name = name;
    if (spec.startsWith(QLatin1String("!~"))) {
        m.op = Op::NotMatches;
        m.value = spec.mid(2);
    } else if (spec.startsWith(QLatin1String("!="))) {
        m.op = Op::NotEqual;
        m.value = spec.mid(2);
    } else if (spec.startsWith(u'~')) {
        m.op = Op::Matches;
        m.value = spec.mid(1);
    } else if (spec.startsWith(u'=')) {
        m.value = spec.mid(1);
    } else {
        m.value = spec;
    }
    if (m.op == Op::Matches || m.op == Op::NotMatches) {
        m.regex = QRegularExpression(QRegularExpression::anchoredPattern(m.value));
        if (!m.regex.isValid()) {
            // The offset is into the anchored pattern, which puts five characters before the text.
            const auto offset =
                std::clamp<qsizetype>(m.regex.patternErrorOffset() - 5, 0, m.value.size());
            return failure(QStringLiteral("'%1' is not a valid regular expression: %2 at offset %3")
                               .arg(m.value, m.regex.errorString(), QString::number(offset)));
        }
    }
    return m;
}

bool MetricSelector::LabelMatcher::matches(const exposition::Series &series) const
{
    const QString actual = series.label(name);
    switch (op) {
    case Op::Equal:
        return actual == value;
    case Op::NotEqual:
        return actual != value;
    case Op::Matches:
        return regex.match(actual).hasMatch();
    case Op::NotMatches:
        return !regex.match(actual).hasMatch();
    }
    return false;
}

QString MetricSelector::LabelMatcher::toString() const
{
    static const char *const kOps[] = {"=", "!=", "=~", "!~"};
    return name + QLatin1String(kOps[int(op)]) + quotedLabelValue(value);
}

bool MetricSelector::matchesLabels(const exposition::Series &series) const
{
    return std::all_of(labels.cbegin(), labels.cend(),
                       [&](const LabelMatcher &m) { return m.matches(series); });
}

QStringList MetricSelector::seriesNames() const
{
    if (kind == Kind::Histogram)
        return {metric + QLatin1String("_bucket"), metric + QLatin1String("_sum"),
                metric + QLatin1String("_count")};
    return {metric};
}

QString MetricSelector::toString() const
{
    static const char *const kKinds[] = {"counter", "gauge", "histogram"};
    QStringList matchers;
    for (const auto &m : labels)
        matchers.append(m.toString());
    return QLatin1String(kKinds[int(kind)]) + u' ' + metric +
           (matchers.isEmpty() ? QString() : u'{' + matchers.join(u',') + u'}');
}

FieldSpec MetricSelector::fieldSpec() const
{
    return {field, dimension, kind != Kind::Gauge, kind == Kind::Histogram};
}

MetricTracker::MetricTracker(MetricSelector selector)
    : m_selector(std::move(selector))
{}

MetricTracker::Result MetricTracker::update(const exposition::Exposition &scrape, qint64 timeMs)
{
    switch (m_selector.kind) {
    case MetricSelector::Kind::Gauge:
        return updateGauge(scrape);
    case MetricSelector::Kind::Counter:
        return updateCounter(scrape, timeMs);
    case MetricSelector::Kind::Histogram:
        return updateHistogram(scrape, timeMs);
    }
    return {};
}

double MetricTracker::aggregate(const std::vector<double> &values) const
{
    switch (m_selector.aggregate) {
    case MetricSelector::Aggregate::Sum:
        return std::accumulate(values.begin(), values.end(), 0.0);
    case MetricSelector::Aggregate::Max:
        return *std::max_element(values.begin(), values.end());
    case MetricSelector::Aggregate::Min:
        return *std::min_element(values.begin(), values.end());
    case MetricSelector::Aggregate::Avg:
        return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    }
    return 0;
}

template<typename State>
void MetricTracker::forgetOld(QHash<QString, State> &states, qint64 nowMs)
{
    states.removeIf([nowMs](typename QHash<QString, State>::iterator entry) {
        return entry->seenMs < nowMs - MetricTracker::kForgetAfterMs;
    });
}

MetricTracker::Result MetricTracker::updateGauge(const exposition::Exposition &scrape) const
{
    Result result;
    std::vector<double> values;
    for (const auto &s : scrape.series) {
        if (s.name != m_selector.metric || !m_selector.matchesLabels(s))
            continue;
        ++result.matched;
        if (std::isfinite(s.value))
            values.push_back(s.value);
    }
    if (!values.empty()) {
        FieldValue field;
        field.name = m_selector.field;
        field.value = aggregate(values);
        result.field = std::move(field);
    }
    return result;
}

MetricTracker::Result MetricTracker::updateCounter(const exposition::Exposition &scrape,
                                                   qint64 timeMs)
{
    Result result;
    std::vector<std::pair<QString, double>> current;
    for (const auto &s : scrape.series) {
        if (s.name != m_selector.metric || !m_selector.matchesLabels(s))
            continue;
        ++result.matched;
        if (std::isfinite(s.value))
            current.emplace_back(seriesKey(s.labels), s.value);
    }
    if (m_hasPrevious && timeMs <= m_previousMs)
        return result;

    if (m_hasPrevious && current.empty()) {
        // A counter with no matching series has counted nothing (no 5xx answered yet): an
        // increase of zero, which is traffic information, not missing data.
        FieldValue field;
        field.name = m_selector.field;
        field.seconds = double(timeMs - m_previousMs) / 1000.0;
        result.field = std::move(field);
    } else if (m_hasPrevious) {
        std::vector<double> now;
        std::vector<double> before;
        for (const auto &[key, value] : current) {
            const auto it = m_counters.constFind(key);
            // New and reset series count from zero.
            const double previous = it != m_counters.cend() && it->value <= value ? it->value : 0;
            now.push_back(value);
            before.push_back(previous);
        }
        // Every series is at least its aligned previous value, so the increase is never
        // negative; the clamp only absorbs rounding.
        const double increase = std::max(0.0, aggregate(now) - aggregate(before));
        const double seconds = double(timeMs - m_previousMs) / 1000.0;
        FieldValue field;
        field.name = m_selector.field;
        field.value = increase / seconds;
        field.increment = increase;
        field.seconds = seconds;
        result.field = std::move(field);
    }
    for (const auto &[key, value] : current)
        m_counters.insert(key, {value, timeMs});
    forgetOld(m_counters, timeMs);
    m_hasPrevious = true;
    m_previousMs = timeMs;
    return result;
}

MetricTracker::Result MetricTracker::updateHistogram(const exposition::Exposition &scrape,
                                                     qint64 timeMs)
{
    struct Current
    {
        std::map<double, double> buckets;
        std::optional<double> sum;
        std::optional<double> count;
    };
    const QString bucketName = m_selector.metric + QLatin1String("_bucket");
    const QString sumName = m_selector.metric + QLatin1String("_sum");
    const QString countName = m_selector.metric + QLatin1String("_count");

    Result result;
    QHash<QString, Current> current;
    QHash<QString, double> sums;
    QHash<QString, double> counts;
    for (const auto &s : scrape.series) {
        if ((s.name != bucketName && s.name != sumName && s.name != countName) ||
            !m_selector.matchesLabels(s))
            continue;
        if (s.name == bucketName) {
            ++result.matched;
            const auto bound = exposition::parseNumber(s.label(kLe).toLatin1());
            if (bound && !std::isnan(*bound) && std::isfinite(s.value))
                current[seriesKey(s.labels, kLe)].buckets[*bound] = s.value;
        } else if (std::isfinite(s.value)) {
            (s.name == sumName ? sums : counts).insert(seriesKey(s.labels), s.value);
        }
    }
    for (auto it = current.begin(); it != current.end(); ++it) {
        if (const auto sum = sums.constFind(it.key()); sum != sums.cend())
            it->sum = *sum;
        if (const auto count = counts.constFind(it.key()); count != counts.cend())
            it->count = *count;
        else
            it->count = it->buckets.rbegin()->second; // the highest bucket, +Inf if present
    }
    if (m_hasPrevious && timeMs < m_previousMs)
        return result;

    const bool measure = m_hasPrevious;
    const qint64 previousMs = m_previousMs;
    double totalCount = 0;
    double totalSum = 0;
    std::map<double, double> distribution; // value → weight
    for (auto it = current.cbegin(); it != current.cend(); ++it) {
        const Current &now = *it;
        const auto previous = m_histograms.constFind(it.key());
        bool reset = previous == m_histograms.cend() || *now.count < previous->count ||
                     now.buckets.size() != previous->buckets.size();
        for (auto b = now.buckets.cbegin(); !reset && b != now.buckets.cend(); ++b) {
            const auto before = previous->buckets.find(b->first);
            reset = before == previous->buckets.end() || b->second < before->second;
        }
        if (measure) {
            const double deltaCount = *now.count - (reset ? 0 : previous->count);
            std::optional<double> deltaSum;
            if (now.sum)
                deltaSum = *now.sum - (reset ? 0 : previous->sum);
            const double mean = deltaSum && deltaCount > 0 ? *deltaSum / deltaCount : 0;
            std::optional<double> lower;
            double cumulativeBefore = 0;
            double weightedSum = 0;
            for (const auto &[bound, cumulative] : now.buckets) {
                const double delta =
                    cumulative - (reset ? 0 : previous->buckets.find(bound)->second);
                const double weight = std::max(0.0, delta - cumulativeBefore);
                cumulativeBefore = std::max(cumulativeBefore, delta);
                if (weight > 0) {
                    const double value = bucketMidpoint(lower, bound, mean);
                    distribution[value] += weight;
                    weightedSum += value * weight;
                }
                lower = bound;
            }
            totalCount += deltaCount;
            totalSum += deltaSum.value_or(weightedSum);
        }
        m_histograms.insert(it.key(), {now.buckets, now.sum.value_or(0), *now.count, timeMs});
    }
    forgetOld(m_histograms, timeMs);
    m_hasPrevious = true;
    m_previousMs = timeMs;

    if (measure) {
        // With no observations in the interval the point still says so (increment 0), so that
        // percentiles over the window know there was no traffic rather than no data.
        FieldValue field;
        field.name = m_selector.field;
        field.value = totalCount > 0 ? totalSum / totalCount : 0;
        field.increment = totalCount;
        field.seconds = double(timeMs - previousMs) / 1000.0;
        field.distribution.assign(distribution.begin(), distribution.end());
        result.field = std::move(field);
    }
    return result;
}

} // namespace rwd::monitor
