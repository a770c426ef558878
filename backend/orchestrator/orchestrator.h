#pragma once

#include "common/clock.h"
#include "common/error.h"
#include "common/protocol.h"
#include "config/config.h"
#include "strategy.h"
#include "verification.h"

#include <QHash>
#include <QObject>

#include <map>
#include <memory>
#include <variant>

namespace rwd::store {
class Store;
}
namespace rwd::events {
class EventHub;
}
namespace rwd::releases {
class ReleaseTracker;
}
namespace rwd::monitor {
class MetricStore;
}
namespace rwd::executors {
class Executor;
}

namespace rwd::orchestrator {

// A request to roll services back, from a rule, a person or a pipeline.
struct RollbackRequest
{
    QStringList services;
    QString reason;
    QString requestedBy;
    QString trigger; // "rule:<name>", "manual", "api"
    qint64 firingId = 0;
    bool dryRun = false;
};

// Turns rollback requests into plans and runs them: builds the targets and their steps from
// each service's strategy, applies the environment's policy (automatic or not, approval), and
// executes steps one after another through executors, journaling each step in the store before
// and after it runs and publishing every transition as an event.
class Orchestrator final : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        const config::Config *config = nullptr;
        store::Store *store = nullptr;
        events::EventHub *events = nullptr;
        releases::ReleaseTracker *releases = nullptr;
        monitor::MetricStore *metrics = nullptr;
        const Clock *clock = nullptr;
        QHash<QString, executors::Executor *> executors; // by executor name
        QHash<QString, Strategy *> strategies;           // by service name
    };

    explicit Orchestrator(Parts parts, QObject *parent = nullptr);
    ~Orchestrator() override;

    // Builds (and unless dry-run, stores and starts) a plan. Refused with an error when a
    // service is unknown, already being rolled back, has no strategy or no release to go to.
    [[nodiscard]] std::variant<protocol::RollbackInfo, Error>
    request(const RollbackRequest &request);

    // A rule with `action: rollback` fired for a service.
    void onRuleFired(const config::RuleConfig &rule, const protocol::FiringInfo &firing,
                     qint64 firingId);
    // A sample of `service` arrived: a running verification may now be decided.
    void onSample(const QString &service);
    // Decides verifications that timed out. Called regularly by the daemon.
    void tick();

    [[nodiscard]] bool isRollingBack(const QString &service) const;
    [[nodiscard]] QList<protocol::RollbackInfo> active() const;

signals:
    void rollbackFinished(const rwd::protocol::RollbackInfo &rollback);

private:
    struct ActivePlan
    {
        protocol::RollbackInfo info;
        QList<QJsonObject> params;
        int attempt = 0;
        int current = -1;
        std::unique_ptr<HealthVerification> verification;
    };

    [[nodiscard]] std::variant<std::pair<protocol::RollbackInfo, QList<QJsonObject>>, Error>
    buildPlan(const RollbackRequest &request) const;
    void start(qint64 id);
    void runStep(ActivePlan &plan, int index);
    void stepFinished(qint64 planId, int index, bool ok, const QString &message);
    void finish(ActivePlan &plan, PlanState state, const QString &message);
    void setPlanState(ActivePlan &plan, PlanState state);
    void decideVerification(ActivePlan &plan);

    Parts m_parts;
    std::map<qint64, std::unique_ptr<ActivePlan>> m_active;
};

} // namespace rwd::orchestrator
