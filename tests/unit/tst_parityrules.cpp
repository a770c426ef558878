// The shipped rule files (resources/rules/) implement the triggers teams rely on today. Each rule
// is driven, on recorded samples with an injected clock, to fire on the situation it describes
// and to stay quiet on a healthy one close to it.
#include "common/clock.h"
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "monitor/metricstore.h"
#include "rules/ruleengine.h"

#include <QTest>

#include <functional>

using namespace rwd;

namespace {

// Every check is a signal check, so the test can feed exactly the samples it wants.
const QByteArray kConfig =
    "include: [" REWIND_SOURCE_DIR "/resources/rules/*.yaml]\n"
    "services:\n"
    "  - name: web\n"
    "    kind: frontend\n"
    "    checks: &checks\n"
    "      - {name: health, type: signal, fields: {up: gauge}}\n"
    "      - {name: traffic, type: signal, fields: {requests: counter, errors: counter, duration: "
    "histogram}}\n"
    "      - {name: queue, type: signal, fields: {backlog: gauge}}\n"
    "      - {name: business, type: signal, fields: {conversion: gauge, satisfaction: gauge, "
    "session_duration: gauge}}\n"
    "      - {name: host, type: signal, fields: {cpu: {dimension: ratio}, memory: {dimension: "
    "ratio}, disk: {dimension: ratio}}}\n"
    "      - {name: db, type: signal, fields: {connections: {dimension: ratio}}}\n"
    "      - {name: security, type: signal, fields: {scanner_alert: gauge}}\n"
    "      - {name: auth, type: signal, fields: {attempts: counter, failures: counter}}\n"
    "  - {name: orders, kind: backend, checks: *checks}\n"
    "  - {name: api, kind: api, checks: *checks}\n";

const daemon::Registries &registries()
{
    static const daemon::Registries r;
    return r;
}

// A daemon's monitoring half on a manual clock.
class Simulation
{
public:
    Simulation()
    {
        auto loaded =
            config::loadConfigText(kConfig, QStringLiteral(REWIND_SOURCE_DIR "/test.yaml"),
                                   daemon::catalogOf(registries()));
        if (!loaded.ok())
            qFatal("%s", qPrintable(loaded.diagnostics.format()));
        m_config = std::make_unique<config::Config>(std::move(*loaded.config));
        for (const auto &s : m_config->services) {
            const auto scope = daemon::scopeOf(s, registries().checks);
            for (auto it = scope.checks.begin(); it != scope.checks.end(); ++it)
                m_metrics.declare(s.name, it.key(), it->fields);
        }
        config::Diagnostics d;
        m_engine = std::make_unique<rules::RuleEngine>(
            *m_config,
            [](const config::ServiceConfig &s) { return daemon::scopeOf(s, registries().checks); },
            d);
        if (d.hasErrors())
            qFatal("%s", qPrintable(d.format()));
        for (const auto &[service, query] : m_engine->queries())
            m_metrics.require(service, query);
    }

    qint64 now() const { return m_clock.nowMs(); }

    void push(const QString &service, const QString &check, bool ok,
              QList<monitor::FieldValue> fields = {})
    {
        monitor::Sample s;
        s.timeMs = m_clock.nowMs();
        s.ok = ok;
        s.fields = std::move(fields);
        m_metrics.append(service, check, s);
        record(m_engine->onSample(service, check, m_metrics.view(service), s.timeMs));
    }

    // Lets `ms` pass in 1 s ticks, calling `each` at every multiple of `everyMs`.
    void run(qint64 ms, qint64 everyMs, const std::function<void()> &each)
    {
        const qint64 end = m_clock.nowMs() + ms;
        qint64 next = m_clock.nowMs();
        while (m_clock.nowMs() < end) {
            if (m_clock.nowMs() >= next) {
                each();
                next += everyMs;
            }
            m_clock.advance(1000);
            record(m_engine->tick(
                [this](const QString &service) -> const rules::MetricSource & {
                    return m_metrics.view(service);
                },
                m_clock.nowMs()));
        }
    }

    void releaseWentLive(const QString &service) { m_metrics.releaseWentLive(service, now()); }

