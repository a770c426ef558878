#include "loadgenerator.h"

#include "httpclientpool.h"

#include <QDateTime>
#include <QJsonValue>
#include <QMap>
#include <QNetworkReply>
#include <QRandomGenerator>

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

LoadGenerator::LoadGenerator(QList<LoadTarget> reads, std::optional<LoadTarget> writes,
                             QObject *parent)
    : QObject(parent)
    , m_targets(std::move(reads))
    , m_http(new HttpClientPool(kMaxHttpManagers, this))
{
    m_readTargets = m_targets.size();
    if (writes) {
        m_writeTarget = m_targets.size();
        m_targets.append(*writes);
    }
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &LoadGenerator::tick);
    m_clock.start();
}

LoadGenerator::~LoadGenerator()
{
    stop();
}

void LoadGenerator::updateTimer()
{
    if (m_rps == 0 && m_writeRps == 0) {
        m_timer.stop();
    } else if (!m_timer.isActive()) {
        m_lastTickNs = m_clock.nsecsElapsed();
        m_timer.start();
    }
}

void LoadGenerator::setRate(int rps)
{
    if (m_stopped)
        return;
    const int previous = m_rps;
    m_rps = std::max(0, rps);
    // The first request goes out right away; a stopped bucket keeps nothing.
    m_tokens = m_rps == 0 ? 0.0 : (previous == 0 ? 1.0 : m_tokens);
    updateTimer();
    spdlog::info("load generator: {} requests/s to each of {} service(s)", m_rps, m_readTargets);
}

void LoadGenerator::setWriteRate(int rps)
{
    if (m_stopped || m_writeTarget < 0)
        return;
    const int previous = m_writeRps;
    m_writeRps = std::max(0, rps);
    m_writeTokens = m_writeRps == 0 ? 0.0 : (previous == 0 ? 1.0 : m_writeTokens);
    updateTimer();
    spdlog::info("load generator: {} writes/s (POST /orders) to {}", m_writeRps,
                 qUtf8Printable(m_targets.at(m_writeTarget).service));
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
    const auto refill = [&](double &tokens, int rps) {
        const double capacity = std::max(1.0, rps * kMaxBurstSeconds);
        tokens = std::min(tokens + rps * elapsedSeconds, capacity);
    };
    refill(m_tokens, m_rps);
    refill(m_writeTokens, m_writeRps);
    while (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        for (qsizetype i = 0; i < m_readTargets; ++i)
            send(static_cast<quint16>(i));
    }
    while (m_writeTokens >= 1.0) {
        m_writeTokens -= 1.0;
        send(static_cast<quint16>(m_writeTarget));
    }
}

void LoadGenerator::send(quint16 target)
{
    const qint64 sendMs = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer latency;
    latency.start();
    QNetworkReply *reply = nullptr;
    if (target == m_writeTarget) {
        const int amount = QRandomGenerator::global()->bounded(1, kMaxOrderAmount + 1);
        reply = m_http->post(m_targets.at(target).url,
                             QByteArrayLiteral("{\"amount\":") + QByteArray::number(amount) + '}',
                             QByteArrayLiteral("application/json"), kTimeoutMs);
    } else {
        reply = m_http->get(m_targets.at(target).url, kTimeoutMs);
    }
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
    QJsonObject writes;
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
        const QJsonObject entry{
            {QStringLiteral("requests"), t.requests},
            {QStringLiteral("errors"), t.errors},
            {QStringLiteral("by_status"), byStatus},
            {QStringLiteral("by_version"), byVersion},
            {QStringLiteral("first_ms"), any ? QJsonValue(t.firstMs) : QJsonValue()},
            {QStringLiteral("last_ms"), any ? QJsonValue(t.lastMs) : QJsonValue()},
            {QStringLiteral("latency_ms"), any ? QJsonValue(latency) : QJsonValue()}};
        if (static_cast<qsizetype>(i) == m_writeTarget)
            writes.insert(name, entry);
        else
            services.insert(name, entry);
    }
    return QJsonObject{{QStringLiteral("now_ms"), QDateTime::currentMSecsSinceEpoch()},
                       {QStringLiteral("rps"), m_rps},
                       {QStringLiteral("write_rps"), m_writeRps},
                       {QStringLiteral("services"), services},
                       {QStringLiteral("writes"), writes}};
}

} // namespace rwd::fleet
