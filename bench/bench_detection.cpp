// Detection time and false-positive rate of the sequential test (error_cusum) against
// fixed-window error-rate rules, on rewind-fleet traffic: 100 requests/s through nginx, scraped
// every 100 ms from the fleet's metrics. A bad release is simulated by giving the running version
// a 20 % error rate; healthy noise is 0.5 % errors. False positives are measured in a live healthy
// run and, because they are rare, estimated over many simulated hours of the same traffic model.
// Reproduce: build/ci/bin/bench_detection [trials] [healthy-seconds] (see docs/performance.md).
#include "client/restclient.h"
#include "client/sync/syncrest.h"
#include "common/clock.h"
#include "http/client.h"
#include "monitor/checks/scrape/scrapecheck.h"
#include "monitor/metricstore.h"
#include "processes.h"
#include "rules/expression.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace rwd;

namespace {

struct Rule
{
    const char *name;
    const char *when;
};

// The sequential test against two fixed-window rules of the kind teams write today.
const std::vector<Rule> kRules{
    {"sequential: error_cusum(…, 1%, 5%) > 12",
     "error_cusum(traffic.errors, traffic.requests, 1%, 5%) > 12"},
    {"fixed window: ratio over 10s > 5%",
     "ratio(traffic.errors, traffic.requests, 10s) > 5% and sum(traffic.requests, 10s) >= 100"},
    {"fixed window: ratio over 1m > 5%",
     "ratio(traffic.errors, traffic.requests, 1m) > 5% and sum(traffic.requests, 1m) >= 100"},
};

rules::Scope scopeOf(const monitor::Check &check)
{
    rules::Scope scope;
    scope.checks.insert(QStringLiteral("traffic"),
                        {monitor::allFields(check), check.defaultField()});
    scope.order = {QStringLiteral("traffic")};
    return scope;
}

std::unique_ptr<monitor::Check> scrapeCheck(const QString &url,
                                            const monitor::CheckRuntime &runtime)
{
    const auto yaml =
        QStringLiteral(
            "{name: traffic, type: scrape, url: \"%1/metrics\", metrics: {"
            "requests: {counter: fleet_http_requests_total, labels: {service: api, path: /}}, "
            "errors: {counter: fleet_http_requests_total, labels: {service: api, path: /, code: "
            "\"~5..\"}}}}")
            .arg(url);
    config::CheckConfig common;
    common.name = QStringLiteral("traffic");
    common.type = QStringLiteral("scrape");
    common.timeoutMs = 1000;
    config::Diagnostics diagnostics;
    common.node = config::ConfigNode::parse(yaml.toUtf8(), QStringLiteral("bench"), diagnostics)
                      .value_or(config::ConfigNode{});
    config::MapReader options(common.node, diagnostics, QStringLiteral("bench check"));
    return monitor::ScrapeCheck::create(options, common, runtime);
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Samples the fleet's metrics every 100 ms and evaluates every rule on each sample.
class Watcher
{
public:
    Watcher(const QString &controlUrl, const Clock &clock)
        : m_clock(clock)
    {
        m_check = scrapeCheck(controlUrl, {&m_http, &clock});
        const auto scope = scopeOf(*m_check);
        m_store.declare(QStringLiteral("api"), QStringLiteral("traffic"),
                        monitor::allFields(*m_check));
        for (const auto &rule : kRules) {
            auto compiled = rules::Expression::compile(QString::fromLatin1(rule.when), scope);
            m_expressions.push_back(*std::move(compiled));
            for (const auto &q : m_expressions.back().queries())
                m_store.require(QStringLiteral("api"), q);
        }
    }

    // Runs for `ms`, probing every 100 ms; returns, per rule, the first time it was true.
    std::vector<qint64> run(qint64 ms)
    {
        std::vector<qint64> first(kRules.size(), 0);
        const qint64 end = m_clock.nowMs() + ms;
        while (m_clock.nowMs() < end) {
            bool done = false;
            m_check->probe([&](const monitor::Sample &s) {
                m_store.append(QStringLiteral("api"), QStringLiteral("traffic"), s);
                for (std::size_t i = 0; i < m_expressions.size(); ++i) {
                    if (!first[i] && m_expressions[i].evaluate(m_store.view(QStringLiteral("api")),
                                                               s.timeMs) == rules::Truth::True)
                        first[i] = s.timeMs;
                }
                done = true;
            });
            const qint64 next = m_clock.nowMs() + 100;
            drill::waitUntil([&] { return done && m_clock.nowMs() >= next; }, 5000);
        }
        return first;
    }

    void releaseWentLive() { m_store.releaseWentLive(QStringLiteral("api"), m_clock.nowMs()); }

private:
    const Clock &m_clock;
    QNetworkAccessManager m_network;
    http::Client m_http;
    std::unique_ptr<monitor::Check> m_check;
    monitor::MetricStore m_store;
    std::vector<rules::Expression> m_expressions;
};

// The same traffic as a model: 10 requests per 100 ms scrape (100/s), each failing with
// probability p. Returns false alarms per hour for each rule over `hours` simulated hours.
std::vector<double> simulatedFalseAlarms(double p, double hours)
{
    std::mt19937_64 random(42);
    std::binomial_distribution<int> errors(10, p);
    monitor::MetricStore store;
    const std::vector<monitor::FieldSpec> fields{
        {QStringLiteral("latency"), rules::Dimension::Time, false, false},
        {QStringLiteral("requests"), rules::Dimension::Scalar, true, false},
        {QStringLiteral("errors"), rules::Dimension::Scalar, true, false}};
    store.declare(QStringLiteral("api"), QStringLiteral("traffic"),
                  QList<monitor::FieldSpec>(fields.begin(), fields.end()));
    rules::Scope scope;
    scope.checks.insert(
        QStringLiteral("traffic"),
        {QList<rules::FieldInfo>(fields.begin(), fields.end()), QStringLiteral("requests")});
    scope.order = {QStringLiteral("traffic")};
    std::vector<rules::Expression> expressions;
    for (const auto &rule : kRules) {
        auto compiled = rules::Expression::compile(QString::fromLatin1(rule.when), scope);
        expressions.push_back(*std::move(compiled));
        for (const auto &q : expressions.back().queries())
            store.require(QStringLiteral("api"), q);
    }
    std::vector<double> alarms(kRules.size(), 0);
    std::vector<bool> firing(kRules.size(), false);
    const auto steps = qint64(hours * 3600 * 10);
    qint64 t = 1'000'000'000;
    for (qint64 i = 0; i < steps; ++i) {
        t += 100;
        monitor::Sample s;
        s.timeMs = t;
        s.ok = true;
        const int e = errors(random);
        monitor::FieldValue requests;
        requests.name = QStringLiteral("requests");
        requests.increment = 10;
        requests.seconds = 0.1;
        requests.value = 100;
        monitor::FieldValue failed;
        failed.name = QStringLiteral("errors");
        failed.increment = e;
        failed.seconds = 0.1;
        failed.value = e * 10.0;
        s.fields = {requests, failed};
        store.append(QStringLiteral("api"), QStringLiteral("traffic"), s);
        for (std::size_t r = 0; r < expressions.size(); ++r) {
            const bool now =
                expressions[r].evaluate(store.view(QStringLiteral("api")), t) == rules::Truth::True;
            if (now && !firing[r])
                alarms[r] += 1; // a new alarm starts when the condition becomes true
            firing[r] = now;
        }
    }
    for (auto &a : alarms)
        a /= hours;
    return alarms;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int trials = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 5;
    const int healthySeconds = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 120;
    SystemClock clock;
    QTemporaryDir dir;
    drill::ManagedProcess fleet(QStringLiteral("rewind-fleet"),
                                dir.filePath(QStringLiteral("fleet.log")));
    if (const auto started = fleet.start(
            QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("rewind-fleet")),
            {QStringLiteral("--dir"), dir.filePath(QStringLiteral("fleet")),
             QStringLiteral("--service"), QStringLiteral("api"), QStringLiteral("--load-rps"),
             QStringLiteral("100"), QStringLiteral("--log-level"), QStringLiteral("warn")},
            30'000);
        !started) {
        std::fprintf(stderr, "cannot start the fleet: %s\n", qPrintable(started.error().message));
        return 1;
    }
    const QString control = fleet.ready().value(QLatin1String("control")).toString();
    client::RestClient rest;
    rest.setBaseUrl(QUrl(control));
    const auto fault = [&](double rate) {
        return client::callAndWait(rest, "PUT", QStringLiteral("/services/api/versions/v1.0/fault"),
                                   {{"error_rate", rate}})
            .ok();
    };
    std::printf("Detection on rewind-fleet traffic: 100 requests/s to api through nginx, scraped "
                "every 100 ms; healthy noise 0.5 %% errors, bad release 20 %% errors.\n\n");

    // Detection: each trial starts with a minute of healthy traffic (so that the fixed windows
    // are full of it, as they would be in production), then the error rate jumps.
    std::vector<std::vector<double>> detection(kRules.size());
    for (int trial = 0; trial < trials; ++trial) {
        Watcher watcher(control, clock);
        fault(0.005);
        watcher.run(60'000);
        watcher.releaseWentLive(); // the bad release goes live: sequential evidence starts fresh
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
        fault(0.2);
        const auto first = watcher.run(90'000);
        fault(0.005);
        std::printf("  trial %d:", trial + 1);
        for (std::size_t r = 0; r < kRules.size(); ++r) {
            const double seconds = first[r] ? double(first[r] - t0) / 1000.0 : -1;
            if (seconds >= 0)
                detection[r].push_back(seconds);
            std::printf("  %s %.2fs", r == 0 ? "sequential" : (r == 1 ? "10s" : "1m"), seconds);
        }
        std::printf("\n");
        std::fflush(stdout);
    }
    std::printf("\n  %-46s %14s %10s\n", "rule", "median detect", "vs sequential");
    const double sequential = median(detection[0]);
    for (std::size_t r = 0; r < kRules.size(); ++r)
        std::printf("  %-46s %12.2fs %9.1fx\n", kRules[r].name, median(detection[r]),
                    sequential > 0 ? median(detection[r]) / sequential : 0);

    // False positives, live: healthy traffic only.
    std::printf("\nLive healthy run (%d s at 0.5 %% errors): condition true at any moment?\n",
                healthySeconds);
    Watcher healthy(control, clock);
    fault(0.005);
    healthy.run(60'000); // fill the windows first
    healthy.releaseWentLive();
    const auto falseAlarms = healthy.run(qint64(healthySeconds) * 1000);
    for (std::size_t r = 0; r < kRules.size(); ++r)
        std::printf("  %-46s %s\n", kRules[r].name, falseAlarms[r] ? "yes (a false alarm)" : "no");
    fleet.stop();

    // False positives, simulated: the same traffic model over many hours.
    const double hours = 200;
    std::printf("\nSimulated healthy traffic (%.0f hours, binomial 10 requests per 100 ms):\n",
                hours);
    for (const double p : {0.005, 0.01}) {
        const auto alarms = simulatedFalseAlarms(p, hours);
        std::printf("  at %.1f %% errors:\n", p * 100);
        for (std::size_t r = 0; r < kRules.size(); ++r)
            std::printf("    %-44s %10.3f false alarms/hour\n", kRules[r].name, alarms[r]);
    }
    return 0;
}