    [[nodiscard]] bool fired(const QString &rule, const QString &service) const
    {
        return m_fired.contains(rule + u'/' + service);
    }
    [[nodiscard]] bool resolved(const QString &rule, const QString &service) const
    {
        return m_resolved.contains(rule + u'/' + service);
    }
    [[nodiscard]] rules::RulePhase phase(const QString &rule, const QString &service) const
    {
        return m_engine->phase(rule, service);
    }

private:
    void record(const std::vector<rules::Transition> &transitions)
    {
        for (const auto &t : transitions) {
            const auto key = t.firing.rule + u'/' + t.firing.service;
            (t.kind == rules::Transition::Kind::Fired ? m_fired : m_resolved).insert(key);
        }
    }

    std::unique_ptr<config::Config> m_config;
    ManualClock m_clock;
    monitor::MetricStore m_metrics;
    std::unique_ptr<rules::RuleEngine> m_engine;
    QSet<QString> m_fired;
    QSet<QString> m_resolved;
};

monitor::FieldValue gauge(const char *name, double value)
{
    return {QLatin1String(name), value, 0, 0, {}};
}

monitor::FieldValue counter(const char *name, double increment, double seconds)
{
    return {QLatin1String(name), increment / seconds, increment, seconds, {}};
}

// A latency histogram over `seconds`: `count` requests, a share `slowShare` taking `slow`
// seconds, the rest 50 ms.
monitor::FieldValue histogram(double count, double slowShare, double slow, double seconds)
{
    const double slowCount = count * slowShare;
    monitor::FieldValue v{QStringLiteral("duration"),
                          0,
                          count,
                          seconds,
                          {{0.05, count - slowCount}, {slow, slowCount}}};
    v.value = (0.05 * (count - slowCount) + slow * slowCount) / count;
    return v;
}

// Traffic every 10 s: `rps` requests per second, `errorShare` of them failing, `slowShare` of
// them taking `slow` seconds.
void traffic(Simulation &sim, const QString &service, double rps, double errorShare,
             double slowShare = 0, double slow = 0.05)
{
    const double n = rps * 10;
    sim.push(service, QStringLiteral("traffic"), true,
             {counter("requests", n, 10), counter("errors", n * errorShare, 10),
              histogram(n, slowShare, slow, 10)});
}

} // namespace

class TestParityRules : public QObject
{
    Q_OBJECT

private slots:
    void healthCriticalFiresOnThreeConsecutiveFailuresAndRecoversAfterTwoSuccesses()
    {
        Simulation sim;
        const QString web = QStringLiteral("web");
        const QString health = QStringLiteral("health");
        // Failures that never come three in a row: quiet.
        for (const bool ok : {true, false, false, true, false, false, true, false, true})
            sim.run(10'000, 10'000, [&] { sim.push(web, health, ok); });
        QVERIFY(!sim.fired(QStringLiteral("health-critical"), web));
        // Three in a row within two minutes: fires.
        for (int i = 0; i < 3; ++i)
            sim.run(10'000, 10'000, [&] { sim.push(web, health, false); });
        QVERIFY(sim.fired(QStringLiteral("health-critical"), web));
        // One success is not recovery; two are.
        sim.run(10'000, 10'000, [&] { sim.push(web, health, true); });
        QCOMPARE(sim.phase(QStringLiteral("health-critical"), web), rules::RulePhase::Firing);
        sim.run(10'000, 10'000, [&] { sim.push(web, health, true); });
        QVERIFY(sim.resolved(QStringLiteral("health-critical"), web));
    }

    void healthDegradedCountsFailuresInFiveMinutes()
    {
        Simulation quiet;
        // 4 failures in 5 minutes (every 75 s): quiet.
        quiet.run(5 * 60'000, 15'000, [&, i = 0]() mutable {
            quiet.push(QStringLiteral("web"), QStringLiteral("health"), ++i % 5 != 0);
        });
        QVERIFY(!quiet.fired(QStringLiteral("health-degraded"), QStringLiteral("web")));
        Simulation loud;
        // 5 failures in 5 minutes (every 60 s): fires.
        loud.run(5 * 60'000, 15'000, [&, i = 0]() mutable {
            loud.push(QStringLiteral("web"), QStringLiteral("health"), ++i % 4 != 0);
        });
        QVERIFY(loud.fired(QStringLiteral("health-degraded"), QStringLiteral("web")));
    }

