#pragma once

#include "common/protocol.h"
#include "config/config.h"
#include "config/confignode.h"

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
class StrategyRegistry
{
public:
    using Factory = std::function<std::unique_ptr<Strategy>(
        config::MapReader &options, const config::StrategyConfig &strategy,
        const config::ServiceConfig &service, const config::Config &config)>;

    void add(const QString &type, Factory factory);
    [[nodiscard]] const Factory *factory(const QString &type) const;
    [[nodiscard]] QStringList types() const;
    [[nodiscard]] std::unique_ptr<Strategy> create(const config::ServiceConfig &service,
                                                   const config::Config &config,
                                                   config::Diagnostics &diagnostics) const;

private:
    QHash<QString, Factory> m_factories;
};

[[nodiscard]] StrategyRegistry builtinStrategies();

// The verify_health step every strategy ends a target with.
[[nodiscard]] StepSpec verifyHealthStep(const Target &target);

} // namespace rwd::orchestrator
