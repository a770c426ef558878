#include "parser.h"

#include "common/duration.h"

#include <cmath>

namespace rwd::rules {

QString dimensionName(Dimension d)
{
    switch (d) {
    case Dimension::Scalar:
        return QStringLiteral("number");
    case Dimension::Ratio:
        return QStringLiteral("ratio");
    case Dimension::Time:
        return QStringLiteral("duration");
    case Dimension::Bool:
        return QStringLiteral("condition");
    }
    return {};
}

QString opText(Node::Op op)
{
    switch (op) {
    case Node::Op::None:
        return {};
    case Node::Op::Neg:
    case Node::Op::Sub:
        return QStringLiteral("-");
    case Node::Op::Not:
        return QStringLiteral("not");
    case Node::Op::Add:
        return QStringLiteral("+");
    case Node::Op::Mul:
        return QStringLiteral("*");
    case Node::Op::Div:
        return QStringLiteral("/");
    case Node::Op::Lt:
        return QStringLiteral("<");
    case Node::Op::Le:
        return QStringLiteral("<=");
    case Node::Op::Gt:
        return QStringLiteral(">");
    case Node::Op::Ge:
        return QStringLiteral(">=");
    case Node::Op::Eq:
        return QStringLiteral("==");
    case Node::Op::Ne:
        return QStringLiteral("!=");
    case Node::Op::And:
        return QStringLiteral("and");
    case Node::Op::Or:
        return QStringLiteral("or");
    }
    return {};
}

namespace {

struct Token
{
    enum class Type
    {
        End,
        Number,
        Ident,
        Punct,
        Keyword
    };
    Type type = Type::End;
    qsizetype offset = 0;
    qsizetype length = 0;
    QString text;
    double number = 0;
    Dimension dimension = Dimension::Scalar;
    bool timeUnit = false;
};

struct Failure
{
    SyntaxError error;
};

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == u'_';
}
bool isIdentPart(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-';
}

class Lexer
{
public:
    explicit Lexer(const QString &text)
        : m_text(text)
    {}

    Token next()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
        Token t;
        t.offset = m_pos;
        if (m_pos >= m_text.size())
            return t;
        const QChar c = m_text.at(m_pos);
        if (c.isDigit() ||
            (c == u'.' && m_pos + 1 < m_text.size() && m_text.at(m_pos + 1).isDigit()))
            return number();
        if (isIdentStart(c)) {
            const qsizetype start = m_pos;
            while (m_pos < m_text.size() && isIdentPart(m_text.at(m_pos)))
                ++m_pos;
            // A trailing '-' belongs to the expression, not to the name ("a- 1").
            while (m_pos > start + 1 && m_text.at(m_pos - 1) == u'-')
                --m_pos;
            t.text = m_text.mid(start, m_pos - start);
            t.length = m_pos - start;
            static const QStringList keywords{QStringLiteral("and"), QStringLiteral("or"),
                                              QStringLiteral("not"), QStringLiteral("true"),
                                              QStringLiteral("false")};
            t.type = keywords.contains(t.text) ? Token::Type::Keyword : Token::Type::Ident;
            return t;
        }
        static const QStringList two{QStringLiteral("<="), QStringLiteral(">="),
                                     QStringLiteral("=="), QStringLiteral("!=")};
        const QString pair = m_text.mid(m_pos, 2);
        if (two.contains(pair)) {
            m_pos += 2;
            t.type = Token::Type::Punct;
            t.text = pair;
            t.length = 2;
            return t;
        }
        if (pair == u"&&" || pair == u"||")
            throw Failure{
                {m_pos,
                 QStringLiteral("use '%1' instead of '%2'")
                     .arg(pair == u"&&" ? QStringLiteral("and") : QStringLiteral("or"), pair)}};
        if (QStringLiteral("()+-*/<>,.").contains(c)) {
            ++m_pos;
            t.type = Token::Type::Punct;
            t.text = c;
            t.length = 1;
            return t;
        }
        if (c == u'=')
            throw Failure{{m_pos, QStringLiteral("use '==' to compare for equality")}};
        if (c == u'!')
            throw Failure{{m_pos, QStringLiteral("use 'not' to negate a condition")}};
        throw Failure{{m_pos, QStringLiteral("unexpected character '%1'").arg(c)}};
    }

private:
    Token number()
    {
        Token t;
        t.type = Token::Type::Number;
        t.offset = m_pos;
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
            ++m_pos;
        if (m_pos < m_text.size() && m_text.at(m_pos) == u'.') {
            ++m_pos;
            while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
                ++m_pos;
        }
        if (m_pos + 1 < m_text.size() && (m_text.at(m_pos) == u'e' || m_text.at(m_pos) == u'E')) {
            qsizetype p = m_pos + 1;
            if (m_text.at(p) == u'+' || m_text.at(p) == u'-')
                ++p;
            if (p < m_text.size() && m_text.at(p).isDigit()) {
                m_pos = p;
                while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
                    ++m_pos;
            }
        }
        bool ok = false;
        double value = m_text.mid(start, m_pos - start).toDouble(&ok);
        if (!ok || !std::isfinite(value))
            throw Failure{
                {start,
                 QStringLiteral("invalid number '%1'").arg(m_text.mid(start, m_pos - start))}};
        if (m_pos < m_text.size() && m_text.at(m_pos) == u'%') {
            ++m_pos;
            value /= 100.0;
            t.dimension = Dimension::Ratio;
        } else if (m_pos < m_text.size() && m_text.at(m_pos).isLetter()) {
            const qsizetype unitStart = m_pos;
            while (m_pos < m_text.size() && m_text.at(m_pos).isLetter())
                ++m_pos;
            const auto unit = m_text.mid(unitStart, m_pos - unitStart);
            const auto ms = durationUnitMs(unit);
            if (!ms)
                throw Failure{{unitStart, QStringLiteral("unknown unit '%1' (use %, ms, s, m, h "
                                                         "or d)")
                                              .arg(unit)}};
            value = value * double(*ms) / 1000.0;
            t.dimension = Dimension::Time;
            t.timeUnit = true;
        }
        if (m_pos < m_text.size() && (isIdentPart(m_text.at(m_pos)) || m_text.at(m_pos) == u'.'))
            throw Failure{
                {m_pos, QStringLiteral("unexpected '%1' after a number").arg(m_text.at(m_pos))}};
        t.number = value;
        t.length = m_pos - start;
        t.text = m_text.mid(start, t.length);
        return t;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
};

class Parser
{
public:
    explicit Parser(const QString &text)
        : m_lexer(text)
    {
        advance();
    }

