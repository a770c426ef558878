// The rule language: what parses, what is rejected (and where), and how conditions evaluate,
// including "not enough data".
#include "rules/expression.h"
#include "rules/parser.h"

#include <QHash>
#include <QTest>

using namespace rwd::rules;

namespace {

// Answers queries from a table keyed by "aggregate:check.field:window"; missing keys have no data.
class TableSource final : public MetricSource
{
public:
    QHash<QString, double> values;

    static QString key(const MetricQuery &q)
    {
        return QStringLiteral("%1:%2.%3:%4:%5")
            .arg(int(q.aggregate))
            .arg(q.check, q.field)
            .arg(q.windowMs)
            .arg(q.quantile);
    }
    std::optional<double> query(const MetricQuery &q, qint64) const override
    {
        const auto it = values.constFind(key(q));
        return it == values.cend() ? std::nullopt : std::optional(*it);
    }
};

const Scope kScope{
    {QStringLiteral("health"), QStringLiteral("traffic"), QStringLiteral("db-conn")}};

Expression compiled(const QString &text)
{
    auto result = Expression::compile(text, kScope);
    if (auto *errors = std::get_if<QList<CompileError>>(&result))
        qFatal("expected '%s' to compile: %s", qPrintable(text),
               qPrintable(errors->first().message));
    return std::get<Expression>(std::move(result));
}

} // namespace

