#include "loadgenerator.h"

#include "httpclientpool.h"

#include <QDateTime>
#include <QJsonValue>
#include <QMap>
#include <QNetworkReply>

#include <algorithm>
#include <cmath>
#include <limits>
#include <spdlog/spdlog.h>
#include <vector>

namespace rwd::fleet {

namespace {

// At most this much time's worth of requests is sent at once after the event loop was blocked
// (e.g. by an nginx reload); longer stalls are not made up for.
constexpr double kMaxBurstSeconds = 0.2;

double percentileMs(const std::vector<qint32> &sortedUs, double fraction)
{
    const auto rank =
        static_cast<size_t>(std::ceil(fraction * static_cast<double>(sortedUs.size())));
    const size_t index = std::clamp<size_t>(rank, 1, sortedUs.size()) - 1;
    return std::round(sortedUs.at(index) / 100.0) / 10.0;
}

} // namespace

LoadGenerator::LoadGenerator(QList<LoadTarget> targets, QObject *parent)
    : QObject(parent)
    , m_targets(std::move(targets))
    , m_http(new HttpClientPool(kMaxHttpManagers, this))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &LoadGenerator::tick);
    m_clock.start();
}

LoadGenerator::~LoadGenerator()
{
    stop();
}

void LoadGenerator::setRate(int rps)
{
    if (m_stopped)
        return;
    m_rps = std::max(0, rps);
    if (m_rps == 0) {
        m_timer.stop();
        m_tokens = 0.0;
    } else if (!m_timer.isActive()) {
        m_lastTickNs = m_clock.nsecsElapsed();
        m_tokens = 1.0; // the first request goes out right away
        m_timer.start();
    }
    spdlog::info("load generator: {} requests/s to each of {} service(s)", m_rps, m_targets.size());
}

void LoadGenerator::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_timer.stop();
    const auto inFlight = m_inFlight;
    m_inFlight.clear();
    for (QNetworkReply *reply : inFlight)
        reply->abort();
}

void LoadGenerator::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double elapsedSeconds = static_cast<double>(now - m_lastTickNs) / 1e9;
    m_lastTickNs = now;
    const double capacity = std::max(1.0, m_rps * kMaxBurstSeconds);
    m_tokens = std::min(m_tokens + m_rps * elapsedSeconds, capacity);
    while (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        for (qsizetype i = 0; i < m_targets.size(); ++i)
            send(static_cast<quint16>(i));
    }
}

void LoadGenerator::send(quint16 target)
{
    const qint64 sendMs = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer latency;
    latency.start();
    QNetworkReply *reply = m_http->get(m_targets.at(target).url, kTimeoutMs);
    m_inFlight.insert(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, target, sendMs, latency] {
        reply->deleteLater();
        if (!m_inFlight.remove(reply))
            return; // aborted by stop()
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const QByteArray version = reply->rawHeader(QByteArrayLiteral("X-Fleet-Version"));
        const qint64 us = latency.nsecsElapsed() / 1000;
        record(Sample{
            sendMs, static_cast<qint32>(std::min<qint64>(us, std::numeric_limits<qint32>::max())),
            static_cast<quint16>(status.isValid() ? status.toInt() : 0), target,
            versionId(version.isEmpty() ? QStringLiteral("unknown") : QString::fromUtf8(version))});
    });
}

void LoadGenerator::record(const Sample &sample)
{
    m_samples.push_back(sample);
    const qint64 cutoff = sample.sendMs - kRetentionMs;
    while (!m_samples.empty() &&
           (m_samples.front().sendMs < cutoff || m_samples.size() > kMaxSamples))
        m_samples.pop_front();
}

quint32 LoadGenerator::versionId(const QString &version)
{
    const auto it = m_versionIds.constFind(version);
    if (it != m_versionIds.constEnd())
        return *it;
    const auto id = static_cast<quint32>(m_versions.size());
    m_versions.append(version);
    m_versionIds.insert(version, id);
    return id;
}

QJsonObject LoadGenerator::statistics(qint64 sinceMs, const QString &service) const
{
    struct Totals
    {
        qint64 requests = 0;
        qint64 errors = 0;
        QMap<int, qint64> byStatus;
        QMap<quint32, qint64> byVersion;
        qint64 firstMs = std::numeric_limits<qint64>::max();
        qint64 lastMs = std::numeric_limits<qint64>::min();
        std::vector<qint32> latenciesUs;
    };
    std::vector<Totals> totals(static_cast<size_t>(m_targets.size()));
    for (const Sample &sample : m_samples) {
        if (sample.sendMs < sinceMs)
            continue;
        Totals &t = totals.at(sample.target);
        ++t.requests;
        if (sample.status == 0 || sample.status >= 500)
            ++t.errors;
        ++t.byStatus[sample.status];
        ++t.byVersion[sample.version];
        t.firstMs = std::min(t.firstMs, sample.sendMs);
        t.lastMs = std::max(t.lastMs, sample.sendMs);
        t.latenciesUs.push_back(sample.latencyUs);
    }

    QJsonObject services;
    for (size_t i = 0; i < totals.size(); ++i) {
        const QString &name = m_targets.at(static_cast<qsizetype>(i)).service;
        if (!service.isEmpty() && name != service)
            continue;
        Totals &t = totals[i];
        QJsonObject byStatus;
        for (auto it = t.byStatus.constBegin(); it != t.byStatus.constEnd(); ++it)
            byStatus.insert(QString::number(it.key()), it.value());
        QJsonObject byVersion;
        for (auto it = t.byVersion.constBegin(); it != t.byVersion.constEnd(); ++it)
            byVersion.insert(m_versions.at(it.key()), it.value());
        QJsonObject latency;
        if (!t.latenciesUs.empty()) {
            std::sort(t.latenciesUs.begin(), t.latenciesUs.end());
            latency = QJsonObject{{QStringLiteral("p50"), percentileMs(t.latenciesUs, 0.50)},
                                  {QStringLiteral("p95"), percentileMs(t.latenciesUs, 0.95)},
                                  {QStringLiteral("p99"), percentileMs(t.latenciesUs, 0.99)},
                                  {QStringLiteral("max"), percentileMs(t.latenciesUs, 1.0)}};
        }
        const bool any = t.requests > 0;
        services.insert(
            name,
            QJsonObject{{QStringLiteral("requests"), t.requests},
                        {QStringLiteral("errors"), t.errors},
                        {QStringLiteral("by_status"), byStatus},
                        {QStringLiteral("by_version"), byVersion},
                        {QStringLiteral("first_ms"), any ? QJsonValue(t.firstMs) : QJsonValue()},
                        {QStringLiteral("last_ms"), any ? QJsonValue(t.lastMs) : QJsonValue()},
                        {QStringLiteral("latency_ms"), any ? QJsonValue(latency) : QJsonValue()}});
    }
    return QJsonObject{{QStringLiteral("now_ms"), QDateTime::currentMSecsSinceEpoch()},
                       {QStringLiteral("rps"), m_rps},
                       {QStringLiteral("services"), services}};
}

} // namespace rwd::fleet
