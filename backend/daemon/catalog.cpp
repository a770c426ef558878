#include "catalog.h"

#include "rules/ruleengine.h"

namespace rwd::daemon {

config::Catalog catalogOf(const Registries &registries)
{
    config::Catalog catalog;
    for (const auto &type : registries.checks.types()) {
        const auto *make = registries.checks.factory(type);
        catalog.checks.insert(type, [make](config::MapReader &options, const config::Config &) {
            config::CheckConfig common;
            (void)(*make)(options, common, monitor::CheckRuntime{});
        });
    }
    for (const auto &type : registries.executors.types()) {
        const auto *make = registries.executors.factory(type);
        catalog.executors.insert(type,
                                 [make](config::MapReader &options, const config::Config &config) {
                                     (void)(*make)(options, QStringLiteral("executor"), config);
                                 });
    }
    const auto *executors = &registries.executors;
    for (const auto &type : registries.strategies.types()) {
        const auto *make = registries.strategies.factory(type);
        catalog.strategies.insert(
            type, [make, executors](config::MapReader &options, const config::Config &config) {
                config::StrategyConfig strategy;
                strategy.type = options.node().value(QStringLiteral("type")).scalar();
                strategy.executor = options.node().value(QStringLiteral("executor")).scalar();
                config::ServiceConfig service;
                const auto before = options.diagnostics().count();
                const auto built = (*make)(options, strategy, service, config);
                if (!built || options.diagnostics().count() != before)
                    return;
                // Every action the strategy will ask of an executor must be one it can perform.
                for (const auto &use : built->actions()) {
                    const auto *ex = config.executor(use.executor);
                    if (!ex || ex->type.isEmpty() || !executors->contains(ex->type))
                        continue; // reported where the executor is named or declared
                    config::Diagnostics ignored;
                    const auto executor =
                        executors->create(ex->type, ex->node, ex->name, ignored, ex->name, config);
                    if (!executor || executor->actions().contains(use.action))
                        continue;
                    options.errorAt(use.key,
                                    QStringLiteral("the %1 strategy needs executor '%2' to perform "
                                                   "'%3', but that %4 executor can only %5")
                                        .arg(strategy.type, use.executor, use.action, ex->type,
                                             executor->actions().join(QStringLiteral(", "))));
                }
            });
    }
    notify::addNotifierReaders(catalog, registries.notifiers);
    const auto *checks = &registries.checks;
    catalog.validateRule = [checks](const config::Config &config, const config::RuleConfig &rule,
                                    config::Diagnostics &diagnostics) {
        rules::RuleEngine::validate(
            config, rule,
            [checks](const config::ServiceConfig &service) { return scopeOf(service, *checks); },
            diagnostics);
    };
    return catalog;
}

rules::Scope scopeOf(const config::ServiceConfig &service, const monitor::CheckRegistry &checks)
{
    rules::Scope scope;
    for (const auto &check : service.checks) {
        config::Diagnostics ignored; // the loader reports check problems itself
        const auto probe = checks.create(check.type, check.node, check.name, ignored, check,
                                         monitor::CheckRuntime{});
        rules::CheckScope checkScope;
        if (probe) {
            checkScope.fields = monitor::allFields(*probe);
            checkScope.defaultField = probe->defaultField();
        }
        scope.checks.insert(check.name, checkScope);
        scope.order.append(check.name);
    }
    return scope;
}

config::LoadResult loadConfig(const QString &path)
{
    static const Registries registries;
    return config::loadConfigFile(path, catalogOf(registries));
}

} // namespace rwd::daemon
