#pragma once

#include "check.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <memory>
#include <vector>

namespace rwd::monitor {

// Runs every check on its own interval (plus optional random jitter), never overlapping a check
// with itself: if a probe is still running when the next one is due, that slot is skipped and
// counted. Each check has its own timer, so a slow target never delays the others.
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
    };

    struct Stats
    {
        quint64 started = 0;
        quint64 completed = 0;
        quint64 failed = 0;
        quint64 skippedOverlaps = 0;
    };

    explicit Scheduler(const Clock &clock, QObject *parent = nullptr);
    ~Scheduler() override;

    void add(Entry entry);
    void start();
    void stop();
    [[nodiscard]] Stats stats() const { return m_stats; }
    [[nodiscard]] std::size_t size() const { return m_slots.size(); }

signals:
    void sampleReady(const QString &service, const QString &check, const rwd::monitor::Sample &s);

private:
    struct Slot
    {
        Entry entry;
        QTimer timer;
        bool running = false;
        qint64 nextDueMs = 0;
    };

    void fire(Slot &slot);
    void scheduleNext(Slot &slot);

    const Clock &m_clock;
    std::vector<std::unique_ptr<Slot>> m_slots;
    QRandomGenerator m_random;
    Stats m_stats;
    bool m_running = false;
};

} // namespace rwd::monitor
