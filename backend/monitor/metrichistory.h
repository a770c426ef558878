#pragma once

#include "common/protocol.h"
#include "config/config.h"
#include "rules/ruleengine.h"
#include "sample.h"
#include "sketch.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace rwd::monitor {

// The recent past of every service's metrics at a fixed step, for charts (the dashboard's, the
// incident report's): one value per series per step in a ring buffer that holds the retention.
// Time only comes in as arguments (sample times, evaluation times, advance()), never from a
// clock, so tests drive it step by step.
//
// Series of a service, by name:
// - `<check>.latency.p50|p95|p99`: percentiles of the probes' latencies in the step, in seconds
//   (not for passive checks, whose pushed samples measure no latency);
// - `<check>.failures`: the ratio of failed probes in the step;
// - `<check>.<field>` for a gauge: its last value in the step; for a counter: its increase per
//   second over the step (Σ increments ÷ Σ seconds they cover, per_second);
//   `<check>.<field>.p50|p95|p99` for a histogram: percentiles of the step's observations (a
//   field named `failures` is `<check>.failures.value`, apart from the probe failures);
// - one per term a rule compares (Expression::comparisons()), named by the term's text, e.g.
//   `error_rate(traffic, 1m)`: the last value the rule engine saw in the step, with the rule's
//   constant as a threshold. A comparison of two measured terms charts its left term, without a
//   threshold.
//
// Steps: the step of time t starts at floor(t / step) · step. A step closes when something (a
// sample, an evaluation, advance()) arrives at a later step; a value arriving for a step already
// closed counts toward the one in progress, so nothing is lost. Only closed steps are read.
// Percentiles come from a quantile sketch (1 % relative accuracy).
//
// Memory: every series holds ceil(retention / step) + 1 floats (NaN = no data; the times are
// implicit), whatever the traffic: 14.4 KB per series with the defaults (1 s, 1 h). Besides
// that, each check and histogram field has a quantile sketch for the step in progress (at most
// a few KB; cleared at every step). memoryBytes() reports the ring buffers' total.
class MetricHistory final : public rules::EvaluationObserver
{
public:
    struct Options
    {
        qint64 stepMs = 1000;
        qint64 retentionMs = 3'600'000;
    };

    MetricHistory(); // the defaults: a step of 1 s kept for 1 h
    explicit MetricHistory(Options options);
    ~MetricHistory() override;
    Q_DISABLE_COPY_MOVE(MetricHistory)

    // Declares the series of one check (`fields` as from allFields(): `latency` is the probe's).
    void declare(const QString &service, const QString &check, const QList<FieldSpec> &fields,
                 bool passive = false);
    // Declares the series of one compiled rule's comparisons for a service, with thresholds.
    void declareRule(const QString &service, const config::RuleConfig &rule,
                     const QList<rules::Comparison> &comparisons);

    void append(const QString &service, const QString &check, const Sample &sample);
    // rules::EvaluationObserver: records the value of each compared term.
    void evaluated(const config::RuleConfig &rule, const QString &service,
                   const QList<rules::Comparison> &comparisons,
                   const std::vector<std::optional<double>> &terms, qint64 nowMs) override;
    // Time passed: closes the step in progress if `nowMs` is past it (steps without any data
    // become gaps).
    void advance(qint64 nowMs);

    [[nodiscard]] qint64 stepMs() const { return m_stepMs; }
    // How many closed steps each series keeps.
    [[nodiscard]] qint64 keptSteps() const { return m_kept; }
    // The start of the most recently closed step; none before the first step closed.
    [[nodiscard]] std::optional<qint64> lastClosedStepMs() const;
    [[nodiscard]] bool hasService(const QString &service) const;

    // The series of `service` whose name starts with one of `prefixes` (all when empty), in
    // declaration order, with their points in [fromMs, toMs): the closed, retained steps that
    // start in that range and have data. A series without a point in the range is listed with
    // none. Unknown service: empty.
    [[nodiscard]] QList<protocol::SeriesInfo> series(const QString &service, qint64 fromMs,
                                                     qint64 toMs,
                                                     const QStringList &prefixes = {}) const;
    // The value of every series of `service` that has data in the closed step that starts at
    // `stepStartMs` (empty if that step is not closed or no longer kept).
    [[nodiscard]] QList<QPair<QString, double>> step(const QString &service,
                                                     qint64 stepStartMs) const;
    // Bytes held by the ring buffers: series × (keptSteps() + 1) × 4.
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    struct Series;
    struct FieldAccumulator;
    struct CheckAccumulator;
    struct Term;
    struct ServiceHistory;

    // Makes the step of `timeMs` the one in progress, closing the one before (no-op for a time
    // in the step in progress or earlier).
    void moveTo(qint64 timeMs);
    void closeCurrent();
    [[nodiscard]] bool retained(qint64 stepIndex) const;
    int addSeries(ServiceHistory &history, const QString &name, const QString &label,
                  const QString &unit);

    qint64 m_stepMs;
    qint64 m_kept;         // closed steps kept per series
    qint64 m_current = -1; // index (time / step) of the step in progress; -1: none yet
    qint64 m_lastClosed = -1;
    std::vector<std::unique_ptr<ServiceHistory>> m_histories; // in declaration order
    QHash<QString, ServiceHistory *> m_services;              // the same, by service name
};

} // namespace rwd::monitor
