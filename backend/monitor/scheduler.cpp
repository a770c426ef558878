#include "scheduler.h"

#include "common/clock.h"

#include <climits>

namespace rwd::monitor {

Scheduler::Scheduler(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_random(QRandomGenerator::securelySeeded())
{}

Scheduler::~Scheduler()
{
    stop();
}

void Scheduler::add(Entry entry)
{
    auto slot = std::make_unique<Slot>();
    slot->entry = std::move(entry);
    slot->timer.setSingleShot(true);
    slot->timer.setTimerType(Qt::PreciseTimer);
    auto *raw = slot.get();
    connect(&slot->timer, &QTimer::timeout, this, [this, raw] { fire(*raw); });
    m_slots.push_back(std::move(slot));
}

void Scheduler::start()
{
    if (m_running)
        return;
    m_running = true;
    const qint64 now = m_clock.nowMs();
    for (auto &slot : m_slots) {
        // Spread the first probes over a short time so thousands of checks don't start at once.
        const qint64 spread = std::min<qint64>(slot->entry.intervalMs, 1000);
        slot->nextDueMs = now + qint64(m_random.bounded(quint32(std::max<qint64>(spread, 1))));
        slot->timer.start(int(slot->nextDueMs - now));
    }
}

void Scheduler::stop()
{
    m_running = false;
    for (auto &slot : m_slots) {
        slot->timer.stop();
        if (slot->running) {
            slot->entry.probe->cancel();
            slot->running = false;
        }
    }
}

void Scheduler::fire(Slot &slot)
{
    if (!m_running)
        return;
    if (slot.running) {
        ++m_stats.skippedOverlaps;
        scheduleNext(slot);
        return;
    }
    slot.running = true;
    ++m_stats.started;
    scheduleNext(slot);
    Slot *raw = &slot;
    slot.entry.probe->probe([this, raw](const Sample &sample) {
        raw->running = false;
        ++m_stats.completed;
        if (!sample.ok)
            ++m_stats.failed;
        emit sampleReady(raw->entry.service, raw->entry.check, sample);
    });
}

void Scheduler::scheduleNext(Slot &slot)
{
    // Due times advance on a fixed grid from the first run, so a slow event loop does not make
    // the interval drift; missed slots are skipped rather than run in a burst.
    const qint64 now = m_clock.nowMs();
    const qint64 interval = std::max<qint64>(slot.entry.intervalMs, 1);
    slot.nextDueMs += interval;
    if (slot.nextDueMs <= now)
        slot.nextDueMs += ((now - slot.nextDueMs) / interval + 1) * interval;
    qint64 delay = slot.nextDueMs - now;
    if (slot.entry.jitterMs > 0)
        delay += qint64(m_random.bounded(quint32(std::min<qint64>(slot.entry.jitterMs, 1 << 30))));
    slot.timer.start(int(std::min<qint64>(delay, INT_MAX)));
}

} // namespace rwd::monitor
