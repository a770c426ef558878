#pragma once

#include "common/error.h"
#include "common/protocol.h"
#include "orchestrator/orchestrator.h"
#include "releases/releasetracker.h"

#include <optional>
#include <variant>

namespace rwd::api {

// What the API needs from the daemon. The API layer translates HTTP and WebSocket into these
// calls and their results back into JSON; it holds no state of its own.
class ApiBackend
{
public:
    virtual ~ApiBackend() = default;

    [[nodiscard]] virtual protocol::Snapshot snapshot() const = 0;
    [[nodiscard]] virtual QList<protocol::ServiceStatus> services() const = 0;
    [[nodiscard]] virtual std::variant<protocol::ReleaseInfo, Error>
    recordDeployment(const releases::DeploymentRequest &request) = 0;
    [[nodiscard]] virtual QList<protocol::ReleaseInfo> releases(const QString &service,
                                                                int limit) const = 0;
    [[nodiscard]] virtual QList<protocol::RollbackInfo> rollbacks(int limit, int offset) const = 0;
    [[nodiscard]] virtual std::optional<protocol::RollbackInfo> rollback(qint64 id) const = 0;
    [[nodiscard]] virtual std::variant<protocol::RollbackInfo, Error>
    requestRollback(const orchestrator::RollbackRequest &request) = 0;
    // Feeds a pushed sample to a `signal` check: {ok, error, fields} as documented for
    // POST /api/v1/signals. Returns the time it was recorded at.
    [[nodiscard]] virtual std::variant<qint64, Error>
    pushSignal(const QString &service, const QString &check, const QJsonObject &signal) = 0;
    // Database snapshots, newest first (`service` empty: all).
    [[nodiscard]] virtual QList<protocol::SnapshotInfo> snapshots(const QString &service,
                                                                  bool withPruned) const = 0;
    // The deployment freezes in force now, one per frozen service.
    [[nodiscard]] virtual QList<protocol::FreezeInfo> freezes() const = 0;
    [[nodiscard]] virtual QList<protocol::IncidentInfo> incidents(int limit, int offset) const = 0;
    [[nodiscard]] virtual std::optional<protocol::IncidentInfo> incident(qint64 id) const = 0;
};

// The HTTP status for an error code (see docs/api/errors.md).
[[nodiscard]] int httpStatusOf(const QString &code);

} // namespace rwd::api
