#pragma once

#include "client/restclient.h"
#include "common/protocol.h"
#include "eventrecorder.h"
#include "processes.h"

#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace rwd::drill {

struct ScenarioOptions
{
    QString binDir;  // where rewind-fleet and rewindd are
    QString workDir; // empty: a fresh temporary directory, removed afterwards
    int loadRps = 50;
    double badErrorRate = 0.2;
    int badLatencyMs = 0;
    int verifyAfterMs = 3000;
    QString logLevel = QStringLiteral("info");
    // The environment of the fleet's services. With `approvals` > 0 its policy asks for that
    // many approvals (role approver) before a rollback runs.
    QString environment = QStringLiteral("staging");
    int approvals = 0;
    // Rollbacks preserve the fleet's log (fleet.log) of each service they act on first: their
    // plans start with a preserve_logs step.
    bool preserveLogs = false;
    // rewindd serves the browser dashboard from this directory at /app/ (--web-root); empty:
    // it serves none.
    QString webRoot;
    // The health checks' interval, and more keys for them (e.g. "fast_interval: 0s").
    int checkIntervalMs = 100;
    QString checkKeys;
    // More keys of the environment's policy (e.g. "grace_period: 10s").
    QString environmentKeys;
    // The `rules:` entries (YAML list items); empty: the error-rate and health-down rules.
    QString rules;
    // rewindd is started through this command (e.g. prlimit --nofile=1024:1024 --); empty: none.
    QStringList daemonLauncher;
};

// One line of the printed timeline: milliseconds after the bad deploy, and what happened.
struct TimelineEntry
{
    qint64 offsetMs = 0;
    QString text;
};

// Traffic the fleet's load generator saw through nginx for one service.
struct TrafficStats
{
    qint64 requests = 0;
    qint64 errors = 0;
    QJsonObject byVersion;

    [[nodiscard]] double errorRate() const
    {
        return requests > 0 ? double(errors) / double(requests) : 0;
    }
    [[nodiscard]] QString describe() const;
};

// The sandbox scenario shared by the demo, the end-to-end tests and drills: a real
// rewind-fleet behind nginx, a real rewindd on a fresh SQLite store, deployments recorded
// through the API as CI would, and a bad release rolled back. Every process it starts is
// stopped when it is destroyed.
class Scenario
{
public:
    explicit Scenario(ScenarioOptions options);
    ~Scenario();
    Q_DISABLE_COPY_MOVE(Scenario)

    // Starts rewind-fleet, writes rewind.yaml for it, starts rewindd and connects an event
    // recorder.
    [[nodiscard]] Result<void> start();
    void stop();

    [[nodiscard]] QString workDir() const { return m_workDir; }
    [[nodiscard]] QUrl rewindUrl() const { return m_rewindUrl; }
    [[nodiscard]] QUrl fleetUrl() const { return m_fleetUrl; }
    [[nodiscard]] const QJsonObject &fleet() const { return m_fleetInfo; }
    [[nodiscard]] EventRecorder &events() { return m_recorder; }
    [[nodiscard]] client::RestClient &rewind() { return m_rewind; }
    [[nodiscard]] ManagedProcess *daemon() { return m_daemon.get(); }
    [[nodiscard]] QString configPath() const;
    // The drill's admin token, and the file it is written to (for `rewind --token-file`).
    [[nodiscard]] const QString &token() const { return m_token; }
    [[nodiscard]] QString tokenFile() const;

    // rewind-fleet's control API.
    [[nodiscard]] Result<void> deploy(const QString &service, const QString &colour,
                                      const QString &version);
    [[nodiscard]] Result<void> setFault(const QString &service, const QString &version,
                                        const QJsonObject &profile);
    [[nodiscard]] Result<void> route(const QString &service, const QString &colour);
    [[nodiscard]] TrafficStats traffic(const QString &service, qint64 sinceMs);

    // rewindd's API, as CI calls it.
    [[nodiscard]] Result<protocol::ReleaseInfo>
    record(const QString &service, const QString &version, const QString &target);
    // Waits for a release_state_changed event saying release `id` is `state`.
    bool waitForReleaseState(qint64 id, ReleaseState state, int timeoutMs);

    // Deploy `version` to `colour` with the fleet, route traffic to it, record it.
    [[nodiscard]] Result<protocol::ReleaseInfo>
    release(const QString &service, const QString &colour, const QString &version);

    struct Outcome
    {
        bool rolledBack = false;
        QString failure;
        qint64 badDeployMs = 0;
        qint64 switchedMs = 0;
        std::optional<protocol::RollbackInfo> rollback;
        QList<TimelineEntry> timeline;
        TrafficStats duringBad;
        TrafficStats afterSwitch;
    };

    // The demo: api v1.0 and web v1.0 recorded; api v1.1 deployed to green and verified; api
    // v1.2 (faulty) deployed to blue; wait for Rewind to roll it back; measure the traffic
    // through nginx after the switch.
    Outcome runBadDeploy(const std::function<void(const QString &)> &progress = {});

    // The first half of runBadDeploy: api v1.1 verified, then the faulty v1.2 deployed and
    // recorded; returns at once (for tests that act while Rewind reacts, e.g. approve).
    struct BadDeploy
    {
        protocol::ReleaseInfo release;
        std::size_t mark = 0; // events() index before the bad deploy
        qint64 deployMs = 0;
    };
    [[nodiscard]] Result<BadDeploy>
    deployBadRelease(const std::function<void(const QString &)> &progress);

private:
    [[nodiscard]] Result<void> startFleet();
    [[nodiscard]] Result<void> writeConfig();
    [[nodiscard]] Result<void> startDaemon();
    client::RestResult fleetCall(const QByteArray &method, const QString &path,
                                 const QJsonObject &body = {});
    QList<TimelineEntry> buildTimeline(qint64 fromSeqIndex, qint64 deployMs) const;

    ScenarioOptions m_options;
    std::unique_ptr<QTemporaryDir> m_temp;
    QString m_workDir;
    std::unique_ptr<ManagedProcess> m_fleet;
    std::unique_ptr<ManagedProcess> m_daemon;
    QJsonObject m_fleetInfo;
    QUrl m_fleetUrl;
    QUrl m_rewindUrl;
    client::RestClient m_fleetRest;
    client::RestClient m_rewind;
    EventRecorder m_recorder;
    QString m_token;
};

} // namespace rwd::drill
