#pragma once

#include "catalog.h"
#include "common/clock.h"
#include "common/result.h"
#include "config/config.h"
#include "server/apiservice.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace rwd::http {
class Client;
}
namespace rwd::store {
class Store;
}
namespace rwd::events {
class EventHub;
}
namespace rwd::notify {
class Dispatcher;
}
namespace rwd::monitor {
class Check;
class MetricHistory;
class MetricStore;
class Scheduler;
struct Sample;
} // namespace rwd::monitor
namespace rwd::rules {
class RuleEngine;
struct Transition;
} // namespace rwd::rules
namespace rwd::releases {
class ReleaseTracker;
}
namespace rwd::orchestrator {
class Orchestrator;
class Strategy;
class UrlProber;
} // namespace rwd::orchestrator
namespace rwd::executors {
class Executor;
}
namespace rwd::audit {
class AuditLog;
}
namespace rwd::api {
class HttpServer;
class WebSocketApi;
struct RouteInfo;
} // namespace rwd::api

namespace rwd::daemon {

// rewindd as an object: start() loads and validates the configuration, opens the store, builds
// checks, rules, executors and strategies, and starts the API and the monitor; stop() undoes
// it. Tests run it in-process on a free port; main() only parses arguments.
class Daemon final : public QObject, public server::Runtime
{
    Q_OBJECT

public:
    explicit Daemon(const Clock &clock, QObject *parent = nullptr);
    ~Daemon() override;

    // Fails with every problem in the message (config errors one per line).
    [[nodiscard]] Result<void> start(const QString &configPath);
    void stop();
    // Reads the configuration file again and, when it is valid, rebuilds checks, rules,
    // executors and the API from it (the API keeps its port). An invalid file, or one that
    // cannot be started, leaves the previous configuration running and fails saying why.
    // Refused while a rollback is in progress. Metric windows start empty after a reload.
    [[nodiscard]] Result<void> reload();

    // The directory of the dashboard's browser build served under /app/, instead of
    // server.web_root (rewindd --web-root; kept across reloads). Set before start().
    void setWebRoot(const QString &dir) { m_webRoot = dir; }

    [[nodiscard]] quint16 port() const { return m_port; }
    // Every HTTP route served, for checking against docs/api/openapi.yaml.
    // What clients are told (for benchmarks: publishing at a chosen rate).
    [[nodiscard]] events::EventHub *eventHub() const { return m_events.get(); }
    // The WebSocket side of the API (for tests: heartbeats, timeouts).
    [[nodiscard]] api::WebSocketApi *webSockets() const { return m_ws.get(); }
    [[nodiscard]] QList<api::RouteInfo> routes() const;
    [[nodiscard]] const config::Config &config() const { return *m_config; }

    // rewindd's own health (/healthz: the store, the listener, the checks Rewind cannot make)
    // and numbers (/metrics), daemon_health.cpp.
    [[nodiscard]] QByteArray metrics() const override;
    [[nodiscard]] QJsonObject health(bool *serving) const override;
    // The metric history of every service (for the incident report's charts: series()).
    // Null while stopped; rebuilt empty by a reload.
    [[nodiscard]] const monitor::MetricHistory *metricHistory() const { return m_history.get(); }
    // The API's backend (backend/server): every command and read the API and the WebSocket
    // layer serve. Null while stopped.
    [[nodiscard]] server::ApiService *apiService() const { return m_api.get(); }

private:
    // server::Runtime: what the API's backend needs of the running daemon, without
    // permission checks (it checked them).
    [[nodiscard]] Result<protocol::ReleaseInfo>
    recordRelease(const releases::DeploymentRequest &request) override;
    [[nodiscard]] Result<qint64> feedSignal(const QString &service, const QString &check,
                                            const QJsonObject &signal) override;
    [[nodiscard]] QList<protocol::ServiceStatus> allServices() const override;
    void countRollback(const protocol::RollbackInfo &rollback);