    void latencyThresholdsDependOnTheKindOfService_data()
    {
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<double>("tooSlow");
        QTest::addColumn<double>("fine");
        // 10 % of requests take the given time: that is the p95.
        QTest::newRow("frontend p95 > 2 s") << "web"
                                            << "frontend-latency" << 2.5 << 1.8;
        QTest::newRow("backend p95 > 1 s") << "orders"
                                           << "backend-latency" << 1.3 << 0.9;
        QTest::newRow("api p95 > 1.5 s") << "api"
                                         << "api-latency" << 1.8 << 1.3;
    }
    void latencyThresholdsDependOnTheKindOfService()
    {
        QFETCH(QString, service);
        QFETCH(QString, rule);
        QFETCH(double, tooSlow);
        QFETCH(double, fine);
        Simulation slow;
        slow.run(6 * 60'000, 10'000, [&] { traffic(slow, service, 50, 0.001, 0.1, tooSlow); });
        QVERIFY(slow.fired(rule, service));
        Simulation ok;
        ok.run(6 * 60'000, 10'000, [&] { traffic(ok, service, 50, 0.001, 0.1, fine); });
        QVERIFY(!ok.fired(rule, service));
        // The other kinds' rules never apply to this service.
        for (const auto *other : {"frontend-latency", "backend-latency", "api-latency"}) {
            if (rule != QLatin1String(other))
                QVERIFY(!slow.fired(QLatin1String(other), service));
        }
    }

    void p99ViolationAloneFires()
    {
        Simulation sim;
        // 2 % of requests take 6 s: p95 is fast, p99 is not (> 5 s for a frontend).
        sim.run(6 * 60'000, 10'000, [&] { traffic(sim, QStringLiteral("web"), 50, 0, 0.02, 6.0); });
        QVERIFY(sim.fired(QStringLiteral("frontend-latency"), QStringLiteral("web")));
    }

    void errorRateOverFivePercent()
    {
        Simulation bad;
        bad.run(6 * 60'000, 10'000, [&] { traffic(bad, QStringLiteral("orders"), 50, 0.08); });
        QVERIFY(bad.fired(QStringLiteral("error-rate"), QStringLiteral("orders")));
        Simulation good;
        good.run(6 * 60'000, 10'000, [&] { traffic(good, QStringLiteral("orders"), 50, 0.03); });
        QVERIFY(!good.fired(QStringLiteral("error-rate"), QStringLiteral("orders")));
    }

    void requestRateDropAgainstThePreReleaseBaseline()
    {
        for (const auto &[afterValue, shouldFire] :
             {std::pair{60.0, true}, std::pair{80.0, false}}) {
            const auto after = afterValue;
            Simulation sim;
            const QString api = QStringLiteral("api");
            sim.run(60 * 60'000, 10'000, [&] { traffic(sim, api, 100, 0); });
            sim.releaseWentLive(api);
            sim.run(10 * 60'000, 10'000, [&] { traffic(sim, api, after, 0); });
            QCOMPARE(sim.fired(QStringLiteral("traffic-drop"), api), shouldFire);
        }
    }

    void queueBacklogOverAThousand()
    {
        for (const auto &[backlogValue, shouldFire] :
             {std::pair{1500.0, true}, std::pair{800.0, false}}) {
            const auto backlog = backlogValue;
            Simulation sim;
            sim.run(6 * 60'000, 10'000, [&] {
                sim.push(QStringLiteral("orders"), QStringLiteral("queue"), true,
                         {gauge("backlog", backlog)});
            });
            QCOMPARE(sim.fired(QStringLiteral("queue-backlog"), QStringLiteral("orders")),
                     shouldFire);
        }
    }

