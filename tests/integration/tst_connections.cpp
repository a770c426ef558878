// The API's connections over raw sockets against an in-process rewindd: Connection: close and
// HTTP/1.0 close after the answer, keep-alive keeps, slow requests and idle connections are cut
// at their timeouts, the cap makes room by closing the connection that waited longest, and
// /healthz says when the store refuses writes (503) and when it writes again.
#include "common/clock.h"
#include "daemonfixture.h"
#include "processes.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace rwd;

namespace {

constexpr int kCap = 12;
constexpr qint64 kRequestTimeoutMs = 300;
constexpr qint64 kIdleTimeoutMs = 500;

// One HTTP answer as read off the wire.
struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

} // namespace

class TestConnections : public QObject
{
    Q_OBJECT

private:
    SystemClock m_clock;
    testing::DaemonFixture m_daemon{m_clock};

    // Runs the event loop (the daemon lives on this thread) until `done` holds, at most `ms`.
    template<typename Done>
    static bool waitFor(Done done, qint64 ms)
    {
        return drill::waitUntil(done, int(ms));
    }

    std::unique_ptr<QTcpSocket> connectToApi()
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_daemon->port());
        auto *raw = socket.get();
        if (!waitFor([raw] { return raw->state() == QAbstractSocket::ConnectedState; }, 5000))
            return nullptr;
        return socket;
    }

    // Sends `request` and reads one answer (by Content-Length).
    static Answer exchange(QTcpSocket &socket, const QByteArray &request)
    {
        socket.write(request);
        QByteArray data;
        Answer a;
        waitFor(
            [&] {
                data += socket.readAll();
                const auto end = data.indexOf("\r\n\r\n");
                if (end < 0)
                    return socket.state() != QAbstractSocket::ConnectedState;
                const QByteArray head = data.left(end);
                qsizetype length = 0;
                for (const auto &line : head.split('\n')) {
                    if (line.toLower().startsWith("content-length:"))
                        length = line.mid(15).trimmed().toLongLong();
                }
                if (data.size() < end + 4 + length)
                    return socket.state() != QAbstractSocket::ConnectedState;
                a.head = head;
                a.status = head.mid(9, 3).toInt();
                a.body = data.mid(end + 4, length);
                return true;
            },
            5000);
        return a;
    }

    // Whether the server closes `socket` within `withinMs`.
    static bool closedWithin(QTcpSocket &socket, qint64 withinMs)
    {
        return waitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; },
                       withinMs);
    }

    static QByteArray get(const QByteArray &path, const QByteArray &extra = {},
                          const QByteArray &version = "HTTP/1.1")
    {
        return "GET " + path + " " + version + "\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
    }

    // Makes the store refuse writes of `table` (as a full disk would), or accept them again.
    void refuse(const QString &table, const QString &verb, bool on)
    {
        const QString name = QStringLiteral("saboteur");
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_daemon.path(QStringLiteral("connections.db")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            const QString trigger = QStringLiteral("refuse_%1_%2").arg(table, verb);
            QVERIFY2(q.exec(on ? QStringLiteral("CREATE TRIGGER %1 BEFORE %2 ON %3 BEGIN SELECT "
                                                "RAISE(FAIL, 'database or disk is full'); END")
                                     .arg(trigger, verb, table)
                               : QStringLiteral("DROP TRIGGER %1").arg(trigger)),
                     qPrintable(q.lastError().text()));
        }
        QSqlDatabase::removeDatabase(name);
    }

