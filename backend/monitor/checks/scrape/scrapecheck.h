#pragma once

#include "monitor/check.h"
#include "monitor/checks/httpfetch.h"
#include "selector.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <vector>

namespace rwd::monitor {

// `type: scrape` — reads a Prometheus text-format endpoint (an application's /metrics) and
// turns the series chosen by `metrics:` into fields: gauges as they are, counters as per-second
// rates with their increase, histograms as the observations made since the previous scrape.
// A probe passes when the endpoint answers 2xx with a valid exposition in which every selector
// matches at least one series.
class ScrapeCheck final : public Check
{
public:
    static constexpr qint64 kMaxBodyBytes = 16 * 1024 * 1024;

    struct Options
    {
        QUrl url;
        QList<QPair<QByteArray, QByteArray>> headers;
        QList<MetricSelector> metrics; // in the order of the configuration
        qint64 timeoutMs = 5000;
    };

    ScrapeCheck(Options options, const CheckRuntime &runtime);
    ~ScrapeCheck() override;

    void probe(Done done) override;
    void cancel() override;
    [[nodiscard]] QList<FieldSpec> fields() const override;
    // The first configured metric.
    [[nodiscard]] QString defaultField() const override;

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    void finish(const FetchResult &result, qint64 startedMs);
    [[nodiscard]] QString unmatchedError(const MetricSelector &selector,
                                         const exposition::Exposition &scrape) const;

    Options m_options;
    CheckRuntime m_runtime;
    std::vector<MetricTracker> m_trackers; // one per selector, same order
    std::vector<QByteArray> m_seriesNames; // every metric name a selector reads
    HttpFetch m_fetch;
    Done m_done;
};

} // namespace rwd::monitor
