// The rule language: what parses, what is rejected (and where), and how conditions evaluate,
// including "not enough data".
#include "rules/expression.h"
#include "rules/parser.h"

#include <QHash>
#include <QTest>

#include <cmath>

using namespace rwd::rules;

namespace {

// Answers queries from a table keyed by the query; missing keys have no data, NaN means "no
// traffic".
class TableSource final : public MetricSource
{
public:
    QHash<QString, double> values;

    static QString key(const MetricQuery &q)
    {
        return QStringLiteral("%1:%2.%3:%4.%5:%6:%7")
            .arg(int(q.aggregate))
            .arg(q.check, q.field, q.check2, q.field2)
            .arg(q.windowMs)
            .arg(q.quantile);
    }
    QueryResult query(const MetricQuery &q, qint64) const override
    {
        const auto it = values.constFind(key(q));
        if (it == values.cend())
            return QueryResult::noData();
        return std::isnan(*it) ? QueryResult::noTraffic() : QueryResult::of(*it);
    }
};

Scope makeScope()
{
    Scope scope;
    const FieldInfo latency{QStringLiteral("latency"), Dimension::Time, false, false};
    scope.checks.insert(QStringLiteral("health"),
                        {{latency, {QStringLiteral("status"), Dimension::Scalar, false, false}},
                         QStringLiteral("latency")});
    scope.checks.insert(QStringLiteral("traffic"),
                        {{latency,
                          {QStringLiteral("requests"), Dimension::Scalar, true, false},
                          {QStringLiteral("errors"), Dimension::Scalar, true, false},
                          {QStringLiteral("duration"), Dimension::Time, true, true}},
                         QStringLiteral("requests")});
    scope.checks.insert(QStringLiteral("db-conn"),
                        {{latency, {QStringLiteral("value"), Dimension::Ratio, false, false}},
                         QStringLiteral("value")});
    scope.order = {QStringLiteral("health"), QStringLiteral("traffic"), QStringLiteral("db-conn")};
    return scope;
}

const Scope kScope = makeScope();

Expression compiled(const QString &text)
{
    auto result = Expression::compile(text, kScope);
    if (!result)
        qFatal("expected '%s' to compile: %s", qPrintable(text),
               qPrintable(result.error().first().message));
    return *std::move(result);
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
        QTest::newRow("histogram percentile") << "p99(traffic.duration, 5m) > 2s" << 1;
        QTest::newRow("counter ratio") << "ratio(traffic.errors, traffic.requests, 1m) > 5%" << 1;
        QTest::newRow("rate against a baseline")
            << "rate(traffic.requests, 5m) < 0.7 * baseline(traffic.requests, 1h)" << 2;
        QTest::newRow("sequential test")
            << "error_cusum(traffic.errors, traffic.requests, 0.5%, 5%) > 20" << 1;
        QTest::newRow("canary") << "canary(traffic, health, 10m) < 75" << 1;
        QTest::newRow("rolling baseline")
            << "mean(traffic.requests, 15m) < 0.85 * prior(traffic.requests, 1h, 15m)" << 2;
        QTest::newRow("ratio field") << "value(db-conn) > 80%" << 1;
        QTest::newRow("consecutive") << "consecutive_failures(health) >= 3" << 1;
        QTest::newRow("logic and arithmetic")
            << "not (value(traffic) < 0.8 * value(health.status)) or count(health, 30s) == 0" << 3;
        QTest::newRow("dashes in names") << "value(db-conn) > 0.8 * 90%" << 1;
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
        // A check named without a field means its default field.
        const auto byDefault = compiled(QStringLiteral("mean(db-conn, 1m) > 50%"));
        QCOMPARE(byDefault.queries().first().field, QStringLiteral("value"));
        const auto cusum =
            compiled(QStringLiteral("error_cusum(traffic.errors, traffic.requests, 1%, 5%) > 20"));
        QCOMPARE(cusum.queries().first().field2, QStringLiteral("requests"));
        QCOMPARE(cusum.queries().first().p0, 0.01);
        QCOMPARE(cusum.queries().first().p1, 0.05);
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
                                             "consecutive_successes, latency, value, mean, min, "
                                             "max, sum, p50, p90, p95, p99, rate, ratio, baseline, "
                                             "prior, error_cusum, canary)";
        QTest::newRow("unknown check") << "error_rate(helth, 1m) > 5%" << 11
                                       << "unknown check 'helth' (checks of this service: health, "
                                          "traffic, db-conn)";
        QTest::newRow("unknown field") << "p95(health.latncy, 1m) > 1s" << 11
                                       << "unknown field 'latncy' of check 'health' (fields: "
                                          "latency, status)";
        QTest::newRow("ratio of gauges") << "ratio(health.status, health.latency, 1m) > 1%" << 0
                                         << "ratio() needs counter fields (such as a scrape "
                                            "check's counters); 'health.status' is not one";
        QTest::newRow("ratio across checks")
            << "ratio(traffic.errors, health.status, 1m) > 1%" << 22
            << "ratio() compares two fields of the same check; 'health.status' is not a field of "
               "'traffic'";
        QTest::newRow("cusum rates out of order")
            << "error_cusum(traffic.errors, traffic.requests, 5%, 1%) > 20" << 50
            << "error_cusum() detects a rise from the third argument (the acceptable error rate) "
               "to the fourth, which must be larger";
        QTest::newRow("cusum rate not a ratio")
            << "error_cusum(traffic.errors, traffic.requests, 2, 5%) > 20" << 46
            << "the third argument of error_cusum() must be an error rate between 0 and 100%, "
               "such as 1%";
        QTest::newRow("canary against itself")
            << "canary(traffic, traffic, 5m) > 1" << 16 << "canary() compares two different checks";
        QTest::newRow("ratio compared with duration")
            << "value(db-conn) > 2s" << 17
            << "cannot compare a ratio ('value(db-conn)') with a duration ('2s')";
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
                                            "'error_rate(health, 1m) > 5%', but this is a duration";
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
                                           "'value(health)' is a duration";
        QTest::newRow("stray character")
            << "value(health) > 1 $" << 18 << "unexpected character '$'";
    }
    void rejectsWithOffsetAndReason()
    {
        QFETCH(QString, text);
        QFETCH(int, offset);
        QFETCH(QString, message);
        auto result = Expression::compile(text, kScope);
        QVERIFY2(!result, "expected a compile error");
        QCOMPARE(result.error().first().message, message);
        QCOMPARE(result.error().first().offset, qsizetype(offset));
    }

