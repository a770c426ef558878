// The Prometheus text-format parser behind `type: scrape` (what it reads, where it says an input
// is wrong, that no input crashes or stalls it), and the arithmetic that turns successive
// scrapes into fields: counter rates across resets and appearing series, histogram
// distributions, aggregation and label matching.
#include "config/confignode.h"
#include "monitor/checks/prometheus/prometheuscheck.h"
#include "monitor/checks/scrape/exposition.h"
#include "monitor/checks/scrape/scrapecheck.h"
#include "monitor/checks/scrape/selector.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>

using namespace rwd;
using namespace rwd::monitor;

namespace {

// `name{a="1",b="2"} value` for every series, in order; labels as parsed (sorted, unescaped).
QStringList render(const exposition::Exposition &e)
{
    QStringList out;
    for (const auto &s : e.series) {
        QStringList labels;
        for (const auto &[name, value] : s.labels)
            labels.append(QStringLiteral("%1=%2").arg(name, value));
        out.append(QStringLiteral("%1{%2} %3")
                       .arg(s.name, labels.join(u','),
                            QString::number(s.value, 'g', QLocale::FloatingPointShortest)));
    }
    return out;
}

exposition::Exposition scrape(const QByteArray &text)
{
    auto r = exposition::parse(text);
    if (!r.ok())
        qFatal("test input does not parse: %s", qPrintable(r.error->toString()));
    return r.exposition;
}

MetricSelector selector(MetricSelector::Kind kind, const QString &metric,
                        MetricSelector::Aggregate aggregate = MetricSelector::Aggregate::Sum,
                        const QList<QPair<QString, QString>> &labels = {})
{
    MetricSelector s;
    s.field = QStringLiteral("f");
    s.kind = kind;
    s.metric = metric;
    s.aggregate = aggregate;
    for (const auto &[name, spec] : labels) {
        const auto matcher = MetricSelector::LabelMatcher::parse(name, spec);
        if (!matcher)
            qFatal("bad matcher in test: %s", qPrintable(matcher.error().message));
        s.labels.append(*matcher);
    }
    return s;
}

constexpr qint64 kT0 = 1'700'000'000'000;

} // namespace

class TestExposition : public QObject
{
    Q_OBJECT

private slots:
    // ---- the parser ----

