// The metric history behind the charts: fixed steps driven by the times given (a manual
// clock), percentiles, failure ratios, counter rates, gauges and histograms per step, gaps,
// retention and wrap-around, the memory bound, and rule terms recorded with their thresholds
// from real compiled rules evaluated by the rule engine.
#include "common/clock.h"
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "monitor/metrichistory.h"
#include "monitor/metricstore.h"
#include "rules/ruleengine.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace rwd;

namespace {

const QString kApi = QStringLiteral("api");
const QString kHealth = QStringLiteral("health");
const QString kBiz = QStringLiteral("biz");

// Fields of a check as the daemon declares them: latency first, then the check's own.
QList<monitor::FieldSpec> fields(const QList<monitor::FieldSpec> &own = {})
{
    return QList<monitor::FieldSpec>{
               {QStringLiteral("latency"), rules::Dimension::Time, false, false}} +
           own;
}

monitor::FieldSpec gauge(const QString &name)
{
    return {name, rules::Dimension::Scalar, false, false};
}
monitor::FieldSpec counter(const QString &name)
{
    return {name, rules::Dimension::Scalar, true, false};
}
monitor::FieldSpec histogram(const QString &name)
{
    return {name, rules::Dimension::Time, true, true};
}

monitor::Sample probe(qint64 timeMs, bool ok, double latency = 0)
{
    monitor::Sample s;
    s.timeMs = timeMs;
    s.ok = ok;
    s.latency = latency;
    return s;
}

monitor::FieldValue counterValue(const QString &name, double increment, double seconds)
{
    monitor::FieldValue v;
    v.name = name;
    v.increment = increment;
    v.seconds = seconds;
    return v;
}

// The points of one series, by time.
QMap<qint64, double> pointsOf(const QList<protocol::SeriesInfo> &series, const QString &name)
{
    QMap<qint64, double> out;
    for (const auto &s : series) {
        if (s.name != name)
            continue;
        for (const auto &[t, v] : s.points)
            out.insert(t, v);
    }
    return out;
}

const protocol::SeriesInfo *find(const QList<protocol::SeriesInfo> &series, const QString &name)
{
    for (const auto &s : series) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

// Within the quantile sketch's 1 % relative accuracy.
bool near(double actual, double expected)
{
    return std::abs(actual - expected) <= 0.0100001 * std::abs(expected);
}

const daemon::Registries &registries()
{
    static const daemon::Registries r;
    return r;
}

} // namespace

class TestMetricHistory : public QObject
{
    Q_OBJECT

private:
    // A step boundary, so that step k starts at kT0 + k seconds.
    static constexpr qint64 kT0 = 1'800'000'000'000;
    ManualClock m_clock{kT0};

    QList<protocol::SeriesInfo> everything(const monitor::MetricHistory &h) const
    {
        return h.series(kApi, 0, std::numeric_limits<qint64>::max());
    }

private slots:
    void init() { m_clock.set(kT0); }

