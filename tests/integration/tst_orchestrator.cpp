// The orchestrator on its own: plans in reverse dependency order with independent targets in
// parallel, rollback classes, dry runs, retries with backoff, halting and compensation,
// escalation, the attempts limit, deployment freezes, resuming after a crash, gradual shifts and
// rolling batches. Executors are scripted fakes (the real ones have their own tests); the store
// is a real SQLite file and time is a ManualClock, so nothing here sleeps.
#include "common/clock.h"
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "events/eventhub.h"
#include "executors/executor.h"
#include "http/client.h"
#include "http/urlprober.h"
#include "monitor/metricstore.h"
#include "orchestrator/orchestrator.h"
#include "processes.h"
#include "releases/releasetracker.h"
#include "results.h"
#include "store/store.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <deque>

using namespace rwd;
using executors::ActionResult;

namespace {

// An executor whose answers the test decides: `script` returns the answer to an action (given
// asynchronously, as real executors do), or nothing to hold it until answer() is called.
class FakeExecutor final : public executors::Executor
{
public:
    struct Call
    {
        QString action;
        QJsonObject params;
        Done done;
        bool answered = false;
    };
    using Script = std::function<std::optional<ActionResult>(const Call &)>;

    FakeExecutor(QStringList actions, bool idempotent)
        : m_actions(std::move(actions))
        , m_idempotent(idempotent)
    {}

    [[nodiscard]] QStringList actions() const override { return m_actions; }
    [[nodiscard]] bool idempotent(const QString &) const override { return m_idempotent; }
    void execute(const QString &action, const QJsonObject &params, Done done) override
    {
        calls.push_back({action, params, std::move(done), false});
        const auto index = calls.size() - 1;
        if (!script)
            return;
        if (auto answer = script(calls.back()))
            QTimer::singleShot(0, &m_context, [this, index, r = *answer] { reply(index, r); });
    }
    void reply(std::size_t index, const ActionResult &result)
    {
        auto &call = calls.at(index);
        if (call.answered)
            return;
        call.answered = true;
        call.done(result);
    }
    [[nodiscard]] QStringList actionsCalled() const
    {
        QStringList out;
        for (const auto &c : calls)
            out.append(c.action + u':' +
                       c.params.value(QLatin1String("vars"))
                           .toObject()
                           .value(QLatin1String("service"))
                           .toString());
        return out;
    }

    Script script = [](const Call &) {
        return ActionResult{true, false, QStringLiteral("done"), {}, {}};
    };
    std::deque<Call> calls;

private:
    QStringList m_actions;
    bool m_idempotent;
    QObject m_context;
};

ActionResult ok(const QString &message = QStringLiteral("done"))
{
    return {true, false, message, {}, {}};
}
ActionResult failure(bool retryable, const QString &message)
{
    return {false, retryable, message, {}, {}};
}

const QByteArray kConfig = R"yaml(
server: {listen: "127.0.0.1:0", store: "sqlite:rewind.db"}
environments:
  staging: {auto_rollback: true, verify_after: 1s, freeze_after_rollback: 10m}
  production: {verify_after: 1s, approval: {required: true, approvals: 1, roles: [approver], expires: 30m}}
rollback:
  max_attempts_per_release: 2
  retry: {attempts: 3, backoff: 1s, max_backoff: 30s}
  classes:
    gradual: {shifts: [25, 50], watch: 10s}
services:
  - {name: db, environment: staging, kind: database, strategy: {type: redeploy, executor: deployer}}
  - {name: api, environment: staging, depends_on: [db], strategy: {type: redeploy, executor: deployer}}
  - {name: web, environment: staging, kind: frontend, depends_on: [api], strategy: {type: redeploy, executor: deployer}}
  - {name: worker, environment: staging, kind: worker, depends_on: [db], strategy: {type: redeploy, executor: deployer}}
  - {name: solo, environment: staging, strategy: {type: redeploy, executor: deployer}}
  - {name: vault, environment: production, strategy: {type: redeploy, executor: deployer}}
  - {name: tidy, environment: staging, strategy: {type: blue_green, executor: switcher, keep_failed: false, retire_executor: retirer}}
  - name: shop
    environment: staging
    checks: [{name: health, type: signal, fields: {errors: counter}}]
    strategy: {type: blue_green, executor: switcher}
  - name: orders
    environment: staging
    kind: database
    strategy:
      type: database
      executor: dbexec
      migrate: {executor: migrator}
      integrity: {tables: [{name: orders, key: id}], query: "SELECT 1"}
  - name: pool
    environment: staging
    strategy:
      type: rolling
      executor: deployer
      action: redeploy
      instances: {i1: "127.0.0.1:1", i2: "127.0.0.1:1", i3: "127.0.0.1:1"}
      batch_size: 2
      pause: 5s
      health_gate: {url: "GATE/health/{{instance}}", consecutive: 2, interval: 100ms, timeout: 3s}
rules:
  - {name: errors, when: "consecutive_failures(health) >= 3", action: rollback}
executors:
  deployer: {type: command, actions: {redeploy: {argv: ["true"]}}}
  switcher: {type: command, actions: {switch_traffic: {argv: ["true"]}, set_weights: {argv: ["true"]}}}
  dbexec: {type: command, actions: {snapshot: {argv: ["true"]}, integrity_check: {argv: ["true"]}, restore_snapshot: {argv: ["true"]}}}
  migrator: {type: command, actions: {migrate_down: {argv: ["true"]}}}
  retirer: {type: command, actions: {retire: {argv: ["true"]}}}
)yaml";

} // namespace

class TestOrchestrator : public QObject
{
    Q_OBJECT

private:
    // Everything the orchestrator works with, built fresh for each test.
    struct World
    {
        QTemporaryDir dir;
        ManualClock clock;
        std::unique_ptr<config::Config> config;
        std::unique_ptr<store::Store> store;
        std::unique_ptr<events::EventHub> events;
        std::unique_ptr<releases::ReleaseTracker> releases;
        monitor::MetricStore metrics;
        std::map<QString, std::unique_ptr<FakeExecutor>> executors;
        std::vector<std::unique_ptr<orchestrator::Strategy>> strategies;
        std::unique_ptr<orchestrator::Orchestrator> orchestrator;
        std::vector<protocol::Event> seen;
        std::unique_ptr<http::Client> http;
        std::unique_ptr<http::UrlProber> prober; // over `http`

        FakeExecutor &executor(const QString &name) { return *executors.at(name); }

        [[nodiscard]] static QStringList stepKinds(const protocol::RollbackInfo &r)
        {
            QStringList out;
            for (const auto &s : r.steps)
                out.append(s.kind + u':' + wireName(s.state));
            return out;
        }

        void buildOrchestrator()
        {
            orchestrator.reset();
            orchestrator::Orchestrator::Parts parts;
            parts.config = config.get();
            parts.store = store.get();
            parts.events = events.get();
            parts.releases = releases.get();
            parts.metrics = &metrics;
            parts.prober = prober.get();
            parts.clock = &clock;
            for (const auto &[name, ex] : executors)
                parts.executors.insert(name, ex.get());
            const auto registry = orchestrator::builtinStrategies();
            strategies.clear();
            config::Diagnostics diagnostics;
            for (const auto &s : config->services) {
                auto strategy = registry.create(s.strategy->type, s.strategy->node, s.name,
                                                diagnostics, *s.strategy, s, *config);
                parts.strategies.insert(s.name, strategy.get());
                strategies.push_back(std::move(strategy));
            }
            orchestrator = std::make_unique<orchestrator::Orchestrator>(std::move(parts));
        }

