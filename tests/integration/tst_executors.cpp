// The executors against real things: real processes for `command` (and, through a recording
// stand-in first on PATH, the kubectl, docker and systemctl argv of the kubernetes, docker and
// systemd presets — those systems cannot run here), a real HTTP server for `http`, real SQLite
// files for `sqlite`, a real PostgreSQL server for `postgres`, and real files and commands for log
// preservation.
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "executors/executor.h"
#include "executors/logs/logcollector.h"
#include "httptestserver.h"
#include "peers.h"
#include "postgresserver.h"
#include "processes.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;
using executors::ActionResult;

class TestExecutors : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_bin; // stand-ins for kubectl, docker, systemctl
    QString m_log; // what they were called with
    std::vector<std::unique_ptr<config::Config>> m_configs;

    // An executor built from its YAML body, exactly as rewindd builds it; null with the
    // configuration errors in `errors` when it is invalid.
    std::unique_ptr<executors::Executor> make(const QByteArray &body, QString *errors = nullptr)
    {
        const QByteArray text = "services: [{name: api}]\nexecutors:\n  x: " + body + "\n";
        const daemon::Registries registries;
        auto loaded = config::loadConfigText(text, m_dir.filePath(QStringLiteral("rewind.yaml")),
                                             daemon::catalogOf(registries));
        if (!loaded.ok()) {
            if (errors)
                *errors = loaded.diagnostics.format();
            else
                qWarning("%s", qPrintable(loaded.diagnostics.format()));
            return nullptr;
        }
        m_configs.push_back(std::make_unique<config::Config>(std::move(*loaded.config)));
        const auto &cfg = *m_configs.back();
        config::Diagnostics diagnostics;
        const auto &ex = cfg.executors.first();
        return registries.executors.create(ex.type, ex.node, ex.name, diagnostics, ex.name, cfg);
    }

    static ActionResult run(executors::Executor &executor, const QString &action,
                            const QJsonObject &vars, QJsonObject params = {})
    {
        params.insert(QStringLiteral("vars"), vars);
        std::optional<ActionResult> result;
        executor.execute(action, params, [&](const ActionResult &r) { result = r; });
        drill::waitUntil([&] { return result.has_value(); }, 60'000);
        return result.value_or(ActionResult{false, false, QStringLiteral("no answer"), {}, {}});
    }

    // The stand-in calls recorded since the last call of this function.
    QList<QJsonObject> calls()
    {
        QList<QJsonObject> out;
        QFile file(m_log);
        if (file.open(QIODevice::ReadOnly))
            for (const auto &line : file.readAll().split('\n'))
                if (!line.isEmpty())
                    out.append(QJsonDocument::fromJson(line).object());
        QFile::remove(m_log);
        return out;
    }

    static QStringList argv(const QJsonObject &call)
    {
        QStringList out;
        for (const auto &a : call.value(QLatin1String("argv")).toArray())
            out.append(a.toString());
        return out;
    }

    static const QJsonObject &release()
    {
        static const QJsonObject vars{
            {"service", "api"},           {"version", "v1.1"},
            {"previous_version", "v1.2"}, {"artifact", "registry.example/api:v1.1"},
            {"target", "blue"},           {"previous_target", "green"},
            {"rollback_id", "7"}};
        return vars;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_bin = m_dir.filePath(QStringLiteral("bin"));
        QVERIFY(QDir().mkpath(m_bin));
        for (const auto *name : {"kubectl", "docker", "systemctl", "deploy-tool"})
            QVERIFY(QFile::link(QStringLiteral(REWIND_BIN_DIR "/rewind-standin"),
                                QDir(m_bin).filePath(QLatin1String(name))));
        m_log = m_dir.filePath(QStringLiteral("calls.jsonl"));
        qputenv("PATH", (m_bin + u':' + qEnvironmentVariable("PATH")).toUtf8());
        qputenv("STANDIN_LOG", m_log.toUtf8());
    }

    void init()
    {
        QFile::remove(m_log);
        for (const auto *v : {"STANDIN_EXIT", "STANDIN_OUTPUT", "STANDIN_SLEEP_MS", "STANDIN_ENV",
                              "STANDIN_FAIL_ON", "STANDIN_STDERR"})
            qunsetenv(v);
    }

    // Variables go into single arguments: a value with spaces, quotes and shell syntax stays one
    // argument and is never interpreted.
    void commandSubstitutesInsideSingleArguments()
    {
        auto ex = make(
            R"({type: command, actions: {redeploy: {argv: [deploy-tool, "--service={{service}}", "{{version}}", "{{meta.note}}"], idempotent: true}}})");
        QVERIFY(ex);
        QCOMPARE(ex->actions(), QStringList{QStringLiteral("redeploy")});
        QVERIFY(ex->idempotent(QStringLiteral("redeploy")));
        auto vars = release();
        vars.insert(QStringLiteral("meta.note"), QStringLiteral("a b; rm -rf / $(id) \"q\""));
        const auto r = run(*ex, QStringLiteral("redeploy"), vars);
        QVERIFY2(r.ok, qPrintable(r.message));
        const auto recorded = calls();
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(argv(recorded.first()),
                 (QStringList{QStringLiteral("--service=api"), QStringLiteral("v1.1"),
                              QStringLiteral("a b; rm -rf / $(id) \"q\"")}));
    }

    // Secrets reach the command through its environment and never the captured output or
    // message; a timeout may be retried; exit codes are retried only when listed.
    void commandRedactsTimesOutAndClassifiesFailures()
    {
        qputenv("DEPLOY_TOKEN", "s3cr3t-token-value");
        auto ex = make(R"({type: command, env: {TOKEN: "env:DEPLOY_TOKEN", MODE: fast}, actions: {
              redeploy: {argv: [deploy-tool, go], retry_exit_codes: [75]},
              slow: {argv: [deploy-tool, slow], timeout: 200ms}}})");
        QVERIFY(ex);
        qputenv("STANDIN_ENV", "TOKEN,MODE");
        qputenv("STANDIN_OUTPUT", "using token s3cr3t-token-value now\n");
        qputenv("STANDIN_EXIT", "75");
        auto r = run(*ex, QStringLiteral("redeploy"), release());
        QVERIFY(!r.ok);
        QVERIFY(r.retryable);
        QVERIFY2(r.output.contains(QStringLiteral("using token [redacted] now")),
                 qPrintable(r.output));
        QVERIFY(!r.output.contains(QStringLiteral("s3cr3t")) &&
                !r.message.contains(QStringLiteral("s3cr3t")));
        const auto recorded = calls();
        QCOMPARE(recorded.first().value(QLatin1String("env")).toObject(),
                 (QJsonObject{{"TOKEN", "s3cr3t-token-value"}, {"MODE", "fast"}}));
        qputenv("STANDIN_EXIT", "2");
        r = run(*ex, QStringLiteral("redeploy"), release());
        QVERIFY(!r.ok);
        QVERIFY(!r.retryable);
        QVERIFY2(r.message.contains(QStringLiteral("exit 2")), qPrintable(r.message));
        qputenv("STANDIN_EXIT", "0");
        qputenv("STANDIN_SLEEP_MS", "5000");
        r = run(*ex, QStringLiteral("slow"), release());
        QVERIFY(!r.ok);
        QVERIFY(r.retryable);
        QVERIFY2(r.message.contains(QStringLiteral("no exit within")), qPrintable(r.message));
        // A variable the step does not have is a definite failure, before anything runs.
        auto vars = release();
        vars.remove(QStringLiteral("version"));
        qunsetenv("STANDIN_SLEEP_MS");
        calls();
        auto missing =
            make(R"({type: command, actions: {redeploy: {argv: [deploy-tool, "{{version}}"]}}})");
        r = run(*missing, QStringLiteral("redeploy"), vars);
        QVERIFY(!r.ok && !r.retryable);
        QVERIFY2(r.message.contains(QStringLiteral("{{version}}")), qPrintable(r.message));
        QVERIFY(calls().isEmpty());
        qunsetenv("DEPLOY_TOKEN");
    }

    // Malformed executor configuration is reported where it is written.
    void badExecutorConfigurationIsReported()
    {
        QString errors;
        QVERIFY(!make(R"({type: command, actions: {redeploy: {argv: ["{{verison}}"]}}})", &errors));
        QVERIFY2(errors.contains(QStringLiteral("did you mean {{version}}")), qPrintable(errors));
        QVERIFY(!make(R"({type: command, actions: {redeploy: {argv: deploy-tool}}})", &errors));
        QVERIFY2(errors.contains(QStringLiteral("must be an argv list")), qPrintable(errors));
        QVERIFY(!make(R"({type: http, actions: {purge_cdn: {url: "/purge"}}})", &errors));
        QVERIFY2(errors.contains(QStringLiteral("needs 'base_url'")), qPrintable(errors));
        QVERIFY(!make("{type: postgres, url: \"postgresql:"
                      "//app:pw@127.0.0.1/db\"}",
                      &errors));
        QVERIFY2(errors.contains(QStringLiteral("contains a password")), qPrintable(errors));
        QVERIFY(!make(R"({type: systemd, unit: api.service})", &errors));
        QVERIFY2(errors.contains(QStringLiteral("must contain {{version}}")), qPrintable(errors));
        QVERIFY(!make(R"({type: docker, mode: stack})", &errors));
        QVERIFY2(errors.contains(QStringLiteral("mode")), qPrintable(errors));
        QVERIFY2(errors.contains(QStringLiteral("rewind.yaml:3:")), qPrintable(errors));
    }

    // kubectl presets, run against the recording stand-in (there is no cluster here).
    void kubernetesPresets()
    {
        auto ex = make(
            R"({type: kubernetes, context: prod, namespace: shop, container: app, timeout: 2m})");
        QVERIFY(ex);
        QCOMPARE(ex->actions(),
                 (QStringList{QStringLiteral("redeploy"), QStringLiteral("retire"),
                              QStringLiteral("set_weights"), QStringLiteral("switch_traffic")}));
        const QStringList common{QStringLiteral("--context"), QStringLiteral("prod"),
                                 QStringLiteral("--namespace"), QStringLiteral("shop")};
        // With a recorded revision: rollout undo to it, then wait for the rollout.
        auto vars = release();
        vars.insert(QStringLiteral("meta.revision"), QStringLiteral("41"));
        auto r = run(*ex, QStringLiteral("redeploy"), vars);
        QVERIFY2(r.ok, qPrintable(r.message));
        auto recorded = calls();
        QCOMPARE(recorded.size(), 2);
        QCOMPARE(argv(recorded.at(0)),
                 (common + QStringList{QStringLiteral("rollout"), QStringLiteral("undo"),
                                       QStringLiteral("deployment/api"),
                                       QStringLiteral("--to-revision=41")}));
        QCOMPARE(argv(recorded.at(1)),
                 (common + QStringList{QStringLiteral("rollout"), QStringLiteral("status"),
                                       QStringLiteral("deployment/api"),
                                       QStringLiteral("--timeout=115s")}));
        // Without one: back to the recorded image.
        r = run(*ex, QStringLiteral("redeploy"), release());
        QVERIFY2(r.ok, qPrintable(r.message));
        recorded = calls();
        QCOMPARE(argv(recorded.at(0)),
                 (common + QStringList{QStringLiteral("set"), QStringLiteral("image"),
                                       QStringLiteral("deployment/api"),
                                       QStringLiteral("app=registry.example/api:v1.1")}));
        // Blue-green: the Service's selector; the colour is JSON-escaped inside the patch.
        auto quoted = release();
        quoted.insert(QStringLiteral("target"), QStringLiteral("bl\"ue"));
        r = run(*ex, QStringLiteral("switch_traffic"), quoted);
        QVERIFY2(r.ok, qPrintable(r.message));
        recorded = calls();
        auto args = argv(recorded.first());
        QCOMPARE(args.mid(4, 4),
                 (QStringList{QStringLiteral("patch"), QStringLiteral("service/api"),
                              QStringLiteral("--type=merge"), QStringLiteral("--patch")}));
        QJsonParseError parse{};
        const auto patch = QJsonDocument::fromJson(args.at(8).toUtf8(), &parse).object();
        QCOMPARE(parse.error, QJsonParseError::NoError);
        QCOMPARE(patch.value(QLatin1String("spec"))
                     .toObject()
                     .value(QLatin1String("selector"))
                     .toObject()
                     .value(QLatin1String("colour"))
                     .toString(),
                 QStringLiteral("bl\"ue"));
        // Canary weights on an Istio VirtualService.
        auto weights = release();
        weights.insert(QStringLiteral("weight_target"), QStringLiteral("100"));
        weights.insert(QStringLiteral("weight_previous"), QStringLiteral("0"));
        r = run(*ex, QStringLiteral("set_weights"), weights);
        QVERIFY2(r.ok, qPrintable(r.message));
        args = argv(calls().first());
        const auto routes = QJsonDocument::fromJson(args.at(8).toUtf8())
                                .object()
                                .value(QLatin1String("spec"))
                                .toObject()
                                .value(QLatin1String("http"))
                                .toArray()
                                .at(0)
                                .toObject()
                                .value(QLatin1String("route"))
                                .toArray();
        QCOMPARE(routes.size(), 2);
        QCOMPARE(routes.at(0).toObject().value(QLatin1String("weight")).toInt(), 100);
        QCOMPARE(routes.at(1)
                     .toObject()
                     .value(QLatin1String("destination"))
                     .toObject()
                     .value(QLatin1String("subset"))
                     .toString(),
                 QStringLiteral("green"));
        // A failing kubectl fails the step, with its stderr.
        qputenv("STANDIN_EXIT", "1");
        qputenv("STANDIN_OUTPUT", "error: deployments.apps \"api\" not found\n");
        r = run(*ex, QStringLiteral("redeploy"), release());
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("not found")), qPrintable(r.message));
    }

    void dockerPresets()
    {
        auto compose = make(
            R"({type: docker, mode: compose, compose_file: shop/compose.yaml, project: shop, image_variable: API_IMAGE})");
        QVERIFY(compose);
        qputenv("STANDIN_ENV", "API_IMAGE");
        auto r = run(*compose, QStringLiteral("redeploy"), release());
        QVERIFY2(r.ok, qPrintable(r.message));
        auto recorded = calls();
        QCOMPARE(argv(recorded.first()),
                 (QStringList{QStringLiteral("compose"), QStringLiteral("--file"),
                              m_dir.filePath(QStringLiteral("shop/compose.yaml")),
                              QStringLiteral("--project-name"), QStringLiteral("shop"),
                              QStringLiteral("up"), QStringLiteral("--detach"),
                              QStringLiteral("--no-deps"), QStringLiteral("--wait"),
                              QStringLiteral("api")}));
        QCOMPARE(recorded.first().value(QLatin1String("env")).toObject(),
                 (QJsonObject{{"API_IMAGE", "registry.example/api:v1.1"}}));
        auto swarm = make(R"({type: docker, mode: swarm, service: "shop_{{service}}"})");
        QVERIFY(swarm);
        r = run(*swarm, QStringLiteral("redeploy"), release());
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(
            argv(calls().first()),
            (QStringList{QStringLiteral("service"), QStringLiteral("update"),
                         QStringLiteral("--image"), QStringLiteral("registry.example/api:v1.1"),
                         QStringLiteral("--with-registry-auth"), QStringLiteral("--detach=false"),
                         QStringLiteral("shop_api")}));
        // No image recorded: swarm's own rollback.
        auto vars = release();
        vars.insert(QStringLiteral("artifact"), QString());
        r = run(*swarm, QStringLiteral("redeploy"), vars);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(argv(calls().first()),
                 (QStringList{QStringLiteral("service"), QStringLiteral("rollback"),
                              QStringLiteral("--detach=false"), QStringLiteral("shop_api")}));
    }

    void systemdPresets()
    {
        auto units = make(R"({type: systemd, unit: "api@{{version}}.service"})");
        QVERIFY(units);
        auto r = run(*units, QStringLiteral("redeploy"), release());
        QVERIFY2(r.ok, qPrintable(r.message));
        auto recorded = calls();
        QCOMPARE(recorded.size(), 3);
        QCOMPARE(argv(recorded.at(0)),
                 (QStringList{QStringLiteral("start"), QStringLiteral("api@v1.1.service")}));
        QCOMPARE(argv(recorded.at(1)),
                 (QStringList{QStringLiteral("is-active"), QStringLiteral("--quiet"),
                              QStringLiteral("api@v1.1.service")}));
        QCOMPARE(argv(recorded.at(2)),
                 (QStringList{QStringLiteral("stop"), QStringLiteral("api@v1.2.service")}));
        // A unit that does not come up stops the action before the old one is stopped.
        qputenv("STANDIN_FAIL_ON", "is-active");
        r = run(*units, QStringLiteral("redeploy"), release());
        QVERIFY(!r.ok);
        QCOMPARE(calls().size(), 2);
        qunsetenv("STANDIN_FAIL_ON");

        // A release symlink switched for real (ln + mv: atomic), then the unit restarted.
        const QString releases = m_dir.filePath(QStringLiteral("releases"));
        QVERIFY(QDir().mkpath(releases + QStringLiteral("/v1.1")));
        QVERIFY(QDir().mkpath(releases + QStringLiteral("/v1.2")));
        const QString current = m_dir.filePath(QStringLiteral("current"));
        QVERIFY(QFile::link(releases + QStringLiteral("/v1.2"), current));
        auto link = make(
            QStringLiteral(
                R"({type: systemd, user: true, unit: api.service, link: {path: "%1", target: "%2/{{version}}"}})")
                .arg(current, releases)
                .toUtf8());
        QVERIFY(link);
        r = run(*link, QStringLiteral("redeploy"), release());
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(QFileInfo(current).symLinkTarget(), releases + QStringLiteral("/v1.1"));
        recorded = calls();
        QCOMPARE(argv(recorded.at(0)),
                 (QStringList{QStringLiteral("--user"), QStringLiteral("restart"),
                              QStringLiteral("api.service")}));
    }

    // The http executor: URL variables percent-encoded, JSON bodies built as trees (values always
    // escaped), secret headers kept out of everything Rewind keeps, statuses classified.
    void httpRequestsFromTemplates()
    {
        testing::RecordingHttpServer server;
        server.answer = {};
        QVERIFY(server.isListening());
        qputenv("CDN_TOKEN", "Bearer cdn-secret-123");
        const QString config =
            QStringLiteral("{type: http, base_url: \"http:") +
            QStringLiteral("//127.0.0.1:%1\", ").arg(server.port()) +
            QStringLiteral(R"(headers: {Authorization: "env:CDN_TOKEN"}, actions: {
              purge_cdn: {method: POST, url: "/zones/{{meta.zone}}/purge", json: {purge_everything: true, reason: "rollback {{rollback_id}} of {{version}}", count: 2}, idempotent: true},
              redeploy: {method: PUT, url: "/{{version}}", body: "version={{version}}", content_type: text/plain, expect_status: [204]}}})");
        auto ex = make(config.toUtf8());
        QVERIFY(ex);
        auto vars = release();
        vars.insert(QStringLiteral("meta.zone"), QStringLiteral("z/../other?x=1"));
        vars.insert(QStringLiteral("version"), QStringLiteral("v\"1"));
        auto r = run(*ex, QStringLiteral("purge_cdn"), vars);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(server.requests.size(), 1);
        QCOMPARE(server.requests.first().target, QByteArray("/zones/z%2F..%2Fother%3Fx%3D1/purge"));
        QCOMPARE(server.requests.first().method, QByteArray("POST"));
        const auto body = QJsonDocument::fromJson(server.requests.first().body).object();
        QCOMPARE(body,
                 (QJsonObject{
                     {"purge_everything", true}, {"reason", "rollback 7 of v\"1"}, {"count", 2}}));
        QCOMPARE(server.requests.first().headers.value("authorization"),
                 QByteArray("Bearer cdn-secret-123"));
        QCOMPARE(server.requests.first().headers.value("content-type"),
                 QByteArray("application/json"));
        // The expected status is 204: a 200 is a definite failure; the secret the server echoes
        // back is redacted from the message and the output.
        server.answer = QByteArray("{\"echo\":\"Bearer cdn-secret-123\"}");
        r = run(*ex, QStringLiteral("redeploy"), release());
        QVERIFY(!r.ok && !r.retryable);
        QVERIFY2(r.message.contains(QStringLiteral("HTTP 200")), qPrintable(r.message));
        QVERIFY2(r.message.contains(QStringLiteral("[redacted]")), qPrintable(r.message));
        QVERIFY2(!r.message.contains(QStringLiteral("cdn-secret")) &&
                     !r.output.contains(QStringLiteral("cdn-secret")),
                 qPrintable(r.message + r.output));
        QCOMPARE(server.requests.last().method, QByteArray("PUT"));
        QCOMPARE(server.requests.last().body, QByteArray("version=v1.1"));
        server.status = 503;
        r = run(*ex, QStringLiteral("purge_cdn"), vars);
        QVERIFY(!r.ok && r.retryable);
        server.status = 404;
        r = run(*ex, QStringLiteral("purge_cdn"), vars);
        QVERIFY(!r.ok && !r.retryable);
        // Nobody listening: worth retrying.
        auto refused = make((QStringLiteral("{type: http, actions: {ping: {url: \"http:") +
                             QStringLiteral("//127.0.0.1:1/x\", timeout: 2s}}}"))
                                .toUtf8());
        QVERIFY(refused);
        r = run(*refused, QStringLiteral("ping"), release());
        QVERIFY(!r.ok && r.retryable);
        qunsetenv("CDN_TOKEN");
    }

    // SQLite: a consistent snapshot with its checksum and table statistics; the integrity check
    // sees lost and changed rows; restore verifies the checksum first; retention prunes.
    void sqliteSnapshotsIntegrityRestoreAndRetention()
    {
        const QString path = m_dir.filePath(QStringLiteral("shop.db"));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("setup"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode=WAL")));
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE orders (id INTEGER PRIMARY KEY "
                                          "AUTOINCREMENT, amount INTEGER NOT NULL, note TEXT)")));
            for (int i = 1; i <= 50; ++i)
                QVERIFY(q.exec(QStringLiteral("INSERT INTO orders (amount) VALUES (%1)").arg(i)));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("setup"));
        const auto sql = [&](const QString &statement) {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("sql"));
            db.setDatabaseName(path);
            bool ok = db.open();
            QVariant value;
            {
                QSqlQuery q(db);
                ok = ok && q.exec(statement);
                if (ok && q.next())
                    value = q.value(0);
            }
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("sql"));
            return ok ? value : QVariant(QStringLiteral("error"));
        };
        auto ex =
            make(QStringLiteral(R"({type: sqlite, path: "%1", snapshots: {dir: snaps, keep: 2}})")
                     .arg(path)
                     .toUtf8());
        QVERIFY(ex);
        const QJsonObject integrity{
            {"tables",
             QJsonArray{QJsonObject{
                 {"name", "orders"}, {"key", "id"}, {"checksum", QJsonArray{"id", "amount"}}}}},
            {"query", "SELECT count(*) = 0 FROM orders WHERE amount <= 0"}};
        const auto snapshot = [&](const QString &name) {
            return run(*ex, QStringLiteral("snapshot"), {{"snapshot", name}}, integrity);
        };
        auto r = snapshot(QStringLiteral("shop-rollback-1"));
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value(QLatin1String("tables"))
                     .toObject()
                     .value(QLatin1String("orders"))
                     .toObject()
                     .value(QLatin1String("rows"))
                     .toInteger(),
                 qint64(50));
        QCOMPARE(r.data.value(QLatin1String("sha256")).toString().size(), 64);
        const QString file = r.data.value(QLatin1String("path")).toString();
        QVERIFY(QFileInfo::exists(file));
        // New rows and a dropped column (what a migration down does) keep the data.
        for (int i = 0; i < 10; ++i)
            QVERIFY(sql(QStringLiteral("INSERT INTO orders (amount) VALUES (7)")).toString() !=
                    u"error");
        QVERIFY(sql(QStringLiteral("ALTER TABLE orders DROP COLUMN note")).toString() != u"error");
        r = run(*ex, QStringLiteral("integrity_check"), {{"snapshot", "shop-rollback-1"}},
                integrity);
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY2(r.message.contains(
                     QStringLiteral("50 of the 50 rows at the snapshot still there, 60 now")),
                 qPrintable(r.message));
        // A lost row, a changed row and a failing query are all reported.
        QVERIFY(sql(QStringLiteral("DELETE FROM orders WHERE id = 3")).toString() != u"error");
        QVERIFY(sql(QStringLiteral("UPDATE orders SET amount = -1 WHERE id = 4")).toString() !=
                u"error");
        r = run(*ex, QStringLiteral("integrity_check"), {{"snapshot", "shop-rollback-1"}},
                integrity);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("lost 1 of the 50 rows")),
                 qPrintable(r.message));
        QVERIFY2(r.message.contains(QStringLiteral("checksum differs")), qPrintable(r.message));
        QVERIFY2(r.message.contains(QStringLiteral("integrity query returned '0'")),
                 qPrintable(r.message));
        // Restore: the database is the snapshot again.
        r = run(*ex, QStringLiteral("restore_snapshot"), {{"snapshot", "shop-rollback-1"}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM orders")).toInt(), 50);
        QCOMPARE(sql(QStringLiteral("SELECT amount FROM orders WHERE id = 4")).toInt(), 4);
        // A damaged snapshot is never restored.
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(f.size() / 2);
            f.write("garbage");
        }
        r = run(*ex, QStringLiteral("restore_snapshot"), {{"snapshot", "shop-rollback-1"}});
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("damaged")), qPrintable(r.message));
        // Retention: keep 2 — the third snapshot of this service removes the oldest.
        QVERIFY(snapshot(QStringLiteral("shop-rollback-2")).ok);
        r = snapshot(QStringLiteral("shop-rollback-3"));
        QVERIFY(r.ok);
        QCOMPARE(r.data.value(QLatin1String("pruned")).toArray(), QJsonArray{"shop-rollback-1"});
        QVERIFY(!QFileInfo::exists(file));
        // Names are checked: no paths.
        r = run(*ex, QStringLiteral("snapshot"), {{"snapshot", "../../etc/x"}}, integrity);
        QVERIFY(!r.ok);
    }

    // PostgreSQL: pg_dump / pg_restore / psql against a real server; the password only through
    // PGPASSWORD.
    void postgresSnapshotsIntegrityAndRestore()
    {
        testing::PostgresServer pg;
        REWIND_REQUIRE_PEER(pg.available(), "PostgreSQL 15 (Debian package postgresql-15)");
        REWIND_VERIFY_OK(pg.start());
        REWIND_VERIFY_OK(
            pg.execute(QStringLiteral("CREATE ROLE shop LOGIN PASSWORD 'pg-pass-987'")));
        REWIND_VERIFY_OK(pg.execute(QStringLiteral("CREATE DATABASE shop OWNER shop")));
        REWIND_VERIFY_OK(
            pg.execute(QStringLiteral("CREATE TABLE orders (id BIGSERIAL PRIMARY KEY, amount "
                                      "INTEGER NOT NULL, coupon TEXT)"),
                       QStringLiteral("shop")));
        REWIND_VERIFY_OK(
            pg.execute(QStringLiteral("ALTER TABLE orders OWNER TO shop"), QStringLiteral("shop")));
        REWIND_VERIFY_OK(pg.execute(
            QStringLiteral("INSERT INTO orders (amount) SELECT g FROM generate_series(1, 40) g"),
            QStringLiteral("shop")));
        qputenv("SHOP_PG_PASSWORD", "pg-pass-987");
        auto ex =
            make(QStringLiteral("{type: postgres, url: \"postgresql:"
                                "//shop@127.0.0.1:%1/shop\", password: \"env:SHOP_PG_PASSWORD\", "
                                "snapshots: {dir: pgsnaps}}")
                     .arg(pg.port())
                     .toUtf8());
        QVERIFY(ex);
        const QJsonObject integrity{
            {"tables",
             QJsonArray{QJsonObject{
                 {"name", "orders"}, {"key", "id"}, {"checksum", QJsonArray{"id", "amount"}}}}},
            {"query", "SELECT count(*) = 0 FROM orders WHERE amount <= 0"}};
        auto r =
            run(*ex, QStringLiteral("snapshot"), {{"snapshot", "orders-rollback-9"}}, integrity);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(r.data.value(QLatin1String("tables"))
                     .toObject()
                     .value(QLatin1String("orders"))
                     .toObject()
                     .value(QLatin1String("rows"))
                     .toInteger(),
                 qint64(40));
        QVERIFY(QFileInfo(r.data.value(QLatin1String("path")).toString()).size() > 0);
        REWIND_VERIFY_OK(pg.execute(QStringLiteral("INSERT INTO orders (amount) VALUES (5), (6)"),
                                    QStringLiteral("shop")));
        REWIND_VERIFY_OK(pg.execute(QStringLiteral("ALTER TABLE orders DROP COLUMN coupon"),
                                    QStringLiteral("shop")));
        r = run(*ex, QStringLiteral("integrity_check"), {{"snapshot", "orders-rollback-9"}},
                integrity);
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY2(r.message.contains(
                     QStringLiteral("40 of the 40 rows at the snapshot still there, 42 now")),
                 qPrintable(r.message));
        REWIND_VERIFY_OK(
            pg.execute(QStringLiteral("DELETE FROM orders WHERE id = 1"), QStringLiteral("shop")));
        r = run(*ex, QStringLiteral("integrity_check"), {{"snapshot", "orders-rollback-9"}},
                integrity);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("lost 1")), qPrintable(r.message));
        r = run(*ex, QStringLiteral("restore_snapshot"), {{"snapshot", "orders-rollback-9"}});
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(pg.value(QStringLiteral("SELECT count(*) FROM orders"), QStringLiteral("shop"))
                     .valueOr(QVariant())
                     .toInt(),
                 40);
        QCOMPARE(pg.value(QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE "
                                         "table_name = 'orders' AND column_name = 'coupon'"),
                          QStringLiteral("shop"))
                     .valueOr(QVariant())
                     .toInt(),
                 1);
        // A wrong password fails without showing it.
        qputenv("SHOP_PG_PASSWORD", "wrong-password-1");
        r = run(*ex, QStringLiteral("snapshot"), {{"snapshot", "orders-rollback-10"}}, integrity);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.contains(QStringLiteral("pg_dump failed")), qPrintable(r.message));
        QVERIFY(!r.message.contains(QStringLiteral("wrong-password")));
        qunsetenv("SHOP_PG_PASSWORD");
    }

    // Logs preserved before acting: command output and file tails, gzip-compressed; a failing
    // source is reported, not fatal.
    void logCollectorArchivesCommandsAndFiles()
    {
        const QString logs = m_dir.filePath(QStringLiteral("applogs"));
        QVERIFY(QDir().mkpath(logs));
        for (const auto *name : {"a.log", "b.log"}) {
            QFile f(QDir(logs).filePath(QLatin1String(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(5000, 'x') + "\nlast line of " + name + "\n");
        }
        config::LogCollectionConfig cfg;
        cfg.commands = {{QStringLiteral("deploy-tool"), QStringLiteral("logs")},
                        {QStringLiteral("/nonexistent/journalctl")}};
        cfg.files = {QDir(logs).filePath(QStringLiteral("*.log"))};
        cfg.maxBytes = 1024;
        qputenv("STANDIN_OUTPUT", "journal line 1\njournal line 2\n");
        executors::LogCollector collector;
        std::optional<executors::LogCollector::Collected> result;
        collector.collect(QStringLiteral("api"), cfg, m_dir.filePath(QStringLiteral("archive")), 12,
                          [&](const executors::LogCollector::Collected &r) { result = r; });
        QVERIFY(drill::waitUntil([&] { return result.has_value(); }, 20'000));
        QCOMPARE(result->logs.size(), 3);
        QCOMPARE(result->problems.size(), 1);
        QVERIFY2(result->problems.first().contains(QStringLiteral("journalctl")),
                 qPrintable(result->problems.first()));
        const auto gunzip = [](const QString &path) {
            QProcess p;
            p.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), path});
            p.waitForFinished(10'000);
            return p.readAllStandardOutput();
        };
        QCOMPARE(gunzip(result->logs.at(0).path), QByteArray("journal line 1\njournal line 2\n"));
        const auto tail = gunzip(result->logs.at(1).path);
        QCOMPARE(tail.size(), 1024);
        QVERIFY(tail.endsWith("last line of a.log\n"));
        QVERIFY(result->logs.at(1).truncated);
        QCOMPARE(result->logs.at(2).rollbackId, qint64(12));
    }
};

QTEST_GUILESS_MAIN(TestExecutors)
#include "tst_executors.moc"
