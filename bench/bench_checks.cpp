// Checks per second that rewindd's scheduler sustains on one core against a real endpoint of
// rewind-fleet, with the p99 of how late probes start, compared in the same run with wrk against
// the same endpoint (the loopback ceiling). The fleet runs on the other core.
// Reproduce: build/ci/bin/bench_checks [seconds-per-step [checks...]] (docs/performance.md).
#include "common/clock.h"
#include "http/client.h"
#include "monitor/checks/http/httpcheck.h"
#include "monitor/scheduler.h"
#include "processes.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <sched.h>
#include <vector>

using namespace rwd;

namespace {

void pinTo(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    ::sched_setaffinity(0, sizeof(set), &set);
}

struct StepResult
{
    double target = 0;
    double achieved = 0;
    double failedShare = 0;
    double skipped = 0;
    double p50 = 0;
    double p99 = 0;
};

StepResult runStep(const QUrl &url, int checks, int intervalMs, double seconds)
{
    SystemClock clock;
    http::Client network;
    monitor::Scheduler scheduler(clock);
    const monitor::CheckRuntime runtime{&network, &clock};
    for (int i = 0; i < checks; ++i) {
        monitor::HttpCheck::Options o;
        o.url = url;
        o.timeoutMs = 2000;
        scheduler.add({QStringLiteral("bench"), QStringLiteral("c%1").arg(i), intervalMs, 0,
                       std::make_unique<monitor::HttpCheck>(o, runtime)});
    }
    // Let connections open before measuring.
    scheduler.start();
    drill::waitUntil([] { return false; }, 1000);
    const auto before = scheduler.stats();
    const qint64 start = clock.nowMs();
    drill::waitUntil([] { return false; }, int(seconds * 1000));
    const auto after = scheduler.stats();
    const double elapsed = double(clock.nowMs() - start) / 1000.0;
    scheduler.stop();
    StepResult r;
    r.target = checks * 1000.0 / intervalMs;
    r.achieved = double(after.completed - before.completed) / elapsed;
    const double completed = double(after.completed - before.completed);
    r.failedShare = completed > 0 ? double(after.failed - before.failed) / completed : 0;
    r.skipped = double(after.skippedOverlaps - before.skippedOverlaps) / elapsed;
    r.p50 = scheduler.latenessQuantile(0.5);
    r.p99 = scheduler.latenessQuantile(0.99);
    return r;
}

double wrkRate(const QUrl &url, int seconds)
{
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.setChildProcessModifier([] { pinTo(0); });
    wrk.start(QStringLiteral("wrk"), {QStringLiteral("-t1"), QStringLiteral("-c64"),
                                      QStringLiteral("-d%1s").arg(seconds), url.toString()});
    if (!wrk.waitForFinished(seconds * 1000 + 30'000))
        return 0;
    const auto out = QString::fromUtf8(wrk.readAll());
    const auto m = QRegularExpression(QStringLiteral(R"(Requests/sec:\s+([0-9.]+))")).match(out);
    return m.hasMatch() ? m.captured(1).toDouble() : 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? QString::fromLocal8Bit(argv[1]).toDouble() : 5.0;
    pinTo(0);
    QTemporaryDir dir;
    drill::ManagedProcess fleet(QStringLiteral("rewind-fleet"),
                                dir.filePath(QStringLiteral("fleet.log")));
    // The fleet (the target) on the other core, without its own load.
    const QString fleetBin =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("rewind-fleet"));
    if (const auto started = fleet.start(
            QStringLiteral("taskset"),
            {QStringLiteral("-c"), QStringLiteral("1"), fleetBin, QStringLiteral("--dir"),
             dir.filePath(QStringLiteral("fleet")), QStringLiteral("--service"),
             QStringLiteral("api"), QStringLiteral("--load-rps"), QStringLiteral("0"),
             QStringLiteral("--log-level"), QStringLiteral("warn")},
            30'000);
        !started) {
        std::fprintf(stderr, "cannot start the fleet: %s\n", qPrintable(started.error().message));
        return 1;
    }
    const auto address = fleet.ready()
                             .value(QLatin1String("services"))
                             .toObject()
                             .value(QLatin1String("api"))
                             .toObject()
                             .value(QLatin1String("instances"))
                             .toObject()
                             .value(QLatin1String("blue"))
                             .toObject()
                             .value(QLatin1String("address"))
                             .toString();
    const QUrl url(QStringLiteral("http://%1/version").arg(address));
    std::printf("HTTP checks on one core against %s (rewind-fleet on the other core)\n\n",
                qPrintable(url.toString()));

    const double ceiling = wrkRate(url, int(seconds));
    std::printf("  %-44s %10.0f req/s   (baseline)\n", "wrk -t1 -c64 (same core, same endpoint)",
                ceiling);
    std::printf("\n  %-12s %10s %10s %8s %9s %12s %12s\n", "checks", "target/s", "done/s", "of wrk",
                "failed", "late p50", "late p99");
    // Check counts to run, each at a 100 ms interval: the arguments after the seconds, or a
    // ladder from 1,000 to 20,000 checks/s.
    std::vector<int> counts;
    for (int i = 2; i < argc; ++i)
        counts.push_back(QString::fromLocal8Bit(argv[i]).toInt());
    if (counts.empty())
        counts = {100, 250, 500, 1000, 1500, 2000};
    const int interval = 100;
    for (const int checks : counts) {
        const auto r = runStep(url, checks, interval, seconds);
        std::printf("  %5d/%4dms %10.0f %10.0f %7.2fx %8.2f%% %10.1fms %10.1fms\n", checks,
                    interval, r.target, r.achieved, ceiling > 0 ? r.achieved / ceiling : 0,
                    r.failedShare * 100, r.p50, r.p99);
        std::fflush(stdout);
    }
    fleet.stop();
    return 0;
}
