#pragma once

#include "common/result.h"
#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: frontend` — a frontend release is a version of static assets: switch the served asset
// version back (the executor's `switch_assets`, with the target release's {{artifact}} and
// {{version}}), purge the CDN so that edges stop serving the bad assets (`purge` names the
// executor whose `purge_cdn` does it; optional), then verify health.
class FrontendStrategy final : public Strategy
{
public:
    FrontendStrategy(QString executor, QString purgeExecutor)
        : m_executor(std::move(executor))
        , m_purgeExecutor(std::move(purgeExecutor))
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("frontend"); }
    [[nodiscard]] Result<QList<StepSpec>> plan(const Target &target,
                                               const PlanContext &context) const override;
    [[nodiscard]] QList<ActionUse> actions() const override;

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    QString m_executor;
    QString m_purgeExecutor;
};

} // namespace rwd::orchestrator
