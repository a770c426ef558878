#pragma once

#include "config/configloader.h"
#include "executors/executor.h"
#include "monitor/check.h"
#include "notify/notifier.h"
#include "orchestrator/strategy.h"
#include "rules/scope.h"

namespace rwd::daemon {

// Every pluggable type rewindd knows.
struct Registries
{
    monitor::CheckRegistry checks = monitor::builtinChecks();
    executors::ExecutorRegistry executors = executors::builtinExecutors();
    orchestrator::StrategyRegistry strategies = orchestrator::builtinStrategies();
    notify::NotifierRegistry notifiers = notify::builtinNotifiers();
};

// What rules may name for a service: its checks, built (without side effects) to learn their
// fields.
[[nodiscard]] rules::Scope scopeOf(const config::ServiceConfig &service,
                                   const monitor::CheckRegistry &checks);

// The config loader's view of the registries, so that a file is validated completely (every
// check, executor and strategy option, every rule expression) before anything starts.
[[nodiscard]] config::Catalog catalogOf(const Registries &registries);

// Loads and validates a configuration file with every built-in type.
[[nodiscard]] config::LoadResult loadConfig(const QString &path);

} // namespace rwd::daemon
