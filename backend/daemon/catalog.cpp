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
    for (const auto &type : registries.strategies.types()) {
        const auto *make = registries.strategies.factory(type);
        catalog.strategies.insert(type,
                                  [make](config::MapReader &options, const config::Config &config) {
                                      config::StrategyConfig strategy;
                                      config::ServiceConfig service;
                                      (void)(*make)(options, strategy, service, config);
                                  });
    }
    catalog.validateRule = &rules::RuleEngine::validate;
    return catalog;
}

config::LoadResult loadConfig(const QString &path)
{
    static const Registries registries;
    return config::loadConfigFile(path, catalogOf(registries));
}

} // namespace rwd::daemon
