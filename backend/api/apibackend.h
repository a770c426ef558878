#pragma once

#include "auth/accounts.h"
#include "auth/principal.h"
#include "common/audit.h"
#include "common/error.h"
#include "common/errorcodes.h"
#include "common/protocol.h"
#include "common/result.h"
#include "orchestrator/orchestrator.h"
#include "releases/releasetracker.h"

#include <optional>
#include <variant>

namespace rwd::api {

// Who is calling, and from where (for permission checks and the audit log).
struct Caller
{
    auth::Principal who;
    QString source; // the client's address
};

// What the API needs from the daemon. The API layer translates HTTP and WebSocket into these
// calls and their results back into JSON; it holds no state of its own. Every call that acts
// checks the caller's permissions for the environments it touches (error `forbidden`) and is
// written to the audit log.
class ApiBackend
{
public:
    virtual ~ApiBackend() = default;

    // Sign-in.
    [[nodiscard]] virtual Result<auth::Principal> authenticate(const QString &token) = 0;
    [[nodiscard]] virtual Result<auth::Accounts::Session> login(const QString &name,
                                                                const QString &password,
                                                                const QString &source,
                                                                qint64 *retryAfterMs) = 0;
    virtual void logout(const Caller &caller) = 0;

    // Reading: only what the caller may see (services of environments where it has a role, and
    // what concerns them).
    [[nodiscard]] virtual protocol::Snapshot snapshot(const auth::Principal &who) const = 0;
    // What the caller may do in each environment where it may do anything: {env: ["read",
    // "deploy", "operate", "approve", "admin"]}, with "approve" following the environment's
    // approval policy. Clients mirror it in their UI; every route still checks for itself.
    [[nodiscard]] virtual QJsonObject permissions(const auth::Principal &who) const = 0;
    [[nodiscard]] virtual QList<protocol::ServiceStatus>
    services(const auth::Principal &who) const = 0;
    [[nodiscard]] virtual QList<protocol::ReleaseInfo>
    releases(const auth::Principal &who, const QString &service, int limit) const = 0;
    struct RollbackFilter
    {
        int limit = 50;
        int offset = 0;
        QString state;   // empty: any
        QString service; // empty: any
    };
    [[nodiscard]] virtual QList<protocol::RollbackInfo>
    rollbacks(const auth::Principal &who, const RollbackFilter &filter) const = 0;
    [[nodiscard]] virtual std::optional<protocol::RollbackInfo> rollback(const auth::Principal &who,
                                                                         qint64 id) const = 0;
    [[nodiscard]] virtual QList<protocol::SnapshotInfo>
    snapshots(const auth::Principal &who, const QString &service, bool withPruned) const = 0;
    [[nodiscard]] virtual QList<protocol::FreezeInfo> freezes(const auth::Principal &who) const = 0;
    [[nodiscard]] virtual QList<protocol::IncidentInfo> incidents(const auth::Principal &who,
                                                                  int limit, int offset) const = 0;
    [[nodiscard]] virtual std::optional<protocol::IncidentInfo> incident(const auth::Principal &who,
                                                                         qint64 id) const = 0;
    // The incident report: Markdown, the data it is made of (JSON: ReportData in
    // docs/api/openapi.yaml), or PDF drawn from that data by the same renderer the clients use
    // (`pdf_unavailable` when this process cannot draw: it has no QGuiApplication).
    enum class ReportFormat
    {
        Markdown,
        Json,
        Pdf,
    };
    struct Report
    {
        QByteArray contentType;
        QByteArray body;
        QString fileName; // what a download is saved as: incident-ID.md, .json or .pdf
    };
    [[nodiscard]] virtual Result<Report> incidentReport(const Caller &caller, qint64 id,
                                                        ReportFormat format) = 0;
    [[nodiscard]] virtual QList<protocol::DeliveryInfo> deliveries(const auth::Principal &who,
                                                                   int limit, int offset) const = 0;
    // Whether `who` may see an event about `scope` (events::servicesOf: the services it
    // concerns; empty: everyone signed in). The scope is computed once per event, this once per
    // client.
    [[nodiscard]] virtual bool maySee(const auth::Principal &who,
                                      const QStringList &scope) const = 0;

