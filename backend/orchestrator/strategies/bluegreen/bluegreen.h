#pragma once

#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: blue_green` — the previous release still runs on the other colour: switch traffic back
// to it through the executor, then verify health. The failed colour keeps running so people
// can debug it (`keep_failed: true`, the only behaviour for now).
class BlueGreenStrategy final : public Strategy
{
public:
    explicit BlueGreenStrategy(QString executor)
        : m_executor(std::move(executor))
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("blue_green"); }
    [[nodiscard]] std::variant<QList<StepSpec>, QString> plan(const Target &target) const override;

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    QString m_executor;
};

} // namespace rwd::orchestrator
