// The check scheduler in real time: per-check intervals on a fixed grid, no check overlapping
// itself, a slow target not delaying the others, thousands of checks on one timer, jitter, the
// watchdog for probes that never report, answers that come after a cancel, and stop()/start().
// The checks are fakes whose probes answer after a set delay; timing assertions are generous
// (the machine may be busy): they check properties, they are not benchmarks.
#include "common/clock.h"
#include "monitor/check.h"
#include "monitor/scheduler.h"

#include <QEventLoop>
#include <QHash>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <functional>
#include <memory>
#include <set>
#include <vector>

using namespace rwd;
using monitor::Sample;
using monitor::Scheduler;

namespace {

// What one fake check saw.
struct ProbeLog
{
    std::vector<qint64> starts;  // clock time of every probe() call
    int running = 0;             // probes started and neither answered nor cancelled
    int maxRunning = 0;          // the most probes of this check ever running at once
    int cancels = 0;             // calls of cancel()
    int answered = 0;            // answers to probes that were not cancelled
    int answeredAfterCancel = 0; // answers sent anyway by a check that ignores cancel()
    qint64 lastAnswerDueMs = 0;  // when the latest probe answers (or would have)
};

// A check whose probes answer `delayMs` after they start (0: on the next turn of the event loop;
// below 0: never). One that honours cancel() never answers a cancelled probe; one that does not
// answers it anyway, as a buggy check might, which the scheduler must ignore.
class FakeCheck final : public monitor::Check
{
public:
    FakeCheck(const Clock &clock, std::shared_ptr<ProbeLog> log, int delayMs, bool honourCancel)
        : m_clock(clock)
        , m_log(std::move(log))
        , m_delayMs(delayMs)
        , m_honourCancel(honourCancel)
    {}

    void probe(Done done) override
    {
        const qint64 now = m_clock.nowMs();
        m_log->starts.push_back(now);
        m_log->maxRunning = std::max(m_log->maxRunning, ++m_log->running);
        const quint64 id = ++m_probes;
        m_current = id;
        if (m_delayMs < 0)
            return;
        m_log->lastAnswerDueMs = now + m_delayMs;
        QTimer::singleShot(m_delayMs, Qt::PreciseTimer, &m_context,
                           [this, id, now, reply = std::move(done)] { answer(id, now, reply); });
    }

    void cancel() override
    {
        ++m_log->cancels;
        if (m_current != 0) {
            m_current = 0;
            --m_log->running;
        }
    }

private:
    void answer(quint64 id, qint64 startedMs, const Done &reply)
    {
        if (id == m_current) {
            m_current = 0;
            --m_log->running;
            ++m_log->answered;
        } else if (m_honourCancel) {
            return; // cancelled: the answer must not be sent
        } else {
            ++m_log->answeredAfterCancel;
        }
        Sample s;
        s.timeMs = m_clock.nowMs();
        s.ok = true;
        s.latency = double(s.timeMs - startedMs) / 1000.0;
        reply(s);
    }

    const Clock &m_clock;
    std::shared_ptr<ProbeLog> m_log;
    int m_delayMs;
    bool m_honourCancel;
    quint64 m_probes = 0;
    quint64 m_current = 0; // the probe running now; 0 when none
    QObject m_context;     // pending answers go with the check
};

// A scheduler on the system clock with every sample it emitted, by check name.
// A check whose probes answer at once with the next result of a script (true: ok), then ok.
class ScriptedCheck final : public monitor::Check
{
public:
    ScriptedCheck(const Clock &clock, std::vector<bool> results, std::vector<qint64> *starts)
        : m_clock(clock)
        , m_results(std::move(results))
        , m_starts(starts)
    {}
    void probe(Done done) override
    {
        m_starts->push_back(m_clock.nowMs());
        const bool ok = m_next < m_results.size() ? m_results[m_next] : true;
        ++m_next;
        QTimer::singleShot(0, &m_context, [this, ok, reply = std::move(done)] {
            Sample s;
            s.timeMs = m_clock.nowMs();
            s.ok = ok;
            reply(s);
        });
    }
    void cancel() override {}

private:
    const Clock &m_clock;
    std::vector<bool> m_results;
    std::vector<qint64> *m_starts;
    std::size_t m_next = 0;
    QObject m_context;
};

struct Harness
{
    Harness()
    {
        QObject::connect(&scheduler, &Scheduler::sampleReady, &scheduler,
                         [this](const QString &, const QString &check, const Sample &s) {
                             samples[check].push_back(s);
                             ++total;
                         });
    }

