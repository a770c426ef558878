#pragma once

#include "common/states.h"
#include "rules/metricsource.h"
#include "sampleseries.h"

#include <QHash>
#include <QString>

namespace rwd::monitor {

// The sample series of every check of every service, and the MetricSource rules read them
// through.
class MetricStore
{
public:
    // A view of one service's checks, as the rule engine sees them.
    class ServiceView final : public rules::MetricSource
    {
    public:
        ServiceView(const MetricStore &store, QString service)
            : m_store(store)
            , m_service(std::move(service))
        {}
        [[nodiscard]] std::optional<double> query(const rules::MetricQuery &query,
                                                  qint64 nowMs) const override;

    private:
        const MetricStore &m_store;
        QString m_service;
    };

    // Declares a check and how long its samples must be kept.
    void declare(const QString &service, const QString &check, qint64 retentionMs);
    void append(const QString &service, const QString &check, const Sample &sample);

    [[nodiscard]] const SampleSeries *series(const QString &service, const QString &check) const;
    [[nodiscard]] const ServiceView &view(const QString &service);
    // Unknown until every check has a sample; degraded while any latest sample failed.
    [[nodiscard]] Health checkHealth(const QString &service) const;

private:
    static QString key(const QString &service, const QString &check)
    {
        return service + u'\x1f' + check;
    }

    QHash<QString, SampleSeries> m_series;
    QHash<QString, QStringList> m_checksOf;
    QHash<QString, std::shared_ptr<ServiceView>> m_views;
};

} // namespace rwd::monitor
