#pragma once

#include "config/config.h"
#include "config/confignode.h"
#include "config/typeregistry.h"
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
// checks/ and one line in builtinchecks.cpp (see docs/extending.md). A factory must not touch
// the network or the filesystem: it also runs at config validation, with a runtime whose
// pointers are null.
using CheckRegistry =
    config::TypeRegistry<Check, const config::CheckConfig &, const CheckRuntime &>;

// A registry with every built-in check type.
[[nodiscard]] CheckRegistry builtinChecks();

} // namespace rwd::monitor