    void readsTheFleetsMetrics()
    {
        QFile file(QStringLiteral(REWIND_SOURCE_DIR "/fuzz/corpus/scrape/fleet_instance.prom"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto r = exposition::parse(file.readAll());
        QVERIFY2(r.ok(), qPrintable(r.error ? r.error->toString() : QString()));
        const auto &e = r.exposition;
        // 2 request counters, 2 histograms of 12 buckets + sum + count, 2 gauges.
        QCOMPARE(e.series.size(), 2 + 2 * 14 + 2);
        QCOMPARE(e.types.value(QStringLiteral("fleet_http_requests_total")),
                 exposition::MetricType::Counter);
        QCOMPARE(e.types.value(QStringLiteral("fleet_http_request_duration_seconds")),
                 exposition::MetricType::Histogram);
        QCOMPARE(e.types.value(QStringLiteral("fleet_instance_up")), exposition::MetricType::Gauge);
        QCOMPARE(e.types.size(), 4);
        const auto lines = render(e);
        QCOMPARE(lines.first(), QStringLiteral("fleet_http_requests_total{code=200,colour=blue,"
                                               "path=/,service=api,version=v1.0} 196"));
        QVERIFY(lines.contains(QStringLiteral("fleet_http_request_duration_seconds_bucket{"
                                              "colour=blue,le=+Inf,path=/,service=api} 204")));
        QCOMPARE(lines.last(), QStringLiteral("fleet_instance_up{colour=blue,service=api} 1"));
    }

    void readsValidSeries_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        const auto one = [](const char *s) { return QStringList{QString::fromUtf8(s)}; };
        QTest::newRow("plain") << QByteArray("up 1\n") << one("up{} 1");
        QTest::newRow("no final newline") << QByteArray("up 1") << one("up{} 1");
        QTest::newRow("labels sorted")
            << QByteArray("x{b=\"2\",a=\"1\"} 3\n") << one("x{a=1,b=2} 3");
        QTest::newRow("escapes") << QByteArray(
                                        "x{p=\"C:\\\\dir\",q=\"say \\\"hi\\\"\",n=\"a\\nb\"} 1")
                                 << one("x{n=a\nb,p=C:\\dir,q=say \"hi\"} 1");
        QTest::newRow("utf-8 value") << QByteArray("x{v=\"café ☕\"} 1") << one("x{v=café ☕} 1");
        QTest::newRow("empty value dropped")
            << QByteArray("x{a=\"\",b=\"1\"} 1") << one("x{b=1} 1");
        QTest::newRow("empty braces") << QByteArray("x{} 2") << one("x{} 2");
        QTest::newRow("trailing comma") << QByteArray("x{a=\"1\",} 2") << one("x{a=1} 2");
        QTest::newRow("spaces everywhere")
            << QByteArray("  x { a = \"1\" , b=\"2\" }\t 5 \t 1700000000000 \t")
            << one("x{a=1,b=2} 5");
        QTest::newRow("no space after braces") << QByteArray("x{a=\"1\"}7") << one("x{a=1} 7");
        QTest::newRow("colons in names") << QByteArray("job:rate:5m 2") << one("job:rate:5m{} 2");
        QTest::newRow("exponent") << QByteArray("x 1.5e+3") << one("x{} 1500");
        QTest::newRow("negative exponent") << QByteArray("x -1.25E-2") << one("x{} -0.0125");
        QTest::newRow("leading dot") << QByteArray("x .5") << one("x{} 0.5");
        QTest::newRow("leading plus") << QByteArray("x +7") << one("x{} 7");
        QTest::newRow("underflow is zero") << QByteArray("x 1e-400") << one("x{} 0");
        QTest::newRow("+Inf") << QByteArray("x +Inf") << one("x{} inf");
        QTest::newRow("-Inf") << QByteArray("x -Inf") << one("x{} -inf");
        QTest::newRow("Inf any case")
            << QByteArray("x inf\ny +infinity")
            << QStringList{QStringLiteral("x{} inf"), QStringLiteral("y{} inf")};
        QTest::newRow("negative timestamp") << QByteArray("x 1 -5") << one("x{} 1");
        QTest::newRow("crlf and blank lines")
            << QByteArray("\r\n# TYPE x gauge\r\nx{a=\"1\"} 1\r\n\r\n   \r\nx{a=\"2\"} 2\r\n")
            << QStringList{QStringLiteral("x{a=1} 1"), QStringLiteral("x{a=2} 2")};
        QTest::newRow("comments")
            << QByteArray("# just a comment\n#\n# HELP\n# TYPE\n# HELP x Doc with \\n and \\\\.\n"
                          "  # indented comment\nx 1\n")
            << one("x{} 1");
        QTest::newRow("nothing") << QByteArray() << QStringList{};
    }

    void readsValidSeries()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        const auto r = exposition::parse(text);
        QVERIFY2(r.ok(), qPrintable(r.error ? r.error->toString() : QString()));
        QCOMPARE(render(r.exposition), expected);
    }

    void readsNaN()
    {
        const auto r = exposition::parse("x NaN\ny nan\n");
        QVERIFY(r.ok());
        QCOMPARE(r.exposition.series.size(), 2);
        QVERIFY(std::isnan(r.exposition.series.at(0).value));
        QVERIFY(std::isnan(r.exposition.series.at(1).value));
        // Go's ParseFloat, which Prometheus uses, takes no sign on NaN.
        QVERIFY(!exposition::parseNumber("+NaN"));
        QVERIFY(!exposition::parseNumber("1e"));
        QVERIFY(!exposition::parseNumber("."));
        QVERIFY(!exposition::parseNumber("1_000"));
        QCOMPARE(*exposition::parseNumber("0.25"), 0.25);
    }

