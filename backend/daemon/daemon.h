#pragma once

#include "api/apibackend.h"
#include "catalog.h"
#include "common/clock.h"
#include "config/config.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace rwd::http {
class Client;
}
namespace rwd::client {
struct ReportData;
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
class Daemon final : public QObject, public api::ApiBackend
{
    Q_OBJECT

public:
    explicit Daemon(const Clock &clock, QObject *parent = nullptr);
    ~Daemon() override;

    // On failure returns false with every problem in `error` (config errors one per line).
    bool start(const QString &configPath, QString *error);
    void stop();
    // Reads the configuration file again and, when it is valid, rebuilds checks, rules,
    // executors and the API from it (the API keeps its port). An invalid file, or one that
    // cannot be started, leaves the previous configuration running; `error` says why. Refused
    // while a rollback is in progress. Metric windows start empty after a reload.
    bool reload(QString *error);

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

    // ApiBackend (daemon_api.cpp): permissions, the audit of commands, filtered reading.
    [[nodiscard]] std::variant<auth::Principal, Error> authenticate(const QString &token) override;
    [[nodiscard]] std::variant<auth::Accounts::Session, Error> login(const QString &name,
                                                                     const QString &password,
                                                                     const QString &source,
                                                                     qint64 *retryAfterMs) override;
    void logout(const api::Caller &caller) override;
    [[nodiscard]] protocol::Snapshot snapshot(const auth::Principal &who) const override;
    [[nodiscard]] QList<protocol::ServiceStatus>
    services(const auth::Principal &who) const override;
    [[nodiscard]] QJsonObject permissions(const auth::Principal &who) const override;
    [[nodiscard]] QList<protocol::ReleaseInfo>
    releases(const auth::Principal &who, const QString &service, int limit) const override;
    [[nodiscard]] QList<protocol::RollbackInfo>
    rollbacks(const auth::Principal &who, const RollbackFilter &filter) const override;
    [[nodiscard]] std::optional<protocol::RollbackInfo> rollback(const auth::Principal &who,
                                                                 qint64 id) const override;
    [[nodiscard]] QList<protocol::SnapshotInfo>
    snapshots(const auth::Principal &who, const QString &service, bool withPruned) const override;
    [[nodiscard]] QList<protocol::FreezeInfo> freezes(const auth::Principal &who) const override;
    [[nodiscard]] QList<protocol::IncidentInfo> incidents(const auth::Principal &who, int limit,
                                                          int offset) const override;
    [[nodiscard]] std::optional<protocol::IncidentInfo> incident(const auth::Principal &who,
                                                                 qint64 id) const override;
    // daemon_report.cpp
    [[nodiscard]] std::variant<Report, Error> incidentReport(const api::Caller &caller, qint64 id,
                                                             ReportFormat format) override;
    [[nodiscard]] QList<protocol::DeliveryInfo> deliveries(const auth::Principal &who, int limit,
                                                           int offset) const override;
    [[nodiscard]] bool maySee(const auth::Principal &who, const QStringList &scope) const override;
    [[nodiscard]] std::variant<MetricSeries, Error>
    metricSeries(const auth::Principal &who, const QString &service,
                 const MetricsRange &range) const override;
    [[nodiscard]] bool mayReadService(const auth::Principal &who,
                                      const QString &service) const override;
    [[nodiscard]] QList<QPair<QString, double>> metricStep(const QString &service,
                                                           qint64 stepStartMs) const override;
    [[nodiscard]] qint64 metricStepMs() const override;
    // The metric history of every service (for the incident report's charts: series()).
    // Null while stopped; rebuilt empty by a reload.
    [[nodiscard]] const monitor::MetricHistory *metricHistory() const { return m_history.get(); }
    [[nodiscard]] std::variant<protocol::ReleaseInfo, Error>
    recordDeployment(const api::Caller &caller,
                     const releases::DeploymentRequest &request) override;
    [[nodiscard]] std::variant<protocol::RollbackInfo, Error>
    requestRollback(const api::Caller &caller, orchestrator::RollbackRequest request) override;
    [[nodiscard]] std::variant<protocol::RollbackInfo, Error>
    decideRollback(const api::Caller &caller, qint64 id, bool approve,
                   const QString &comment) override;
    [[nodiscard]] std::variant<protocol::RollbackInfo, Error>
    abortRollback(const api::Caller &caller, qint64 id, const QString &reason) override;
    [[nodiscard]] std::variant<protocol::IncidentInfo, Error>
    addIncidentNote(const api::Caller &caller, qint64 id, const QString &text) override;
    [[nodiscard]] std::variant<qint64, Error> pushSignal(const api::Caller &caller,
                                                         const QString &service,
                                                         const QString &check,
                                                         const QJsonObject &signal) override;
    [[nodiscard]] std::variant<QList<store::Store::User>, Error>
    users(const api::Caller &caller) override;
    [[nodiscard]] std::variant<store::Store::User, Error>
    addUser(const api::Caller &caller, const QString &name, const QString &password,
            const QJsonObject &roles) override;
    [[nodiscard]] std::variant<QPair<store::Store::Token, QString>, Error>
    createToken(const api::Caller &caller, const QString &user, const QString &name,
                qint64 ttlMs) override;
    [[nodiscard]] std::variant<QList<store::Store::Token>, Error>
    tokens(const api::Caller &caller, const QString &user) override;
    [[nodiscard]] std::variant<store::Store::Token, Error> revokeToken(const api::Caller &caller,
                                                                       qint64 id) override;
    [[nodiscard]] std::variant<QList<audit::Entry>, Error>
    auditEntries(const api::Caller &caller, qint64 afterId, int limit) override;
    [[nodiscard]] QByteArray metrics() const override;
    [[nodiscard]] QJsonObject health(bool *serving) const override;
    [[nodiscard]] bool publicMetrics() const override { return m_config->auth.publicMetrics; }

private:
    // Without permission checks: what the API calls once it checked them.
    [[nodiscard]] std::variant<protocol::ReleaseInfo, Error>
    recordRelease(const releases::DeploymentRequest &request);
    [[nodiscard]] std::variant<qint64, Error>
    feedSignal(const QString &service, const QString &check, const QJsonObject &signal);
    [[nodiscard]] QList<protocol::ServiceStatus> allServices() const;
    // Permissions (daemon_api.cpp).
    [[nodiscard]] QString environmentOf(const QString &service) const;
    [[nodiscard]] bool mayRead(const auth::Principal &who, const QString &service) const;
    [[nodiscard]] bool mayReadAny(const auth::Principal &who, const QStringList &services) const;
    [[nodiscard]] std::optional<Error> require(const auth::Principal &who,
                                               auth::Permission permission,
                                               const QStringList &services) const;
    void auditCommand(const api::Caller &caller, const QString &action, const QString &target,
                      const QJsonObject &details = {});
    void countRollback(const protocol::RollbackInfo &rollback);
    // Reports (daemon_report.cpp): everything the report of incident `i` is made of, and the
    // Markdown drawn from it.
    [[nodiscard]] client::ReportData reportData(const protocol::IncidentInfo &i) const;
    [[nodiscard]] static QByteArray markdownReport(const client::ReportData &data);

    // Closes open incidents whose services are all healthy and not being rolled back.
    void closeRecoveredIncidents();
    // A database service whose strategy asks for it is snapshotted when a deploy is recorded.
    void snapshotOnDeploy(const protocol::ReleaseInfo &release);
    bool build(QString *error);
    bool setUpTls(QString *error);
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
    verificationOf(const protocol::ReleaseInfo &release) const;
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
    std::vector<std::unique_ptr<executors::Executor>> m_executors;
    std::vector<std::unique_ptr<orchestrator::Strategy>> m_strategies;
    std::unique_ptr<orchestrator::Orchestrator> m_orchestrator;
    QHash<QString, orchestrator::Strategy *> m_strategyByService;
    QHash<QString, executors::Executor *> m_executorByName;
    std::unique_ptr<monitor::Scheduler> m_scheduler;
    std::unique_ptr<api::HttpServer> m_http;
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
