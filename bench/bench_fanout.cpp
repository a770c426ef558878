// WebSocket fan-out: an in-process rewindd publishes service_updated events (the most frequent
// event of a real fleet: health and rule changes) at a fixed rate to N authenticated /ws/v1
// clients, which run on their own thread and timestamp every event they receive. Reports the
// events delivered per second and the publish-to-receive latency (p50, p99, max) for each run,
// with the latency and delivery of 1 client at the same rate — measured first, in the same
// process — as the baseline. Every client gets every event (they may all see the service).
//
// Every client is connected and has its snapshot before the first event is published, so each
// should receive every event of the run: "missed" is the events published (warm-up included)
// times the clients, less the events the clients received by 300 ms after the last one was
// published. "disconnects" is the number of clients whose connection closed during the run (the
// server closes a client that falls behind its back-pressure limit; the events it would have
// received afterwards count as missed).
//
// Last, the same runs at 10 clients with Nagle's algorithm back on: the bench clears
// TCP_NODELAY (which the server sets on every WebSocket connection) on the server's accepted
// sockets, which live in this process; the baseline is the 10-client run with TCP_NODELAY at the
// same rate, from the table above.
// Reproduce: build/ci/bin/bench_fanout [seconds] (docs/performance.md).
#include "api/websocketapi.h"
#include "common/clock.h"
#include "common/protocol.h"
#include "daemon/daemon.h"
#include "events/eventhub.h"
#include "logging/logging.h"
#include "processes.h"

#include <QCoreApplication>
#include <QDir>
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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <vector>

using namespace rwd;

namespace {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The number after `"key":` in `text`, or -1.
qint64 numberAfter(const QString &text, QLatin1String key)
{
    const auto at = text.indexOf(key);
    if (at < 0)
        return -1;
    const qsizetype from = at + key.size();
    qsizetype end = from;
    while (end < text.size() && text.at(end).isDigit())
        ++end;
    return end > from ? QStringView(text).mid(from, end - from).toLongLong() : -1;
}

// The clients, on their own thread: they connect, authenticate and record, for every event
// with a "t" (publish time, ns), how long it took to arrive; and they count the events.
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
                const qint64 sent = numberAfter(text, QLatin1String("\"t\":"));
                if (sent < 0) {
                    if (text.contains(QLatin1String("\"snapshot\"")))
                        ++m_ready;
                    return;
                }
                if (m_recording.load())
                    m_latencies.push_back(
                        std::uint32_t(std::min<qint64>(nowNs() - sent, 0xffffffffLL)));
                // Written on this thread only: no read-modify-write needed.
                m_events.store(m_events.load(std::memory_order_relaxed) + 1,
                               std::memory_order_relaxed);
            });
            connect(socket, &QWebSocket::disconnected, this, [this] { ++m_disconnects; });
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
    // Events received since the last resetCounters(), all clients together.
    long long received() const { return m_events.load(); }
    int ready() const { return m_ready.load(); }
    int disconnects() const { return m_disconnects.load(); }
    void resetCounters()
    {
        m_ready = 0;
        m_disconnects = 0;
        m_events = 0;
    }

private:
    std::vector<QWebSocket *> m_sockets;
    std::vector<std::uint32_t> m_latencies;
    std::atomic<bool> m_recording{false};
    std::atomic<int> m_ready{0};
    std::atomic<int> m_disconnects{0};
    std::atomic<long long> m_events{0};
};

// Turns Nagle's algorithm back on for the server's accepted TCP connections on `port` (they are
// descriptors of this process: the daemon runs in it); returns how many it changed.
int enableNagle(quint16 port)
{
    int changed = 0;
    const auto fds = QDir(QStringLiteral("/proc/self/fd"))
                         .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    for (const auto &name : fds) {
        bool ok = false;
        const int fd = name.toInt(&ok);
        if (!ok)
            continue;
        sockaddr_storage local{};
        socklen_t length = sizeof(local);
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) != 0)
            continue;
        quint16 localPort = 0;
        if (local.ss_family == AF_INET)
            localPort = ntohs(reinterpret_cast<const sockaddr_in &>(local).sin_port);
        else if (local.ss_family == AF_INET6)
            localPort = ntohs(reinterpret_cast<const sockaddr_in6 &>(local).sin6_port);
        int listening = 0;
        socklen_t size = sizeof(listening);
        if (localPort != port ||
            ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || listening)
            continue;
        const int off = 0;
        if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &off, sizeof(off)) == 0)
            ++changed;
    }
    return changed;
}

