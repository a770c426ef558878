// Fast confirmation on the sandbox fleet: from a fault to traffic restored, and false alarms on a
// healthy but noisy service. Rewind checks api's /health every second; the rule is
// `consecutive_failures(health) >= 3` with action rollback, as a load balancer's `fall 3`.
//
// 1. Fault to traffic restored, fast_interval 100ms against fast confirmation off, measured in
//    the same run (the baseline is "off"): a release whose instance is down is deployed at a
//    random moment of the check's interval; the time from nginx routing traffic to it (the fault
//    begins) to the rollback's switch_traffic step finishing (traffic restored). Reported as
//    medians and the ratio on / off.
// 2. False alarms, fast confirmation on: for `--noise-minutes` (default 10) api answers 2 % of
//    requests with HTTP 500 at random and web's health check fails every other probe; every rule
//    firing and every rollback started is counted. The goal is none.
//
// Reproduce: build/ci/bin/bench_confirmation [--trials N] [--noise-minutes M]
// (docs/performance.md).
#include "client/sync/syncrest.h"
#include "scenario.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace rwd;

namespace {

constexpr int kWaitMs = 60'000;

const QString kRules = QStringLiteral("  - name: health-down\n"
                                      "    when: \"consecutive_failures(health) >= 3\"\n"
                                      "    severity: critical\n"
                                      "    action: rollback\n"
                                      "    cooldown: 5m\n");

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void pause(int ms)
{
    drill::waitUntil([] { return false; }, ms);
}

std::unique_ptr<drill::Scenario> start(bool fast)
{
    drill::ScenarioOptions options;
    options.binDir = QCoreApplication::applicationDirPath();
    options.loadRps = 20;
    options.verifyAfterMs = 5000;
    options.checkIntervalMs = 1000;
    options.checkKeys =
        fast ? QStringLiteral("fast_interval: 100ms") : QStringLiteral("fast_interval: 0s");
    options.rules = kRules;
    options.logLevel = QStringLiteral("warn");
    auto scenario = std::make_unique<drill::Scenario>(options);
    if (const auto started = scenario->start(); !started) {
        std::fprintf(stderr, "bench_confirmation: %s\n", qPrintable(started.error().message));
        return nullptr;
    }
    return scenario;
}

// Deploys `version` healthy to `colour` and waits until it is verified.
bool goodRelease(drill::Scenario &s, const QString &service, const QString &colour,
                 const QString &version)
{
    const auto r = s.release(service, colour, version);
    if (!r || !s.waitForReleaseState(r->id, ReleaseState::Verified, kWaitMs)) {
        std::fprintf(stderr, "bench_confirmation: %s %s not verified: %s\n", qPrintable(service),
                     qPrintable(version), qPrintable(r ? QString() : r.error().message));
        return false;
    }
    return true;
}

// From deploying a down release of api to traffic switched back, in ms (0: it failed).
double faultToRestored(drill::Scenario &s, int trial)
{
    const QString version = QStringLiteral("v2.%1").arg(trial);
    if (!s.setFault(QStringLiteral("api"), version, {{"down", true}}))
        return 0;
    // A random moment of the check's 1 s interval.
    pause(int(QRandomGenerator::global()->bounded(1000)));
    const std::size_t mark = s.events().events().size();
    // The fault starts when nginx sends api's traffic (and Rewind's probes) to the bad version;
    // the deployment is recorded right after, as CI would.
    if (!s.deploy(QStringLiteral("api"), QStringLiteral("blue"), version) ||
        !s.route(QStringLiteral("api"), QStringLiteral("blue")))
        return 0;
    const qint64 deployedMs = QDateTime::currentMSecsSinceEpoch();
    if (!s.record(QStringLiteral("api"), version, QStringLiteral("blue")))
        return 0;
    const auto *switched = s.events().waitFor(
        QString::fromLatin1(protocol::event::StepFinished),
        [](const protocol::Event &e) {
            const auto step = e.data.value(QLatin1String("step")).toObject();
            return step.value(QLatin1String("kind")).toString() == u"switch_traffic" &&
                   step.value(QLatin1String("state")).toString() == u"succeeded";
        },
        kWaitMs, mark);
    const auto *finished = s.events().waitFor(
        QString::fromLatin1(protocol::event::RollbackFinished), {}, kWaitMs, mark);
    if (!switched || !finished) {
        for (std::size_t i = mark; i < s.events().events().size(); ++i)
            std::fprintf(stderr, "  event %s %s\n", qPrintable(s.events().events()[i].event.type),
                         QJsonDocument(s.events().events()[i].event.data)
                             .toJson(QJsonDocument::Compact)
                             .left(300)
                             .constData());
        return 0;
    }
    return double(switched->event.timeMs - deployedMs);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption trialsOption(QStringLiteral("trials"),
                                          QStringLiteral("Faults per mode (default 10)."),
                                          QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption noiseOption(
        QStringLiteral("noise-minutes"),
        QStringLiteral("Minutes of the noisy-service run (default 10; 0: skip it)."),
        QStringLiteral("m"), QStringLiteral("10"));
    parser.addOptions({trialsOption, noiseOption});
    parser.addHelpOption();
    parser.process(app);
    const int trials = std::max(1, parser.value(trialsOption).toInt());
    const double noiseMinutes = parser.value(noiseOption).toDouble();

    std::printf("Fault to traffic restored: check interval 1s, rule consecutive_failures(health) "
                ">= 3, %d fault(s) per mode\n",
                trials);
    std::vector<double> results[2]; // [0]: off (baseline), [1]: on
    for (const bool fast : {false, true}) {
        auto scenario = start(fast);
        if (!scenario || !goodRelease(*scenario, QStringLiteral("api"), QStringLiteral("green"),
                                      QStringLiteral("v1.1")))
            return 1;
        for (int i = 0; i < trials; ++i) {
            const double ms = faultToRestored(*scenario, i);
            if (ms <= 0) {
                std::fprintf(stderr, "bench_confirmation: fault %d (%s) was not rolled back\n", i,
                             fast ? "on" : "off");
                return 1;
            }
            results[fast ? 1 : 0].push_back(ms);
            std::printf("  fast confirmation %-3s  fault %2d: %6.0f ms\n", fast ? "on" : "off", i,
                        ms);
            std::fflush(stdout);
        }
    }
    const double off = median(results[0]);
    const double on = median(results[1]);
    std::printf("median fault -> traffic restored: off %.0f ms, on %.0f ms; on/off = %.2f "
                "(goal <= 0.35)\n",
                off, on, off > 0 ? on / off : 0.0);

    if (noiseMinutes <= 0)
        return 0;
    std::printf("\nFalse alarms, fast confirmation on, %.1f minute(s): api 2 %% random errors, "
                "web's health check failing every other probe\n",
                noiseMinutes);
    auto scenario = start(true);
    if (!scenario ||
        !goodRelease(*scenario, QStringLiteral("api"), QStringLiteral("green"),
                     QStringLiteral("v1.1")) ||
        !goodRelease(*scenario, QStringLiteral("web"), QStringLiteral("green"),
                     QStringLiteral("v1.1")))
        return 1;
    for (const auto &[service, fault] :
         {std::pair{QStringLiteral("api"), QJsonObject{{"error_rate", 0.02}}},
          std::pair{QStringLiteral("web"), QJsonObject{{"health_fail_every", 2}}}}) {
        if (const auto set = scenario->setFault(service, QStringLiteral("v1.1"), fault); !set) {
            std::fprintf(stderr, "bench_confirmation: %s\n", qPrintable(set.error().message));
            return 1;
        }
    }
    const std::size_t mark = scenario->events().events().size();
    pause(int(noiseMinutes * 60'000));
    int firings = 0;
    int rollbacks = 0;
    int failedSamples = 0;
    const auto &events = scenario->events().events();
    for (std::size_t i = mark; i < events.size(); ++i) {
        const auto &type = events[i].event.type;
        firings += type == QLatin1String(protocol::event::RuleFired) ? 1 : 0;
        rollbacks += type == QLatin1String(protocol::event::RollbackStarted) ? 1 : 0;
    }
    const auto metrics =
        client::callAndWait(scenario->rewind(), "GET", QStringLiteral("/metrics")).raw;
    for (const auto &line : metrics.split('\n')) {
        if (line.startsWith("rewind_checks_total{") && line.contains("outcome=\"failed\""))
            failedSamples += line.split(' ').last().toInt();
    }
    const auto traffic = scenario->traffic(QStringLiteral("api"), 0);
    std::printf("failed samples: %d; api traffic errors: %lld of %lld; rule firings: %d; "
                "rollbacks started: %d (goal 0)\n",
                failedSamples, static_cast<long long>(traffic.errors),
                static_cast<long long>(traffic.requests), firings, rollbacks);
    return firings == 0 && rollbacks == 0 ? 0 : 2;
}
