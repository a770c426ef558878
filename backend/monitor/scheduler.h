#pragma once

#include "check.h"
#include "sketch.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <queue>

#include <algorithm>
#include <memory>
#include <vector>

namespace rwd::monitor {

// Fast confirmation, as load balancers do it (HAProxy's `fastinter` with `rise` and `fall`): a
// check has a confirmed state, up or down. A result that contradicts it starts a streak; while
// the streak lasts the check is probed at its fast interval, until `fall` failures in a row
// confirm it down or `rise` successes in a row confirm it up, or a result that agrees with the
// confirmed state ends the streak. A check starts up. Pure logic, no time.
class Confirmation
{
public:
    enum class State
    {
        Up,
        Down,
    };

    Confirmation(int rise = 2, int fall = 3)
        : m_rise(std::max(rise, 1))
        , m_fall(std::max(fall, 1))
    {}

    // Records one probe's result; true while the state is being confirmed (probe again soon).
    bool record(bool ok)
    {
        const bool contradicts = (m_state == State::Up) != ok;
        if (!contradicts) {
            m_streak = 0;
            return false;
        }
        if (++m_streak >= (m_state == State::Up ? m_fall : m_rise)) {
            m_state = m_state == State::Up ? State::Down : State::Up;
            m_streak = 0;
            return false;
        }
        return true;
    }
    [[nodiscard]] State state() const { return m_state; }
    // Results in a row that contradict the confirmed state.
    [[nodiscard]] int streak() const { return m_streak; }

private:
    int m_rise;
    int m_fall;
    State m_state = State::Up;
    int m_streak = 0;
};

// Runs every check on its own interval (plus optional random jitter), never overlapping a check
// with itself: if a probe is still running when the next one is due, that slot is skipped and
// counted. Probes are asynchronous, so a slow target holds only its own check, never the others.
//
// Thousands of checks share one timer and a min-heap of due times: scheduling a probe is
// O(log n), where a QTimer per check would cost O(n) in Qt's sorted timer list for every start.
// A probe that has not reported `timeoutMs` plus a grace period after it started is cancelled
// and recorded as a check error (Rewind's trouble, not the target's), so a check that never
// calls back cannot stop its own schedule. With a fast interval, a result that contradicts the
// check's confirmed state is followed by probes at that interval until it is confirmed or
// cleared (Confirmation); the fixed grid of the normal interval goes on underneath.
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
        qint64 timeoutMs = 0;      // 0: the check enforces its own timeout and nothing watches it
        qint64 fastIntervalMs = 0; // 0: no fast confirmation
        int rise = 2;              // successes in a row that confirm a down check up
        int fall = 3;              // failures in a row that confirm an up check down
    };

    struct Stats
    {
        quint64 started = 0;
        quint64 completed = 0;
        quint64 failed = 0;
        quint64 skippedOverlaps = 0;
        quint64 watchdogCancels = 0;
        quint64 fastProbes = 0; // probes started at the fast interval
        quint64 checkErrors = 0;
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
        quint64 fireSeq = 0;  // the Fire entry that is current; older ones are stale
        bool fastDue = false; // the pending Fire is a fast-confirmation probe
        Confirmation confirmation;
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
        quint64 tag;     // Fire: the epoch it was scheduled in; Watchdog: the slot's run
        quint64 seq = 0; // Fire: the slot's fireSeq when it was scheduled
        bool operator>(const Due &other) const { return atMs > other.atMs; }
    };

    void wake();
    void arm();
    void fire(std::size_t index);
    void finish(std::size_t index, const Sample &sample);
    void scheduleNext(std::size_t index, qint64 nowMs);
    void push(std::size_t index, qint64 atMs);

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