    std::shared_ptr<ProbeLog> add(const QString &check, qint64 intervalMs, int delayMs,
                                  qint64 jitterMs = 0, qint64 timeoutMs = 0,
                                  bool honourCancel = true)
    {
        auto log = std::make_shared<ProbeLog>();
        Scheduler::Entry e;
        e.service = QStringLiteral("svc");
        e.check = check;
        e.intervalMs = intervalMs;
        e.jitterMs = jitterMs;
        e.timeoutMs = timeoutMs;
        e.probe = std::make_unique<FakeCheck>(clock, log, delayMs, honourCancel);
        scheduler.add(std::move(e));
        return log;
    }

    [[nodiscard]] int count(const QString &check) const
    {
        const auto it = samples.constFind(check);
        return it == samples.cend() ? 0 : int(it->size());
    }

    SystemClock clock;
    Scheduler scheduler{clock};
    QHash<QString, std::vector<Sample>> samples;
    int total = 0;
};

// Runs the event loop until `condition` holds, at most `timeoutMs`. Not QTRY_VERIFY: its qWait()
// sleeps up to 10 ms between batches of events, which would start probes up to 10 ms late and
// hide the scheduler's own timing behind the test's. Here the loop blocks in the dispatcher, so
// timers fire on time; the condition is polled every few milliseconds.
bool runUntil(const std::function<bool()> &condition, int timeoutMs)
{
    if (condition())
        return true;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (condition())
            loop.quit();
    });
    poll.start(3);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return condition();
}

// How far each start lies after the grid `origin + k·interval`, with the origin placed at the
// earliest-aligned start (probes start late, never early): all small when the k-th start is
// at first + k·interval without drift; growing when the schedule drifts; a whole interval when a
// slot was lost.
std::vector<qint64> gridOffsets(const std::vector<qint64> &starts, qint64 intervalMs)
{
    qint64 origin = LLONG_MAX;
    for (std::size_t k = 0; k < starts.size(); ++k)
        origin = std::min(origin, starts[k] - qint64(k) * intervalMs);
    std::vector<qint64> out;
    for (std::size_t k = 0; k < starts.size(); ++k)
        out.push_back(starts[k] - qint64(k) * intervalMs - origin);
    return out;
}

