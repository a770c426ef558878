#pragma once

#include "ast.h"
#include "metricsource.h"
#include "scope.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <variant>

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

// A rule condition parsed, type-checked and resolved against a service's checks. Immutable and
// cheap to evaluate; evaluation only reads metrics through a MetricSource.
class Expression
{
public:
    // The functions the language knows, for documentation and error hints.
    static QStringList functionNames();

    // Every error found (syntax errors stop at the first).
    [[nodiscard]] static std::variant<Expression, QList<CompileError>> compile(const QString &text,
                                                                               const Scope &scope);

    // The check names an expression refers to (empty when it does not parse).
    [[nodiscard]] static QStringList referencedChecks(const QString &text);

    [[nodiscard]] Truth evaluate(const MetricSource &source, qint64 nowMs,
                                 QJsonObject *values = nullptr) const;
    [[nodiscard]] const QList<MetricQuery> &queries() const { return m_queries; }
    [[nodiscard]] const QString &text() const { return m_text; }

private:
    Expression() = default;

    QString m_text;
    NodePtr m_root;
    QList<MetricQuery> m_queries;
};

} // namespace rwd::rules