    void namesSeriesByCheckAndField()
    {
        monitor::MetricHistory h;
        h.declare(
            kApi, kHealth,
            fields({gauge(QStringLiteral("queue")), counter(QStringLiteral("requests")),
                    histogram(QStringLiteral("duration")), counter(QStringLiteral("failures"))}));
        h.declare(kApi, kBiz, fields({gauge(QStringLiteral("conversion"))}), true);
        QStringList names;
        QStringList units;
        for (const auto &s : everything(h)) {
            names.append(s.name);
            units.append(s.unit);
            QCOMPARE(s.stepMs, qint64(1000));
            QVERIFY(s.points.isEmpty()); // nothing closed yet
        }
        QCOMPARE(names,
                 (QStringList{"health.latency.p50", "health.latency.p95", "health.latency.p99",
                              "health.failures", "health.queue", "health.requests",
                              "health.duration.p50", "health.duration.p95", "health.duration.p99",
                              "health.failures.value", "biz.failures", "biz.conversion"}));
        QCOMPARE(units,
                 (QStringList{"seconds", "seconds", "seconds", "ratio", "number", "per_second",
                              "seconds", "seconds", "seconds", "per_second", "ratio", "number"}));
        QCOMPARE(find(everything(h), QStringLiteral("health.latency.p95"))->label,
                 QStringLiteral("health latency p95"));
        // A filter is a list of name prefixes.
        QStringList filtered;
        for (const auto &s :
             h.series(kApi, 0, kT0, {QStringLiteral("health.lat"), QStringLiteral("biz.")}))
            filtered.append(s.name);
        QCOMPARE(filtered, (QStringList{"health.latency.p50", "health.latency.p95",
                                        "health.latency.p99", "biz.failures", "biz.conversion"}));
        QVERIFY(h.series(QStringLiteral("nope"), 0, kT0).isEmpty());
        QVERIFY(h.hasService(kApi));
        QVERIFY(!h.hasService(QStringLiteral("nope")));
    }

    void latencyPercentilesAndFailuresPerStep()
    {
        monitor::MetricHistory h;
        h.declare(kApi, kHealth, fields());
        // Step 0: 100 probes of 10 ms … 1 s, every 25th failed; step 1: one slow failure.
        for (int i = 1; i <= 100; ++i)
            h.append(kApi, kHealth, probe(kT0 + i * 9, i % 25 != 0, 0.01 * i));
        h.append(kApi, kHealth, probe(kT0 + 1500, false, 3.0));
        QVERIFY(everything(h).first().points.size() == 1); // step 1 is still in progress
        QCOMPARE(h.lastClosedStepMs(), std::optional<qint64>(kT0));
        h.advance(kT0 + 2000);
        const auto all = everything(h);
        const auto p50 = pointsOf(all, QStringLiteral("health.latency.p50"));
        const auto p95 = pointsOf(all, QStringLiteral("health.latency.p95"));
        const auto p99 = pointsOf(all, QStringLiteral("health.latency.p99"));
        const auto failures = pointsOf(all, QStringLiteral("health.failures"));
        QCOMPARE(p50.keys(), (QList<qint64>{kT0, kT0 + 1000}));
        // The value of rank q·(n − 1) among the step's probes.
        QVERIFY2(near(p50.value(kT0), 0.50), qPrintable(QString::number(p50.value(kT0))));
        QVERIFY2(near(p95.value(kT0), 0.96), qPrintable(QString::number(p95.value(kT0))));
        QVERIFY2(near(p99.value(kT0), 1.00), qPrintable(QString::number(p99.value(kT0))));
        QCOMPARE(failures.value(kT0), 0.04);
        QVERIFY(near(p50.value(kT0 + 1000), 3.0));
        QCOMPARE(failures.value(kT0 + 1000), 1.0);
    }

