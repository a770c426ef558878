#include "metricstore.h"

namespace rwd::monitor {

std::optional<double> MetricStore::ServiceView::query(const rules::MetricQuery &q,
                                                      qint64 nowMs) const
{
    const auto *s = m_store.series(m_service, q.check);
    if (!s)
        return std::nullopt;
    return s->aggregate(q.aggregate, q.field, q.windowMs, q.quantile, nowMs);
}

void MetricStore::declare(const QString &service, const QString &check, qint64 retentionMs)
{
    m_series.insert(key(service, check), SampleSeries(retentionMs));
    if (!m_checksOf[service].contains(check))
        m_checksOf[service].append(check);
}

void MetricStore::append(const QString &service, const QString &check, const Sample &sample)
{
    auto it = m_series.find(key(service, check));
    if (it == m_series.end())
        return;
    it->append(sample);
}

const SampleSeries *MetricStore::series(const QString &service, const QString &check) const
{
    const auto it = m_series.constFind(key(service, check));
    return it == m_series.cend() ? nullptr : &*it;
}

const MetricStore::ServiceView &MetricStore::view(const QString &service)
{
    auto &slot = m_views[service];
    if (!slot)
        slot = std::make_shared<ServiceView>(*this, service);
    return *slot;
}

Health MetricStore::checkHealth(const QString &service) const
{
    const auto checks = m_checksOf.value(service);
    if (checks.isEmpty())
        return Health::Unknown;
    bool degraded = false;
    for (const auto &check : checks) {
        const auto *s = series(service, check);
        const auto *latest = s ? s->latest() : nullptr;
        if (!latest)
            return Health::Unknown;
        degraded = degraded || !latest->ok;
    }
    return degraded ? Health::Degraded : Health::Healthy;
}

} // namespace rwd::monitor
