#include "scenario.h"

#include "client/sync/syncrest.h"
#include "common/duration.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace rwd::drill {

namespace {

constexpr int kStartTimeoutMs = 30'000;
constexpr int kVerifyTimeoutMs = 60'000;
constexpr int kRollbackTimeoutMs = 60'000;
// Requests in flight when nginx reloads finish on the old workers; traffic is judged from this
// long after the switch.
constexpr qint64 kSwitchGraceMs = 500;
constexpr qint64 kTrafficSampleRequests = 100;

QString yamlQuote(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    return u'"' + escaped + u'"';
}

} // namespace

QString TrafficStats::describe() const
{
    QStringList versions;
    for (auto it = byVersion.begin(); it != byVersion.end(); ++it)
        versions.append(QStringLiteral("%1: %2").arg(it.key()).arg(it.value().toInteger()));
    return QStringLiteral("%1 requests, %2 errors (%3%), served by %4")
        .arg(requests)
        .arg(errors)
        .arg(errorRate() * 100, 0, 'f', 1)
        .arg(versions.isEmpty() ? QStringLiteral("-") : versions.join(QStringLiteral(", ")));
}

Scenario::Scenario(ScenarioOptions options)
    : m_options(std::move(options))
{}

Scenario::~Scenario()
{
    stop();
}

QString Scenario::configPath() const
{
    return QDir(m_workDir).filePath(QStringLiteral("rewind.yaml"));
}

Result<void> Scenario::start()
{
    if (m_options.workDir.isEmpty()) {
        m_temp = std::make_unique<QTemporaryDir>(
            QDir::temp().filePath(QStringLiteral("rewind-drill-XXXXXX")));
        if (!m_temp->isValid())
            return failure(QStringLiteral("cannot create a temporary directory"));
        m_workDir = m_temp->path();
    } else {
        m_workDir = QDir(m_options.workDir).absolutePath();
        QDir().mkpath(m_workDir);
    }
    m_token = randomToken();
    if (auto fleet = startFleet(); !fleet)
        return fleet;
    if (auto config = writeConfig(); !config)
        return config;
    if (auto daemon = startDaemon(); !daemon)
        return daemon;
    return m_recorder.connectTo(m_rewindUrl, m_token, kStartTimeoutMs);
}

void Scenario::stop()
{
    m_recorder.close();
    if (m_daemon)
        m_daemon->stop();
    if (m_fleet)
        m_fleet->stop();
}

Result<void> Scenario::startFleet()
{
    m_fleet = std::make_unique<ManagedProcess>(
        QStringLiteral("rewind-fleet"), QDir(m_workDir).filePath(QStringLiteral("fleet.log")));
    const QStringList args{
        QStringLiteral("--dir"),       QDir(m_workDir).filePath(QStringLiteral("fleet")),
        QStringLiteral("--load-rps"),  QString::number(m_options.loadRps),
        QStringLiteral("--log-level"), m_options.logLevel};
    if (auto started = m_fleet->start(
            QDir(m_options.binDir).filePath(QStringLiteral("rewind-fleet")), args, kStartTimeoutMs);
        !started)
        return started;
    m_fleetInfo = m_fleet->ready();
    m_fleetUrl = QUrl(m_fleetInfo.value(QLatin1String("control")).toString());
    m_fleetRest.setBaseUrl(m_fleetUrl);
    return {};
}

