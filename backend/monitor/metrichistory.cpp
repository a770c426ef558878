#include "metrichistory.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace rwd::monitor {

namespace {

constexpr float kNoData = std::numeric_limits<float>::quiet_NaN();
constexpr std::array<double, 3> kQuantiles{0.50, 0.95, 0.99};
constexpr std::array<const char *, 3> kQuantileNames{"p50", "p95", "p99"};

QString unitOf(rules::Dimension dimension)
{
    switch (dimension) {
    case rules::Dimension::Time:
        return QStringLiteral("seconds");
    case rules::Dimension::Ratio:
        return QStringLiteral("ratio");
    case rules::Dimension::Scalar:
    case rules::Dimension::Bool:
        break;
    }
    return QStringLiteral("number");
}

// The double that prints like the float: 0.05f is served as 0.05, not 0.05000000074505806.
double widen(float value)
{
    std::array<char, 32> text{};
    const auto printed = std::to_chars(text.data(), text.data() + text.size(), value);
    double out = value;
    std::from_chars(text.data(), printed.ptr, out);
    return out;
}

// A value as kept: values a float cannot hold are no data rather than infinities.
float narrow(double value)
{
    const auto f = float(value);
    return std::isfinite(f) ? f : kNoData;
}

} // namespace

struct MetricHistory::Series
{
    QString name;
    QString label;
    QString unit;
    QList<protocol::ThresholdInfo> thresholds;
    std::vector<float> values; // slot = step index % size(); kNoData where there was none
};

// What one field measured in the step in progress.
struct MetricHistory::FieldAccumulator
{
    FieldSpec spec;
    int series = -1; // histograms: the p50 series, p95 and p99 follow
    double last = std::nan("");
    double increments = 0; // counters
    double seconds = 0;    // counters: the time the increments cover
    qint64 lastTimeMs = -1;
    QuantileSketch observations; // histograms

    [[nodiscard]] bool histogram() const { return spec.distribution; }
    [[nodiscard]] bool counter() const { return spec.counter && !spec.distribution; }
};

// What one check measured in the step in progress.
struct MetricHistory::CheckAccumulator
{
    QString name;
    int latency = -1; // the p50 series, p95 and p99 follow; -1 for passive checks
    int failures = -1;
    int probes = 0;
    int failed = 0;
    QuantileSketch latencies;
    std::vector<FieldAccumulator> fields;
};

// A term rules compare, and the last value they saw in the step in progress.
struct MetricHistory::Term
{
    int series = -1;
    double pending = std::nan("");
};

struct MetricHistory::ServiceHistory
{
    std::vector<Series> series;
    QHash<QString, int> byName;
    std::vector<CheckAccumulator> checks;
    std::vector<Term> terms;
    QHash<QString, int> termOf;                 // series name -> index into terms
    QHash<QString, std::vector<int>> ruleTerms; // rule -> per comparison, index into terms
};

MetricHistory::MetricHistory(Options options)
    : m_stepMs(std::max<qint64>(1, options.stepMs))
    , m_kept(std::max<qint64>(1, (options.retentionMs + m_stepMs - 1) / m_stepMs))
{}

MetricHistory::MetricHistory()
    : MetricHistory(Options{})
{}

MetricHistory::~MetricHistory() = default;

int MetricHistory::addSeries(ServiceHistory &history, const QString &name, const QString &label,
                             const QString &unit)
{
    if (const auto it = history.byName.constFind(name); it != history.byName.cend())
        return *it;
    Series s;
    s.name = name;
    s.label = label;
    s.unit = unit;
    // One slot more than the steps kept: the step in progress has its own.
    s.values.assign(std::size_t(m_kept + 1), kNoData);
    const int index = int(history.series.size());
    history.series.push_back(std::move(s));
    history.byName.insert(name, index);
    return index;
}

