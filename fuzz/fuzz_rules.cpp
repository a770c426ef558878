// Fuzz target for the rule language: any text must either compile or give errors with offsets
// inside the text, without crashing, hanging or recursing without bound; a compiled expression
// must evaluate against a source with no data without crashing, and what it decides without data
// must hold whatever the data: Rewind's logic is Kleene's, where a missing value is Unknown and
// `x or true` is true without knowing x, so a verdict reached with no data can only be one that
// no value could change (monotonicity), never a guess.
#include "rules/expression.h"
#include "rules/parser.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace {

using namespace rwd::rules;

class NoData final : public MetricSource
{
public:
    QueryResult query(const MetricQuery &, qint64) const override { return QueryResult::noData(); }
};

// Every query answered with the same value, or with "no traffic".
class Constant final : public MetricSource
{
public:
    explicit Constant(std::optional<double> value)
        : m_value(value)
    {}
    QueryResult query(const MetricQuery &, qint64) const override
    {
        return m_value ? QueryResult::of(*m_value) : QueryResult::noTraffic();
    }

private:
    std::optional<double> m_value;
};

Scope makeScope()
{
    Scope scope;
    const FieldInfo latency{QStringLiteral("latency"), Dimension::Time, false, false};
    scope.checks.insert(QStringLiteral("health"), {{latency}, QStringLiteral("latency")});
    scope.checks.insert(QStringLiteral("traffic"),
                        {{latency,
                          {QStringLiteral("requests"), Dimension::Scalar, true, false},
                          {QStringLiteral("errors"), Dimension::Scalar, true, false},
                          {QStringLiteral("duration"), Dimension::Time, true, true}},
                         QStringLiteral("requests")});
    scope.order = {QStringLiteral("health"), QStringLiteral("traffic")};
    return scope;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Scope scope = makeScope();
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    auto compiled = Expression::compile(text, scope);
    if (!compiled) {
        if (compiled.error().isEmpty())
            __builtin_trap();
        for (const auto &e : compiled.error()) {
            if (e.offset < 0 || e.offset > text.size() || e.message.isEmpty())
                __builtin_trap();
        }
        return 0;
    }
    static const NoData source;
    QJsonObject values;
    std::vector<std::optional<double>> terms;
    const auto &expression = *compiled;
    const auto truth = expression.evaluate(source, 0, &values, &terms);
    if (truth != Truth::Unknown) {
        // Decided without data: every answer the data could give must lead to the same verdict.
        static const Constant answers[] = {Constant(0.0),  Constant(1.0),   Constant(-1.0),
                                           Constant(0.05), Constant(1e300), Constant(std::nullopt)};
        for (const auto &answer : answers) {
            if (expression.evaluate(answer, 0, nullptr, nullptr) != truth)
                __builtin_trap();
        }
    }
    // One value per comparison of a measured term, and none of them measured here.
    if (terms.size() != std::size_t(expression.comparisons().size()))
        __builtin_trap();
    for (const auto &term : terms) {
        if (term)
            __builtin_trap();
    }
    return 0;
}