    void gaugesCountersAndHistograms()
    {
        monitor::MetricHistory h;
        h.declare(kApi, kHealth,
                  fields({gauge(QStringLiteral("queue")), counter(QStringLiteral("requests")),
                          histogram(QStringLiteral("duration"))}));
        auto s = probe(kT0 + 100, true);
        s.fields = {monitor::FieldValue::of(QStringLiteral("queue"), 5),
                    counterValue(QStringLiteral("requests"), 30, 2)};
        h.append(kApi, kHealth, s);
        s = probe(kT0 + 600, true);
        monitor::FieldValue d;
        d.name = QStringLiteral("duration");
        d.distribution = {{0.1, 90}, {0.5, 9}, {2.0, 1}};
        s.fields = {monitor::FieldValue::of(QStringLiteral("queue"), 7),
                    counterValue(QStringLiteral("requests"), 10, 0.5), d};
        h.append(kApi, kHealth, s);
        // Step 1: a counter point without `seconds` covers the time since the field's last one.
        s = probe(kT0 + 1600, true);
        s.fields = {counterValue(QStringLiteral("requests"), 8, 0)};
        h.append(kApi, kHealth, s);
        h.advance(kT0 + 2000);
        const auto all = everything(h);
        // Gauges: the last value of the step.
        QCOMPARE(pointsOf(all, QStringLiteral("health.queue")), (QMap<qint64, double>{{kT0, 7.0}}));
        // Counters: increments over the seconds they cover.
        QCOMPARE(pointsOf(all, QStringLiteral("health.requests")),
                 (QMap<qint64, double>{{kT0, 40.0 / 2.5}, {kT0 + 1000, 8.0}}));
        // Histograms: percentiles of the observations, weighted.
        QVERIFY(near(pointsOf(all, QStringLiteral("health.duration.p50")).value(kT0), 0.1));
        QVERIFY(near(pointsOf(all, QStringLiteral("health.duration.p95")).value(kT0), 0.5));
        QVERIFY(near(pointsOf(all, QStringLiteral("health.duration.p99")).value(kT0), 2.0));
        QVERIFY(pointsOf(all, QStringLiteral("health.duration.p50")).value(kT0 + 1000, -1) < 0);
        // A counter's first point ever, without `seconds`, cannot be a rate: no data.
        monitor::MetricHistory fresh;
        fresh.declare(kApi, kHealth, fields({counter(QStringLiteral("requests"))}));
        s = probe(kT0 + 100, true);
        s.fields = {counterValue(QStringLiteral("requests"), 8, 0)};
        fresh.append(kApi, kHealth, s);
        fresh.advance(kT0 + 1000);
        QVERIFY(pointsOf(everything(fresh), QStringLiteral("health.requests")).isEmpty());
        QCOMPARE(pointsOf(everything(fresh), QStringLiteral("health.failures")).value(kT0), 0.0);
    }

    // A step without data is a gap, never a zero; a late value counts toward the open step.
    void gapsAndLateValues()
    {
        monitor::MetricHistory h;
        h.declare(kApi, kHealth, fields());
        h.append(kApi, kHealth, probe(kT0 + 10, true, 0.2));
        h.append(kApi, kHealth, probe(kT0 + 3010, false, 0.4));
        h.append(kApi, kHealth, probe(kT0 + 2990, true, 0.4)); // step 2 closed: counts in 3
        h.advance(kT0 + 4000);
        QCOMPARE(pointsOf(everything(h), QStringLiteral("health.failures")),
                 (QMap<qint64, double>{{kT0, 0.0}, {kT0 + 3000, 0.5}}));
        QVERIFY(h.step(kApi, kT0 + 1000).isEmpty());
        QCOMPARE(h.step(kApi, kT0 + 3000).size(), 4);
        QVERIFY(h.step(kApi, kT0 + 4000).isEmpty()); // in progress
        // Ranges are [from, to) over step starts.
        QCOMPARE(
            pointsOf(h.series(kApi, kT0 + 1, kT0 + 3000), QStringLiteral("health.failures")).size(),
            0);
        QCOMPARE(
            pointsOf(h.series(kApi, kT0, kT0 + 3001), QStringLiteral("health.failures")).keys(),
            (QList<qint64>{kT0, kT0 + 3000}));
    }