void MetricHistory::declare(const QString &service, const QString &check,
                            const QList<FieldSpec> &fields, bool passive)
{
    auto *&history = m_services[service];
    if (!history) {
        m_histories.push_back(std::make_unique<ServiceHistory>());
        history = m_histories.back().get();
    }
    for (const auto &c : history->checks) {
        if (c.name == check)
            return;
    }
    CheckAccumulator acc;
    acc.name = check;
    const QString prefix = check + u'.';
    if (!passive) {
        acc.latency = int(history->series.size());
        for (const auto *q : kQuantileNames)
            addSeries(*history, prefix + QStringLiteral("latency.") + QLatin1String(q),
                      QStringLiteral("%1 latency %2").arg(check, QLatin1String(q)),
                      QStringLiteral("seconds"));
    }
    acc.failures =
        addSeries(*history, prefix + QStringLiteral("failures"),
                  QStringLiteral("%1 failed probes").arg(check), QStringLiteral("ratio"));
    for (const auto &spec : fields) {
        if (spec.name == u"latency")
            continue;
        FieldAccumulator f;
        f.spec = spec;
        // A field named like the probe failures must not share their series.
        const QString name =
            prefix + spec.name + (spec.name == u"failures" ? QStringLiteral(".value") : QString());
        if (f.histogram()) {
            f.series = int(history->series.size());
            for (const auto *q : kQuantileNames)
                addSeries(*history, name + u'.' + QLatin1String(q),
                          QStringLiteral("%1 %2 %3").arg(check, spec.name, QLatin1String(q)),
                          unitOf(spec.dimension));
        } else if (f.counter()) {
            f.series =
                addSeries(*history, name, QStringLiteral("%1 %2 per second").arg(check, spec.name),
                          QStringLiteral("per_second"));
        } else {
            f.series = addSeries(*history, name, QStringLiteral("%1 %2").arg(check, spec.name),
                                 unitOf(spec.dimension));
        }
        acc.fields.push_back(std::move(f));
    }
    history->checks.push_back(std::move(acc));
}

void MetricHistory::declareRule(const QString &service, const config::RuleConfig &rule,
                                const QList<rules::Comparison> &comparisons)
{
    auto *&history = m_services[service];
    if (!history) {
        m_histories.push_back(std::make_unique<ServiceHistory>());
        history = m_histories.back().get();
    }
    std::vector<int> terms;
    terms.reserve(std::size_t(comparisons.size()));
    for (const auto &c : comparisons) {
        auto it = history->termOf.find(c.term);
        if (it == history->termOf.end()) {
            Term term;
            term.series = addSeries(*history, c.term, c.term, c.unit);
            it = history->termOf.insert(c.term, int(history->terms.size()));
            history->terms.push_back(term);
        }
        terms.push_back(*it);
        if (!c.threshold)
            continue;
        auto &thresholds =
            history->series[std::size_t(history->terms[std::size_t(*it)].series)].thresholds;
        const bool known = std::any_of(thresholds.cbegin(), thresholds.cend(), [&](const auto &t) {
            return t.rule == rule.name && t.op == c.op && t.value == *c.threshold;
        });
        if (!known)
            thresholds.append({rule.name, c.op, *c.threshold, rule.severity});
    }
    history->ruleTerms.emplace(rule.name, std::move(terms));
}

void MetricHistory::moveTo(qint64 timeMs)
{
    const qint64 index = timeMs / m_stepMs;
    if (m_current < 0) {
        m_current = index;
        return;
    }
    if (index <= m_current)
        return;
    closeCurrent();
    // Steps nothing arrived in are gaps; a jump longer than the retention blanks every slot
    // once rather than once per step skipped.
    const qint64 gap = std::min(index - m_current - 1, m_kept + 1);
    for (qint64 k = 1; k <= gap; ++k) {
        const auto slot = std::size_t((m_current + k) % (m_kept + 1));
        for (const auto &history : m_histories) {
            for (auto &s : history->series)
                s.values[slot] = kNoData;
        }
    }
    m_current = index;
}

void MetricHistory::closeCurrent()
{
    const auto slot = std::size_t(m_current % (m_kept + 1));
    for (const auto &history : m_histories) {
        auto &series = history->series;
        for (auto &s : series)
            s.values[slot] = kNoData;
        const auto put = [&](int index, double value) {
            if (index >= 0)
                series[std::size_t(index)].values[slot] = narrow(value);
        };
        const auto putQuantiles = [&](int first, const QuantileSketch &sketch) {
            if (first < 0 || sketch.count() <= 0)
                return;
            for (std::size_t i = 0; i < kQuantiles.size(); ++i)
                put(first + int(i), sketch.quantile(kQuantiles[i]));
        };
        for (auto &check : history->checks) {
            if (check.probes > 0) {
                putQuantiles(check.latency, check.latencies);
                put(check.failures, double(check.failed) / double(check.probes));
            }
            check.probes = 0;
            check.failed = 0;
            check.latencies.clear();
            for (auto &f : check.fields) {
                if (f.histogram())
                    putQuantiles(f.series, f.observations);
                else if (f.counter() && f.seconds > 0)
                    put(f.series, f.increments / f.seconds);
                else if (!f.counter() && !std::isnan(f.last))
                    put(f.series, f.last);
                f.last = std::nan("");
                f.increments = 0;
                f.seconds = 0;
                f.observations.clear();
            }
        }
        for (auto &term : history->terms) {
            if (!std::isnan(term.pending))
                put(term.series, term.pending);
            term.pending = std::nan("");
        }
    }
    m_lastClosed = m_current;
}

