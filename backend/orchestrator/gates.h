#pragma once

#include "config/config.h"
#include "ports.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace rwd::monitor {
class MetricStore;
}

namespace rwd::orchestrator {

// A step the orchestrator runs itself by observing: decided by evaluate(), which the
// orchestrator calls on every tick and whenever a sample of the service arrives.
class Gate
{
public:
    enum class Outcome
    {
        Pending,
        Passed,
        Failed
    };

    virtual ~Gate() = default;
    [[nodiscard]] virtual Outcome evaluate(const monitor::MetricStore &metrics, qint64 nowMs) = 0;
    // Why it passed or failed.
    [[nodiscard]] const QString &message() const { return m_message; }
    // A verification of health (the plan shows `verifying` while only these run).
    [[nodiscard]] virtual bool verifies() const { return true; }

protected:
    // Passed (with `passed` as the message) when nothing is pending; failed once the timeout is
    // over, naming what was pending; pending otherwise.
    Outcome decide(const QStringList &pending, qint64 elapsedMs, qint64 timeoutMs,
                   const QString &passed);

    QString m_message;
};

// verify_health: every check of the service passes `consecutive` times in a row, counting only
// samples taken after the step started, within the timeout.
class HealthVerification final : public Gate
{
public:
    HealthVerification(const config::ServiceConfig &service, qint64 startedMs, int consecutive,
                       qint64 timeoutMs);
    [[nodiscard]] Outcome evaluate(const monitor::MetricStore &metrics, qint64 nowMs) override;

private:
    const config::ServiceConfig *m_service;
    qint64 m_startedMs;
    int m_consecutive;
    qint64 m_timeoutMs;
};

// pause: passes once its time is up.
class Pause final : public Gate
{
public:
    Pause(qint64 startedMs, qint64 durationMs)
        : m_until(startedMs + durationMs)
    {}
    [[nodiscard]] Outcome evaluate(const monitor::MetricStore &metrics, qint64 nowMs) override;
    [[nodiscard]] bool verifies() const override { return false; }

private:
    qint64 m_until;
};

// watch (gradual rollbacks): after the duration, compares the share of failed probes of the
// service's checks during the watch with the same length of time before it. Always passes —
// a gradual rollback goes all the way back either way — but says whether the shift improved
// things; when it did not, the remaining intermediate shifts are skipped.
class Watch final : public Gate
{
public:
    Watch(const config::ServiceConfig &service, const monitor::MetricStore &metrics,
          qint64 startedMs, qint64 durationMs);
    [[nodiscard]] Outcome evaluate(const monitor::MetricStore &metrics, qint64 nowMs) override;
    [[nodiscard]] bool improved() const { return m_improved; }

private:
    // Failed share of the service's probes in [from, to), and how many there were.
    [[nodiscard]] std::pair<double, int> failedShare(const monitor::MetricStore &metrics,
                                                     qint64 from, qint64 to) const;

    const config::ServiceConfig *m_service;
    qint64 m_startedMs;
    qint64 m_durationMs;
    double m_before = 0;
    int m_beforeCount = 0;
    bool m_improved = false;
};

// verify_instances (rolling batches): probes each instance's URL until it answers 2xx or 3xx
// `consecutive` times in a row, every `interval`, within the timeout.
class InstanceProbe final : public Gate
{
public:
    InstanceProbe(UrlProber &prober, const QJsonObject &params, qint64 startedMs);
    ~InstanceProbe() override;
    [[nodiscard]] Outcome evaluate(const monitor::MetricStore &metrics, qint64 nowMs) override;

private:
    struct Instance;
    void probe(Instance &instance, qint64 nowMs);

    UrlProber &m_prober;
    QList<std::shared_ptr<Instance>> m_instances;
    int m_consecutive = 3;
    qint64 m_intervalMs = 500;
    qint64 m_timeoutMs = 60'000;
    qint64 m_probeTimeoutMs = 2'000;
    qint64 m_startedMs;
};

} // namespace rwd::orchestrator
