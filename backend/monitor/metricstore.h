#pragma once

#include "common/states.h"
#include "cusum.h"
#include "rules/metricsource.h"
#include "rules/scope.h"
#include "sample.h"
#include "window.h"

#include <QHash>
#include <QString>

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace rwd::monitor {

// A probe's outcome, kept for a while for health verification.
struct Outcome
{
    qint64 timeMs = 0;
    bool ok = false;
    QString error;
};

// Every check of every service: probe outcomes and field values in the sliding windows the
// rules need (declared up front with require()), consecutive counts, baselines captured when a
// release goes live, and sequential detectors. Appending a sample costs O(windows of that
// check) amortised; queries are O(1) except percentiles (O(sketch buckets)) and canary
// judgements (O(n log n) over the two windows).
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
        [[nodiscard]] rules::QueryResult query(const rules::MetricQuery &query,
                                               qint64 nowMs) const override;

    private:
        const MetricStore &m_store;
        QString m_service;
    };

    MetricStore();
    ~MetricStore();
    MetricStore(MetricStore &&) noexcept;
    MetricStore &operator=(MetricStore &&) noexcept;

    // Declares a check and its fields (latency included). A passive check (fed by pushes) does
    // not make the service's health unknown while nothing has been pushed.
    void declare(const QString &service, const QString &check, const QList<FieldSpec> &fields,
                 bool passive = false);
    // Makes sure the windows, sketches and detectors `query` reads are maintained.
    void require(const QString &service, const rules::MetricQuery &query);
    void append(const QString &service, const QString &check, const Sample &sample);
    // The service's current release went live: capture baselines, restart sequential detectors.
    void releaseWentLive(const QString &service, qint64 nowMs);
    // Sequential tests start over (a rollback restored the service) while baselines stay those
    // of the release before the bad one.
    void restartDetectors(const QString &service);

    [[nodiscard]] const ServiceView &view(const QString &service);
    [[nodiscard]] rules::QueryResult query(const QString &service, const rules::MetricQuery &query,
                                           qint64 nowMs) const;
    // Outcomes of `check` after `sinceMs` (kept for at least 5 minutes), oldest first.
    [[nodiscard]] std::vector<Outcome> outcomesSince(const QString &service, const QString &check,
                                                     qint64 sinceMs) const;
    [[nodiscard]] const Sample *latest(const QString &service, const QString &check) const;
    // Unknown until every check has a sample; degraded while any latest sample failed.
    [[nodiscard]] Health checkHealth(const QString &service) const;

private:
    struct FieldSeries;
    struct CheckSeries;

    [[nodiscard]] CheckSeries *series(const QString &service, const QString &check) const;
    // Queries are logically const: they only evict what a query may no longer see, so the
    // series are reached through pointers that allow that.
    [[nodiscard]] rules::QueryResult canary(CheckSeries &canary, CheckSeries &baseline,
                                            qint64 windowMs, qint64 nowMs) const;

    // service -> check -> series: two lookups and no string building on the query path.
    QHash<QString, QHash<QString, std::shared_ptr<CheckSeries>>> m_series;
    QHash<QString, QStringList> m_checksOf;
    QHash<QString, std::shared_ptr<ServiceView>> m_views;
};

} // namespace rwd::monitor
