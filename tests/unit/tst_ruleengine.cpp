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

const daemon::Registries &registries()
{
    static const daemon::Registries r;
    return r;
}

} // namespace

class TestRuleEngine : public QObject
{
    Q_OBJECT

private:
    config::Config m_config;
    ManualClock m_clock;
    monitor::MetricStore m_metrics;

    // The engine as the daemon builds it: scopes from the checks, windows declared for its
    // queries.
    std::unique_ptr<rules::RuleEngine> engine()
    {
        config::Diagnostics d;
        auto e = std::make_unique<rules::RuleEngine>(
            m_config,
            [](const config::ServiceConfig &s) { return daemon::scopeOf(s, registries().checks); },
            d);
        if (d.hasErrors())
            qFatal("%s", qPrintable(d.format()));
        for (const auto &[service, query] : e->queries())
            m_metrics.require(service, query);
        return e;
    }

    std::vector<rules::Transition> sample(rules::RuleEngine &engine, const QString &service,
                                          bool ok, double latency = 0.01)
    {
        m_clock.advance(100);
        monitor::Sample s;
        s.timeMs = m_clock.nowMs();
        s.ok = ok;
        s.latency = latency;
        m_metrics.append(service, QStringLiteral("health"), s);
        return engine.onSample(service, QStringLiteral("health"), m_metrics.view(service),
                               m_clock.nowMs());
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
            m_metrics.declare(QLatin1String(s), QStringLiteral("health"),
                              {{QStringLiteral("latency"), rules::Dimension::Time, false, false}});
    }

    void scopesRulesToServices()
    {
        auto e = engine();
        auto &engine = *e;
        // 'down' for api, 'errors' for both (two queries each), 'slow' for web.
        QCOMPARE(engine.queries().size(), std::size_t(1 + 2 * 2 + 1));
        for (int i = 0; i < 5; ++i)
            sample(engine, QStringLiteral("web"), false);
        // 'down' is scoped to api only.
        QCOMPARE(engine.phase(QStringLiteral("down"), QStringLiteral("web")),
                 rules::RulePhase::Inactive);
    }

    void firesOnConsecutiveFailuresWithTheEvidence()
    {
        auto e = engine();
        auto &engine = *e;
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
        auto e = engine();
        auto &engine = *e;
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

    // A new release is a new subject: the cooldown earned by the previous one does not hold a
    // firing against it back.
    void aNewReleaseRestartsTheCooldown()
    {
        auto e = engine();
        auto &engine = *e;
        for (int i = 0; i < 3; ++i)
            sample(engine, QStringLiteral("api"), false);
        QCOMPARE(engine.phase(QStringLiteral("down"), QStringLiteral("api")),
                 rules::RulePhase::Firing);
        sample(engine, QStringLiteral("api"), true);
        QVERIFY(engine.releaseChanged(QStringLiteral("web"), true).empty()); // no effect on api
        for (int i = 0; i < 3; ++i)
            QVERIFY(sample(engine, QStringLiteral("api"), false).empty());
        QVERIFY(engine.releaseChanged(QStringLiteral("api"), true).empty()); // pending: no firing
        const auto fired = sample(engine, QStringLiteral("api"), false);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().firing.rule, QStringLiteral("down"));
    }

    // A verdict belongs to one release. A rollback resolves the firing (the release it judged is
    // gone) and starts the rule over, but the cooldown holds: failing again at once is pending,
    // not a second rollback. A deployment restarts the cooldown as well.
    void aReleaseChangeStartsTheRulesOver()
    {
        auto e = engine();
        auto &engine = *e;
        const QString api = QStringLiteral("api");
        for (int i = 0; i < 3; ++i)
            sample(engine, api, false);
        QCOMPARE(engine.phase(QStringLiteral("down"), api), rules::RulePhase::Firing);
        const auto resolved = engine.releaseChanged(api, false);
        QCOMPARE(resolved.size(), std::size_t(1));
        QCOMPARE(resolved.front().kind, rules::Transition::Kind::Resolved);
        QCOMPARE(resolved.front().firing.rule, QStringLiteral("down"));
        QVERIFY2(resolved.front().reason.contains(QStringLiteral("rollback")),
                 qPrintable(resolved.front().reason));
        QCOMPARE(engine.phase(QStringLiteral("down"), api), rules::RulePhase::Inactive);
        QVERIFY(engine.activeFirings(api).isEmpty());
        // The restored release fails at once: the rule is pending within its cooldown.
        m_metrics.releaseRestored(api, m_clock.nowMs());
        for (int i = 0; i < 3; ++i)
            QVERIFY(sample(engine, api, false).empty());
        QCOMPARE(engine.phase(QStringLiteral("down"), api), rules::RulePhase::Pending);
        // Nothing was firing: a deployment resolves nothing, and its first failures fire at once.
        QVERIFY(engine.releaseChanged(api, true).empty());
        m_metrics.releaseWentLive(api, m_clock.nowMs());
        QVERIFY(sample(engine, api, false).empty());
        QVERIFY(sample(engine, api, false).empty());
        const auto fired = sample(engine, api, false);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().kind, rules::Transition::Kind::Fired);
    }

    void waitsForTheForDuration()
    {
        auto e = engine();
        auto &engine = *e;
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

    // A `for:` rule whose condition goes false while pending never fires, however long one
    // waits; when it comes true again, the `for` clock starts again from then: it fires 2 s
    // later, not 1 ms before.
    void aForRuleThatRecoversWhilePendingDoesNotFire()
    {
        auto e = engine();
        auto &engine = *e;
        const QString web = QStringLiteral("web");
        const QString rule = QStringLiteral("errors");
        for (int i = 0; i < 5; ++i)
            QVERIFY(sample(engine, web, false).empty());
        QCOMPARE(engine.phase(rule, web), rules::RulePhase::Pending);
        // Healthy samples bring the error rate down: 5 errors in 25 samples is 20 %, not more.
        for (int ok = 1; ok <= 20; ++ok) {
            QVERIFY(sample(engine, web, true).empty());
            QVERIFY(tick(engine).empty());
            QCOMPARE(engine.phase(rule, web),
                     ok < 20 ? rules::RulePhase::Pending : rules::RulePhase::Inactive);
        }
        // Longer than `for` since it first went pending: still nothing.
        m_clock.advance(3000);
        QVERIFY(tick(engine).empty());
        QCOMPARE(engine.phase(rule, web), rules::RulePhase::Inactive);
        // One more error (every sample still in the 10 s window) makes it true again: pending
        // from now.
        QVERIFY(sample(engine, web, false).empty());
        QCOMPARE(engine.phase(rule, web), rules::RulePhase::Pending);
        const qint64 pendingSince = m_clock.nowMs();
        m_clock.advance(1999);
        QVERIFY(tick(engine).empty());
        QCOMPARE(engine.phase(rule, web), rules::RulePhase::Pending);
        m_clock.advance(1);
        const auto fired = tick(engine);
        QCOMPARE(fired.size(), std::size_t(1));
        QCOMPARE(fired.front().firing.rule, rule);
        QCOMPARE(m_clock.nowMs() - pendingSince, qint64(2000));
    }

    void reportsInsufficientDataUntilTheWindowHasSamples()
    {
        auto e = engine();
        auto &engine = *e;
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
        auto e = engine();
        auto &engine = *e;
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
};

QTEST_GUILESS_MAIN(TestRuleEngine)
#include "tst_ruleengine.moc"
