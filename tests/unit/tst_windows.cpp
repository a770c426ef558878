// Metric windows: running aggregates checked against brute force on random data, the quantile
// sketch's documented error, counters, histograms, baselines, the sequential error test and the
// canary judgement.
#include "monitor/cusum.h"
#include "monitor/metricstore.h"
#include "monitor/sketch.h"
#include "monitor/window.h"
#include "rules/canary.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace rwd;
using rules::Aggregate;
using rules::MetricQuery;

namespace {

monitor::FieldSpec field(const char *name, bool counter = false, bool distribution = false,
                         rules::Dimension d = rules::Dimension::Scalar)
{
    return {QLatin1String(name), d, counter, distribution};
}

MetricQuery query(Aggregate a, const char *check, const char *field, qint64 windowMs = 0,
                  double q = 0)
{
    MetricQuery m;
    m.aggregate = a;
    m.check = QLatin1String(check);
    m.field = QLatin1String(field);
    m.windowMs = windowMs;
    m.quantile = q;
    return m;
}

} // namespace

class TestWindows : public QObject
{
    Q_OBJECT

private slots:
    // Every aggregate of a sliding window equals a brute-force recomputation, at every step of a
    // long random stream (values, gaps and evictions all random).
    void windowMatchesBruteForce()
    {
        std::mt19937 random(7);
        std::uniform_real_distribution<double> value(-50, 500);
        std::uniform_int_distribution<int> gap(1, 400);
        monitor::Window window(2000, {true, true});
        std::vector<monitor::Point> all;
        qint64 t = 1'000'000;
        for (int i = 0; i < 5000; ++i) {
            t += gap(random);
            monitor::Point p;
            p.timeMs = t;
            p.value = std::round(value(random) * 10) / 10;
            p.increment = std::abs(p.value);
            window.push(p);
            all.push_back(p);
            if (i % 7 != 0)
                continue;
            std::vector<double> inside;
            double sum = 0;
            double inc = 0;
            for (const auto &q : all) {
                if (q.timeMs > t - 2000) {
                    inside.push_back(q.value);
                    sum += q.value;
                    inc += q.increment;
                }
            }
            QCOMPARE(window.count(), inside.size());
            QVERIFY(std::abs(window.sum() - sum) < 1e-6);
            QVERIFY(std::abs(window.sumIncrement() - inc) < 1e-6);
            QCOMPARE(*window.min(), *std::min_element(inside.begin(), inside.end()));
            QCOMPARE(*window.max(), *std::max_element(inside.begin(), inside.end()));
        }
        // Time passing without points empties the window.
        window.evict(t + 2000);
        QCOMPARE(window.count(), std::size_t(0));
        QVERIFY(!window.min().has_value());
        QCOMPARE(window.sum(), 0.0);
    }

