// The sql check against SQLite files and a real PostgreSQL server (started by the test): the
// value of a query, clear failures that never contain the password, timeouts enforced without
// blocking the event loop, prompt destruction in the middle of a query, and config errors with
// their file:line:col.
#include "common/clock.h"
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "httptestserver.h"
#include "monitor/checks/sql/sqlcheck.h"
#include "peers.h"
#include "postgresserver.h"
#include "processes.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <optional>

using namespace rwd;

namespace {

// A query that keeps SQLite busy for about a second or more: counting to the number in `knobs`.
const QString kSlowSqliteQuery =
    QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                   "WHERE x < (SELECT n FROM knobs)) SELECT count(*) FROM c");
constexpr int kSlowSqliteCount = 2'000'000;

// A query that sleeps as many seconds as `knobs` says, then returns 1.
const QString kSleepyPostgresQuery =
    QStringLiteral("SELECT count(*) FROM pg_sleep((SELECT seconds FROM knobs))");

const QString kReader = QStringLiteral("reader");
const QString kReaderPassword = QStringLiteral("Correct-Horse-42");
const QString kWrongPassword = QStringLiteral("Wrong-Battery-17");
const QByteArray kPasswordVariable = "REWIND_TST_PG_PASSWORD";

QByteArray quoted(const QString &text)
{
    return "'" + text.toUtf8().replace("'", "''") + "'";
}

// The samples a check reported. Shared with the callback so that a callback arriving after a test
// gave up waiting never writes to a dead stack frame.
struct Samples
{
    QList<monitor::Sample> received;

    [[nodiscard]] monitor::Check::Done collector(const std::shared_ptr<Samples> &self) const
    {
        return [self](const monitor::Sample &s) { self->received.append(s); };
    }
};

// `sample` as text for failure messages.
QByteArray describe(const monitor::Sample &s)
{
    const auto *value = s.field(QStringLiteral("value"));
    return QStringLiteral("ok=%1 value=%2 error='%3' latency=%4s")
        .arg(s.ok)
        .arg(value != nullptr ? QString::number(value->value) : QStringLiteral("-"))
        .arg(s.error)
        .arg(s.latency)
        .toUtf8();
}

// Probes once and waits for the sample.
monitor::Sample probeOnce(monitor::Check &check, int waitMs = 20'000)
{
    auto samples = std::make_shared<Samples>();
    check.probe(samples->collector(samples));
    const bool answered = drill::waitUntil([&] { return !samples->received.isEmpty(); }, waitMs);
    [&] { QVERIFY2(answered, "the check gave no sample"); }();
    return samples->received.value(0);
}

// A 10 ms timer that measures how long the event loop went without running it.
class Ticker
{
public:
    Ticker()
    {
        m_sinceLast.start();
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { tick(); });
        m_timer.start(10);
    }
    // Stops, and returns the longest time between two ticks (or the start, or now).
    qint64 stop()
    {
        tick();
        m_timer.stop();
        return m_longestMs;
    }
    [[nodiscard]] int ticks() const { return m_ticks; }

private:
    void tick()
    {
        ++m_ticks;
        m_longestMs = std::max(m_longestMs, m_sinceLast.restart());
    }

    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_longestMs = 0;
    int m_ticks = 0;
};

// Probes a check back to back (each probe as soon as the previous answered) until stopped.
class Repeater : public QObject
{
public:
    explicit Repeater(monitor::Check &check)
        : m_check(check)
    {}
    ~Repeater() override { stop(); }
    Q_DISABLE_COPY_MOVE(Repeater)

    void start() { next(); }
    void stop()
    {
        if (!m_stopped)
            m_check.cancel();
        m_stopped = true;
    }
    [[nodiscard]] const QList<monitor::Sample> &samples() const { return m_samples; }

private:
    void next()
    {
        if (m_stopped)
            return;
        m_check.probe([this](const monitor::Sample &s) {
            m_samples.append(s);
            QTimer::singleShot(0, this, [this] { next(); });
        });
    }

    monitor::Check &m_check;
    QList<monitor::Sample> m_samples;
    bool m_stopped = false;
};

QStringList messages(const config::LoadResult &r)
{
    QStringList out;
    for (const auto &d : r.diagnostics.items())
        out.append(d.format());
    return out;
}

} // namespace

class TestSqlCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    monitor::CheckRuntime m_runtime{nullptr, &m_clock};
    QString m_itemsDb;
    std::unique_ptr<testing::PostgresServer> m_pg;

    // A check built from the YAML map `yaml` as the daemon would, in a file in the temporary
    // directory. Null, with the messages in `errors`, when the options are invalid.
    std::unique_ptr<monitor::Check> build(const QByteArray &yaml, qint64 timeoutMs,
                                          QString *errors = nullptr)
    {
        config::Diagnostics diagnostics;
        const auto node = config::ConfigNode::parse(
                              yaml, m_dir.filePath(QStringLiteral("rewind.yaml")), diagnostics)
                              .value_or(config::ConfigNode{});
        config::MapReader reader(node, diagnostics, QStringLiteral("check 'db'"));
        config::CheckConfig common;
        common.name = QStringLiteral("db");
        common.type = QStringLiteral("sql");
        common.timeoutMs = timeoutMs;
        common.node = node;
        common.position = node.position();
        auto check = monitor::SqlCheck::create(reader, common, m_runtime);
        if (errors)
            *errors = diagnostics.format();
        if (diagnostics.hasErrors())
            return nullptr;
        return check;
    }

    std::unique_ptr<monitor::Check> sqlite(const QString &url, const QString &query,
                                           qint64 timeoutMs = 5'000)
    {
        QString errors;
        auto check =
            build("{url: " + quoted(url) + ", query: " + quoted(query) + "}", timeoutMs, &errors);
        [&] { QVERIFY2(check, qPrintable(errors)); }();
        return check;
    }

    std::unique_ptr<monitor::Check> postgres(const QString &query, qint64 timeoutMs = 5'000,
                                             const QByteArray &extra = {})
    {
        QString errors;
        auto check = build("{url: " + quoted(m_pg->url(QStringLiteral("app"))) +
                               ", query: " + quoted(query) + extra + "}",
                           timeoutMs, &errors);
        [&] { QVERIFY2(check, qPrintable(errors)); }();
        return check;
    }

    // Runs SQL on the SQLite fixture (read-write, unlike the check).
    void sqliteExec(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("fixture")));
        QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    }

    void pgExec(const QString &sql, const QString &database = QStringLiteral("app"))
    {
        REWIND_VERIFY_OK(m_pg->execute(sql, database));
    }

    // Backends of the sql check (application_name 'rewind') running a query like `pattern`.
    int checkBackends(const QString &pattern = QStringLiteral("%"))
    {
        const auto n = m_pg->value(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE "
                                                  "application_name = 'rewind' AND query LIKE "
                                                  "'%1' AND state = 'active'")
                                       .arg(pattern));
        [&] { QVERIFY2(n, qPrintable(testing::why(n))); }();
        return n.valueOr(QVariant()).toInt();
    }

    int checkConnections()
    {
        const auto n = m_pg->value(
            QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                           "'rewind'"));
        [&] { QVERIFY2(n, qPrintable(testing::why(n))); }();
        return n.valueOr(QVariant()).toInt();
    }

    config::LoadResult loadService(const QByteArray &checkYaml)
    {
        static const daemon::Registries registries;
        return config::loadConfigText("services:\n"
                                      "  - name: api\n"
                                      "    checks:\n" +
                                          checkYaml,
                                      QStringLiteral("test.yaml"), daemon::catalogOf(registries));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Relative sqlite: paths must resolve next to the config file, not the working directory.
        QVERIFY(QDir::currentPath() != m_dir.path());
        m_itemsDb = m_dir.filePath(QStringLiteral("items.db"));
        {
            auto db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fixture"));
            db.setDatabaseName(m_itemsDb);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        }
        // WAL: the test can change `knobs` while a check's slow query still reads the file.
        sqliteExec(QStringLiteral("PRAGMA journal_mode=WAL"));
        sqliteExec(QStringLiteral("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"));
        sqliteExec(QStringLiteral("INSERT INTO items (name) VALUES ('apple'), ('banana'), "
                                  "('cherry')"));
        sqliteExec(QStringLiteral("CREATE TABLE knobs (n INTEGER)"));
        sqliteExec(QStringLiteral("INSERT INTO knobs VALUES (5)"));

        auto pg = std::make_unique<testing::PostgresServer>();
        if (!pg->available())
            return;
        REWIND_VERIFY_OK(pg->start());
        m_pg = std::move(pg);
        pgExec(QStringLiteral("CREATE DATABASE app"), QStringLiteral("postgres"));
        pgExec(QStringLiteral("CREATE TABLE jobs (id serial PRIMARY KEY, state text NOT NULL)"));
        pgExec(QStringLiteral("INSERT INTO jobs (state) VALUES ('done'), ('failed'), ('done'), "
                              "('failed'), ('failed')"));
        pgExec(QStringLiteral("CREATE TABLE knobs (seconds double precision)"));
        pgExec(QStringLiteral("INSERT INTO knobs VALUES (0)"));
        pgExec(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'").arg(kReader, kReaderPassword));
        pgExec(QStringLiteral("GRANT SELECT ON jobs TO %1").arg(kReader));
    }

    void cleanupTestCase()
    {
        // Workers detached from checks destroyed mid-query end by themselves once their query
        // returns (bounded by statement_timeout, or the slow SQLite query's length).
        QVERIFY2(drill::waitUntil([] { return monitor::SqlCheck::workerThreads() == 0; }, 30'000),
                 qPrintable(QString::number(monitor::SqlCheck::workerThreads())));
        if (m_pg) {
            QVERIFY(m_pg->stop());
            QVERIFY(!m_pg->isRunning());
        }
        QSqlDatabase::removeDatabase(QStringLiteral("fixture"));
    }

    // ---- SQLite ----

    void countsRowsInASqliteDatabase()
    {
        auto check = sqlite(QStringLiteral("sqlite:") + m_itemsDb,
                            QStringLiteral("SELECT count(*) FROM items"));
        QVERIFY(check);
        QCOMPARE(check->defaultField(), QStringLiteral("value"));
        const auto fields = monitor::allFields(*check);
        QCOMPARE(fields.size(), 2);
        QCOMPARE(fields.at(1).name, QStringLiteral("value"));
        QCOMPARE(fields.at(1).dimension, rules::Dimension::Scalar);

        const auto first = probeOnce(*check);
        QVERIFY2(first.ok, describe(first));
        QVERIFY(first.error.isEmpty());
        QCOMPARE(first.field(QStringLiteral("value"))->value, 3.0);
        QVERIFY(first.latency >= 0 && first.latency < 5);

        // The connection stays open between probes and sees new rows.
        sqliteExec(QStringLiteral("INSERT INTO items (name) VALUES ('damson')"));
        const auto second = probeOnce(*check);
        QVERIFY2(second.ok, describe(second));
        QCOMPARE(second.field(QStringLiteral("value"))->value, 4.0);
        sqliteExec(QStringLiteral("DELETE FROM items WHERE name = 'damson'"));
    }

    void resolvesRelativeSqlitePathsNextToTheConfigFile()
    {
        auto check =
            sqlite(QStringLiteral("sqlite:items.db"), QStringLiteral("SELECT max(id) FROM items"));
        QVERIFY(check);
        const auto &options = static_cast<monitor::SqlCheck &>(*check).options();
        QCOMPARE(options.database, m_itemsDb);
        QCOMPARE(options.driver, QStringLiteral("QSQLITE"));
        const auto s = probeOnce(*check);
        QVERIFY2(s.ok, describe(s));
        QCOMPARE(s.field(QStringLiteral("value"))->value, 3.0);
    }

    void failsClearlyWhenTheResultIsNotANumber_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error");
        QTest::newRow("text") << QStringLiteral("SELECT name FROM items ORDER BY id")
                              << QStringLiteral(
                                     "the query returned 'apple', which is not a number");
        QTest::newRow("no rows") << QStringLiteral("SELECT id FROM items WHERE id < 0")
                                 << QStringLiteral("the query returned no rows");
        QTest::newRow("NULL") << QStringLiteral("SELECT NULL")
                              << QStringLiteral("the query returned NULL, not a number");
        // SQLite files are opened read-only: a check never changes (or creates) them.
        QTest::newRow("a write") << QStringLiteral("DELETE FROM items")
                                 << QStringLiteral(
                                        "the query failed: attempt to write a readonly database");
    }
    void failsClearlyWhenTheResultIsNotANumber()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        auto check = sqlite(QStringLiteral("sqlite:items.db"), query);
        QVERIFY(check);
        const auto s = probeOnce(*check);
        QVERIFY(!s.ok);
        QCOMPARE(s.error, error);
        QVERIFY(s.fields.isEmpty());
    }

    void numbersWrittenAsTextAreNumbers()
    {
        auto check = sqlite(QStringLiteral("sqlite:items.db"), QStringLiteral("SELECT ' 2.5 '"));
        QVERIFY(check);
        const auto s = probeOnce(*check);
        QVERIFY2(s.ok, describe(s));
        QCOMPARE(s.field(QStringLiteral("value"))->value, 2.5);
    }

    void aSyntaxErrorFailsWithTheDriversMessage()
    {
        auto check = sqlite(QStringLiteral("sqlite:items.db"), QStringLiteral("SELEC count(*)"));
        QVERIFY(check);
        const auto s = probeOnce(*check);
        QVERIFY(!s.ok);
        QVERIFY2(s.error.startsWith(QStringLiteral("the query failed: ")), qPrintable(s.error));
        QVERIFY2(s.error.contains(QStringLiteral("syntax error")), qPrintable(s.error));
        // The check keeps working (it reconnects after a failure).
        const auto again = probeOnce(*check);
        QCOMPARE(again.error, s.error);
    }

    void aMissingSqliteFileFailsAndIsNotCreated()
    {
        const QString missing = m_dir.filePath(QStringLiteral("missing.db"));
        auto check = sqlite(QStringLiteral("sqlite:missing.db"), QStringLiteral("SELECT 1"));
        QVERIFY(check);
        const auto s = probeOnce(*check);
        QVERIFY(!s.ok);
        QVERIFY2(s.error.startsWith(QStringLiteral("cannot connect to sqlite:") + missing +
                                    QStringLiteral(": ")),
                 qPrintable(s.error));
        QVERIFY(!QFile::exists(missing));
    }

    void theDimensionIsConfigurable()
    {
        QString errors;
        auto ratio = build("{url: 'sqlite:items.db', query: 'SELECT 0.25', dimension: ratio}",
                           5'000, &errors);
        QVERIFY2(ratio, qPrintable(errors));
        QCOMPARE(ratio->fields().value(0).dimension, rules::Dimension::Ratio);
        auto duration = build("{url: 'sqlite:items.db', query: 'SELECT 1.5', dimension: "
                              "duration}",
                              5'000, &errors);
        QVERIFY2(duration, qPrintable(errors));
        QCOMPARE(duration->fields().value(0).dimension, rules::Dimension::Time);
        const auto s = probeOnce(*ratio);
        QVERIFY2(s.ok, describe(s));
        QCOMPARE(s.field(QStringLiteral("value"))->value, 0.25);
    }

    // A query slower than the timeout fails at the timeout while the event loop keeps running
    // (a timer ticks, another check keeps answering); its late answer is dropped, and the check
    // answers normally once the query is over.
    void aSlowSqliteQueryTimesOutWithoutBlockingTheEventLoop()
    {
        sqliteExec(QStringLiteral("UPDATE knobs SET n = %1").arg(kSlowSqliteCount));
        auto slow = sqlite(QStringLiteral("sqlite:items.db"), kSlowSqliteQuery, 300);
        auto fast =
            sqlite(QStringLiteral("sqlite:items.db"), QStringLiteral("SELECT count(*) FROM items"));
        QVERIFY(slow && fast);

        Ticker ticker;
        Repeater fastProbes(*fast);
        fastProbes.start();
        auto slowSamples = std::make_shared<Samples>();
        QElapsedTimer elapsed;
        elapsed.start();
        slow->probe(slowSamples->collector(slowSamples));
        QVERIFY(drill::waitUntil([&] { return !slowSamples->received.isEmpty(); }, 5'000));
        const qint64 tookMs = elapsed.elapsed();
        fastProbes.stop();
        const qint64 longestStallMs = ticker.stop();

        const auto timedOut = slowSamples->received.first();
        QVERIFY(!timedOut.ok);
        QCOMPARE(timedOut.error, QStringLiteral("no result within 300 ms"));
        QVERIFY2(tookMs >= 295 && tookMs < 1'500, qPrintable(QString::number(tookMs)));
        QVERIFY2(timedOut.latency >= 0.29, describe(timedOut));
        // A blocked event loop would have stalled for the whole 300 ms.
        QVERIFY2(ticker.ticks() >= 3, qPrintable(QString::number(ticker.ticks())));
        QVERIFY2(longestStallMs < 250, qPrintable(QString::number(longestStallMs)));
        QVERIFY2(fastProbes.samples().size() >= 2,
                 qPrintable(QString::number(fastProbes.samples().size())));
        for (const auto &s : fastProbes.samples()) {
            QVERIFY2(s.ok, describe(s));
            QCOMPARE(s.field(QStringLiteral("value"))->value, 3.0);
        }

        // Once the slow query is over the check answers again; the timed-out probe's late
        // answer, which the worker sends before any later one, is dropped.
        sqliteExec(QStringLiteral("UPDATE knobs SET n = 5"));
        std::optional<monitor::Sample> recovered;
        const QDeadlineTimer deadline(30'000);
        while (!recovered && !deadline.hasExpired()) {
            const auto s = probeOnce(*slow);
            if (s.ok)
                recovered = s;
            else
                QVERIFY2(s.error.startsWith(QStringLiteral("no result within 300 ms")),
                         qPrintable(s.error));
        }
        QVERIFY(recovered.has_value());
        QCOMPARE(recovered->field(QStringLiteral("value"))->value, 5.0);
        QCOMPARE(slowSamples->received.size(), 1);
    }

    void destroyingASqliteCheckMidQueryReturnsPromptly()
    {
        sqliteExec(QStringLiteral("UPDATE knobs SET n = %1").arg(kSlowSqliteCount));
        auto check = sqlite(QStringLiteral("sqlite:items.db"), kSlowSqliteQuery, 200);
        QVERIFY(check);
        // When the probe has timed out, the worker is inside the (longer) query.
        const auto s = probeOnce(*check);
        QCOMPARE(s.error, QStringLiteral("no result within 200 ms"));
        QVERIFY(monitor::SqlCheck::workerThreads() >= 1);
        QElapsedTimer elapsed;
        elapsed.start();
        check.reset();
        QVERIFY2(elapsed.elapsed() < 200, qPrintable(QString::number(elapsed.elapsed())));
        sqliteExec(QStringLiteral("UPDATE knobs SET n = 5"));
        // The detached worker ends by itself when its query does.
        QVERIFY(drill::waitUntil([] { return monitor::SqlCheck::workerThreads() == 0; }, 30'000));
    }

    void cancelledProbesNeverReport()
    {
        auto check =
            sqlite(QStringLiteral("sqlite:items.db"), QStringLiteral("SELECT count(*) FROM items"));
        QVERIFY(check);
        auto cancelled = std::make_shared<Samples>();
        check->probe(cancelled->collector(cancelled));
        check->cancel();
        // A later probe's answer comes after anything the cancelled one could have sent.
        const auto s = probeOnce(*check);
        QVERIFY2(s.ok, describe(s));
        QVERIFY(cancelled->received.isEmpty());
    }

    // ---- PostgreSQL ----

    void readsANumberFromPostgres()
    {
        REWIND_REQUIRE_PEER(m_pg, "PostgreSQL 15 (Debian package postgresql-15)");
        auto check = postgres(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 'failed'"));
        QVERIFY(check);
        const auto s = probeOnce(*check);
        QVERIFY2(s.ok, describe(s));
        QCOMPARE(s.field(QStringLiteral("value"))->value, 3.0);

        // postgres:// is the same thing; booleans are 1 and 0.
        QString errors;
        auto alias = build("{url: " +
                               quoted(m_pg->url(QStringLiteral("app"))
                                          .replace(QStringLiteral("postgresql://"),
                                                   QStringLiteral("postgres://"))) +
                               ", query: 'SELECT pg_is_in_recovery()'}",
                           5'000, &errors);
        QVERIFY2(alias, qPrintable(errors));
        const auto b = probeOnce(*alias);
        QVERIFY2(b.ok, describe(b));
        QCOMPARE(b.field(QStringLiteral("value"))->value, 0.0);
    }

    void keepsItsConnectionAndReconnectsAfterAFailure()
    {
        REWIND_REQUIRE_PEER(m_pg, "PostgreSQL 15 (Debian package postgresql-15)");
        auto check = postgres(QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY(check);
        const auto first = probeOnce(*check);
        QVERIFY2(first.ok, describe(first));
        const auto second = probeOnce(*check);
        QVERIFY2(second.ok, describe(second));
        const double pid = first.field(QStringLiteral("value"))->value;
        QCOMPARE(second.field(QStringLiteral("value"))->value, pid);

        pgExec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(qint64(pid)));
        // The probe on the dead connection may fail; a later one reconnects.
        std::optional<monitor::Sample> reconnected;
        for (int attempt = 0; attempt < 3 && !reconnected; ++attempt) {
            const auto s = probeOnce(*check);
            if (s.ok)
                reconnected = s;
        }
        QVERIFY(reconnected.has_value());
        QVERIFY(reconnected->field(QStringLiteral("value"))->value != pid);
    }

    void takesThePasswordFromTheEnvironmentOrAFile()
    {
        REWIND_REQUIRE_PEER(m_pg, "PostgreSQL 15 (Debian package postgresql-15)");
        const QString url =
            QStringLiteral("postgresql://%1@127.0.0.1:%2/app").arg(kReader).arg(m_pg->port());
        const QByteArray query = ", query: 'SELECT count(*) FROM jobs'";
        qputenv(kPasswordVariable.constData(), kReaderPassword.toUtf8());
        QString errors;
        auto fromEnv =
            build("{url: " + quoted(url) + query + ", password: env:" + kPasswordVariable + "}",
                  5'000, &errors);
        QVERIFY2(fromEnv, qPrintable(errors));
        const auto ok = probeOnce(*fromEnv);
        QVERIFY2(ok.ok, describe(ok));
        QCOMPARE(ok.field(QStringLiteral("value"))->value, 5.0);

        // Relative to the configuration file, trailing newline ignored.
        QFile file(m_dir.filePath(QStringLiteral("pg-password")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kReaderPassword.toUtf8() + "\n");
        file.close();
        auto fromFile = build("{url: " + quoted(url) + query + ", password: 'file:pg-password'}",
                              5'000, &errors);
        QVERIFY2(fromFile, qPrintable(errors));
        const auto ok2 = probeOnce(*fromFile);
        QVERIFY2(ok2.ok, describe(ok2));

        // Without a password, or with a wrong one, the server refuses; the message never holds
        // either password.
        auto without = build("{url: " + quoted(url) + query + "}", 5'000, &errors);
        QVERIFY2(without, qPrintable(errors));
        const auto refused = probeOnce(*without);
        QVERIFY(!refused.ok);
        QVERIFY2(refused.error.startsWith(QStringLiteral("cannot connect to ") + url),
                 qPrintable(refused.error));

        qputenv(kPasswordVariable.constData(), kWrongPassword.toUtf8());
        auto wrong =
            build("{url: " + quoted(url) + query + ", password: env:" + kPasswordVariable + "}",
                  5'000, &errors);
        QVERIFY2(wrong, qPrintable(errors));
        const auto denied = probeOnce(*wrong);
        QVERIFY(!denied.ok);
        QVERIFY2(denied.error.contains(QStringLiteral("password authentication failed for user "
                                                      "\"reader\"")),
                 qPrintable(denied.error));
        QVERIFY(!denied.error.contains(kWrongPassword));
        QVERIFY(!denied.error.contains(kReaderPassword));
        QVERIFY(denied.fields.isEmpty());

        // The secret is read at each connection: fixing the variable fixes the check.
        qputenv(kPasswordVariable.constData(), kReaderPassword.toUtf8());
        const auto fixed = probeOnce(*wrong);
        QVERIFY2(fixed.ok, describe(fixed));

        qunsetenv(kPasswordVariable.constData());
        auto unset =
            build("{url: " + quoted(url) + query + ", password: env:" + kPasswordVariable + "}",
                  5'000, &errors);
        QVERIFY2(unset, qPrintable(errors));
        const auto missing = probeOnce(*unset);
        QCOMPARE(missing.error,
                 QStringLiteral("cannot read the password (env:%1): the environment variable %1 "
                                "is not set")
                     .arg(QString::fromLatin1(kPasswordVariable)));
    }

    void aWrongPortFailsWithoutCrashing()
    {
        REWIND_REQUIRE_PEER(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")),
                            "the Qt PostgreSQL driver (Debian package libqt6sql6-psql)");
        // A port that was free a moment ago: nothing listens there.
        const quint16 port = testing::closedPort();
        QVERIFY(port > 0);
        const QString url = QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(port);
        QString errors;
        auto check = build("{url: " + quoted(url) + ", query: 'SELECT 1'}", 5'000, &errors);
        QVERIFY2(check, qPrintable(errors));
        const auto s = probeOnce(*check);
        QVERIFY(!s.ok);
        QVERIFY2(s.error.startsWith(QStringLiteral("cannot connect to ") + url),
                 qPrintable(s.error));
        QVERIFY2(s.error.contains(QStringLiteral("Connection refused")), qPrintable(s.error));
    }

    void aServerThatStopsFailsProbesAndIsReconnectedWhenBack()
    {
        REWIND_REQUIRE_PEER(m_pg, "PostgreSQL 15 (Debian package postgresql-15)");
        testing::PostgresServer server;
        REWIND_VERIFY_OK(server.start());
        QString errors;
        auto check =
            build("{url: " + quoted(server.url()) + ", query: 'SELECT 42'}", 5'000, &errors);
        QVERIFY2(check, qPrintable(errors));
        const auto up = probeOnce(*check);
        QVERIFY2(up.ok, describe(up));

        QVERIFY(server.stop());
        QVERIFY(!server.isRunning());
        // The open connection is dead: this probe fails one way or another, the next cannot
        // connect at all.
        const auto lost = probeOnce(*check);
        QVERIFY(!lost.ok);
        QVERIFY(!lost.error.isEmpty());
        const auto down = probeOnce(*check);
        QVERIFY(!down.ok);
        QVERIFY2(down.error.startsWith(QStringLiteral("cannot connect to ") + server.url()),
                 qPrintable(down.error));

        REWIND_VERIFY_OK(server.start());
        const auto back = probeOnce(*check);
        QVERIFY2(back.ok, describe(back));
        QCOMPARE(back.field(QStringLiteral("value"))->value, 42.0);
    }

    // pg_sleep(5) with a 300 ms timeout: the sample fails at the timeout while the event loop
    // keeps running and another check keeps answering, and the server abandons the statement
    // too (statement_timeout) instead of sleeping on for nobody.
    void aSlowPostgresQueryTimesOutOnBothSides()
    {
        REWIND_REQUIRE_PEER(m_pg, "PostgreSQL 15 (Debian package postgresql-15)");
        pgExec(QStringLiteral("UPDATE knobs SET seconds = 5"));
        auto slow = postgres(kSleepyPostgresQuery, 300);
        auto fast = postgres(QStringLiteral("SELECT count(*) FROM jobs"));
        QVERIFY(slow && fast);
        QVERIFY(probeOnce(*fast).ok); // connected before the clock starts

        Ticker ticker;
        Repeater fastProbes(*fast);
        fastProbes.start();
        auto slowSamples = std::make_shared<Samples>();
        QElapsedTimer elapsed;
        elapsed.start();
        slow->probe(slowSamples->collector(slowSamples));
        QVERIFY(drill::waitUntil([&] { return !slowSamples->received.isEmpty(); }, 5'000));
        const qint64 tookMs = elapsed.elapsed();
        fastProbes.stop();
        const qint64 longestStallMs = ticker.stop();

        const auto timedOut = slowSamples->received.first();
        QVERIFY(!timedOut.ok);
        // Usually the check's own timer; the server's cancellation may win by a hair.
        QVERIFY2(timedOut.error == QStringLiteral("no result within 300 ms") ||
                     timedOut.error.contains(QStringLiteral("statement timeout")),
                 qPrintable(timedOut.error));
        QVERIFY2(tookMs >= 295 && tookMs < 1'500, qPrintable(QString::number(tookMs)));
        QVERIFY2(ticker.ticks() >= 3, qPrintable(QString::number(ticker.ticks())));
        QVERIFY2(longestStallMs < 250, qPrintable(QString::number(longestStallMs)));
        QVERIFY2(fastProbes.samples().size() >= 2,
                 qPrintable(QString::number(fastProbes.samples().size())));
        for (const auto &s : fastProbes.samples())
            QVERIFY2(s.ok, describe(s));

        // The server gave up well before the 5 s sleep would have ended.
        QElapsedTimer serverSide;
        serverSide.start();
        QVERIFY(drill::waitUntil([&] { return checkBackends(QStringLiteral("%pg_sleep%")) == 0; },
                                 3'000));
        QVERIFY2(serverSide.elapsed() < 3'000, qPrintable(QString::number(serverSide.elapsed())));

        // The late answer is dropped; the next probe answers normally.
        pgExec(QStringLiteral("UPDATE knobs SET seconds = 0"));
        const auto next = probeOnce(*slow);
        QVERIFY2(next.ok, describe(next));
        QCOMPARE(next.field(QStringLiteral("value"))->value, 1.0);
        QCOMPARE(slowSamples->received.size(), 1);
    }

    void destroyingAPostgresCheckMidQueryReturnsPromptly()
    {
        REWIND_REQUIRE_PEER(m_pg, "PostgreSQL 15 (Debian package postgresql-15)");
        pgExec(QStringLiteral("UPDATE knobs SET seconds = 2"));
        auto check = postgres(kSleepyPostgresQuery, 10'000);
        QVERIFY(check);
        auto samples = std::make_shared<Samples>();
        check->probe(samples->collector(samples));
        QVERIFY(drill::waitUntil([&] { return checkBackends(QStringLiteral("%pg_sleep%")) == 1; },
                                 5'000));
        QElapsedTimer elapsed;
        elapsed.start();
        check.reset();
        QVERIFY2(elapsed.elapsed() < 200, qPrintable(QString::number(elapsed.elapsed())));
        pgExec(QStringLiteral("UPDATE knobs SET seconds = 0"));
        // The detached worker finishes the query, closes its connection and ends.
        QVERIFY(drill::waitUntil([] { return monitor::SqlCheck::workerThreads() == 0; }, 15'000));
        QVERIFY(drill::waitUntil([&] { return checkConnections() == 0; }, 5'000));
        QVERIFY(samples->received.isEmpty());
    }

    // ---- configuration ----

    void acceptsValidChecks()
    {
        const auto r = loadService(
            "      - {name: a, type: sql, url: 'sqlite:rewind.db', query: 'SELECT 1'}\n"
            "      - {name: b, type: sql, url: 'postgresql://app@db.internal:5432/app', "
            "password: 'env:DB_PASSWORD', query: 'SELECT 1', dimension: ratio}\n"
            "      - {name: c, type: sql, url: 'postgres://db.internal/app?sslmode=verify-full',"
            " password: 'file:/run/secrets/db', query: 'SELECT 1'}\n");
        QVERIFY2(r.ok(), qPrintable(r.diagnostics.format()));
    }

    void reportsConfigErrorsWithTheirPosition_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("unknown scheme")
            << QByteArray("      - name: db\n"
                          "        type: sql\n"
                          "        url: 'redis://cache:6379/0'\n"
                          "        query: SELECT 1\n")
            << QStringList{"test.yaml:6:14: error: 'url' of check 'db' of service 'api' must be "
                           "a postgresql://, mysql:// or sqlite: URL, found "
                           "'redis://cache:6379/0'"};
        QTest::newRow("password in the URL")
            << QByteArray("      - name: db\n"
                          "        type: sql\n"
                          "        url: 'postgresql://app:hunter2@db:5432/app'\n"
                          "        query: SELECT 1\n")
            << QStringList{"test.yaml:6:14: error: 'url' of check 'db' of service 'api' must not "
                           "contain a password: remove it from the URL and write it as "
                           "`password: env:NAME` (or file:PATH)"};
        QTest::newRow("password in an unknown URL is masked")
            << QByteArray("      - {name: db, type: sql, url: 'redis://u:hunter2@cache:x/0', "
                          "query: SELECT 1}\n")
            << QStringList{"test.yaml:4:36: error: 'url' of check 'db' of service 'api' must be "
                           "a postgresql://, mysql:// or sqlite: URL, found "
                           "'redis://u:***@cache:x/0'"};
        QTest::newRow("missing query and url")
            << QByteArray("      - {name: db, type: sql}\n")
            << QStringList{"test.yaml:4:9: error: check 'db' of service 'api' is missing "
                           "required key 'query'",
                           "test.yaml:4:9: error: check 'db' of service 'api' is missing "
                           "required key 'url'"};
        QTest::newRow("empty query, bad dimension, bad secret")
            << QByteArray("      - name: db\n"
                          "        type: sql\n"
                          "        url: postgresql://app@db/app\n"
                          "        password: 'env:'\n"
                          "        query: ' '\n"
                          "        dimension: percent\n")
            << QStringList{"test.yaml:7:19: error: 'password' of check 'db' of service 'api': "
                           "'env:' must be followed by the name of an environment variable "
                           "(letters, digits and '_')",
                           "test.yaml:8:16: error: 'query' of check 'db' of service 'api' must "
                           "not be empty",
                           "test.yaml:9:20: error: 'dimension' in check 'db' of service 'api' "
                           "must be one of number, ratio, duration, found 'percent'"};
        QTest::newRow("sqlite has no password")
            << QByteArray("      - {name: db, type: sql, url: 'sqlite:x.db', password: pw, "
                          "query: SELECT 1}\n")
            << QStringList{"test.yaml:4:61: error: 'password' of check 'db' of service 'api' has "
                           "no meaning for an sqlite: database"};
        QTest::newRow("reserved libpq parameter")
            << QByteArray("      - {name: db, type: sql, url: "
                          "'postgresql://db/app?password=x', query: SELECT 1}\n")
            << QStringList{"test.yaml:4:36: error: 'url' of check 'db' of service 'api' cannot "
                           "set the connection parameter 'password'"};
        QTest::newRow("no host")
            << QByteArray("      - {name: db, type: sql, url: 'postgresql:///app', "
                          "query: SELECT 1}\n")
            << QStringList{"test.yaml:4:36: error: 'url' of check 'db' of service 'api' names no "
                           "host: write postgresql://USER@HOST:PORT/DB"};
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QMYSQL"))) {
            QTest::newRow("mysql driver not installed")
                << QByteArray("      - {name: db, type: sql, url: 'mysql://app@db:3306/app', "
                              "query: SELECT 1}\n")
                << QStringList{"test.yaml:4:36: error: 'url' of check 'db' of service 'api' "
                               "needs the Qt SQL driver QMYSQL, which is not installed (Debian "
                               "package libqt6sql6-mysql)"};
        }
    }
    void reportsConfigErrorsWithTheirPosition()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, expected);
        const auto r = loadService(yaml);
        QVERIFY(!r.ok());
        QCOMPARE(messages(r), expected);
        for (const auto &m : messages(r))
            QVERIFY2(!m.contains(QStringLiteral("hunter2")), qPrintable(m));
    }
};

QTEST_GUILESS_MAIN(TestSqlCheck)
#include "tst_sqlcheck.moc"