    // Closes open incidents whose services are all healthy and not being rolled back.
    void closeRecoveredIncidents();
    // A database service whose strategy asks for it is snapshotted when a deploy is recorded.
    void snapshotOnDeploy(const protocol::ReleaseInfo &release);
    [[nodiscard]] Result<void> build();
    [[nodiscard]] Result<void> setUpTls();
    void onSample(const QString &service, const QString &check, const monitor::Sample &sample);
    // A probe of `check` could not be made because of Rewind itself (announced once until the
    // check can be probed again), and when it can.
    void noteCheckError(const QString &service, const QString &check,
                        const monitor::Sample &sample);
    void clearCheckError(const QString &service, const QString &check);
    // Announces something a security team should hear of (the security_alert event: audited,
    // and sent to the channels that subscribe to it).
    void securityAlert(const QString &kind, const QString &message, const QJsonObject &data);
    // The release `service` runs changed: windows, rule state and verification start over.
    void releaseSwitched(const QString &service, bool deployed);
    // The verdict on `release` now, from what its checks saw since it went live.
    [[nodiscard]] protocol::VerificationInfo
    verificationOf(const protocol::ReleaseInfo &release) const override;
    void apply(const std::vector<rules::Transition> &transitions);
    void tick();
    // Closes the metric step in progress when its time is over, and sends every step closed
    // since the last push to the WebSocket subscribers.
    void pushMetricSteps(qint64 nowMs);
    // Recomputes the health of `service`; publishes health_changed when it changed, and
    // service_updated when it changed or `force` is set.
    void updateHealth(const QString &service, bool force = false);
    void publishService(const QString &service);
    [[nodiscard]] Health healthOf(const QString &service) const;
    [[nodiscard]] protocol::ServiceStatus statusOf(const config::ServiceConfig &service) const;

    const Clock &m_clock;
    Registries m_registries;
    std::unique_ptr<config::Config> m_config;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<auth::Accounts> m_accounts;
    std::unique_ptr<audit::AuditLog> m_audit;
    std::unique_ptr<events::EventHub> m_events;
    std::unique_ptr<notify::Dispatcher> m_notify;
    std::unique_ptr<monitor::MetricStore> m_metrics;
    std::unique_ptr<monitor::MetricHistory> m_history;
    qint64 m_lastPushedStepMs = -1; // the last metric step sent to WebSocket subscribers
    std::unique_ptr<rules::RuleEngine> m_rules;
    std::unique_ptr<releases::ReleaseTracker> m_releases;
    http::Client *m_httpClient = nullptr;
    std::unique_ptr<orchestrator::UrlProber> m_prober; // over m_httpClient
    std::vector<std::unique_ptr<executors::Executor>> m_executors;
    std::vector<std::unique_ptr<orchestrator::Strategy>> m_strategies;
    std::unique_ptr<orchestrator::Orchestrator> m_orchestrator;
    QHash<QString, orchestrator::Strategy *> m_strategyByService;
    QHash<QString, executors::Executor *> m_executorByName;
    std::unique_ptr<monitor::Scheduler> m_scheduler;
    std::unique_ptr<api::HttpServer> m_http;
    std::unique_ptr<server::ApiService> m_api;
    std::unique_ptr<api::WebSocketApi> m_ws;
    QTimer m_tick;
    qint64 m_lastVerifyMs = 0;
    qint64 m_lastProgressMs = 0;
    quint16 m_port = 0;
    quint16 m_reusePort = 0; // a reload keeps the port an ephemeral listen (port 0) was given
    QString m_configPath;
    QString m_webRoot; // overrides server.web_root when set
    QHash<QString, Health> m_health;
    QHash<QString, qint64> m_firingIds; // rule + service -> firings.id
    // service -> the first rule that fired for it since its live release went live, and when.
    QHash<QString, QPair<QString, qint64>> m_firstFiring;
    struct CheckProblem
    {
        qint64 count = 0;
        qint64 sinceMs = 0;
        qint64 lastMs = 0;
        QString error;
    };
    // service -> check -> a check whose latest probes Rewind could not make.
    QHash<QString, QHash<QString, CheckProblem>> m_checkErrors;
    // Passive checks, fed through pushSignal(), by "service\x1fcheck".
    QHash<QString, std::shared_ptr<monitor::Check>> m_signals;
    // For /metrics: since the daemon started.
    QHash<QString, quint64> m_rollbackOutcomes; // by final state
    std::vector<quint64> m_rollbackDurations;   // counts per bucket of kDurationBuckets
    double m_rollbackSecondsSum = 0;
    quint64 m_rollbackCount = 0;
    QHash<QString, quint64> m_checkRuns; // "service\x1fcheck\x1fok|failed" -> runs
};

} // namespace rwd::daemon
