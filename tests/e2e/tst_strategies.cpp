// Every rollback strategy end to end on real parts: rewind-fleet behind its own nginx with load
// going through it, a real rewindd on a fresh SQLite store, deployments recorded through the API
// as CI would, a bad release detected by a rule and rolled back by the strategy under test:
//   rolling   four instances moved back two at a time, each batch health-gated (http executor)
//   canary    a 30 % canary's weight brought back to 0 in steps (nginx executor)
//   redeploy  the previous version deployed again in place (http executor)
//   frontend  assets switched back with ln/mv and the CDN purged (command + http executors)
//   database  api switched back, then its database migrated down with the orders written in
//             between kept (SQLite and PostgreSQL); and a failed integrity check restoring the
//             snapshot (needs_attention)
// (blue-green has its own test, e2e_rollback.)
#include "client/restclient.h"
#include "client/sync/syncrest.h"
#include "eventrecorder.h"
#include "peers.h"
#include "postgresserver.h"
#include "processes.h"
#include "sandbox.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

namespace {

QString quote(const QString &text)
{
    return drill::yamlQuote(text);
}

// A sandbox of the binaries under test.
class Sandbox : public drill::Sandbox
{
public:
    Sandbox()
        : drill::Sandbox(QStringLiteral(REWIND_BIN_DIR))
    {}
};

const QString kRule =
    QStringLiteral("rules:\n"
                   "  - name: errors\n"
                   "    when: \"error_rate(health, 5s) > 5% and count(health, 5s) >= 10\"\n"
                   "    severity: critical\n    action: rollback\n    cooldown: 5m\n%1");

QString healthCheck(const QString &url)
{
    return QStringLiteral(
               "    checks: [{name: health, type: http, url: %1, interval: 100ms, timeout: 1s}]\n")
        .arg(quote(url + QStringLiteral("/health")));
}

} // namespace

