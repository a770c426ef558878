// Rewind's own trouble is never the service's failure. rewindd runs under the open-file limit a
// systemd service gets by default (1024, soft and hard, so raising it does not help) while a
// client with no credentials holds 1000 idle connections to the API and 100 that send their
// request one byte at a time, reconnecting whenever one is closed. Meanwhile /healthz answers,
// the healthy service's checks keep passing (no check error, no failure, no rollback), and a bad
// release is still rolled back — the executor's processes start.
#include "client/sync/syncrest.h"
#include "results.h"
#include "scenario.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <list>
#include <memory>
#include <sys/resource.h>

using namespace rwd;

namespace {

constexpr int kIdle = 1000;
constexpr int kSlow = 100;
constexpr int kWaitMs = 60'000;

// Connections that hold a server's descriptors: idle ones send nothing, slow ones one byte of a
// request every 100 ms. A closed one is replaced, so the pressure never lets up.
class Flood final : public QObject
{
public:
    Flood(quint16 port, int idle, int slow)
        : m_port(port)
        , m_idle(idle)
        , m_slow(slow)
    {
        connect(&m_topUp, &QTimer::timeout, this, [this] { topUp(); });
        connect(&m_drip, &QTimer::timeout, this, [this] { drip(); });
        m_topUp.start(50);
        m_drip.start(100);
        topUp();
    }
    ~Flood() override
    {
        m_topUp.stop();
        m_drip.stop();
        for (auto &c : m_connections)
            c.socket->abort();
    }

    [[nodiscard]] int open() const
    {
        return int(std::count_if(m_connections.begin(), m_connections.end(), [](const auto &c) {
            return c.socket->state() == QAbstractSocket::ConnectedState;
        }));
    }
    [[nodiscard]] quint64 closedByServer() const { return m_closed; }

private:
    struct Connection
    {
        std::unique_ptr<QTcpSocket> socket;
        bool slow = false;
        int sent = 0;
    };

    void topUp()
    {
        int idle = 0;
        int slow = 0;
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            if (it->socket->state() == QAbstractSocket::UnconnectedState) {
                ++m_closed;
                it->socket.release()->deleteLater();
                it = m_connections.erase(it);
                continue;
            }
            (it->slow ? slow : idle) += 1;
            ++it;
        }
        // A few at a time, as a client would: the server keeps accepting in between.
        for (int i = 0; i < 100 && (idle < m_idle || slow < m_slow); ++i) {
            Connection c;
            c.slow = idle >= m_idle;
            (c.slow ? slow : idle) += 1;
            c.socket = std::make_unique<QTcpSocket>();
            c.socket->connectToHost(QHostAddress::LocalHost, m_port);
            m_connections.push_back(std::move(c));
        }
    }

    void drip()
    {
        static const QByteArray request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        for (auto &c : m_connections) {
            if (c.slow && c.socket->state() == QAbstractSocket::ConnectedState &&
                c.sent < request.size() - 1)
                c.socket->write(request.mid(c.sent++, 1));
        }
    }

    quint16 m_port;
    int m_idle;
    int m_slow;
    std::list<Connection> m_connections;
    QTimer m_topUp;
    QTimer m_drip;
    quint64 m_closed = 0;
};

// GET /healthz on a connection of its own; the status (0: no answer within 5 s) and how long.
std::pair<int, qint64> healthz(quint16 port)
{
    QElapsedTimer timer;
    timer.start();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QByteArray data;
    const bool answered = drill::waitUntil(
        [&] {
            if (socket.state() == QAbstractSocket::ConnectedState && socket.bytesToWrite() == 0 &&
                data.isEmpty() && !socket.property("sent").toBool()) {
                socket.write(
                    "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                socket.setProperty("sent", true);
            }
            data += socket.readAll();
            return data.contains("\r\n\r\n") && data.contains("}");
        },
        5000);
    return {answered ? data.mid(9, 3).toInt() : 0, timer.elapsed()};
}

double median(std::vector<qint64> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : double(values[values.size() / 2]);
}

} // namespace

class TestFlood : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<drill::Scenario> m_scenario;

    [[nodiscard]] quint16 port() const { return quint16(m_scenario->rewindUrl().port()); }

    QByteArray metrics()
    {
        return client::callAndWait(m_scenario->rewind(), "GET", QStringLiteral("/metrics")).raw;
    }