    // The ring keeps exactly the retention; a long silence leaves no stale values behind.
    void retentionWrapsAround()
    {
        monitor::MetricHistory h({1000, 10'000});
        QCOMPARE(h.keptSteps(), qint64(10));
        h.declare(kApi, kBiz, fields({gauge(QStringLiteral("queue"))}), true);
        const auto push = [&](qint64 step, double value) {
            auto s = probe(kT0 + step * 1000 + 500, true);
            s.fields = {monitor::FieldValue::of(QStringLiteral("queue"), value)};
            h.append(kApi, kBiz, s);
        };
        for (int i = 0; i <= 25; ++i)
            push(i, i);
        h.advance(kT0 + 26'000);
        auto points = pointsOf(everything(h), QStringLiteral("biz.queue"));
        QCOMPARE(points.size(), 10);
        QCOMPARE(points.firstKey(), kT0 + 16'000);
        QCOMPARE(points.first(), 16.0);
        QCOMPARE(points.last(), 25.0);
        QVERIFY(h.step(kApi, kT0 + 15'000).isEmpty()); // fell out of the retention
        // Silence, then one value: the slots it skipped alias old steps and must read as gaps.
        push(31, 99);
        h.advance(kT0 + 32'000);
        points = pointsOf(everything(h), QStringLiteral("biz.queue"));
        QCOMPARE(points, (QMap<qint64, double>{{kT0 + 22'000, 22.0},
                                               {kT0 + 23'000, 23.0},
                                               {kT0 + 24'000, 24.0},
                                               {kT0 + 25'000, 25.0},
                                               {kT0 + 31'000, 99.0}}));
        // Longer than the retention: nothing old survives.
        push(500, 1);
        h.advance(kT0 + 501'000);
        QCOMPARE(pointsOf(everything(h), QStringLiteral("biz.queue")),
                 (QMap<qint64, double>{{kT0 + 500'000, 1.0}}));
    }

    // Memory is fixed by the declarations, not by the traffic.
    void memoryIsBounded()
    {
        monitor::MetricHistory h; // 1 s for 1 h
        h.declare(kApi, kHealth, fields({gauge(QStringLiteral("queue"))}));
        const std::size_t series = 5; // latency ×3, failures, queue
        QCOMPARE(h.memoryBytes(), series * 3601 * sizeof(float));
        for (qint64 t = 0; t < 3 * 3'600'000; t += 250) {
            auto s = probe(kT0 + t, t % 1000 != 0, 0.1);
            s.fields = {monitor::FieldValue::of(QStringLiteral("queue"), double(t))};
            h.append(kApi, kHealth, s);
        }
        QCOMPARE(h.memoryBytes(), series * 3601 * sizeof(float));
        const auto all = everything(h);
        QCOMPARE(all.size(), qsizetype(series));
        for (const auto &s : all)
            QCOMPARE(s.points.size(), 3600);
        QCOMPARE(pointsOf(all, QStringLiteral("health.failures")).first(), 0.25);
    }

    // Rules compiled from a configuration, evaluated by the rule engine over the metric store:
    // each compared term is charted with the rule's constant as its threshold.
    void recordsRuleTermsWithThresholds()
    {
        const QByteArray yaml =
            "services:\n"
            "  - name: api\n"
            "    checks:\n"
            "      - {name: health, type: http, url: \"http://127.0.0.1:9/\"}\n"
            "      - {name: biz, type: signal, fields: {conversion: gauge, orders: counter}}\n"
            "rules:\n"
            "  - {name: errors, when: \"error_rate(health,  1m) > 5%\", severity: critical, "
            "action: rollback}\n"
            "  - {name: slow, when: \"2s < p95(health.latency, 5m) or error_rate(health, 1m) "
            ">= 50%\", severity: warning}\n"
            "  - {name: sales, when: \"value(biz.conversion) < 0.8 * baseline(biz.conversion, "
            "1h) and rate(biz.orders, 1m) < 1\"}\n";
        auto loaded = config::loadConfigText(yaml, QStringLiteral("rules.yaml"),
                                             daemon::catalogOf(registries()));
        QVERIFY2(loaded.ok(), qPrintable(loaded.diagnostics.format()));
        const auto &cfg = *loaded.config;
        config::Diagnostics diagnostics;
        rules::RuleEngine engine(
            cfg,
            [](const config::ServiceConfig &s) { return daemon::scopeOf(s, registries().checks); },
            diagnostics);
        QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.format()));
        monitor::MetricStore store;
        monitor::MetricHistory history;
        const auto scope = daemon::scopeOf(*cfg.service(kApi), registries().checks);
        for (const auto &check : scope.order) {
            store.declare(kApi, check, scope.checks.value(check).fields, check == kBiz);
            history.declare(kApi, check, scope.checks.value(check).fields, check == kBiz);
        }
        for (const auto &[service, query] : engine.queries())
            store.require(service, query);
        for (const auto &compiled : engine.compiled())
            history.declareRule(compiled.service, *compiled.rule, compiled.comparisons);
        engine.setObserver(&history);

        // Four probes in step 0, one failed; then two more (both failed) in step 1.
        const auto sample = [&](bool ok) {
            m_clock.advance(200);
            auto s = probe(m_clock.nowMs(), ok, 0.3);
            store.append(kApi, kHealth, s);
            history.append(kApi, kHealth, s);
            (void)engine.onSample(kApi, kHealth, store.view(kApi), m_clock.nowMs());
        };
        for (const bool ok : {true, false, true, true})
            sample(ok);
        m_clock.set(kT0 + 1000);
        for (const bool ok : {false, false})
            sample(ok);
        history.advance(kT0 + 2000);

        const auto all = everything(history);
        // One series per distinct term (whitespace runs collapsed), thresholds of every rule.
        const auto *errors = find(all, QStringLiteral("error_rate(health, 1m)"));
        QVERIFY(errors);
        QCOMPARE(errors->unit, QStringLiteral("ratio"));
        QCOMPARE(errors->thresholds.size(), 2);
        QCOMPARE(errors->thresholds.at(0).rule, QStringLiteral("errors"));
        QCOMPARE(errors->thresholds.at(0).op, QStringLiteral(">"));
        QCOMPARE(errors->thresholds.at(0).value, 0.05);
        QCOMPARE(errors->thresholds.at(0).severity, QStringLiteral("critical"));
        QCOMPARE(errors->thresholds.at(1).rule, QStringLiteral("slow"));
        QCOMPARE(errors->thresholds.at(1).op, QStringLiteral(">="));
        QCOMPARE(errors->thresholds.at(1).value, 0.5);
        QCOMPARE(errors->thresholds.at(1).severity, QStringLiteral("warning"));
        // The last value the rules saw in each step: 1 of 4, then 3 of 6.
        QCOMPARE(pointsOf(all, errors->name),
                 (QMap<qint64, double>{{kT0, 0.25}, {kT0 + 1000, 0.5}}));
        // Written with the constant first: read with the term on the left.
        const auto *p95 = find(all, QStringLiteral("p95(health.latency, 5m)"));
        QVERIFY(p95);
        QCOMPARE(p95->unit, QStringLiteral("seconds"));
        QCOMPARE(p95->thresholds.size(), 1);
        QCOMPARE(p95->thresholds.first().op, QStringLiteral(">"));
        QCOMPARE(p95->thresholds.first().value, 2.0);
        QVERIFY(near(pointsOf(all, p95->name).value(kT0), 0.3));
        // Two measured terms: the left one, without a threshold; rates are per second.
        const auto *conversion = find(all, QStringLiteral("value(biz.conversion)"));
        QVERIFY(conversion);
        QVERIFY(conversion->thresholds.isEmpty());
        QVERIFY(!find(all, QStringLiteral("0.8 * baseline(biz.conversion, 1h)")));
        const auto *orders = find(all, QStringLiteral("rate(biz.orders, 1m)"));
        QVERIFY(orders);
        QCOMPARE(orders->unit, QStringLiteral("per_second"));
        QCOMPARE(orders->thresholds.first().value, 1.0);
        QCOMPARE(orders->thresholds.first().severity, cfg.rules.at(2).severity);
        // Nothing was pushed to biz, so its terms have no data: gaps, not zeros.
        QVERIFY(conversion->points.isEmpty());
        QVERIFY(orders->points.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMetricHistory)
#include "tst_metrichistory.moc"