    NodePtr parse()
    {
        if (m_token.type == Token::Type::End)
            throw Failure{{0, QStringLiteral("the expression is empty")}};
        auto node = orExpr();
        if (m_token.type != Token::Type::End)
            throw Failure{{m_token.offset, QStringLiteral("unexpected '%1' after a complete "
                                                          "expression")
                                               .arg(m_token.text)}};
        return node;
    }

private:
    static constexpr int kMaxDepth = 64;

    void advance() { m_token = m_lexer.next(); }

    bool isPunct(const char *p) const
    {
        return m_token.type == Token::Type::Punct && m_token.text == QLatin1String(p);
    }
    bool isKeyword(const char *k) const
    {
        return m_token.type == Token::Type::Keyword && m_token.text == QLatin1String(k);
    }

    void expect(const char *p, const QString &what)
    {
        if (!isPunct(p))
            throw Failure{{m_token.offset,
                           QStringLiteral("expected %1, found %2").arg(what, describe(m_token))}};
        advance();
    }

    static QString describe(const Token &t)
    {
        if (t.type == Token::Type::End)
            return QStringLiteral("the end of the expression");
        return QStringLiteral("'%1'").arg(t.text);
    }

    struct DepthGuard
    {
        explicit DepthGuard(Parser &p)
            : parser(p)
        {
            if (++parser.m_depth > kMaxDepth)
                throw Failure{
                    {parser.m_token.offset, QStringLiteral("the expression is nested too deeply")}};
        }
        ~DepthGuard() { --parser.m_depth; }
        Parser &parser;
    };

    static NodePtr binary(Node::Op op, NodePtr lhs, NodePtr rhs)
    {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::Binary;
        n->op = op;
        n->span = {lhs->span.offset, rhs->span.offset + rhs->span.length - lhs->span.offset};
        n->children = {std::move(lhs), std::move(rhs)};
        return n;
    }

    NodePtr orExpr()
    {
        DepthGuard guard(*this);
        auto lhs = andExpr();
        while (isKeyword("or")) {
            advance();
            lhs = binary(Node::Op::Or, lhs, andExpr());
        }
        return lhs;
    }

    NodePtr andExpr()
    {
        auto lhs = notExpr();
        while (isKeyword("and")) {
            advance();
            lhs = binary(Node::Op::And, lhs, notExpr());
        }
        return lhs;
    }

    NodePtr notExpr()
    {
        DepthGuard guard(*this);
        if (isKeyword("not")) {
            const auto start = m_token.offset;
            advance();
            auto operand = notExpr();
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::Unary;
            n->op = Node::Op::Not;
            n->span = {start, operand->span.offset + operand->span.length - start};
            n->children = {std::move(operand)};
            return n;
        }
        return comparison();
    }