    // The sketch's quantiles are within the documented 1 % relative error of a value whose
    // rank is the requested one, for skewed data, also after removals.
    void sketchKeepsItsRelativeError()
    {
        std::mt19937 random(11);
        std::lognormal_distribution<double> latency(-2.0, 1.0); // seconds, heavy tail
        monitor::QuantileSketch sketch(0.01);
        std::vector<double> values;
        for (int i = 0; i < 20'000; ++i) {
            values.push_back(latency(random));
            sketch.add(values.back());
        }
        // Remove the first half, as a sliding window does.
        for (int i = 0; i < 10'000; ++i)
            sketch.remove(values[std::size_t(i)]);
        values.erase(values.begin(), values.begin() + 10'000);
        QCOMPARE(sketch.count(), 10'000.0);
        std::sort(values.begin(), values.end());
        for (const double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
            const double estimate = sketch.quantile(q);
            // Some value within ±1 rank of q·(n−1) is within α of the estimate.
            const auto rank = std::size_t(std::floor(q * double(values.size() - 1)));
            bool close = false;
            for (auto r = rank > 0 ? rank - 1 : 0; r <= std::min(rank + 1, values.size() - 1); ++r)
                close = close || std::abs(estimate - values[r]) <= 0.01 * values[r] + 1e-12;
            QVERIFY2(close, qPrintable(QStringLiteral("q=%1 estimate %2 exact %3")
                                           .arg(q)
                                           .arg(estimate)
                                           .arg(values[rank])));
        }
        // Negative values and zero are ordered correctly.
        monitor::QuantileSketch mixed;
        for (const double v : {-5.0, -1.0, 0.0, 0.0, 2.0, 10.0})
            mixed.add(v);
        QVERIFY(std::abs(mixed.quantile(0) + 5) < 0.05);
        QCOMPARE(mixed.quantile(0.5), 0.0);
        QVERIFY(std::abs(mixed.quantile(1) - 10) < 0.1);
    }

    void countersBecomeRatesAndRatiosKnowNoTraffic()
    {
        monitor::MetricStore store;
        store.declare(QStringLiteral("api"), QStringLiteral("traffic"),
                      {field("latency"), field("requests", true), field("errors", true)});
        const auto rate = query(Aggregate::Rate, "traffic", "requests", 10'000);
        auto ratio = query(Aggregate::Ratio, "traffic", "errors", 10'000);
        ratio.field2 = QStringLiteral("requests");
        const auto sum = query(Aggregate::Sum, "traffic", "errors", 10'000);
        for (const auto &q : {rate, ratio, sum})
            store.require(QStringLiteral("api"), q);
        QCOMPARE(store.query(QStringLiteral("api"), ratio, 0).kind,
                 rules::QueryResult::Kind::NoData);
        // Scrapes every second: 100 requests and 5 errors per second, then traffic stops.
        qint64 t = 1'000'000;
        for (int i = 0; i < 5; ++i) {
            t += 1000;
            monitor::Sample s;
            s.timeMs = t;
            s.ok = true;
            // Each increase covers the second since the previous scrape; the first scrape has no
            // previous reading to diff against, so it measures nothing.
            s.fields = {{QStringLiteral("requests"), 100, 100, 1, {}},
                        {QStringLiteral("errors"), 5, 5, 1, {}}};
            if (i == 0)
                s.fields.clear();
            store.append(QStringLiteral("api"), QStringLiteral("traffic"), s);
        }
        QCOMPARE(store.query(QStringLiteral("api"), rate, t).value, 100.0);
        QCOMPARE(store.query(QStringLiteral("api"), ratio, t).value, 0.05);
        QCOMPARE(store.query(QStringLiteral("api"), sum, t).value, 20.0);
        for (int i = 0; i < 12; ++i) {
            t += 1000;
            monitor::Sample s;
            s.timeMs = t;
            s.ok = true;
            s.fields = {{QStringLiteral("requests"), 0, 0, 1, {}},
                        {QStringLiteral("errors"), 0, 0, 1, {}}};
            store.append(QStringLiteral("api"), QStringLiteral("traffic"), s);
        }
        QCOMPARE(store.query(QStringLiteral("api"), ratio, t).kind,
                 rules::QueryResult::Kind::NoTraffic);
        QCOMPARE(store.query(QStringLiteral("api"), rate, t).value, 0.0);
    }

    void histogramsGiveWindowPercentilesAndBaselinesFreeze()
    {
        monitor::MetricStore store;
        store.declare(QStringLiteral("api"), QStringLiteral("traffic"),
                      {field("latency"), field("duration", true, true, rules::Dimension::Time)});
        const auto p95 = query(Aggregate::Quantile, "traffic", "duration", 60'000, 0.95);
        const auto mean = query(Aggregate::Mean, "traffic", "duration", 60'000);
        const auto baseline = query(Aggregate::Baseline, "traffic", "duration", 60'000);
        for (const auto &q :
             {p95, mean, baseline, query(Aggregate::Quantile, "traffic", "duration", 60'000, 0.5)})
            store.require(QStringLiteral("api"), q);
        qint64 t = 2'000'000;
        const auto scrape = [&](double fast, double slow) {
            t += 1000;
            monitor::Sample s;
            s.timeMs = t;
            s.ok = true;
            // Observations around 50 ms and 1 s, as bucket midpoints with weights.
            monitor::FieldValue v{
                QStringLiteral("duration"), 0, fast + slow, 1, {{0.05, fast}, {1.0, slow}}};
            if (fast + slow > 0) {
                v.value = (0.05 * fast + 1.0 * slow) / (fast + slow);
            } else {
                // As a scrape reports a histogram that observed nothing: no distribution.
                v.distribution.clear();
            }
            s.fields = {v};
            store.append(QStringLiteral("api"), QStringLiteral("traffic"), s);
        };
        for (int i = 0; i < 30; ++i)
            scrape(97, 3); // 3 % slow: p95 is fast
        QVERIFY(std::abs(store.query(QStringLiteral("api"), p95, t).value - 0.05) < 0.05 * 0.011);
        QVERIFY(std::abs(store.query(QStringLiteral("api"), mean, t).value - (0.05 * 0.97 + 0.03)) <
                1e-9);
        QCOMPARE(store.query(QStringLiteral("api"), baseline, t).kind,
                 rules::QueryResult::Kind::NoData);
        store.releaseWentLive(QStringLiteral("api"), t);
        const double before = store.query(QStringLiteral("api"), baseline, t).value;
        QVERIFY(std::abs(before - (0.05 * 0.97 + 0.03)) < 1e-9);
        for (int i = 0; i < 30; ++i)
            scrape(90, 10); // 10 % slow: p95 is slow
        QVERIFY(std::abs(store.query(QStringLiteral("api"), p95, t).value - 1.0) < 0.011);
        // The baseline stays what it was when the release went live.
        QCOMPARE(store.query(QStringLiteral("api"), baseline, t).value, before);
        // Quiet scrapes in between observe nothing: they do not pull the percentiles to zero.
        const double p50 =
            store
                .query(QStringLiteral("api"),
                       query(Aggregate::Quantile, "traffic", "duration", 60'000, 0.5), t)
                .value;
        for (int i = 0; i < 20; ++i)
            scrape(0, 0);
        QVERIFY(std::abs(store.query(QStringLiteral("api"), p95, t).value - 1.0) < 0.011);
        QCOMPARE(store
                     .query(QStringLiteral("api"),
                            query(Aggregate::Quantile, "traffic", "duration", 60'000, 0.5), t)
                     .value,
                 p50);
        // A window with scrapes but no observations has no percentile: no traffic.
        for (int i = 0; i < 61; ++i)
            scrape(0, 0);
        QCOMPARE(store.query(QStringLiteral("api"), p95, t).kind,
                 rules::QueryResult::Kind::NoTraffic);
    }

    // A verdict belongs to one release: when a release goes live (or a rollback restores one)
    // the windows, consecutive counts and tally start empty; a sample whose probe started before
    // belongs to the previous release; samples in the grace period are kept for display only;
    // check errors count for nothing but themselves; baselines survive a rollback.
    void windowsAndTalliesBelongToTheLiveRelease()
    {
        monitor::MetricStore store;
        const QString api = QStringLiteral("api");
        const QString health = QStringLiteral("health");
        store.declare(api, health, {field("latency", false, false, rules::Dimension::Time)}, false,
                      2000);
        const auto errorRate = query(Aggregate::ErrorRate, "health", "latency", 60'000);
        const auto failures = query(Aggregate::ConsecutiveFailures, "health", "latency");
        const auto mean = query(Aggregate::Mean, "health", "latency", 60'000);
        const auto baseline = query(Aggregate::Baseline, "health", "latency", 60'000);
        for (const auto &q : {errorRate, mean})
            store.require(api, q);
        qint64 t = 1'000'000;
        const auto sample = [&](bool ok, qint64 startedMs = 0, double latency = 0.1,
                                bool checkError = false) {
            monitor::Sample s;
            t += 100;
            s.timeMs = t;
            s.startedMs = startedMs > 0 ? startedMs : t - 10;
            s.ok = ok;
            s.latency = latency;
            s.checkError = checkError;
            if (!ok)
                s.error = QStringLiteral("HTTP status 500");
            return store.append(api, health, s);
        };
        // Before any release, everything counts.
        for (int i = 0; i < 10; ++i)
            QCOMPARE(sample(i % 2 == 1), monitor::SampleUse::Counted);
        QCOMPARE(store.query(api, errorRate, t).value, 0.5);
        QCOMPARE(store.query(api, failures, t).value, 0.0);

        // A deployment: the bad history stays with the old release; the baseline is captured.
        const qint64 live = t;
        store.releaseWentLive(api, live);
        QCOMPARE(store.query(api, errorRate, t).kind, rules::QueryResult::Kind::NoData);
        QCOMPARE(store.query(api, failures, t).kind, rules::QueryResult::Kind::NoData);
        QCOMPARE(store.query(api, baseline, t).value, 0.1);
        QVERIFY(!store.latest(api, health));
        // A probe that started before the release went live judged the old one.
        QCOMPARE(sample(false, live - 5), monitor::SampleUse::PreviousRelease);
        QVERIFY(!store.latest(api, health));
        // The grace period (2 s): shown (latest), not judged.
        QCOMPARE(sample(false), monitor::SampleUse::Grace);
        QVERIFY(store.latest(api, health) && !store.latest(api, health)->ok);
        QCOMPARE(store.query(api, errorRate, t).kind, rules::QueryResult::Kind::NoData);
        QCOMPARE(store.query(api, failures, t).kind, rules::QueryResult::Kind::NoData);
        t = live + 2000; // the grace period ends
        QCOMPARE(sample(true, live + 2000, 0.3), monitor::SampleUse::Counted);
        QCOMPARE(sample(false), monitor::SampleUse::Counted);
        // Rewind's own trouble: neither ok nor failed, no window moves.
        QCOMPARE(sample(false, 0, 0.1, true), monitor::SampleUse::CheckError);
        QCOMPARE(store.query(api, errorRate, t).value, 0.5);
        QCOMPARE(store.query(api, failures, t).value, 1.0);
        auto tally = store.tally(api, health);
        QCOMPARE(tally.sinceMs, live);
        QCOMPARE(tally.countFromMs, live + 2000);
        QCOMPARE(tally.ok, qint64(1));
        QCOMPARE(tally.failed, qint64(1));
        QCOMPARE(tally.inGrace, qint64(1));
        QCOMPARE(tally.checkErrors, qint64(1));
        QCOMPARE(tally.lastFailure, QStringLiteral("HTTP status 500"));

        // A rollback restores the previous release: empty windows, no grace, the baseline kept.
        const qint64 restored = t;
        store.releaseRestored(api, restored);
        QCOMPARE(store.query(api, errorRate, t).kind, rules::QueryResult::Kind::NoData);
        QCOMPARE(store.query(api, baseline, t).value, 0.1);
        QCOMPARE(sample(true), monitor::SampleUse::Counted);
        tally = store.tally(api, health);
        QCOMPARE(tally.countFromMs, restored);
        QCOMPARE(tally.ok, qint64(1));
        QCOMPARE(tally.failed, qint64(0));
        QCOMPARE(store.query(api, errorRate, t).value, 0.0);
    }

    // The Bernoulli CUSUM stays low on a healthy stream and rises linearly on a bad one.
    void cusumSeparatesHealthyFromBad()
    {
        std::mt19937 random(3);
        const auto run = [&](double errorRate, int batches) {
            monitor::CusumDetector d(0.01, 0.05);
            std::binomial_distribution<int> errors(10, errorRate);
            double peak = 0;
            for (int i = 0; i < batches; ++i) {
                d.add(errors(random), 10);
                peak = std::max(peak, d.statistic());
            }
            return std::pair{d.statistic(), peak};
        };
        // 10 minutes of 100 requests/s at the acceptable 1 %: never near the threshold of 20.
        QVERIFY(run(0.01, 6000).second < 20);
        // 20 % errors at 100 requests/s: over 20 within 10 batches (one second).
        QVERIFY(run(0.2, 10).first > 20);
        monitor::CusumDetector d(0.01, 0.05);
        d.add(3, 2); // more errors than requests are clamped
        QVERIFY(d.statistic() > 0);
        d.reset();
        QCOMPARE(d.statistic(), 0.0);
        QCOMPARE(d.requests(), 0.0);
    }

    void mannWhitneyMatchesAKnownCase()
    {
        // U counts the pairs (canary, baseline) where the canary is larger, ties as one half:
        // only 5 > 4.5, so U = 1. With n1 = n2 = 5 the normal approximation has mean 12.5 and
        // σ = √(5·5·11/12); with the continuity correction z = (11.5 − 0.5)/σ = 2.29783 and the
        // two-sided p = erfc(z/√2) = 0.0215717.
        const auto t = rules::canary::mannWhitney({1, 2, 3, 4, 5}, {4.5, 6, 7, 8, 9});
        QCOMPARE(t.u, 1.0);
        QVERIFY2(qAbs(t.pValue - 0.0215717479) < 1e-9,
                 qPrintable(QString::number(t.pValue, 'g', 12)));
        // Ties: canary {1, 2, 2, 3}, baseline {2, 3, 3, 4, 5}: U = 3 (1·0 + 2·(0.5) + 1·(1 +
        // 2·0.5)), and the variance loses Σ(t³ − t)/(N(N − 1)) = (24 + 24)/72 for the two triples:
        // z = (|3 − 10| − 0.5)/√(20/12 · (10 − 48/72)) = 1.64805, p = 0.0993422.
        const auto tied = rules::canary::mannWhitney({1, 2, 2, 3}, {2, 3, 3, 4, 5});
        QCOMPARE(tied.u, 3.0);
        QVERIFY2(qAbs(tied.pValue - 0.0993422479) < 1e-9,
                 qPrintable(QString::number(tied.pValue, 'g', 12)));
        const auto same = rules::canary::mannWhitney({1, 1, 1}, {1, 1, 1});
        QCOMPARE(same.u, 4.5);
        QCOMPARE(same.pValue, 1.0);
    }

    // The Bernoulli CUSUM on a fixed series (p0 = 1 %, p1 = 5 %): an error adds ln 5, a success
    // ln(0.95/0.99), batches at once and clamped at zero between them.
    void cusumStatisticOnAFixedSeries()
    {
        monitor::CusumDetector d(0.01, 0.05);
        const double error = std::log(5.0);
        const double success = std::log(0.95 / 0.99);
        const struct
        {
            double errors, requests, expected;
        } steps[] = {
            {2, 10, 2 * error + 8 * success},  // 2.8889321566
            {0, 10, 2 * error + 18 * success}, // 2.4765025713
            {0, 100, 0},                       // would go below zero: clamped
            {5, 10, 5 * error + 5 * success},  // 7.8409747695
            {1, 1, 6 * error + 5 * success},   // 9.4504126819
            {0, 0, 6 * error + 5 * success},   // no requests: unchanged
        };
        double requests = 0;
        for (const auto &step : steps) {
            d.add(step.errors, step.requests);
            requests += step.requests;
            QVERIFY2(qAbs(d.statistic() - step.expected) < 1e-12,
                     qPrintable(QString::number(d.statistic(), 'g', 12)));
            QCOMPARE(d.requests(), requests);
        }
        QVERIFY(qAbs(d.statistic() - 9.4504126819) < 1e-9);
    }

    void canaryJudgementGivesVerdictAndReasons()
    {
        std::mt19937 random(5);
        std::normal_distribution<double> base(0.1, 0.01);
        std::normal_distribution<double> slower(0.15, 0.01);
        const auto draw = [&](auto &dist, int n) {
            std::vector<double> v;
            v.reserve(std::size_t(n));
            for (int i = 0; i < n; ++i)
                v.push_back(dist(random));
            return v;
        };
        rules::canary::MetricSamples latency{QStringLiteral("latency"), draw(slower, 40),
                                             draw(base, 40), rules::canary::Bad::Increase, 0.1};
        rules::canary::MetricSamples throughput{QStringLiteral("throughput"), draw(base, 40),
                                                draw(base, 40), rules::canary::Bad::Decrease, 0.1};
        const auto failing = rules::canary::judge({latency, throughput});
        QCOMPARE(failing.verdict, rules::canary::Judgement::Verdict::Fail);
        QCOMPARE(failing.score, 50.0);
        QVERIFY(failing.metrics.first().failed);
        QCOMPARE(failing.metrics.first().classification,
                 rules::canary::MetricVerdict::Classification::High);
        QVERIFY2(failing.metrics.first().reason.contains(QStringLiteral("significantly higher")),
                 qPrintable(failing.metrics.first().reason));
        QVERIFY(failing.summary.contains(QStringLiteral("failed: latency")));
        // A faster canary is not a failure when only increases are bad.
        rules::canary::MetricSamples faster{QStringLiteral("latency"), draw(base, 40),
                                            draw(slower, 40), rules::canary::Bad::Increase, 0.1};
        const auto passing = rules::canary::judge({faster, throughput});
        QCOMPARE(passing.verdict, rules::canary::Judgement::Verdict::Pass);
        QCOMPARE(passing.score, 100.0);
        // Too few samples: no verdict rather than a guess.
        rules::canary::MetricSamples tiny{
            QStringLiteral("latency"), {1, 2}, {1, 2}, rules::canary::Bad::Increase, 0.1};
        QCOMPARE(rules::canary::judge({tiny}).verdict, rules::canary::Judgement::Verdict::NoData);
    }
};

QTEST_GUILESS_MAIN(TestWindows)
#include "tst_windows.moc"
