#include "verification.h"

#include "common/duration.h"
#include "monitor/metricstore.h"

namespace rwd::orchestrator {

HealthVerification::HealthVerification(const config::ServiceConfig &service, qint64 startedMs,
                                       int consecutive, qint64 timeoutMs)
    : m_service(&service)
    , m_startedMs(startedMs)
    , m_consecutive(std::max(consecutive, 1))
    , m_timeoutMs(timeoutMs)
{}

HealthVerification::Outcome HealthVerification::evaluate(const monitor::MetricStore &metrics,
                                                         qint64 nowMs)
{
    QStringList pending;
    for (const auto &check : m_service->checks) {
        int streak = 0;
        QString lastError;
        for (const auto &o : metrics.outcomesSince(m_service->name, check.name, m_startedMs)) {
            streak = o.ok ? streak + 1 : 0;
            if (!o.ok)
                lastError = o.error;
        }
        if (streak < m_consecutive)
            pending.append(QStringLiteral("%1: %2/%3 in a row%4")
                               .arg(check.name)
                               .arg(streak)
                               .arg(m_consecutive)
                               .arg(lastError.isEmpty()
                                        ? QString()
                                        : QStringLiteral(" (last failure: %1)").arg(lastError)));
    }
    if (pending.isEmpty()) {
        const auto count = m_service->checks.size();
        m_message =
            (count == 1
                 ? QStringLiteral("the check passed %2 times in a row after %3")
                 : QStringLiteral("all %1 checks passed %2 times in a row after %3").arg(count))
                .arg(m_consecutive)
                .arg(formatDuration(nowMs - m_startedMs));
        return Outcome::Passed;
    }
    if (nowMs - m_startedMs >= m_timeoutMs) {
        m_message = QStringLiteral("not healthy within %1: %2")
                        .arg(formatDuration(m_timeoutMs), pending.join(QStringLiteral("; ")));
        return Outcome::Failed;
    }
    return Outcome::Pending;
}

} // namespace rwd::orchestrator
