// Verdicts on the sandbox fleet (real nginx, real rewindd): a release that fails a third of its
// probes, scattered, is never verified and never a rollback target; a version that answers 503
// for its first 4 s is rolled back without a grace period and left alone with one; with fast
// confirmation, a check's three failures in a row come within a fraction of its interval.
#include "client/sync/syncrest.h"
#include "e2escenario.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace rwd;

namespace {

constexpr int kWaitMs = 60'000;

const QString kHealthDownOnly = QStringLiteral("  - name: health-down\n"
                                               "    when: \"consecutive_failures(health) >= 3\"\n"
                                               "    severity: critical\n"
                                               "    action: rollback\n"
                                               "    cooldown: 5m\n");

} // namespace

class TestVerdicts : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::Scenario> m_scenario;

    // A fresh scenario: given the sandbox as `options` say (load: 20 requests/s), and api v1.1
    // on green, verified: the rollback target of what follows.
    testing::Scenario::Given &given(drill::ScenarioOptions options)
    {
        options.loadRps = 20;
        m_scenario = std::make_unique<testing::Scenario>();
        return m_scenario->given().theSandbox(options).aVerifiedRelease(
            QStringLiteral("api"), QStringLiteral("green"), QStringLiteral("v1.1"));
    }

    std::optional<protocol::ReleaseInfo> releaseById(drill::Scenario &s, qint64 id)
    {
        const auto r =
            client::callAndWait(s.rewind(), "GET", QStringLiteral("/api/v1/releases?service=api"));
        for (const auto &v : r.body.object().value(QLatin1String("releases")).toArray()) {
            const auto release = protocol::ReleaseInfo::fromJson(v.toObject());
            if (release.id == id)
                return release;
        }
        return std::nullopt;
    }

    QList<protocol::RollbackInfo> rollbacks(drill::Scenario &s)
    {
        QList<protocol::RollbackInfo> out;
        const auto r = client::callAndWait(s.rewind(), "GET", QStringLiteral("/api/v1/rollbacks"));
        for (const auto &v : r.body.object().value(QLatin1String("rollbacks")).toArray())
            out.append(protocol::RollbackInfo::fromJson(v.toObject()));
        return out;
    }

