#include "clock.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace rwd {

namespace {
qint64 monotonicMs()
{
    static const QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}
} // namespace

SystemClock::SystemClock()
    : m_epochAtStart(QDateTime::currentMSecsSinceEpoch())
    , m_monotonicAtStart(monotonicMs())
{}

qint64 SystemClock::nowMs() const
{
    return m_epochAtStart + (monotonicMs() - m_monotonicAtStart);
}

} // namespace rwd
