// Window updates and rule evaluations per second on one core, against baselines measured in the
// same run: a plain deque-and-running-sum window, and the same queries compared by hand in C++.
// Reproduce: build/ci/bin/bench_engine (see docs/performance.md).
#include "harness.h"
#include "monitor/metricstore.h"
#include "monitor/window.h"
#include "rules/expression.h"

#include <QCoreApplication>

#include <deque>
#include <random>

using namespace rwd;

namespace {

std::vector<double> randomLatencies(std::size_t n)
{
    std::mt19937 random(1);
    std::lognormal_distribution<double> latency(-2.5, 0.8);
    std::vector<double> out(n);
    for (auto &v : out)
        v = latency(random);
    return out;
}

} // namespace

// The rule's Result is read on the side its check found, so its accessors (which throw only when
// read on the other side) do not throw here.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const auto values = randomLatencies(1 << 16);
    std::printf("Rewind engine benchmarks (one core; medians of 5 rounds)\n\n");

    // Window updates: one point in, old points out, a 60 s window at 1 ms spacing (60,000 points).
    std::printf("Window updates (60,000-point sliding window)\n");
    const auto baseline = bench::measure("baseline: std::deque push/pop + running sum", [&](int n) {
        static std::deque<std::pair<long long, double>> d;
        static double sum = 0;
        static long long t = 0;
        for (int i = 0; i < n; ++i) {
            const double v = values[std::size_t(t) & 0xffff];
            d.emplace_back(t, v);
            sum += v;
            while (d.front().first <= t - 60'000) {
                sum -= d.front().second;
                d.pop_front();
            }
            ++t;
        }
        bench::keep(sum);
    });
    bench::print(baseline);
    const auto windowUpdate = [&](monitor::Window::Needs needs) {
        return [&values, needs](int n) {
            static std::map<std::pair<bool, bool>, monitor::Window> windows;
            static long long t = 0;
            auto &w =
                windows.try_emplace({needs.extremes, needs.quantiles}, 60'000, needs).first->second;
            monitor::Point p;
            for (int i = 0; i < n; ++i) {
                p.timeMs = t;
                p.value = values[std::size_t(t) & 0xffff];
                w.push(p);
                ++t;
            }
            bench::keep(w.sum());
        };
    };
    bench::print(bench::measure("Window: count, sum, mean", windowUpdate({false, false})),
                 &baseline);
    bench::print(
        bench::measure("Window: + min/max (monotonic deques)", windowUpdate({true, false})),
        &baseline);
    bench::print(bench::measure("Window: + quantile sketch (p50…p99)", windowUpdate({true, true})),
                 &baseline);

    // A whole sample through the metric store: outcome windows, latency windows, consecutive
    // counts, as the daemon does for every probe.
    monitor::MetricStore store;
    store.declare(QStringLiteral("api"), QStringLiteral("health"),
                  {{QStringLiteral("latency"), rules::Dimension::Time, false, false}});
    rules::Scope scope;
    scope.checks.insert(QStringLiteral("health"),
                        {{{QStringLiteral("latency"), rules::Dimension::Time, false, false}},
                         QStringLiteral("latency")});
    scope.order = {QStringLiteral("health")};
    const QString condition = QStringLiteral(
        "error_rate(health, 1m) > 5% and count(health, 1m) >= 20 or p95(health.latency, 5m) > 2s");
    auto compiled = rules::Expression::compile(condition, scope);
    if (!compiled) {
        std::fprintf(stderr, "the benchmark's rule does not compile: %s\n",
                     qPrintable(compiled.error().value(0).message));
        return 1;
    }
    const auto &expression = *compiled;
    for (const auto &q : expression.queries())
        store.require(QStringLiteral("api"), q);
    qint64 now = 1'000'000;
    const auto appendSamples = [&](int n) {
        monitor::Sample s;
        for (int i = 0; i < n; ++i) {
            now += 10;
            s.timeMs = now;
            s.ok = (now / 10) % 50 != 0;
            s.latency = values[std::size_t(now / 10) & 0xffff];
            store.append(QStringLiteral("api"), QStringLiteral("health"), s);
        }
    };
    std::printf(
        "\nSamples into the metric store (3 windows: 1m outcomes, 5m latency with sketch)\n");
    bench::print(bench::measure("MetricStore::append", appendSamples), &baseline);

    std::printf("\nRule evaluations (%s)\n", qPrintable(condition));
    appendSamples(60'000); // ten minutes of samples in the windows
    const auto &view = store.view(QStringLiteral("api"));
    // The same decision, by hand: the same three queries asked of the same store, compared in
    // C++. The ratio is what the rule language costs on top of the windows it reads.
    const auto &queries = expression.queries();
    if (queries.size() != 3 || queries.at(0).aggregate != rules::Aggregate::ErrorRate ||
        queries.at(1).aggregate != rules::Aggregate::Count ||
        queries.at(2).aggregate != rules::Aggregate::Quantile) {
        std::fprintf(stderr, "unexpected query order in the compiled rule\n");
        return 1;
    }
    const auto handwritten =
        bench::measure("baseline: the same queries and comparisons in C++", [&](int n) {
            int trues = 0;
            for (int i = 0; i < n; ++i) {
                const auto errorRate = view.query(queries.at(0), now);
                const auto count = view.query(queries.at(1), now);
                const auto p95 = view.query(queries.at(2), now);
                trues += (errorRate.value > 0.05 && count.value >= 20) || p95.value > 2.0;
            }
            bench::keep(trues);
        });
    bench::print(handwritten);
    const auto evaluations =
        bench::measure("Expression::evaluate over the metric store", [&](int n) {
            int trues = 0;
            for (int i = 0; i < n; ++i)
                trues += expression.evaluate(view, now) == rules::Truth::True;
            bench::keep(trues);
        });
    bench::print(evaluations, &handwritten);
    std::printf(
        "\nTarget: >= 1,000,000 window updates and rule evaluations per second per core.\n");
    std::printf("Window updates with every aggregate: %.2f M/s; rule evaluations: %.2f M/s.\n",
                bench::measure("", windowUpdate({true, true}), 0.3, 3).perSecond / 1e6,
                evaluations.perSecond / 1e6);
    return 0;
}
