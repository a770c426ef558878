#include "strategies/bluegreen/bluegreen.h"
#include "strategy.h"

namespace rwd::orchestrator {

StrategyRegistry builtinStrategies()
{
    StrategyRegistry registry;
    registry.add(QStringLiteral("blue_green"), &BlueGreenStrategy::create);
    return registry;
}

} // namespace rwd::orchestrator
