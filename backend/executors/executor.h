#pragma once

#include "config/config.h"
#include "config/confignode.h"
#include "config/typeregistry.h"
#include "orchestrator/ports.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <memory>

namespace rwd::executors {

// The outcome of one action (the orchestrator's port, orchestrator/ports.h).
using ActionResult = orchestrator::StepResult;

// The parts of a step's params every executor reads.
[[nodiscard]] inline QJsonObject stepVariables(const QJsonObject &params)
{
    return params.value(QLatin1String("vars")).toObject();
}
// The step's time limit, capped by the executor's own (0: none of its own).
[[nodiscard]] inline qint64 stepTimeoutMs(const QJsonObject &params, qint64 ownMs)
{
    const qint64 step = params.value(QLatin1String("timeout_ms")).toInteger(0);
    if (step <= 0)
        return ownMs;
    return ownMs > 0 ? std::min(step, ownMs) : step;
}

// Performs the actions of rollback steps against real infrastructure: the orchestrator's
// StepExecutor port (actions named like `switch_traffic`, JSON parameters, never blocking),
// made by type from the configuration through the registry below.
class Executor : public orchestrator::StepExecutor
{};

// Executor types by their YAML `type:`. Adding one is a folder under executors/ plus one line in
// builtinexecutors.cpp (see docs/extending.md). A factory must not touch the world: it also
// runs at config validation. Arguments: the executor's name and the whole configuration.
using ExecutorRegistry = config::TypeRegistry<Executor, const QString &, const config::Config &>;

[[nodiscard]] ExecutorRegistry builtinExecutors();

} // namespace rwd::executors
