#pragma once

#include "ast.h"
#include "metricsource.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <variant>

namespace rwd::rules {

// The result of evaluating a condition: three-valued, because "not enough data" must never be
// mistaken for "healthy" or "failing".
enum class Truth
{
    False,
    True,
    Unknown
};

struct CompileError
{
    qsizetype offset = 0;
    QString message;
};

// What names a rule may use for one service: its checks and their fields.
struct Scope
{
    QStringList checks;
};

// A rule condition parsed, type-checked and resolved against a service's checks. Immutable and
// cheap to evaluate; evaluation only reads metrics through a MetricSource.
class Expression
{
public:
    // Fields a check reference may name, e.g. health.latency.
    static const QStringList &fields();
    // The functions the language knows, for documentation and error hints.
    static QStringList functionNames();

    // Every error found (syntax errors stop at the first).
    [[nodiscard]] static std::variant<Expression, QList<CompileError>> compile(const QString &text,
                                                                               const Scope &scope);

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