    void businessMetricsAgainstAnHourlyRollingBaseline_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("normal");
        QTest::addColumn<double>("bad");  // a drop beyond the threshold
        QTest::addColumn<double>("mild"); // a drop within it
        QTest::newRow("conversion -15 %") << "conversion-drop"
                                          << "conversion" << 0.10 << 0.07 << 0.095;
        QTest::newRow("satisfaction -20 %") << "satisfaction-drop"
                                            << "satisfaction" << 4.5 << 3.2 << 4.2;
        QTest::newRow("session duration -25 %") << "session-duration-drop"
                                                << "session_duration" << 300.0 << 180.0 << 270.0;
    }
    void businessMetricsAgainstAnHourlyRollingBaseline()
    {
        QFETCH(QString, rule);
        QFETCH(QString, field);
        QFETCH(double, normal);
        QFETCH(double, bad);
        QFETCH(double, mild);
        for (const auto &[afterValue, shouldFire] :
             {std::pair{bad, true}, std::pair{mild, false}}) {
            const auto after = afterValue;
            Simulation sim;
            const auto push = [&](double v) {
                sim.push(QStringLiteral("web"), QStringLiteral("business"), true,
                         {{field, v, 0, 0, {}}});
            };
            sim.run(2 * 3600'000, 60'000, [&] { push(normal); });
            // Three evaluations 15 minutes apart are needed: not within 25 minutes of the drop…
            sim.run(25 * 60'000, 60'000, [&] { push(after); });
            QVERIFY(!sim.fired(rule, QStringLiteral("web")));
            // …but within an hour of it.
            sim.run(35 * 60'000, 60'000, [&] { push(after); });
            QCOMPARE(sim.fired(rule, QStringLiteral("web")), shouldFire);
        }
    }

    void infrastructureThresholds_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("bad");
        QTest::addColumn<double>("fine");
        QTest::newRow("cpu > 90 %") << "host-cpu"
                                    << "host"
                                    << "cpu" << 0.95 << 0.85;
        QTest::newRow("memory > 85 %") << "host-memory"
                                       << "host"
                                       << "memory" << 0.9 << 0.8;
        QTest::newRow("disk > 80 %") << "host-disk"
                                     << "host"
                                     << "disk" << 0.85 << 0.75;
        QTest::newRow("db connections > 80 %") << "db-connections"
                                               << "db"
                                               << "connections" << 0.9 << 0.7;
    }
    void infrastructureThresholds()
    {
        QFETCH(QString, rule);
        QFETCH(QString, check);
        QFETCH(QString, field);
        QFETCH(double, bad);
        QFETCH(double, fine);
        for (const auto &[valueValue, shouldFire] :
             {std::pair{bad, true}, std::pair{fine, false}}) {
            const auto value = valueValue;
            Simulation sim;
            sim.run(6 * 60'000, 10'000, [&] {
                sim.push(QStringLiteral("orders"), check, true, {{field, value, 0, 0, {}}});
            });
            QCOMPARE(sim.fired(rule, QStringLiteral("orders")), shouldFire);
        }
    }

    void securitySignalRollsBackAtOnce()
    {
        Simulation sim;
        sim.run(60'000, 10'000, [&] {
            sim.push(QStringLiteral("api"), QStringLiteral("security"), true,
                     {gauge("scanner_alert", 0)});
        });
        QVERIFY(!sim.fired(QStringLiteral("security-signal"), QStringLiteral("api")));
        sim.push(QStringLiteral("api"), QStringLiteral("security"), true,
                 {gauge("scanner_alert", 1)});
        QVERIFY(sim.fired(QStringLiteral("security-signal"), QStringLiteral("api")));
    }

    void authFailureRateOverTenPercent()
    {
        for (const auto &[shareValue, shouldFire] :
             {std::pair{0.15, true}, std::pair{0.05, false}}) {
            const auto share = shareValue;
            Simulation sim;
            sim.run(3 * 60'000, 10'000, [&] {
                sim.push(QStringLiteral("api"), QStringLiteral("auth"), true,
                         {counter("attempts", 100, 10), counter("failures", 100 * share, 10)});
            });
            QCOMPARE(sim.fired(QStringLiteral("auth-failures"), QStringLiteral("api")), shouldFire);
        }
    }
};

QTEST_GUILESS_MAIN(TestParityRules)
#include "tst_parityrules.moc"