private slots:
    void initTestCase()
    {
        const QString config =
            QStringLiteral(
                "server:\n  listen: \"127.0.0.1:0\"\n  store: \"sqlite:connections.db\"\n"
                "  max_connections: %1\n  request_timeout: %2ms\n  idle_timeout: %3ms\n"
                "services:\n  - name: api\n"
                "    checks: [{name: pushed, type: signal, fields: {x: gauge}}]\n"
                "auth: {pbkdf2_iterations: 1000}\n")
                .arg(kCap)
                .arg(kRequestTimeoutMs)
                .arg(kIdleTimeoutMs) +
            testing::DaemonFixture::admin(QStringLiteral("root"), "TST_CONNECTIONS_TOKEN");
        const auto started = m_daemon.start(config);
        QVERIFY2(started, qPrintable(testing::why(started)));
    }

    void cleanupTestCase() { m_daemon.stop(); }

    // HTTP/1.1 keeps the connection for the next request unless told to close it.
    void keepAliveUnlessToldToClose()
    {
        auto socket = connectToApi();
        QVERIFY(socket);
        auto a = exchange(*socket, get("/healthz"));
        QCOMPARE(a.status, 200);
        QVERIFY(!a.head.toLower().contains("connection: close"));
        a = exchange(*socket, get("/healthz", "Connection: close\r\n"));
        QCOMPARE(a.status, 200);
        QVERIFY2(a.head.toLower().contains("connection: close"), a.head.constData());
        QVERIFY(closedWithin(*socket, 2000));
    }

    // HTTP/1.0 closes after the answer, unless it asks to keep the connection.
    void http10ClosesUnlessKeptAlive()
    {
        auto socket = connectToApi();
        QVERIFY(socket);
        auto a = exchange(*socket, get("/healthz", "Connection: keep-alive\r\n", "HTTP/1.0"));
        QCOMPARE(a.status, 200);
        QVERIFY2(a.head.toLower().contains("connection: keep-alive"), a.head.constData());
        QVERIFY(!closedWithin(*socket, 100));
        a = exchange(*socket, get("/api/v1/nothing", {}, "HTTP/1.0"));
        QCOMPARE(a.status, 404);
        QVERIFY2(a.head.toLower().contains("connection: close"), a.head.constData());
        QVERIFY(closedWithin(*socket, 2000));
    }

    // A request that does not arrive whole within request_timeout is cut (slow headers), and a
    // connection idle after its answer for idle_timeout is closed; neither before its time.
    void slowAndIdleConnectionsAreClosed()
    {
        // Timers started before what they time: they can only over-measure.
        QElapsedTimer slowTimer;
        slowTimer.start();
        auto slow = connectToApi();
        QElapsedTimer idleTimer;
        idleTimer.start();
        auto idle = connectToApi();
        QVERIFY(slow && idle);
        QCOMPARE(exchange(*idle, get("/healthz")).status, 200);
        slow->write("GET /healthz HT");
        QVERIFY(!closedWithin(*slow, kRequestTimeoutMs / 3));
        QVERIFY(closedWithin(*slow, 5000));
        QVERIFY2(slowTimer.elapsed() >= kRequestTimeoutMs,
                 qPrintable(QString::number(slowTimer.elapsed())));
        QVERIFY(closedWithin(*idle, 5000));
        QVERIFY2(idleTimer.elapsed() >= kIdleTimeoutMs,
                 qPrintable(QString::number(idleTimer.elapsed())));
    }

    // At the cap, a new connection is served: the one that waited longest without a request in
    // progress makes room. The API says what it closed in /metrics.
    void theCapMakesRoomForANewRequest()
    {
        bool serving = true;
        std::vector<std::unique_ptr<QTcpSocket>> flood;
        for (int i = 0; i < kCap; ++i) {
            flood.push_back(connectToApi());
            QVERIFY(flood.back());
        }
        // The server accepted them all before the next one comes.
        QVERIFY(waitFor(
            [&] {
                return m_daemon->health(&serving)
                           .value(QLatin1String("api"))
                           .toObject()
                           .value(QLatin1String("connections"))
                           .toInt() >= kCap;
            },
            5000));
        auto late = connectToApi();
        QVERIFY(late);
        const auto a = exchange(*late, get("/healthz"));
        QCOMPARE(a.status, 200);
        const auto health = QJsonDocument::fromJson(a.body).object();
        const auto api = health.value(QLatin1String("api")).toObject();
        QCOMPARE(api.value(QLatin1String("connection_limit")).toInt(), kCap);
        QVERIFY(api.value(QLatin1String("connections")).toInt() <= kCap);
        QVERIFY(api.value(QLatin1String("evicted")).toInteger() >= 1);
        QVERIFY(closedWithin(*flood.front(), 2000)); // the oldest went
        const auto metrics = exchange(*late, get("/metrics"));
        QVERIFY2(metrics.body.contains("rewind_api_connections_closed_total{reason=\"evicted\"}"),
                 metrics.body.left(2000).constData());
    }

    // /healthz is 503 "failing" while the store refuses writes, and 200 again once it writes.
    void healthzReportsAFailingStore()
    {
        auto socket = connectToApi();
        QVERIFY(socket);
        QCOMPARE(exchange(*socket, get("/healthz")).status, 200);
        refuse(QStringLiteral("audit"), QStringLiteral("INSERT"), true);
        // A deployment is audited as it is published: that write fails.
        const auto deploy = [](const QByteArray &version) {
            const QByteArray body = "{\"service\": \"api\", \"version\": \"" + version + "\"}";
            return "POST /api/v1/deployments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   qgetenv("TST_CONNECTIONS_TOKEN") +
                   "\r\nContent-Type: application/json\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\n\r\n" + body;
        };
        QCOMPARE(exchange(*socket, deploy("v1")).status, 201);
        auto a = exchange(*socket, get("/healthz"));
        QCOMPARE(a.status, 503);
        auto health = QJsonDocument::fromJson(a.body).object();
        QCOMPARE(health.value(QLatin1String("status")).toString(), QStringLiteral("failing"));
        QVERIFY2(health.value(QLatin1String("store"))
                     .toObject()
                     .value(QLatin1String("error"))
                     .toString()
                     .contains(QStringLiteral("disk is full")),
                 a.body.constData());
        refuse(QStringLiteral("audit"), QStringLiteral("INSERT"), false);
        QCOMPARE(exchange(*socket, deploy("v2")).status, 201);
        a = exchange(*socket, get("/healthz"));
        QCOMPARE(a.status, 200);
        QCOMPARE(QJsonDocument::fromJson(a.body).object().value(QLatin1String("status")).toString(),
                 QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestConnections)
#include "tst_connections.moc"
