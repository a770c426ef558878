#pragma once

#include "ast.h"
#include "common/result.h"
#include "metricsource.h"
#include "scope.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <variant>
#include <vector>

namespace rwd::rules {

// The result of evaluating a condition. Besides true and false, a condition may be undecidable
// — for lack of data, or because there was no traffic to judge — which must never be mistaken
// for "healthy" or "failing".
enum class Truth
{
    False,
    True,
    Unknown,   // some value it needs has no data (no samples in a window, a check never ran)
    NoTraffic, // decidable data exists, but the traffic it measures did not move
};

struct CompileError
{
    qsizetype offset = 0;
    QString message;
};

// A comparison in a condition between a measured term and a constant, or two measured terms:
// what a chart of the rule draws (the term as a series, the constant as a threshold line).
// Normalised so that the measured term reads on the left: `5% < error_rate(traffic, 1m)` is
// the term `error_rate(traffic, 1m)` with op `>` and threshold 0.05.
struct Comparison
{
    QString term; // the term's text, whitespace runs collapsed to one space
    QString op;   // <, <=, >, >=, ==, != with the term on the left
    // The constant side's value in the term's unit (5% is 0.05, 500ms is 0.5); none when both
    // sides are measured (`value(x) < 0.8 * baseline(x, 1h)`).
    std::optional<double> threshold;
    QString unit;           // of the term: seconds, ratio, per_second or number
    bool termOnLeft = true; // as written
};

// A rule condition parsed, type-checked and resolved against a service's checks. Immutable and
// cheap to evaluate; evaluation only reads metrics through a MetricSource.
class Expression
{
public:
    // The functions the language knows, for documentation and error hints.
    static QStringList functionNames();

    // Every error found (syntax errors stop at the first).
    [[nodiscard]] static Result<Expression, QList<CompileError>> compile(const QString &text,
                                                                         const Scope &scope);

    // The check names an expression refers to (empty when it does not parse).
    [[nodiscard]] static QStringList referencedChecks(const QString &text);

    // `values`: each function call's text and result (the evidence of a firing). `terms`: set
    // to one entry per comparisons() entry, the value of its measured term (none: no data or no
    // traffic). Every comparison is evaluated, whatever and/or decide.
    [[nodiscard]] Truth evaluate(const MetricSource &source, qint64 nowMs,
                                 QJsonObject *values = nullptr,
                                 std::vector<std::optional<double>> *terms = nullptr) const;
    [[nodiscard]] const QList<MetricQuery> &queries() const { return m_queries; }
    // Every comparison of a measured term, in the order they are written. Comparisons of two
    // constants are left out (they measure nothing).
    [[nodiscard]] const QList<Comparison> &comparisons() const { return m_comparisons; }
    [[nodiscard]] const QString &text() const { return m_text; }

private:
    Expression() = default;

    QString m_text;
    NodePtr m_root;
    QList<MetricQuery> m_queries;
    QList<Comparison> m_comparisons;
};

} // namespace rwd::rules