private slots:
    void cleanup() { m_scenario.reset(); }

    // What verification by the latest probe let through: a third of the probes failing, never
    // three in a row. It is over its error budget, stays live and says so; when the next release
    // is bad, the rollback goes past it to the last release that earned `verified`.
    void aReleaseFailingAThirdOfItsProbesIsNeverARollbackTarget()
    {
        drill::ScenarioOptions options;
        options.rules = kHealthDownOnly;
        options.verifyAfterMs = 3000;
        QVERIFY2(given(options).aFault(QStringLiteral("api"), QStringLiteral("v1.2"),
                                       {{"health_fail_every", 3}}),
                 m_scenario->failure());
        auto &s = *m_scenario;
        // When v1.2 is deployed, then it is judged.
        QVERIFY2(
            s.when().deploys(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.2")),
            s.failure());
        const auto scattered = s.when().release();
        std::optional<protocol::ReleaseInfo> judged;
        QVERIFY(drill::waitUntil(
            [&] {
                judged = releaseById(s.sandbox(), scattered.id);
                return judged && judged->verification.final;
            },
            kWaitMs));
        QCOMPARE(judged->state, ReleaseState::Live);
        QVERIFY2(judged->verification.state == u"over_budget",
                 qPrintable(judged->verification.summary));
        const auto &health = judged->verification.checks.at(0);
        QVERIFY2(health.samples >= 15 && health.failed * 3 >= health.samples - 3 &&
                     health.failed * 3 <= health.samples + 3,
                 qPrintable(judged->verification.summary));
        QVERIFY(rollbacks(s.sandbox()).isEmpty()); // never three failures in a row: no rule fired

        // The next release is bad: rolled back to v1.1, not to v1.2.
        QVERIFY2(
            s.given().aFault(QStringLiteral("api"), QStringLiteral("v1.3"), {{"error_rate", 1.0}}),
            s.failure());
        QVERIFY2(
            s.when().deploys(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.3")),
            s.failure());
        const auto rollback = s.then().aRollbackFinishes();
        QVERIFY(rollback);
        QCOMPARE(rollback->state, PlanState::Succeeded);
        QCOMPARE(rollback->targets.first().fromVersion, QStringLiteral("v1.3"));
        QCOMPARE(rollback->targets.first().toVersion, QStringLiteral("v1.1"));
        const auto afterwards = releaseById(s.sandbox(), scattered.id);
        QCOMPARE(afterwards->state, ReleaseState::Superseded);
        QCOMPARE(afterwards->verification.state, QStringLiteral("over_budget"));
    }

    // A version answers 503 for its first 4 s (warming up). Without a grace period that is a
    // failure and it is rolled back; with grace_period: 10s its first samples are charted but not
    // judged, and it is verified.
    void aGracePeriodLetsAVersionWarmUp_data()
    {
        QTest::addColumn<bool>("grace");
        QTest::newRow("no grace period") << false;
        QTest::newRow("grace_period: 10s") << true;
    }
    void aGracePeriodLetsAVersionWarmUp()
    {
        QFETCH(bool, grace);
        drill::ScenarioOptions options;
        options.verifyAfterMs = grace ? 12'000 : 3000;
        if (grace)
            options.environmentKeys = QStringLiteral("grace_period: 10s");
        QVERIFY2(given(options).aFault(QStringLiteral("api"), QStringLiteral("v1.2"),
                                       {{"slow_start_ms", 4000}}),
                 m_scenario->failure());
        auto &s = *m_scenario;
        QVERIFY2(
            s.when().deploys(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.2")),
            s.failure());
        const auto warming = s.when().release();
        if (!grace) {
            const auto rollback = s.then().aRollbackFinishes();
            QVERIFY(rollback);
            QCOMPARE(rollback->state, PlanState::Succeeded);
            QCOMPARE(rollback->targets.first().fromVersion, QStringLiteral("v1.2"));
            return;
        }
        QVERIFY(s.then().theReleaseBecomes(ReleaseState::Verified));
        QVERIFY(rollbacks(s.sandbox()).isEmpty());
        QVERIFY(!s->events().find(QString::fromLatin1(protocol::event::RuleFired), {},
                                  s.when().mark()));
        const auto verified = releaseById(s.sandbox(), warming.id);
        QCOMPARE(verified->verification.state, QStringLiteral("verified"));
        const auto &health = verified->verification.checks.at(0);
        QVERIFY2(health.inGrace >= 50,
                 qPrintable(verified->verification.summary)); // 10 s at 100 ms
        QCOMPARE(health.failed, qint64(0));
    }

    // A check probed every 2 s on a version that is down: with fast_interval: 100ms its second
    // and third failures come from fast probes (rewindd counts them in /metrics) instead of the
    // next two regular ones; without, no probe is ever fast. When they ran is the scheduler's
    // business, tested with an injected clock in tst_scheduler; here the time from the first
    // failure to the firing is only printed.
    void fastConfirmationConfirmsAFailureWithinAnInterval_data()
    {
        QTest::addColumn<bool>("fast");
        QTest::newRow("fast_interval: 100ms") << true;
        QTest::newRow("fast_interval: 0s (off)") << false;
    }
    void fastConfirmationConfirmsAFailureWithinAnInterval()
    {
        QFETCH(bool, fast);
        drill::ScenarioOptions options;
        options.rules = kHealthDownOnly;
        options.verifyAfterMs = 3000;
        options.checkIntervalMs = 2000;
        options.checkKeys =
            fast ? QStringLiteral("fast_interval: 100ms") : QStringLiteral("fast_interval: 0s");
        QVERIFY2(
            given(options).aFault(QStringLiteral("api"), QStringLiteral("v1.2"), {{"down", true}}),
            m_scenario->failure());
        auto &s = *m_scenario;
        QVERIFY2(
            s.when().deploys(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.2")),
            s.failure());
        const auto isApi = [](const protocol::Event &e) {
            return e.data.value(QLatin1String("service")).toString() == u"api";
        };
        const auto *fired = s.then().anEvent(protocol::event::RuleFired, isApi);
        QVERIFY(fired);
        const auto *degraded = s->events().find(
            QString::fromLatin1(protocol::event::HealthChanged),
            [&](const protocol::Event &e) {
                return isApi(e) && e.data.value(QLatin1String("health")).toString() == u"degraded";
            },
            s.when().mark());
        QVERIFY(degraded);
        const qint64 gap = fired->event.timeMs - degraded->event.timeMs;
        qInfo("first failure to firing: %lld ms", static_cast<long long>(gap));
        QCOMPARE(fired->event.data.value(QLatin1String("values"))
                     .toObject()
                     .value(QLatin1String("consecutive_failures(health)"))
                     .toDouble(),
                 3.0);
        const auto metrics =
            client::callAndWait(s.sandbox().rewind(), "GET", QStringLiteral("/metrics")).raw;
        const auto line = QRegularExpression(QStringLiteral("^rewind_fast_probes_total (\\d+)$"),
                                             QRegularExpression::MultilineOption)
                              .match(QString::fromUtf8(metrics));
        QVERIFY2(line.hasMatch(), metrics.constData());
        const int fastProbes = line.captured(1).toInt();
        if (fast)
            QVERIFY2(fastProbes >= 2, qPrintable(line.captured(0)));
        else
            QCOMPARE(fastProbes, 0);
    }
};

QTEST_GUILESS_MAIN(TestVerdicts)
#include "tst_verdicts.moc"
