// The configuration loader: a good file loads completely; bad files give every problem as
// file:line:col: error: …; no input crashes it.
#include "config/configloader.h"
#include "daemon/catalog.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace rwd;

namespace {

config::LoadResult load(const QByteArray &yaml)
{
    static const daemon::Registries registries;
    return config::loadConfigText(yaml, QStringLiteral("test.yaml"), daemon::catalogOf(registries));
}

QStringList messages(const config::LoadResult &r)
{
    QStringList out;
    for (const auto &d : r.diagnostics.items())
        out.append(d.format());
    return out;
}

const QByteArray kMinimal =
    "services:\n"
    "  - name: api\n"
    "    checks:\n"
    "      - {name: health, type: http, url: \"http://127.0.0.1:9/health\"}\n";

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    void loadsTheShippedExample()
    {
        const QString path = QStringLiteral(REWIND_SOURCE_DIR "/resources/examples/rewind.yaml");
        const auto r = daemon::loadConfig(path);
        QVERIFY2(r.ok(), qPrintable(r.diagnostics.format()));
        const auto &c = *r.config;
        QCOMPARE(c.server.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(c.server.port, quint16(8470));
        QCOMPARE(c.services.size(), 2);
        const auto *api = c.service(QStringLiteral("api"));
        QVERIFY(api);
        QCOMPARE(api->environment, QStringLiteral("production"));
        QCOMPARE(api->checks.size(), 2);
        QCOMPARE(api->checks.at(0).intervalMs, qint64(1000));
        QCOMPARE(api->checks.at(0).timeoutMs, qint64(500));
        QCOMPARE(api->strategy->type, QStringLiteral("blue_green"));
        QCOMPARE(api->strategy->executor, QStringLiteral("nginx-api"));
        QCOMPARE(c.service(QStringLiteral("web"))->dependsOn, QStringList{QStringLiteral("api")});
        QCOMPARE(c.users.size(), 3);
        QCOMPARE(c.users.at(2).name, QStringLiteral("ci"));
        const auto *prod = c.environment(QStringLiteral("production"));
        QVERIFY(prod);
        QVERIFY(prod->approval.required);
        QCOMPARE(prod->approval.expiresMs, qint64(30 * 60'000));
        QCOMPARE(prod->freezeAfterRollbackMs, qint64(3'600'000));
        QCOMPARE(c.verifyAfterMs(*api), qint64(10 * 60'000));
        QCOMPARE(c.rules.size(), 3);
        QCOMPARE(c.rules.at(1).forMs, qint64(10'000));
        QCOMPARE(c.rules.at(2).everyMs, qint64(30'000));
        QCOMPARE(c.rules.at(2).consecutive, 2);
        QCOMPARE(c.executors.size(), 2);
        QCOMPARE(c.executor(QStringLiteral("nginx-web"))->type, QStringLiteral("nginx"));
        // An implicit "default" environment always exists.
        QVERIFY(c.environment(QStringLiteral("default")));
    }

    // The shipped rule files are a library: included into a fleet that has none of their checks
    // but 'health', only the rules that fit apply, and the rest are not errors. The same kind of
    // rule written in the configuration itself is checked against every service.
    void includedRuleLibrariesApplyWhereTheyFit()
    {
        const auto r = load(kMinimal + "include: [" REWIND_SOURCE_DIR "/resources/rules/*.yaml]\n");
        QVERIFY2(r.ok(), qPrintable(r.diagnostics.format()));
        QVERIFY(r.config->rules.size() > 10);
        for (const auto &rule : r.config->rules)
            QVERIFY(rule.included);

        const auto own = load(kMinimal + "rules:\n"
                                         "  - name: backlog\n"
                                         "    when: value(queue.depth) > 1000\n");
        QVERIFY(!own.ok());
        QCOMPARE(messages(own).size(), 1);
        QVERIFY2(messages(own).first().startsWith(QStringLiteral("test.yaml:7:17: error: ")),
                 qPrintable(messages(own).first()));
        QVERIFY2(messages(own).first().contains(QStringLiteral("queue")),
                 qPrintable(messages(own).first()));
    }

    void appliesDefaults()
    {
        const auto r = load(kMinimal);
        QVERIFY2(r.ok(), qPrintable(r.diagnostics.format()));
        const auto &s = r.config->services.first();
        QCOMPARE(s.environment, QStringLiteral("default"));
        QCOMPARE(s.kind, QStringLiteral("backend"));
        QCOMPARE(s.checks.first().intervalMs, qint64(10'000));
        QCOMPARE(s.verification.consecutiveSuccesses, 3);
        QCOMPARE(r.config->server.store, QStringLiteral("sqlite:rewind.db"));
        QCOMPARE(r.config->server.historyStepMs, qint64(1000));
        QCOMPARE(r.config->server.historyRetentionMs, qint64(3'600'000));
        const auto tuned =
            load(QByteArray("server: {metrics_history: {step: 5s, retention: 1d}}\n") + kMinimal);
        QVERIFY2(tuned.ok(), qPrintable(tuned.diagnostics.format()));
        QCOMPARE(tuned.config->server.historyStepMs, qint64(5000));
        QCOMPARE(tuned.config->server.historyRetentionMs, qint64(86'400'000));
    }

    // The rollback policy, log collection and rules' rollback options.
    void readsOrchestrationKeys()
    {
        const auto r = load(kMinimal + "    logs:\n"
                                       "      commands: [[journalctl, -u, api, -n, \"500\"]]\n"
                                       "      files: [logs/*.log]\n"
                                       "      max_bytes: 4096\n"
                                       "rollback:\n"
                                       "  max_attempts_per_release: 5\n"
                                       "  retry: {attempts: 4, backoff: 2s, max_backoff: 1m}\n"
                                       "  archive_dir: /var/lib/rewind/archives\n"
                                       "  classes:\n"
                                       "    immediate: {step_timeout: 20s, freeze: 2h}\n"
                                       "    gradual: {shifts: [10, 50, 90], watch: 2m}\n"
                                       "rules:\n"
                                       "  - name: down\n"
                                       "    when: consecutive_failures(health) >= 3\n"
                                       "    action: rollback\n"
                                       "    rollback: {class: immediate, services: [api]}\n"
                                       "  - name: scanner\n"
                                       "    when: consecutive_failures(health) >= 1\n"
                                       "    action: freeze\n"
                                       "    freeze: 90m\n");
        QVERIFY2(r.ok(), qPrintable(r.diagnostics.format()));
        const auto &c = *r.config;
        const auto &logs = c.services.first().logs;
        QCOMPARE(logs.commands.size(), 1);
        QCOMPARE(logs.commands.first().last(), QStringLiteral("500"));
        QCOMPARE(logs.files,
                 QStringList{QDir::current().absoluteFilePath(QStringLiteral("logs/*.log"))});
        QCOMPARE(logs.maxBytes, qint64(4096));
        QCOMPARE(c.rollback.maxAttemptsPerRelease, 5);
        QCOMPARE(c.rollback.retryAttempts, 4);
        QCOMPARE(c.rollback.retryBackoffMs, qint64(2000));
        QCOMPARE(c.rollback.retryMaxBackoffMs, qint64(60'000));
        QCOMPARE(c.rollback.immediate.stepTimeoutMs, qint64(20'000));
        QCOMPARE(c.rollback.immediate.freezeMs, qint64(2 * 3'600'000));
        QCOMPARE(c.rollback.gradual.shifts, (QList<int>{10, 50, 90}));
        QCOMPARE(c.rollback.gradual.watchMs, qint64(120'000));
        QCOMPARE(c.rollback.fast.stepTimeoutMs, qint64(120'000)); // the parity default
        QCOMPARE(c.rules.at(0).rollbackClass, QStringLiteral("immediate"));
        QCOMPARE(c.rules.at(0).rollbackServices, QStringList{QStringLiteral("api")});
        QCOMPARE(c.rules.at(1).freezeMs, qint64(90 * 60'000));
        // Defaults from the parity list.
        const auto d = load(kMinimal);
        QCOMPARE(d.config->rollback.maxAttemptsPerRelease, 3);
        QCOMPARE(d.config->rollback.immediate.stepTimeoutMs, qint64(30'000));
        QCOMPARE(d.config->rollback.immediate.freezeMs, qint64(3'600'000));
        QCOMPARE(d.config->rollback.gradual.shifts, QList<int>{50});
        QCOMPARE(d.config->rollback.gradual.watchMs, qint64(10 * 60'000));
        QCOMPARE(d.config->rules.size(), 0);
    }

    void reportsEveryErrorWithItsPosition_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("unknown key with a suggestion")
            << QByteArray("services:\n  - name: api\n    dependson: [x]\n")
            << QStringList{"test.yaml:3:5: error: unknown key 'dependson' in service 'api' (did "
                           "you mean 'depends_on'?)"};
        QTest::newRow("wrong types")
            << QByteArray("server:\n  listen: 8470\n  event_replay: lots\n"
                          "services:\n  - name: api\n    depends_on: {a: 1}\n")
            << QStringList{
                   "test.yaml:2:11: error: 'listen' must be ADDRESS:PORT with a numeric IP address "
                   "(e.g. 127.0.0.1:8470 or [::1]:8470), found '8470'",
                   "test.yaml:3:17: error: 'event_replay' in server must be a whole number, found "
                   "'lots'",
                   "test.yaml:6:17: error: 'depends_on' in service 'api' must be a list of text "
                   "values, found a map"};
        QTest::newRow("missing fields")
            << QByteArray("services:\n  - kind: worker\n    checks:\n      - {type: http}\n")
            << QStringList{"test.yaml:2:5: error: service is missing required key 'name'",
                           "test.yaml:4:9: error: check of unnamed service is missing required key "
                           "'name'",
                           "test.yaml:4:9: error: unnamed check of unnamed service is missing "
                           "required key 'url'"};
        QTest::newRow("bad values")
            << QByteArray("services:\n  - name: api\n    kind: backnd\n    checks:\n"
                          "      - {name: h, type: http, url: \"ftp://x\", interval: soon}\n")
            << QStringList{
                   "test.yaml:3:11: error: 'kind' in service 'api' must be one of frontend, "
                   "backend, api, worker, database, found 'backnd' (did you mean 'backend'?)",
                   "test.yaml:5:36: error: 'url' of check 'h' of service 'api' must be an http:// "
                   "or https:// URL, found 'ftp://x'",
                   "test.yaml:5:57: error: 'interval' in check 'h' of service 'api' must be a "
                   "duration such as 500ms, 10s, 5m or 1h, found 'soon'"};
        QTest::newRow("references and cycles")
            << QByteArray("services:\n  - name: a\n    depends_on: [b]\n"
                          "    strategy: {type: blue_green, executor: nginx}\n"
                          "  - name: b\n    depends_on: [a, c]\n    environment: prod\n")
            << QStringList{
                   "test.yaml:4:34: error: strategy of 'a' refers to unknown executor 'nginx'",
                   "test.yaml:5:5: error: service 'b' refers to unknown environment 'prod'",
                   "test.yaml:6:17: error: dependency cycle: a -> b -> a",
                   "test.yaml:6:17: error: depends_on of 'b' refers to unknown service 'c'"};
        QTest::newRow("unknown types")
            << QByteArray("services:\n  - name: a\n    checks:\n      - {name: h, type: htp}\n"
                          "    strategy: {type: bluegreen, executor: x}\n"
                          "executors:\n  x: {type: ngnx}\n")
            << QStringList{"test.yaml:4:25: error: unknown check type 'htp' (did you mean "
                           "'http'?)",
                           "test.yaml:5:22: error: unknown strategy type 'bluegreen' (did you mean "
                           "'blue_green'?)",
                           "test.yaml:7:13: error: unknown executor type 'ngnx' (did you mean "
                           "'nginx'?)"};
        QTest::newRow("rule expression errors point into the expression")
            << QByteArray(kMinimal +
                          "rules:\n"
                          "  - name: r\n"
                          "    when: \"error_rate(health, 5s) > 5% and p95(health.latncy, 1m) > "
                          "2s\"\n"
                          "  - name: s\n"
                          "    when: error_rate(helth, 1m) > 2s\n"
                          "  - name: t\n"
                          "    when: value(health) >\n")
            << QStringList{
                   "test.yaml:7:55: error: in rule 'r': unknown field 'latncy' of check "
                   "'health' (fields: latency, status)",
                   "test.yaml:9:22: error: in rule 's': unknown check 'helth' (checks of "
                   "this service: health)",
                   "test.yaml:9:35: error: in rule 's': cannot compare a ratio "
                   "('error_rate(helth, 1m)') with a duration ('2s')",
                   "test.yaml:11:26: error: in rule 't': expected a value, found the end of "
                   "the expression"};
        QTest::newRow("duplicates")
            << QByteArray("services:\n  - name: a\n    kind: worker\n    kind: backend\n"
                          "  - name: a\n")
            << QStringList{"test.yaml:4:5: error: duplicate key 'kind' in service 'a' (first "
                           "given on line 3)",
                           "test.yaml:5:5: error: two services are named 'a'"};
        QTest::newRow("rollback policy and rules")
            << QByteArray(
                   kMinimal +
                   "rollback:\n"
                   "  retry: {attempts: 0}\n"
                   "  classes:\n"
                   "    gradual: {shifts: [50, 25], step_timeout: 0s}\n"
                   "    sideways: {}\n"
                   "rules:\n"
                   "  - {name: r, when: \"consecutive_failures(health) >= 3\", rollback: {class: "
                   "fast}}\n"
                   "  - {name: s, when: \"consecutive_failures(health) >= 3\", action: rollback,\n"
                   "     rollback: {class: slow, services: [apy]}, freeze: 1h}\n")
            // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): messages split over literals
            << QStringList{"test.yaml:6:21: error: 'attempts' in rollback retry policy must be "
                           "between 1 and 20, found 0",
                           "test.yaml:8:28: error: 'shifts' of the gradual class must be whole "
                           "percentages from 1 to 99, each larger than the one before, found '25'",
                           "test.yaml:8:47: error: 'step_timeout' must be positive",
                           "test.yaml:9:5: error: unknown key 'sideways' in rollback classes "
                           "(known keys: fast, gradual, immediate)",
                           "test.yaml:11:68: error: 'rollback' only applies to rules with "
                           "'action: rollback'",
                           "test.yaml:13:24: error: 'class' in rollback of rule 's' must be one "
                           "of fast, immediate, gradual, found 'slow'",
                           "test.yaml:13:40: error: rollback of rule 's' refers to unknown "
                           "service 'apy' (did you mean 'api'?)",
                           "test.yaml:13:56: error: 'freeze' only applies to rules with 'action: "
                           "freeze'"};
        QTest::newRow("logs")
            << QByteArray("services:\n  - name: api\n    logs:\n"
                          "      commands: [journalctl -u api, [journalctl, -u, api]]\n"
                          "      files: [/var/*/api.log]\n      max_bytes: 10\n")
            << QStringList{"test.yaml:4:18: error: each of 'commands' must be an argv list such "
                           "as [journalctl, -u, api], found 'journalctl -u api'",
                           "test.yaml:5:14: error: '/var/*/api.log': a pattern may only be in the "
                           "file name, not in a directory",
                           "test.yaml:6:18: error: 'max_bytes' in logs of service 'api' must be "
                           "between 1024 and 268435456, found 10"};
        QTest::newRow("strategies and their executors")
            << QByteArray(
                   "services:\n"
                   "  - name: a\n    strategy: {type: rolling, executor: n, batch_size: 0%}\n"
                   "  - name: b\n    strategy: {type: database, executor: n}\n"
                   "  - name: c\n    strategy: {type: canary, executor: n, steps: [10, 50]}\n"
                   "  - name: d\n    strategy: {type: redeploy, executor: n}\n"
                   "  - name: e\n    strategy: {type: blue_green, executor: n, keep_failed: "
                   "false}\n"
                   "executors:\n"
                   "  n: {type: nginx, upstream_file: u.conf, targets: {blue: \"127.0.0.1:1\"}}\n")
            // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): messages split over literals
            << QStringList{"test.yaml:3:15: error: strategy of service 'a' needs 'instances': the "
                           "names of the instances to roll back, as a list or as a map of name to "
                           "host:port",
                           "test.yaml:3:56: error: 'batch_size' of strategy of service 'a' must "
                           "be a number of instances (1 or more) or a percentage such as 25%, "
                           "found '0%'",
                           "test.yaml:5:15: error: strategy of service 'b' needs 'migrate: "
                           "{executor: NAME}', the command that migrates the schema down to "
                           "{{version}}",
                           "test.yaml:7:50: error: 'steps' of strategy of service 'c' must be "
                           "canary weights from 99 down to 0, each smaller than the one before",
                           "test.yaml:9:42: error: the redeploy strategy needs executor 'n' to "
                           "perform 'redeploy', but that nginx executor can only set_weights, "
                           "switch_traffic",
                           "test.yaml:11:60: error: 'keep_failed: false' needs 'retire_executor', "
                           "the executor that stops the failed colour"};
        QTest::newRow("metrics history")
            << QByteArray("server:\n  metrics_history: {step: 10ms, retention: 1h}\n" + kMinimal)
            << QStringList{"test.yaml:2:27: error: 'step' of metrics_history must be from 100ms "
                           "to 1h"};
        QTest::newRow("metrics history retention")
            << QByteArray("server:\n  metrics_history:\n    step: 1s\n    retention: 30d\n"
                          "    keep: all\n" +
                          kMinimal)
            << QStringList{"test.yaml:4:16: error: 'retention' of metrics_history keeps 2592000 "
                           "steps per series; at most 100000 are allowed (a longer step keeps "
                           "more time)",
                           "test.yaml:5:5: error: unknown key 'keep' in server metrics_history "
                           "(known keys: retention, step)"};
        QTest::newRow("invalid yaml")
            << QByteArray("services:\n  - name: [a\n")
            << QStringList{"test.yaml:3:1: error: invalid YAML: end of sequence flow not found"};
        // Aliases repeat what they name: six levels of ten make a million values from six lines.
        QByteArray laughs("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (const char level : {'b', 'c', 'd', 'e', 'f'}) {
            laughs += QByteArray(1, level) + ": &" + QByteArray(1, level) + " [";
            for (int i = 0; i < 10; ++i)
                laughs += (i ? ", *" : "*") + QByteArray(1, char(level - 1));
            laughs += "]\n";
        }
        QTest::newRow("alias expansion")
            << laughs
            << QStringList{"test.yaml:1:14: error: the document expands to more than 200000 "
                           "values: its aliases (*name) repeat too much"};
        QTest::newRow("nesting") << "a: " + QByteArray(300, '[') + QByteArray(300, ']') + "\n"
                                 << QStringList{"test.yaml:1:204: error: the document nests "
                                                "deeper than 200 levels"};
        QTest::newRow("empty") << QByteArray("# nothing\n")
                               << QStringList{"test.yaml:1:1: error: the configuration is empty"};
        QTest::newRow("not a map") << QByteArray("- a\n- b\n")
                                   << QStringList{"test.yaml:1:1: error: the configuration must "
                                                  "be a map of keys, found a list"};
    }
    void reportsEveryErrorWithItsPosition()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, expected);
        const auto r = load(yaml);
        QVERIFY(!r.ok());
        QCOMPARE(messages(r), expected);
    }

    void unreadableFileIsAnError()
    {
        const auto r = daemon::loadConfig(QStringLiteral("/nonexistent/rewind.yaml"));
        QVERIFY(!r.ok());
        QVERIFY(messages(r).first().startsWith(
            QStringLiteral("/nonexistent/rewind.yaml: error: cannot read the file")));
    }

    // Every prefix of a valid file, and the file with random bytes changed, either loads or is
    // rejected with positioned errors; nothing crashes or hangs.
    void neverCrashesOnDamagedInput()
    {
        QFile file(QStringLiteral(REWIND_SOURCE_DIR "/resources/examples/rewind.yaml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray good = file.readAll();
        int rejected = 0;
        for (qsizetype cut = 0; cut < good.size(); cut += 7) {
            const auto r = load(good.left(cut));
            if (!r.ok()) {
                ++rejected;
                QVERIFY(r.diagnostics.count() > 0);
            }
        }
        QVERIFY(rejected > 0);
        QRandomGenerator random(42);
        const QByteArray alphabet(":-[]{}\"'#|>&*!%@ \n\tabc019");
        for (int round = 0; round < 400; ++round) {
            QByteArray damaged = good;
            for (int i = 0; i < 3; ++i)
                damaged[random.bounded(int(damaged.size()))] =
                    alphabet.at(random.bounded(int(alphabet.size())));
            const auto r = load(damaged);
            for (const auto &d : r.diagnostics.items())
                QVERIFY2(d.position.line >= 0, qPrintable(d.format()));
        }
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
