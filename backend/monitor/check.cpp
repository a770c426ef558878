#include "check.h"

namespace rwd::monitor {

void CheckRegistry::add(const QString &type, Factory factory)
{
    m_factories.insert(type, std::move(factory));
}

QStringList CheckRegistry::types() const
{
    auto names = m_factories.keys();
    names.sort();
    return names;
}

const CheckRegistry::Factory *CheckRegistry::factory(const QString &type) const
{
    const auto it = m_factories.constFind(type);
    return it == m_factories.cend() ? nullptr : &*it;
}

std::unique_ptr<Check> CheckRegistry::create(const config::CheckConfig &check,
                                             config::Diagnostics &diagnostics,
                                             const CheckRuntime &runtime) const
{
    const auto *make = factory(check.type);
    if (!make)
        return nullptr;
    const auto before = diagnostics.count();
    config::MapReader options(check.node, diagnostics,
                              QStringLiteral("check '%1'").arg(check.name));
    auto created = (*make)(options, check, runtime);
    return diagnostics.count() == before ? std::move(created) : nullptr;
}

} // namespace rwd::monitor
