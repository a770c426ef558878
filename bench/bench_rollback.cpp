// From a rule firing to traffic restored, on rewind-fleet: a blue-green rollback of one service,
// split into plan (firing -> plan started), switch (the nginx step) and verify; and a 3-service
// release train (web -> api -> db, each blue-green, immediate class) rolled back in dependency
// order. The baseline, measured in the same run, is the fleet switching its own nginx upstream
// (write, nginx -t, reload) through its control API: the floor for moving traffic at all.
//
// Two kinds of time, said apart in the output: the phases of a rollback come from rewindd's own
// event and step timestamps (server time); "answered through nginx" is when a request the bench
// sends through nginx every 5 ms is first answered by the colour traffic moved to. The baseline
// ends the same way (the same poller), so the "seen through nginx" rows and the baseline measure
// the same thing; they start at the rule's firing (rewindd's timestamp, same machine clock) and at
// the bench's call to the fleet's control API respectively.
// Reproduce: build/ci/bin/bench_rollback [trials] (docs/performance.md).
#include "processes.h"
#include "sandbox.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

using namespace rwd;

namespace {

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

constexpr int kPollMs = 5;

// Asks a service's /version through nginx every kPollMs (one request at a time) which colour
// answers, and notes the wall-clock time (ms since the epoch: the clock of rewindd's event times
// on the same machine) of the first answer from the expected colour that follows an answer from
// another one — when traffic through nginx is seen to have moved.
class ColourWatch
{
public:
    explicit ColourWatch(QUrl url)
        : m_url(std::move(url))
    {
        m_timer.setInterval(kPollMs);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { poll(); });
    }
    Q_DISABLE_COPY_MOVE(ColourWatch)

    // Starts watching for traffic to move to `colour`.
    void expect(const QString &colour)
    {
        m_colour = colour;
        m_seenOther = false;
        m_movedAtMs = 0;
        m_timer.start();
        poll();
    }
    void stop() { m_timer.stop(); }
    [[nodiscard]] bool seenOther() const { return m_seenOther; }
    // 0 until it moved.
    [[nodiscard]] qint64 movedAtMs() const { return m_movedAtMs; }
    bool wait(int timeoutMs)
    {
        return drill::waitUntil([this] { return m_movedAtMs != 0; }, timeoutMs);
    }

private:
    void poll()
    {
        if (m_inFlight || m_movedAtMs != 0)
            return;
        m_inFlight = true;
        auto *reply = m_network.get(QNetworkRequest(m_url));
        QObject::connect(reply, &QNetworkReply::finished, &m_timer, [this, reply] {
            m_inFlight = false;
            const auto colour = QJsonDocument::fromJson(reply->readAll())
                                    .object()
                                    .value(QLatin1String("colour"))
                                    .toString();
            reply->deleteLater();
            if (m_movedAtMs != 0 || colour.isEmpty())
                return;
            if (colour != m_colour) {
                m_seenOther = true;
            } else if (m_seenOther) {
                m_movedAtMs = QDateTime::currentMSecsSinceEpoch();
                m_timer.stop();
            }
        });
    }

    QUrl m_url;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    QString m_colour;
    bool m_seenOther = false;
    bool m_inFlight = false;
    qint64 m_movedAtMs = 0;
};

