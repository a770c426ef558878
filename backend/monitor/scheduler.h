#pragma once

#include "check.h"
#include "sketch.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <queue>

#include <memory>
#include <vector>

namespace rwd::monitor {

// Runs every check on its own interval (plus optional random jitter), never overlapping a check
// with itself: if a probe is still running when the next one is due, that slot is skipped and
// counted. Probes are asynchronous, so a slow target holds only its own check, never the others.
//
// Thousands of checks share one timer and a min-heap of due times: scheduling a probe is
// O(log n), where a QTimer per check would cost O(n) in Qt's sorted timer list for every start.
// A probe that has not reported `timeoutMs` plus a grace period after it started is cancelled
// and recorded as failed, so a check that never calls back cannot stop its own schedule.
class Scheduler final : public QObject
{
    Q_OBJECT

public:
    struct Entry
    {
        QString service;
        QString check;
        qint64 intervalMs = 10'000;
        qint64 jitterMs = 0;
        std::unique_ptr<Check> probe;
        qint64 timeoutMs = 0; // 0: the check enforces its own timeout and nothing watches it
    };

    struct Stats
    {
        quint64 started = 0;
        quint64 completed = 0;
        quint64 failed = 0;
        quint64 skippedOverlaps = 0;
        quint64 watchdogCancels = 0;
    };

    // A probe still running this long after its timeout is cancelled by the scheduler.
    static constexpr qint64 kWatchdogGraceMs = 1000;

    explicit Scheduler(const Clock &clock, QObject *parent = nullptr);
    ~Scheduler() override;

    void add(Entry entry);
    void start();
    void stop();
    [[nodiscard]] Stats stats() const { return m_stats; }
    [[nodiscard]] std::size_t size() const { return m_slots.size(); }
    // How late probes started against their due time (jitter included), in milliseconds: a
    // sketch over every probe since start.
    [[nodiscard]] double latenessQuantile(double q) const { return m_lateness.quantile(q); }

signals:
    void sampleReady(const QString &service, const QString &check, const rwd::monitor::Sample &s);

private:
    struct Slot
    {
        Entry entry;
        bool running = false;
        qint64 gridMs = 0;    // the fixed grid point of the next run
        qint64 fireAtMs = 0;  // gridMs plus this run's jitter
        qint64 startedMs = 0; // when the running probe started
        quint64 run = 0;      // counts probes: a watchdog or an answer of an older one is stale
    };
    enum class Kind
    {
        Fire,
        Watchdog,
    };
    struct Due
    {
        qint64 atMs;
        std::size_t slot;
        Kind kind;
        quint64 tag; // Fire: the epoch it was scheduled in; Watchdog: the slot's run
        bool operator>(const Due &other) const { return atMs > other.atMs; }
    };

    void wake();
    void arm();
    void fire(std::size_t index);
    void finish(std::size_t index, const Sample &sample);
    void scheduleNext(std::size_t index, qint64 nowMs);

    const Clock &m_clock;
    std::vector<Slot> m_slots;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    QTimer m_timer;
    QRandomGenerator m_random;
    Stats m_stats;
    QuantileSketch m_lateness;
    quint64 m_epoch = 0; // advanced by stop(): Fire entries from before are stale
    bool m_running = false;
};

} // namespace rwd::monitor