private slots:
    void initTestCase()
    {
        // This process holds the flood: it needs more descriptors than rewindd is given.
        rlimit limit{};
        QVERIFY(getrlimit(RLIMIT_NOFILE, &limit) == 0);
        limit.rlim_cur = limit.rlim_max;
        QVERIFY(setrlimit(RLIMIT_NOFILE, &limit) == 0);
        QVERIFY2(limit.rlim_cur >= 4096,
                 qPrintable(QStringLiteral("the test needs an open-file limit of 4096 or more, "
                                           "the hard limit is %1")
                                .arg(limit.rlim_max)));
        drill::ScenarioOptions options;
        options.binDir = QStringLiteral(REWIND_BIN_DIR);
        options.loadRps = 20;
        options.verifyAfterMs = 3000;
        // systemd's default for a service: 1024, soft and hard.
        options.daemonLauncher = {QStringLiteral("prlimit"), QStringLiteral("--nofile=1024:1024"),
                                  QStringLiteral("--")};
        m_scenario = std::make_unique<drill::Scenario>(options);
        REWIND_VERIFY_OK(m_scenario->start());
        const auto good = m_scenario->release(QStringLiteral("api"), QStringLiteral("green"),
                                              QStringLiteral("v1.1"));
        QVERIFY2(good, qPrintable(testing::why(good)));
        QVERIFY(m_scenario->waitForReleaseState(good->id, ReleaseState::Verified, kWaitMs));
    }

    void cleanupTestCase() { m_scenario.reset(); }

    void monitoringAndRollbacksOutliveAFlood()
    {
        std::vector<qint64> quiet;
        for (int i = 0; i < 10; ++i) {
            const auto [status, ms] = healthz(port());
            QCOMPARE(status, 200);
            quiet.push_back(ms);
        }
        const auto checksBefore = metrics();
        const std::size_t mark = m_scenario->events().events().size();

        Flood flood(port(), kIdle, kSlow);
        QVERIFY(drill::waitUntil([&] { return flood.open() >= 600; }, 20'000));
        // Ten seconds of flood: at least one request timeout's worth for the slow ones.
        std::vector<qint64> flooded;
        int answered = 0;
        QElapsedTimer during;
        during.start();
        while (during.elapsed() < 10'000) {
            const auto [status, ms] = healthz(port());
            answered += status == 200 ? 1 : 0;
            QVERIFY2(status == 200 || status == 0, qPrintable(QString::number(status)));
            flooded.push_back(ms);
            drill::waitUntil([] { return false; }, 200);
        }
        qInfo("flood: %d connections held open by the client, %llu closed by rewindd", flood.open(),
              static_cast<unsigned long long>(flood.closedByServer()));
        qInfo("/healthz: %d of %zu answered 200 during the flood; median %.0f ms (%.0f ms "
              "without the flood)",
              answered, flooded.size(), median(flooded), median(quiet));
        QCOMPARE(answered, int(flooded.size()));
        QVERIFY(flood.closedByServer() > 0);

        // The healthy service stayed healthy: no check error, no failure, no rule, no rollback.
        const auto health = QJsonDocument::fromJson(
            client::callAndWait(m_scenario->rewind(), "GET", QStringLiteral("/healthz")).raw);
        qInfo("%s", QJsonDocument(health.object().value(QLatin1String("api")).toObject())
                        .toJson(QJsonDocument::Compact)
                        .constData());
        const QByteArray after = metrics();
        QVERIFY2(!after.contains("rewind_checks_total{service=\"api\",check=\"health\","
                                 "outcome=\"error\"}"),
                 after.constData());
        const auto failedLine = [](const QByteArray &text) {
            for (const auto &line : text.split('\n')) {
                if (line.startsWith("rewind_checks_total{service=\"api\",check=\"health\","
                                    "outcome=\"failed\"}"))
                    return line;
            }
            return QByteArray();
        };
        QCOMPARE(failedLine(after), failedLine(checksBefore));
        QVERIFY(
            !m_scenario->events().find(QString::fromLatin1(protocol::event::RuleFired), {}, mark));
        QVERIFY(
            !m_scenario->events().find(QString::fromLatin1(protocol::event::CheckError), {}, mark));
        const auto closedLine = [&after] {
            QByteArrayList lines;
            for (const auto &line : after.split('\n'))
                if (line.startsWith("rewind_api_connection"))
                    lines.append(line);
            return lines.join(' ');
        }();
        qInfo("%s", closedLine.constData());

        // Still under the flood, a bad release is rolled back: nginx -t and the reload start.
        REWIND_VERIFY_OK(m_scenario->setFault(QStringLiteral("api"), QStringLiteral("v1.2"),
                                              {{"error_rate", 1.0}}));
        REWIND_VERIFY_OK(m_scenario->release(QStringLiteral("api"), QStringLiteral("blue"),
                                             QStringLiteral("v1.2")));
        const auto *finished = m_scenario->events().waitFor(
            QString::fromLatin1(protocol::event::RollbackFinished), {}, kWaitMs, mark);
        QVERIFY(finished);
        const auto rollback = protocol::RollbackInfo::fromJson(
            finished->event.data.value(QLatin1String("rollback")).toObject());
        QCOMPARE(rollback.state, PlanState::Succeeded);
        QCOMPARE(rollback.targets.first().toVersion, QStringLiteral("v1.1"));
    }
};

QTEST_GUILESS_MAIN(TestFlood)
#include "tst_flood.moc"
