#include "metricstore.h"

#include "rules/canary.h"

namespace rwd::monitor {

namespace {

using rules::Aggregate;
using rules::QueryResult;

// Outcomes are kept this long (and at most this many) for health verification.
constexpr qint64 kRecentOutcomesMs = 5 * 60'000;
constexpr std::size_t kRecentOutcomesMax = 20'000;

bool isOutcomeAggregate(Aggregate a)
{
    return a == Aggregate::ErrorRate || a == Aggregate::SuccessRate || a == Aggregate::Count ||
           a == Aggregate::Failures;
}

} // namespace

struct MetricStore::FieldSeries
{
    using WindowKey = std::pair<qint64, qint64>; // duration, offset

    FieldSpec spec;
    std::map<WindowKey, Window> windows;
    std::optional<Point> last;
    std::map<qint64, double> baselines; // by window duration, captured when a release went live

    Window &window(qint64 durationMs, Window::Needs needs, qint64 offsetMs = 0)
    {
        const WindowKey key{durationMs, offsetMs};
        auto it = windows.find(key);
        if (it == windows.end())
            it = windows.emplace(key, Window(durationMs, needs, offsetMs)).first;
        else
            it->second.require(needs);
        return it->second;
    }

    Window *find(qint64 durationMs, qint64 offsetMs = 0)
    {
        const auto it = windows.find({durationMs, offsetMs});
        return it == windows.end() ? nullptr : &it->second;
    }

    void append(qint64 timeMs, const FieldValue &v)
    {
        Point p;
        p.timeMs = timeMs;
        p.value = v.value;
        p.increment = v.increment;
        p.distribution = v.distribution;
        p.histogram = spec.distribution;
        if (spec.counter) {
            // The time the increase covers; without it (and without a previous point to measure
            // from) the increase cannot be turned into a rate, so it is not counted at all.
            p.seconds = v.seconds > 0 ? v.seconds
                        : last        ? double(timeMs - last->timeMs) / 1000.0
                                      : 0;
            if (p.seconds <= 0) {
                p.increment = 0;
                p.distribution.clear();
            }
        }
        for (auto &[key, w] : windows)
            w.push(p);
        p.distribution.clear();
        last = std::move(p);
    }

    // The mean of the window: of the observations for histograms, of the values otherwise.
    [[nodiscard]] static QueryResult mean(const Window &w, const FieldSpec &spec)
    {
        if (w.count() == 0)
            return QueryResult::noData();
        if (spec.distribution) {
            if (w.sumIncrement() <= 0)
                return QueryResult::noTraffic();
            return QueryResult::of(w.sumWeighted() / w.sumIncrement());
        }
        return QueryResult::of(w.sum() / double(w.count()));
    }
};

struct MetricStore::CheckSeries
{
    struct Detector
    {
        QString errors;
        QString requests;
        double p0 = 0;
        double p1 = 0;
        CusumDetector cusum;
    };

    QHash<QString, FieldSeries> fields;
    std::map<qint64, OutcomeWindow> outcomes; // by duration
    int consecutiveFailures = 0;
    int consecutiveSuccesses = 0;
    std::deque<Outcome> recent;
    std::optional<Sample> latest; // of the live release, grace period included
    std::vector<Detector> detectors;
    bool passive = false;
    qint64 graceMs = 0;
    ReleaseTally tally;

    FieldSeries *field(const QString &name)
    {
        const auto it = fields.find(name);
        return it == fields.end() ? nullptr : &*it;
    }

    void evict(qint64 nowMs)
    {
        for (auto &[duration, w] : outcomes)
            w.evict(nowMs);
        for (auto &f : fields) {
            for (auto &[key, w] : f.windows)
                w.evict(nowMs);
        }
    }

