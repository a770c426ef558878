// End to end on real parts: rewind-fleet behind a real nginx, rewindd on a fresh SQLite file.
// A bad release of api is deployed; Rewind must detect it, switch traffic back to the verified
// release, verify health, record everything, and stream the events in order.
#include "client/sync/syncrest.h"
#include "e2escenario.h"
#include "programs.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace rwd;

namespace {

// Bound documented in docs/architecture.md: from the bad deployment being recorded to traffic
// switched back. Typical runs take well under two seconds; the bound leaves room for a loaded CI
// machine while still failing if detection or the switch stops working.
constexpr qint64 kRestoreBoundMs = 30'000;

} // namespace

class TestRollbackEndToEnd : public QObject
{
    Q_OBJECT

private:
    testing::Scenario m_scenario;
    const drill::Scenario::Outcome &m_outcome = m_scenario.when().outcome();

private slots:
    // Given the sandbox, when the demo runs: a good release of api, then a faulty one.
    void initTestCase()
    {
        drill::ScenarioOptions options;
        options.loadRps = 50;
        options.badErrorRate = 0.2;
        QVERIFY2(m_scenario.given().theSandbox(options), m_scenario.failure());
        m_scenario.when().theDemoRuns();
    }

    void cleanupTestCase() { m_scenario.stop(); }

    void theBadReleaseIsRolledBack()
    {
        QVERIFY2(m_outcome.failure.isEmpty(), qPrintable(m_outcome.failure));
        QVERIFY(m_outcome.rolledBack);
        const auto &rollback = *m_outcome.rollback;
        QCOMPARE(rollback.state, PlanState::Succeeded);
        QCOMPARE(rollback.trigger.left(5), QStringLiteral("rule:"));
        QCOMPARE(rollback.targets.size(), 1);
        QCOMPARE(rollback.targets.first().service, QStringLiteral("api"));
        QCOMPARE(rollback.targets.first().fromVersion, QStringLiteral("v1.2"));
        QCOMPARE(rollback.targets.first().toVersion, QStringLiteral("v1.1"));
        QCOMPARE(rollback.steps.size(), 2);
        QCOMPARE(rollback.steps.at(0).kind, QStringLiteral("switch_traffic"));
        QCOMPARE(rollback.steps.at(1).kind, QStringLiteral("verify_health"));
        for (const auto &step : rollback.steps)
            QCOMPARE(step.state, StepState::Succeeded);
        QVERIFY(m_outcome.switchedMs - m_outcome.badDeployMs < kRestoreBoundMs);
    }

    void trafficThroughNginxRecovers()
    {
        // The bad release really hurt users (otherwise this test proves nothing)…
        QVERIFY2(m_outcome.duringBad.errors > 0,
                 qPrintable(QStringLiteral("no errors while v1.2 was live (%1 requests)")
                                .arg(m_outcome.duringBad.requests)));
        // …and after the switch, traffic through nginx is served by v1.1 with < 1 % errors.
        const auto &after = m_outcome.afterSwitch;
        QVERIFY2(after.requests >= 100, qPrintable(after.describe()));
        QVERIFY2(after.errorRate() < 0.01, qPrintable(after.describe()));
        QCOMPARE(after.byVersion.keys(), QStringList{QStringLiteral("v1.1")});
    }

