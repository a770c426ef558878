// kill -9 during a rollback, at many points: a real rewindd process rolls back a three-service
// release train (web -> api -> db, immediate class: web, then api, then the database with a
// real SQLite snapshot and a migration), and is killed with SIGKILL right after its N-th step
// event, for every N. Where the kill landed is read from the store before the restart (the
// steps it journalled as finished and as running; it must be step event N, or N+1 when the next
// step had already been journalled as started). Restarted on the same store, a plan whose
// interrupted step is idempotent, or that was killed between steps, must end `succeeded`; one
// whose interrupted step is not idempotent (web's redeploy, the migration) must end
// `needs_attention` and say it was interrupted. No non-idempotent step ever runs twice (the
// recording stand-in counts every run), and no history is lost.
#include "client/restclient.h"
#include "client/sync/syncrest.h"
#include "eventrecorder.h"
#include "processes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

namespace {

constexpr int kStartTimeoutMs = 30'000;

// The plan has 8 steps that always run (2 for web, 2 for api, 4 for db) and a compensating
// restore: 16 step events when nothing goes wrong.
constexpr int kStepEvents = 16;

QString yamlConfig(const QString &dir, const QString &standin)
{
    return QStringLiteral(R"(server: {listen: "127.0.0.1:0", store: "sqlite:rewind.db"}
environments:
  staging: {auto_rollback: true, verify_after: 300ms}
services:
  - name: db
    environment: staging
    kind: database
    checks: [{name: up, type: command, argv: ["true"], interval: 100ms}]
    strategy:
      type: database
      executor: shopdb
      migrate: {executor: migrator}
      integrity: {tables: [{name: orders, key: id}]}
  - {name: api, environment: staging, depends_on: [db], strategy: {type: redeploy, executor: api-deployer},
     checks: [{name: up, type: command, argv: ["true"], interval: 100ms}]}
  - {name: web, environment: staging, kind: frontend, depends_on: [api], strategy: {type: redeploy, executor: web-deployer},
     checks: [{name: up, type: command, argv: ["true"], interval: 100ms}]}
executors:
  shopdb: {type: sqlite, path: "%1/shop.db", snapshots: {dir: "%1/snapshots"}}
  migrator:
    type: command
    actions: {migrate_down: {argv: ["%2", migrate, "{{service}}", "{{rollback_id}}"], timeout: 20s}}
  api-deployer:
    type: command
    actions: {redeploy: {argv: ["%2", redeploy, "{{service}}", "{{rollback_id}}"], idempotent: true, timeout: 20s}}
  web-deployer:
    type: command
    actions: {redeploy: {argv: ["%2", redeploy, "{{service}}", "{{rollback_id}}"], timeout: 20s}}
)")
               .arg(dir, standin) +
           drill::sandboxUsers(QStringLiteral("crash-test"), QStringLiteral("CRASH_TEST_TOKEN"));
}

} // namespace

