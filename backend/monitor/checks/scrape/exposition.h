#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), read into plain series.
// QtCore only and free of side effects, so that it can be fuzzed on its own.
namespace rwd::monitor::exposition {

// Label name → value, sorted by name. Labels with an empty value are left out: Prometheus
// treats `code=""` and a missing `code` as the same series.
using Labels = QList<QPair<QString, QString>>;

// One sample line: `name{labels} value [timestamp]` (the timestamp is checked, then dropped).
struct Series
{
    QString name;
    Labels labels;
    double value = 0;

    // The value of label `name`; empty when the series does not have it.
    [[nodiscard]] QString label(const QString &labelName) const;
};

// What a `# TYPE` line says a metric family is.
enum class MetricType
{
    Untyped, // no TYPE line, or `untyped`
    Counter,
    Gauge,
    Histogram,
    Summary,
};

struct Exposition
{
    QList<Series> series; // in the order of the input
    // Metric family name → its type, for families that have a TYPE line.
    QHash<QString, MetricType> types;
};

// Where and why the input is not valid. Lines and columns are 1-based and count characters
// (not bytes); both are 0 for problems with the input as a whole (its size).
struct ParseError
{
    int line = 0;
    int column = 0;
    QString message;

    // "3:17: message", or just the message when there is no position.
    [[nodiscard]] QString toString() const;
};

struct Limits
{
    // Larger inputs are refused before anything is read.
    qsizetype maxBytes = 16 * 1024 * 1024;
    // Sample lines, counted whether or not `keep` retains them: bounds time and memory.
    qsizetype maxSeries = 250'000;
};

struct ParseResult
{
    Exposition exposition; // empty when there is an error
    std::optional<ParseError> error;

    [[nodiscard]] bool ok() const { return !error.has_value(); }
};

// Decides from a metric name whether its series are wanted; the others are still checked for
// syntax but are neither decoded nor stored, which keeps scrapes of large endpoints cheap.
using NameFilter = std::function<bool(QByteArrayView metricName)>;

// Reads a whole exposition. Any malformed line makes the whole input invalid (as it does for
// Prometheus), with the first problem's position. Runs in time linear in the input, without
// recursion.
[[nodiscard]] ParseResult parse(QByteArrayView text, const Limits &limits = {},
                                const NameFilter &keep = {});

// A number as the format writes it: decimal with an optional exponent, `NaN`, `+Inf`, `-Inf`
// (case-insensitive, as Go's ParseFloat reads them). Also used for the `le` bounds of buckets.
[[nodiscard]] std::optional<double> parseNumber(QByteArrayView text);

} // namespace rwd::monitor::exposition
