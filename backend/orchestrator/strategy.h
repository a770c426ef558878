#pragma once

#include "common/protocol.h"
#include "common/result.h"
#include "config/config.h"
#include "config/confignode.h"
#include "config/typeregistry.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace rwd::orchestrator {

// Step kinds the orchestrator runs itself; every other kind is an action of the step's executor.
inline constexpr auto kVerifyHealth = "verify_health";       // every check passes N in a row
inline constexpr auto kVerifyInstances = "verify_instances"; // probe instances N times in a row
inline constexpr auto kPause = "pause";                      // wait a while
inline constexpr auto kWatch = "watch";                      // gradual: did the shift help?
inline constexpr auto kPreserveLogs = "preserve_logs";       // archive logs before acting

// Whether the orchestrator runs a step of this kind itself (no executor involved). These steps
// only observe or wait, so running one again after a crash is always safe.
[[nodiscard]] bool isBuiltinStep(const QString &kind);

// One step of a plan before it is stored.
struct StepSpec
{
    QString service;
    QString kind;        // a built-in kind above, or an executor action such as switch_traffic
    QString description; // for people: "Route api traffic to green (v1.1)"
    QString executor;    // for executor actions: which executor performs it
    QJsonObject params;  // everything needed to run (and re-run) it; journaled with the step
    // Indexes, within this target's steps, of the steps that must succeed first. Unset: the
    // step before it (the first step of a target waits for the targets rolled back before it).
    std::optional<QList<int>> after;
    // A compensating step: runs only when another step of this service failed (after the steps
    // in `after` succeeded), e.g. restoring a database snapshot. The plan then needs attention.
    bool onFailure = false;
    // Once this step succeeded, the service serves the target release: the release history is
    // updated at once, even if a later verification fails.
    bool restores = false;
};

// One service to move back, and between which releases.
struct Target
{
    const config::ServiceConfig *service = nullptr;
    protocol::ReleaseInfo from;
    protocol::ReleaseInfo to;
};

// What a strategy knows about the plan it contributes to.
struct PlanContext
{
    QString rollbackClass = QStringLiteral("fast"); // fast, immediate or gradual
    config::RollbackClassConfig limits;             // of that class
    // Template variables of the target ({{service}}, {{version}}, {{previous_version}}…), merged
    // into every executor step's params as "vars".
    QJsonObject vars;
};

// An executor action a strategy's plans use, so that a configuration naming an executor that
// cannot perform it is refused when it is loaded.
struct ActionUse
{
    QString executor;
    QString action;
    QString key; // the strategy key that names the executor, for the error's position
};

// How one service is rolled back: an ordered list of idempotent steps. A strategy only plans;
// executors act and the orchestrator runs.
class Strategy
{
public:
    virtual ~Strategy() = default;
    [[nodiscard]] virtual QString type() const = 0;
    // The steps for `target`, or an explanation of why this strategy cannot move it.
    [[nodiscard]] virtual Result<QList<StepSpec>> plan(const Target &target,
                                                       const PlanContext &context) const = 0;
    // Every executor action plan() may use.
    [[nodiscard]] virtual QList<ActionUse> actions() const = 0;
};

// Strategy types by their YAML `type:`. Adding one: a folder under strategies/ and a line in
// builtinstrategies.cpp (see docs/extending.md).
using StrategyRegistry =
    config::TypeRegistry<Strategy, const config::StrategyConfig &, const config::ServiceConfig &,
                         const config::Config &>;

[[nodiscard]] StrategyRegistry builtinStrategies();

// The template variables of a target: service, environment, kind, version, previous_version,
// artifact, previous_artifact, target, previous_target, colour, previous_colour, release_id,
// previous_release_id and meta.NAME for each metadata value of the target release.
[[nodiscard]] QJsonObject targetVariables(const Target &target);

// A step performed by `executor`: `action` with the context's variables plus `extraVars`, the
// class's step timeout, and `params` besides.
[[nodiscard]] StepSpec executorStep(const Target &target, const PlanContext &context,
                                    const QString &executor, const QString &action,
                                    const QString &description, const QJsonObject &extraVars = {},
                                    const QJsonObject &params = {});

// The verify_health step every strategy ends a target with.
[[nodiscard]] StepSpec verifyHealthStep(const Target &target);
// Waits `ms` before the plan goes on.
[[nodiscard]] StepSpec pauseStep(const Target &target, qint64 ms, const QString &why);
// Gradual rollbacks: watches the service for `ms` after `percent` % of its traffic went back.
// Passes when the checks' failure ratio fell compared with the same time before the shift; when
// it did not, the remaining intermediate shifts are skipped and all traffic goes back at once.
[[nodiscard]] StepSpec watchStep(const Target &target, qint64 ms, int percent);

// Marks a step as an intermediate shift of a gradual rollback (skipped once a watch saw no
// improvement).
void markIntermediate(StepSpec &step);

} // namespace rwd::orchestrator
