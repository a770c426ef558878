#include "gates.h"

#include "common/duration.h"
#include "monitor/metricstore.h"

#include <QJsonArray>
#include <QUrl>

namespace rwd::orchestrator {

namespace {

// "health: 2/3 in a row (last failure: HTTP 500)"
QString streakText(const QString &name, int streak, int needed, const QString &lastError)
{
    return QStringLiteral("%1: %2/%3 in a row%4")
        .arg(name)
        .arg(streak)
        .arg(needed)
        .arg(lastError.isEmpty() ? QString()
                                 : QStringLiteral(" (last failure: %1)").arg(lastError));
}

} // namespace

Gate::Outcome Gate::decide(const QStringList &pending, qint64 elapsedMs, qint64 timeoutMs,
                           const QString &passed)
{
    if (pending.isEmpty()) {
        m_message = passed;
        return Outcome::Passed;
    }
    if (elapsedMs >= timeoutMs) {
        m_message = QStringLiteral("not healthy within %1: %2")
                        .arg(formatDuration(timeoutMs), pending.join(QStringLiteral("; ")));
        return Outcome::Failed;
    }
    return Outcome::Pending;
}

HealthVerification::HealthVerification(const config::ServiceConfig &service, qint64 startedMs,
                                       int consecutive, qint64 timeoutMs)
    : m_service(&service)
    , m_startedMs(startedMs)
    , m_consecutive(std::max(consecutive, 1))
    , m_timeoutMs(timeoutMs)
{}

Gate::Outcome HealthVerification::evaluate(const monitor::MetricStore &metrics, qint64 nowMs)
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
            pending.append(streakText(check.name, streak, m_consecutive, lastError));
    }
    const auto count = m_service->checks.size();
    const QString passed =
        count == 0
            ? QStringLiteral("the service has no checks to verify")
            : (count == 1
                   ? QStringLiteral("the check passed %2 times in a row after %3")
                   : QStringLiteral("all %1 checks passed %2 times in a row after %3").arg(count))
                  .arg(m_consecutive)
                  .arg(formatDuration(nowMs - m_startedMs));
    return decide(pending, nowMs - m_startedMs, m_timeoutMs, passed);
}

Gate::Outcome Pause::evaluate(const monitor::MetricStore &, qint64 nowMs)
{
    if (nowMs < m_until)
        return Outcome::Pending;
    m_message = QStringLiteral("waited");
    return Outcome::Passed;
}

Watch::Watch(const config::ServiceConfig &service, const monitor::MetricStore &metrics,
             qint64 startedMs, qint64 durationMs)
    : m_service(&service)
    , m_startedMs(startedMs)
    , m_durationMs(durationMs)
{
    std::tie(m_before, m_beforeCount) = failedShare(metrics, startedMs - durationMs, startedMs);
}

std::pair<double, int> Watch::failedShare(const monitor::MetricStore &metrics, qint64 from,
                                          qint64 to) const
{
    int total = 0;
    int failed = 0;
    for (const auto &check : m_service->checks) {
        for (const auto &o : metrics.outcomesSince(m_service->name, check.name, from)) {
            if (o.timeMs >= to)
                break;
            ++total;
            failed += o.ok ? 0 : 1;
        }
    }
    return {total > 0 ? double(failed) / total : 0.0, total};
}

Gate::Outcome Watch::evaluate(const monitor::MetricStore &metrics, qint64 nowMs)
{
    if (nowMs - m_startedMs < m_durationMs)
        return Outcome::Pending;
    const auto [during, count] = failedShare(metrics, m_startedMs, nowMs);
    m_improved = count > 0 && (during < m_before || during == 0);
    m_message = QStringLiteral("%1: %2% of %3 probes failed during the watch, %4% of %5 before it")
                    .arg(m_improved ? QStringLiteral("improved")
                                    : QStringLiteral("no improvement, all traffic goes back now"))
                    .arg(during * 100, 0, 'f', 1)
                    .arg(count)
                    .arg(m_before * 100, 0, 'f', 1)
                    .arg(m_beforeCount);
    return Outcome::Passed;
}

struct InstanceProbe::Instance
{
    QString name;
    QUrl url;
    int streak = 0;
    bool running = false;
    qint64 nextAtMs = 0;
    QString lastError;
    UrlProber::Id request = 0;
};

InstanceProbe::InstanceProbe(UrlProber &prober, const QJsonObject &params, qint64 startedMs)
    : m_prober(prober)
    , m_consecutive(std::max(1, params.value(QLatin1String("consecutive")).toInt(3)))
    , m_intervalMs(params.value(QLatin1String("interval_ms")).toInteger(500))
    , m_timeoutMs(params.value(QLatin1String("timeout_ms")).toInteger(60'000))
    , m_probeTimeoutMs(params.value(QLatin1String("probe_timeout_ms")).toInteger(2'000))
    , m_startedMs(startedMs)
{
    const QString pattern = params.value(QLatin1String("url")).toString();
    for (const auto &v : params.value(QLatin1String("instances")).toArray()) {
        const auto o = v.toObject();
        auto i = std::make_shared<Instance>();
        i->name = o.value(QLatin1String("instance")).toString();
        QString url = pattern;
        url.replace(QStringLiteral("{{instance}}"),
                    QString::fromLatin1(QUrl::toPercentEncoding(i->name)));
        url.replace(QStringLiteral("{{address}}"), o.value(QLatin1String("address")).toString());
        i->url = QUrl(url);
        i->nextAtMs = startedMs;
        m_instances.append(i);
    }
}

InstanceProbe::~InstanceProbe()
{
    for (const auto &i : std::as_const(m_instances)) {
        if (i->running)
            m_prober.cancel(i->request);
    }
}

void InstanceProbe::probe(Instance &instance, qint64 nowMs)
{
    instance.running = true;
    instance.nextAtMs = nowMs + m_intervalMs;
    std::weak_ptr<Instance> weak;
    for (const auto &i : std::as_const(m_instances)) {
        if (i.get() == &instance)
            weak = i;
    }
    instance.request =
        m_prober.probe(instance.url, m_probeTimeoutMs, [weak](int status, const QString &error) {
            const auto i = weak.lock();
            if (!i)
                return;
            i->running = false;
            if (status >= 200 && status < 400) {
                ++i->streak;
            } else {
                i->streak = 0;
                i->lastError = status > 0 ? QStringLiteral("HTTP %1").arg(status) : error;
            }
        });
}

Gate::Outcome InstanceProbe::evaluate(const monitor::MetricStore &, qint64 nowMs)
{
    QStringList pending;
    for (const auto &i : std::as_const(m_instances)) {
        if (i->streak >= m_consecutive)
            continue;
        pending.append(streakText(i->name, i->streak, m_consecutive, i->lastError));
        if (!i->running && nowMs >= i->nextAtMs)
            probe(*i, nowMs);
    }
    return decide(pending, nowMs - m_startedMs, m_timeoutMs,
                  QStringLiteral("%1 instance(s) passed %2 probes in a row after %3")
                      .arg(m_instances.size())
                      .arg(m_consecutive)
                      .arg(formatDuration(nowMs - m_startedMs)));
}

} // namespace rwd::orchestrator