    // Metric history (GET /api/v1/services/{name}/metrics, and the `metrics` pushes of
    // /ws/v1). A range is [since, until); the defaults are the 15 minutes up to now.
    struct MetricsRange
    {
        std::optional<qint64> sinceMs;
        std::optional<qint64> untilMs;
        QStringList prefixes; // series whose name starts with one of these; empty: all
    };
    struct MetricSeries
    {
        qint64 stepMs = 0;
        QList<protocol::SeriesInfo> series;
    };
    // A service that is not configured, or that `who` may not read, is `unknown_service`
    // (as if it did not exist); an empty range is `invalid_request`.
    [[nodiscard]] virtual Result<MetricSeries> metricSeries(const auth::Principal &who,
                                                            const QString &service,
                                                            const MetricsRange &range) const = 0;
    // Whether `service` is configured and `who` may read it.
    [[nodiscard]] virtual bool mayReadService(const auth::Principal &who,
                                              const QString &service) const = 0;
    // The value of every series of `service` with data in the closed step that starts at
    // `stepStartMs` (without permission checks: the caller checked mayReadService()).
    [[nodiscard]] virtual QList<QPair<QString, double>> metricStep(const QString &service,
                                                                   qint64 stepStartMs) const = 0;
    [[nodiscard]] virtual qint64 metricStepMs() const = 0;

    // Acting.
    [[nodiscard]] virtual Result<protocol::ReleaseInfo>
    recordDeployment(const Caller &caller, const releases::DeploymentRequest &request) = 0;
    [[nodiscard]] virtual Result<protocol::RollbackInfo>
    requestRollback(const Caller &caller, orchestrator::RollbackRequest request) = 0;
    [[nodiscard]] virtual Result<protocol::RollbackInfo>
    decideRollback(const Caller &caller, qint64 id, bool approve, const QString &comment) = 0;
    [[nodiscard]] virtual Result<protocol::RollbackInfo>
    abortRollback(const Caller &caller, qint64 id, const QString &reason) = 0;
    [[nodiscard]] virtual Result<protocol::IncidentInfo>
    addIncidentNote(const Caller &caller, qint64 id, const QString &text) = 0;
    // Feeds a pushed sample to a `signal` check: {ok, error, fields} as documented for
    // POST /api/v1/signals. Returns the time it was recorded at.
    [[nodiscard]] virtual Result<qint64> pushSignal(const Caller &caller, const QString &service,
                                                    const QString &check,
                                                    const QJsonObject &signal) = 0;

    // Administration (admins of every environment).
    [[nodiscard]] virtual Result<QList<store::User>> users(const Caller &caller) = 0;
    [[nodiscard]] virtual Result<store::User> addUser(const Caller &caller, const QString &name,
                                                      const QString &password,
                                                      const QJsonObject &roles) = 0;
    // Admins, or the user for itself.
    [[nodiscard]] virtual Result<QPair<store::Token, QString>>
    createToken(const Caller &caller, const QString &user, const QString &name, qint64 ttlMs) = 0;
    [[nodiscard]] virtual Result<QList<store::Token>> tokens(const Caller &caller,
                                                             const QString &user) = 0;
    [[nodiscard]] virtual Result<store::Token> revokeToken(const Caller &caller, qint64 id) = 0;
    [[nodiscard]] virtual Result<QList<audit::Entry>> auditEntries(const Caller &caller,
                                                                   qint64 afterId, int limit) = 0;

    // Operating Rewind: Prometheus text for /metrics.
    // /healthz: the store, checks Rewind cannot probe, the API's connections. `serving` is
    // false when Rewind cannot act safely (the store refuses writes): /healthz answers 503.
    [[nodiscard]] virtual QJsonObject health(bool *serving) const = 0;
    [[nodiscard]] virtual QByteArray metrics() const = 0;
    [[nodiscard]] virtual bool publicMetrics() const = 0;
};

} // namespace rwd::api