QString config(drill::Sandbox &s, const QStringList &services, const QString &ruleClass)
{
    // verify_after: long enough that the rest of a bad release train is not verified before the
    // bad api release fails (else the immediate class would leave it alone).
    QString yaml =
        QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                       "environments:\n  staging: {auto_rollback: true, verify_after: 4s}\n"
                       // Trials follow each other: no freeze after a rollback.
                       "rollback: {classes: {immediate: {freeze: 0s}}}\n"
                       "services:\n");
    for (const auto &name : services) {
        QStringList deps;
        for (const auto &d : s.service(name).value(QLatin1String("depends_on")).toArray())
            deps.append(d.toString());
        yaml += QStringLiteral("  - name: %1\n    environment: staging\n").arg(name);
        if (!deps.isEmpty())
            yaml += QStringLiteral("    depends_on: [%1]\n").arg(deps.join(QStringLiteral(", ")));
        yaml +=
            QStringLiteral(
                "    checks: [{name: health, type: http, url: %1, interval: 100ms, timeout: 1s}]\n"
                "    strategy: {type: blue_green, executor: nginx-%2}\n"
                "    verification: {consecutive_successes: 3, timeout: 30s}\n")
                .arg(drill::yamlQuote(s.url(name) + QStringLiteral("/health")), name);
    }
    yaml +=
        QStringLiteral("rules:\n  - name: errors\n"
                       "    when: \"error_rate(health, 5s) > 5% and count(health, 5s) >= 10\"\n"
                       "    severity: critical\n    action: rollback\n    rollback: {class: %1}\n")
            .arg(ruleClass);
    yaml += QStringLiteral("executors:\n");
    for (const auto &name : services)
        yaml += s.nginxExecutor(name, {QStringLiteral("blue"), QStringLiteral("green")});
    return yaml;
}

// Times of one rollback, in ms after the rule fired, from the server's event times.
struct Timing
{
    double plan = 0;                // firing -> rollback_started
    std::vector<double> switched;   // firing -> each switch_traffic finished
    std::vector<double> switchStep; // duration of each switch_traffic step
    std::vector<double> verifyStep; // duration of each verify_health step
    double done = 0;                // firing -> rollback_finished
    bool ok = false;
    std::vector<double> answered; // firing -> the restored colour answers through nginx, for
                                  // each switch_traffic step (seen by the bench; -1: not seen)
};

Timing timingOf(drill::Sandbox &s, std::size_t from, const protocol::RollbackInfo &rollback,
                const std::map<QString, std::unique_ptr<ColourWatch>> &watches)
{
    Timing t;
    const auto *fired = s.events().find(QString::fromLatin1(protocol::event::RuleFired), {}, from);
    const auto *started =
        s.events().find(QString::fromLatin1(protocol::event::RollbackStarted), {}, from);
    if (!fired || !started)
        return t;
    const qint64 at = fired->event.timeMs;
    t.plan = double(started->event.timeMs - at);
    for (const auto &step : rollback.steps) {
        const double took = double(step.finishedAtMs - step.startedAtMs);
        if (step.kind == u"switch_traffic") {
            t.switched.push_back(double(step.finishedAtMs - at));
            t.switchStep.push_back(took);
            const auto watch = watches.find(step.service);
            if (watch != watches.end()) {
                watch->second->wait(5000);
                const qint64 moved = watch->second->movedAtMs();
                t.answered.push_back(moved != 0 ? double(moved - at) : -1);
                watch->second->stop();
            }
        } else if (step.kind == u"verify_health") {
            t.verifyStep.push_back(took);
        }
    }
    t.done = double(rollback.finishedAtMs - at);
    t.ok = rollback.state == PlanState::Succeeded;
    return t;
}

// The baselines: the fleet routing `service` to the other colour, `n` times each way — how long
// its control API takes (write, nginx -t, nginx -s reload), and how long until a request through
// nginx is first answered by the new colour (the same ColourWatch as the rollbacks' "answered
// through nginx").
struct Baseline
{
    std::vector<double> route;
    std::vector<double> served;
};

Baseline baselineSwitches(drill::Sandbox &s, const QString &service, int n)
{
    Baseline out;
    ColourWatch watch(QUrl(s.url(service) + QStringLiteral("/version")));
    for (int i = 0; i < n; ++i) {
        for (const auto *colour : {"green", "blue"}) {
            watch.expect(QLatin1String(colour));
            // Nginx answers from the old colour first, so that the move is seen.
            if (!drill::waitUntil([&] { return watch.seenOther(); }, 5000))
                continue;
            const qint64 start = QDateTime::currentMSecsSinceEpoch();
            QElapsedTimer timer;
            timer.start();
            if (!s.route(service, {{"colour", QLatin1String(colour)}}).ok())
                continue;
            out.route.push_back(double(timer.nsecsElapsed()) / 1e6);
            if (watch.wait(5000))
                out.served.push_back(double(watch.movedAtMs() - start));
        }
    }
    return out;
}

