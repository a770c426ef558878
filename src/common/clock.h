#pragma once

#include <QtGlobal>

namespace rwd {

// Time source for everything that measures or waits. Logic takes a Clock so that tests drive
// time explicitly instead of sleeping. Times are milliseconds since the Unix epoch.
class Clock
{
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual qint64 nowMs() const = 0;
};

// Wall-clock time, made monotonic: it never goes backwards within one process even if the
// system clock is stepped, so durations computed from it are never negative.
class SystemClock final : public Clock
{
public:
    SystemClock();
    [[nodiscard]] qint64 nowMs() const override;

private:
    qint64 m_epochAtStart;
    qint64 m_monotonicAtStart;
};

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1'700'000'000'000)
        : m_now(startMs)
    {}
    [[nodiscard]] qint64 nowMs() const override { return m_now; }
    void advance(qint64 ms) { m_now += ms; }
    void set(qint64 ms) { m_now = ms; }

private:
    qint64 m_now;
};

} // namespace rwd