    void keepsTheTypeOfEachFamily()
    {
        const auto r = exposition::parse("# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n"
                                         "# TYPE d summary\n# TYPE e untyped\n# HELP f help\n");
        QVERIFY(r.ok());
        using T = exposition::MetricType;
        const QHash<QString, T> expected{{QStringLiteral("a"), T::Counter},
                                         {QStringLiteral("b"), T::Gauge},
                                         {QStringLiteral("c"), T::Histogram},
                                         {QStringLiteral("d"), T::Summary},
                                         {QStringLiteral("e"), T::Untyped}};
        QCOMPARE(r.exposition.types, expected);
    }

    void rejectsMalformedInput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const QByteArray &text, const char *error) {
            QTest::newRow(name) << text << QString::fromUtf8(error);
        };
        row("unclosed label value", "x{a=\"b} 1",
            "1:10: the value of label 'a' is not closed: expected '\"', found the end of the line");
        row("duplicate label", "x{a=\"b\",a=\"c\"} 1", "1:9: label 'a' appears twice");
        row("unknown escape", "x{a=\"\\t\"} 1",
            "1:6: invalid escape in the value of label 'a' (only \\\\, \\\" and \\n are allowed)");
        row("bad name on line 2", "x 1\n9x 2",
            "2:1: expected a metric name, a comment or an empty line, found '9'");
        row("columns count characters", "x{a=\"é\",b=1} 1",
            "1:11: expected '\"' to start the value of label 'b', found '1'");
        row("after the timestamp", "x 1 2 3", "1:7: unexpected '3' after the timestamp");
        row("hex value", "x 0x10",
            "1:3: invalid value '0x10' (expected a number, NaN, +Inf or -Inf)");
        row("overflow", "x 1e999", "1:3: the value '1e999' is out of range");
        row("fractional timestamp", "x 1 1.5",
            "1:5: invalid timestamp '1.5' (expected whole milliseconds since the epoch)");
        row("timestamp overflow", "x 1 99999999999999999999",
            "1:5: invalid timestamp '99999999999999999999' (expected whole milliseconds since the "
            "epoch)");
        row("no value", "x", "1:2: expected a value, found the end of the line");
        row("no value after labels", "x{a=\"1\"}  ",
            "1:11: expected a value, found the end of the line");
        row("dash in name", "x-y 1",
            "1:2: expected '{' or a space after the metric name, found '-'");
        row("missing comma", "x{a=\"b\" c=\"d\"} 1",
            "1:9: expected ',' or '}' after the value of label 'a', found 'c'");
        row("missing equals", "x{a} 1", "1:4: expected '=' after label name 'a', found '}'");
        row("unquoted value", "x{a=b} 1",
            "1:5: expected '\"' to start the value of label 'a', found 'b'");
        row("bad label name", "x{1a=\"b\"} 1", "1:3: expected a label name or '}', found '1'");
        row("unclosed braces", "x{a=\"b\"",
            "1:8: expected ',' or '}' after the value of label 'a', found the end of the line");
        row("unknown type", "# TYPE x wat",
            "1:10: unknown metric type 'wat' (expected counter, gauge, histogram, summary or "
            "untyped)");
        row("type missing", "# TYPE x",
            "1:9: expected a metric type after 'x', found the end of "
            "the line");
        row("second type", "# TYPE x counter\n# TYPE x gauge",
            "2:8: second TYPE line for metric 'x'");
        row("after the type", "# TYPE x counter y", "1:18: unexpected 'y' after the metric type");
        row("bad name in TYPE", "# TYPE 1x counter",
            "1:8: expected a metric name after TYPE, found '1'");
        row("bad name in HELP", "# HELP x-y text", "1:9: unexpected '-' after the metric name 'x'");
        row("control character", "x\x01 1",
            "1:2: expected '{' or a space after the metric name, found the byte 0x01");
        row("invalid utf-8", "\xff 1",
            "1:1: expected a metric name, a comment or an empty line, found the byte 0xff");
        row("crlf line numbers", "a 1\r\nb 2\r\nc{ 3\r\n",
            "3:4: expected a label name or '}', found '3'");
    }

    void rejectsMalformedInput()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const auto r = exposition::parse(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.error->toString(), error);
        QVERIFY(r.exposition.series.isEmpty());
    }

    void enforcesItsLimits()
    {
        const auto big = exposition::parse(QByteArray(2 * 1024 * 1024, ' '), {1024 * 1024, 10});
        QVERIFY(!big.ok());
        QCOMPARE(big.error->toString(),
                 QStringLiteral("the input is 2 MiB, more than the limit of 1 MiB"));
        QByteArray many;
        for (int i = 0; i < 11; ++i)
            many += "x{i=\"" + QByteArray::number(i) + "\"} 1\n";
        const auto tooMany = exposition::parse(many, {1024, 10});
        QVERIFY(!tooMany.ok());
        QCOMPARE(tooMany.error->toString(), QStringLiteral("11:1: more than 10 series"));
        QVERIFY(exposition::parse(many, {1024, 11}).ok());
        // The default limit is 16 MiB.
        QCOMPARE(exposition::Limits{}.maxBytes, qsizetype(16 * 1024 * 1024));
    }

    void keepsOnlyWhatTheFilterWants()
    {
        const QByteArray text = "a 1\nb{x=\"1\"} 2\nc 3\n";
        const auto r = exposition::parse(text, {}, [](QByteArrayView n) { return n != "b"; });
        QVERIFY(r.ok());
        QCOMPARE(render(r.exposition),
                 (QStringList{QStringLiteral("a{} 1"), QStringLiteral("c{} 3")}));
        // Series that are not kept are still checked.
        const auto bad = exposition::parse("a 1\nb{x=\"1\",x=\"2\"} 2\n", {},
                                           [](QByteArrayView n) { return n == "a"; });
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error->toString(), QStringLiteral("2:9: label 'x' appears twice"));
    }

    // Inputs shaped to make a naive parser quadratic or recursive; each must finish quickly.
    void staysLinearOnHostileInput()
    {
        QElapsedTimer timer;
        timer.start();
        QByteArray labels = "x{";
        for (int i = 0; i < 200'000; ++i)
            labels += "l" + QByteArray::number(i) + "=\"v\",";
        labels += "l0=\"v\"} 1\n";
        const auto duplicate = exposition::parse(labels);
        QVERIFY(!duplicate.ok());
        QVERIFY(duplicate.error->message.contains(QLatin1String("label 'l0' appears twice")));
        QVERIFY(!exposition::parse(QByteArray(4 * 1024 * 1024, '{')).ok());
        QVERIFY(!exposition::parse("x{a=\"" + QByteArray(4 * 1024 * 1024, '\\')).ok());
        QVERIFY(exposition::parse(QByteArray(4 * 1024 * 1024, '\n')).ok());
        QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
    }

    // A quick in-process cousin of fuzz/fuzz_scrape.cpp: mutated real input never crashes and
    // every error has a position.
    void survivesMutatedInput()
    {
        QFile file(QStringLiteral(REWIND_SOURCE_DIR "/fuzz/corpus/scrape/fleet_instance.prom"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray seed = file.readAll();
        QRandomGenerator random(20240601);
        const char alphabet[] = "{}=\",\\ \t\n\r#0123456789.eE+-aNIf_:\x80\xff";
        int failures = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray text = seed;
            const int edits = 1 + int(random.bounded(8));
            for (int e = 0; e < edits; ++e) {
                const auto at = qsizetype(random.bounded(quint32(text.size())));
                const char c = alphabet[random.bounded(quint32(sizeof(alphabet) - 1))];
                switch (random.bounded(3)) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(at, c);
                    break;
                default:
                    text.remove(at, 1 + qsizetype(random.bounded(20)));
                    break;
                }
            }
            const auto r = exposition::parse(text);
            if (!r.ok()) {
                ++failures;
                QVERIFY(r.error->line > 0);
                QVERIFY(r.error->column > 0);
                QVERIFY(!r.error->message.isEmpty());
            }
        }
        QVERIFY(failures > 0);
    }

    // ---- label matchers ----

    void matchesLabelsLikePromQL()
    {
        const auto series = scrape("x{code=\"500\",path=\"/\"} 1\n").series.first();
        const auto check = [&](const char *label, const char *spec) {
            const auto m = MetricSelector::LabelMatcher::parse(QString::fromLatin1(label),
                                                               QString::fromUtf8(spec));
            if (!m)
                qFatal("%s", qPrintable(m.error().message));
            return m->matches(series);
        };
        QVERIFY(check("code", "500"));
        QVERIFY(!check("code", "200"));
        QVERIFY(check("code", "!=200"));
        QVERIFY(!check("code", "!=500"));
        QVERIFY(check("code", "~5.."));
        QVERIFY(!check("code", "~5")); // the whole value must match
        QVERIFY(check("code", "!~2.."));
        QVERIFY(!check("code", "!~5.."));
        QVERIFY(check("code", "=500"));
        // A missing label is the empty string.
        QVERIFY(check("method", "!=GET"));
        QVERIFY(check("method", ""));
        QVERIFY(!check("method", "~.+"));

        const auto invalid =
            MetricSelector::LabelMatcher::parse(QStringLiteral("code"), QStringLiteral("~5(."));
        QVERIFY(!invalid);
        QCOMPARE(invalid.error().message,
                 QStringLiteral("'5(.' is not a valid regular expression: missing closing "
                                "parenthesis at offset 3"));
        const auto shown =
            MetricSelector::LabelMatcher::parse(QStringLiteral("q"), QStringLiteral("!~a\"b"));
        QCOMPARE(shown->toString(), QStringLiteral("q!~\"a\\\"b\""));
    }

    // ---- gauges ----

    void gaugesAggregateCurrentValues_data()
    {
        QTest::addColumn<int>("aggregate");
        QTest::addColumn<double>("expected");
        QTest::newRow("sum") << int(MetricSelector::Aggregate::Sum) << 6.0;
        QTest::newRow("max") << int(MetricSelector::Aggregate::Max) << 4.0;
        QTest::newRow("min") << int(MetricSelector::Aggregate::Min) << 0.5;
        QTest::newRow("avg") << int(MetricSelector::Aggregate::Avg) << 2.0;
    }

    void gaugesAggregateCurrentValues()
    {
        QFETCH(int, aggregate);
        QFETCH(double, expected);
        MetricTracker tracker(selector(MetricSelector::Kind::Gauge, QStringLiteral("g"),
                                       MetricSelector::Aggregate(aggregate),
                                       {{QStringLiteral("skip"), QStringLiteral("!=yes")}}));
        const auto e = scrape("g{i=\"1\"} 1.5\ng{i=\"2\"} 4\ng{i=\"3\"} 0.5\ng{i=\"4\"} NaN\n"
                              "g{i=\"5\",skip=\"yes\"} 100\nother 7\n");
        const auto r = tracker.update(e, kT0);
        QCOMPARE(r.matched, 4); // the NaN series matches but has no value to add
        QVERIFY(r.field);
        QCOMPARE(r.field->name, QStringLiteral("f"));
        QCOMPARE(r.field->value, expected);
        QCOMPARE(r.field->increment, 0.0);
    }

    void gaugeWithoutMatchesMeasuresNothing()
    {
        MetricTracker tracker(selector(MetricSelector::Kind::Gauge, QStringLiteral("g")));
        const auto none = tracker.update(scrape("other 1\n"), kT0);
        QCOMPARE(none.matched, 0);
        QVERIFY(!none.field);
        const auto onlyNaN = tracker.update(scrape("g NaN\n"), kT0 + 1000);
        QCOMPARE(onlyNaN.matched, 1);
        QVERIFY(!onlyNaN.field);
    }

    // ---- counters ----

    void countersBecomeRatesAcrossResetsAndNewSeries()
    {
        MetricTracker tracker(selector(MetricSelector::Kind::Counter, QStringLiteral("c_total")));
        // The first scrape only sets the baseline.
        auto r = tracker.update(scrape("c_total{code=\"200\"} 100\n"), kT0);
        QCOMPARE(r.matched, 1);
        QVERIFY(!r.field);

        // 200 grew by 50; 500 is new since the last scrape, so all of its 5 are new.
        r = tracker.update(scrape("c_total{code=\"200\"} 150\nc_total{code=\"500\"} 5\n"),
                           kT0 + 10'000);
        QCOMPARE(r.matched, 2);
        QVERIFY(r.field);
        QCOMPARE(r.field->increment, 55.0);
        QCOMPARE(r.field->value, 5.5);
        QCOMPARE(r.field->seconds, 10.0);

        // 200 was reset (restart): it counts from zero.
        r = tracker.update(scrape("c_total{code=\"200\"} 20\nc_total{code=\"500\"} 5\n"),
                           kT0 + 20'000);
        QCOMPARE(r.field->increment, 20.0);
        QCOMPARE(r.field->value, 2.0);

        // 200 is missing for one scrape…
        r = tracker.update(scrape("c_total{code=\"500\"} 8\n"), kT0 + 30'000);
        QCOMPARE(r.field->increment, 3.0);
        // …and when it comes back it continues from where it was, not from zero.
        r = tracker.update(scrape("c_total{code=\"200\"} 30\nc_total{code=\"500\"} 8\n"),
                           kT0 + 40'000);
        QCOMPARE(r.field->increment, 10.0);
        QCOMPARE(r.field->value, 1.0);
        QCOMPARE(r.field->seconds, 10.0);

        // A scrape at the same moment measures nothing and does not move the baseline.
        r = tracker.update(scrape("c_total{code=\"200\"} 35\nc_total{code=\"500\"} 8\n"),
                           kT0 + 40'000);
        QVERIFY(!r.field);
        r = tracker.update(scrape("c_total{code=\"200\"} 40\nc_total{code=\"500\"} 8\n"),
                           kT0 + 50'000);
        QCOMPARE(r.field->increment, 10.0);
        QCOMPARE(r.field->seconds, 10.0);
    }

    void counterSelectorThatMatchedNothingCountsTheFirstSeriesFully()
    {
        MetricTracker tracker(selector(MetricSelector::Kind::Counter, QStringLiteral("c_total"),
                                       MetricSelector::Aggregate::Sum,
                                       {{QStringLiteral("code"), QStringLiteral("~5..")}}));
        auto r = tracker.update(scrape("c_total{code=\"200\"} 100\n"), kT0);
        QCOMPARE(r.matched, 0);
        QVERIFY(!r.field); // the first scrape only sets the baseline
        // Nothing matched: the counter has counted nothing — an increase of zero, not no data.
        r = tracker.update(scrape("c_total{code=\"200\"} 150\n"), kT0 + 1000);
        QCOMPARE(r.matched, 0);
        QVERIFY(r.field);
        QCOMPARE(r.field->increment, 0.0);
        QCOMPARE(r.field->value, 0.0);
        QCOMPARE(r.field->seconds, 1.0);
        r = tracker.update(scrape("c_total{code=\"200\"} 190\nc_total{code=\"503\"} 4\n"),
                           kT0 + 2000);
        QCOMPARE(r.matched, 1);
        QCOMPARE(r.field->increment, 4.0);
        QCOMPARE(r.field->value, 4.0);
    }

    void countersAggregateBeforeTakingTheDifference_data()
    {
        QTest::addColumn<int>("aggregate");
        QTest::addColumn<double>("increase");
        // Before: a=10, b=20, c=50. After: a=20, b=40, c=3 (reset, so before counts as 0).
        QTest::newRow("sum") << int(MetricSelector::Aggregate::Sum) << (63.0 - 30.0);
        QTest::newRow("max") << int(MetricSelector::Aggregate::Max) << (40.0 - 20.0);
        QTest::newRow("min") << int(MetricSelector::Aggregate::Min) << (3.0 - 0.0);
        QTest::newRow("avg") << int(MetricSelector::Aggregate::Avg) << (21.0 - 10.0);
    }

    void countersAggregateBeforeTakingTheDifference()
    {
        QFETCH(int, aggregate);
        QFETCH(double, increase);
        MetricTracker tracker(selector(MetricSelector::Kind::Counter, QStringLiteral("c"),
                                       MetricSelector::Aggregate(aggregate)));
        (void)tracker.update(scrape("c{s=\"a\"} 10\nc{s=\"b\"} 20\nc{s=\"c\"} 50\n"), kT0);
        const auto r =
            tracker.update(scrape("c{s=\"a\"} 20\nc{s=\"b\"} 40\nc{s=\"c\"} 3\n"), kT0 + 2000);
        QVERIFY(r.field);
        QCOMPARE(r.field->increment, increase);
        QCOMPARE(r.field->value, increase / 2);
    }

    // ---- histograms ----

    void histogramsGiveTheObservationsOfEachInterval()
    {
        MetricTracker tracker(selector(MetricSelector::Kind::Histogram, QStringLiteral("h")));
        const auto at = [](double b1, double b2, double inf, double sum) {
            return "h_bucket{le=\"0.1\"} " + QByteArray::number(b1) + "\nh_bucket{le=\"0.5\"} " +
                   QByteArray::number(b2) + "\nh_bucket{le=\"+Inf\"} " + QByteArray::number(inf) +
                   "\nh_sum " + QByteArray::number(sum) + "\nh_count " + QByteArray::number(inf) +
                   "\n";
        };
        auto r = tracker.update(scrape(at(1, 3, 4, 2.0)), kT0);
        QCOMPARE(r.matched, 3);
        QVERIFY(!r.field);

        // +2 in (0, 0.1], +3 in (0.1, 0.5], +1 above 0.5; the sum grew by 2.4.
        r = tracker.update(scrape(at(3, 8, 10, 4.4)), kT0 + 1000);
        QVERIFY(r.field);
        using Pairs = std::vector<std::pair<double, double>>;
        QCOMPARE(r.field->distribution, (Pairs{{0.05, 2}, {0.3, 3}, {0.5, 1}}));
        QCOMPARE(r.field->increment, 6.0);
        QVERIFY(qFuzzyCompare(r.field->value, 0.4));
        QCOMPARE(r.field->seconds, 1.0);

        // A reset: everything now is new.
        r = tracker.update(scrape(at(1, 1, 2, 0.3)), kT0 + 2000);
        QCOMPARE(r.field->distribution, (Pairs{{0.05, 1}, {0.5, 1}}));
        QCOMPARE(r.field->increment, 2.0);
        QVERIFY(qFuzzyCompare(r.field->value, 0.15));

        // No new observations: a point saying so (no traffic), with no distribution.
        r = tracker.update(scrape(at(1, 1, 2, 0.3)), kT0 + 3000);
        QCOMPARE(r.matched, 3);
        QVERIFY(r.field);
        QCOMPARE(r.field->increment, 0.0);
        QVERIFY(r.field->distribution.empty());
    }

    void histogramsSumTheirMatchingSeries()
    {
        MetricTracker tracker(selector(MetricSelector::Kind::Histogram, QStringLiteral("h"),
                                       MetricSelector::Aggregate::Sum,
                                       {{QStringLiteral("path"), QStringLiteral("!=/health")}}));
        const auto series = [](const char *path, double b1, double inf, double sum) {
            const QByteArray l = "path=\"" + QByteArray(path) + "\"";
            return "h_bucket{" + l + ",le=\"1\"} " + QByteArray::number(b1) + "\nh_bucket{" + l +
                   ",le=\"+Inf\"} " + QByteArray::number(inf) + "\nh_sum{" + l + "} " +
                   QByteArray::number(sum) + "\nh_count{" + l + "} " + QByteArray::number(inf) +
                   "\n";
        };
        (void)tracker.update(scrape(series("/a", 1, 1, 0.5) + series("/health", 9, 9, 1)), kT0);
        // /a: +2 below 1s, +1 above (sum +4.5); /b appears with 1 observation below 1s (sum 0.5);
        // /health is not selected.
        const auto r = tracker.update(
            scrape(series("/a", 3, 4, 5) + series("/b", 1, 1, 0.5) + series("/health", 99, 99, 50)),
            kT0 + 1000);
        QVERIFY(r.field);
        using Pairs = std::vector<std::pair<double, double>>;
        QCOMPARE(r.field->distribution, (Pairs{{0.5, 3}, {1, 1}}));
        QCOMPARE(r.field->increment, 4.0);
        QCOMPARE(r.field->value, 5.0 / 4.0);
        double weights = 0;
        for (const auto &[value, weight] : r.field->distribution)
            weights += weight;
        QCOMPARE(weights, r.field->increment);
    }

    // ---- options ----

    void readsScrapeOptions()
    {
        const QByteArray yaml(R"(
url: http://127.0.0.1:9/metrics
headers: {Authorization: Bearer x}
metrics:
  errors: {counter: http_requests_total, labels: {code: "~5.."}}
  in_flight: {gauge: in_flight, aggregate: max, dimension: ratio}
  duration: {histogram: http_request_duration_seconds}
)");
        config::Diagnostics diagnostics;
        config::MapReader r(config::ConfigNode::parse(yaml, QStringLiteral("t.yaml"), diagnostics)
                                .value_or(config::ConfigNode{}),
                            diagnostics, QStringLiteral("check 'm'"));
        config::CheckConfig common;
        common.timeoutMs = 1234;
        auto check = ScrapeCheck::create(r, common, {});
        r.finish();
        QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.format()));
        QVERIFY(check);
        QCOMPARE(check->defaultField(), QStringLiteral("errors"));
        const auto fields = check->fields();
        QCOMPARE(fields.size(), 3);
        QCOMPARE(fields.at(0).name, QStringLiteral("errors"));
        QCOMPARE(fields.at(0).dimension, rules::Dimension::Scalar);
        QVERIFY(fields.at(0).counter);
        QVERIFY(!fields.at(0).distribution);
        QCOMPARE(fields.at(1).dimension, rules::Dimension::Ratio);
        QVERIFY(!fields.at(1).counter);
        QCOMPARE(fields.at(2).dimension, rules::Dimension::Time);
        QVERIFY(fields.at(2).counter);
        QVERIFY(fields.at(2).distribution);
        const auto &o = static_cast<ScrapeCheck &>(*check).options();
        QCOMPARE(o.timeoutMs, qint64(1234));
        QCOMPARE(o.metrics.at(0).toString(),
                 QStringLiteral("counter http_requests_total{code=~\"5..\"}"));
        QCOMPARE(o.metrics.at(1).aggregate, MetricSelector::Aggregate::Max);
        QCOMPARE(o.metrics.at(2).seriesNames(),
                 (QStringList{QStringLiteral("http_request_duration_seconds_bucket"),
                              QStringLiteral("http_request_duration_seconds_sum"),
                              QStringLiteral("http_request_duration_seconds_count")}));
        QCOMPARE(o.headers.size(), 1);
    }

    void encodesPromQLInTheQueryUrl()
    {
        const QByteArray yaml("url: http://127.0.0.1:9090/prometheus/\n"
                              "query: 'sum(rate(x{code=~\"5..\"}[1m])) + 1 & 2'\n"
                              "reduce: first\ndimension: ratio\n");
        config::Diagnostics diagnostics;
        config::MapReader r(config::ConfigNode::parse(yaml, QStringLiteral("t.yaml"), diagnostics)
                                .value_or(config::ConfigNode{}),
                            diagnostics, QStringLiteral("check 'q'"));
        auto check = PrometheusCheck::create(r, {}, {});
        r.finish();
        QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.format()));
        const auto &prometheus = static_cast<PrometheusCheck &>(*check);
        QCOMPARE(prometheus.queryUrl().toEncoded(),
                 QByteArray("http://127.0.0.1:9090/prometheus/api/v1/query?query=sum%28rate%28x%"
                            "7Bcode%3D~%225..%22%7D%5B1m%5D%29%29%20%2B%201%20%26%202"));
        QCOMPARE(prometheus.options().reduce, PrometheusCheck::Reduce::First);
        QCOMPARE(check->defaultField(), QStringLiteral("value"));
        QCOMPARE(check->fields().size(), 1);
        QCOMPARE(check->fields().first().dimension, rules::Dimension::Ratio);
    }
};

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
