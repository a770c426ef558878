#include "expression.h"

#include "common/duration.h"
#include "parser.h"

#include <QSet>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace rwd::rules {

namespace {

enum class Arg
{
    None,
    Check,  // a check name: its probe outcomes (ok / failed)
    Field,  // check.field, or a check name meaning its default field
    Window, // a duration literal
    Ratio,  // a number between 0 and 1 exclusive, usually written with % (a literal)
    Offset, // a duration literal: how long ago a window ended
};

enum class ResultKind
{
    Ratio,
    Scalar,
    Time,
    FieldDimension, // the dimension of the (first) field argument
    CountOrField,   // counters: a number of events; other fields: the field's dimension
};

struct FunctionSpec
{
    const char *name;
    std::array<Arg, 4> args;
    Aggregate aggregate;
    double quantile;
    ResultKind result;
    const char *fixedField; // a field the function always reads (latency())
};

constexpr auto N = Arg::None;

// The functions of the language (documented in docs/rules.md).
// clang-format off
constexpr std::array<FunctionSpec, 22> kFunctions{{
    {"error_rate",            {Arg::Check, Arg::Window, N, N},                 Aggregate::ErrorRate,            0,    ResultKind::Ratio,          nullptr},
    {"success_rate",          {Arg::Check, Arg::Window, N, N},                 Aggregate::SuccessRate,          0,    ResultKind::Ratio,          nullptr},
    {"count",                 {Arg::Check, Arg::Window, N, N},                 Aggregate::Count,                0,    ResultKind::Scalar,         nullptr},
    {"failures",              {Arg::Check, Arg::Window, N, N},                 Aggregate::Failures,             0,    ResultKind::Scalar,         nullptr},
    {"consecutive_failures",  {Arg::Check, N, N, N},                           Aggregate::ConsecutiveFailures,  0,    ResultKind::Scalar,         nullptr},
    {"consecutive_successes", {Arg::Check, N, N, N},                           Aggregate::ConsecutiveSuccesses, 0,    ResultKind::Scalar,         nullptr},
    {"latency",               {Arg::Check, N, N, N},                           Aggregate::Last,                 0,    ResultKind::Time,           "latency"},
    {"value",                 {Arg::Field, N, N, N},                           Aggregate::Last,                 0,    ResultKind::FieldDimension, nullptr},
    {"mean",                  {Arg::Field, Arg::Window, N, N},                 Aggregate::Mean,                 0,    ResultKind::FieldDimension, nullptr},
    {"min",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Min,                  0,    ResultKind::FieldDimension, nullptr},
    {"max",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Max,                  0,    ResultKind::FieldDimension, nullptr},
    {"sum",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Sum,                  0,    ResultKind::CountOrField,   nullptr},
    {"p50",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Quantile,             0.50, ResultKind::FieldDimension, nullptr},
    {"p90",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Quantile,             0.90, ResultKind::FieldDimension, nullptr},
    {"p95",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Quantile,             0.95, ResultKind::FieldDimension, nullptr},
    {"p99",                   {Arg::Field, Arg::Window, N, N},                 Aggregate::Quantile,             0.99, ResultKind::FieldDimension, nullptr},
    {"rate",                  {Arg::Field, Arg::Window, N, N},                 Aggregate::Rate,                 0,    ResultKind::Scalar,         nullptr},
    {"ratio",                 {Arg::Field, Arg::Field, Arg::Window, N},        Aggregate::Ratio,                0,    ResultKind::Ratio,          nullptr},
    {"baseline",              {Arg::Field, Arg::Window, N, N},                 Aggregate::Baseline,             0,    ResultKind::FieldDimension, nullptr},
    {"prior",                 {Arg::Field, Arg::Window, Arg::Offset, N},       Aggregate::Prior,                0,    ResultKind::FieldDimension, nullptr},
    {"error_cusum",           {Arg::Field, Arg::Field, Arg::Ratio, Arg::Ratio}, Aggregate::ErrorCusum,          0,    ResultKind::Scalar,         nullptr},
    {"canary",                {Arg::Check, Arg::Check, Arg::Window, N},        Aggregate::Canary,               0,    ResultKind::Scalar,         nullptr},
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

int arityOf(const FunctionSpec &f)
{
    int n = 0;
    while (n < int(f.args.size()) && f.args[std::size_t(n)] != Arg::None)
        ++n;
    return n;
}

bool compatible(Dimension a, Dimension b)
{
    return a == b || a == Dimension::Scalar || b == Dimension::Scalar;
}

QString ordinal(int i)
{
    static const std::array<const char *, 4> names{"first", "second", "third", "fourth"};
    return i < 4 ? QLatin1String(names[std::size_t(i)]) : QString::number(i + 1);
}

// The value of a subtree made only of literals and arithmetic (`5%`, `2 * 1s`); none when it
// reads a metric or divides by zero.
std::optional<double> constantValue(const Node &n)
{
    switch (n.kind) {
    case Node::Kind::Number:
    case Node::Kind::Duration:
        return n.number;
    case Node::Kind::Unary:
        if (n.op == Node::Op::Neg) {
            if (const auto v = constantValue(*n.children.first()))
                return -*v;
        }
        return std::nullopt;
    case Node::Kind::Binary: {
        const auto a = constantValue(*n.children.at(0));
        const auto b = constantValue(*n.children.at(1));
        if (!a || !b)
            return std::nullopt;
        switch (n.op) {
        case Node::Op::Add:
            return *a + *b;
        case Node::Op::Sub:
            return *a - *b;
        case Node::Op::Mul:
            return *a * *b;
        case Node::Op::Div:
            return *b == 0 ? std::nullopt : std::optional(*a / *b);
        default:
            return std::nullopt;
        }
    }
    case Node::Kind::Boolean:
    case Node::Kind::Ref:
    case Node::Kind::Call:
        return std::nullopt;
    }
    return std::nullopt;
}

bool isConstant(const Node &n)
{
    if (n.kind == Node::Kind::Call || n.kind == Node::Kind::Ref)
        return false;
    return std::all_of(n.children.cbegin(), n.children.cend(),
                       [](const NodePtr &child) { return isConstant(*child); });
}

// The comparison as read with the operands swapped: 5% < x is x > 5%.
Node::Op mirrored(Node::Op op)
{
    switch (op) {
    case Node::Op::Lt:
        return Node::Op::Gt;
    case Node::Op::Le:
        return Node::Op::Ge;
    case Node::Op::Gt:
        return Node::Op::Lt;
    case Node::Op::Ge:
        return Node::Op::Le;
    default:
        return op;
    }
}

class Compiler
{
public:
    Compiler(const QString &text, const Scope &scope, QList<MetricQuery> &queries,
             QList<Comparison> &comparisons)
        : m_text(text)
        , m_scope(scope)
        , m_queries(queries)
        , m_comparisons(comparisons)
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

    // What a term measures, in the units charts use.
    QString unitOf(const Node &term) const
    {
        if (m_perSecond.contains(&term))
            return QStringLiteral("per_second");
        switch (term.dimension) {
        case Dimension::Time:
            return QStringLiteral("seconds");
        case Dimension::Ratio:
            return QStringLiteral("ratio");
        case Dimension::Scalar:
        case Dimension::Bool:
            break;
        }
        return QStringLiteral("number");
    }

    // Records a comparison of a measured term; one between two constants measures nothing.
    void addComparison(Node &n, const Node &lhs, const Node &rhs)
    {
        const bool lhsConstant = isConstant(lhs);
        const bool rhsConstant = isConstant(rhs);
        if (lhsConstant && rhsConstant)
            return;
        Comparison c;
        c.termOnLeft = !lhsConstant;
        const Node &term = c.termOnLeft ? lhs : rhs;
        c.term = textOf(term).simplified();
        c.op = opText(c.termOnLeft ? n.op : mirrored(n.op));
        if (lhsConstant || rhsConstant)
            c.threshold = constantValue(c.termOnLeft ? rhs : lhs);
        c.unit = unitOf(term);
        n.comparison = int(m_comparisons.size());
        m_comparisons.append(c);
    }

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
            else
                addComparison(n, lhs, rhs);
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
            error(n.span.offset,
                  QStringLiteral("unknown function '%1' (known: %2)")
                      .arg(name, Expression::functionNames().join(QStringLiteral(", "))));
            return Dimension::Scalar;
        }
        const int arity = arityOf(*spec);
        if (n.children.size() != arity) {
            error(n.span.offset, QStringLiteral("%1() takes %2 argument%3 (%4), found %5")
                                     .arg(name)
                                     .arg(arity)
                                     .arg(arity == 1 ? QString() : QStringLiteral("s"))
                                     .arg(signature(*spec))
                                     .arg(n.children.size()));
            return spec->result == ResultKind::Ratio ? Dimension::Ratio : Dimension::Scalar;
        }
        MetricQuery q;
        q.aggregate = spec->aggregate;
        q.quantile = spec->quantile;
        const FieldInfo *field = nullptr;
        const FieldInfo *field2 = nullptr;
        int ratios = 0;
        bool ok = true;
        for (int i = 0; i < arity; ++i) {
            auto &arg = *n.children.at(i);
            switch (spec->args.at(std::size_t(i))) {
            case Arg::Window:
                if (arg.kind != Node::Kind::Number || !arg.hasTimeUnit || arg.number <= 0) {
                    error(arg.span.offset, QStringLiteral("the %1 argument of %2() must be a "
                                                          "window such as 30s, 5m or 1h")
                                               .arg(ordinal(i), name));
                    ok = false;
                    break;
                }
                arg.kind = Node::Kind::Duration;
                q.windowMs = qint64(std::llround(arg.number * 1000.0));
                break;
            case Arg::Offset:
                if (arg.kind != Node::Kind::Number || !arg.hasTimeUnit || arg.number <= 0) {
                    error(arg.span.offset, QStringLiteral("the %1 argument of %2() must be how "
                                                          "long ago the window ended, such as 15m")
                                               .arg(ordinal(i), name));
                    ok = false;
                    break;
                }
                arg.kind = Node::Kind::Duration;
                q.offsetMs = qint64(std::llround(arg.number * 1000.0));
                break;
            case Arg::Ratio:
                if (arg.kind != Node::Kind::Number || arg.hasTimeUnit || arg.number <= 0 ||
                    arg.number >= 1) {
                    error(arg.span.offset,
                          QStringLiteral("the %1 argument of %2() must be an error "
                                         "rate between 0 and 100%, such as 1%")
                              .arg(ordinal(i), name));
                    ok = false;
                    break;
                }
                (ratios++ == 0 ? q.p0 : q.p1) = arg.number;
                break;
            case Arg::Check:
                if (!resolveCheck(arg, name, i, q.check.isEmpty() ? q.check : q.check2))
                    ok = false;
                break;
            case Arg::Field: {
                QString check;
                const FieldInfo *info = resolveField(arg, name, i, check);
                if (!info) {
                    ok = false;
                    break;
                }
                if (!field) {
                    field = info;
                    q.check = check;
                    q.field = info->name;
                } else if (check != q.check) {
                    error(arg.span.offset, QStringLiteral("%1() compares two fields of the same "
                                                          "check; '%2' is not a field of '%3'")
                                               .arg(name, textOf(arg), q.check));
                    ok = false;
                } else {
                    field2 = info;
                    q.field2 = info->name;
                }
                break;
            }
            case Arg::None:
                break;
            }
        }
        if (spec->fixedField)
            q.field = QLatin1String(spec->fixedField);
        if (ok)
            ok = checkFunctionRules(n, *spec, q, field, field2);
        if (ok) {
            n.query = int(m_queries.size());
            m_queries.append(q);
            // A counter's values are per-second rates (its increases are what sum() counts);
            // rate() of anything is a change per second.
            const bool valueOfCounter =
                field && field->counter && !field->distribution && q.aggregate != Aggregate::Sum &&
                q.aggregate != Aggregate::Ratio && q.aggregate != Aggregate::ErrorCusum;
            if (q.aggregate == Aggregate::Rate || valueOfCounter)
                m_perSecond.insert(&n);
        }
        switch (spec->result) {
        case ResultKind::Ratio:
            return Dimension::Ratio;
        case ResultKind::Scalar:
            return Dimension::Scalar;
        case ResultKind::Time:
            return Dimension::Time;
        case ResultKind::FieldDimension:
            return field ? field->dimension : Dimension::Scalar;
        case ResultKind::CountOrField:
            return field && !field->counter ? field->dimension : Dimension::Scalar;
        }
        return Dimension::Scalar;
    }

    // Constraints specific to some functions.
    bool checkFunctionRules(const Node &n, const FunctionSpec &spec, MetricQuery &q,
                            const FieldInfo *field, const FieldInfo *field2)
    {
        const QString name = QLatin1String(spec.name);
        if (spec.aggregate == Aggregate::Ratio || spec.aggregate == Aggregate::ErrorCusum) {
            for (const auto *f : {field, field2}) {
                if (f && !f->counter) {
                    error(n.span.offset, QStringLiteral("%1() needs counter fields (such as a "
                                                        "scrape check's counters); '%2.%3' is "
                                                        "not one")
                                             .arg(name, q.check, f->name));
                    return false;
                }
            }
        }
        if (spec.aggregate == Aggregate::ErrorCusum && q.p0 >= q.p1) {
            error(n.children.at(3)->span.offset,
                  QStringLiteral("error_cusum() detects a rise from the third argument (the "
                                 "acceptable error rate) to the fourth, which must be larger"));
            return false;
        }
        if (spec.aggregate == Aggregate::Canary && q.check == q.check2) {
            error(n.children.at(1)->span.offset,
                  QStringLiteral("canary() compares two different checks"));
            return false;
        }
        return true;
    }

    bool resolveCheck(const Node &ref, const QString &function, int index, QString &check)
    {
        if (ref.kind != Node::Kind::Ref) {
            error(ref.span.offset, QStringLiteral("the %1 argument of %2() must be the name of a "
                                                  "check")
                                       .arg(ordinal(index), function));
            return false;
        }
        if (!knownCheck(ref))
            return false;
        if (ref.path.size() > 1) {
            error(ref.span.offset,
                  QStringLiteral("%1() takes a check, not a field; write %1(%2, …)")
                      .arg(function, ref.path.first()));
            return false;
        }
        check = ref.path.first();
        return true;
    }

    const FieldInfo *resolveField(const Node &ref, const QString &function, int index,
                                  QString &check)
    {
        if (ref.kind != Node::Kind::Ref) {
            error(ref.span.offset, QStringLiteral("the %1 argument of %2() must be a check or "
                                                  "check.field")
                                       .arg(ordinal(index), function));
            return nullptr;
        }
        if (!knownCheck(ref))
            return nullptr;
        check = ref.path.first();
        const auto &scope = m_scope.checks[check];
        if (ref.path.size() > 2) {
            error(ref.span.offset, QStringLiteral("'%1' has too many parts; write check or "
                                                  "check.field")
                                       .arg(ref.path.join(u'.')));
            return nullptr;
        }
        const QString name = ref.path.size() == 2 ? ref.path.at(1) : scope.defaultField;
        const auto *info = scope.field(name);
        if (!info) {
            QStringList names;
            for (const auto &f : scope.fields)
                names.append(f.name);
            error(ref.span.offset + check.size() + 1,
                  QStringLiteral("unknown field '%1' of check '%2' (fields: %3)")
                      .arg(name, check, names.join(QStringLiteral(", "))));
            return nullptr;
        }
        return info;
    }

    bool knownCheck(const Node &ref)
    {
        const QString name = ref.path.first();
        if (m_scope.checks.contains(name))
            return true;
        error(ref.span.offset,
              QStringLiteral("unknown check '%1'%2")
                  .arg(name, m_scope.order.isEmpty()
                                 ? QStringLiteral(" (the service has no checks)")
                                 : QStringLiteral(" (checks of this service: %1)")
                                       .arg(m_scope.order.join(QStringLiteral(", ")))));
        return false;
    }

    static QString signature(const FunctionSpec &spec)
    {
        QStringList parts;
        for (const auto arg : spec.args) {
            switch (arg) {
            case Arg::Check:
                parts.append(QStringLiteral("check"));
                break;
            case Arg::Field:
                parts.append(QStringLiteral("check.field"));
                break;
            case Arg::Window:
                parts.append(QStringLiteral("window"));
                break;
            case Arg::Ratio:
                parts.append(QStringLiteral("rate%"));
                break;
            case Arg::Offset:
                parts.append(QStringLiteral("ago"));
                break;
            case Arg::None:
                break;
            }
        }
        return QLatin1String(spec.name) + u'(' + parts.join(QStringLiteral(", ")) + u')';
    }

    const QString &m_text;
    const Scope &m_scope;
    QList<MetricQuery> &m_queries;
    QList<Comparison> &m_comparisons;
    QSet<const Node *> m_perSecond; // calls whose values are per second
};

// A value during evaluation: a number, a truth value, or none (and why).
struct Value
{
    enum class Kind
    {
        NoData,
        NoTraffic,
        Number,
        Truth
    };
    Kind kind = Kind::NoData;
    double number = 0;
    bool truth = false;

