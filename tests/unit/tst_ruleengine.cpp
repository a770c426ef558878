// The rule engine's state machine (pending, firing, resolved, insufficient data) with `for`,
// `consecutive`, `cooldown` and `every`, on real sample series and an injected clock.
#include "common/clock.h"
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "monitor/metricstore.h"
#include "rules/ruleengine.h"

#include <QTest>

using namespace rwd;

namespace {

config::Config loadOrDie(const QByteArray &yaml)
{
    static const daemon::Registries registries;
    auto r =
        config::loadConfigText(yaml, QStringLiteral("rules.yaml"), daemon::catalogOf(registries));
    if (!r.ok())
        qFatal("%s", qPrintable(r.diagnostics.format()));
    return *r.config;
}

const QByteArray kConfig =
    "services:\n"
    "  - name: api\n"
    "    checks: [{name: health, type: http, url: \"http://127.0.0.1:9/\"}]\n"
    "  - name: web\n"
    "    checks: [{name: health, type: http, url: \"http://127.0.0.1:9/\"}]\n"
    "rules:\n"
    "  - name: down\n"
    "    services: [api]\n"
    "    when: \"consecutive_failures(health) >= 3\"\n"
    "    severity: critical\n"
    "    action: rollback\n"
    "    cooldown: 1m\n"
    "  - name: errors\n"
    "    when: \"error_rate(health, 10s) > 20% and count(health, 10s) >= 5\"\n"
    "    for: 2s\n"
    "  - name: slow\n"
    "    services: [web]\n"
    "    when: \"p95(health.latency, 10s) > 500ms\"\n"
    "    consecutive: 3\n"
    "    every: 1s\n";

} // namespace

class TestRuleEngine : public QObject
{
    Q_OBJECT

private:
    config::Config m_config;
    ManualClock m_clock;
    monitor::MetricStore m_metrics;

    std::vector<rules::Transition> sample(rules::RuleEngine &engine, const QString &service,
                                          bool ok, double latency = 0.01)
    {
        m_clock.advance(100);
        monitor::Sample s;
        s.timeMs = m_clock.nowMs();
        s.ok = ok;
        s.latency = latency;
        s.value = latency;
        m_metrics.append(service, QStringLiteral("health"), s);
        return engine.onSample(service, m_metrics.view(service), m_clock.nowMs());
    }

