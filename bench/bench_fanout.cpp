// WebSocket fan-out: an in-process rewindd publishes service_updated events (the most frequent
// event of a real fleet: health and rule changes) at a fixed rate to N authenticated /ws/v1
// clients, which run on their own thread and timestamp every event they receive. Reports the
// events delivered per second and the publish-to-receive latency (p50, p99, max) for each run,
// with the latency and delivery of 1 client at the same rate — measured first, in the same
// process — as the baseline. Every client gets every event (they may all see the service).
// Reproduce: build/ci/bin/bench_fanout [seconds] (docs/performance.md).
#include "api/websocketapi.h"
#include "common/clock.h"
#include "common/protocol.h"
#include "daemon/daemon.h"
#include "events/eventhub.h"
#include "logging/logging.h"
#include "processes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

using namespace rwd;

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The clients, on their own thread: they connect, authenticate and record, for every event
// with a "t" (publish time, ns), how long it took to arrive.
class Clients final : public QObject
{
public:
    void open(const QUrl &url, const QString &token, int count)
    {
        for (int i = 0; i < count; ++i) {
            auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            connect(socket, &QWebSocket::connected, socket, [socket, token] {
                socket->sendTextMessage(
                    QStringLiteral("{\"type\":\"auth\",\"token\":\"%1\"}").arg(token));
            });
            connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
                const auto at = text.indexOf(QLatin1String("\"t\":"));
                if (at < 0) {
                    if (text.contains(QLatin1String("\"snapshot\"")))
                        ++m_ready;
                    return;
                }
                qsizetype end = at + 4;
                while (end < text.size() && text.at(end).isDigit())
                    ++end;
                const qint64 sent = QStringView(text).mid(at + 4, end - at - 4).toLongLong();
                if (m_recording.load())
                    m_latencies.push_back(
                        std::uint32_t(std::min<qint64>(nowNs() - sent, 0xffffffffLL)));
            });
            connect(socket, &QWebSocket::disconnected, this, [this] { ++m_dropped; });
            socket->open(url);
            m_sockets.push_back(socket);
        }
    }
    void closeAll()
    {
        for (auto *s : m_sockets) {
            s->disconnect(this);
            s->abort();
            delete s;
        }
        m_sockets.clear();
    }
    void setRecording(bool on) { m_recording.store(on); }
    // Read on the main thread only between runs, while nothing is recorded.
    std::vector<std::uint32_t> takeLatencies()
    {
        std::vector<std::uint32_t> out;
        QMetaObject::invokeMethod(
            this, [&] { out.swap(m_latencies); }, Qt::BlockingQueuedConnection);
        return out;
    }
    int ready() const { return m_ready.load(); }
    int dropped() const { return m_dropped.load(); }
    void resetCounters()
    {
        m_ready = 0;
        m_dropped = 0;
    }

private:
    std::vector<QWebSocket *> m_sockets;
    std::vector<std::uint32_t> m_latencies;
    std::atomic<bool> m_recording{false};
    std::atomic<int> m_ready{0};
    std::atomic<int> m_dropped{0};
};

struct Run
{
    int clients = 0;
    int rate = 0;
    double delivered = 0; // events received per second, all clients together
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    int dropped = 0;
};