    [[nodiscard]] bool missing() const { return kind == Kind::NoData || kind == Kind::NoTraffic; }
    static Value none(Kind why) { return {why, 0, false}; }
    static Value num(double x)
    {
        return std::isfinite(x) ? Value{Kind::Number, x, false} : Value{Kind::NoData, 0, false};
    }
    static Value boolean(bool b) { return {Kind::Truth, 0, b}; }
    // Missing data dominates no traffic: "we could not tell" is the stronger statement.
    static Value missing(const Value &a, const Value &b)
    {
        return none(a.kind == Kind::NoData || b.kind == Kind::NoData ? Kind::NoData
                                                                     : Kind::NoTraffic);
    }
};

class Evaluator
{
public:
    Evaluator(const QString &text, const QList<MetricQuery> &queries,
              const QList<Comparison> &comparisons, const MetricSource &source, qint64 now,
              QJsonObject *values, std::vector<std::optional<double>> *terms)
        : m_text(text)
        , m_queries(queries)
        , m_comparisons(comparisons)
        , m_source(source)
        , m_now(now)
        , m_values(values)
        , m_terms(terms)
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
            return Value::none(Value::Kind::NoData);
        case Node::Kind::Call: {
            if (n.query < 0)
                return Value::none(Value::Kind::NoData);
            const auto result = m_source.query(m_queries.at(n.query), m_now);
            if (m_values) {
                const auto text = m_text.mid(n.span.offset, n.span.length);
                switch (result.kind) {
                case QueryResult::Kind::Value:
                    m_values->insert(text, result.value);
                    break;
                case QueryResult::Kind::NoData:
                    m_values->insert(text, QJsonValue());
                    break;
                case QueryResult::Kind::NoTraffic:
                    m_values->insert(text, QStringLiteral("no traffic"));
                    break;
                }
            }
            switch (result.kind) {
            case QueryResult::Kind::Value:
                return Value::num(result.value);
            case QueryResult::Kind::NoData:
                return Value::none(Value::Kind::NoData);
            case QueryResult::Kind::NoTraffic:
                return Value::none(Value::Kind::NoTraffic);
            }
            return Value::none(Value::Kind::NoData);
        }
        case Node::Kind::Unary: {
            const auto v = eval(*n.children.first());
            if (v.missing())
                return v;
            if (n.op == Node::Op::Not)
                return Value::boolean(!v.truth);
            return Value::num(-v.number);
        }
        case Node::Kind::Binary:
            return binary(n);
        }
        return Value::none(Value::Kind::NoData);
    }

