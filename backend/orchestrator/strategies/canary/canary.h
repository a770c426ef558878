#pragma once

#include "common/result.h"
#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: canary` — the failed release is a canary taking part of the traffic next to the stable
// release: move the canary's weight back to 0 through the executor (`set_weights`), at once or in
// `steps` (canary percentages, e.g. [50, 0]) with a `pause` and a health check between them,
// then verify health. The canary's instances keep running; only their traffic stops.
class CanaryStrategy final : public Strategy
{
public:
    CanaryStrategy(QString executor, QList<int> steps, qint64 pauseMs)
        : m_executor(std::move(executor))
        , m_steps(std::move(steps))
        , m_pauseMs(pauseMs)
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("canary"); }
    [[nodiscard]] Result<QList<StepSpec>> plan(const Target &target,
                                               const PlanContext &context) const override;
    [[nodiscard]] QList<ActionUse> actions() const override
    {
        return {{m_executor, QStringLiteral("set_weights"), QStringLiteral("executor")}};
    }

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    QString m_executor;
    QList<int> m_steps; // canary weights, descending, ending with 0
    qint64 m_pauseMs = 0;
};

} // namespace rwd::orchestrator