    NodePtr comparison()
    {
        auto lhs = additive();
        const auto op = comparisonOp();
        if (op == Node::Op::None)
            return lhs;
        advance();
        auto result = binary(op, lhs, additive());
        if (comparisonOp() != Node::Op::None)
            throw Failure{{m_token.offset, QStringLiteral("comparisons cannot be chained; join "
                                                          "them with 'and'")}};
        return result;
    }

    Node::Op comparisonOp() const
    {
        if (m_token.type != Token::Type::Punct)
            return Node::Op::None;
        const auto &t = m_token.text;
        if (t == u"<")
            return Node::Op::Lt;
        if (t == u"<=")
            return Node::Op::Le;
        if (t == u">")
            return Node::Op::Gt;
        if (t == u">=")
            return Node::Op::Ge;
        if (t == u"==")
            return Node::Op::Eq;
        if (t == u"!=")
            return Node::Op::Ne;
        return Node::Op::None;
    }

    NodePtr additive()
    {
        auto lhs = term();
        while (isPunct("+") || isPunct("-")) {
            const auto op = isPunct("+") ? Node::Op::Add : Node::Op::Sub;
            advance();
            lhs = binary(op, lhs, term());
        }
        return lhs;
    }

    NodePtr term()
    {
        auto lhs = unary();
        while (isPunct("*") || isPunct("/")) {
            const auto op = isPunct("*") ? Node::Op::Mul : Node::Op::Div;
            advance();
            lhs = binary(op, lhs, unary());
        }
        return lhs;
    }

    NodePtr unary()
    {
        DepthGuard guard(*this);
        if (isPunct("-")) {
            const auto start = m_token.offset;
            advance();
            auto operand = unary();
            auto n = std::make_shared<Node>();
            n->kind = Node::Kind::Unary;
            n->op = Node::Op::Neg;
            n->span = {start, operand->span.offset + operand->span.length - start};
            n->children = {std::move(operand)};
            return n;
        }
        return primary();
    }

    NodePtr primary()
    {
        auto n = std::make_shared<Node>();
        n->span = {m_token.offset, m_token.length};
        switch (m_token.type) {
        case Token::Type::Number:
            n->kind = Node::Kind::Number;
            n->number = m_token.number;
            n->dimension = m_token.dimension;
            n->hasTimeUnit = m_token.timeUnit;
            advance();
            return n;
        case Token::Type::Keyword:
            if (isKeyword("true") || isKeyword("false")) {
                n->kind = Node::Kind::Boolean;
                n->number = isKeyword("true") ? 1 : 0;
                n->dimension = Dimension::Bool;
                advance();
                return n;
            }
            throw Failure{
                {m_token.offset, QStringLiteral("expected a value, found '%1'").arg(m_token.text)}};
        case Token::Type::Ident:
            return nameOrCall();
        case Token::Type::Punct:
            if (isPunct("(")) {
                const auto start = m_token.offset;
                advance();
                auto inner = orExpr();
                const auto end = m_token.offset + m_token.length;
                expect(")", QStringLiteral("')' to close the '(' at column %1").arg(start + 1));
                inner->span = {start, end - start};
                return inner;
            }
            break;
        case Token::Type::End:
            break;
        }
        throw Failure{
            {m_token.offset, QStringLiteral("expected a value, found %1").arg(describe(m_token))}};
    }

    NodePtr nameOrCall()
    {
        auto n = std::make_shared<Node>();
        const auto start = m_token.offset;
        n->path.append(m_token.text);
        qsizetype end = m_token.offset + m_token.length;
        advance();
        if (isPunct("(")) {
            n->kind = Node::Kind::Call;
            advance();
            if (!isPunct(")")) {
                while (true) {
                    n->children.append(orExpr());
                    if (isPunct(",")) {
                        advance();
                        continue;
                    }
                    break;
                }
            }
            end = m_token.offset + m_token.length;
            expect(")", QStringLiteral("',' or ')' in the arguments of %1()").arg(n->path.first()));
            n->span = {start, end - start};
            return n;
        }
        n->kind = Node::Kind::Ref;
        while (isPunct(".")) {
            advance();
            if (m_token.type != Token::Type::Ident)
                throw Failure{{m_token.offset, QStringLiteral("expected a field name after '.', "
                                                              "found %1")
                                                   .arg(describe(m_token))}};
            n->path.append(m_token.text);
            end = m_token.offset + m_token.length;
            advance();
        }
        n->span = {start, end - start};
        return n;
    }

    Lexer m_lexer;
    Token m_token;
    int m_depth = 0;
};

} // namespace

Result<NodePtr, SyntaxError> parseExpression(const QString &text)
{
    try {
        Parser parser(text);
        return parser.parse();
    } catch (const Failure &f) {
        return f.error;
    }
}

} // namespace rwd::rules