private:
    Value binary(const Node &n)
    {
        const auto a = eval(*n.children.at(0));
        const auto b = eval(*n.children.at(1));
        if (m_terms && n.comparison >= 0) {
            const auto &term = m_comparisons.at(n.comparison).termOnLeft ? a : b;
            (*m_terms)[std::size_t(n.comparison)] =
                term.kind == Value::Kind::Number ? std::optional(term.number) : std::nullopt;
        }
        if (n.op == Node::Op::And || n.op == Node::Op::Or) {
            // Kleene logic: a known false (and) / true (or) decides, whatever the other side.
            const bool decisive = n.op == Node::Op::Or;
            if ((a.kind == Value::Kind::Truth && a.truth == decisive) ||
                (b.kind == Value::Kind::Truth && b.truth == decisive))
                return Value::boolean(decisive);
            if (a.missing() || b.missing())
                return Value::missing(a.missing() ? a : b, b.missing() ? b : a);
            return Value::boolean(!decisive);
        }
        if (a.missing() || b.missing())
            return Value::missing(a.missing() ? a : b, b.missing() ? b : a);
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
            return y == 0 ? Value::none(Value::Kind::NoData) : Value::num(x / y);
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
        return Value::none(Value::Kind::NoData);
    }

    const QString &m_text;
    const QList<MetricQuery> &m_queries;
    const QList<Comparison> &m_comparisons;
    const MetricSource &m_source;
    qint64 m_now;
    QJsonObject *m_values;
    std::vector<std::optional<double>> *m_terms;
};

} // namespace