class TestCrashResume : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        QString state;
        QString message;
        QMap<QString, int> runs; // "migrate db" -> times the stand-in ran
        QStringList problems;
        // Where the kill landed, as the store had it: step events journalled (two per finished
        // step, one per running one) and the running steps, as "kind service".
        int landedAt = -1;
        QStringList interrupted;
        QStringList kinds; // of every step, in plan order
    };

    // One crash at step event `killAfter`, then a restart that finishes the plan.
    Run crashAt(int killAfter)
    {
        Run out;
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("runs.jsonl"));
        qputenv("STANDIN_LOG", log.toUtf8());
        qputenv("STANDIN_SLEEP_MS", "150");
        const QString token = drill::randomToken();
        qputenv("CRASH_TEST_TOKEN", token.toUtf8());
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("shop"));
            db.setDatabaseName(dir.filePath(QStringLiteral("shop.db")));
            if (db.open()) {
                QSqlQuery q(db);
                q.exec(
                    QStringLiteral("CREATE TABLE orders (id INTEGER PRIMARY KEY, amount INTEGER)"));
                q.exec(QStringLiteral("INSERT INTO orders (amount) VALUES (1), (2), (3)"));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("shop"));
        const QString config = dir.filePath(QStringLiteral("rewind.yaml"));
        {
            QFile f(config);
            f.open(QIODevice::WriteOnly);
            f.write(
                yamlConfig(dir.path(), QStringLiteral(REWIND_BIN_DIR "/rewind-standin")).toUtf8());
        }
        const auto start = [&](drill::ManagedProcess &p, QUrl *url) {
            if (const auto started =
                    p.start(QStringLiteral(REWIND_BIN_DIR "/rewindd"),
                            {QStringLiteral("--config"), config, QStringLiteral("--log-level"),
                             QStringLiteral("info")},
                            kStartTimeoutMs);
                !started) {
                out.problems.append(started.error().message);
                return false;
            }
            *url = QUrl(p.ready().value(QLatin1String("rewindd")).toString());
            return true;
        };

        // First life: record the releases, start the rollback, die at the chosen moment.
        qint64 rollbackId = 0;
        {
            drill::ManagedProcess first(QStringLiteral("rewindd"),
                                        dir.filePath(QStringLiteral("first.log")));
            QUrl url;
            if (!start(first, &url))
                return out;
            client::RestClient rest;
            rest.setBaseUrl(url);
            rest.setToken(token);
            const auto record = [&](const QString &service, const QString &version) {
                const auto r =
                    client::callAndWait(rest, "POST", QStringLiteral("/api/v1/deployments"),
                                        {{"service", service}, {"version", version}});
                if (!r.ok())
                    out.problems.append(r.error->message);
            };
            for (const auto *s : {"db", "api", "web"})
                record(QLatin1String(s), QStringLiteral("v1"));
            const bool verified = drill::waitUntil(
                [&] {
                    const auto r =
                        client::callAndWait(rest, "GET", QStringLiteral("/api/v1/status"));
                    int count = 0;
                    for (const auto &s : r.body.object().value(QLatin1String("services")).toArray())
                        count += s.toObject().value(QLatin1String("last_good")).isObject() ? 1 : 0;
                    return count == 3;
                },
                20'000);
            if (!verified) {
                out.problems.append(QStringLiteral("v1 was never verified"));
                return out;
            }
            for (const auto *s : {"db", "api", "web"})
                record(QLatin1String(s), QStringLiteral("v2"));
            drill::EventRecorder events;
            if (const auto connected = events.connectTo(url, token, kStartTimeoutMs); !connected) {
                out.problems.append(connected.error().message);
                return out;
            }
            const auto r = client::callAndWait(rest, "POST", QStringLiteral("/api/v1/rollbacks"),
                                               {{"services", QJsonArray{"api"}},
                                                {"class", "immediate"},
                                                {"reason", "crash test"}});
            if (!r.ok()) {
                out.problems.append(r.error->message);
                return out;
            }
            rollbackId = r.body.object().value(QLatin1String("id")).toInteger();
            int stepEvents = 0;
            const bool reached = drill::waitUntil(
                [&] {
                    stepEvents = 0;
                    for (const auto &e : events.events())
                        stepEvents +=
                            e.event.type.startsWith(QLatin1String("rollback_step_")) ? 1 : 0;
                    return stepEvents >= killAfter;
                },
                20'000);
            first.kill();
            if (!reached) {
                out.problems.append(QStringLiteral("step event %1 never came (%2 did)")
                                        .arg(killAfter)
                                        .arg(stepEvents));
                return out;
            }
        }
        landing(dir.filePath(QStringLiteral("rewind.db")), out);

        // Second life, same store: the plan must end.
        drill::ManagedProcess second(QStringLiteral("rewindd"),
                                     dir.filePath(QStringLiteral("second.log")));
        QUrl url;
        if (!start(second, &url))
            return out;
        client::RestClient rest;
        rest.setBaseUrl(url);
        rest.setToken(token);
        QJsonObject rollback;
        drill::waitUntil(
            [&] {
                rollback = client::callAndWait(
                               rest, "GET", QStringLiteral("/api/v1/rollbacks/%1").arg(rollbackId))
                               .body.object();
                const auto state = rollback.value(QLatin1String("state")).toString();
                return state == u"succeeded" || state == u"needs_attention" || state == u"failed";
            },
            30'000);
        out.state = rollback.value(QLatin1String("state")).toString();
        out.message = rollback.value(QLatin1String("message")).toString();
        second.stop();

        // What ran, according to the stand-in.
        QFile runs(log);
        if (runs.open(QIODevice::ReadOnly)) {
            for (const auto &line : runs.readAll().split('\n')) {
                if (line.isEmpty())
                    continue;
                const auto argv =
                    QJsonDocument::fromJson(line).object().value(QLatin1String("argv")).toArray();
                out.runs[argv.at(0).toString() + u' ' + argv.at(1).toString()] += 1;
            }
        }
        // History: every release and every step is there, nothing left running.
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("history"));
        db.setDatabaseName(dir.filePath(QStringLiteral("rewind.db")));
        if (db.open()) {
            QSqlQuery q(db);
            const auto count = [&](const QString &sql) {
                return q.exec(sql) && q.next() ? q.value(0).toInt() : -1;
            };
            if (count(QStringLiteral("SELECT count(*) FROM releases")) != 6)
                out.problems.append(QStringLiteral("releases lost"));
            if (count(QStringLiteral("SELECT count(*) FROM rollback_steps")) != 9)
                out.problems.append(QStringLiteral("steps lost"));
            if (count(QStringLiteral(
                    "SELECT count(*) FROM rollback_steps WHERE state IN ('running', 'pending')")) !=
                0)
                out.problems.append(QStringLiteral("steps left running or pending"));
            if (count(QStringLiteral(
                    "SELECT count(*) FROM step_attempts WHERE outcome = 'running'")) != 0)
                out.problems.append(QStringLiteral("attempts left running"));
            if (count(QStringLiteral("SELECT count(*) FROM rollbacks")) != 1)
                out.problems.append(QStringLiteral("rollback rows"));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("history"));
        return out;
    }

    // Reads where the kill landed from the store of the killed process (nothing runs on it now).
    static void landing(const QString &store, Run &out)
    {
        {
            auto db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("landing"));
            db.setDatabaseName(store);
            if (!db.open()) {
                out.problems.append(QStringLiteral("cannot open the store after the kill"));
            } else {
                QSqlQuery q(db);
                int finished = 0;
                int running = 0;
                if (!q.exec(QStringLiteral(
                        "SELECT state, kind, service FROM rollback_steps ORDER BY idx")))
                    out.problems.append(QStringLiteral("cannot read the steps after the kill"));
                while (q.next()) {
                    const auto state = q.value(0).toString();
                    out.kinds.append(q.value(1).toString());
                    if (state == u"succeeded" || state == u"failed")
                        ++finished;
                    if (state == u"running") {
                        ++running;
                        out.interrupted.append(q.value(1).toString() + u' ' +
                                               q.value(2).toString());
                    }
                }
                out.landedAt = 2 * finished + running;
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("landing"));
    }

private slots:
    void initTestCase() { qputenv("STANDIN_EXIT", "0"); }

    void killNineAnywhere_data()
    {
        QTest::addColumn<int>("killAfter");
        for (int k = 1; k <= kStepEvents; ++k)
            QTest::addRow("after step event %d", k) << k;
    }

    void killNineAnywhere()
    {
        QFETCH(int, killAfter);
        const auto run = crashAt(killAfter);
        QVERIFY2(run.problems.isEmpty(), qPrintable(run.problems.join(QStringLiteral("; "))));
        // The kill landed where intended: the store had journalled step event N, or already the
        // start of the next step, which follows a step's end at once — and past any step that
        // takes no time (the integrity check runs in rewindd: it ends as soon as it starts).
        const auto instant = [&](int step) {
            return step < run.kinds.size() && run.kinds.at(step) == u"integrity_check";
        };
        int latest = killAfter;
        if (latest % 2 == 1 && instant((latest - 1) / 2))
            ++latest; // the end of the instant step that started at N
        while (latest % 2 == 0 && latest / 2 < run.kinds.size()) {
            ++latest; // the start of the next step
            if (!instant((latest - 1) / 2))
                break;
            ++latest; // and its end, at once
        }
        QVERIFY2(run.landedAt >= killAfter && run.landedAt <= latest,
                 qPrintable(QStringLiteral("killed after step event %1, but the store had "
                                           "journalled %2 (at most %3 expected)")
                                .arg(killAfter)
                                .arg(run.landedAt)
                                .arg(latest)));
        QVERIFY2(run.interrupted.size() <= 1, qPrintable(run.interrupted.join(u',')));
        // The steps that cannot safely run twice; every other one may be run again.
        static const QStringList notIdempotent{QStringLiteral("redeploy web"),
                                               QStringLiteral("migrate_down db")};
        const bool mustSucceed =
            run.interrupted.isEmpty() || !notIdempotent.contains(run.interrupted.constFirst());
        QVERIFY2(run.state == (mustSucceed ? u"succeeded" : u"needs_attention"),
                 qPrintable(QStringLiteral("interrupted: %1; ended %2: %3")
                                .arg(run.interrupted.isEmpty() ? QStringLiteral("no step")
                                                               : run.interrupted.join(u','),
                                     run.state, run.message)));
        // Never twice: the web redeploy and the migration are not idempotent.
        QVERIFY2(run.runs.value(QStringLiteral("redeploy web")) <= 1, "web redeployed twice");
        QVERIFY2(run.runs.value(QStringLiteral("migrate db")) <= 1, "migrated twice");
        // A plan that could go on did so to the end.
        if (run.state == u"succeeded") {
            QCOMPARE(run.runs.value(QStringLiteral("redeploy web")), 1);
            QVERIFY(run.runs.value(QStringLiteral("redeploy api")) >= 1);
            QCOMPARE(run.runs.value(QStringLiteral("migrate db")), 1);
        } else {
            QVERIFY2(run.message.contains(QStringLiteral("interrupted")), qPrintable(run.message));
        }
        qInfo("killed after step event %d (journalled %d, interrupted %s): %s (%s)", killAfter,
              run.landedAt, qPrintable(run.interrupted.join(u',')), qPrintable(run.state),
              qPrintable(run.message));
    }
};

QTEST_GUILESS_MAIN(TestCrashResume)
#include "tst_crashresume.moc"
