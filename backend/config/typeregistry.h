#pragma once

#include "confignode.h"
#include "diagnostics.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace rwd::config {

// Pluggable types (checks, executors, strategies) by their YAML `type:`. A factory reads the
// type's own keys from a MapReader — which reports wrong types, missing and unknown keys — and
// builds the object without side effects, so the same code validates a configuration and
// creates what it describes.
template<typename Product, typename... Args>
class TypeRegistry
{
public:
    using Factory = std::function<std::unique_ptr<Product>(MapReader &options, Args...)>;

    void add(const QString &type, Factory factory) { m_factories.insert(type, std::move(factory)); }
    [[nodiscard]] bool contains(const QString &type) const { return m_factories.contains(type); }

    [[nodiscard]] const Factory *factory(const QString &type) const
    {
        const auto it = m_factories.constFind(type);
        return it == m_factories.cend() ? nullptr : &*it;
    }

    [[nodiscard]] QStringList types() const
    {
        auto names = m_factories.keys();
        names.sort();
        return names;
    }

    // Builds the `type` described by `node` (`what` names it in messages). Null when the type is
    // unknown or its options are invalid; the problems are in `diagnostics`.
    [[nodiscard]] std::unique_ptr<Product> create(const QString &type, const ConfigNode &node,
                                                  const QString &what, Diagnostics &diagnostics,
                                                  Args... args) const
    {
        const auto *make = factory(type);
        if (!make)
            return nullptr;
        const auto before = diagnostics.count();
        MapReader options(node, diagnostics, what);
        auto created = (*make)(options, args...);
        return diagnostics.count() == before ? std::move(created) : nullptr;
    }

private:
    QHash<QString, Factory> m_factories;
};

} // namespace rwd::config
