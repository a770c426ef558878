// `type: scrape` against a real rewind-fleet instance's /metrics under load, with faults
// injected through the fleet's control API; `type: prometheus` against a real Prometheus server
// scraping that fleet; failures that must not crash (nothing listening, silence, garbage, huge
// answers); and configuration errors of both types with their file:line:col.
#include "common/clock.h"
#include "config/configloader.h"
#include "daemon/catalog.h"
#include "fleetprocess.h"
#include "http/client.h"
#include "httptestserver.h"
#include "monitor/check.h"
#include "peers.h"
#include "probes.h"
#include "processes.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>
#include <optional>
#include <sys/prctl.h>

using namespace rwd;
using testing::CannedHttpServer;
using testing::closedPort;
using testing::probeOnce;

namespace {

const QString kPrometheusBinary = QStringLiteral("/usr/bin/prometheus");

// In a test of the Prometheus check: Prometheus is installed (a missing peer fails, peers.h) and
// the one the test case started is running (its log says why not).
#define REQUIRE_PROMETHEUS()                                                                       \
    do {                                                                                           \
        REWIND_REQUIRE_PEER(QFileInfo(kPrometheusBinary).isExecutable(),                           \
                            "Prometheus (Debian package prometheus)");                             \
        QVERIFY2(m_prometheus.state() == QProcess::Running, qPrintable(prometheusLog()));          \
    } while (false)

// Probes every `intervalMs`, as the scheduler does (a probe still running skips its slot),
// until `count` samples are in.
QList<monitor::Sample> probeEvery(monitor::Check &check, int intervalMs, int count)
{
    QList<monitor::Sample> samples;
    bool running = false;
    const auto start = [&] {
        if (running || samples.size() >= count)
            return;
        running = true;
        check.probe([&](const monitor::Sample &s) {
            samples.append(s);
            running = false;
        });
    };
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(intervalMs);
    QObject::connect(&timer, &QTimer::timeout, start);
    start();
    timer.start();
    drill::waitUntil([&] { return samples.size() >= count; }, intervalMs * count + 15'000);
    timer.stop();
    check.cancel();
    return samples;
}

// An answer of Prometheus' HTTP API (JSON), for servers that imitate a broken one.
QByteArray httpAnswer(const QByteArray &body, const QByteArray &status = "200 OK")
{
    return testing::httpResponse(body, status,
                                 "Content-Type: application/json\r\nConnection: close\r\n");
}

double weightOf(const monitor::FieldValue &field)
{
    double sum = 0;
    for (const auto &[value, weight] : field.distribution)
        sum += weight;
    return sum;
}

} // namespace

class TestScrapeCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    http::Client m_http;
    const daemon::Registries m_registries{};
    testing::FleetProcess m_fleet{m_dir.path()};
    QString m_version;
    QString m_blue;  // address of the live instance, which receives the load
    QString m_green; // the idle one
    QProcess m_prometheus;
    QString m_prometheusUrl;

    [[nodiscard]] monitor::CheckRuntime runtime() { return {&m_http, &m_clock}; }

    // Builds a check from the YAML of its map, the way the daemon reads one.
    std::unique_ptr<monitor::Check> build(const QString &type, const QString &options,
                                          qint64 timeoutMs = 3000)
    {
        config::Diagnostics diagnostics;
        const auto node = config::ConfigNode::parse(
                              QStringLiteral("name: c\ntype: %1\n%2").arg(type, options).toUtf8(),
                              QStringLiteral("test.yaml"), diagnostics)
                              .value_or(config::ConfigNode{});
        config::MapReader reader(node, diagnostics, QStringLiteral("check 'c'"));
        (void)reader.value(QStringLiteral("name"));
        (void)reader.value(QStringLiteral("type"));
        config::CheckConfig common;
        common.name = QStringLiteral("c");
        common.type = type;
        common.timeoutMs = timeoutMs;
        common.node = node;
        const auto *make = m_registries.checks.factory(type);
        if (!make)
            return nullptr;
        auto check = (*make)(reader, common, runtime());
        reader.finish();
        if (diagnostics.hasErrors()) {
            qWarning().noquote() << diagnostics.format();
            return nullptr;
        }
        return check;
    }