        // A verdict that verifies: these tests are about rollbacks, not verification
        // (tst_verification judges that).
        static protocol::VerificationInfo verified(const protocol::ReleaseInfo &release)
        {
            protocol::VerificationInfo v;
            v.state = QStringLiteral("verified");
            v.final = true;
            v.releaseId = release.id;
            return v;
        }

        // For each service, a verified release v1 and a newer live one v2 (none of the v2s old
        // enough to be verified).
        void releaseTrains(const QStringList &services)
        {
            for (const auto &s : services)
                QVERIFY(
                    releases
                        ->record(
                            {s, QStringLiteral("v1"), {}, QStringLiteral("blue"), {}, {}, {}, {}})
                        .ok());
            clock.advance(2000);
            releases->verifyDue(verified);
            for (const auto &s : services)
                QVERIFY(
                    releases
                        ->record(
                            {s, QStringLiteral("v2"), {}, QStringLiteral("green"), {}, {}, {}, {}})
                        .ok());
        }

        // A verified release and a newer live one of `service`.
        void releaseTrain(const QString &service, const QString &good, const QString &bad,
                          const QString &goodTarget = QStringLiteral("blue"),
                          const QString &badTarget = QStringLiteral("green"))
        {
            const auto first = releases->record(
                {service, good, QStringLiteral("img:") + good, goodTarget, {}, {}, {}, {}});
            QVERIFY(first.ok());
            clock.advance(2000);
            releases->verifyDue(verified);
            QCOMPARE(releases->current(service)->state, ReleaseState::Verified);
            const auto second = releases->record(
                {service, bad, QStringLiteral("img:") + bad, badTarget, {}, {}, {}, {}});
            QVERIFY(second.ok());
        }
    };

    std::unique_ptr<World> m_world;

    World &world() { return *m_world; }

    // Runs the event loop until the rollback `id` is no longer active, moving the clock by
    // `stepMs` each turn so that retries, pauses and timeouts come due.
    bool runToEnd(qint64 id, qint64 stepMs = 100, int turns = 2000)
    {
        auto &w = world();
        for (int i = 0; i < turns; ++i) {
            bool active = false;
            for (const auto &r : w.orchestrator->active())
                active = active || r.id == id;
            if (!active)
                return true;
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            w.clock.advance(stepMs);
            w.orchestrator->tick();
        }
        return false;
    }

    protocol::RollbackInfo requestOk(const orchestrator::RollbackRequest &request)
    {
        auto result = world().orchestrator->request(request);
        if (!result) {
            qWarning("request refused: %s: %s", qPrintable(result.error().code),
                     qPrintable(result.error().message));
            return {};
        }
        return *result;
    }

    static orchestrator::RollbackRequest manual(QStringList services,
                                                const QString &cls = QStringLiteral("fast"))
    {
        orchestrator::RollbackRequest r;
        r.services = std::move(services);
        r.reason = QStringLiteral("test");
        r.requestedBy = QStringLiteral("tester");
        r.trigger = QStringLiteral("manual");
        r.rollbackClass = cls;
        return r;
    }

    // The world again on kConfig with more environments and services (YAML lines added at the
    // top of those sections) and the retry policy `retry`, if given.
    void reconfigure(const QByteArray &environments, const QByteArray &services,
                     const QByteArray &retry = {})
    {
        auto &w = world();
        QByteArray yaml = QByteArray(kConfig).replace("GATE", "http://127.0.0.1:1");
        yaml.replace("\nenvironments:\n", "\nenvironments:\n" + environments);
        yaml.replace("\nservices:\n", "\nservices:\n" + services);
        if (!retry.isEmpty())
            yaml.replace("  retry: {attempts: 3, backoff: 1s, max_backoff: 30s}\n", retry);
        const daemon::Registries registries;
        auto loaded = config::loadConfigText(yaml, w.dir.filePath(QStringLiteral("rewind.yaml")),
                                             daemon::catalogOf(registries));
        QVERIFY2(loaded.ok(), qPrintable(loaded.diagnostics.format()));
        w.config = std::make_unique<config::Config>(std::move(*loaded.config));
        w.releases = std::make_unique<releases::ReleaseTracker>(*w.config, w.store->releases(),
                                                                *w.events, w.clock);
        w.buildOrchestrator();
    }

    // A rule with `action: rollback` as the loader makes it.
    static config::RuleConfig rollbackRule(const QString &name = QStringLiteral("errors"),
                                           const QStringList &rollbackServices = {})
    {
        config::RuleConfig rule;
        rule.name = name;
        rule.when = QStringLiteral("error_rate(health, 1m) > 5%");
        rule.severity = QStringLiteral("critical");
        rule.action = QStringLiteral("rollback");
        rule.rollbackServices = rollbackServices;
        return rule;
    }

    static protocol::FiringInfo firingOf(const QString &rule, const QString &service)
    {
        protocol::FiringInfo f;
        f.rule = rule;
        f.service = service;
        return f;
    }

    // The data of every event of `type` seen so far.
    [[nodiscard]] QList<QJsonObject> eventsOf(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const auto &e : m_world->seen)
            if (e.type == type)
                out.append(e.data);
        return out;
    }

    [[nodiscard]] QStringList eventTypes() const
    {
        QStringList out;
        for (const auto &e : m_world->seen)
            out.append(e.type);
        return out;
    }

