#pragma once

#include "access.h"
#include "api/apibackend.h"
#include "common/clock.h"
#include "common/result.h"
#include "config/config.h"

#include <QByteArray>
#include <QJsonObject>

#include <variant>

namespace rwd::client {
struct ReportData;
}
namespace rwd::store {
class Store;
}
namespace rwd::events {
class EventHub;
}
namespace rwd::monitor {
class MetricHistory;
}
namespace rwd::rules {
class RuleEngine;
}
namespace rwd::releases {
class ReleaseTracker;
}
namespace rwd::orchestrator {
class Orchestrator;
}
namespace rwd::audit {
class AuditLog;
}

namespace rwd::server {

// What the API's backend needs of the running daemon beyond its parts: the services' status, the
// recording of a release and of a pushed signal (after the API checked the permissions), a live
// release's verdict so far, and the daemon's own health and numbers. rewindd's Daemon implements
// it.
class Runtime
{
public:
    virtual ~Runtime() = default;
    [[nodiscard]] virtual QList<protocol::ServiceStatus> allServices() const = 0;
    [[nodiscard]] virtual Result<protocol::ReleaseInfo>
    recordRelease(const releases::DeploymentRequest &request) = 0;
    [[nodiscard]] virtual Result<qint64> feedSignal(const QString &service, const QString &check,
                                                    const QJsonObject &signal) = 0;
    // The verdict on a live release now, from what its checks saw since it went live.
    [[nodiscard]] virtual protocol::VerificationInfo
    verificationOf(const protocol::ReleaseInfo &release) const = 0;
    [[nodiscard]] virtual QByteArray metrics() const = 0;
    [[nodiscard]] virtual QJsonObject health(bool *serving) const = 0;
};

// The application's services behind the API (REST and WebSocket): each command is authorised by
// Access, carried out by the part it belongs to (the release tracker, the orchestrator, the
// accounts, the store), and audited; each read is filtered to what the caller may see. The
// daemon builds one with its parts and rebuilds it with them on a reload; it decides nothing of
// this itself.
class ApiService final : public api::ApiBackend
{
public:
    struct Parts
    {
        const config::Config *config = nullptr;
        const Clock *clock = nullptr;
        store::Store *store = nullptr;
        auth::Accounts *accounts = nullptr;
        audit::AuditLog *audit = nullptr;
        events::EventHub *events = nullptr;
        orchestrator::Orchestrator *orchestrator = nullptr;
        releases::ReleaseTracker *releases = nullptr;
        rules::RuleEngine *rules = nullptr;
        monitor::MetricHistory *history = nullptr;
        Runtime *runtime = nullptr;
    };
    explicit ApiService(const Parts &parts);

    [[nodiscard]] Result<auth::Principal> authenticate(const QString &token) override;
    [[nodiscard]] Result<auth::Accounts::Session> login(const QString &name,
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
    // reports.cpp
    [[nodiscard]] Result<Report> incidentReport(const api::Caller &caller, qint64 id,
                                                ReportFormat format) override;
    [[nodiscard]] QList<protocol::DeliveryInfo> deliveries(const auth::Principal &who, int limit,
                                                           int offset) const override;
    [[nodiscard]] bool maySee(const auth::Principal &who, const QStringList &scope) const override;
    [[nodiscard]] Result<MetricSeries> metricSeries(const auth::Principal &who,
                                                    const QString &service,
                                                    const MetricsRange &range) const override;
    [[nodiscard]] bool mayReadService(const auth::Principal &who,
                                      const QString &service) const override;
    [[nodiscard]] QList<QPair<QString, double>> metricStep(const QString &service,
                                                           qint64 stepStartMs) const override;
    [[nodiscard]] qint64 metricStepMs() const override;
    [[nodiscard]] Result<protocol::ReleaseInfo>
    recordDeployment(const api::Caller &caller,
                     const releases::DeploymentRequest &request) override;
    [[nodiscard]] Result<protocol::RollbackInfo>
    requestRollback(const api::Caller &caller, orchestrator::RollbackRequest request) override;
    [[nodiscard]] Result<protocol::RollbackInfo> decideRollback(const api::Caller &caller,
                                                                qint64 id, bool approve,
                                                                const QString &comment) override;
    [[nodiscard]] Result<protocol::RollbackInfo> abortRollback(const api::Caller &caller, qint64 id,
                                                               const QString &reason) override;
    [[nodiscard]] Result<protocol::IncidentInfo>
    addIncidentNote(const api::Caller &caller, qint64 id, const QString &text) override;
    [[nodiscard]] Result<qint64> pushSignal(const api::Caller &caller, const QString &service,
                                            const QString &check,
                                            const QJsonObject &signal) override;
    [[nodiscard]] Result<QList<store::User>> users(const api::Caller &caller) override;
    [[nodiscard]] Result<store::User> addUser(const api::Caller &caller, const QString &name,
                                              const QString &password,
                                              const QJsonObject &roles) override;
    [[nodiscard]] Result<QPair<store::Token, QString>> createToken(const api::Caller &caller,
                                                                   const QString &user,
                                                                   const QString &name,
                                                                   qint64 ttlMs) override;
    [[nodiscard]] Result<QList<store::Token>> tokens(const api::Caller &caller,
                                                     const QString &user) override;
    [[nodiscard]] Result<store::Token> revokeToken(const api::Caller &caller, qint64 id) override;
    [[nodiscard]] Result<QList<audit::Entry>> auditEntries(const api::Caller &caller,
                                                           qint64 afterId, int limit) override;
    [[nodiscard]] QByteArray metrics() const override { return m_runtime->metrics(); }
    [[nodiscard]] QJsonObject health(bool *serving) const override
    {
        return m_runtime->health(serving);
    }
    [[nodiscard]] bool publicMetrics() const override { return m_config->auth.publicMetrics; }

private:
    // The audit of a command a caller gave (who, from where, what, on what).
    void auditCommand(const api::Caller &caller, const QString &action, const QString &target,
                      const QJsonObject &details = {});
    // Reports (reports.cpp): everything the report of incident `i` is made of, and the Markdown
    // drawn from it.
    [[nodiscard]] client::ReportData reportData(const protocol::IncidentInfo &i) const;
    [[nodiscard]] static QByteArray markdownReport(const client::ReportData &data);

    const config::Config *m_config;
    const Clock &m_clock;
    store::Store *m_store;
    auth::Accounts *m_accounts;
    audit::AuditLog *m_audit;
    events::EventHub *m_events;
    orchestrator::Orchestrator *m_orchestrator;
    releases::ReleaseTracker *m_releases;
    rules::RuleEngine *m_rules;
    monitor::MetricHistory *m_history;
    Runtime *m_runtime;
    Access m_access;
};

} // namespace rwd::server
