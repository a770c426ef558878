#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

// The abstract syntax tree of Rewind's rule language (grammar in docs/rules.md). Built once by
// the parser, checked and resolved by the compiler, then only ever walked by the evaluator:
// no text is ever executed as code.
namespace rwd::rules {

// What a numeric value measures; comparing a ratio with a duration is a load-time error.
enum class Dimension
{
    Scalar, // a plain number, compatible with every other dimension
    Ratio,  // a fraction: 5% is 0.05
    Time,   // seconds: 500ms is 0.5
    Bool,   // the result of a comparison or a logical operator
};

[[nodiscard]] QString dimensionName(Dimension d);

struct Span
{
    qsizetype offset = 0; // characters from the start of the expression
    qsizetype length = 0;
};

struct Node
{
    enum class Kind
    {
        Number,   // a literal, possibly with a unit (5%, 2s, 0.8)
        Boolean,  // true / false
        Duration, // a literal with a time unit in a position where a window is expected
        Ref,      // a name: a check (health) or a field of one (health.latency)
        Call,     // name(arguments)
        Unary,    // not x, -x
        Binary,   // x op y
    };
    enum class Op
    {
        None,
        Neg,
        Not,
        Add,
        Sub,
        Mul,
        Div,
        Lt,
        Le,
        Gt,
        Ge,
        Eq,
        Ne,
        And,
        Or
    };

    Kind kind = Kind::Number;
    Span span;
    double number = 0; // Number, Duration (seconds), Boolean (0/1)
    Dimension dimension =
        Dimension::Scalar;                 // of a Number literal; set for all nodes by the compiler
    bool hasTimeUnit = false;              // the literal was written with ms/s/m/h/d
    QStringList path;                      // Ref: the dotted name; Call: the function name
    Op op = Op::None;                      // Unary, Binary
    QList<std::shared_ptr<Node>> children; // Unary: 1, Binary: 2, Call: its arguments
    int query = -1;                        // Call: index of its metric query (compiler)
    int comparison = -1; // Binary <, <=, >, >=, ==, !=: index into Expression::comparisons()
};

using NodePtr = std::shared_ptr<Node>;

[[nodiscard]] QString opText(Node::Op op);

} // namespace rwd::rules
