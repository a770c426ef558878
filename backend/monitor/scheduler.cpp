#include "scheduler.h"

#include "common/clock.h"

#include <QPointer>

#include <algorithm>
#include <climits>

namespace rwd::monitor {

namespace {

// Due probes started in one turn of the event loop at most; the rest wait one turn, so that
// answers to probes already sent are read in between.
constexpr int kMaxFiresPerTurn = 512;

} // namespace

Scheduler::Scheduler(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_random(QRandomGenerator::securelySeeded())
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::wake);
}

Scheduler::~Scheduler()
{
    stop();
}

void Scheduler::add(Entry entry)
{
    Slot slot;
    slot.entry = std::move(entry);
    m_slots.push_back(std::move(slot));
    auto &added = m_slots.back();
    added.confirmation = Confirmation(added.entry.rise, added.entry.fall);
    if (m_running) {
        const qint64 now = m_clock.nowMs();
        added.gridMs = added.fireAtMs = now;
        push(m_slots.size() - 1, now);
        arm();
    }
}

void Scheduler::start()
{
    if (m_running)
        return;
    m_running = true;
    const qint64 now = m_clock.nowMs();
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        auto &slot = m_slots[i];
        // Spread the first probes over the interval (at most a second) so thousands of checks
        // don't start at once.
        const qint64 spread = std::clamp<qint64>(slot.entry.intervalMs, 1, 1000);
        slot.gridMs = now + qint64(m_random.bounded(quint32(spread)));
        slot.fireAtMs = slot.gridMs;
        slot.fastDue = false;
        push(i, slot.fireAtMs);
    }
    arm();
}

void Scheduler::stop()
{
    m_running = false;
    m_timer.stop();
    m_due = {};
    ++m_epoch;
    for (auto &slot : m_slots) {
        if (slot.running) {
            slot.entry.probe->cancel();
            slot.running = false;
        }
        ++slot.run;
    }
}

void Scheduler::arm()
{
    if (!m_running || m_due.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 delay = std::max<qint64>(0, m_due.top().atMs - m_clock.nowMs());
    m_timer.start(int(std::min<qint64>(delay, INT_MAX)));
}

void Scheduler::wake()
{
    QPointer<Scheduler> alive(this);
    const qint64 now = m_clock.nowMs();
    int fired = 0;
    while (alive && m_running && !m_due.empty() && m_due.top().atMs <= now &&
           fired < kMaxFiresPerTurn) {
        const Due due = m_due.top();
        m_due.pop();
        auto &slot = m_slots[due.slot];
        if (due.kind == Kind::Watchdog) {
            if (slot.running && due.tag == slot.run) {
                ++m_stats.watchdogCancels;
                slot.entry.probe->cancel();
                Sample s;
                s.timeMs = now;
                s.latency = double(now - slot.startedMs) / 1000.0;
                s.checkError = true;
                s.error = QStringLiteral("the probe did not report within %1 ms")
                              .arg(slot.entry.timeoutMs + kWatchdogGraceMs);
                finish(due.slot, s);
            }
            continue;
        }
        if (due.tag != m_epoch || due.seq != slot.fireSeq)
            continue; // scheduled before a stop(), or replaced by a fast-confirmation probe
        ++fired;
        fire(due.slot);
    }
    if (alive)
        arm();
}

void Scheduler::fire(std::size_t index)
{
    auto &slot = m_slots[index];
    const qint64 now = m_clock.nowMs();
    const bool fast = slot.fastDue;
    slot.fastDue = false;
    // A fast probe comes between two points of the grid: the next point stays where it was.
    const auto next = [&] {
        if (fast && slot.fireAtMs > now)
            push(index, slot.fireAtMs);
        else
            scheduleNext(index, now);
    };
    if (slot.running) {
        ++m_stats.skippedOverlaps;
        next();
        return;
    }
    slot.running = true;
    slot.startedMs = now;
    ++m_stats.started;
    if (fast)
        ++m_stats.fastProbes;
    else
        m_lateness.add(double(std::max<qint64>(0, now - slot.fireAtMs)));
    next();
    const quint64 run = ++slot.run;
    if (slot.entry.timeoutMs > 0)
        m_due.push({now + slot.entry.timeoutMs + kWatchdogGraceMs, index, Kind::Watchdog, run});
    slot.entry.probe->probe([this, index, run](const Sample &sample) {
        if (m_slots[index].running && m_slots[index].run == run)
            finish(index, sample);
    });
}

void Scheduler::finish(std::size_t index, const Sample &answer)
{
    auto &slot = m_slots[index];
    slot.running = false;
    ++m_stats.completed;
    Sample sample = answer;
    if (sample.startedMs <= 0)
        sample.startedMs = slot.startedMs;
    if (sample.checkError)
        ++m_stats.checkErrors;
    else if (!sample.ok)
        ++m_stats.failed;
    // Rewind's own trouble says nothing about the target: it neither starts nor ends a
    // confirmation.
    if (!sample.checkError && m_running && slot.entry.fastIntervalMs > 0 &&
        slot.confirmation.record(sample.ok)) {
        const qint64 at = m_clock.nowMs() + slot.entry.fastIntervalMs;
        if (at < slot.fireAtMs) {
            slot.fastDue = true;
            push(index, at);
            arm();
        }
    }
    emit sampleReady(slot.entry.service, slot.entry.check, sample);
}

void Scheduler::push(std::size_t index, qint64 atMs)
{
    m_due.push({atMs, index, Kind::Fire, m_epoch, ++m_slots[index].fireSeq});
}

void Scheduler::scheduleNext(std::size_t index, qint64 nowMs)
{
    auto &slot = m_slots[index];
    // Due times advance on a fixed grid from the first run, so a slow event loop does not make
    // the interval drift; missed slots are skipped rather than run in a burst.
    const qint64 interval = std::max<qint64>(slot.entry.intervalMs, 1);
    slot.gridMs += interval;
    if (slot.gridMs <= nowMs)
        slot.gridMs += ((nowMs - slot.gridMs) / interval + 1) * interval;
    qint64 jitter = 0;
    if (slot.entry.jitterMs > 0)
        jitter = qint64(m_random.bounded(quint32(std::min<qint64>(slot.entry.jitterMs, 1 << 30))));
    slot.fireAtMs = slot.gridMs + jitter;
    push(index, slot.fireAtMs);
}

} // namespace rwd::monitor
