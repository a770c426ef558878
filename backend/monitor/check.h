#pragma once

#include "config/config.h"
#include "config/confignode.h"
#include "sample.h"

#include <QHash>
#include <QString>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace rwd {
class Clock;
}

namespace rwd::monitor {

// What a check may use while it runs. Owned by the daemon; outlives every check.
struct CheckRuntime
{
    QNetworkAccessManager *network = nullptr;
    const Clock *clock = nullptr;
};

// One configured probe of a target (an HTTP endpoint, a TCP port, a query…). A check never
// blocks: probe() starts the work and reports through `done`.
class Check
{
public:
    using Done = std::function<void(const Sample &)>;

    virtual ~Check() = default;
    // Starts one probe. Calls `done` exactly once, from the event loop, no later than the
    // check's timeout (plus scheduling slack). Never called again while a probe is running.
    virtual void probe(Done done) = 0;
    // Abandons a running probe; `done` will not be called for it.
    virtual void cancel() = 0;
};

// The check types rewindd knows, by their YAML `type:`. Adding a type is one folder under
// checks/ and one line in builtinchecks.cpp (see docs/extending.md).
class CheckRegistry
{
public:
    // Reads the type's own keys from `options` (reporting problems to its diagnostics) and
    // builds the check. Must not touch the network or the filesystem: it also runs at config
    // validation, with a runtime whose pointers are null.
    using Factory = std::function<std::unique_ptr<Check>(
        config::MapReader &options, const config::CheckConfig &common, const CheckRuntime &)>;

    void add(const QString &type, Factory factory);
    [[nodiscard]] bool contains(const QString &type) const { return m_factories.contains(type); }
    [[nodiscard]] QStringList types() const;
    // Null when the type is unknown or the options are invalid (see the diagnostics).
    [[nodiscard]] std::unique_ptr<Check> create(const config::CheckConfig &check,
                                                config::Diagnostics &diagnostics,
                                                const CheckRuntime &runtime) const;
    [[nodiscard]] const Factory *factory(const QString &type) const;

private:
    QHash<QString, Factory> m_factories;
};

// A registry with every built-in check type.
[[nodiscard]] CheckRegistry builtinChecks();

} // namespace rwd::monitor
