#include "expression.h"

#include "common/duration.h"
#include "parser.h"

#include <array>
#include <cmath>

namespace rwd::rules {

namespace {

enum class Arg
{
    Check,  // a check name: its samples are counted as ok/failed
    Field,  // a check name or check.field: its values are aggregated
    Window, // a duration literal
};

enum class Result
{
    Ratio,
    Scalar,
    FieldDimension
};

struct FunctionSpec
{
    const char *name;
    std::array<Arg, 2> args;
    int arity;
    Aggregate aggregate;
    double quantile;
    Result result;
};

// The functions of the language (documented in docs/rules.md).
// clang-format off
constexpr std::array<FunctionSpec, 15> kFunctions{{
    {"error_rate",            {Arg::Check, Arg::Window}, 2, Aggregate::ErrorRate,            0,    Result::Ratio},
    {"success_rate",          {Arg::Check, Arg::Window}, 2, Aggregate::SuccessRate,          0,    Result::Ratio},
    {"count",                 {Arg::Check, Arg::Window}, 2, Aggregate::Count,                0,    Result::Scalar},
    {"failures",              {Arg::Check, Arg::Window}, 2, Aggregate::Failures,             0,    Result::Scalar},
    {"consecutive_failures",  {Arg::Check, Arg::Check},  1, Aggregate::ConsecutiveFailures,  0,    Result::Scalar},
    {"consecutive_successes", {Arg::Check, Arg::Check},  1, Aggregate::ConsecutiveSuccesses, 0,    Result::Scalar},
    {"value",                 {Arg::Field, Arg::Field},  1, Aggregate::Last,                 0,    Result::FieldDimension},
    {"mean",                  {Arg::Field, Arg::Window}, 2, Aggregate::Mean,                 0,    Result::FieldDimension},
    {"min",                   {Arg::Field, Arg::Window}, 2, Aggregate::Min,                  0,    Result::FieldDimension},
    {"max",                   {Arg::Field, Arg::Window}, 2, Aggregate::Max,                  0,    Result::FieldDimension},
    {"p50",                   {Arg::Field, Arg::Window}, 2, Aggregate::Quantile,             0.50, Result::FieldDimension},
    {"p90",                   {Arg::Field, Arg::Window}, 2, Aggregate::Quantile,             0.90, Result::FieldDimension},
    {"p95",                   {Arg::Field, Arg::Window}, 2, Aggregate::Quantile,             0.95, Result::FieldDimension},
    {"p99",                   {Arg::Field, Arg::Window}, 2, Aggregate::Quantile,             0.99, Result::FieldDimension},
    {"latency",               {Arg::Check, Arg::Check},  1, Aggregate::Last,                 0,    Result::FieldDimension},
}};
// clang-format on

const FunctionSpec *findFunction(const QString &name)
{
    for (const auto &f : kFunctions) {
        if (name == QLatin1String(f.name))
            return &f;
    }
    return nullptr;
}

Dimension fieldDimension(const QString &field)
{
    return field == u"latency" ? Dimension::Time : Dimension::Scalar;
}

bool compatible(Dimension a, Dimension b)
{
    return a == b || a == Dimension::Scalar || b == Dimension::Scalar;
}

QString ordinal(int i)
{
    static const std::array<const char *, 3> names{"first", "second", "third"};
    return i < 3 ? QLatin1String(names[std::size_t(i)]) : QString::number(i + 1);
}

class Compiler
{
public:
    Compiler(const QString &text, const Scope &scope, QList<MetricQuery> &queries)
        : m_text(text)
        , m_scope(scope)
        , m_queries(queries)
    {}

    QList<CompileError> errors;

    Dimension check(Node &n)
    {
        switch (n.kind) {
        case Node::Kind::Number:
        case Node::Kind::Duration:
            return n.dimension;
        case Node::Kind::Boolean:
            return n.dimension = Dimension::Bool;
        case Node::Kind::Ref:
            error(n.span.offset, QStringLiteral("'%1' cannot be used on its own; use it inside a "
                                                "function such as value(%1) or "
                                                "error_rate(%2, 1m)")
                                     .arg(n.path.join(u'.'), n.path.first()));
            return n.dimension = Dimension::Scalar;
        case Node::Kind::Call:
            return n.dimension = call(n);
        case Node::Kind::Unary:
            return n.dimension = unary(n);
        case Node::Kind::Binary:
            return n.dimension = binary(n);
        }
        return Dimension::Scalar;
    }

private:
    void error(qsizetype offset, const QString &message) { errors.append({offset, message}); }

