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

// What one check's samples said about the release that is live, since it went live: what the
// release's verification judges (releases/verification.h).
struct ReleaseTally
{
    qint64 sinceMs = 0;     // when the release went live (its windows started empty)
    qint64 countFromMs = 0; // when its grace period ended: samples before it are not counted
    qint64 ok = 0;          // counted samples that passed
    qint64 failed = 0;      // counted samples that failed
    qint64 inGrace = 0;     // samples taken in the grace period (charted, not counted)
    qint64 checkErrors = 0; // probes Rewind could not make (neither ok nor failed)
    QString lastFailure;    // why the latest counted failure failed
    QString lastCheckError; // why the latest check error happened
    qint64 lastCheckErrorMs = 0;

    [[nodiscard]] qint64 counted() const { return ok + failed; }
};

// What append() did with a sample.
enum class SampleUse
{
    Counted,         // it went into the windows the rules and the verification read
    Grace,           // taken in the release's grace period: kept for display only
    PreviousRelease, // its probe started before the live release went live
    CheckError,      // Rewind could not make the probe: counted as a check error only
    Ignored,         // an unknown check, or older than the latest sample
};

// Every check of every service: probe outcomes and field values in the sliding windows the
// rules need (declared up front with require()), consecutive counts, baselines captured when a
// release goes live, and sequential detectors. Everything the rules and the verification read is
// scoped to the release that is live: when a release goes live (a deployment) or is restored (a
// rollback), the windows start empty, and a sample counts only if its probe started after that
// and after the check's grace period; offset windows (prior()) and baselines reach back across
// releases by design. Appending a sample costs O(windows of that
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
    // not make the service's health unknown while nothing has been pushed. `graceMs`: after a
    // deployment, samples of probes started within this long are not counted.
    void declare(const QString &service, const QString &check, const QList<FieldSpec> &fields,
                 bool passive = false, qint64 graceMs = 0);
    // Makes sure the windows, sketches and detectors `query` reads are maintained.
    void require(const QString &service, const rules::MetricQuery &query);
    SampleUse append(const QString &service, const QString &check, const Sample &sample);
    // A deployment of the service went live at `nowMs`: baselines are captured from the windows,
    // then the windows, consecutive counts, sequential detectors and tallies start empty, and
    // each check's grace period starts.
    void releaseWentLive(const QString &service, qint64 nowMs);
    // A rollback put the service back on an earlier release at `nowMs`: as releaseWentLive, but
    // the baselines stay those of the release before the bad one, and there is no grace period
    // (the restored version was running already).
    void releaseRestored(const QString &service, qint64 nowMs);
    // The tally of `check`'s samples since the live release went live (zeros if unknown).
    [[nodiscard]] ReleaseTally tally(const QString &service, const QString &check) const;

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
    void startRelease(const QString &service, qint64 nowMs, bool deployed);
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
