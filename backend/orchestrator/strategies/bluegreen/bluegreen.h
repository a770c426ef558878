#pragma once

#include "common/result.h"
#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: blue_green` — the previous release still runs on the other colour: switch traffic back
// to it through the executor (`switch_traffic`), then verify health. The failed colour keeps
// running for debugging unless `keep_failed: false`, in which case `retire_executor` stops it
// (`retire`) once the service is verified. In a gradual rollback, traffic first moves back in
// the class's shifts (`set_weights`), each watched, before all of it is switched.
class BlueGreenStrategy final : public Strategy
{
public:
    // `retireExecutor` empty: the failed colour is kept (keep_failed).
    BlueGreenStrategy(QString executor, QString retireExecutor)
        : m_executor(std::move(executor))
        , m_retireExecutor(std::move(retireExecutor))
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("blue_green"); }
    [[nodiscard]] Result<QList<StepSpec>> plan(const Target &target,
                                               const PlanContext &context) const override;
    [[nodiscard]] QList<ActionUse> actions() const override;

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    QString m_executor;
    QString m_retireExecutor; // stops the failed colour once verified; empty: it is kept
};

} // namespace rwd::orchestrator