    QString textOf(const Node &n) const { return m_text.mid(n.span.offset, n.span.length); }

    Dimension unary(Node &n)
    {
        const auto d = check(*n.children.first());
        if (n.op == Node::Op::Not) {
            if (d != Dimension::Bool)
                error(n.children.first()->span.offset,
                      QStringLiteral("'not' needs a condition, but '%1' is a %2")
                          .arg(textOf(*n.children.first()), dimensionName(d)));
            return Dimension::Bool;
        }
        if (d == Dimension::Bool)
            error(n.span.offset, QStringLiteral("cannot negate a condition with '-'; use 'not'"));
        return d;
    }

    Dimension binary(Node &n)
    {
        auto &lhs = *n.children.at(0);
        auto &rhs = *n.children.at(1);
        const auto a = check(lhs);
        const auto b = check(rhs);
        switch (n.op) {
        case Node::Op::And:
        case Node::Op::Or:
            for (const auto *side : {&lhs, &rhs}) {
                if (side->dimension != Dimension::Bool)
                    error(side->span.offset,
                          QStringLiteral("'%1' needs conditions on both sides, but '%2' is a %3")
                              .arg(opText(n.op), textOf(*side), dimensionName(side->dimension)));
            }
            return Dimension::Bool;
        case Node::Op::Lt:
        case Node::Op::Le:
        case Node::Op::Gt:
        case Node::Op::Ge:
        case Node::Op::Eq:
        case Node::Op::Ne:
            if (a == Dimension::Bool || b == Dimension::Bool)
                error(n.span.offset,
                      QStringLiteral("'%1' compares numbers, not conditions").arg(opText(n.op)));
            else if (!compatible(a, b))
                error(rhs.span.offset,
                      QStringLiteral("cannot compare a %1 ('%2') with a %3 "
                                     "('%4')")
                          .arg(dimensionName(a), textOf(lhs), dimensionName(b), textOf(rhs)));
            return Dimension::Bool;
        case Node::Op::Add:
        case Node::Op::Sub:
        case Node::Op::Mul:
        case Node::Op::Div:
            if (a == Dimension::Bool || b == Dimension::Bool) {
                error(n.span.offset,
                      QStringLiteral("'%1' needs numbers, not conditions").arg(opText(n.op)));
                return Dimension::Scalar;
            }
            if (n.op == Node::Op::Add || n.op == Node::Op::Sub) {
                if (!compatible(a, b))
                    error(rhs.span.offset, QStringLiteral("cannot add or subtract a %1 and a %2")
                                               .arg(dimensionName(a), dimensionName(b)));
                return a == Dimension::Scalar ? b : a;
            }
            if (a == Dimension::Scalar)
                return b;
            if (b == Dimension::Scalar)
                return a;
            return Dimension::Scalar;
        case Node::Op::None:
        case Node::Op::Neg:
        case Node::Op::Not:
            break;
        }
        return Dimension::Scalar;
    }

    Dimension call(Node &n)
    {
        const QString name = n.path.first();
        const auto *spec = findFunction(name);
        if (!spec) {
            QStringList names;
            for (const auto &f : kFunctions)
                names.append(QLatin1String(f.name));
            error(n.span.offset, QStringLiteral("unknown function '%1' (known: %2)")
                                     .arg(name, names.join(QStringLiteral(", "))));
            for (auto &child : n.children)
                if (child->kind != Node::Kind::Ref)
                    check(*child);
            return Dimension::Scalar;
        }
        if (n.children.size() != spec->arity) {
            error(n.span.offset, QStringLiteral("%1() takes %2 argument%3 (%4), found %5")
                                     .arg(name)
                                     .arg(spec->arity)
                                     .arg(spec->arity == 1 ? QString() : QStringLiteral("s"))
                                     .arg(signature(*spec))
                                     .arg(n.children.size()));
            return spec->result == Result::Ratio ? Dimension::Ratio : Dimension::Scalar;
        }
        MetricQuery q;
        q.aggregate = spec->aggregate;
        q.quantile = spec->quantile;
        if (name == u"latency")
            q.field = QStringLiteral("latency");
        bool ok = true;
        for (int i = 0; i < spec->arity; ++i) {
            auto &arg = *n.children.at(i);
            const Arg kind = spec->args.at(std::size_t(i));
            if (kind == Arg::Window) {
                if (arg.kind != Node::Kind::Number || !arg.hasTimeUnit || arg.number <= 0) {
                    error(arg.span.offset, QStringLiteral("the %1 argument of %2() must be a "
                                                          "window such as 30s, 5m or 1h")
                                               .arg(ordinal(i), name));
                    ok = false;
                    continue;
                }
                arg.kind = Node::Kind::Duration;
                q.windowMs = qint64(std::llround(arg.number * 1000.0));
                continue;
            }
            if (arg.kind != Node::Kind::Ref) {
                error(arg.span.offset,
                      QStringLiteral("the %1 argument of %2() must be the name "
                                     "of a check%3")
                          .arg(ordinal(i), name,
                               kind == Arg::Field ? QStringLiteral(" or check.field") : QString()));
                ok = false;
                continue;
            }
            if (!resolve(arg, kind, name, q))
                ok = false;
        }
        if (ok) {
            n.query = int(m_queries.size());
            m_queries.append(q);
        }
        switch (spec->result) {
        case Result::Ratio:
            return Dimension::Ratio;
        case Result::Scalar:
            return Dimension::Scalar;
        case Result::FieldDimension:
            return fieldDimension(q.field);
        }
        return Dimension::Scalar;
    }