    void historyIsInTheStore()
    {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("history"));
        db.setDatabaseName(QDir(m_scenario->workDir()).filePath(QStringLiteral("rewind.db")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT version, state, target FROM releases WHERE "
                                          "service = 'api' ORDER BY id")));
            QStringList rows;
            while (q.next())
                rows.append(q.value(0).toString() + u':' + q.value(1).toString() + u':' +
                            q.value(2).toString());
            // v1.0 was replaced before its verification period ended.
            QCOMPARE(rows, (QStringList{QStringLiteral("v1.0:superseded:blue"),
                                        QStringLiteral("v1.1:verified:green"),
                                        QStringLiteral("v1.2:rolled_back:blue")}));
            QVERIFY(
                q.exec(QStringLiteral("SELECT r.version FROM service_state s JOIN releases r "
                                      "ON r.id = s.current_release_id WHERE s.service = 'api'")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("v1.1"));
            QVERIFY(
                q.exec(QStringLiteral("SELECT state, trigger, created_at, finished_at, firing_id "
                                      "FROM rollbacks")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), QStringLiteral("succeeded"));
            QVERIFY(q.value(3).toLongLong() >= q.value(2).toLongLong());
            QVERIFY(!q.value(4).isNull());
            QVERIFY(!q.next());
            QVERIFY(q.exec(QStringLiteral("SELECT kind, state, started_at, finished_at FROM "
                                          "rollback_steps ORDER BY idx")));
            QStringList steps;
            while (q.next()) {
                steps.append(q.value(0).toString() + u':' + q.value(1).toString());
                QVERIFY(q.value(2).toLongLong() > 0);
                QVERIFY(q.value(3).toLongLong() >= q.value(2).toLongLong());
            }
            QCOMPARE(steps, (QStringList{QStringLiteral("switch_traffic:succeeded"),
                                         QStringLiteral("verify_health:succeeded")}));
            QVERIFY(q.exec(QStringLiteral("SELECT rule, service, values_json FROM firings")));
            QVERIFY(q.next());
            QCOMPARE(q.value(1).toString(), QStringLiteral("api"));
            QVERIFY(q.value(2).toString().contains(QStringLiteral("(health")));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("history"));
    }

    // A verdict belongs to one release: when traffic moved back, the rule that fired against
    // v1.2 resolved at once (the release it judged was gone), not once v1.2's failures aged out
    // of its window; the service is healthy and judged on v1.1's samples only.
    void theRestoredReleaseIsJudgedOnItsOwnSamples()
    {
        auto &events = m_scenario->events();
        const auto *resolved = events.find(
            QString::fromLatin1(protocol::event::RuleResolved), [](const protocol::Event &e) {
                return e.data.value(QLatin1String("service")).toString() == u"api" &&
                       e.data.value(QLatin1String("reason"))
                           .toString()
                           .contains(QStringLiteral("rollback"));
            });
        QVERIFY(resolved);
        // Resolved when the traffic switched, before the 5 s window could have emptied.
        QVERIFY2(resolved->event.timeMs - m_outcome.switchedMs < 2000,
                 qPrintable(QString::number(resolved->event.timeMs - m_outcome.switchedMs)));
        protocol::ServiceStatus api;
        QVERIFY(drill::waitUntil(
            [&] {
                const auto r = client::callAndWait(m_scenario->rewind(), "GET",
                                                   QStringLiteral("/api/v1/status"));
                for (const auto &v : r.body.object().value(QLatin1String("services")).toArray()) {
                    const auto s = protocol::ServiceStatus::fromJson(v.toObject());
                    if (s.name == u"api")
                        api = s;
                }
                return api.health == Health::Healthy;
            },
            10'000));
        QVERIFY(api.firings.isEmpty());
        QCOMPARE(api.current->version, QStringLiteral("v1.1"));
    }

    void eventsArrivedInOrder()
    {
        auto &events = m_scenario->events();
        QVERIFY(events.sequenceIsContiguous());
        namespace ev = protocol::event;
        // Positions of the milestones, each after the previous one.
        const auto isBadDeploy = [](const protocol::Event &e) {
            return e.data.value(QLatin1String("version")).toString() == u"v1.2";
        };
        const auto step = [](const char *kind) {
            return [kind](const protocol::Event &e) {
                return e.data.value(QLatin1String("step"))
                           .toObject()
                           .value(QLatin1String("kind"))
                           .toString() == QLatin1String(kind);
            };
        };
        const QList<QPair<const char *, std::function<bool(const protocol::Event &)>>> milestones{
            {ev::DeploymentRecorded, isBadDeploy},
            {ev::RuleFired, {}},
            {ev::RollbackStarted, {}},
            {ev::StepStarted, step("switch_traffic")},
            {ev::StepFinished, step("switch_traffic")},
            {ev::StepStarted, step("verify_health")},
            {ev::StepFinished, step("verify_health")},
            {ev::RollbackFinished, {}},
        };
        std::size_t from = 0;
        qint64 lastSeq = 0;
        for (const auto &[type, match] : milestones) {
            const auto *found = events.find(QLatin1String(type), match, from);
            QVERIFY2(found, type);
            QVERIFY(found->event.seq > lastSeq);
            lastSeq = found->event.seq;
            from = std::size_t(found - events.events().data()) + 1;
        }
    }

    void rewindctlShowsTheSameOverRest()
    {
        const QString tokenFile = m_scenario->tokenFile();
        const auto rewindctl = testing::binary(QStringLiteral("rewindctl"));
        const auto ctl = testing::runProgram(
            rewindctl, {QStringLiteral("--server"), m_scenario->rewindUrl().toString(),
                        QStringLiteral("--token-file"), tokenFile, QStringLiteral("status")});
        QCOMPARE(ctl.exitCode, 0);
        const auto &out = ctl.out;
        const auto apiLine = out.split(u'\n').filter(QRegularExpression(QStringLiteral("^api ")));
        QCOMPARE(apiLine.size(), 1);
        QVERIFY2(apiLine.first().contains(QStringLiteral("v1.1@green (verified)")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("succeeded")) &&
                     out.contains(QStringLiteral("api v1.2 -> v1.1")),
                 qPrintable(out));

        const auto json = testing::runProgram(
            rewindctl, {QStringLiteral("--server"), m_scenario->rewindUrl().toString(),
                        QStringLiteral("--token-file"), tokenFile, QStringLiteral("--json"),
                        QStringLiteral("status")});
        QCOMPARE(json.exitCode, 0);
        const auto doc = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(doc.value(QLatin1String("rollbacks")).toArray().size(), 1);

        // Without a token the server refuses, and says why.
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("REWIND_TOKEN"));
        env.insert(QStringLiteral("REWIND_TOKEN_FILE"), tokenFile + QStringLiteral(".missing"));
        const auto anonymous =
            testing::runProgram(rewindctl,
                                {QStringLiteral("--server"), m_scenario->rewindUrl().toString(),
                                 QStringLiteral("status")},
                                {.environment = env});
        QCOMPARE(anonymous.exitCode, 1);
        QVERIFY(anonymous.err.contains(QStringLiteral("unauthenticated")));

        const auto unreachable = testing::runProgram(
            rewindctl, {QStringLiteral("--server"), QStringLiteral("http://127.0.0.1:1"),
                        QStringLiteral("status")});
        QCOMPARE(unreachable.exitCode, 3);
    }
};

QTEST_GUILESS_MAIN(TestRollbackEndToEnd)
#include "tst_rollback.moc"
