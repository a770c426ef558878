#pragma once

#include "monitor/check.h"
#include "monitor/checks/httpfetch.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

namespace rwd::monitor {

// `type: prometheus` — asks a Prometheus server for the current value of a PromQL expression
// (GET /api/v1/query) and measures it as the field `value`. A scalar result is taken as it is;
// an instant vector is reduced to one number (`reduce`); an empty vector means "no data": the
// probe passes but measures nothing, so rules see no value rather than a made-up zero. A query
// Prometheus rejects, or one that does not give a scalar or a vector, fails the probe.
class PrometheusCheck final : public Check
{
public:
    static constexpr qint64 kMaxBodyBytes = 16 * 1024 * 1024;

    enum class Reduce
    {
        Sum,
        Max,
        Min,
        Avg,
        First, // the first element, in the order Prometheus returns them
    };

    struct Options
    {
        QUrl url; // the server's base URL; the query goes to URL/api/v1/query
        QString query;
        Reduce reduce = Reduce::Sum;
        rules::Dimension dimension = rules::Dimension::Scalar;
        QList<QPair<QByteArray, QByteArray>> headers;
        qint64 timeoutMs = 5000;
    };

    PrometheusCheck(Options options, const CheckRuntime &runtime);
    ~PrometheusCheck() override;

    void probe(Done done) override;
    void cancel() override;
    [[nodiscard]] QList<FieldSpec> fields() const override;
    [[nodiscard]] QString defaultField() const override;

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }
    // The request a probe sends, with the query percent-encoded (a '+' in PromQL must reach
    // Prometheus as %2B, not as a space).
    [[nodiscard]] QUrl queryUrl() const;

private:
    void finish(const FetchResult &result, qint64 startedMs);

    Options m_options;
    CheckRuntime m_runtime;
    HttpFetch m_fetch;
    Done m_done;
};

} // namespace rwd::monitor