    bool resolve(const Node &ref, Arg kind, const QString &function, MetricQuery &q)
    {
        const QString checkName = ref.path.first();
        if (!m_scope.checks.contains(checkName)) {
            error(ref.span.offset,
                  QStringLiteral("unknown check '%1'%2")
                      .arg(checkName, m_scope.checks.isEmpty()
                                          ? QStringLiteral(" (the service has no checks)")
                                          : QStringLiteral(" (checks of this service: %1)")
                                                .arg(m_scope.checks.join(QStringLiteral(", ")))));
            return false;
        }
        q.check = checkName;
        if (ref.path.size() > 2) {
            error(ref.span.offset, QStringLiteral("'%1' has too many parts; write check or "
                                                  "check.field")
                                       .arg(ref.path.join(u'.')));
            return false;
        }
        if (ref.path.size() == 2) {
            const auto &field = ref.path.at(1);
            if (kind == Arg::Check) {
                error(ref.span.offset, QStringLiteral("%1() takes a check, not a field; write "
                                                      "%1(%2, …)")
                                           .arg(function, checkName));
                return false;
            }
            if (!Expression::fields().contains(field)) {
                error(ref.span.offset + checkName.size() + 1,
                      QStringLiteral("unknown field '%1' (fields: %2)")
                          .arg(field, Expression::fields().join(QStringLiteral(", "))));
                return false;
            }
            q.field = field;
        } else if (kind == Arg::Field && q.field.isEmpty()) {
            q.field = QStringLiteral("value");
        }
        return true;
    }

    static QString signature(const FunctionSpec &spec)
    {
        QStringList parts;
        for (int i = 0; i < spec.arity; ++i) {
            switch (spec.args.at(std::size_t(i))) {
            case Arg::Check:
                parts.append(QStringLiteral("check"));
                break;
            case Arg::Field:
                parts.append(QStringLiteral("check.field"));
                break;
            case Arg::Window:
                parts.append(QStringLiteral("window"));
                break;
            }
        }
        return QLatin1String(spec.name) + u'(' + parts.join(QStringLiteral(", ")) + u')';
    }

    const QString &m_text;
    const Scope &m_scope;
    QList<MetricQuery> &m_queries;
};

// A value during evaluation: a number, a truth value, or missing (not enough data).
struct Value
{
    enum class Kind
    {
        Missing,
        Number,
        Truth
    };
    Kind kind = Kind::Missing;
    double number = 0;
    bool truth = false;

    static Value missing() { return {}; }
    static Value num(double x)
    {
        return std::isfinite(x) ? Value{Kind::Number, x, false} : Value{};
    }
    static Value boolean(bool b) { return {Kind::Truth, 0, b}; }
};

class Evaluator
{
public:
    Evaluator(const QString &text, const QList<MetricQuery> &queries, const MetricSource &source,
              qint64 now, QJsonObject *values)
        : m_text(text)
        , m_queries(queries)
        , m_source(source)
        , m_now(now)
        , m_values(values)
    {}