class TestStrategies : public QObject
{
    Q_OBJECT

private:
    // The database scenario on SQLite or PostgreSQL: web -> api -> db (db is the fleet's
    // database, a service of Rewind's with schema versions as releases). A bad api release that
    // went out with schema 3 is rolled back with the immediate class: api first, then the
    // database migrated down to 2 while orders keep coming in.
    void databaseScenario(const QString &dbUrl, const QString &passwordEnv, bool failIntegrity)
    {
        Sandbox s;
        QStringList fleetArgs{QStringLiteral("--load-rps"),  QStringLiteral("40"),
                              QStringLiteral("--write-rps"), QStringLiteral("20"),
                              QStringLiteral("--log-level"), QStringLiteral("info")};
        if (!dbUrl.isEmpty())
            fleetArgs << QStringLiteral("--db") << dbUrl;
        if (!passwordEnv.isEmpty())
            fleetArgs << QStringLiteral("--db-password-env") << passwordEnv;
        REWIND_VERIFY_OK(s.startFleet(fleetArgs));
        const QString db = s.fleetInfo()
                               .value(QLatin1String("db"))
                               .toObject()
                               .value(QLatin1String("url"))
                               .toString();
        const bool sqlite = db.startsWith(QLatin1String("sqlite:"));
        const QString migrate = QStringLiteral(REWIND_BIN_DIR "/rewind-fleet-migrate");
        QStringList migrateArgs{QStringLiteral("--db"), db};
        if (!passwordEnv.isEmpty())
            migrateArgs << QStringLiteral("--password-env") << passwordEnv;
        QString migrateArgv;
        for (const auto &a : QStringList{migrate} + migrateArgs)
            migrateArgv += quote(a) + QStringLiteral(", ");

        const QString dbExecutor =
            sqlite
                ? QStringLiteral(
                      "  shop-db: {type: sqlite, path: %1, snapshots: {dir: snapshots, keep: 5}}\n")
                      .arg(quote(db.mid(7)))
                : QStringLiteral("  shop-db: {type: postgres, url: %1, password: \"env:%2\", "
                                 "snapshots: {dir: snapshots, keep: 5}}\n")
                      .arg(quote(db), passwordEnv);
        const QString ordersCheck =
            sqlite ? QStringLiteral("    checks: [{name: orders, type: sql, url: %1, query: "
                                    "\"SELECT count(*) FROM orders\", interval: 200ms}]\n")
                         .arg(quote(db))
                   : QStringLiteral(
                         "    checks: [{name: orders, type: sql, url: %1, password: \"env:%2\", "
                         "query: \"SELECT count(*) FROM orders\", interval: 200ms}]\n")
                         .arg(quote(db), passwordEnv);
        const QString yaml =
            QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                           "environments:\n  staging: {auto_rollback: true, verify_after: 1s, "
                           "freeze_after_rollback: 10m}\n"
                           "rollback: {archive_dir: archives}\n"
                           "services:\n"
                           "  - name: db\n    environment: staging\n    kind: database\n"
                           // Long enough that schema 3 is not verified before api v1.2 fails.
                           "    verify_after: 5s\n%1"
                           "    strategy:\n      type: database\n      executor: shop-db\n"
                           "      migrate: {executor: migrations}\n"
                           "      integrity:\n        tables: [{name: orders, key: id, checksum: "
                           "[id, created_at, version, amount]}, customers]\n"
                           "        query: %2\n"
                           "      snapshot_on_deploy: true\n"
                           "  - name: api\n    environment: staging\n    depends_on: [db]\n%3"
                           "    strategy: {type: blue_green, executor: nginx-api}\n"
                           "    verification: {consecutive_successes: 3, timeout: 30s}\n"
                           "    logs:\n      files: [%4]\n      commands: [[%5--status]]\n") +
            kRule.arg(QStringLiteral("    rollback: {class: immediate}\n")) +
            QStringLiteral(
                "executors:\n%6"
                "  migrations:\n    type: command\n    actions:\n"
                "      migrate_down: {argv: [%7--to, \"{{version}}\"], timeout: 30s}\n") +
            s.nginxExecutor(QStringLiteral("api"),
                            {QStringLiteral("blue"), QStringLiteral("green")});
        const QString full = yaml.arg(
            ordersCheck,
            quote(failIntegrity
                      ? QStringLiteral("SELECT count(*) = 0 FROM orders")
                      : QStringLiteral("SELECT count(*) = 0 FROM orders WHERE amount <= 0")),
            healthCheck(s.url(QStringLiteral("api"))), quote(s.path(QStringLiteral("fleet.log"))),
            migrateArgv, dbExecutor, migrateArgv);
        REWIND_VERIFY_OK(s.startRewind(full));

        // What runs now: the database at schema 2, api v1.1 on green; both verified.
        const auto dbGood = s.record(QStringLiteral("db"), QStringLiteral("2"), {});
        QVERIFY2(dbGood, qPrintable(testing::why(dbGood)));
        REWIND_VERIFY_OK(
            s.deploy(QStringLiteral("api"), QStringLiteral("green"), QStringLiteral("v1.1")));
        REWIND_VERIFY_OK(s.route(QStringLiteral("api"), {{"colour", "green"}}));
        const auto apiGood =
            s.record(QStringLiteral("api"), QStringLiteral("v1.1"), QStringLiteral("green"));
        QVERIFY2(apiGood, qPrintable(testing::why(apiGood)));
        QVERIFY(s.waitVerified(*dbGood));
        QVERIFY(s.waitVerified(*apiGood));