    // A new release is live: what judged the previous one starts over. Offset windows (prior())
    // look back across releases by design and keep their points.
    void restart(qint64 nowMs, qint64 grace)
    {
        for (auto &[duration, w] : outcomes)
            w = OutcomeWindow(duration);
        for (auto &f : fields) {
            for (auto &[key, w] : f.windows) {
                if (key.second == 0)
                    w = Window(w.durationMs(), w.needs(), w.offsetMs());
            }
            f.last.reset();
        }
        consecutiveFailures = 0;
        consecutiveSuccesses = 0;
        latest.reset();
        for (auto &d : detectors)
            d.cusum.reset();
        tally = ReleaseTally{};
        tally.sinceMs = nowMs;
        tally.countFromMs = nowMs + grace;
    }
};

MetricStore::MetricStore() = default;
MetricStore::~MetricStore() = default;
MetricStore::MetricStore(MetricStore &&) noexcept = default;
MetricStore &MetricStore::operator=(MetricStore &&) noexcept = default;

MetricStore::CheckSeries *MetricStore::series(const QString &service, const QString &check) const
{
    const auto checks = m_series.constFind(service);
    if (checks == m_series.cend())
        return nullptr;
    const auto it = checks->constFind(check);
    return it == checks->cend() ? nullptr : it->get();
}

void MetricStore::declare(const QString &service, const QString &check,
                          const QList<FieldSpec> &fields, bool passive, qint64 graceMs)
{
    auto series = std::make_shared<CheckSeries>();
    series->passive = passive;
    series->graceMs = std::max<qint64>(graceMs, 0);
    for (const auto &f : fields)
        series->fields.insert(f.name, FieldSeries{f, {}, {}, {}});
    m_series[service].insert(check, series);
    if (!m_checksOf[service].contains(check))
        m_checksOf[service].append(check);
}

void MetricStore::require(const QString &service, const rules::MetricQuery &q)
{
    auto *s = series(service, q.check);
    if (!s)
        return;
    if (isOutcomeAggregate(q.aggregate)) {
        s->outcomes.try_emplace(q.windowMs, OutcomeWindow(q.windowMs));
        return;
    }
    auto *f = s->field(q.field);
    switch (q.aggregate) {
    case Aggregate::Mean:
    case Aggregate::Sum:
    case Aggregate::Rate:
    case Aggregate::Baseline:
        if (f)
            f->window(q.windowMs, {});
        return;
    case Aggregate::Prior:
        if (f)
            f->window(q.windowMs, {}, q.offsetMs);
        return;
    case Aggregate::Min:
    case Aggregate::Max:
        if (f)
            f->window(q.windowMs, {true, false});
        return;
    case Aggregate::Quantile:
        if (f)
            f->window(q.windowMs, {false, true});
        return;
    case Aggregate::Ratio:
        if (f)
            f->window(q.windowMs, {});
        if (auto *f2 = s->field(q.field2))
            f2->window(q.windowMs, {});
        return;
    case Aggregate::ErrorCusum:
        for (const auto &d : s->detectors) {
            if (d.errors == q.field && d.requests == q.field2 && d.p0 == q.p0 && d.p1 == q.p1)
                return;
        }
        s->detectors.push_back({q.field, q.field2, q.p0, q.p1, CusumDetector(q.p0, q.p1)});
        return;
    case Aggregate::Canary:
        if (auto *baseline = series(service, q.check2)) {
            for (auto it = s->fields.begin(); it != s->fields.end(); ++it) {
                if (auto *other = baseline->field(it.key())) {
                    it->window(q.windowMs, {});
                    other->window(q.windowMs, {});
                }
            }
        }
        return;
    case Aggregate::ErrorRate:
    case Aggregate::SuccessRate:
    case Aggregate::Count:
    case Aggregate::Failures:
    case Aggregate::ConsecutiveFailures:
    case Aggregate::ConsecutiveSuccesses:
    case Aggregate::Last:
        return;
    }
}

SampleUse MetricStore::append(const QString &service, const QString &check, const Sample &sample)
{
    auto *s = series(service, check);
    if (!s)
        return SampleUse::Ignored;
    auto &tally = s->tally;
    if (sample.checkError) {
        ++tally.checkErrors;
        tally.lastCheckError = sample.error;
        tally.lastCheckErrorMs = sample.timeMs;
        return SampleUse::CheckError;
    }
    if (s->latest && sample.timeMs < s->latest->timeMs)
        return SampleUse::Ignored; // out of order: windows need time order
    const qint64 t = sample.timeMs;
    // Raw outcomes, whatever release they judged: what a rollback's health gate reads.
    if (s->recent.empty() || t >= s->recent.back().timeMs) {
        s->recent.push_back({t, sample.ok, sample.error});
        while (!s->recent.empty() && (s->recent.front().timeMs < t - kRecentOutcomesMs ||
                                      s->recent.size() > kRecentOutcomesMax))
            s->recent.pop_front();
    }
    if (sample.startMs() < tally.sinceMs)
        return SampleUse::PreviousRelease;
    s->latest = sample;
    if (sample.startMs() < tally.countFromMs) {
        ++tally.inGrace;
        return SampleUse::Grace;
    }
    if (sample.ok) {
        ++tally.ok;
    } else {
        ++tally.failed;
        tally.lastFailure = sample.error;
    }
    for (auto &[duration, w] : s->outcomes)
        w.push(t, sample.ok);
    if (sample.ok) {
        ++s->consecutiveSuccesses;
        s->consecutiveFailures = 0;
    } else {
        ++s->consecutiveFailures;
        s->consecutiveSuccesses = 0;
    }

    if (auto *latency = s->field(QStringLiteral("latency")))
        latency->append(t, FieldValue::of(QStringLiteral("latency"), sample.latency));
    for (const auto &v : sample.fields) {
        if (v.name == u"latency")
            continue;
        if (auto *f = s->field(v.name))
            f->append(t, v);
    }
    for (auto &d : s->detectors) {
        const auto *errors = sample.field(d.errors);
        const auto *requests = sample.field(d.requests);
        if (errors && requests)
            d.cusum.add(errors->increment, requests->increment);
    }
    return SampleUse::Counted;
}

void MetricStore::releaseWentLive(const QString &service, qint64 nowMs)
{
    startRelease(service, nowMs, true);
}

void MetricStore::releaseRestored(const QString &service, qint64 nowMs)
{
    startRelease(service, nowMs, false);
}

void MetricStore::startRelease(const QString &service, qint64 nowMs, bool deployed)
{
    for (const auto &check : m_checksOf.value(service)) {
        auto *s = series(service, check);
        if (!s)
            continue;
        s->evict(nowMs);
        if (deployed) {
            // Baselines are what the service looked like just before this release went live.
            for (auto &f : s->fields) {
                f.baselines.clear();
                for (const auto &[key, w] : f.windows) {
                    const auto mean = FieldSeries::mean(w, f.spec);
                    if (key.second == 0 && mean.hasValue())
                        f.baselines[key.first] = mean.value;
                }
            }
        }
        s->restart(nowMs, deployed ? s->graceMs : 0);
    }
}

ReleaseTally MetricStore::tally(const QString &service, const QString &check) const
{
    const auto *s = series(service, check);
    return s ? s->tally : ReleaseTally{};
}

const MetricStore::ServiceView &MetricStore::view(const QString &service)
{
    auto &slot = m_views[service];
    if (!slot)
        slot = std::make_shared<ServiceView>(*this, service);
    return *slot;
}

rules::QueryResult MetricStore::ServiceView::query(const rules::MetricQuery &q, qint64 nowMs) const
{
    return m_store.query(m_service, q, nowMs);
}

rules::QueryResult MetricStore::query(const QString &service, const rules::MetricQuery &q,
                                      qint64 nowMs) const
{
    auto *s = series(service, q.check);
    if (!s)
        return QueryResult::noData();
    switch (q.aggregate) {
    case Aggregate::ErrorRate:
    case Aggregate::SuccessRate:
    case Aggregate::Count:
    case Aggregate::Failures: {
        const auto it = s->outcomes.find(q.windowMs);
        if (it == s->outcomes.end())
            return QueryResult::noData();
        auto &w = it->second;
        w.evict(nowMs);
        const double count = double(w.count());
        const double failures = double(w.failures());
        if (q.aggregate == Aggregate::Count)
            return QueryResult::of(count);
        if (q.aggregate == Aggregate::Failures)
            return QueryResult::of(failures);
        if (count == 0)
            return QueryResult::noData();
        return QueryResult::of(q.aggregate == Aggregate::ErrorRate ? failures / count
                                                                   : (count - failures) / count);
    }
    case Aggregate::ConsecutiveFailures:
    case Aggregate::ConsecutiveSuccesses:
        if (s->tally.counted() == 0)
            return QueryResult::noData();
        return QueryResult::of(q.aggregate == Aggregate::ConsecutiveFailures
                                   ? s->consecutiveFailures
                                   : s->consecutiveSuccesses);
    case Aggregate::ErrorCusum:
        for (const auto &d : s->detectors) {
            if (d.errors == q.field && d.requests == q.field2 && d.p0 == q.p0 && d.p1 == q.p1) {
                if (d.cusum.requests() <= 0)
                    return s->tally.counted() > 0 ? QueryResult::noTraffic()
                                                  : QueryResult::noData();
                return QueryResult::of(d.cusum.statistic());
            }
        }
        return QueryResult::noData();
    case Aggregate::Canary: {
        auto *baseline = series(service, q.check2);
        return baseline ? canary(*s, *baseline, q.windowMs, nowMs) : QueryResult::noData();
    }
    default:
        break;
    }

    auto *f = s->field(q.field);
    if (!f)
        return QueryResult::noData();
    if (q.aggregate == Aggregate::Last)
        return f->last ? QueryResult::of(f->last->value) : QueryResult::noData();
    if (q.aggregate == Aggregate::Baseline) {
        const auto it = f->baselines.find(q.windowMs);
        return it == f->baselines.end() ? QueryResult::noData() : QueryResult::of(it->second);
    }
    auto *found = f->find(q.windowMs, q.aggregate == Aggregate::Prior ? q.offsetMs : 0);
    if (!found)
        return QueryResult::noData();
    auto &w = *found;
    w.evict(nowMs);
    if (w.count() == 0)
        return QueryResult::noData();
    switch (q.aggregate) {
    case Aggregate::Mean:
    case Aggregate::Prior:
        return FieldSeries::mean(w, f->spec);
    case Aggregate::Min:
        return w.min() ? QueryResult::of(*w.min()) : QueryResult::noData();
    case Aggregate::Max:
        return w.max() ? QueryResult::of(*w.max()) : QueryResult::noData();
    case Aggregate::Sum:
        return QueryResult::of(f->spec.counter ? w.sumIncrement() : w.sum());
    case Aggregate::Quantile: {
        const auto value = w.quantile(q.quantile);
        return value ? QueryResult::of(*value) : QueryResult::noTraffic();
    }
    case Aggregate::Rate: {
        if (f->spec.counter) {
            if (w.sumSeconds() <= 0)
                return QueryResult::noData();
            return QueryResult::of(w.sumIncrement() / w.sumSeconds());
        }
        const auto *first = w.first();
        const auto *last = w.last();
        if (last->timeMs <= first->timeMs)
            return QueryResult::noData();
        return QueryResult::of((last->value - first->value) /
                               (double(last->timeMs - first->timeMs) / 1000.0));
    }
    case Aggregate::Ratio: {
        auto *f2 = s->field(q.field2);
        auto *found2 = f2 ? f2->find(q.windowMs) : nullptr;
        if (!found2)
            return QueryResult::noData();
        auto &w2 = *found2;
        w2.evict(nowMs);
        if (w2.count() == 0)
            return QueryResult::noData();
        if (w2.sumIncrement() <= 0)
            return QueryResult::noTraffic();
        return QueryResult::of(w.sumIncrement() / w2.sumIncrement());
    }
    default:
        return QueryResult::noData();
    }
}

rules::QueryResult MetricStore::canary(CheckSeries &canary, CheckSeries &baseline, qint64 windowMs,
                                       qint64 nowMs) const
{
    QList<rules::canary::MetricSamples> metrics;
    for (auto it = canary.fields.begin(); it != canary.fields.end(); ++it) {
        auto *other = baseline.field(it.key());
        if (!other)
            continue;
        auto *mine = it->find(windowMs);
        auto *theirs = other->find(windowMs);
        if (!mine || !theirs)
            continue;
        mine->evict(nowMs);
        theirs->evict(nowMs);
        rules::canary::MetricSamples m;
        m.name = it.key();
        for (const auto &p : mine->points())
            m.canary.push_back(p.value);
        for (const auto &p : theirs->points())
            m.baseline.push_back(p.value);
        metrics.append(m);
    }
    const auto judgement = rules::canary::judge(metrics);
    if (judgement.verdict == rules::canary::Judgement::Verdict::NoData)
        return QueryResult::noData();
    return QueryResult::of(judgement.score);
}

std::vector<Outcome> MetricStore::outcomesSince(const QString &service, const QString &check,
                                                qint64 sinceMs) const
{
    std::vector<Outcome> out;
    if (const auto *s = series(service, check)) {
        for (const auto &o : s->recent) {
            if (o.timeMs > sinceMs)
                out.push_back(o);
        }
    }
    return out;
}

const Sample *MetricStore::latest(const QString &service, const QString &check) const
{
    const auto *s = series(service, check);
    return s && s->latest ? &*s->latest : nullptr;
}

Health MetricStore::checkHealth(const QString &service) const
{
    const auto checks = m_checksOf.value(service);
    if (checks.isEmpty())
        return Health::Unknown;
    bool degraded = false;
    bool known = false;
    for (const auto &check : checks) {
        const auto *s = series(service, check);
        if (!s->latest) {
            if (s->passive)
                continue;
            return Health::Unknown;
        }
        known = true;
        degraded = degraded || !s->latest->ok;
    }
    if (!known)
        return Health::Unknown;
    return degraded ? Health::Degraded : Health::Healthy;
}

} // namespace rwd::monitor