    std::vector<rules::Transition> tick(rules::RuleEngine &engine)
    {
        return engine.tick(
            [this](const QString &service) -> const rules::MetricSource & {
                return m_metrics.view(service);
            },
            m_clock.nowMs());
    }

private slots:
    void init()
    {
        m_config = loadOrDie(kConfig);
        m_clock = ManualClock();
        m_metrics = monitor::MetricStore();
        for (const auto *s : {"api", "web"})
            m_metrics.declare(QLatin1String(s), QStringLiteral("health"), 60'000);
    }

    void scopesRulesToServices()
    {
        config::Diagnostics d;
        rules::RuleEngine engine(m_config, d);
        QVERIFY(!d.hasErrors());
        QCOMPARE(engine.longestWindowMs(QStringLiteral("api"), QStringLiteral("health")),
                 qint64(10'000));
        for (int i = 0; i < 5; ++i)
            sample(engine, QStringLiteral("web"), false);
        // 'down' is scoped to api only.
        QCOMPARE(engine.phase(QStringLiteral("down"), QStringLiteral("web")),
                 rules::RulePhase::Inactive);
    }

    void firesOnConsecutiveFailuresWithTheEvidence()
    {
        config::Diagnostics d;
        rules::RuleEngine engine(m_config, d);
        QCOMPARE(engine.phase(QStringLiteral("down"), QStringLiteral("api")),
                 rules::RulePhase::Inactive);
        QVERIFY(sample(engine, QStringLiteral("api"), true).empty());
        QVERIFY(sample(engine, QStringLiteral("api"), false).empty());
        QVERIFY(sample(engine, QStringLiteral("api"), false).empty());
        const auto fired = sample(engine, QStringLiteral("api"), false);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().kind, rules::Transition::Kind::Fired);
        QCOMPARE(fired.front().firing.rule, QStringLiteral("down"));
        QCOMPARE(fired.front().firing.severity, QStringLiteral("critical"));
        QCOMPARE(fired.front()
                     .firing.values.value(QLatin1String("consecutive_failures(health)"))
                     .toDouble(),
                 3.0);
        QCOMPARE(engine.activeFirings(QStringLiteral("api")).size(), 1);
        // Still failing: no second firing.
        QVERIFY(sample(engine, QStringLiteral("api"), false).empty());
        const auto resolved = sample(engine, QStringLiteral("api"), true);
        QCOMPARE(resolved.size(), std::size_t(1));
        QCOMPARE(resolved.front().kind, rules::Transition::Kind::Resolved);
        QVERIFY(engine.activeFirings(QStringLiteral("api")).isEmpty());
    }

    void honoursCooldown()
    {
        config::Diagnostics d;
        rules::RuleEngine engine(m_config, d);
        for (int i = 0; i < 3; ++i)
            sample(engine, QStringLiteral("api"), false);
        QCOMPARE(engine.phase(QStringLiteral("down"), QStringLiteral("api")),
                 rules::RulePhase::Firing);
        sample(engine, QStringLiteral("api"), true);
        // Failing again within the 1m cooldown: pending, not firing.
        for (int i = 0; i < 3; ++i)
            QVERIFY(sample(engine, QStringLiteral("api"), false).empty());
        QCOMPARE(engine.phase(QStringLiteral("down"), QStringLiteral("api")),
                 rules::RulePhase::Pending);
        m_clock.advance(60'000);
        const auto fired = sample(engine, QStringLiteral("api"), false);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().firing.rule, QStringLiteral("down"));
    }

    void waitsForTheForDuration()
    {
        config::Diagnostics d;
        rules::RuleEngine engine(m_config, d);
        // Fewer than 5 samples: the condition is false (count is known), not pending.
        sample(engine, QStringLiteral("web"), false);
        QCOMPARE(engine.phase(QStringLiteral("errors"), QStringLiteral("web")),
                 rules::RulePhase::Inactive);
        for (int i = 0; i < 4; ++i)
            sample(engine, QStringLiteral("web"), false);
        QCOMPARE(engine.phase(QStringLiteral("errors"), QStringLiteral("web")),
                 rules::RulePhase::Pending);
        // `for: 2s`: the tick fires it once two seconds have passed, without new samples.
        m_clock.advance(1500);
        QVERIFY(tick(engine).empty());
        m_clock.advance(600);
        const auto fired = tick(engine);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().firing.rule, QStringLiteral("errors"));
        QCOMPARE(fired.front().firing.service, QStringLiteral("web"));
    }

    void reportsInsufficientDataUntilTheWindowHasSamples()
    {
        config::Diagnostics d;
        rules::RuleEngine engine(m_config, d);
        // 'slow' reads p95 over 10s: with no samples at all it cannot be decided.
        m_clock.advance(1000);
        QVERIFY(tick(engine).empty());
        QCOMPARE(engine.phase(QStringLiteral("slow"), QStringLiteral("web")),
                 rules::RulePhase::InsufficientData);
        sample(engine, QStringLiteral("web"), true, 0.1);
        m_clock.advance(1000);
        QVERIFY(tick(engine).empty());
        QCOMPARE(engine.phase(QStringLiteral("slow"), QStringLiteral("web")),
                 rules::RulePhase::Inactive);
        // The samples age out of the window: undecidable again, not "healthy".
        m_clock.advance(11'000);
        QVERIFY(tick(engine).empty());
        QCOMPARE(engine.phase(QStringLiteral("slow"), QStringLiteral("web")),
                 rules::RulePhase::InsufficientData);
    }

    void everyEvaluatesOnItsOwnScheduleAndCountsConsecutiveEvaluations()
    {
        config::Diagnostics d;
        rules::RuleEngine engine(m_config, d);
        // Slow samples: p95 over 500 ms.
        for (int i = 0; i < 10; ++i)
            sample(engine, QStringLiteral("web"), true, 0.9);
        // `every: 1s` rules ignore samples; three evaluations one second apart are needed.
        QCOMPARE(engine.phase(QStringLiteral("slow"), QStringLiteral("web")),
                 rules::RulePhase::Inactive);
        std::vector<rules::Transition> fired;
        for (int i = 0; i < 3; ++i) {
            m_clock.advance(1000);
            const auto t = tick(engine);
            fired.insert(fired.end(), t.begin(), t.end());
        }
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().firing.rule, QStringLiteral("slow"));
    }

    void seriesAggregates()
    {
        monitor::SampleSeries series(10'000);
        for (int i = 1; i <= 10; ++i) {
            monitor::Sample s;
            s.timeMs = i * 1000;
            s.ok = i % 5 != 0; // 5 and 10 fail
            s.latency = i / 10.0;
            s.value = i;
            series.append(s);
        }
        using rules::Aggregate;
        const qint64 now = 10'000;
        // Windows are (now - window, now]: 10 s holds the samples at 1 s … 10 s.
        QCOMPARE(*series.aggregate(Aggregate::Count, {}, 10'000, 0, now), 10.0);
        QCOMPARE(*series.aggregate(Aggregate::Count, {}, 9'000, 0, now), 9.0);
        // (4.5 s, 10 s]: 5 … 10, of which 5 and 10 failed.
        QCOMPARE(*series.aggregate(Aggregate::ErrorRate, {}, 5'500, 0, now), 2.0 / 6.0);
        QCOMPARE(*series.aggregate(Aggregate::Failures, {}, 5'500, 0, now), 2.0);
        // (6.5 s, 10 s]: values 7, 8, 9, 10.
        QCOMPARE(*series.aggregate(Aggregate::Mean, QStringLiteral("value"), 3'500, 0, now), 8.5);
        QCOMPARE(*series.aggregate(Aggregate::Max, QStringLiteral("latency"), 60'000, 0, now), 1.0);
        QCOMPARE(*series.aggregate(Aggregate::Quantile, QStringLiteral("value"), 60'000, 0.5, now),
                 5.0);
        QCOMPARE(*series.aggregate(Aggregate::Quantile, QStringLiteral("value"), 60'000, 0.95, now),
                 10.0);
        QCOMPARE(*series.aggregate(Aggregate::ConsecutiveFailures, {}, 0, 0, now), 1.0);
        QCOMPARE(*series.aggregate(Aggregate::Last, QStringLiteral("value"), 0, 0, now), 10.0);
        // An empty window has no error rate but does have a count of zero.
        QVERIFY(!series.aggregate(Aggregate::ErrorRate, {}, 1000, 0, 30'000).has_value());
        QCOMPARE(*series.aggregate(Aggregate::Count, {}, 1000, 0, 30'000), 0.0);
        // Older than the retention: evicted when newer samples arrive.
        monitor::Sample late;
        late.timeMs = 25'000;
        late.ok = true;
        series.append(late);
        QCOMPARE(series.size(), std::size_t(1));
        QCOMPARE(*series.aggregate(Aggregate::ConsecutiveSuccesses, {}, 0, 0, 25'000), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestRuleEngine)
#include "tst_ruleengine.moc"