struct Run
{
    int clients = 0;
    int rate = 0;
    double delivered = 0; // events received per second, all clients together
    double p50Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    long long offered = 0; // events published during the run, times the clients
    long long missed = 0;  // of those, not received by 300 ms after the last was published
    int disconnects = 0;
    int nagleSockets = 0; // server sockets with TCP_NODELAY cleared (Nagle runs only)
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
    if (const auto started = daemon.start(file.fileName()); !started) {
        std::fprintf(stderr, "bench_fanout: %s\n", qPrintable(started.error().message));
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

    const auto runOnce = [&](int count, int rate, bool nagle) {
        Run run;
        run.clients = count;
        run.rate = rate;
        clients->resetCounters();
        QMetaObject::invokeMethod(
            clients, [&] { clients->open(url, token, count); }, Qt::BlockingQueuedConnection);
        drill::waitUntil([&] { return clients->ready() >= count; }, 30'000);
        if (nagle)
            run.nagleSockets = enableNagle(quint16(daemon.port()));
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
        run.offered = published * count;
        run.missed = run.offered - clients->received();
        run.disconnects = clients->disconnects();
        QMetaObject::invokeMethod(
            clients, [&] { clients->closeAll(); }, Qt::BlockingQueuedConnection);
        drill::waitUntil([&] { return daemon.webSockets()->clientCount() == 0; }, 10'000);
        return run;
    };

    std::printf("WebSocket fan-out of service_updated events (%.0f s per run)\n", seconds);
    std::printf("  missed: events published during the run (0.5 s warm-up included) times the "
                "clients, less those they received; disconnects: clients whose connection "
                "closed during the run\n");
    const auto header = [] {
        std::printf("  %7s %9s %14s %10s %10s %10s %8s %11s   %s\n", "clients", "events/s",
                    "delivered/s", "p50 ms", "p99 ms", "max ms", "missed", "disconnects",
                    "vs baseline");
    };
    const auto row = [](const Run &r) {
        std::printf("  %7d %9d %14.0f %10.2f %10.2f %10.2f %8lld %11d   ", r.clients, r.rate,
                    r.delivered, r.p50Ms, r.p99Ms, r.maxMs, r.missed, r.disconnects);
    };
    header();
    std::vector<Run> tenClients; // with TCP_NODELAY: the baselines of the Nagle runs
    for (const int rate : {1000, 5000}) {
        const Run baseline = runOnce(1, rate, false);
        for (const int count : {1, 10, 100}) {
            const Run r = count == 1 ? baseline : runOnce(count, rate, false);
            if (count == 10)
                tenClients.push_back(r);
            row(r);
            const long long received = r.offered - r.missed;
            if (count == 1)
                std::printf("(baseline; %lld of %lld events received)\n", received, r.offered);
            else
                std::printf("p99 %.2fx 1 client; %lld of %lld events received\n",
                            baseline.p99Ms > 0 ? r.p99Ms / baseline.p99Ms : 0, received, r.offered);
            std::fflush(stdout);
        }
    }

    std::printf("\nNagle's algorithm on (TCP_NODELAY cleared on the server's sockets), against "
                "the same run with TCP_NODELAY above\n");
    header();
    for (const auto &withNoDelay : tenClients) {
        const Run r = runOnce(withNoDelay.clients, withNoDelay.rate, true);
        row(r);
        std::printf("p50 %.1fx, p99 %.1fx TCP_NODELAY (%d server sockets changed)\n",
                    withNoDelay.p50Ms > 0 ? r.p50Ms / withNoDelay.p50Ms : 0,
                    withNoDelay.p99Ms > 0 ? r.p99Ms / withNoDelay.p99Ms : 0, r.nagleSockets);
        std::fflush(stdout);
    }
    QMetaObject::invokeMethod(
        clients, [&] { delete clients; }, Qt::BlockingQueuedConnection);
    clientThread.quit();
    clientThread.wait();
    return 0;
}
