#pragma once

#include "config/config.h"
#include "config/confignode.h"
#include "config/typeregistry.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <memory>

namespace rwd::executors {

// The outcome of one action.
struct ActionResult
{
    bool ok = false;
    // Worth trying again (a refused connection, a timeout), as opposed to a definite refusal
    // (invalid configuration, nginx -t rejecting the file).
    bool retryable = false;
    QString message;  // one line for people
    QString output;   // captured output, truncated, secrets redacted
    QJsonObject data; // what the action produced, for Rewind to record (a snapshot's name…)
};

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

// Performs the actions of rollback steps against real infrastructure. Actions are named
// (`switch_traffic`, …) and take their parameters as JSON so that steps can be journaled and
// resumed. An executor never blocks: execute() starts the work and reports through `done`.
class Executor
{
public:
    using Done = std::function<void(const ActionResult &)>;

    virtual ~Executor() = default;
    [[nodiscard]] virtual QStringList actions() const = 0;
    // Running the action twice has the same effect as running it once; decides whether a step
    // interrupted by a crash may simply be run again.
    [[nodiscard]] virtual bool idempotent(const QString &action) const = 0;
    virtual void execute(const QString &action, const QJsonObject &params, Done done) = 0;
};

// Executor types by their YAML `type:`. Adding one is a folder under executors/ plus one line in
// builtinexecutors.cpp (see docs/extending.md). A factory must not touch the world: it also
// runs at config validation. Arguments: the executor's name and the whole configuration.
using ExecutorRegistry = config::TypeRegistry<Executor, const QString &, const config::Config &>;

[[nodiscard]] ExecutorRegistry builtinExecutors();

} // namespace rwd::executors
