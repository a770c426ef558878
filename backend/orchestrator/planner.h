#pragma once

#include "common/error.h"
#include "common/protocol.h"
#include "common/result.h"
#include "config/config.h"
#include "ports.h"
#include "strategy.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <functional>
#include <optional>
#include <variant>

namespace rwd::orchestrator {

// A request to roll services back, from a rule, a person or a pipeline.
struct RollbackRequest
{
    QStringList services;
    QString reason;
    QString requestedBy;
    // "rule:<name>" (automatic), "cross-service:<rule>" (a rule of one service rolls back
    // others), "manual" (a person), "api" (a pipeline).
    QString trigger;
    // fast: only these services; immediate: also every service connected to them through
    // depends_on whose current release is not yet verified, with the immediate class's limits;
    // gradual: traffic moves back in steps, each watched.
    QString rollbackClass = QStringLiteral("fast");
    QHash<QString, QString> versions; // explicit target version per service (else last verified)
    qint64 firingId = 0;
    QString severity; // of the firing, for the environments' auto_approve
    bool dryRun = false;

    [[nodiscard]] bool automatic() const
    {
        return trigger.startsWith(QLatin1String("rule:")) ||
               trigger.startsWith(QLatin1String("cross-service:"));
    }
};

// What the planner may look at.
struct PlanInputs
{
    const config::Config *config = nullptr;
    QHash<QString, Strategy *> strategies;    // by service
    QHash<QString, StepExecutor *> executors; // by executor name
    std::function<std::optional<protocol::ReleaseInfo>(const QString &service)> current;
    // The newest verified release other than the current one.
    std::function<std::optional<protocol::ReleaseInfo>(const QString &service)> rollbackTarget;
    // The newest release of `service` with `version` (explicit targets).
    std::function<std::optional<protocol::ReleaseInfo>(const QString &service,
                                                       const QString &version)>
        release;
    std::function<bool(const QString &service)> busy; // already being rolled back
};

struct Plan
{
    protocol::RollbackInfo info;
    QList<QJsonObject> params; // per step, in index order
};

// Builds the plan for `request`: the targets (with the class's expansion), the order between
// them — a service is rolled back only after every target that depends on it, directly or
// through other services (the reverse of the order releases go out in), and independent targets
// in parallel — and each target's steps from its strategy, with `preserve_logs` first where the
// service collects logs. Refused with a stable error code when a service is unknown, busy, has
// no strategy, no release to leave or none to go to, or its strategy cannot plan it.
[[nodiscard]] Result<Plan> buildPlan(const PlanInputs &inputs, const RollbackRequest &request,
                                     qint64 nowMs);

// Whether `service` depends on `other`, directly or through other services.
[[nodiscard]] bool dependsOn(const config::Config &config, const QString &service,
                             const QString &other);

} // namespace rwd::orchestrator
