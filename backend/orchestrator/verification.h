#pragma once

#include "config/config.h"

#include <QString>

namespace rwd::monitor {
class MetricStore;
}

namespace rwd::orchestrator {

// Decides the verify_health step: every check of the service must pass `consecutive` times in
// a row, counting only samples taken after the step started, within the timeout.
class HealthVerification
{
public:
    enum class Outcome
    {
        Pending,
        Passed,
        Failed
    };

    HealthVerification(const config::ServiceConfig &service, qint64 startedMs, int consecutive,
                       qint64 timeoutMs);

    [[nodiscard]] Outcome evaluate(const monitor::MetricStore &metrics, qint64 nowMs);
    // Why it passed or failed, per check.
    [[nodiscard]] const QString &message() const { return m_message; }
    [[nodiscard]] const QString &service() const { return m_service->name; }

private:
    const config::ServiceConfig *m_service;
    qint64 m_startedMs;
    int m_consecutive;
    qint64 m_timeoutMs;
    QString m_message;
};

} // namespace rwd::orchestrator
