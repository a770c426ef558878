#pragma once

#include "common/result.h"
#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: rolling` — the service runs on a set of instances that were all moved to the bad
// release. Redeploy the previous release instance by instance, `batch_size` at a time (the
// instances of a batch in parallel, through the executor's `redeploy_instance`), gate each batch
// on its instances' health (`health_gate`: an HTTP URL probed per instance until it passes
// `consecutive` times in a row), `pause` between batches, and verify the whole service at the
// end. A batch that fails its gate halts the plan: the batches after it are not touched.
class RollingStrategy final : public Strategy
{
public:
    struct Instance
    {
        QString name;
        QString address; // host:port, for {{address}} in URLs; may be empty
    };
    struct Gate
    {
        QString url; // template with {{instance}} and {{address}}; empty: no per-batch probe
        int consecutive = 3;
        qint64 intervalMs = 500;
        qint64 timeoutMs = 60'000;
        qint64 probeTimeoutMs = 2'000;
    };
    struct Options
    {
        QString executor;
        QString action = QStringLiteral("redeploy_instance");
        QList<Instance> instances;
        int batchSize = 1;
        int batchPercent = 0; // when set, batch size = this share of the instances, rounded up
        qint64 pauseMs = 0;
        Gate gate;
    };

    explicit RollingStrategy(Options options)
        : m_options(std::move(options))
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("rolling"); }
    [[nodiscard]] Result<QList<StepSpec>> plan(const Target &target,
                                               const PlanContext &context) const override;
    [[nodiscard]] QList<ActionUse> actions() const override
    {
        return {{m_options.executor, m_options.action, QStringLiteral("executor")}};
    }
    // The batches, in order.
    [[nodiscard]] QList<QList<Instance>> batches() const;

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    Options m_options;
};

} // namespace rwd::orchestrator
