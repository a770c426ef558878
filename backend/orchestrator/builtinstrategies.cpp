#include "strategies/bluegreen/bluegreen.h"
#include "strategies/canary/canary.h"
#include "strategies/database/database.h"
#include "strategies/frontend/frontend.h"
#include "strategies/redeploy/redeploy.h"
#include "strategies/rolling/rolling.h"
#include "strategy.h"

namespace rwd::orchestrator {

StrategyRegistry builtinStrategies()
{
    StrategyRegistry registry;
    registry.add(QStringLiteral("blue_green"), &BlueGreenStrategy::create);
    registry.add(QStringLiteral("canary"), &CanaryStrategy::create);
    registry.add(QStringLiteral("database"), &DatabaseStrategy::create);
    registry.add(QStringLiteral("frontend"), &FrontendStrategy::create);
    registry.add(QStringLiteral("redeploy"), &RedeployStrategy::create);
    registry.add(QStringLiteral("rolling"), &RollingStrategy::create);
    return registry;
}

} // namespace rwd::orchestrator