    Value eval(const Node &n)
    {
        switch (n.kind) {
        case Node::Kind::Number:
        case Node::Kind::Duration:
            return Value::num(n.number);
        case Node::Kind::Boolean:
            return Value::boolean(n.number != 0);
        case Node::Kind::Ref:
            return Value::missing();
        case Node::Kind::Call: {
            if (n.query < 0)
                return Value::missing();
            const auto result = m_source.query(m_queries.at(n.query), m_now);
            if (m_values)
                m_values->insert(m_text.mid(n.span.offset, n.span.length),
                                 result ? QJsonValue(*result) : QJsonValue());
            return result ? Value::num(*result) : Value::missing();
        }
        case Node::Kind::Unary: {
            const auto v = eval(*n.children.first());
            if (v.kind == Value::Kind::Missing)
                return v;
            if (n.op == Node::Op::Not)
                return Value::boolean(!v.truth);
            return Value::num(-v.number);
        }
        case Node::Kind::Binary:
            return binary(n);
        }
        return Value::missing();
    }

private:
    Value binary(const Node &n)
    {
        if (n.op == Node::Op::And || n.op == Node::Op::Or) {
            // Kleene logic: a known false (and) / true (or) decides, whatever the other side.
            const auto a = eval(*n.children.at(0));
            const auto b = eval(*n.children.at(1));
            const bool decisive = n.op == Node::Op::Or;
            if ((a.kind == Value::Kind::Truth && a.truth == decisive) ||
                (b.kind == Value::Kind::Truth && b.truth == decisive))
                return Value::boolean(decisive);
            if (a.kind == Value::Kind::Missing || b.kind == Value::Kind::Missing)
                return Value::missing();
            return Value::boolean(!decisive);
        }
        const auto a = eval(*n.children.at(0));
        const auto b = eval(*n.children.at(1));
        if (a.kind == Value::Kind::Missing || b.kind == Value::Kind::Missing)
            return Value::missing();
        const double x = a.number;
        const double y = b.number;
        switch (n.op) {
        case Node::Op::Add:
            return Value::num(x + y);
        case Node::Op::Sub:
            return Value::num(x - y);
        case Node::Op::Mul:
            return Value::num(x * y);
        case Node::Op::Div:
            return y == 0 ? Value::missing() : Value::num(x / y);
        case Node::Op::Lt:
            return Value::boolean(x < y);
        case Node::Op::Le:
            return Value::boolean(x <= y);
        case Node::Op::Gt:
            return Value::boolean(x > y);
        case Node::Op::Ge:
            return Value::boolean(x >= y);
        case Node::Op::Eq:
            return Value::boolean(x == y);
        case Node::Op::Ne:
            return Value::boolean(x != y);
        case Node::Op::And:
        case Node::Op::Or:
        case Node::Op::None:
        case Node::Op::Neg:
        case Node::Op::Not:
            break;
        }
        return Value::missing();
    }

    const QString &m_text;
    const QList<MetricQuery> &m_queries;
    const MetricSource &m_source;
    qint64 m_now;
    QJsonObject *m_values;
};

} // namespace

const QStringList &Expression::fields()
{
    static const QStringList names{QStringLiteral("latency"), QStringLiteral("value"),
                                   QStringLiteral("status")};
    return names;
}

QStringList Expression::functionNames()
{
    QStringList names;
    for (const auto &f : kFunctions)
        names.append(QLatin1String(f.name));
    return names;
}

std::variant<Expression, QList<CompileError>> Expression::compile(const QString &text,
                                                                  const Scope &scope)
{
    auto parsed = parseExpression(text);
    if (auto *syntax = std::get_if<SyntaxError>(&parsed))
        return QList<CompileError>{{syntax->offset, syntax->message}};
    Expression e;
    e.m_text = text;
    e.m_root = std::get<NodePtr>(parsed);
    Compiler compiler(e.m_text, scope, e.m_queries);
    const auto dimension = compiler.check(*e.m_root);
    if (compiler.errors.isEmpty() && dimension != Dimension::Bool)
        compiler.errors.append({0, QStringLiteral("a rule condition must be true or false, e.g. "
                                                  "'error_rate(health, 1m) > 5%', but this is a "
                                                  "%1")
                                       .arg(dimensionName(dimension))});
    if (!compiler.errors.isEmpty())
        return compiler.errors;
    return e;
}

Truth Expression::evaluate(const MetricSource &source, qint64 nowMs, QJsonObject *values) const
{
    Evaluator evaluator(m_text, m_queries, source, nowMs, values);
    const auto v = evaluator.eval(*m_root);
    if (v.kind != Value::Kind::Truth)
        return Truth::Unknown;
    return v.truth ? Truth::True : Truth::False;
}

} // namespace rwd::rules