        // The bad release train: schema 3 (CI records it — Rewind snapshots the database first —
        // and then migrates), then api v1.2, failing.
        const std::size_t beforeDeploy = s.events().events().size();
        const auto dbBad = s.record(QStringLiteral("db"), QStringLiteral("3"), {});
        QVERIFY2(dbBad, qPrintable(testing::why(dbBad)));
        const QString deploySnapshot = QStringLiteral("db-deploy-%1").arg(dbBad->id);
        QVERIFY(s.events().waitFor(
            QString::fromLatin1(protocol::event::SnapshotTaken),
            [&](const protocol::Event &e) {
                return e.data.value(QLatin1String("name")).toString() == deploySnapshot;
            },
            30'000, beforeDeploy));
        const auto up = Sandbox::runProgram(
            migrate, migrateArgs + QStringList{QStringLiteral("--to"), QStringLiteral("3")});
        QVERIFY2(up.first == 0, qPrintable(up.second));
        REWIND_VERIFY_OK(s.fault(QStringLiteral("api"), QStringLiteral("v1.2"), 0.3));
        REWIND_VERIFY_OK(
            s.deploy(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.2")));
        const std::size_t mark = s.events().events().size();
        REWIND_VERIFY_OK(s.route(QStringLiteral("api"), {{"colour", "blue"}}));
        REWIND_VERIFY_OK(
            s.record(QStringLiteral("api"), QStringLiteral("v1.2"), QStringLiteral("blue")));
        const auto rollback = s.waitRollback(mark);
        QVERIFY(rollback);

        const auto count = [&](const QString &sql) {
            if (sqlite) {
                auto conn =
                    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
                conn.setDatabaseName(db.mid(7));
                conn.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
                int value = -1;
                if (conn.open()) {
                    QSqlQuery q(conn);
                    if (q.exec(sql) && q.next())
                        value = q.value(0).toInt();
                }
                conn.close();
                conn = QSqlDatabase();
                QSqlDatabase::removeDatabase(QStringLiteral("check"));
                return value;
            }
            return m_pg->value(sql, QStringLiteral("shop")).valueOr(QVariant()).toInt();
        };
        const auto snapshots = s.api("GET", QStringLiteral("/api/v1/snapshots?service=db"))
                                   .body.object()
                                   .value(QLatin1String("snapshots"))
                                   .toArray();
        // Newest first: the rollback's, then those taken when schemas 3 and 2 were recorded.
        QCOMPARE(snapshots.size(), 3);
        const auto snapshot = protocol::SnapshotInfo::fromJson(snapshots.first().toObject());
        const auto atDeploy = protocol::SnapshotInfo::fromJson(snapshots.at(1).toObject());
        QCOMPARE(atDeploy.name, deploySnapshot);
        QCOMPARE(atDeploy.releaseId, dbBad->id);
        QVERIFY(QFileInfo::exists(atDeploy.path));
        QCOMPARE(snapshot.name, QStringLiteral("db-rollback-%1").arg(rollback->id));
        QCOMPARE(snapshot.sha256.size(), 64);
        const qint64 rowsAtSnapshot = snapshot.tables.value(QLatin1String("orders"))
                                          .toObject()
                                          .value(QLatin1String("rows"))
                                          .toInteger();
        QVERIFY(rowsAtSnapshot > 0);
        const auto status =
            Sandbox::runProgram(migrate, migrateArgs + QStringList{QStringLiteral("--status")});

        // A rule on api, class immediate: the release train (db at 3, not verified yet) came along,
        // api first.
        QCOMPARE(rollback->trigger, QStringLiteral("rule:errors"));
        QCOMPARE(rollback->rollbackClass, QStringLiteral("immediate"));
        QStringList order;
        for (const auto &t : rollback->targets)
            order.append(t.service + u':' + t.fromVersion + QStringLiteral("->") + t.toVersion);
        QCOMPARE(order, (QStringList{QStringLiteral("api:v1.2->v1.1"), QStringLiteral("db:3->2")}));
        if (failIntegrity) {
            // The integrity query fails: the snapshot is restored, schema 3 is back, and a person
            // must decide.
            QCOMPARE(rollback->state, PlanState::NeedsAttention);
            QCOMPARE(s.stepKinds(*rollback),
                     (QStringList{QStringLiteral("preserve_logs:succeeded"),
                                  QStringLiteral("switch_traffic:succeeded"),
                                  QStringLiteral("verify_health:succeeded"),
                                  QStringLiteral("snapshot:succeeded"),
                                  QStringLiteral("migrate_down:succeeded"),
                                  QStringLiteral("integrity_check:failed"),
                                  QStringLiteral("verify_health:skipped"),
                                  QStringLiteral("restore_snapshot:succeeded")}));
            QVERIFY2(
                rollback->steps.at(5).message.contains(QStringLiteral("integrity query returned")),
                qPrintable(rollback->steps.at(5).message));
            QCOMPARE(status.second.trimmed(), QStringLiteral("3"));
            QVERIFY(
                s.events().find(QString::fromLatin1(protocol::event::RollbackEscalated), {}, mark));
            QVERIFY(rollback->message.contains(QStringLiteral("snapshot restored")));
            return;
        }

        QCOMPARE(rollback->state, PlanState::Succeeded);
        QStringList kinds = s.stepKinds(*rollback);
        QCOMPARE(kinds, (QStringList{QStringLiteral("preserve_logs:succeeded"),
                                     QStringLiteral("switch_traffic:succeeded"),
                                     QStringLiteral("verify_health:succeeded"),
                                     QStringLiteral("snapshot:succeeded"),
                                     QStringLiteral("migrate_down:succeeded"),
                                     QStringLiteral("integrity_check:succeeded"),
                                     QStringLiteral("verify_health:succeeded"),
                                     QStringLiteral("restore_snapshot:skipped")}));
        // The database went last: its snapshot waited for api to be verified.
        QVERIFY(rollback->steps.at(3).startedAtMs >= rollback->steps.at(2).finishedAtMs);
        QCOMPARE(status.second.trimmed(), QStringLiteral("2"));
        // No data lost: every order the snapshot had, and those written by v1.2 before it, are
        // still there; the coupon column of schema 3 is gone.
        QVERIFY(count(QStringLiteral("SELECT count(*) FROM orders")) >= rowsAtSnapshot);
        QVERIFY(count(QStringLiteral("SELECT count(*) FROM orders WHERE version = 'v1.2'")) >= 1);
        QVERIFY2(rollback->steps.at(5).message.contains(QStringLiteral("still there")),
                 qPrintable(rollback->steps.at(5).message));
        QCOMPARE(
            count(
                sqlite
                    ? QStringLiteral(
                          "SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'coupon'")
                    : QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE "
                                     "table_name = 'orders' AND column_name = 'coupon'")),
            0);
        // Writes go on (through api v1.1) after the rollback.
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(drill::waitUntil(
            [&] {
                return s.traffic(QStringLiteral("api"), after, "writes")
                           .value(QLatin1String("requests"))
                           .toInt() >= 20;
            },
            20'000));
        const auto writes = s.traffic(QStringLiteral("api"), after, "writes");
        QCOMPARE(writes.value(QLatin1String("errors")).toInt(), 0);
        // The incident holds the preserved logs.
        const auto incident = protocol::IncidentInfo::fromJson(
            s.api("GET", QStringLiteral("/api/v1/incidents/%1").arg(rollback->incidentId))
                .body.object());
        QCOMPARE(incident.logs.size(), 2);
        for (const auto &l : incident.logs)
            QVERIFY2(QFileInfo(l.path).size() > 0, qPrintable(l.path));
        // Deployments of both services are frozen now.
        const auto frozen = s.api("POST", QStringLiteral("/api/v1/deployments"),
                                  {{"service", "db"}, {"version", "3"}});
        QCOMPARE(frozen.status, 409);
        QCOMPARE(frozen.error->code, QStringLiteral("deployment_frozen"));
    }

    std::unique_ptr<testing::PostgresServer> m_pg;

private slots:
    void initTestCase()
    {
        // The CDN's purge token, shared by the fleet and Rewind's http executor.
        qputenv("FLEET_CDN_TOKEN", "cdn-token-e2e-4711");
        qputenv("REWIND_CDN_AUTHORIZATION", "Bearer cdn-token-e2e-4711");
    }

    void rolling()
    {
        Sandbox s;
        const QStringList instances{QStringLiteral("i1"), QStringLiteral("i2"),
                                    QStringLiteral("i3"), QStringLiteral("i4")};
        REWIND_VERIFY_OK(s.startFleet(
            {QStringLiteral("--service"), QStringLiteral("api"), QStringLiteral("--instances"),
             QStringLiteral("api=i1,i2,i3,i4"), QStringLiteral("--load-rps"), QStringLiteral("40"),
             QStringLiteral("--write-rps"), QStringLiteral("0")}));
        QString map;
        for (const auto &i : instances)
            map += QStringLiteral("%1: %2, ").arg(i, quote(s.address(QStringLiteral("api"), i)));
        map.chop(2);
        const QString yaml =
            QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                           "environments:\n  staging: {auto_rollback: true, verify_after: 1s}\n"
                           "services:\n  - name: api\n    environment: staging\n%1"
                           "    strategy:\n      type: rolling\n      executor: fleet\n"
                           "      instances: {%2}\n      batch_size: 50%\n      pause: 300ms\n"
                           "      health_gate: {url: \"http://{{address}}/health\", consecutive: "
                           "3, interval: 100ms, timeout: 20s}\n"
                           "    verification: {consecutive_successes: 5, timeout: 30s}\n")
                .arg(healthCheck(s.url(QStringLiteral("api"))), map) +
            kRule.arg(QString()) +
            QStringLiteral(
                "executors:\n  fleet:\n    type: http\n    base_url: %1\n    actions:\n"
                "      redeploy_instance: {url: \"/services/{{service}}/deploy\", "
                "json: {instance: \"{{instance}}\", version: \"{{version}}\"}, idempotent: true}\n")
                .arg(quote(s.fleetInfo().value(QLatin1String("control")).toString()));
        REWIND_VERIFY_OK(s.startRewind(yaml));
        REWIND_VERIFY_OK(
            s.route(QStringLiteral("api"), {{"instances", QJsonArray::fromStringList(instances)}}));
        for (const auto &i : instances)
            REWIND_VERIFY_OK(s.deploy(QStringLiteral("api"), i, QStringLiteral("v1.1")));
        const auto good =
            s.record(QStringLiteral("api"), QStringLiteral("v1.1"), QStringLiteral("pool"));
        QVERIFY2(good, qPrintable(testing::why(good)));
        QVERIFY(s.waitVerified(*good));
        REWIND_VERIFY_OK(s.fault(QStringLiteral("api"), QStringLiteral("v1.2"), 0.3));
        const std::size_t mark = s.events().events().size();
        for (const auto &i : instances)
            REWIND_VERIFY_OK(s.deploy(QStringLiteral("api"), i, QStringLiteral("v1.2")));
        REWIND_VERIFY_OK(
            s.record(QStringLiteral("api"), QStringLiteral("v1.2"), QStringLiteral("pool")));

        const auto rollback = s.waitRollback(mark);
        QVERIFY(rollback);
        QCOMPARE(rollback->state, PlanState::Succeeded);
        QCOMPARE(rollback->trigger, QStringLiteral("rule:errors"));
        QCOMPARE(s.stepKinds(*rollback), (QStringList{QStringLiteral("redeploy_instance:succeeded"),
                                                      QStringLiteral("redeploy_instance:succeeded"),
                                                      QStringLiteral("verify_instances:succeeded"),
                                                      QStringLiteral("pause:succeeded"),
                                                      QStringLiteral("redeploy_instance:succeeded"),
                                                      QStringLiteral("redeploy_instance:succeeded"),
                                                      QStringLiteral("verify_instances:succeeded"),
                                                      QStringLiteral("verify_health:succeeded")}));
        // The second batch started only after the first passed its gate and the pause.
        QVERIFY(rollback->steps.at(4).startedAtMs >= rollback->steps.at(3).finishedAtMs);
        QVERIFY(rollback->steps.at(3).finishedAtMs - rollback->steps.at(3).startedAtMs >= 300);
        // Every instance runs v1.1 again, and users get it without errors.
        const auto service = s.control("GET", QStringLiteral("/services/api")).body.object();
        for (const auto &i : instances)
            QCOMPARE(service.value(QLatin1String("instances"))
                         .toObject()
                         .value(i)
                         .toObject()
                         .value(QLatin1String("version"))
                         .toString(),
                     QStringLiteral("v1.1"));
        const auto after =
            s.trafficAfter(QStringLiteral("api"), QDateTime::currentMSecsSinceEpoch(), 80);
        QCOMPARE(after.value(QLatin1String("errors")).toInt(), 0);
        QCOMPARE(after.value(QLatin1String("by_version")).toObject().keys(),
                 QStringList{QStringLiteral("v1.1")});
    }

    void canary()
    {
        Sandbox s;
        REWIND_VERIFY_OK(s.startFleet({QStringLiteral("--service"), QStringLiteral("api"),
                                       QStringLiteral("--load-rps"), QStringLiteral("50"),
                                       QStringLiteral("--write-rps"), QStringLiteral("0")}));
        const QString yaml =
            QStringLiteral(
                "server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                "environments:\n  staging: {auto_rollback: true, verify_after: 1s}\n"
                "services:\n  - name: api\n    environment: staging\n%1"
                "    strategy: {type: canary, executor: nginx-api, steps: [10, 0], pause: 500ms}\n"
                "    verification: {consecutive_successes: 3, timeout: 30s}\n")
                .arg(healthCheck(s.url(QStringLiteral("api")))) +
            kRule.arg(QString()) + QStringLiteral("executors:\n") +
            s.nginxExecutor(QStringLiteral("api"),
                            {QStringLiteral("blue"), QStringLiteral("green")});
        REWIND_VERIFY_OK(s.startRewind(yaml));
        REWIND_VERIFY_OK(
            s.deploy(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.1")));
        const auto stable =
            s.record(QStringLiteral("api"), QStringLiteral("v1.1"), QStringLiteral("blue"));
        QVERIFY2(stable, qPrintable(testing::why(stable)));
        QVERIFY(s.waitVerified(*stable));
        // The canary: v1.2 on green with 30 % of the traffic, failing 60 % of its requests.
        REWIND_VERIFY_OK(s.fault(QStringLiteral("api"), QStringLiteral("v1.2"), 0.6));
        REWIND_VERIFY_OK(
            s.deploy(QStringLiteral("api"), QStringLiteral("green"), QStringLiteral("v1.2")));
        const std::size_t mark = s.events().events().size();
        REWIND_VERIFY_OK(s.route(QStringLiteral("api"),
                                 {{"weights", QJsonObject{{"blue", 70}, {"green", 30}}}}));
        REWIND_VERIFY_OK(
            s.record(QStringLiteral("api"), QStringLiteral("v1.2"), QStringLiteral("green")));

        const auto rollback = s.waitRollback(mark);
        QVERIFY(rollback);
        QCOMPARE(rollback->state, PlanState::Succeeded);
        QCOMPARE(s.stepKinds(*rollback), (QStringList{QStringLiteral("set_weights:succeeded"),
                                                      QStringLiteral("pause:succeeded"),
                                                      QStringLiteral("verify_health:succeeded"),
                                                      QStringLiteral("set_weights:succeeded"),
                                                      QStringLiteral("verify_health:succeeded")}));
        QVERIFY2(rollback->steps.at(0).message.contains(QStringLiteral("blue 90%, green 10%")),
                 qPrintable(rollback->steps.at(0).message));
        // nginx sends everything to the stable group now.
        const auto route = s.control("GET", QStringLiteral("/services/api/route")).body.object();
        QCOMPARE(route.value(QLatin1String("live")).toString(), QStringLiteral("blue"));
        QCOMPARE(
            route.value(QLatin1String("weights")).toObject().value(QLatin1String("green")).toInt(),
            0);
        const auto after =
            s.trafficAfter(QStringLiteral("api"), QDateTime::currentMSecsSinceEpoch() + 500, 80);
        QCOMPARE(after.value(QLatin1String("by_version")).toObject().keys(),
                 QStringList{QStringLiteral("v1.1")});
        QCOMPARE(after.value(QLatin1String("errors")).toInt(), 0);
    }

    void redeploy()
    {
        Sandbox s;
        REWIND_VERIFY_OK(s.startFleet({QStringLiteral("--service"), QStringLiteral("api"),
                                       QStringLiteral("--load-rps"), QStringLiteral("40"),
                                       QStringLiteral("--write-rps"), QStringLiteral("0")}));
        const QString yaml =
            QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                           "environments:\n  staging: {auto_rollback: true, verify_after: 1s}\n"
                           "services:\n  - name: api\n    environment: staging\n%1"
                           "    strategy: {type: redeploy, executor: fleet}\n")
                .arg(healthCheck(s.url(QStringLiteral("api")))) +
            kRule.arg(QString()) +
            QStringLiteral(
                "executors:\n  fleet:\n    type: http\n    base_url: %1\n    actions:\n"
                "      redeploy: {url: \"/services/{{service}}/deploy\", "
                "json: {instance: \"{{target}}\", version: \"{{version}}\"}, idempotent: true}\n")
                .arg(quote(s.fleetInfo().value(QLatin1String("control")).toString()));
        REWIND_VERIFY_OK(s.startRewind(yaml));
        REWIND_VERIFY_OK(
            s.deploy(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.1")));
        const auto good =
            s.record(QStringLiteral("api"), QStringLiteral("v1.1"), QStringLiteral("blue"));
        QVERIFY(s.waitVerified(*good));
        REWIND_VERIFY_OK(s.fault(QStringLiteral("api"), QStringLiteral("v1.2"), 0.3));
        const std::size_t mark = s.events().events().size();
        // In place: the same instance now runs v1.2.
        REWIND_VERIFY_OK(
            s.deploy(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.2")));
        REWIND_VERIFY_OK(
            s.record(QStringLiteral("api"), QStringLiteral("v1.2"), QStringLiteral("blue")));
        const auto rollback = s.waitRollback(mark);
        QVERIFY(rollback);
        QCOMPARE(rollback->state, PlanState::Succeeded);
        QCOMPARE(s.stepKinds(*rollback), (QStringList{QStringLiteral("redeploy:succeeded"),
                                                      QStringLiteral("verify_health:succeeded")}));
        const auto after =
            s.trafficAfter(QStringLiteral("api"), QDateTime::currentMSecsSinceEpoch(), 60);
        QCOMPARE(after.value(QLatin1String("by_version")).toObject().keys(),
                 QStringList{QStringLiteral("v1.1")});
        QCOMPARE(after.value(QLatin1String("errors")).toInt(), 0);
    }

    void frontend()
    {
        Sandbox s;
        REWIND_VERIFY_OK(
            s.startFleet({QStringLiteral("--service"), QStringLiteral("web"),
                          QStringLiteral("--load-rps"), QStringLiteral("10"),
                          QStringLiteral("--cdn-token-env"), QStringLiteral("FLEET_CDN_TOKEN")}));
        const auto assets = s.fleetInfo().value(QLatin1String("assets")).toObject();
        const QString dir = assets.value(QLatin1String("dir")).toString();
        const QString current = assets.value(QLatin1String("current")).toString();
        const QString cdn = s.fleetInfo()
                                .value(QLatin1String("cdn"))
                                .toObject()
                                .value(QLatin1String("url"))
                                .toString();
        const QString yaml =
            QStringLiteral(
                "server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                "environments:\n  staging: {auto_rollback: true, verify_after: 1s}\n"
                "services:\n  - name: web\n    environment: staging\n    kind: frontend\n"
                "    checks: [{name: assets, type: http, url: %1, body_contains: \"APP_OK = "
                "true\", interval: 100ms, timeout: 1s}]\n"
                "    strategy: {type: frontend, executor: assets, purge: cdn}\n"
                "rules:\n  - {name: broken-assets, when: \"consecutive_failures(assets) >= 3\", "
                "severity: critical, action: rollback}\n"
                "executors:\n  assets:\n    type: command\n    actions:\n      switch_assets:\n"
                "        run:\n          - [ln, -sfnT, %2, %3]\n          - [mv, -fT, %3, %4]\n"
                "        idempotent: true\n"
                "  cdn:\n    type: http\n    base_url: %5\n"
                "    headers: {Authorization: \"env:REWIND_CDN_AUTHORIZATION\"}\n"
                "    actions:\n      purge_cdn: {url: \"/client/v4/zones/fleet/purge_cache\", "
                "json: {purge_everything: true}, idempotent: true}\n")
                .arg(quote(cdn + QStringLiteral("/assets/app.js")),
                     quote(dir + QStringLiteral("/{{version}}")),
                     quote(current + QStringLiteral(".new")), quote(current), quote(cdn));
        REWIND_VERIFY_OK(s.startRewind(yaml));
        QVERIFY(s.control("POST", QStringLiteral("/assets"), {{"version", "v1.1"}}).ok());
        QVERIFY(
            s.control("POST", QStringLiteral("/assets"), {{"version", "v1.2"}, {"broken", true}})
                .ok());
        QVERIFY(s.control("POST", QStringLiteral("/assets/activate"), {{"version", "v1.1"}}).ok());
        const auto fetch = [&](const QString &path) {
            QNetworkAccessManager network;
            auto *reply = network.get(QNetworkRequest(QUrl(cdn + path)));
            drill::waitUntil([&] { return reply->isFinished(); }, 10'000);
            auto body = reply->readAll();
            reply->deleteLater();
            return body;
        };
        const auto purge = [&] {
            QNetworkAccessManager network;
            QNetworkRequest request(
                QUrl(cdn + QStringLiteral("/client/v4/zones/fleet/purge_cache")));
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer cdn-token-e2e-4711");
            auto *reply = network.post(request, QByteArrayLiteral("{\"purge_everything\":true}"));
            drill::waitUntil([&] { return reply->isFinished(); }, 10'000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            return status;
        };
        QCOMPARE(purge(), 200); // what CI does after activating a release
        const auto good =
            s.record(QStringLiteral("web"), QStringLiteral("v1.1"), {}, QStringLiteral("v1.1"));
        QVERIFY2(good, qPrintable(testing::why(good)));
        QVERIFY(s.waitVerified(*good));
        const std::size_t mark = s.events().events().size();
        QVERIFY(s.control("POST", QStringLiteral("/assets/activate"), {{"version", "v1.2"}}).ok());
        QCOMPARE(purge(), 200);
        REWIND_VERIFY_OK(
            s.record(QStringLiteral("web"), QStringLiteral("v1.2"), {}, QStringLiteral("v1.2")));

        const auto rollback = s.waitRollback(mark);
        QVERIFY(rollback);
        QCOMPARE(rollback->state, PlanState::Succeeded);
        QCOMPARE(s.stepKinds(*rollback), (QStringList{QStringLiteral("switch_assets:succeeded"),
                                                      QStringLiteral("purge_cdn:succeeded"),
                                                      QStringLiteral("verify_health:succeeded")}));
        QCOMPARE(QFileInfo(current).symLinkTarget(), dir + QStringLiteral("/v1.1"));
        // The edge serves the good assets again (it had the broken ones cached until the purge).
        const auto served = fetch(QStringLiteral("/assets/app.js"));
        QVERIFY2(served.contains("APP_VERSION = \"v1.1\""), served.constData());
        const auto state = s.control("GET", QStringLiteral("/state")).body.object();
        QCOMPARE(
            state.value(QLatin1String("cdn")).toObject().value(QLatin1String("purges")).toInt(), 3);
    }

    void databaseOnSqlite() { databaseScenario({}, {}, false); }

    void databaseRestoresTheSnapshotWhenIntegrityFails() { databaseScenario({}, {}, true); }

    void databaseOnPostgres()
    {
        m_pg = std::make_unique<testing::PostgresServer>();
        REWIND_REQUIRE_PEER(m_pg->available(), "PostgreSQL 15 (Debian package postgresql-15)");
        REWIND_VERIFY_OK(m_pg->start());
        REWIND_VERIFY_OK(
            m_pg->execute(QStringLiteral("CREATE ROLE shop LOGIN PASSWORD 'e2e-pg-secret'")));
        REWIND_VERIFY_OK(m_pg->execute(QStringLiteral("CREATE DATABASE shop OWNER shop")));
        qputenv("SHOP_DB_PASSWORD", "e2e-pg-secret");
        databaseScenario(QStringLiteral("postgresql://shop@127.0.0.1:%1/shop").arg(m_pg->port()),
                         QStringLiteral("SHOP_DB_PASSWORD"), false);
        m_pg.reset();
    }
};

QTEST_GUILESS_MAIN(TestStrategies)
#include "tst_strategies.moc"
