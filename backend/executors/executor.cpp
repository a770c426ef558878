#include "executor.h"

namespace rwd::executors {

void ExecutorRegistry::add(const QString &type, Factory factory)
{
    m_factories.insert(type, std::move(factory));
}

const ExecutorRegistry::Factory *ExecutorRegistry::factory(const QString &type) const
{
    const auto it = m_factories.constFind(type);
    return it == m_factories.cend() ? nullptr : &*it;
}

QStringList ExecutorRegistry::types() const
{
    auto names = m_factories.keys();
    names.sort();
    return names;
}

std::unique_ptr<Executor> ExecutorRegistry::create(const config::ExecutorConfig &executor,
                                                   const config::Config &config,
                                                   config::Diagnostics &diagnostics) const
{
    const auto *make = factory(executor.type);
    if (!make)
        return nullptr;
    const auto before = diagnostics.count();
    config::MapReader options(executor.node, diagnostics,
                              QStringLiteral("executor '%1'").arg(executor.name));
    (void)options.value(QStringLiteral("type"));
    auto created = (*make)(options, executor.name, config);
    return diagnostics.count() == before ? std::move(created) : nullptr;
}

} // namespace rwd::executors