class TestRuleLanguage : public QObject
{
    Q_OBJECT

private slots:
    void acceptsTheDocumentedForms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("queries");
        QTest::newRow("error rate") << "error_rate(traffic, 1m) > 5%" << 1;
        QTest::newRow("latency percentile") << "p95(traffic.latency, 5m) > 2s" << 1;
        QTest::newRow("consecutive") << "consecutive_failures(health) >= 3" << 1;
        QTest::newRow("logic and arithmetic")
            << "not (value(traffic) < 0.8 * value(health)) or count(health, 30s) == 0" << 3;
        QTest::newRow("dashes in names") << "value(db-conn) > 0.8 * 100" << 1;
        QTest::newRow("units") << "p99(traffic.latency, 1h) <= 500ms and 1.5e2 > 1" << 1;
        QTest::newRow("booleans") << "true and not false" << 0;
        QTest::newRow("nesting") << "((((value(health) > 1))))" << 1;
        QTest::newRow("unary minus") << "-value(health) < -2" << 1;
        QTest::newRow("latency shorthand") << "latency(health) > 250ms" << 1;
    }
    void acceptsTheDocumentedForms()
    {
        QFETCH(QString, text);
        QFETCH(int, queries);
        const auto e = compiled(text);
        QCOMPARE(e.queries().size(), queries);
    }

    void resolvesQueries()
    {
        const auto e = compiled(QStringLiteral("p95(traffic.latency, 5m) > 2s"));
        const auto &q = e.queries().first();
        QCOMPARE(q.check, QStringLiteral("traffic"));
        QCOMPARE(q.field, QStringLiteral("latency"));
        QCOMPARE(q.aggregate, Aggregate::Quantile);
        QCOMPARE(q.quantile, 0.95);
        QCOMPARE(q.windowMs, qint64(300'000));
    }

    void rejectsWithOffsetAndReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("offset");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << "" << 0 << "the expression is empty";
        QTest::newRow("dangling operator")
            << "value(health) >" << 15 << "expected a value, found the end of the expression";
        QTest::newRow("unknown function") << "avg(health, 1m) > 1" << 0
                                          << "unknown function 'avg' (known: error_rate, "
                                             "success_rate, count, failures, consecutive_failures, "
                                             "consecutive_successes, value, mean, min, max, p50, "
                                             "p90, p95, p99, latency)";
        QTest::newRow("unknown check") << "error_rate(helth, 1m) > 5%" << 11
                                       << "unknown check 'helth' (checks of this service: health, "
                                          "traffic, db-conn)";
        QTest::newRow("unknown field") << "p95(health.latncy, 1m) > 1s" << 11
                                       << "unknown field 'latncy' (fields: latency, value, status)";
        QTest::newRow("window not a duration") << "error_rate(health, 5) > 5%" << 19
                                               << "the second argument of error_rate() must be a "
                                                  "window such as 30s, 5m or 1h";
        QTest::newRow("arity") << "error_rate(health) > 1" << 0
                               << "error_rate() takes 2 arguments (error_rate(check, window)), "
                                  "found 1";
        QTest::newRow("dimension mismatch") << "error_rate(health, 1m) > 2s" << 25
                                            << "cannot compare a ratio ('error_rate(health, 1m)') "
                                               "with a duration ('2s')";
        QTest::newRow("not a condition") << "value(health) + 1" << 0
                                         << "a rule condition must be true or false, e.g. "
                                            "'error_rate(health, 1m) > 5%', but this is a number";
        QTest::newRow("chained comparison") << "1 < value(health) < 3" << 18
                                            << "comparisons cannot be chained; join them with "
                                               "'and'";
        QTest::newRow("c-style and") << "true && false" << 5 << "use 'and' instead of '&&'";
        QTest::newRow("single equals")
            << "value(health) = 1" << 14 << "use '==' to compare for equality";
        QTest::newRow("unknown unit")
            << "latency(health) > 5min" << 19 << "unknown unit 'min' (use %, ms, s, m, h or d)";
        QTest::newRow("bare name") << "health > 1" << 0
                                   << "'health' cannot be used on its own; use it inside a "
                                      "function such as value(health) or error_rate(health, 1m)";
        QTest::newRow("field given to a check function")
            << "error_rate(health.latency, 1m) > 1%" << 11
            << "error_rate() takes a check, not a field; write error_rate(health, …)";
        QTest::newRow("unclosed paren") << "(value(health) > 1" << 18
                                        << "expected ')' to close the '(' at column 1, found the "
                                           "end of the expression";
        QTest::newRow("and on numbers") << "value(health) and true" << 0
                                        << "'and' needs conditions on both sides, but "
                                           "'value(health)' is a number";
        QTest::newRow("stray character")
            << "value(health) > 1 $" << 18 << "unexpected character '$'";
    }
    void rejectsWithOffsetAndReason()
    {
        QFETCH(QString, text);
        QFETCH(int, offset);
        QFETCH(QString, message);
        auto result = Expression::compile(text, kScope);
        const auto *errors = std::get_if<QList<CompileError>>(&result);
        QVERIFY2(errors, "expected a compile error");
        QCOMPARE(errors->first().message, message);
        QCOMPARE(errors->first().offset, qsizetype(offset));
    }

    void refusesDeepNesting()
    {
        const QString text = QString(200, u'(') + QStringLiteral("1") + QString(200, u')');
        const auto parsed = parseExpression(text);
        QVERIFY(std::holds_alternative<SyntaxError>(parsed));
        QCOMPARE(std::get<SyntaxError>(parsed).message,
                 QStringLiteral("the expression is nested too deeply"));
    }

    void evaluatesWithThreeValuedLogic()
    {
        TableSource source;
        const auto errorRate = compiled(QStringLiteral("error_rate(traffic, 1m) > 5%"));
        QCOMPARE(errorRate.evaluate(source, 0),
                 Truth::Unknown); // no samples: not healthy, not failing
        source.values.insert(TableSource::key(errorRate.queries().first()), 0.2);
        QCOMPARE(errorRate.evaluate(source, 0), Truth::True);
        source.values.insert(TableSource::key(errorRate.queries().first()), 0.05);
        QCOMPARE(errorRate.evaluate(source, 0), Truth::False); // 5% is not above 5%

        // A known false decides an 'and', a known true decides an 'or', whatever is missing.
        const auto both =
            compiled(QStringLiteral("error_rate(traffic, 1m) > 5% and value(health) > 1"));
        QCOMPARE(both.evaluate(source, 0), Truth::False);
        const auto either =
            compiled(QStringLiteral("error_rate(traffic, 1m) > 1% or value(health) > 1"));
        QCOMPARE(either.evaluate(source, 0), Truth::True);
        const auto unknown =
            compiled(QStringLiteral("error_rate(traffic, 1m) > 10% or value(health) > 1"));
        QCOMPARE(unknown.evaluate(source, 0), Truth::Unknown);
        const auto negated = compiled(QStringLiteral("not (value(health) > 1)"));
        QCOMPARE(negated.evaluate(source, 0), Truth::Unknown);
    }

    void evaluatesArithmeticAndUnits()
    {
        TableSource source;
        const auto e = compiled(QStringLiteral("value(traffic) < 0.8 * value(health) and "
                                               "p95(traffic.latency, 5m) > 1500ms"));
        source.values.insert(TableSource::key(e.queries().at(0)), 70);
        source.values.insert(TableSource::key(e.queries().at(1)), 100);
        source.values.insert(TableSource::key(e.queries().at(2)), 1.6); // seconds
        QCOMPARE(e.evaluate(source, 0), Truth::True);
        source.values.insert(TableSource::key(e.queries().at(2)), 1.4);
        QCOMPARE(e.evaluate(source, 0), Truth::False);
        // Division by zero has no value rather than infinity.
        const auto div = compiled(QStringLiteral("value(traffic) / value(health) > 1"));
        source.values.insert(TableSource::key(div.queries().at(1)), 0);
        QCOMPARE(div.evaluate(source, 0), Truth::Unknown);
    }

    void recordsTheValuesThatDecided()
    {
        TableSource source;
        const auto e =
            compiled(QStringLiteral("error_rate(traffic, 1m) > 5% and count(traffic, 1m) >= 10"));
        source.values.insert(TableSource::key(e.queries().at(0)), 0.25);
        source.values.insert(TableSource::key(e.queries().at(1)), 40);
        QJsonObject values;
        QCOMPARE(e.evaluate(source, 0, &values), Truth::True);
        QCOMPARE(values.value(QLatin1String("error_rate(traffic, 1m)")).toDouble(), 0.25);
        QCOMPARE(values.value(QLatin1String("count(traffic, 1m)")).toDouble(), 40.0);
    }
};

QTEST_GUILESS_MAIN(TestRuleLanguage)
#include "tst_rulelanguage.moc"
