#pragma once

#include "common/protocol.h"
#include "config/config.h"
#include "config/confignode.h"
#include "config/typeregistry.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace rwd::orchestrator {

// Step kinds the orchestrator runs itself; every other kind is an action of the step's executor.
inline constexpr auto kVerifyHealth = "verify_health";

// One step of a plan before it is stored.
struct StepSpec
{
    QString service;
    QString kind;        // verify_health, or an executor action such as switch_traffic
    QString description; // for people: "Route api traffic to green (v1.1)"
    QJsonObject params;  // everything needed to run (and re-run) it; journaled with the step
};

// One service to move back, and between which releases.
struct Target
{
    const config::ServiceConfig *service = nullptr;
    protocol::ReleaseInfo from;
    protocol::ReleaseInfo to;
};

// How one service is rolled back: an ordered list of idempotent steps. A strategy only plans;
// executors act and the orchestrator runs.
class Strategy
{
public:
    virtual ~Strategy() = default;
    [[nodiscard]] virtual QString type() const = 0;
    // The steps for `target`, or an explanation of why this strategy cannot move it.
    [[nodiscard]] virtual std::variant<QList<StepSpec>, QString>
    plan(const Target &target) const = 0;
};

// Strategy types by their YAML `type:`. Adding one: a folder under strategies/ and a line in
// builtinstrategies.cpp (see docs/extending.md).
using StrategyRegistry =
    config::TypeRegistry<Strategy, const config::StrategyConfig &, const config::ServiceConfig &,
                         const config::Config &>;

[[nodiscard]] StrategyRegistry builtinStrategies();

// The verify_health step every strategy ends a target with.
[[nodiscard]] StepSpec verifyHealthStep(const Target &target);

} // namespace rwd::orchestrator
