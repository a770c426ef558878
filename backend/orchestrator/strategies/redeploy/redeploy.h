#pragma once

#include "common/result.h"
#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: redeploy` — deploys the previous release again in place through the executor (its
// `redeploy` action, or the one named by `action:`), then verifies health. For services with a
// single set of instances: a Kubernetes Deployment, a compose service, a systemd unit, a script.
class RedeployStrategy final : public Strategy
{
public:
    RedeployStrategy(QString executor, QString action)
        : m_executor(std::move(executor))
        , m_action(std::move(action))
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("redeploy"); }
    [[nodiscard]] Result<QList<StepSpec>> plan(const Target &target,
                                               const PlanContext &context) const override;
    [[nodiscard]] QList<ActionUse> actions() const override
    {
        return {{m_executor, m_action, QStringLiteral("executor")}};
    }

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    QString m_executor;
    QString m_action;
};

} // namespace rwd::orchestrator