void MetricHistory::append(const QString &service, const QString &check, const Sample &sample)
{
    moveTo(sample.timeMs);
    auto *history = m_services.value(service);
    if (!history)
        return;
    const auto acc = std::find_if(history->checks.begin(), history->checks.end(),
                                  [&](const CheckAccumulator &c) { return c.name == check; });
    if (acc == history->checks.end())
        return;
    ++acc->probes;
    if (!sample.ok)
        ++acc->failed;
    if (acc->latency >= 0)
        acc->latencies.add(sample.latency);
    for (const auto &v : sample.fields) {
        for (auto &f : acc->fields) {
            if (f.spec.name != v.name)
                continue;
            if (f.histogram()) {
                for (const auto &[value, weight] : v.distribution)
                    f.observations.add(value, weight);
            } else if (f.counter()) {
                // The time the increase covers; without it (and without an earlier point to
                // measure from) it cannot be a rate, as in the metric store's windows.
                const double seconds = v.seconds > 0 ? v.seconds
                                       : f.lastTimeMs >= 0
                                           ? double(sample.timeMs - f.lastTimeMs) / 1000.0
                                           : 0;
                if (seconds > 0 && std::isfinite(v.increment)) {
                    f.increments += v.increment;
                    f.seconds += seconds;
                }
            } else if (std::isfinite(v.value)) {
                f.last = v.value;
            }
            f.lastTimeMs = sample.timeMs;
            break;
        }
    }
}

void MetricHistory::evaluated(const config::RuleConfig &rule, const QString &service,
                              const QList<rules::Comparison> &comparisons,
                              const std::vector<std::optional<double>> &terms, qint64 nowMs)
{
    moveTo(nowMs);
    auto *history = m_services.value(service);
    if (!history)
        return;
    const auto it = history->ruleTerms.constFind(rule.name);
    if (it == history->ruleTerms.cend() || it->size() != std::size_t(comparisons.size()))
        return;
    for (std::size_t i = 0; i < it->size() && i < terms.size(); ++i) {
        if (terms[i] && std::isfinite(*terms[i]))
            history->terms[std::size_t((*it)[i])].pending = *terms[i];
    }
}

void MetricHistory::advance(qint64 nowMs)
{
    moveTo(nowMs);
}

std::optional<qint64> MetricHistory::lastClosedStepMs() const
{
    if (m_lastClosed < 0)
        return std::nullopt;
    return m_lastClosed * m_stepMs;
}

bool MetricHistory::hasService(const QString &service) const
{
    return m_services.contains(service);
}

bool MetricHistory::retained(qint64 stepIndex) const
{
    return m_lastClosed >= 0 && stepIndex <= m_lastClosed && stepIndex > m_current - 1 - m_kept &&
           stepIndex >= 0;
}

QList<protocol::SeriesInfo> MetricHistory::series(const QString &service, qint64 fromMs,
                                                  qint64 toMs, const QStringList &prefixes) const
{
    QList<protocol::SeriesInfo> out;
    const auto *history = m_services.value(service);
    if (!history)
        return out;
    // Steps whose start lies in [fromMs, toMs), within what is closed and kept.
    const qint64 first = std::max(
        {fromMs <= 0 ? 0 : (fromMs + m_stepMs - 1) / m_stepMs, m_current - m_kept, qint64(0)});
    const qint64 last = std::min(toMs <= 0 ? -1 : (toMs - 1) / m_stepMs, m_lastClosed);
    for (const auto &s : history->series) {
        if (!prefixes.isEmpty() &&
            std::none_of(prefixes.cbegin(), prefixes.cend(),
                         [&](const QString &p) { return s.name.startsWith(p); }))
            continue;
        protocol::SeriesInfo info;
        info.name = s.name;
        info.label = s.label;
        info.unit = s.unit;
        info.stepMs = m_stepMs;
        info.thresholds = s.thresholds;
        for (qint64 k = first; k <= last; ++k) {
            if (!retained(k))
                continue;
            const float v = s.values[std::size_t(k % (m_kept + 1))];
            if (!std::isnan(v))
                info.points.append({k * m_stepMs, widen(v)});
        }
        out.append(std::move(info));
    }
    return out;
}

QList<QPair<QString, double>> MetricHistory::step(const QString &service, qint64 stepStartMs) const
{
    QList<QPair<QString, double>> out;
    const auto *history = m_services.value(service);
    const qint64 index = stepStartMs / m_stepMs;
    if (!history || stepStartMs < 0 || !retained(index))
        return out;
    for (const auto &s : history->series) {
        const float v = s.values[std::size_t(index % (m_kept + 1))];
        if (!std::isnan(v))
            out.append({s.name, widen(v)});
    }
    return out;
}

std::size_t MetricHistory::memoryBytes() const
{
    std::size_t bytes = 0;
    for (const auto &history : m_histories) {
        for (const auto &s : history->series)
            bytes += s.values.size() * sizeof(float);
    }
    return bytes;
}

} // namespace rwd::monitor