private slots:
    void init()
    {
        m_world = std::make_unique<World>();
        auto &w = world();
        const daemon::Registries registries;
        auto loaded = config::loadConfigText(
            QByteArray(kConfig).replace("GATE", "http://127.0.0.1:1"),
            w.dir.filePath(QStringLiteral("rewind.yaml")), daemon::catalogOf(registries));
        QVERIFY2(loaded.ok(), qPrintable(loaded.diagnostics.format()));
        w.config = std::make_unique<config::Config>(std::move(*loaded.config));
        auto opened = store::Store::open(QStringLiteral("sqlite:") +
                                         w.dir.filePath(QStringLiteral("rewind.db")));
        QVERIFY2(opened, qPrintable(testing::why(opened)));
        w.store = *std::move(opened);
        w.events = std::make_unique<events::EventHub>(w.clock, 4096);
        connect(w.events.get(), &events::EventHub::published, this,
                [this](const protocol::Event &e) { m_world->seen.push_back(e); });
        w.releases = std::make_unique<releases::ReleaseTracker>(*w.config, w.store->releases(),
                                                                *w.events, w.clock);
        w.metrics.declare(QStringLiteral("shop"), QStringLiteral("health"),
                          {{QStringLiteral("latency"), rules::Dimension::Time, false, false}},
                          true);
        w.executors.emplace(
            QStringLiteral("deployer"),
            std::make_unique<FakeExecutor>(QStringList{QStringLiteral("redeploy")}, true));
        w.executors.emplace(
            QStringLiteral("switcher"),
            std::make_unique<FakeExecutor>(
                QStringList{QStringLiteral("switch_traffic"), QStringLiteral("set_weights")},
                true));
        w.executors.emplace(
            QStringLiteral("dbexec"),
            std::make_unique<FakeExecutor>(QStringList{QStringLiteral("snapshot"),
                                                       QStringLiteral("integrity_check"),
                                                       QStringLiteral("restore_snapshot")},
                                           true));
        w.executors.emplace(
            QStringLiteral("migrator"),
            std::make_unique<FakeExecutor>(QStringList{QStringLiteral("migrate_down")}, false));
        w.executors.emplace(
            QStringLiteral("retirer"),
            std::make_unique<FakeExecutor>(QStringList{QStringLiteral("retire")}, true));
        w.http = std::make_unique<http::Client>();
        w.prober = std::make_unique<http::UrlProber>(*w.http);
        w.buildOrchestrator();
    }

    void cleanup() { m_world.reset(); }

    // web -> api -> db: an immediate rollback of api takes the release train along (db and web,
    // whose releases are not verified yet) but not worker (verified) nor solo (unrelated); web
    // goes first, then api, then db.
    void immediatePlansTheTrainInReverseDependencyOrder()
    {
        auto &w = world();
        const auto first = w.releases->record(
            {QStringLiteral("worker"), QStringLiteral("w1"), {}, {}, {}, {}, {}, {}});
        QVERIFY(first.ok());
        w.releaseTrains({QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("web")});

        auto request = manual({QStringLiteral("api")}, QStringLiteral("immediate"));
        request.dryRun = true;
        const auto plan = requestOk(request);
        QVERIFY(plan.dryRun);
        QCOMPARE(plan.id, qint64(0));
        QCOMPARE(plan.rollbackClass, QStringLiteral("immediate"));
        QStringList targets;
        for (const auto &t : plan.targets)
            targets.append(t.service + u'<' + t.after.join(u','));
        QCOMPARE(targets, (QStringList{QStringLiteral("web<"), QStringLiteral("api<web"),
                                       QStringLiteral("db<api,web")}));
        // Steps: redeploy + verify per target; api's redeploy waits for web's verify, db's for
        // api's (and web's) verify.
        QCOMPARE(plan.steps.size(), 6);
        QCOMPARE(plan.steps.at(0).service, QStringLiteral("web"));
        QCOMPARE(plan.steps.at(2).service, QStringLiteral("api"));
        QCOMPARE(plan.steps.at(2).after, QList<int>{1});
        QCOMPARE(plan.steps.at(4).service, QStringLiteral("db"));
        QCOMPARE(plan.steps.at(4).after, (QList<int>{3, 1}));
        // The immediate class's tight step timeout travels with every executor step.
        QVERIFY(w.store->rollbacks().list(10).isEmpty()); // a dry run stores nothing

        const auto fast = requestOk([&] {
            auto r = manual({QStringLiteral("api")});
            r.dryRun = true;
            return r;
        }());
        QCOMPARE(fast.targets.size(), 1);

        // Run it for real: the executor sees web, then api, then db.
        const auto run = requestOk(manual({QStringLiteral("api")}, QStringLiteral("immediate")));
        QVERIFY(run.id > 0);
        QVERIFY(runToEnd(run.id));
        QCOMPARE(w.executor(QStringLiteral("deployer")).actionsCalled(),
                 (QStringList{QStringLiteral("redeploy:web"), QStringLiteral("redeploy:api"),
                              QStringLiteral("redeploy:db")}));
        QCOMPARE(w.executor(QStringLiteral("deployer"))
                     .calls.at(0)
                     .params.value(QLatin1String("timeout_ms"))
                     .toInteger(),
                 qint64(30'000));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Succeeded);
        for (const auto &t : stored->targets)
            QCOMPARE(w.releases->current(t.service)->version, QStringLiteral("v1"));
        QCOMPARE(w.releases->current(QStringLiteral("worker"))->version, QStringLiteral("w1"));
    }

    // Targets that do not depend on each other run at the same time.
    void independentTargetsRunInParallel()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        w.releaseTrain(QStringLiteral("worker"), QStringLiteral("v1"), QStringLiteral("v2"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [](const FakeExecutor::Call &) { return std::optional<ActionResult>(); };
        const auto run = requestOk(manual({QStringLiteral("solo"), QStringLiteral("worker")}));
        QVERIFY(run.id > 0);
        QCoreApplication::processEvents();
        // Both redeploys are running before either has answered.
        QCOMPARE(deployer.calls.size(), std::size_t(2));
        deployer.reply(1, ok());
        deployer.reply(0, ok());
        QVERIFY(runToEnd(run.id));
        QCOMPARE(w.store->rollbacks().find(run.id)->state, PlanState::Succeeded);
    }

    // A failure worth retrying is retried after 1 s, then 2 s; every attempt is journaled.
    void retriesRecoverableFailuresWithBackoff()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        int calls = 0;
        QList<qint64> callTimes;
        deployer.script = [&](const FakeExecutor::Call &) {
            callTimes.append(w.clock.nowMs());
            return ++calls < 3 ? failure(true, QStringLiteral("connection refused")) : ok();
        };
        const auto run = requestOk(manual({QStringLiteral("solo")}));
        QVERIFY(runToEnd(run.id, 50));
        QCOMPARE(calls, 3);
        QVERIFY(callTimes.at(1) - callTimes.at(0) >= 1000);
        QVERIFY(callTimes.at(2) - callTimes.at(1) >= 2000);
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Succeeded);
        QCOMPARE(stored->steps.at(0).attempts, 3);
        const auto attempts = w.store->rollbacks().attempts(run.id);
        QStringList outcomes;
        for (const auto &a : attempts)
            if (a.stepId == stored->steps.at(0).id)
                outcomes.append(a.outcome);
        QCOMPARE(outcomes, (QStringList{QStringLiteral("failed"), QStringLiteral("failed"),
                                        QStringLiteral("succeeded")}));
        QCOMPARE(eventTypes().count(QStringLiteral("rollback_step_retrying")), 2);
    }

    // A definite failure halts the plan: nothing else starts, the plan fails and escalates, and
    // the incident says so.
    void aDefiniteFailureHaltsAndEscalates()
    {
        auto &w = world();
        w.releaseTrains({QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("web")});
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [](const FakeExecutor::Call &c) {
            const auto service = c.params.value(QLatin1String("vars"))
                                     .toObject()
                                     .value(QLatin1String("service"))
                                     .toString();
            return service == u"api" ? failure(false, QStringLiteral("image not found")) : ok();
        };
        const auto run = requestOk(manual({QStringLiteral("api")}, QStringLiteral("immediate")));
        QVERIFY(runToEnd(run.id));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Failed);
        QVERIFY2(stored->message.contains(QStringLiteral("image not found")),
                 qPrintable(stored->message));
        QCOMPARE(deployer.actionsCalled(),
                 (QStringList{QStringLiteral("redeploy:web"), QStringLiteral("redeploy:api")}));
        QStringList states;
        for (const auto &s : stored->steps)
            states.append(s.service + u':' + wireName(s.state));
        QCOMPARE(states,
                 (QStringList{QStringLiteral("web:succeeded"), QStringLiteral("web:succeeded"),
                              QStringLiteral("api:failed"), QStringLiteral("api:skipped"),
                              QStringLiteral("db:skipped"), QStringLiteral("db:skipped")}));
        QVERIFY(eventTypes().contains(QStringLiteral("rollback_escalated")));
        const auto incident = w.store->incidents().find(stored->incidentId);
        QVERIFY(incident);
        QVERIFY(incident->rollbacks.contains(run.id));
        bool escalated = false;
        for (const auto &n : incident->notes)
            escalated =
                escalated || (n.kind == u"escalation" && n.text.contains(QStringLiteral("failed")));
        QVERIFY(escalated);
        // web was rolled back, api was not.
        QCOMPARE(w.releases->current(QStringLiteral("web"))->version, QStringLiteral("v1"));
        QCOMPARE(w.releases->current(QStringLiteral("api"))->version, QStringLiteral("v2"));
    }

    // Database: migrating down fails, so the snapshot taken first is restored and the plan needs
    // attention; the snapshot's name, fixed at plan time, reaches every step with the plan's id.
    void aFailedMigrationRestoresTheSnapshot()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("orders"), QStringLiteral("2"), QStringLiteral("3"));
        w.executor(QStringLiteral("migrator")).script = [](const FakeExecutor::Call &) {
            return failure(false, QStringLiteral("exit 1: column in use"));
        };
        const auto run = requestOk(manual({QStringLiteral("orders")}));
        QVERIFY(runToEnd(run.id));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::NeedsAttention);
        QStringList kinds;
        for (const auto &s : stored->steps)
            kinds.append(s.kind + u':' + wireName(s.state));
        QCOMPARE(kinds, (QStringList{QStringLiteral("snapshot:succeeded"),
                                     QStringLiteral("migrate_down:failed"),
                                     QStringLiteral("integrity_check:skipped"),
                                     QStringLiteral("verify_health:skipped"),
                                     QStringLiteral("restore_snapshot:succeeded")}));
        const QString expected = QStringLiteral("orders-rollback-%1").arg(run.id);
        for (const auto &c : w.executor(QStringLiteral("dbexec")).calls)
            QCOMPARE(c.params.value(QLatin1String("vars"))
                         .toObject()
                         .value(QLatin1String("snapshot"))
                         .toString(),
                     expected);
        QCOMPARE(w.executor(QStringLiteral("dbexec")).actionsCalled().size(), 2);
        // The release was not moved: the database is where it was before the plan.
        QCOMPARE(w.releases->current(QStringLiteral("orders"))->version, QStringLiteral("3"));
    }

    // When everything works, the restore is not needed and is skipped.
    void aSuccessfulDatabaseRollbackSkipsTheRestore()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("orders"), QStringLiteral("2"), QStringLiteral("3"));
        const auto run = requestOk(manual({QStringLiteral("orders")}));
        QVERIFY(runToEnd(run.id));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Succeeded);
        QCOMPARE(stored->steps.last().kind, QStringLiteral("restore_snapshot"));
        QCOMPARE(stored->steps.last().state, StepState::Skipped);
        QCOMPARE(w.releases->current(QStringLiteral("orders"))->version, QStringLiteral("2"));
    }

    // At most max_attempts_per_release automatic rollbacks of one release; people may still ask.
    void automaticRollbacksOfOneReleaseAreCapped()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        w.executor(QStringLiteral("deployer")).script = [](const FakeExecutor::Call &) {
            return failure(false, QStringLiteral("refused"));
        };
        auto automatic = manual({QStringLiteral("solo")});
        automatic.trigger = QStringLiteral("rule:errors");
        for (int i = 0; i < 2; ++i) {
            const auto run = requestOk(automatic);
            QVERIFY(run.id > 0);
            QVERIFY(runToEnd(run.id));
        }
        const auto third = w.orchestrator->request(automatic);
        QVERIFY(!third);
        QCOMPARE(third.error().code, QStringLiteral("max_attempts_reached"));
        QVERIFY(third.error().message.contains(QStringLiteral("solo v2")));
        // A person acts: allowed.
        w.executor(QStringLiteral("deployer")).script = [](const FakeExecutor::Call &) {
            return ok();
        };
        const auto byHand = requestOk(manual({QStringLiteral("solo")}));
        QVERIFY(byHand.id > 0);
        QVERIFY(runToEnd(byHand.id));
        QCOMPARE(w.store->rollbacks().find(byHand.id)->state, PlanState::Succeeded);
    }

    // Deployments are frozen while the rollback runs and for freeze_after_rollback after it.
    void freezesDuringAndAfterARollback()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [](const FakeExecutor::Call &) { return std::optional<ActionResult>(); };
        QVERIFY(!w.orchestrator->freezeOf(QStringLiteral("solo")));
        const auto run = requestOk(manual({QStringLiteral("solo")}));
        const auto during = w.orchestrator->freezeOf(QStringLiteral("solo"));
        QVERIFY(during);
        QCOMPARE(during->untilMs, qint64(0));
        QCOMPARE(during->rollbackId, run.id);
        deployer.reply(0, ok());
        QVERIFY(runToEnd(run.id));
        const qint64 finished = w.clock.nowMs();
        const auto after = w.orchestrator->freezeOf(QStringLiteral("solo"));
        QVERIFY(after);
        QVERIFY(after->untilMs >= finished + 10 * 60'000 - 1000);
        QVERIFY(eventTypes().contains(QStringLiteral("freeze_started")));
        w.clock.advance(10 * 60'000 + 1000);
        QVERIFY(!w.orchestrator->freezeOf(QStringLiteral("solo")));
        QVERIFY(!w.orchestrator->freezeOf(QStringLiteral("worker")));
    }

    // rewindd dies during a step: on restart an idempotent step runs again and the plan goes on;
    // a non-idempotent one is not run again and the plan needs attention.
    void resumesAfterACrash()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        w.releaseTrain(QStringLiteral("orders"), QStringLiteral("2"), QStringLiteral("3"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        auto &migrator = w.executor(QStringLiteral("migrator"));
        deployer.script = [](const FakeExecutor::Call &) { return std::optional<ActionResult>(); };
        migrator.script = [](const FakeExecutor::Call &) { return std::optional<ActionResult>(); };
        const auto idempotent = requestOk(manual({QStringLiteral("solo")}));
        const auto notIdempotent = requestOk(manual({QStringLiteral("orders")}));
        QVERIFY(drill::waitUntil([&] { return !migrator.calls.empty(); }, 5000));
        QCOMPARE(w.store->rollbacks().find(notIdempotent.id)->steps.at(1).state,
                 StepState::Running);
        // The crash: everything in memory is gone, the store stays.
        w.orchestrator.reset();
        deployer.calls.clear();
        migrator.calls.clear();
        deployer.script = [](const FakeExecutor::Call &) { return ok(); };
        w.buildOrchestrator();
        QCOMPARE(w.orchestrator->resume(), 2);
        QVERIFY(runToEnd(idempotent.id));
        QVERIFY(runToEnd(notIdempotent.id));
        QCOMPARE(w.store->rollbacks().find(idempotent.id)->state, PlanState::Succeeded);
        QCOMPARE(deployer.calls.size(), std::size_t(1)); // the interrupted redeploy, run again
        const auto stuck = w.store->rollbacks().find(notIdempotent.id);
        QCOMPARE(stuck->state, PlanState::NeedsAttention);
        QVERIFY2(stuck->message.contains(QStringLiteral("migrate_down")),
                 qPrintable(stuck->message));
        QVERIFY(migrator.calls.empty());                         // never run twice
        QCOMPARE(stuck->steps.last().state, StepState::Skipped); // no automatic restore either
        QStringList outcomes;
        for (const auto &a : w.store->rollbacks().attempts(notIdempotent.id))
            outcomes.append(a.outcome);
        QCOMPARE(outcomes,
                 (QStringList{QStringLiteral("succeeded"), QStringLiteral("interrupted")}));
    }

    // Gradual blue-green: 25 % back, watch; no improvement, so the 50 % shift is skipped and all
    // traffic goes back at once.
    void gradualShiftsSkipAheadWithoutImprovement()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("shop"), QStringLiteral("v1"), QStringLiteral("v2"));
        // The service fails half its probes, before and during the watch.
        bool toggle = false;
        const auto feed = [&] {
            monitor::Sample s;
            s.timeMs = w.clock.nowMs();
            s.ok = (toggle = !toggle);
            w.metrics.append(QStringLiteral("shop"), QStringLiteral("health"), s);
        };
        for (int i = 0; i < 20; ++i) {
            w.clock.advance(500);
            feed();
        }
        const auto run = requestOk(manual({QStringLiteral("shop")}, QStringLiteral("gradual")));
        QStringList planned;
        for (const auto &s : run.steps)
            planned.append(s.kind);
        QCOMPARE(planned,
                 (QStringList{QStringLiteral("set_weights"), QStringLiteral("watch"),
                              QStringLiteral("set_weights"), QStringLiteral("watch"),
                              QStringLiteral("switch_traffic"), QStringLiteral("verify_health")}));
        for (int i = 0; i < 400 && !w.orchestrator->active().isEmpty(); ++i) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            w.clock.advance(100);
            // Healthy once all traffic is back: the switch is the third executor call.
            if (w.executor(QStringLiteral("switcher")).calls.size() >= 2) {
                monitor::Sample s;
                s.timeMs = w.clock.nowMs();
                s.ok = true;
                w.metrics.append(QStringLiteral("shop"), QStringLiteral("health"), s);
            } else if (i % 5 == 0) {
                feed();
            }
            w.orchestrator->tick();
        }
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Succeeded);
        QStringList states;
        for (const auto &s : stored->steps)
            states.append(wireName(s.state));
        QCOMPARE(states, (QStringList{QStringLiteral("succeeded"), QStringLiteral("succeeded"),
                                      QStringLiteral("skipped"), QStringLiteral("skipped"),
                                      QStringLiteral("succeeded"), QStringLiteral("succeeded")}));
        QVERIFY2(stored->steps.at(1).message.startsWith(QStringLiteral("no improvement")),
                 qPrintable(stored->steps.at(1).message));
        const auto &first = w.executor(QStringLiteral("switcher")).calls.at(0);
        QCOMPARE(first.action, QStringLiteral("set_weights"));
        QCOMPARE(first.params.value(QLatin1String("weights")).toObject(),
                 (QJsonObject{{"blue", 25}, {"green", 75}}));
    }

    // Rolling: batches of two, the second waits for the first's health gate (real HTTP probes of
    // each instance) and a pause; a batch whose instance stays unhealthy halts the plan.
    void rollingBatchesAreGatedAndHaltOnFailure()
    {
        auto &w = world();
        QHttpServer server;
        QSet<QString> unhealthy;
        server.route(QStringLiteral("/health/<arg>"), [&unhealthy](const QString &instance) {
            return QHttpServerResponse(unhealthy.contains(instance)
                                           ? QHttpServerResponder::StatusCode::ServiceUnavailable
                                           : QHttpServerResponder::StatusCode::Ok);
        });
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port > 0);
        // The gate URL names the test server.
        QByteArray yaml = kConfig;
        yaml.replace("GATE", QByteArray("http://127.0.0.1:") + QByteArray::number(port));
        const daemon::Registries registries;
        auto reloaded = config::loadConfigText(yaml, w.dir.filePath(QStringLiteral("rewind.yaml")),
                                               daemon::catalogOf(registries));
        QVERIFY(reloaded.ok());
        w.config = std::make_unique<config::Config>(std::move(*reloaded.config));
        w.releases = std::make_unique<releases::ReleaseTracker>(*w.config, w.store->releases(),
                                                                *w.events, w.clock);
        w.buildOrchestrator();
        w.releaseTrain(QStringLiteral("pool"), QStringLiteral("v1"), QStringLiteral("v2"));

        const auto run = requestOk(manual({QStringLiteral("pool")}));
        QStringList planned;
        for (const auto &s : run.steps)
            planned.append(s.kind);
        QCOMPARE(planned,
                 (QStringList{QStringLiteral("redeploy"), QStringLiteral("redeploy"),
                              QStringLiteral("verify_instances"), QStringLiteral("pause"),
                              QStringLiteral("redeploy"), QStringLiteral("verify_instances"),
                              QStringLiteral("verify_health")}));
        QCOMPARE(run.steps.at(2).after, (QList<int>{0, 1}));
        QCOMPARE(run.steps.at(4).after, QList<int>{3});
        // Probes are real HTTP: let the event loop run between ticks.
        unhealthy.insert(QStringLiteral("i3"));
        for (int i = 0; i < 600 && !w.orchestrator->active().isEmpty(); ++i) {
            drill::waitUntil([] { return false; }, 5);
            w.clock.advance(50);
            w.orchestrator->tick();
        }
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Failed);
        QCOMPARE(stored->steps.at(2).state, StepState::Succeeded);
        QCOMPARE(stored->steps.at(5).state, StepState::Failed);
        QVERIFY2(stored->steps.at(5).message.contains(QStringLiteral("i3: 0/2")),
                 qPrintable(stored->steps.at(5).message));
        QCOMPARE(stored->steps.at(6).state, StepState::Skipped);
        QStringList instances;
        for (const auto &c : w.executor(QStringLiteral("deployer")).calls)
            instances.append(c.params.value(QLatin1String("vars"))
                                 .toObject()
                                 .value(QLatin1String("instance"))
                                 .toString());
        QCOMPARE(instances,
                 (QStringList{QStringLiteral("i1"), QStringLiteral("i2"), QStringLiteral("i3")}));
    }

    // An executor that never answers is given up on after the step's timeout (plus a grace), and
    // the step is tried again; a late answer to the abandoned attempt changes nothing.
    void aHangingExecutorTimesOutAndIsRetried()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [&](const FakeExecutor::Call &) {
            return deployer.calls.size() == 1 ? std::optional<ActionResult>() : ok();
        };
        const auto run = requestOk(manual({QStringLiteral("solo")}));
        QVERIFY(runToEnd(run.id, 1000, 400));
        QCOMPARE(deployer.calls.size(), std::size_t(2));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Succeeded);
        QCOMPARE(stored->steps.at(0).attempts, 2);
        const auto attempts = w.store->rollbacks().attempts(run.id);
        QVERIFY2(attempts.first().message.contains(QStringLiteral("no answer from the executor")),
                 qPrintable(attempts.first().message));
        // The first attempt waited the fast class's step timeout (2 min) and the grace.
        QVERIFY(attempts.first().finishedAtMs - attempts.first().startedAtMs >= 125'000);
        deployer.reply(0, failure(false, QStringLiteral("too late")));
        QCOMPARE(w.store->rollbacks().find(run.id)->state, PlanState::Succeeded);
    }

    // blue_green with keep_failed: false stops the failed colour once the service is verified.
    void blueGreenCanRetireTheFailedColour()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("tidy"), QStringLiteral("v1"), QStringLiteral("v2"));
        const auto run = requestOk(manual({QStringLiteral("tidy")}));
        QVERIFY(runToEnd(run.id));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Succeeded);
        QCOMPARE(w.stepKinds(*stored), (QStringList{QStringLiteral("switch_traffic:succeeded"),
                                                    QStringLiteral("verify_health:succeeded"),
                                                    QStringLiteral("retire:succeeded")}));
        const auto &retired = w.executor(QStringLiteral("retirer")).calls.at(0);
        QCOMPARE(retired.params.value(QLatin1String("vars"))
                     .toObject()
                     .value(QLatin1String("target"))
                     .toString(),
                 QStringLiteral("green"));
        QCOMPARE(w.executor(QStringLiteral("switcher"))
                     .calls.at(0)
                     .params.value(QLatin1String("vars"))
                     .toObject()
                     .value(QLatin1String("target"))
                     .toString(),
                 QStringLiteral("blue"));
    }

    // Refusals carry stable codes.
    void refusesWhatCannotBePlanned()
    {
        auto &w = world();
        const auto code = [&](const orchestrator::RollbackRequest &r) {
            const auto result = w.orchestrator->request(r);
            return result ? QString() : result.error().code;
        };
        QCOMPARE(code(manual({QStringLiteral("nope")})), QStringLiteral("unknown_service"));
        QCOMPARE(code(manual({QStringLiteral("solo")})), QStringLiteral("no_release"));
        (void)w.releases->record(
            {QStringLiteral("solo"), QStringLiteral("v1"), {}, {}, {}, {}, {}, {}});
        QCOMPARE(code(manual({QStringLiteral("solo")})), QStringLiteral("no_rollback_target"));
        QCOMPARE(code(manual({QStringLiteral("solo")}, QStringLiteral("sideways"))),
                 QStringLiteral("invalid_request"));
        // Gradual needs a strategy that can shift traffic.
        w.releaseTrain(QStringLiteral("worker"), QStringLiteral("v1"), QStringLiteral("v2"));
        auto explicitVersion = manual({QStringLiteral("worker")});
        explicitVersion.versions.insert(QStringLiteral("worker"), QStringLiteral("v0"));
        QCOMPARE(code(explicitVersion), QStringLiteral("no_rollback_target"));
        explicitVersion.versions.insert(QStringLiteral("worker"), QStringLiteral("v1"));
        explicitVersion.dryRun = true;
        QCOMPARE(code(explicitVersion), QString());
        // blue_green needs different colours.
        w.releaseTrain(QStringLiteral("shop"), QStringLiteral("v1"), QStringLiteral("v2"),
                       QStringLiteral("blue"), QStringLiteral("blue"));
        QCOMPARE(code(manual({QStringLiteral("shop")})), QStringLiteral("cannot_plan"));
    }

    // The store refuses `verb`s on `table` from now on, as a full disk would: a trigger added
    // through a second connection to the same file makes SQLite fail those statements.
    void refuse(const QString &table, const QString &verb)
    {
        auto &w = world();
        const QString name = QStringLiteral("saboteur-") + table + verb;
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(w.dir.filePath(QStringLiteral("rewind.db")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY2(q.exec(QStringLiteral("CREATE TRIGGER refuse_%1_%2 BEFORE %2 ON %1 BEGIN "
                                           "SELECT RAISE(FAIL, 'database or disk is full'); END")
                                .arg(table, verb)),
                     qPrintable(q.lastError().text()));
        }
        QSqlDatabase::removeDatabase(name);
    }

    // Approving, rejecting and starting compare the clock with the deadline at the moment they
    // happen, though no tick ran in between: one millisecond before it an approval counts; at the
    // deadline and after it, it is refused (approval_expired), not recorded, nothing runs, and
    // the plan ends aborted saying why.
    void theApprovalDeadlineIsCheckedAtTheDecision_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<bool>("approve");
        for (const bool approve : {true, false}) {
            const char *what = approve ? "approve" : "reject";
            QTest::addRow("%s at deadline - 1 ms", what) << qint64(-1) << approve;
            QTest::addRow("%s at the deadline", what) << qint64(0) << approve;
            QTest::addRow("%s at deadline + 1 ms", what) << qint64(1) << approve;
        }
    }
    void theApprovalDeadlineIsCheckedAtTheDecision()
    {
        QFETCH(qint64, offset);
        QFETCH(bool, approve);
        auto &w = world();
        w.releaseTrain(QStringLiteral("vault"), QStringLiteral("v1"), QStringLiteral("v2"));
        const auto plan = requestOk(manual({QStringLiteral("vault")}));
        QCOMPARE(plan.state, PlanState::AwaitingApproval);
        QVERIFY(plan.approvalExpiresAtMs > w.clock.nowMs());
        w.clock.set(plan.approvalExpiresAtMs + offset);
        const QHash<QString, QStringList> roles{
            {QStringLiteral("production"), {QStringLiteral("approver")}}};
        const auto result = approve ? w.orchestrator->approve(plan.id, QStringLiteral("alice"),
                                                              roles, QStringLiteral("go"))
                                    : w.orchestrator->reject(plan.id, QStringLiteral("alice"),
                                                             roles, QStringLiteral("no"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        if (offset < 0) {
            QVERIFY(result.ok());
            QCOMPARE(w.store->rollbacks().approvals(plan.id).size(), 1);
            QVERIFY(runToEnd(plan.id));
            QCOMPARE(w.store->rollbacks().find(plan.id)->state,
                     approve ? PlanState::Succeeded : PlanState::Aborted);
            QCOMPARE(deployer.calls.size(), std::size_t(approve ? 1 : 0));
            return;
        }
        QVERIFY(!result);
        QCOMPARE(result.error().code, QStringLiteral("approval_expired"));
        QVERIFY2(result.error().message.contains(QStringLiteral("%1 ms late").arg(offset)),
                 qPrintable(result.error().message));
        QVERIFY(w.store->rollbacks().approvals(plan.id).isEmpty());
        const auto stored = w.store->rollbacks().find(plan.id);
        QCOMPARE(stored->state, PlanState::Aborted);
        QVERIFY2(
            stored->message.contains(QStringLiteral("not approved in time (0 of 1 approvals)")) &&
                stored->message.contains(QStringLiteral("came too late")),
            qPrintable(stored->message));
        QCoreApplication::processEvents();
        QVERIFY(deployer.calls.empty());
    }

    // An environment with `auto_rollback: false`: a rule that would roll back only alerts — no
    // plan, no rollback event, not even a refusal; the same rule in an environment that allows
    // it starts a rollback.
    void withoutAutoRollbackARuleOnlyAlerts()
    {
        reconfigure("  handsoff: {auto_rollback: false, verify_after: 1s}\n",
                    "  - {name: hand, environment: handsoff, strategy: {type: redeploy, "
                    "executor: deployer}}\n");
        auto &w = world();
        w.releaseTrain(QStringLiteral("hand"), QStringLiteral("v1"), QStringLiteral("v2"));
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        const auto before = m_world->seen.size();
        w.orchestrator->onRuleFired(rollbackRule(),
                                    firingOf(QStringLiteral("errors"), QStringLiteral("hand")), 0);
        QCoreApplication::processEvents();
        QVERIFY(w.store->rollbacks().list(10).isEmpty());
        QVERIFY(!w.orchestrator->isRollingBack(QStringLiteral("hand")));
        QCOMPARE(m_world->seen.size(), before); // nothing announced
        QVERIFY(w.executor(QStringLiteral("deployer")).calls.empty());
        w.orchestrator->onRuleFired(rollbackRule(),
                                    firingOf(QStringLiteral("errors"), QStringLiteral("solo")), 0);
        const auto plans = w.store->rollbacks().list(10);
        QCOMPARE(plans.size(), 1);
        QCOMPARE(plans.first().trigger, QStringLiteral("rule:errors"));
        QCOMPARE(plans.first().targets.first().service, QStringLiteral("solo"));
    }

    // While a rollback of a service runs, a rule firing again starts no second one; a firing
    // that cannot be turned into a plan (no verified release to go back to) is announced as
    // rollback_refused with the reason.
    void oneAutomaticRollbackAtATimeAndRefusalsAreAnnounced()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("solo"), QStringLiteral("v1"), QStringLiteral("v2"));
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [](const FakeExecutor::Call &) {
            return std::optional<ActionResult>(); // answers only when the test does
        };
        w.orchestrator->onRuleFired(rollbackRule(),
                                    firingOf(QStringLiteral("errors"), QStringLiteral("solo")), 0);
        QCOMPARE(w.store->rollbacks().list(10).size(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(deployer.calls.size(), std::size_t(1));
        for (int i = 0; i < 3; ++i)
            w.orchestrator->onRuleFired(
                rollbackRule(), firingOf(QStringLiteral("errors"), QStringLiteral("solo")), 0);
        QCoreApplication::processEvents();
        QCOMPARE(w.store->rollbacks().list(10).size(), 1);
        QCOMPARE(deployer.calls.size(), std::size_t(1));
        QVERIFY(eventsOf(QStringLiteral("rollback_refused")).isEmpty());
        deployer.reply(0, ok());
        QVERIFY(runToEnd(w.store->rollbacks().list(1).first().id));

        // web has one release only: nothing verified to go back to.
        QVERIFY(w.releases
                    ->record({QStringLiteral("web"),
                              QStringLiteral("v1"),
                              {},
                              QStringLiteral("blue"),
                              {},
                              {},
                              {},
                              {}})
                    .ok());
        w.orchestrator->onRuleFired(rollbackRule(QStringLiteral("web-errors")),
                                    firingOf(QStringLiteral("web-errors"), QStringLiteral("web")),
                                    0);
        const auto refused = eventsOf(QStringLiteral("rollback_refused"));
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.first().value(u"service").toString(), QStringLiteral("web"));
        QCOMPARE(refused.first().value(u"rule").toString(), QStringLiteral("web-errors"));
        QVERIFY(!refused.first().value(u"code").toString().isEmpty());
        QVERIFY2(refused.first().value(u"message").toString().contains(QStringLiteral("web")),
                 qPrintable(refused.first().value(u"message").toString()));
        QCOMPARE(w.store->rollbacks().list(10).size(), 1);
    }

    // A rule of one service that rolls back others (rollback_services): the plan targets those,
    // not the service that fired, and says it is cross-service.
    void aCrossServiceRuleRollsBackTheServicesItNames()
    {
        auto &w = world();
        w.releaseTrains({QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("worker")});
        w.executor(QStringLiteral("deployer")).script = [](const FakeExecutor::Call &) {
            return ok();
        };
        w.orchestrator->onRuleFired(
            rollbackRule(QStringLiteral("queue-backlog"), {QStringLiteral("worker")}),
            firingOf(QStringLiteral("queue-backlog"), QStringLiteral("api")), 0);
        const auto plans = w.store->rollbacks().list(10);
        QCOMPARE(plans.size(), 1);
        QCOMPARE(plans.first().trigger, QStringLiteral("cross-service:queue-backlog"));
        QStringList targets;
        for (const auto &t : plans.first().targets)
            targets.append(t.service);
        QCOMPARE(targets, QStringList{QStringLiteral("worker")});
        QVERIFY(runToEnd(plans.first().id));
        QCOMPARE(w.releases->current(QStringLiteral("worker"))->version, QStringLiteral("v1"));
        QCOMPARE(w.releases->current(QStringLiteral("api"))->version, QStringLiteral("v2"));
    }

    // Aborting a running plan: the step that runs finishes, nothing after it starts, the rest is
    // skipped and the plan ends aborted with the reason.
    void abortingARunningPlanStartsNothingMore()
    {
        auto &w = world();
        w.releaseTrains({QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("web")});
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [](const FakeExecutor::Call &) {
            return std::optional<ActionResult>(); // answers only when the test does
        };
        const auto run = requestOk(manual({QStringLiteral("api")}, QStringLiteral("immediate")));
        QCoreApplication::processEvents();
        QCOMPARE(deployer.actionsCalled(), QStringList{QStringLiteral("redeploy:web")});
        const auto aborted =
            w.orchestrator->abort(run.id, QStringLiteral("alice"), QStringLiteral("wrong call"));
        QVERIFY(aborted.ok());
        deployer.reply(0, ok());
        QVERIFY(runToEnd(run.id));
        QCOMPARE(deployer.actionsCalled(), QStringList{QStringLiteral("redeploy:web")});
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Aborted);
        QVERIFY2(stored->message.contains(QStringLiteral("wrong call")),
                 qPrintable(stored->message));
        QCOMPARE(stored->steps.at(0).state, StepState::Succeeded);
        for (int i = 1; i < stored->steps.size(); ++i)
            QVERIFY2(
                stored->steps.at(i).state == StepState::Skipped ||
                    stored->steps.at(i).state == StepState::Pending,
                qPrintable(stored->steps.at(i).kind + u' ' + wireName(stored->steps.at(i).state)));
        for (int i = 1; i < stored->steps.size(); ++i)
            QCOMPARE(stored->steps.at(i).attempts, 0);
    }

    // A plan across environments with different approval policies takes the strictest of each:
    // the largest number of approvals, the shortest expiry, an approver allowed in every one of
    // them, and auto-approval only for severities every one lets through.
    void approvalPolicyAcrossEnvironments()
    {
        reconfigure("  finance: {verify_after: 1s, approval: {required: true, approvals: 2, "
                    "roles: [approver], expires: 10m, auto_approve: [critical, warning]}}\n"
                    "  audit: {verify_after: 1s, approval: {required: true, approvals: 1, "
                    "roles: [approver], expires: 20m, auto_approve: [critical, info]}}\n",
                    "  - {name: ledger, environment: finance, strategy: {type: redeploy, "
                    "executor: deployer}}\n"
                    "  - {name: books, environment: audit, strategy: {type: redeploy, "
                    "executor: deployer}}\n");
        auto &w = world();
        w.releaseTrain(QStringLiteral("ledger"), QStringLiteral("v1"), QStringLiteral("v2"));
        w.releaseTrain(QStringLiteral("books"), QStringLiteral("v1"), QStringLiteral("v2"));
        w.executor(QStringLiteral("deployer")).script = [](const FakeExecutor::Call &) {
            return ok();
        };
        const auto plan = requestOk(manual({QStringLiteral("ledger"), QStringLiteral("books")}));
        QCOMPARE(plan.state, PlanState::AwaitingApproval);
        QCOMPARE(plan.approvalsNeeded, 2);
        QCOMPARE(plan.approvalExpiresAtMs - plan.createdAtMs, qint64(10 * 60'000));
        const QHash<QString, QStringList> financeOnly{
            {QStringLiteral("finance"), {QStringLiteral("approver")}},
            {QStringLiteral("audit"), {QStringLiteral("viewer")}}};
        const QHash<QString, QStringList> both{
            {QStringLiteral("finance"), {QStringLiteral("approver")}},
            {QStringLiteral("audit"), {QStringLiteral("approver")}}};
        const auto refused =
            w.orchestrator->approve(plan.id, QStringLiteral("fay"), financeOnly, {});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("forbidden"));
        QVERIFY2(refused.error().message.contains(QStringLiteral("audit")),
                 qPrintable(refused.error().message));
        QVERIFY(w.store->rollbacks().approvals(plan.id).isEmpty());
        QVERIFY(w.orchestrator->approve(plan.id, QStringLiteral("ann"), both, {}).ok());
        QCOMPARE(w.store->rollbacks().find(plan.id)->state, PlanState::AwaitingApproval);
        QVERIFY(w.orchestrator->approve(plan.id, QStringLiteral("bob"), both, {}).ok());
        QVERIFY(runToEnd(plan.id));
        QCOMPARE(w.store->rollbacks().find(plan.id)->state, PlanState::Succeeded);

        // Automatic requests: "warning" is let through by finance only, "critical" by both.
        const auto automatic = [&](const QString &severity) {
            w.releaseTrain(QStringLiteral("ledger"), QStringLiteral("v3") + severity,
                           QStringLiteral("v4") + severity);
            w.releaseTrain(QStringLiteral("books"), QStringLiteral("v3") + severity,
                           QStringLiteral("v4") + severity);
            auto r = manual({QStringLiteral("ledger"), QStringLiteral("books")});
            r.trigger = QStringLiteral("rule:errors");
            r.severity = severity;
            return requestOk(r);
        };
        const auto low = automatic(QStringLiteral("warning"));
        QCOMPARE(low.state, PlanState::AwaitingApproval);
        QVERIFY(w.orchestrator->abort(low.id, QStringLiteral("ann"), QStringLiteral("not this one"))
                    .ok());
        const auto critical = automatic(QStringLiteral("critical"));
        QVERIFY(critical.state != PlanState::AwaitingApproval);
        QVERIFY(runToEnd(critical.id));
        QCOMPARE(w.store->rollbacks().find(critical.id)->state, PlanState::Succeeded);
        bool autoApproved = false;
        for (const auto &e : eventsOf(QStringLiteral("approval_granted")))
            autoApproved = autoApproved || e.value(u"auto").toBool();
        QVERIFY(autoApproved);
    }

    // Retries are spaced by the backoff, doubling up to max_backoff, and when they are used up
    // the step fails and halts the plan: nothing after it starts.
    void retriesUsedUpHaltThePlan()
    {
        reconfigure({}, {}, "  retry: {attempts: 4, backoff: 1s, max_backoff: 1500ms}\n");
        auto &w = world();
        w.releaseTrains({QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("web")});
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [](const FakeExecutor::Call &) {
            return failure(true, QStringLiteral("connection refused"));
        };
        const auto run = requestOk(manual({QStringLiteral("api")}, QStringLiteral("immediate")));
        QVERIFY(runToEnd(run.id, 50));
        QCOMPARE(deployer.actionsCalled(),
                 (QStringList(4, QStringLiteral("redeploy:web")))); // 4 attempts, then no more
        QList<qint64> waits;
        for (const auto &e : eventsOf(QStringLiteral("rollback_step_retrying")))
            waits.append(e.value(u"retry_in_ms").toInteger());
        QCOMPARE(waits, (QList<qint64>{1000, 1500, 1500}));
        const auto stored = w.store->rollbacks().find(run.id);
        QCOMPARE(stored->state, PlanState::Failed);
        QCOMPARE(stored->steps.at(0).state, StepState::Failed);
        QCOMPARE(stored->steps.at(0).attempts, 4);
        for (int i = 1; i < stored->steps.size(); ++i)
            QCOMPARE(stored->steps.at(i).attempts, 0);
    }

    // A step whose start cannot be written to the journal does not run: the executor is never
    // called, the plan needs attention and says why, and the failure is announced.
    void aStepDoesNotRunWhenItsJournalEntryCannotBeWritten()
    {
        auto &w = world();
        w.releaseTrain(QStringLiteral("vault"), QStringLiteral("v1"), QStringLiteral("v2"));
        const auto plan = requestOk(manual({QStringLiteral("vault")}));
        QCOMPARE(plan.state, PlanState::AwaitingApproval);
        refuse(QStringLiteral("rollback_steps"), QStringLiteral("UPDATE"));
        const auto approved = w.orchestrator->approve(
            plan.id, QStringLiteral("alice"),
            {{QStringLiteral("production"), {QStringLiteral("approver")}}}, {});
        QVERIFY(approved.ok());
        QVERIFY(runToEnd(plan.id));
        QCoreApplication::processEvents();
        QVERIFY(w.executor(QStringLiteral("deployer")).calls.empty());
        const auto stored = w.store->rollbacks().find(plan.id);
        QCOMPARE(stored->state, PlanState::NeedsAttention);
        QVERIFY2(stored->message.contains(QStringLiteral("could not record the start of step 1")),
                 qPrintable(stored->message));
        QVERIFY(w.store->rollbacks().attempts(plan.id).isEmpty());
        // Announced with the store's own reason.
        const auto failing = std::find_if(w.seen.cbegin(), w.seen.cend(), [](const auto &e) {
            return e.type == QLatin1String(protocol::event::StoreFailing);
        });
        QVERIFY(failing != w.seen.cend());
        QVERIFY2(failing->data.value(QLatin1String("error"))
                     .toString()
                     .contains(QStringLiteral("disk is full")),
                 qPrintable(failing->data.value(QLatin1String("error")).toString()));
        QCOMPARE(failing->data.value(QLatin1String("rollback_id")).toInteger(), plan.id);
    }

    // When the end of a step cannot be recorded, nothing after it runs: of web -> api -> db, only
    // web's redeploy reached the executor; the plan needs attention.
    void nothingRunsAfterAStepWhoseEndCannotBeRecorded()
    {
        auto &w = world();
        w.releaseTrains({QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("web")});
        auto &deployer = w.executor(QStringLiteral("deployer"));
        deployer.script = [this](const FakeExecutor::Call &) {
            // The disk fills up while the first step runs.
            if (world().executor(QStringLiteral("deployer")).calls.size() == 1) {
                refuse(QStringLiteral("step_attempts"), QStringLiteral("UPDATE"));
                refuse(QStringLiteral("rollback_steps"), QStringLiteral("UPDATE"));
            }
            return std::optional<ActionResult>(ok());
        };
        std::optional<protocol::RollbackInfo> finished;
        connect(w.orchestrator.get(), &orchestrator::Orchestrator::rollbackFinished, this,
                [&](const protocol::RollbackInfo &r) { finished = r; });
        const auto run = requestOk(manual({QStringLiteral("api")}, QStringLiteral("immediate")));
        QVERIFY(run.id > 0);
        QVERIFY(runToEnd(run.id));
        QCOMPARE(deployer.actionsCalled(), QStringList{QStringLiteral("redeploy:web")});
        QVERIFY(finished);
        QCOMPARE(finished->state, PlanState::NeedsAttention);
        QVERIFY2(finished->message.contains(QStringLiteral("how step 1 (redeploy of web) ended")),
                 qPrintable(finished->message));
        for (int i = 1; i < finished->steps.size(); ++i)
            QCOMPARE(finished->steps.at(i).attempts, 0);
        // The plan's own row could still be written: the store says what happened.
        QCOMPARE(w.store->rollbacks().find(run.id)->state, PlanState::NeedsAttention);
    }
};

QTEST_GUILESS_MAIN(TestOrchestrator)
#include "tst_orchestrator.moc"