QStringList Expression::functionNames()
{
    QStringList names;
    for (const auto &f : kFunctions)
        names.append(QLatin1String(f.name));
    return names;
}

Result<Expression, QList<CompileError>> Expression::compile(const QString &text, const Scope &scope)
{
    auto parsed = parseExpression(text);
    if (!parsed)
        return QList<CompileError>{{parsed.error().offset, parsed.error().message}};
    Expression e;
    e.m_text = text;
    e.m_root = *parsed;
    Compiler compiler(e.m_text, scope, e.m_queries, e.m_comparisons);
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

QStringList Expression::referencedChecks(const QString &text)
{
    QStringList names;
    const auto parsed = parseExpression(text);
    if (!parsed)
        return names;
    std::function<void(const Node &)> walk = [&](const Node &n) {
        if (n.kind == Node::Kind::Ref && !names.contains(n.path.first()))
            names.append(n.path.first());
        for (const auto &child : n.children)
            walk(*child);
    };
    walk(**parsed);
    return names;
}

Truth Expression::evaluate(const MetricSource &source, qint64 nowMs, QJsonObject *values,
                           std::vector<std::optional<double>> *terms) const
{
    if (terms)
        terms->assign(std::size_t(m_comparisons.size()), std::nullopt);
    Evaluator evaluator(m_text, m_queries, m_comparisons, source, nowMs, values, terms);
    const auto v = evaluator.eval(*m_root);
    switch (v.kind) {
    case Value::Kind::Truth:
        return v.truth ? Truth::True : Truth::False;
    case Value::Kind::NoTraffic:
        return Truth::NoTraffic;
    case Value::Kind::NoData:
    case Value::Kind::Number:
        break;
    }
    return Truth::Unknown;
}

} // namespace rwd::rules