double percentileMs(std::vector<std::uint32_t> &v, double q)
{
    if (v.empty())
        return 0;
    const auto k = std::size_t(q * double(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + qsizetype(k), v.end());
    return double(v[k]) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    logging::setLevel(QStringLiteral("warn"));
    const double seconds = argc > 1 ? std::max(1.0, QString::fromLatin1(argv[1]).toDouble()) : 5.0;

    QTemporaryDir dir;
    const QString token = drill::randomToken();
    qputenv("BENCH_FANOUT_TOKEN", token.toUtf8());
    QFile file(dir.filePath(QStringLiteral("rewind.yaml")));
    file.open(QIODevice::WriteOnly);
    file.write(QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:fanout.db\", "
                              "event_replay: 4096}\n"
                              "services:\n  - {name: api, checks: [{name: probe, type: signal, "
                              "fields: {x: gauge}}]}\n")
                   .toUtf8() +
               drill::sandboxUsers(QStringLiteral("bench"), QStringLiteral("BENCH_FANOUT_TOKEN"))
                   .toUtf8());
    file.close();
    SystemClock clock;
    daemon::Daemon daemon(clock);
    QString error;
    if (!daemon.start(file.fileName(), &error)) {
        std::fprintf(stderr, "bench_fanout: %s\n", qPrintable(error));
        return 1;
    }
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1/ws/v1").arg(daemon.port()));

    QThread clientThread;
    auto *clients = new Clients;
    clients->moveToThread(&clientThread);
    clientThread.start();

    // One service_updated event as the daemon sends it, with the publish time added.
    protocol::ServiceStatus status;
    status.name = QStringLiteral("api");
    status.environment = QStringLiteral("staging");
    status.health = Health::Healthy;
    const QJsonObject payload = status.toJson();

    const auto runOnce = [&](int count, int rate) {
        Run run;
        run.clients = count;
        run.rate = rate;
        clients->resetCounters();
        QMetaObject::invokeMethod(
            clients, [&] { clients->open(url, token, count); }, Qt::BlockingQueuedConnection);
        drill::waitUntil([&] { return clients->ready() >= count; }, 30'000);
        // Publish `rate` events per second, spread over 1 ms ticks; warm up for half a second.
        QElapsedTimer elapsed;
        elapsed.start();
        qint64 published = 0;
        QTimer ticker;
        ticker.setTimerType(Qt::PreciseTimer);
        ticker.setInterval(1);
        QObject::connect(&ticker, &QTimer::timeout, [&] {
            const qint64 due = elapsed.nsecsElapsed() * rate / 1'000'000'000;
            for (; published < due; ++published) {
                auto data = payload;
                data.insert(QStringLiteral("t"), nowNs());
                daemon.eventHub()->publish(events::ServiceUpdated{status}, data);
            }
        });
        ticker.start();
        drill::waitUntil([&] { return false; }, 500);
        clients->setRecording(true);
        const qint64 from = elapsed.nsecsElapsed();
        drill::waitUntil([&] { return false; }, int(seconds * 1000));
        ticker.stop();
        const double window = double(elapsed.nsecsElapsed() - from) / 1e9;
        // Let what is in flight arrive, then stop recording.
        drill::waitUntil([&] { return false; }, 300);
        clients->setRecording(false);
        auto latencies = clients->takeLatencies();
        run.delivered = double(latencies.size()) / window;
        run.p50Ms = percentileMs(latencies, 0.50);
        run.p99Ms = percentileMs(latencies, 0.99);
        run.maxMs = latencies.empty()
                        ? 0
                        : double(*std::max_element(latencies.begin(), latencies.end())) / 1e6;
        run.dropped = clients->dropped();
        QMetaObject::invokeMethod(
            clients, [&] { clients->closeAll(); }, Qt::BlockingQueuedConnection);
        drill::waitUntil([&] { return daemon.webSockets()->clientCount() == 0; }, 10'000);
        return run;
    };

    std::printf("WebSocket fan-out of service_updated events (%.0f s per run)\n", seconds);
    std::printf("  %7s %9s %14s %10s %10s %10s %8s   %s\n", "clients", "events/s", "delivered/s",
                "p50 ms", "p99 ms", "max ms", "dropped", "vs 1 client at the same rate");
    for (const int rate : {1000, 5000}) {
        const Run baseline = runOnce(1, rate);
        for (const int count : {1, 10, 100}) {
            const Run r = count == 1 ? baseline : runOnce(count, rate);
            const double expected = double(count) * rate;
            std::printf("  %7d %9d %14.0f %10.2f %10.2f %10.2f %8d   ", r.clients, r.rate,
                        r.delivered, r.p50Ms, r.p99Ms, r.maxMs, r.dropped);
            if (count == 1)
                std::printf("(baseline; %.1f%% delivered)\n", 100.0 * r.delivered / expected);
            else
                std::printf("p99 %.2fx, %.1f%% of offered events delivered\n",
                            baseline.p99Ms > 0 ? r.p99Ms / baseline.p99Ms : 0,
                            100.0 * r.delivered / expected);
            std::fflush(stdout);
        }
    }
    QMetaObject::invokeMethod(
        clients, [&] { delete clients; }, Qt::BlockingQueuedConnection);
    clientThread.quit();
    clientThread.wait();
    return 0;
}