// Waits until no rule fires for `services` any more (the windows forgot the bad release), so
// that the next bad release starts a new firing.
bool quiet(drill::Sandbox &s, const QStringList &services)
{
    return drill::waitUntil(
        [&] {
            const auto status = s.api("GET", QStringLiteral("/api/v1/status")).body.object();
            for (const auto &v : status.value(QLatin1String("services")).toArray()) {
                const auto svc = protocol::ServiceStatus::fromJson(v.toObject());
                if (services.contains(svc.name) &&
                    (!svc.firings.isEmpty() || svc.health != Health::Healthy))
                    return false;
            }
            return true;
        },
        30'000);
}

bool fail(const QString &why)
{
    std::fprintf(stderr, "bench_rollback: %s\n", qPrintable(why));
    return false;
}

// One service: `trials` bad releases in a row, each rolled back to the verified one.
bool singleService(int trials)
{
    drill::Sandbox s(QCoreApplication::applicationDirPath());
    if (const auto done = s.startFleet({QStringLiteral("--service"), QStringLiteral("api"),
                                        QStringLiteral("--load-rps"), QStringLiteral("50"),
                                        QStringLiteral("--write-rps"), QStringLiteral("0"),
                                        QStringLiteral("--log-level"), QStringLiteral("warn")});
        !done)
        return fail(done.error().message);
    const auto baseline = baselineSwitches(s, QStringLiteral("api"), 5);
    if (const auto done = s.startRewind(config(s, {QStringLiteral("api")}, QStringLiteral("fast")));
        !done)
        return fail(done.error().message);
    if (const auto done =
            s.deploy(QStringLiteral("api"), QStringLiteral("green"), QStringLiteral("v1.1"));
        !done)
        return fail(done.error().message);
    if (const auto done = s.route(QStringLiteral("api"), {{"colour", "green"}}); !done)
        return fail(done.error().message);
    const auto good =
        s.record(QStringLiteral("api"), QStringLiteral("v1.1"), QStringLiteral("green"));
    if (!good)
        return fail(good.error().message);
    if (!s.waitVerified(*good))
        return fail(QStringLiteral("v1.1 was not verified"));
    std::map<QString, std::unique_ptr<ColourWatch>> watches;
    watches[QStringLiteral("api")] = std::make_unique<ColourWatch>(
        QUrl(s.url(QStringLiteral("api")) + QStringLiteral("/version")));
    std::vector<Timing> timings;
    for (int i = 0; i < trials; ++i) {
        if (!quiet(s, {QStringLiteral("api")}))
            return fail(QStringLiteral("api never became quiet"));
        const QString bad = QStringLiteral("v2.%1").arg(i);
        if (const auto done = s.fault(QStringLiteral("api"), bad, 0.2); !done)
            return fail(done.error().message);
        if (const auto done = s.deploy(QStringLiteral("api"), QStringLiteral("blue"), bad); !done)
            return fail(done.error().message);
        const std::size_t mark = s.events().events().size();
        if (const auto done = s.route(QStringLiteral("api"), {{"colour", "blue"}}); !done)
            return fail(done.error().message);
        // Traffic is moving to blue; the rollback moves it back to green.
        watches[QStringLiteral("api")]->expect(QStringLiteral("green"));
        if (const auto done = s.record(QStringLiteral("api"), bad, QStringLiteral("blue")); !done)
            return fail(done.error().message);
        const auto rollback = s.waitRollback(mark);
        if (!rollback)
            return fail(QStringLiteral("no rollback of %1").arg(bad));
        timings.push_back(timingOf(s, mark, *rollback, watches));
        std::printf("  trial %d: plan %5.0f ms  switch %5.0f ms  verify %5.0f ms  switch step "
                    "done at %5.0f ms  answered through nginx at %5.0f ms  done at %5.0f ms  %s\n",
                    i + 1, timings.back().plan, median(timings.back().switchStep),
                    median(timings.back().verifyStep), median(timings.back().switched),
                    median(timings.back().answered), timings.back().done,
                    timings.back().ok ? "succeeded" : "FAILED");
        std::fflush(stdout);
    }
    std::vector<double> plan, sw, verify, restored, answered, done;
    for (const auto &t : timings) {
        plan.push_back(t.plan);
        sw.push_back(median(t.switchStep));
        verify.push_back(median(t.verifyStep));
        restored.push_back(median(t.switched));
        if (!t.answered.empty() && t.answered.front() >= 0)
            answered.push_back(t.answered.front());
        done.push_back(t.done);
    }
    const double routed = median(baseline.route);
    const double floor = median(baseline.served);
    std::printf("\n  blue-green, one service (medians of %d; [server]: rewindd's timestamps, "
                "[nginx]: seen by the bench through nginx):\n",
                trials);
    std::printf("    %-68s %8.0f ms\n", "the fleet's own switch returns (nginx -s reload)", routed);
    std::printf("    %-68s %8.0f ms   (baseline)\n",
                "[nginx] ...from that call until nginx answers from the new colour", floor);
    std::printf("    %-68s %8.0f ms\n", "[server] plan (firing -> plan started)", median(plan));
    std::printf("    %-68s %8.0f ms   %5.2fx baseline\n",
                "[server] switch step (upstream, nginx -t, reload, old workers)", median(sw),
                median(sw) / floor);
    std::printf("    %-68s %8.0f ms   %5.2fx baseline\n", "[server] firing -> switch step finished",
                median(restored), median(restored) / floor);
    std::printf("    %-68s %8.0f ms   %5.2fx baseline   (%zu of %d seen)\n",
                "[nginx] firing -> nginx answers from the restored colour", median(answered),
                median(answered) / floor, answered.size(), trials);
    std::printf("    %-68s %8.0f ms\n", "[server] verify step (3 passes of a 100 ms check)",
                median(verify));
    std::printf("    %-68s %8.0f ms\n", "[server] firing -> rollback verified", median(done));
    std::fflush(stdout);
    return true;
}

// Three services released together (db, api, web), api bad: an immediate rollback of the train.
bool releaseTrain(int trials)
{
    drill::Sandbox s(QCoreApplication::applicationDirPath());
    if (const auto done = s.startFleet(
            {QStringLiteral("--service"), QStringLiteral("web:api"), QStringLiteral("--service"),
             QStringLiteral("api:db"), QStringLiteral("--service"), QStringLiteral("db"),
             QStringLiteral("--db-service="), QStringLiteral("--assets-service="),
             QStringLiteral("--load-rps"), QStringLiteral("30"), QStringLiteral("--log-level"),
             QStringLiteral("warn")});
        !done)
        return fail(done.error().message);
    const QStringList services{QStringLiteral("db"), QStringLiteral("api"), QStringLiteral("web")};
    const auto baseline = baselineSwitches(s, QStringLiteral("api"), 5);
    if (const auto done = s.startRewind(config(s, services, QStringLiteral("immediate"))); !done)
        return fail(done.error().message);
    std::map<QString, std::unique_ptr<ColourWatch>> watches;
    for (const auto &name : services)
        watches[name] =
            std::make_unique<ColourWatch>(QUrl(s.url(name) + QStringLiteral("/version")));
    std::vector<Timing> timings;
    // Good releases go to green (where traffic is), bad ones to blue.
    const QString live = QStringLiteral("green");
    const QString other = QStringLiteral("blue");
    for (int i = 0; i < trials; ++i) {
        // A good release of everything, verified; then the train with a bad api.
        const QString good = QStringLiteral("v1.%1").arg(i);
        const QString bad = QStringLiteral("v2.%1").arg(i);
        std::vector<protocol::ReleaseInfo> goods;
        for (const auto &name : services) {
            if (const auto done = s.deploy(name, live, good); !done)
                return fail(done.error().message);
            if (const auto done = s.route(name, {{"colour", live}}); !done)
                return fail(done.error().message);
            const auto r = s.record(name, good, live);
            if (!r)
                return fail(r.error().message);
            goods.push_back(*r);
        }
        for (const auto &r : goods)
            if (!s.waitVerified(r))
                return fail(QStringLiteral("%1 %2 was not verified").arg(r.service, r.version));
        if (!quiet(s, services))
            return fail(QStringLiteral("the services never became quiet"));
        if (const auto done = s.fault(QStringLiteral("api"), bad, 0.2); !done)
            return fail(done.error().message);
        const std::size_t mark = s.events().events().size();
        for (const auto &name : services) {
            if (const auto done = s.deploy(name, other, bad); !done)
                return fail(done.error().message);
            if (const auto done = s.route(name, {{"colour", other}}); !done)
                return fail(done.error().message);
            watches[name]->expect(live);
            if (const auto done = s.record(name, bad, other); !done)
                return fail(done.error().message);
        }
        const auto rollback = s.waitRollback(mark);
        if (!rollback)
            return fail(QStringLiteral("no rollback of the train %1").arg(bad));
        timings.push_back(timingOf(s, mark, *rollback, watches));
        QStringList order;
        for (const auto &t : rollback->targets)
            order.append(t.service);
        const auto at = [](const std::vector<double> &v, std::size_t k) {
            return k < v.size() ? v[k] : 0.0;
        };
        const auto &t = timings.back();
        std::printf("  trial %d: %s; plan %4.0f ms, %s switch steps done at %5.0f/%5.0f/%5.0f "
                    "ms, answered through nginx at %5.0f/%5.0f/%5.0f ms, done at %5.0f ms  %s\n",
                    i + 1, qPrintable(order.join(QStringLiteral(" -> "))), t.plan,
                    qPrintable(order.join(u'/')), at(t.switched, 0), at(t.switched, 1),
                    at(t.switched, 2), at(t.answered, 0), at(t.answered, 1), at(t.answered, 2),
                    t.done, t.ok ? "succeeded" : "FAILED");
        std::fflush(stdout);
    }
    std::vector<double> plan, done;
    std::vector<double> switched[3], answered[3]; // by position in the rollback's order
    for (const auto &t : timings) {
        plan.push_back(t.plan);
        for (std::size_t k = 0; k < 3; ++k) {
            if (t.switched.size() == 3)
                switched[k].push_back(t.switched[k]);
            if (t.answered.size() == 3 && t.answered[k] >= 0)
                answered[k].push_back(t.answered[k]);
        }
        done.push_back(t.done);
    }
    const double floor = median(baseline.served);
    std::printf("\n  release train web -> api -> db, immediate class (medians of %d; [server]: "
                "rewindd's timestamps, [nginx]: seen by the bench through nginx):\n",
                trials);
    std::printf("    %-68s %8.0f ms   (baseline)\n",
                "[nginx] the fleet's own switch, until nginx answers", floor);
    std::printf("    %-68s %8.0f ms\n", "[server] plan (firing -> plan started)", median(plan));
    const char *const names[] = {"web (first)", "api (after web)", "db (last)"};
    for (std::size_t k = 0; k < 3; ++k) {
        const QString server = QStringLiteral("[server] firing -> %1 switch step finished")
                                   .arg(QLatin1String(names[k]));
        const QString nginx =
            QStringLiteral("[nginx] firing -> %1 answers from the restored colour")
                .arg(QLatin1String(names[k]));
        std::printf("    %-68s %8.0f ms   %5.2fx baseline\n", qPrintable(server),
                    median(switched[k]), median(switched[k]) / floor);
        std::printf("    %-68s %8.0f ms   %5.2fx baseline   (%zu of %d seen)\n", qPrintable(nginx),
                    median(answered[k]), median(answered[k]) / floor, answered[k].size(), trials);
    }
    std::printf("    %-68s %8.0f ms\n", "[server] firing -> all three verified", median(done));
    std::fflush(stdout);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int trials = argc > 1 ? std::max(1, QString::fromLocal8Bit(argv[1]).toInt()) : 5;
    std::printf(
        "Rollback timings on rewind-fleet (nginx, load through it, checks every 100 ms)\n\n");
    const bool ok = singleService(trials) && releaseTrain(trials);
    return ok ? 0 : 1;
}