    std::unique_ptr<monitor::Check> scrapeOf(const QString &address, const QString &metrics)
    {
        return build(QStringLiteral("scrape"),
                     QStringLiteral("url: http://%1/metrics\nmetrics:\n%2").arg(address, metrics));
    }

    std::unique_ptr<monitor::Check> queryOf(const QString &query, const QString &reduce = {})
    {
        QString options = QStringLiteral("url: %1\nquery: '%2'\n").arg(m_prometheusUrl, query);
        if (!reduce.isEmpty())
            options += QStringLiteral("reduce: %1\n").arg(reduce);
        return build(QStringLiteral("prometheus"), options);
    }

    // A request to the fleet's control API; true on 200.
    bool control(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return m_fleet.call(method, path, body) == 200;
    }

    bool setFault(const QJsonObject &fault)
    {
        return control("PUT", QStringLiteral("/services/api/versions/%1/fault").arg(m_version),
                       fault);
    }
    bool clearFault()
    {
        return control("DELETE", QStringLiteral("/services/api/versions/%1/fault").arg(m_version));
    }

    // Starts Prometheus scraping both fleet instances every second. It warms up while the
    // scrape tests run.
    void startPrometheus()
    {
        const auto port = closedPort();
        m_prometheusUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                                    "scrape_configs:\n"
                                    "  - job_name: fleet\n"
                                    "    static_configs:\n"
                                    "      - targets: ['%1', '%2']\n")
                         .arg(m_blue, m_green)
                         .toUtf8());
        config.close();
        m_prometheus.setProgram(kPrometheusBinary);
        m_prometheus.setArguments(
            {QStringLiteral("--config.file=") + config.fileName(),
             QStringLiteral("--storage.tsdb.path=") + m_dir.filePath(QStringLiteral("tsdb")),
             QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port)});
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.setStandardOutputFile(m_dir.filePath(QStringLiteral("prometheus.log")));
        // Should this test crash, the kernel stops Prometheus instead of leaving it running.
        m_prometheus.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_prometheus.start();
        QVERIFY2(m_prometheus.waitForStarted(10'000), qPrintable(m_prometheus.errorString()));
    }

    QString prometheusLog() const
    {
        QFile log(m_dir.filePath(QStringLiteral("prometheus.log")));
        return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll().right(2000))
                                             : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // One service, so the load (and nothing else: no dependent service calls it) reaches
        // the live instance at exactly the configured rate.
        REWIND_VERIFY_OK(m_fleet.start({QStringLiteral("--service"), QStringLiteral("api"),
                                        QStringLiteral("--load-rps"), QStringLiteral("50")}));
        const auto api = m_fleet.service(QStringLiteral("api"));
        const auto instances = api.value(QLatin1String("instances")).toObject();
        const auto live = api.value(QLatin1String("live")).toString();
        QCOMPARE(live, QStringLiteral("blue"));
        const auto blue = instances.value(QLatin1String("blue")).toObject();
        m_blue = blue.value(QLatin1String("address")).toString();
        m_version = blue.value(QLatin1String("version")).toString();
        m_green = instances.value(QLatin1String("green"))
                      .toObject()
                      .value(QLatin1String("address"))
                      .toString();
        QVERIFY(!m_blue.isEmpty() && !m_green.isEmpty() && !m_version.isEmpty());
        // The request counter exists once the first request has been answered.
        auto loaded = scrapeOf(m_blue, QStringLiteral("  requests: {counter: "
                                                      "fleet_http_requests_total}\n"));
        QVERIFY(loaded);
        QVERIFY(drill::waitUntil(
            [&] {
                const auto o = probeOnce(*loaded);
                return o.sample && o.sample->ok;
            },
            10'000));
        if (QFileInfo(kPrometheusBinary).isExecutable())
            startPrometheus();
    }

    void cleanupTestCase()
    {
        if (m_prometheus.state() != QProcess::NotRunning) {
            const auto pid = m_prometheus.processId();
            ::kill(pid_t(pid), SIGTERM);
            if (!drill::waitUntil([&] { return m_prometheus.state() == QProcess::NotRunning; },
                                  10'000))
                m_prometheus.kill();
            drill::waitUntil([&] { return m_prometheus.state() == QProcess::NotRunning; }, 5000);
        }
        QCOMPARE(m_fleet.stop(), 0);
    }

    // ---- scrape ----

    void counterRateFollowsTheLoad()
    {
        auto check = scrapeOf(m_blue, QStringLiteral("  requests: {counter: "
                                                     "fleet_http_requests_total, labels: "
                                                     "{path: /}}\n"
                                                     "  up: {gauge: fleet_instance_up}\n"));
        QVERIFY(check);
        QCOMPARE(check->defaultField(), QStringLiteral("requests"));
        const auto specs = monitor::allFields(*check);
        QCOMPARE(specs.size(), 3);
        QCOMPARE(specs.at(1).name, QStringLiteral("requests"));
        QVERIFY(specs.at(1).counter);
        QCOMPARE(specs.at(1).dimension, rules::Dimension::Scalar);
        QVERIFY(!specs.at(2).counter);

        const auto samples = probeEvery(*check, 1000, 4);
        QCOMPARE(samples.size(), 4);
        for (const auto &s : samples) {
            QVERIFY2(s.ok, qPrintable(s.error));
            QCOMPARE(s.status, 200);
            QVERIFY(s.field(QStringLiteral("up")));
            QCOMPARE(s.field(QStringLiteral("up"))->value, 1.0);
        }
        // A rate needs a previous scrape.
        QVERIFY(!samples.first().field(QStringLiteral("requests")));
        double increase = 0;
        for (qsizetype i = 1; i < samples.size(); ++i) {
            const auto *requests = samples.at(i).field(QStringLiteral("requests"));
            QVERIFY(requests);
            const double seconds = double(samples.at(i).timeMs - samples.at(i - 1).timeMs) / 1000;
            QCOMPARE(requests->seconds, seconds);
            QVERIFY(qAbs(requests->value * seconds - requests->increment) < 1e-6);
            QVERIFY2(requests->value > 25 && requests->value < 75,
                     qPrintable(QString::number(requests->value)));
            increase += requests->increment;
        }
        const double rate =
            increase / (double(samples.last().timeMs - samples.first().timeMs) / 1000);
        QVERIFY2(rate > 35 && rate < 65, qPrintable(QStringLiteral("%1 requests/s").arg(rate)));
    }

    void errorSelectorSeesInjectedErrors()
    {
        auto check =
            scrapeOf(m_blue, QStringLiteral("  errors: {counter: fleet_http_requests_total, "
                                            "labels: {path: /, code: \"~5..\"}}\n"
                                            "  good: {counter: fleet_http_requests_total, "
                                            "labels: {path: /, code: \"!~5..\"}}\n"
                                            "  requests: {counter: fleet_http_requests_total, "
                                            "labels: {path: /, version: \"%1\"}}\n")
                                 .arg(m_version));
        QVERIFY(check);
        // No errors yet: the errors counter matches nothing, which is a count of zero — the probe
        // passes, and the next one measures an increase of 0.
        const auto before = probeOnce(*check);
        QVERIFY(before.sample);
        QCOMPARE(before.calls, 1);
        QVERIFY(!before.synchronous);
        QVERIFY2(before.sample->ok, qPrintable(before.sample->error));
        // Two scrapes within the same millisecond cannot make a rate; let the clock move on.
        QTRY_VERIFY(m_clock.nowMs() > before.sample->timeMs);
        const auto second = probeOnce(*check);
        QVERIFY(second.sample && second.sample->ok);
        QVERIFY(second.sample->field(QStringLiteral("errors")));
        QCOMPARE(second.sample->field(QStringLiteral("errors"))->increment, 0.0);

        QVERIFY(setFault({{"error_rate", 0.5}}));
        const auto samples = probeEvery(*check, 1000, 4);
        QVERIFY(clearFault());
        QCOMPARE(samples.size(), 4);
        double errors = 0;
        double good = 0;
        double requests = 0;
        // The first probe may come before the first error; the others see errors.
        for (qsizetype i = 1; i < samples.size(); ++i) {
            const auto &s = samples.at(i);
            QVERIFY2(s.ok, qPrintable(s.error));
            const auto *errorField = s.field(QStringLiteral("errors"));
            const auto *goodField = s.field(QStringLiteral("good"));
            const auto *requestField = s.field(QStringLiteral("requests"));
            QVERIFY(errorField && goodField && requestField);
            QVERIFY(errorField->value > 0);
            errors += errorField->increment;
            good += goodField->increment;
            requests += requestField->increment;
        }
        // Every request is either an error or not.
        QCOMPARE(errors + good, requests);
        QVERIFY2(errors / requests > 0.3 && errors / requests < 0.7,
                 qPrintable(QStringLiteral("%1 errors in %2 requests").arg(errors).arg(requests)));
    }

    void histogramReflectsInjectedLatency()
    {
        auto check = scrapeOf(m_blue, QStringLiteral("  duration: {histogram: "
                                                     "fleet_http_request_duration_seconds, "
                                                     "labels: {path: /}}\n"));
        QVERIFY(check);
        const auto spec = check->fields().first();
        QCOMPARE(spec.dimension, rules::Dimension::Time);
        QVERIFY(spec.counter);
        QVERIFY(spec.distribution);

        QVERIFY(setFault({{"latency_ms", 200}}));
        const auto samples = probeEvery(*check, 1000, 4);
        QVERIFY(clearFault());
        QCOMPARE(samples.size(), 4);
        QVERIFY(!samples.first().field(QStringLiteral("duration")));
        // The second probe may still count a request that was answered before the fault; the
        // later ones only see slow requests.
        for (qsizetype i = 2; i < samples.size(); ++i) {
            const auto &s = samples.at(i);
            QVERIFY2(s.ok, qPrintable(s.error));
            const auto *duration = s.field(QStringLiteral("duration"));
            QVERIFY(duration);
            QVERIFY2(duration->value >= 0.2 && duration->value < 0.3,
                     qPrintable(QString::number(duration->value)));
            QVERIFY(duration->increment > 20);
            QCOMPARE(weightOf(*duration), duration->increment);
            // 200 ms falls in the bucket (0.1, 0.25], whose midpoint stands for it.
            double inBucket = 0;
            for (const auto &[value, weight] : duration->distribution) {
                if (qFuzzyCompare(value, 0.175))
                    inBucket += weight;
            }
            QVERIFY2(inBucket >= 0.9 * duration->increment,
                     qPrintable(QStringLiteral("%1 of %2").arg(inBucket).arg(duration->increment)));
        }
    }

    void selectorMatchingNothingFailsTheProbe()
    {
        auto check = scrapeOf(m_blue, QStringLiteral("  up: {gauge: fleet_instance_up}\n"
                                                     "  ghost: {gauge: no_such_metric}\n"));
        QVERIFY(check);
        auto o = probeOnce(*check);
        QVERIFY(o.sample);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->status, 200);
        QCOMPARE(o.sample->error,
                 QStringLiteral("metric 'ghost' (gauge no_such_metric) matched no series: the "
                                "endpoint has no series named no_such_metric"));
        // What did match is still measured.
        QVERIFY(o.sample->field(QStringLiteral("up")));
        QVERIFY(!o.sample->field(QStringLiteral("ghost")));

        check = scrapeOf(m_blue, QStringLiteral("  up: {gauge: fleet_instance_up, labels: "
                                                "{colour: purple}}\n"));
        QVERIFY(check);
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->error,
                 QStringLiteral("metric 'up' (gauge fleet_instance_up{colour=\"purple\"}) matched "
                                "no series: the endpoint has 1 series named fleet_instance_up, "
                                "none with these labels"));
    }

    void failedScrapesSayWhy()
    {
        const QString metrics = QStringLiteral("  up: {gauge: fleet_instance_up}\n");
        const auto port = closedPort();
        auto check = scrapeOf(QStringLiteral("127.0.0.1:%1").arg(port), metrics);
        QVERIFY(check);
        auto o = probeOnce(*check);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->status, 0);
        QVERIFY(o.sample->error.contains(QLatin1String("refused")));
        QVERIFY(o.sample->fields.isEmpty());

        // Not the text format: /version answers JSON.
        check = build(QStringLiteral("scrape"),
                      QStringLiteral("url: http://%1/version\nmetrics:\n%2").arg(m_blue, metrics));
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->status, 200);
        QCOMPARE(o.sample->error,
                 QStringLiteral("the answer is not in the Prometheus text format: 1:1: expected a "
                                "metric name, a comment or an empty line, found '{'"));

        check = build(QStringLiteral("scrape"),
                      QStringLiteral("url: http://%1/nope\nmetrics:\n%2").arg(m_blue, metrics));
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("HTTP status 404"));

        // A server that accepts and never answers: the timeout, not a hang.
        CannedHttpServer silent{QByteArray()};
        QVERIFY(silent.isListening());
        check = build(QStringLiteral("scrape"),
                      QStringLiteral("url: %1\nmetrics:\n%2")
                          .arg(silent.url(QStringLiteral("/metrics")), metrics),
                      300);
        o = probeOnce(*check, 5000);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("no answer within 300 ms"));
        QVERIFY(o.sample->latency < 2.0);
        QVERIFY(silent.received().startsWith("GET /metrics HTTP/1.1"));
        QVERIFY(silent.received().contains("text/plain;version=0.0.4"));

        // An answer announcing more than 16 MiB is refused before it is read.
        CannedHttpServer huge{"HTTP/1.1 200 OK\r\nContent-Length: 20000000\r\n\r\nup 1\n"};
        QVERIFY(huge.isListening());
        check = build(QStringLiteral("scrape"),
                      QStringLiteral("url: %1\nmetrics:\n%2").arg(huge.url(), metrics));
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("the answer is larger than 16 MiB"));
        // So is one that announces nothing and just keeps sending.
        CannedHttpServer endless{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" +
                                 QByteArray(17 * 1024 * 1024, '\n')};
        QVERIFY(endless.isListening());
        check = build(QStringLiteral("scrape"),
                      QStringLiteral("url: %1\nmetrics:\n%2").arg(endless.url(), metrics));
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("the answer is larger than 16 MiB"));
    }

    void cancelledProbeNeverReports()
    {
        auto check = scrapeOf(m_blue, QStringLiteral("  up: {gauge: fleet_instance_up}\n"));
        QVERIFY(check);
        int cancelledCalls = 0;
        check->probe([&](const monitor::Sample &) { ++cancelledCalls; });
        check->cancel();
        // The next probe completes; had the first one reported, it would have done so first.
        const auto o = probeOnce(*check);
        QVERIFY(o.sample && o.sample->ok);
        QCOMPARE(o.calls, 1);
        QCOMPARE(cancelledCalls, 0);
        // Destroying a check with a probe in flight is safe, and reports nothing either.
        check->probe([&](const monitor::Sample &) { ++cancelledCalls; });
        check.reset();
        auto other = scrapeOf(m_blue, QStringLiteral("  up: {gauge: fleet_instance_up}\n"));
        QVERIFY(probeOnce(*other).sample);
        QCOMPARE(cancelledCalls, 0);
    }

    // ---- prometheus ----

    void prometheusIsReady()
    {
        REQUIRE_PROMETHEUS();
        // There is no event to wait for: ask until both targets have been scraped.
        auto check = queryOf(QStringLiteral("sum(fleet_instance_up)"));
        QVERIFY(check);
        std::optional<double> up;
        QVERIFY2(drill::waitUntil(
                     [&] {
                         const auto o = probeOnce(*check, 3000);
                         const auto *value =
                             o.sample ? o.sample->field(QStringLiteral("value")) : nullptr;
                         up = value ? std::optional(value->value) : std::nullopt;
                         return up == 2.0;
                     },
                     15'000),
                 qPrintable(prometheusLog()));
    }

    void prometheusScalarAndVectorQueries()
    {
        REQUIRE_PROMETHEUS();
        const auto value = [&](const QString &query, const QString &reduce = {}) {
            auto check = queryOf(query, reduce);
            const auto o = check ? probeOnce(*check) : testing::ProbeOutcome{};
            if (!o.sample || !o.sample->ok) {
                qWarning().noquote() << query << (o.sample ? o.sample->error : QString());
                return qQNaN();
            }
            const auto *field = o.sample->field(QStringLiteral("value"));
            return field ? field->value : qQNaN();
        };
        QCOMPARE(value(QStringLiteral("scalar(sum(fleet_instance_up))")), 2.0);
        QCOMPARE(value(QStringLiteral("fleet_instance_up")), 2.0); // reduce: sum by default
        QCOMPARE(value(QStringLiteral("fleet_instance_up"), QStringLiteral("max")), 1.0);
        QCOMPARE(value(QStringLiteral("fleet_instance_up"), QStringLiteral("avg")), 1.0);
        QCOMPARE(value(QStringLiteral("fleet_instance_up"), QStringLiteral("first")), 1.0);
        // '+' must reach Prometheus as an operator, not as a space.
        QCOMPARE(value(QStringLiteral("fleet_instance_up + 1")), 4.0);
        QCOMPARE(value(QStringLiteral("count(fleet_instance_up{colour=~\"blue|green\"})")), 2.0);

        auto check = queryOf(QStringLiteral("scalar(sum(fleet_instance_up))"));
        const auto o = probeOnce(*check);
        QVERIFY(o.sample && o.sample->ok);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QCOMPARE(o.sample->status, 200);
        QVERIFY(o.sample->latency >= 0 && o.sample->latency < 3);
    }

    void prometheusEmptyResultIsNoData()
    {
        REQUIRE_PROMETHEUS();
        auto check = queryOf(QStringLiteral("fleet_instance_up{colour=\"purple\"}"));
        const auto o = probeOnce(*check);
        QVERIFY(o.sample);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QVERIFY(o.sample->fields.isEmpty());
        // scalar() of nothing is NaN: no data too.
        check = queryOf(QStringLiteral("scalar(fleet_instance_up{colour=\"purple\"})"));
        const auto scalar = probeOnce(*check);
        QVERIFY(scalar.sample && scalar.sample->ok);
        QVERIFY(scalar.sample->fields.isEmpty());
    }

    void prometheusErrorsSayWhy()
    {
        REQUIRE_PROMETHEUS();
        auto check = queryOf(QStringLiteral("sum(fleet_instance_up"));
        auto o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QCOMPARE(o.sample->status, 400);
        QVERIFY2(o.sample->error.startsWith(QLatin1String("bad_data: ")) &&
                     o.sample->error.contains(QLatin1String("parse error")),
                 qPrintable(o.sample->error));

        check = queryOf(QStringLiteral("fleet_instance_up[1m]"));
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QVERIFY2(o.sample->error.startsWith(QLatin1String("the query gives a matrix, not a "
                                                          "number")),
                 qPrintable(o.sample->error));

        check = queryOf(QStringLiteral("\"text\""));
        o = probeOnce(*check);
        QVERIFY(o.sample && !o.sample->ok);
        QVERIFY2(o.sample->error.startsWith(QLatin1String("the query gives a string")),
                 qPrintable(o.sample->error));
    }

    void prometheusSurvivesBadAnswers()
    {
        const auto outcome = [&](const QString &url) {
            auto check = build(QStringLiteral("prometheus"),
                               QStringLiteral("url: %1\nquery: up\n").arg(url));
            return check ? probeOnce(*check).sample : std::nullopt;
        };
        auto s = outcome(QStringLiteral("http://127.0.0.1:%1").arg(closedPort()));
        QVERIFY(s && !s->ok && s->status == 0 && !s->error.isEmpty());

        CannedHttpServer garbage{httpAnswer("{\"status\": \"success\", \"data\": [1,")};
        QVERIFY(garbage.isListening());
        s = outcome(garbage.url());
        QVERIFY(s && !s->ok);
        QVERIFY2(s->error.startsWith(QLatin1String("the answer is not JSON: ")),
                 qPrintable(s->error));
        QVERIFY(garbage.received().startsWith("GET /api/v1/query?query=up HTTP/1.1"));

        CannedHttpServer wrongShape{
            httpAnswer(R"({"status":"success","data":{"resultType":"vector","result":[{}]}})")};
        QVERIFY(wrongShape.isListening());
        s = outcome(wrongShape.url());
        QVERIFY(s && !s->ok);
        QCOMPARE(s->error, QStringLiteral("malformed vector result in Prometheus's answer"));

        CannedHttpServer withNaN{httpAnswer(R"({"status":"success","data":{"resultType":"vector",)"
                                            R"("result":[{"metric":{},"value":[1,"NaN"]},)"
                                            R"({"metric":{},"value":[1,"2.5"]}]}})")};
        QVERIFY(withNaN.isListening());
        s = outcome(withNaN.url());
        QVERIFY(s && s->ok);
        QVERIFY(s->field(QStringLiteral("value")));
        QCOMPARE(s->field(QStringLiteral("value"))->value, 2.5);

        CannedHttpServer execution{httpAnswer(R"({"status":"error","errorType":"execution",)"
                                              R"("error":"query timed out"})",
                                              "422 Unprocessable Entity")};
        QVERIFY(execution.isListening());
        s = outcome(execution.url());
        QVERIFY(s && !s->ok);
        QCOMPARE(s->status, 422);
        QCOMPARE(s->error, QStringLiteral("execution: query timed out"));
    }

    // ---- configuration ----

    void configurationErrorsPointAtTheirPlace()
    {
        const QByteArray yaml = "services:\n"
                                "  - name: api\n"
                                "    checks:\n"
                                "      - name: metrics\n"
                                "        type: scrape\n"
                                "        url: ftp://example.com/metrics\n"
                                "        metrics:\n"
                                "          latency: {gauge: x}\n"
                                "          bad name: {gauge: x}\n"
                                "          both: {counter: a, gauge: b}\n"
                                "          none: {labels: {a: b}}\n"
                                "          regex: {counter: a, labels: {code: \"~5(.\"}}\n"
                                "          tagged: {counter: a, labels: {code: !=500}}\n"
                                "          hist: {histogram: h_bucket, aggregate: max}\n"
                                "          le: {histogram: h, labels: {le: \"0.1\"}}\n"
                                "          typo: {gauge: x, agregate: sum}\n"
                                "          dim: {gauge: x, dimension: seconds}\n"
                                "          metric: {gauge: 9x}\n"
                                "      - name: no-metrics\n"
                                "        type: scrape\n"
                                "        url: http://127.0.0.1:1/metrics\n"
                                "      - name: query\n"
                                "        type: prometheus\n"
                                "        url: http://127.0.0.1:9090/?x=1\n"
                                "        query: \"  \"\n"
                                "        reduce: median\n";
        const auto r = config::loadConfigText(yaml, QStringLiteral("rewind.yaml"),
                                              daemon::catalogOf(m_registries));
        QVERIFY(!r.ok());
        QStringList messages;
        for (const auto &d : r.diagnostics.items())
            messages.append(d.format());
        const QString scrape = QStringLiteral("check 'metrics' of service 'api'");
        const QStringList expected{
            QStringLiteral("rewind.yaml:6:14: error: 'url' of %1 must be an http:// or https:// "
                           "URL, found 'ftp://example.com/metrics'")
                .arg(scrape),
            QStringLiteral("rewind.yaml:8:11: error: 'latency' in 'metrics' of %1 is reserved for "
                           "the probe's own latency: choose another name")
                .arg(scrape),
            QStringLiteral("rewind.yaml:9:11: error: 'bad name' is not a valid field name in "
                           "'metrics' of %1 (letters, digits, '_' and '-', starting with a letter)")
                .arg(scrape),
            QStringLiteral("rewind.yaml:10:37: error: metric 'both' of %1 names both 'counter' "
                           "and 'gauge': a metric is one of counter, gauge or histogram")
                .arg(scrape),
            QStringLiteral("rewind.yaml:11:17: error: metric 'none' of %1 must name one of "
                           "counter, gauge or histogram (e.g. counter: NAME)")
                .arg(scrape),
            QStringLiteral("rewind.yaml:12:46: error: label 'code' in metric 'regex' of %1: '5(.' "
                           "is not a valid regular expression: missing closing parenthesis at "
                           "offset 3")
                .arg(scrape),
            QStringLiteral("rewind.yaml:13:47: error: the value of label 'code' in metric "
                           "'tagged' of %1 starts with '!', which YAML reads as a tag: put it in "
                           "quotes")
                .arg(scrape),
            QStringLiteral("rewind.yaml:14:29: error: 'histogram' in metric 'hist' of %1 takes "
                           "the histogram's base name: 'h', without '_bucket'")
                .arg(scrape),
            QStringLiteral("rewind.yaml:14:50: error: 'aggregate' in metric 'hist' of %1 must be "
                           "sum: the observations of matching histograms are always added "
                           "together")
                .arg(scrape),
            QStringLiteral("rewind.yaml:15:39: error: metric 'le' of %1 cannot select on 'le': it "
                           "is the bucket bound, and a histogram is read with all its buckets")
                .arg(scrape),
            QStringLiteral("rewind.yaml:16:28: error: unknown key 'agregate' in metric 'typo' of "
                           "%1 (did you mean 'aggregate'?)")
                .arg(scrape),
            QStringLiteral("rewind.yaml:17:38: error: 'dimension' in metric 'dim' of %1 must be "
                           "one of number, ratio, duration, found 'seconds'")
                .arg(scrape),
            QStringLiteral("rewind.yaml:18:27: error: 'gauge' in metric 'metric' of %1 must be a "
                           "Prometheus metric name (letters, digits, '_' and ':', not starting "
                           "with a digit), found '9x'")
                .arg(scrape),
            QStringLiteral("rewind.yaml:19:9: error: check 'no-metrics' of service 'api' is "
                           "missing required key 'metrics'"),
            QStringLiteral("rewind.yaml:24:14: error: 'url' of check 'query' of service 'api' "
                           "must be the Prometheus server's http:// or https:// base URL (such "
                           "as http://127.0.0.1:9090), found 'http://127.0.0.1:9090/?x=1'"),
            QStringLiteral("rewind.yaml:25:16: error: 'query' of check 'query' of service 'api' "
                           "must be a PromQL expression, found nothing"),
            QStringLiteral("rewind.yaml:26:17: error: 'reduce' in check 'query' of service 'api' "
                           "must be one of sum, max, min, avg, first, found 'median'"),
        };
        QCOMPARE(messages, expected);
    }
};

QTEST_GUILESS_MAIN(TestScrapeCheck)
#include "tst_scrapecheck.moc"