    void refusesDeepNesting()
    {
        const QString text = QString(200, u'(') + QStringLiteral("1") + QString(200, u')');
        const auto parsed = parseExpression(text);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().message, QStringLiteral("the expression is nested too deeply"));
    }

    void evaluatesWithThreeValuedLogic()
    {
        TableSource source;
        const auto errorRate = compiled(QStringLiteral("error_rate(traffic, 1m) > 5%"));
        QCOMPARE(errorRate.evaluate(source, 0),
                 Truth::Unknown); // no samples: not healthy, not failing
        source.values.insert(TableSource::key(errorRate.queries().first()), 0.2);
        QCOMPARE(errorRate.evaluate(source, 0), Truth::True);
        // No traffic is its own outcome, distinct from no data.
        const auto ratio =
            compiled(QStringLiteral("ratio(traffic.errors, traffic.requests, 1m) > 5%"));
        QCOMPARE(ratio.evaluate(source, 0), Truth::Unknown);
        source.values.insert(TableSource::key(ratio.queries().first()), std::nan(""));
        QCOMPARE(ratio.evaluate(source, 0), Truth::NoTraffic);
        const auto mixed = compiled(QStringLiteral(
            "ratio(traffic.errors, traffic.requests, 1m) > 5% or value(health) > 1"));
        QCOMPARE(mixed.evaluate(source, 0), Truth::Unknown); // missing data dominates
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
        const auto e = compiled(QStringLiteral("value(traffic) < 0.8 * value(health.status) and "
                                               "p95(traffic.latency, 5m) > 1500ms"));
        source.values.insert(TableSource::key(e.queries().at(0)), 70);
        source.values.insert(TableSource::key(e.queries().at(1)), 100);
        source.values.insert(TableSource::key(e.queries().at(2)), 1.6); // seconds
        QCOMPARE(e.evaluate(source, 0), Truth::True);
        source.values.insert(TableSource::key(e.queries().at(2)), 1.4);
        QCOMPARE(e.evaluate(source, 0), Truth::False);
        // Division by zero has no value rather than infinity.
        const auto div = compiled(QStringLiteral("value(traffic) / value(health.status) > 1"));
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