qint64 maxOf(const std::vector<qint64> &values)
{
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

int sizeOf(const std::vector<qint64> &values)
{
    return int(values.size());
}

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT

private slots:
    // Each check runs on its own interval: a 50 ms check runs four times as often as a 200 ms
    // one, and each starts on its grid (k-th start at first + k·interval, no drift even though
    // every probe takes a while to answer).
    void perCheckIntervals()
    {
        Harness h;
        auto fast = h.add(QStringLiteral("fast"), 50, 10);
        auto slow = h.add(QStringLiteral("slow"), 200, 30);
        h.scheduler.start();
        QVERIFY(runUntil([&] { return h.count(QStringLiteral("slow")) >= 5; }, 5000));
        h.scheduler.stop();

        QVERIFY(sizeOf(slow->starts) >= 5);
        // 800 ms between the slow check's first and fifth start: 16 fast starts in that window.
        const auto inWindow =
            std::count_if(fast->starts.begin(), fast->starts.end(),
                          [&](qint64 t) { return t >= slow->starts[0] && t < slow->starts[4]; });
        QVERIFY2(inWindow >= 14 && inWindow <= 18,
                 qPrintable(QStringLiteral("%1 fast starts in 800 ms").arg(inWindow)));
        const double ratio =
            double(h.count(QStringLiteral("fast"))) / double(h.count(QStringLiteral("slow")));
        QVERIFY2(ratio >= 3.0 && ratio <= 5.0, qPrintable(QString::number(ratio)));

        const qint64 fastOff = maxOf(gridOffsets(fast->starts, 50));
        const qint64 slowOff = maxOf(gridOffsets(slow->starts, 200));
        QVERIFY2(fastOff <= 30,
                 qPrintable(QStringLiteral("fast: %1 ms off its grid").arg(fastOff)));
        QVERIFY2(slowOff <= 30,
                 qPrintable(QStringLiteral("slow: %1 ms off its grid").arg(slowOff)));

        QCOMPARE(fast->maxRunning, 1);
        QCOMPARE(slow->maxRunning, 1);
        const auto stats = h.scheduler.stats();
        QCOMPARE(stats.started, quint64(fast->starts.size() + slow->starts.size()));
        QCOMPARE(stats.completed, quint64(h.total));
        QCOMPARE(stats.failed, quint64(0));
    }

    // A probe that outlasts its interval is never overlapped by the next one: the due slots in
    // between are skipped and counted, and the next probe starts on the first grid point after
    // the answer.
    void noOverlap()
    {
        Harness h;
        auto log = h.add(QStringLiteral("slow"), 20, 70);
        h.scheduler.start();
        QVERIFY(runUntil([&] { return h.count(QStringLiteral("slow")) >= 2; }, 5000));
        const quint64 skippedEarly = h.scheduler.stats().skippedOverlaps;
        QVERIFY(skippedEarly > 0);
        QVERIFY(runUntil([&] { return h.count(QStringLiteral("slow")) >= 6; }, 5000));
        h.scheduler.stop();

        const auto stats = h.scheduler.stats();
        QVERIFY2(
            stats.skippedOverlaps > skippedEarly,
            qPrintable(QStringLiteral("%1 then %2").arg(skippedEarly).arg(stats.skippedOverlaps)));
        // Three slots (at +20, +40 and +60 ms) fall inside every 70 ms probe.
        QVERIFY(stats.skippedOverlaps >= stats.started - 1);
        QCOMPARE(log->maxRunning, 1);
        for (std::size_t k = 1; k < log->starts.size(); ++k) {
            const qint64 gap = log->starts[k] - log->starts[k - 1];
            // Not before the previous probe answered, and at the next slot after it.
            QVERIFY2(
                gap >= 70 && gap <= 70 + 20 + 30,
                qPrintable(
                    QStringLiteral("probe %1 started %2 ms after the one before").arg(k).arg(gap)));
        }
    }

    // One check whose probes take 2 s holds only itself: 200 checks at 50 ms that answer at once
    // keep their rate and grid meanwhile, and probes start close to their due time.
    void slowTargetDoesNotDelayOthers()
    {
        Harness h;
        auto slow = h.add(QStringLiteral("slow"), 100, 2000);
        std::vector<std::shared_ptr<ProbeLog>> fast;
        fast.reserve(200);
        for (int i = 0; i < 200; ++i)
            fast.push_back(h.add(QStringLiteral("fast%1").arg(i), 50, 0));
        h.scheduler.start();
        QVERIFY(runUntil(
            [&] {
                return std::all_of(fast.begin(), fast.end(),
                                   [](const auto &log) { return log->answered >= 20; });
            },
            10000));
        h.scheduler.stop();

        // The slow probe was outstanding all along.
        QCOMPARE(sizeOf(slow->starts), 1);
        QCOMPARE(h.count(QStringLiteral("slow")), 0);
        QCOMPARE(slow->cancels, 1);
        QVERIFY(h.scheduler.stats().skippedOverlaps >= 5);

        for (std::size_t i = 0; i < fast.size(); ++i) {
            const auto &log = fast[i];
            QCOMPARE(log->maxRunning, 1);
            const qint64 off = maxOf(gridOffsets(log->starts, 50));
            QVERIFY2(off <= 30, qPrintable(QStringLiteral("fast%1: %2 ms off its grid, %3 starts")
                                               .arg(i)
                                               .arg(off)
                                               .arg(log->starts.size())));
            const double meanGap =
                double(log->starts.back() - log->starts.front()) / double(log->starts.size() - 1);
            QVERIFY2(meanGap >= 48 && meanGap <= 52, qPrintable(QString::number(meanGap)));
        }
        const double p99 = h.scheduler.latenessQuantile(0.99);
        qInfo("lateness p50 %.1f ms, p99 %.1f ms", h.scheduler.latenessQuantile(0.5), p99);
        QVERIFY2(p99 < 50, qPrintable(QStringLiteral("lateness p99 %1 ms").arg(p99)));
    }

    // When the event loop stalls for several intervals, the slots missed meanwhile are dropped:
    // one late probe when the loop comes back, not a burst, nothing counted as an overlap, and
    // the check is back on its original grid.
    void missedSlotsAreDropped()
    {
        constexpr qint64 kInterval = 50;
        Harness h;
        auto log = h.add(QStringLiteral("c"), kInterval, 0);
        h.scheduler.start();
        QVERIFY(runUntil([&] { return log->starts.size() >= 3; }, 5000));
        const int before = sizeOf(log->starts);
        QThread::msleep(6 * kInterval); // a stalled event loop: about six slots pass
        const qint64 resumedMs = h.clock.nowMs();
        QVERIFY(runUntil([&] { return sizeOf(log->starts) >= before + 4; }, 5000));
        h.scheduler.stop();

        QCOMPARE(h.scheduler.stats().skippedOverlaps, quint64(0));
        const auto &starts = log->starts;
        const qint64 late = starts[std::size_t(before)] - resumedMs;
        QVERIFY2(late >= 0 && late <= 30, qPrintable(QStringLiteral("%1 ms").arg(late)));
        for (std::size_t k = std::size_t(before) + 1; k < starts.size(); ++k) {
            const qint64 gap = starts[k] - starts[k - 1];
            QVERIFY2(
                gap >= kInterval / 2,
                qPrintable(
                    QStringLiteral("start %1 came %2 ms after the one before").arg(k).arg(gap)));
            // On the grid of the first start (k·interval after it, give or take the noise).
            const qint64 phase = ((starts[k] - starts[0]) % kInterval + kInterval) % kInterval;
            const qint64 off = phase > kInterval / 2 ? phase - kInterval : phase;
            QVERIFY2(off >= -5 && off <= 20,
                     qPrintable(QStringLiteral("start %1 is %2 ms off the grid").arg(k).arg(off)));
        }
    }

    // 3000 checks at 100 ms on the one timer: after about ten rounds every check ran about ten
    // times (none starved), the total matches the time that passed, and none overlapped itself.
    void thousandsOfChecks()
    {
        constexpr int kChecks = 3000;
        constexpr int kRounds = 10;
        constexpr qint64 kInterval = 100;
        Harness h;
        std::vector<std::shared_ptr<ProbeLog>> logs;
        logs.reserve(kChecks);
        for (int i = 0; i < kChecks; ++i)
            logs.push_back(h.add(QStringLiteral("c%1").arg(i), kInterval, 5));
        const qint64 startMs = h.clock.nowMs();
        h.scheduler.start();
        QVERIFY(runUntil([&] { return h.total >= kChecks * kRounds; }, 30000));
        h.scheduler.stop();
        const qint64 stopMs = h.clock.nowMs();

        const qint64 elapsed = stopMs - startMs;
        qInfo("%d samples in %lld ms; lateness p50 %.1f ms, p99 %.1f ms", h.total, elapsed,
              h.scheduler.latenessQuantile(0.5), h.scheduler.latenessQuantile(0.99));
        // The scheduler kept up: ten rounds (plus the first round's spread) took about a second.
        QVERIFY2(elapsed <= kRounds * kInterval + kInterval + 600,
                 qPrintable(QStringLiteral("%1 ms").arg(elapsed)));

        quint64 started = 0;
        int cancels = 0;
        for (int i = 0; i < kChecks; ++i) {
            const auto &log = *logs[std::size_t(i)];
            QVERIFY2(!log.starts.empty(), qPrintable(QStringLiteral("c%1 never ran").arg(i)));
            // Grid points of this check between its first start and the stop.
            const qint64 expected = (stopMs - log.starts.front()) / kInterval + 1;
            QVERIFY2(sizeOf(log.starts) >= expected - 2 && sizeOf(log.starts) <= expected + 1,
                     qPrintable(QStringLiteral("c%1 ran %2 times, expected %3")
                                    .arg(i)
                                    .arg(log.starts.size())
                                    .arg(expected)));
            QVERIFY2(sizeOf(log.starts) >= kRounds - 2,
                     qPrintable(QStringLiteral("c%1 ran %2 times").arg(i).arg(log.starts.size())));
            QCOMPARE(log.maxRunning, 1);
            const qint64 off = maxOf(gridOffsets(log.starts, kInterval));
            QVERIFY2(off <= 50,
                     qPrintable(QStringLiteral("c%1: %2 ms off its grid").arg(i).arg(off)));
            QCOMPARE(h.count(QStringLiteral("c%1").arg(i)), log.answered);
            started += log.starts.size();
            cancels += log.cancels;
        }
        const auto stats = h.scheduler.stats();
        QCOMPARE(stats.started, started);
        QCOMPARE(stats.completed, quint64(h.total));
        QCOMPARE(stats.started - stats.completed, quint64(cancels)); // in flight at stop()
        QVERIFY2(h.total >= kChecks * kRounds && h.total <= kChecks * (kRounds + 2),
                 qPrintable(QString::number(h.total)));
        // Total probes ≈ checks × rounds elapsed (each check's first start is spread over the
        // first interval, so that round counts half on average).
        const double rounds = double(elapsed) / double(kInterval) + 0.5;
        const double ratio = double(started) / (kChecks * rounds);
        QVERIFY2(ratio >= 0.9 && ratio <= 1.1,
                 qPrintable(QStringLiteral("%1 probes in %2 rounds").arg(started).arg(rounds)));
    }

    // Jitter moves each start later than its grid point by up to jitterMs, differently each time,
    // and does not accumulate.
    void jitter()
    {
        Harness h;
        std::vector<std::shared_ptr<ProbeLog>> logs;
        logs.reserve(4);
        for (int i = 0; i < 4; ++i)
            logs.push_back(h.add(QStringLiteral("j%1").arg(i), 100, 1, 40));
        h.scheduler.start();
        QVERIFY(runUntil(
            [&] {
                return std::all_of(logs.begin(), logs.end(),
                                   [](const auto &log) { return log->starts.size() >= 12; });
            },
            5000));
        h.scheduler.stop();

        for (const auto &log : logs) {
            const auto offsets = gridOffsets(log->starts, 100);
            const std::set<qint64> distinct(offsets.begin(), offsets.end());
            const auto [lo, hi] = std::minmax_element(offsets.begin(), offsets.end());
            QVERIFY2(*hi <= 40 + 10, qPrintable(QStringLiteral("%1 ms past the grid").arg(*hi)));
            QVERIFY2(distinct.size() >= 4 && *hi - *lo >= 10,
                     qPrintable(QStringLiteral("%1 distinct offsets within %2 ms")
                                    .arg(distinct.size())
                                    .arg(*hi - *lo)));
            QCOMPARE(log->maxRunning, 1);
        }
    }

    // A probe that never reports is cancelled timeoutMs + kWatchdogGraceMs after it started,
    // recorded as a check error (the check's fault, not the target's: never a failed sample),
    // and the check keeps its schedule.
    void watchdogCancelsStuckProbe()
    {
        constexpr qint64 kTimeout = 100;
        constexpr qint64 kLimit = kTimeout + Scheduler::kWatchdogGraceMs;
        Harness h;
        auto log = h.add(QStringLiteral("stuck"), 200, -1, 0, kTimeout);
        h.scheduler.start();
        QVERIFY(runUntil([&] { return h.count(QStringLiteral("stuck")) >= 1; }, 5000));

        const Sample s = h.samples.value(QStringLiteral("stuck")).front();
        QVERIFY(!s.ok);
        QVERIFY(s.checkError);
        QVERIFY2(s.error.contains(QLatin1String("did not report within")), qPrintable(s.error));
        QVERIFY2(s.error.contains(QString::number(kLimit)), qPrintable(s.error));
        const qint64 waited = s.timeMs - log->starts.front();
        QVERIFY2(waited >= kLimit - 1 && waited <= kLimit + 200,
                 qPrintable(QStringLiteral("failed after %1 ms").arg(waited)));
        QVERIFY(s.latency >= double(kLimit - 1) / 1000.0 &&
                s.latency <= double(kLimit + 200) / 1000.0);
        QCOMPARE(log->cancels, 1);
        QCOMPARE(log->running, 0);
        QCOMPARE(sizeOf(log->starts), 1);
        auto stats = h.scheduler.stats();
        QCOMPARE(stats.watchdogCancels, quint64(1));
        QCOMPARE(stats.checkErrors, quint64(1));
        QCOMPARE(stats.failed, quint64(0));
        QCOMPARE(stats.completed, quint64(1));
        QVERIFY(stats.skippedOverlaps >= 3); // the slots at +200 … +1000 ms

        // Probed again at the next slot.
        QVERIFY(runUntil([&] { return log->starts.size() >= 2; }, 1000));
        QVERIFY2(
            log->starts[1] >= s.timeMs && log->starts[1] <= s.timeMs + 200 + 30,
            qPrintable(QStringLiteral("%1 ms after the watchdog").arg(log->starts[1] - s.timeMs)));
        QCOMPARE(log->maxRunning, 1);
        stats = h.scheduler.stats();
        QCOMPARE(stats.watchdogCancels, quint64(1));
        QCOMPARE(stats.started, quint64(2));
        h.scheduler.stop();
        QCOMPARE(log->cancels, 2);
        QCOMPARE(h.count(QStringLiteral("stuck")), 1);
    }

    // stop() cancels the probes in flight and nothing is reported after it, not even when their
    // answers would have come; start() again resumes probing.
    void stopCancelsAndStartResumes()
    {
        Harness h;
        std::vector<std::shared_ptr<ProbeLog>> logs;
        logs.reserve(3);
        for (int i = 0; i < 3; ++i)
            logs.push_back(h.add(QStringLiteral("s%1").arg(i), 50, 300));
        h.scheduler.start();
        // Stop while all three are running, each after at least one answer.
        QVERIFY(runUntil(
            [&] {
                return std::all_of(logs.begin(), logs.end(), [](const auto &log) {
                    return log->answered >= 1 && log->running == 1;
                });
            },
            10000));
        const int samplesAtStop = h.total;
        std::vector<int> startsAtStop;
        startsAtStop.reserve(logs.size());
        for (const auto &log : logs)
            startsAtStop.push_back(sizeOf(log->starts));
        h.scheduler.stop();

        qint64 quietUntil = 0;
        for (const auto &log : logs) {
            QCOMPARE(log->cancels, 1);
            QCOMPARE(log->running, 0);
            quietUntil = std::max(quietUntil, log->lastAnswerDueMs + 100);
        }
        const auto stats = h.scheduler.stats();
        QCOMPARE(stats.started - stats.completed, quint64(3));
        QVERIFY(runUntil([&] { return h.clock.nowMs() >= quietUntil; }, 2000));
        QCOMPARE(h.total, samplesAtStop);
        for (std::size_t i = 0; i < logs.size(); ++i)
            QCOMPARE(sizeOf(logs[i]->starts), startsAtStop[i]);

        const qint64 restartMs = h.clock.nowMs();
        h.scheduler.start();
        QVERIFY(runUntil(
            [&] {
                return std::all_of(logs.begin(), logs.end(),
                                   [](const auto &log) { return log->answered >= 3; });
            },
            5000));
        h.scheduler.stop();
        for (std::size_t i = 0; i < logs.size(); ++i) {
            const auto &log = logs[i];
            QCOMPARE(log->maxRunning, 1);
            QVERIFY(sizeOf(log->starts) > startsAtStop[i]);
            // The first probe after start() comes within the first interval's spread.
            const qint64 first = log->starts[std::size_t(startsAtStop[i])];
            QVERIFY2(first >= restartMs && first <= restartMs + 50 + 30,
                     qPrintable(QStringLiteral("%1 ms after start()").arg(first - restartMs)));
        }
        QVERIFY(h.total > samplesAtStop);
    }

    // Fast confirmation as a table: the state changes only after `fall` failures (or `rise`
    // successes) in a row, and the check is to be probed fast exactly while a streak that
    // contradicts its state lasts.
    void confirmationFollowsRiseAndFall()
    {
        // ok/failed results, and after each: probe fast?, state (U/D)
        const struct
        {
            const char *results;
            const char *fast;
            const char *states;
        } rows[] = {
            {"+++", "---", "UUU"},          // healthy: never fast
            {"-+", "+-", "UU"},             // one failure, cleared by a success
            {"---", "++-", "UUD"},          // fall = 3 confirms it down
            {"----", "++--", "UUDD"},       // down stays down, probed normally
            {"---+-", "++-+-", "UUDDD"},    // a success while down, then a failure
            {"---++", "++-+-", "UUDDU"},    // rise = 2 confirms it up
            {"-+-+-+", "+-+-+-", "UUUUUU"}, // alternating never changes the state
            {"--+--+", "++-++-", "UUUUUU"}, // two in a row is not three
        };
        for (const auto &row : rows) {
            monitor::Confirmation c(2, 3);
            QString fast;
            QString states;
            for (const char *r = row.results; *r; ++r) {
                fast += c.record(*r == '+') ? u'+' : u'-';
                states += c.state() == monitor::Confirmation::State::Up ? u'U' : u'D';
            }
            QCOMPARE(fast, QString::fromLatin1(row.fast));
            QCOMPARE(states, QString::fromLatin1(row.states));
        }
    }

    // In the scheduler: a failure is followed by probes at the fast interval until it is
    // confirmed, then the normal interval resumes on its grid; check errors start nothing.
    void failuresAreConfirmedAtTheFastInterval()
    {
        Harness h;
        std::vector<qint64> starts;
        Scheduler::Entry e;
        e.service = QStringLiteral("svc");
        e.check = QStringLiteral("flaky");
        e.intervalMs = 1000;
        e.fastIntervalMs = 50;
        e.rise = 2;
        e.fall = 3;
        // ok, then three failures (confirmed down), then ok twice (confirmed up), then ok.
        e.probe = std::make_unique<ScriptedCheck>(
            h.clock, std::vector<bool>{true, false, false, false, true, true, true}, &starts);
        h.scheduler.add(std::move(e));
        h.scheduler.start();
        QVERIFY(runUntil([&] { return starts.size() >= 7; }, 10'000));
        h.scheduler.stop();
        std::vector<qint64> gaps;
        for (std::size_t i = 1; i < starts.size(); ++i)
            gaps.push_back(starts[i] - starts[i - 1]);
        const auto describe = [&] {
            QStringList out;
            for (const auto g : gaps)
                out.append(QString::number(g));
            return out.join(QStringLiteral(", "));
        };
        // 1: ok -> normal; 2: first failure -> fast; 3: second failure -> fast; 4: third failure
        // confirms down -> normal; 5: a success -> fast; 6: the second confirms up -> normal.
        const bool fastAfter[] = {false, true, true, false, true, false};
        for (std::size_t i = 0; i < 6; ++i) {
            const bool fast = gaps[i] < 500;
            QVERIFY2(
                fast == fastAfter[i],
                qPrintable(
                    QStringLiteral("gap %1 of %2 ms: %3").arg(i).arg(gaps[i]).arg(describe())));
            if (fast)
                QVERIFY2(gaps[i] >= 45, qPrintable(describe()));
        }
        QCOMPARE(h.scheduler.stats().fastProbes, quint64(3));
        QCOMPARE(h.scheduler.stats().skippedOverlaps, quint64(0));
    }

    // A check that answers after it was cancelled (by the watchdog, or by stop()) is ignored: no
    // sample, no change to the counts.
    void answersAfterCancelAreIgnored()
    {
        Harness h;
        auto log = h.add(QStringLiteral("deaf"), 100, 1200, 0, 50, false);
        h.scheduler.start();
        // The watchdog gives up at +1050 ms; the answer comes at +1200 ms.
        QVERIFY(runUntil([&] { return log->answeredAfterCancel >= 1; }, 5000));
        QCOMPARE(h.count(QStringLiteral("deaf")), 1);
        QVERIFY(!h.samples.value(QStringLiteral("deaf")).front().ok);
        auto stats = h.scheduler.stats();
        QCOMPARE(stats.completed, quint64(1));
        QCOMPARE(stats.watchdogCancels, quint64(1));
        QCOMPARE(log->running, 1); // the next probe started after the watchdog

        h.scheduler.stop();
        QCOMPARE(log->cancels, 2);
        QVERIFY(runUntil([&] { return log->answeredAfterCancel >= 2; }, 3000));
        QCOMPARE(h.count(QStringLiteral("deaf")), 1);
        stats = h.scheduler.stats();
        QCOMPARE(stats.completed, quint64(1));
        QCOMPARE(stats.started, quint64(2));
        QCOMPARE(log->answered, 0);
    }

    // A check added while the scheduler runs is probed at once, then on its own interval.
    void addWhileRunning()
    {
        Harness h;
        h.add(QStringLiteral("first"), 50, 1);
        h.scheduler.start();
        QVERIFY(runUntil([&] { return h.count(QStringLiteral("first")) >= 2; }, 5000));
        const qint64 addedMs = h.clock.nowMs();
        auto later = h.add(QStringLiteral("later"), 50, 1);
        QCOMPARE(h.scheduler.size(), std::size_t(2));
        QVERIFY(runUntil([&] { return h.count(QStringLiteral("later")) >= 4; }, 5000));
        h.scheduler.stop();
        QVERIFY2(
            later->starts.front() - addedMs <= 30,
            qPrintable(QStringLiteral("%1 ms after add()").arg(later->starts.front() - addedMs)));
        QVERIFY(maxOf(gridOffsets(later->starts, 50)) <= 30);
        QCOMPARE(later->maxRunning, 1);
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