Result<void> Scenario::writeConfig()
{
    const auto nginx = m_fleetInfo.value(QLatin1String("nginx")).toObject();
    const auto services = m_fleetInfo.value(QLatin1String("services")).toObject();
    QString yaml;
    yaml += QStringLiteral("# Written by the Rewind drill for the sandbox fleet it started.\n"
                           "server:\n  listen: \"127.0.0.1:0\"\n  store: \"sqlite:rewind.db\"\n"
                           "environments:\n  %2:\n    auto_rollback: true\n"
                           "    verify_after: %1\n")
                .arg(formatDuration(m_options.verifyAfterMs), m_options.environment);
    if (!m_options.environmentKeys.isEmpty())
        yaml += QStringLiteral("    %1\n").arg(m_options.environmentKeys);
    if (m_options.approvals > 0)
        yaml += QStringLiteral("    approval: {required: true, approvals: %1, roles: [approver], "
                               "expires: 30m}\n")
                    .arg(m_options.approvals);
    yaml += QStringLiteral("services:\n");
    // Order the services so that dependencies come first, as people usually write them.
    QStringList names = services.keys();
    std::sort(names.begin(), names.end(), [&](const QString &a, const QString &b) {
        return services.value(a).toObject().value(QLatin1String("depends_on")).toArray().size() <
               services.value(b).toObject().value(QLatin1String("depends_on")).toArray().size();
    });
    for (const auto &name : std::as_const(names)) {
        const auto s = services.value(name).toObject();
        QStringList deps;
        for (const auto &d : s.value(QLatin1String("depends_on")).toArray())
            deps.append(d.toString());
        yaml +=
            QStringLiteral("  - name: %1\n    environment: %3\n    kind: %2\n")
                .arg(name, deps.isEmpty() ? QStringLiteral("backend") : QStringLiteral("frontend"),
                     m_options.environment);
        if (!deps.isEmpty())
            yaml += QStringLiteral("    depends_on: [%1]\n").arg(deps.join(QStringLiteral(", ")));
        yaml +=
            QStringLiteral("    checks:\n      - {name: health, type: http, url: %1, "
                           "interval: %2, timeout: 1s%3}\n")
                .arg(
                    yamlQuote(s.value(QLatin1String("url")).toString() + QStringLiteral("/health")),
                    formatDuration(m_options.checkIntervalMs),
                    m_options.checkKeys.isEmpty() ? QString()
                                                  : QStringLiteral(", ") + m_options.checkKeys);
        yaml += QStringLiteral("    strategy: {type: blue_green, executor: nginx-%1}\n"
                               "    verification: {consecutive_successes: 3, timeout: 30s}\n")
                    .arg(name);
        if (m_options.preserveLogs)
            yaml += QStringLiteral("    logs: {files: [%1], max_bytes: 262144}\n")
                        .arg(yamlQuote(QDir(m_workDir).filePath(QStringLiteral("fleet.log"))));
    }
    if (!m_options.rules.isEmpty())
        yaml += QStringLiteral("rules:\n") + m_options.rules;
    else
        yaml +=
            QStringLiteral("rules:\n"
                           "  - name: error-rate\n"
                           "    when: \"error_rate(health, 5s) > 5% and count(health, 5s) >= 10\"\n"
                           "    severity: critical\n    action: rollback\n    cooldown: 5m\n"
                           "  - name: health-down\n"
                           "    when: \"consecutive_failures(health) >= 3\"\n"
                           "    severity: critical\n    action: rollback\n    cooldown: 5m\n");
    yaml += QStringLiteral("executors:\n");
    for (const auto &name : std::as_const(names)) {
        const auto s = services.value(name).toObject();
        const auto instances = s.value(QLatin1String("instances")).toObject();
        yaml += QStringLiteral("  nginx-%1:\n    type: nginx\n    upstream_file: %2\n"
                               "    upstream: %3\n    targets:\n")
                    .arg(name, yamlQuote(s.value(QLatin1String("upstream_file")).toString()),
                         s.value(QLatin1String("upstream")).toString());
        for (auto it = instances.begin(); it != instances.end(); ++it)
            yaml += QStringLiteral("      %1: %2\n")
                        .arg(it.key(),
                             yamlQuote(
                                 it.value().toObject().value(QLatin1String("address")).toString()));
        yaml +=
            QStringLiteral("    binary: %1\n    prefix: %2\n    config: %3\n    error_log: %4\n")
                .arg(yamlQuote(nginx.value(QLatin1String("binary")).toString()),
                     yamlQuote(nginx.value(QLatin1String("prefix")).toString()),
                     yamlQuote(nginx.value(QLatin1String("config")).toString()),
                     yamlQuote(nginx.value(QLatin1String("error_log")).toString()));
    }
    yaml += sandboxUsers(QStringLiteral("drill"), QStringLiteral("REWIND_DRILL_TOKEN"));
    QFile file(configPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(yaml.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1: %2").arg(configPath(), file.errorString()));
    return {};
}

QString Scenario::tokenFile() const
{
    return QDir(m_workDir).filePath(QStringLiteral("token"));
}

Result<void> Scenario::startDaemon()
{
    // rewindd reads the drill user's token from its environment; the dashboard can read it from
    // a file only the owner may read.
    qputenv("REWIND_DRILL_TOKEN", m_token.toUtf8());
    {
        QFile file(tokenFile());
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            file.write(m_token.toUtf8() + '\n');
        }
    }
    m_daemon = std::make_unique<ManagedProcess>(
        QStringLiteral("rewindd"), QDir(m_workDir).filePath(QStringLiteral("rewindd.log")));
    QStringList args{QStringLiteral("--config"), configPath(), QStringLiteral("--log-level"),
                     m_options.logLevel};
    if (!m_options.webRoot.isEmpty())
        args << QStringLiteral("--web-root") << m_options.webRoot;
    QString program = QDir(m_options.binDir).filePath(QStringLiteral("rewindd"));
    if (!m_options.daemonLauncher.isEmpty()) {
        args.prepend(program);
        args = m_options.daemonLauncher.mid(1) + args;
        program = m_options.daemonLauncher.first();
    }
    if (auto started = m_daemon->start(program, args, kStartTimeoutMs); !started)
        return started;
    m_rewindUrl = QUrl(m_daemon->ready().value(QLatin1String("rewindd")).toString());
    m_rewind.setBaseUrl(m_rewindUrl);
    m_rewind.setToken(m_token);
    return {};
}

client::RestResult Scenario::fleetCall(const QByteArray &method, const QString &path,
                                       const QJsonObject &body)
{
    return client::callAndWait(m_fleetRest, method, path, body);
}

Result<void> Scenario::deploy(const QString &service, const QString &colour, const QString &version)
{
    const auto r = fleetCall("POST", QStringLiteral("/services/%1/deploy").arg(service),
                             {{"colour", colour}, {"version", version}});
    if (!r.ok())
        return failure(QStringLiteral("fleet deploy failed: %1").arg(r.error->message));
    return {};
}

Result<void> Scenario::setFault(const QString &service, const QString &version,
                                const QJsonObject &profile)
{
    const auto r = fleetCall(
        "PUT", QStringLiteral("/services/%1/versions/%2/fault").arg(service, version), profile);
    if (!r.ok())
        return failure(QStringLiteral("fleet fault failed: %1").arg(r.error->message));
    return {};
}

Result<void> Scenario::route(const QString &service, const QString &colour)
{
    const auto r =
        fleetCall("POST", QStringLiteral("/services/%1/route").arg(service), {{"colour", colour}});
    if (!r.ok())
        return failure(QStringLiteral("fleet route failed: %1").arg(r.error->message));
    return {};
}

TrafficStats Scenario::traffic(const QString &service, qint64 sinceMs)
{
    TrafficStats stats;
    const auto r =
        fleetCall("GET", QStringLiteral("/load?since_ms=%1&service=%2").arg(sinceMs).arg(service));
    const auto s =
        r.body.object().value(QLatin1String("services")).toObject().value(service).toObject();
    stats.requests = s.value(QLatin1String("requests")).toInteger();
    stats.errors = s.value(QLatin1String("errors")).toInteger();
    stats.byVersion = s.value(QLatin1String("by_version")).toObject();
    return stats;
}

Result<protocol::ReleaseInfo> Scenario::record(const QString &service, const QString &version,
                                               const QString &target)
{
    const auto r = client::callAndWait(m_rewind, "POST", QStringLiteral("/api/v1/deployments"),
                                       {{"service", service},
                                        {"version", version},
                                        {"target", target},
                                        {"pipeline", QStringLiteral("drill")},
                                        {"deployed_by", QStringLiteral("rewind-drill")}});
    if (!r.ok())
        return failure(
            QStringLiteral("recording %1 %2 failed: %3").arg(service, version, r.error->message));
    return protocol::ReleaseInfo::fromJson(r.body.object());
}

bool Scenario::waitForReleaseState(qint64 id, ReleaseState state, int timeoutMs)
{
    return m_recorder.waitFor(
               QString::fromLatin1(protocol::event::ReleaseStateChanged),
               [&](const protocol::Event &e) {
                   const auto r = protocol::ReleaseInfo::fromJson(e.data);
                   return r.id == id && r.state == state;
               },
               timeoutMs) != nullptr;
}

Result<protocol::ReleaseInfo> Scenario::release(const QString &service, const QString &colour,
                                                const QString &version)
{
    if (auto deployed = deploy(service, colour, version); !deployed)
        return std::move(deployed).error();
    if (auto routed = route(service, colour); !routed)
        return std::move(routed).error();
    return record(service, version, colour);
}

Result<Scenario::BadDeploy>
Scenario::deployBadRelease(const std::function<void(const QString &)> &progress)
{
    const auto say = [&](const QString &text) {
        if (progress)
            progress(text);
    };
    say(QStringLiteral("Recording what runs now: web v1.0 and api v1.0 on blue"));
    for (const auto *service : {"web", "api"}) {
        if (auto recorded =
                record(QLatin1String(service), QStringLiteral("v1.0"), QStringLiteral("blue"));
            !recorded)
            return std::move(recorded).error();
    }
    say(QStringLiteral("Deploying a good release: api v1.1 to green, traffic to green"));
    const auto good =
        release(QStringLiteral("api"), QStringLiteral("green"), QStringLiteral("v1.1"));
    if (!good)
        return good.error();
    say(QStringLiteral("Waiting for Rewind to verify api v1.1 (healthy for %1)")
            .arg(formatDuration(m_options.verifyAfterMs)));
    if (!waitForReleaseState(good->id, ReleaseState::Verified, kVerifyTimeoutMs))
        return failure(
            QStringLiteral("api v1.1 was not verified within %1 s").arg(kVerifyTimeoutMs / 1000));
    say(QStringLiteral("Deploying a bad release: api v1.2 to blue, answering %1% of requests with "
                       "HTTP 500%2")
            .arg(m_options.badErrorRate * 100, 0, 'f', 0)
            .arg(m_options.badLatencyMs > 0
                     ? QStringLiteral(" and %1 ms slower").arg(m_options.badLatencyMs)
                     : QString()));
    if (auto faulty = setFault(
            QStringLiteral("api"), QStringLiteral("v1.2"),
            {{"error_rate", m_options.badErrorRate}, {"latency_ms", m_options.badLatencyMs}});
        !faulty)
        return std::move(faulty).error();
    BadDeploy out;
    out.mark = m_recorder.events().size();
    out.deployMs = QDateTime::currentMSecsSinceEpoch();
    const auto bad = release(QStringLiteral("api"), QStringLiteral("blue"), QStringLiteral("v1.2"));
    if (!bad)
        return bad.error();
    out.release = *bad;
    return out;
}

Scenario::Outcome Scenario::runBadDeploy(const std::function<void(const QString &)> &progress)
{
    const auto say = [&](const QString &text) {
        if (progress)
            progress(text);
    };
    Outcome out;
    const auto fail = [&](const QString &why) {
        out.failure = why;
        return out;
    };
    const auto deployed = deployBadRelease(progress);
    if (!deployed)
        return fail(deployed.error().message);
    const std::size_t mark = deployed->mark;
    out.badDeployMs = deployed->deployMs;
    const auto *bad = &deployed->release;

    say(QStringLiteral("Watching Rewind detect it and roll back…"));
    const auto *finished = m_recorder.waitFor(
        QString::fromLatin1(protocol::event::RollbackFinished), {}, kRollbackTimeoutMs, mark);
    if (!finished)
        return fail(QStringLiteral("no rollback finished within %1 s of the bad deploy")
                        .arg(kRollbackTimeoutMs / 1000));
    out.rollback = protocol::RollbackInfo::fromJson(
        finished->event.data.value(QLatin1String("rollback")).toObject());
    const auto *switched = m_recorder.find(
        QString::fromLatin1(protocol::event::StepFinished),
        [](const protocol::Event &e) {
            const auto step =
                protocol::StepInfo::fromJson(e.data.value(QLatin1String("step")).toObject());
            return step.kind == u"switch_traffic" && step.state == StepState::Succeeded;
        },
        mark);
    out.switchedMs = switched ? switched->receivedMs : 0;
    out.rolledBack = out.rollback->state == PlanState::Succeeded && switched;
    if (!out.rolledBack)
        return fail(QStringLiteral("the rollback ended %1").arg(wireName(out.rollback->state)));

    // Judge the traffic users got: what went through nginx after the switch.
    const qint64 judgeFrom = out.switchedMs + kSwitchGraceMs;
    waitUntil(
        [&] {
            return traffic(QStringLiteral("api"), judgeFrom).requests >= kTrafficSampleRequests;
        },
        30'000);
    out.afterSwitch = traffic(QStringLiteral("api"), judgeFrom);
    const auto sinceDeploy = traffic(QStringLiteral("api"), out.badDeployMs);
    out.duringBad.requests =
        sinceDeploy.requests - traffic(QStringLiteral("api"), out.switchedMs).requests;
    out.duringBad.errors =
        sinceDeploy.errors - traffic(QStringLiteral("api"), out.switchedMs).errors;
    out.timeline = buildTimeline(qint64(mark), bad->deployedAtMs);
    return out;
}

QList<TimelineEntry> Scenario::buildTimeline(qint64 fromIndex, qint64 deployMs) const
{
    namespace ev = protocol::event;
    QList<TimelineEntry> timeline;
    bool sawFailure = false;
    const auto &events = m_recorder.events();
    for (std::size_t i = std::size_t(fromIndex); i < events.size(); ++i) {
        const auto &e = events[i].event;
        const qint64 at = e.timeMs - deployMs;
        const auto type = e.type;
        if (type == QLatin1String(ev::DeploymentRecorded)) {
            const auto r = protocol::ReleaseInfo::fromJson(e.data);
            timeline.append(
                {at, QStringLiteral("deployed %1 %2 to %3").arg(r.service, r.version, r.target)});
        } else if (type == QLatin1String(ev::HealthChanged) && !sawFailure &&
                   e.data.value(QLatin1String("health")).toString() != u"healthy") {
            sawFailure = true;
            timeline.append({at, QStringLiteral("first failed checks: %1 is %2")
                                     .arg(e.data.value(QLatin1String("service")).toString(),
                                          e.data.value(QLatin1String("health")).toString())});
        } else if (type == QLatin1String(ev::RuleFired)) {
            const auto f = protocol::FiringInfo::fromJson(e.data);
            QStringList values;
            for (auto it = f.values.begin(); it != f.values.end(); ++it)
                values.append(QStringLiteral("%1 = %2").arg(
                    it.key(), it.value().isDouble() ? QString::number(it.value().toDouble(), 'g', 3)
                                                    : QStringLiteral("n/a")));
            timeline.append({at, QStringLiteral("rule '%1' fired for %2 (%3)")
                                     .arg(f.rule, f.service, values.join(QStringLiteral(", ")))});
        } else if (type == QLatin1String(ev::RollbackStarted)) {
            const auto r = protocol::RollbackInfo::fromJson(e.data);
            QStringList targets;
            for (const auto &t : r.targets)
                targets.append(
                    QStringLiteral("%1 %2 -> %3").arg(t.service, t.fromVersion, t.toVersion));
            timeline.append({at, QStringLiteral("rollback #%1 started (%2): %3")
                                     .arg(r.id)
                                     .arg(r.strategy, targets.join(QStringLiteral(", ")))});
        } else if (type == QLatin1String(ev::StepFinished)) {
            const auto s =
                protocol::StepInfo::fromJson(e.data.value(QLatin1String("step")).toObject());
            const QString what = s.kind == u"switch_traffic"  ? QStringLiteral("traffic switched")
                                 : s.kind == u"verify_health" ? QStringLiteral("verified")
                                                              : s.kind;
            timeline.append(
                {at,
                 QStringLiteral("%1 (%2, %3 ms): %4")
                     .arg(s.state == StepState::Succeeded ? what : what + QStringLiteral(" FAILED"),
                          s.description)
                     .arg(s.finishedAtMs - s.startedAtMs)
                     .arg(s.message)});
        } else if (type == QLatin1String(ev::RollbackFinished)) {
            const auto r = protocol::RollbackInfo::fromJson(
                e.data.value(QLatin1String("rollback")).toObject());
            timeline.append(
                {at, QStringLiteral("rollback #%1 %2").arg(r.id).arg(wireName(r.state))});
            break;
        }
    }
    return timeline;
}

} // namespace rwd::drill
