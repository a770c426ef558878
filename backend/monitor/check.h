#pragma once

#include "config/config.h"
#include "config/confignode.h"
#include "config/typeregistry.h"
#include "sample.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace rwd {
class Clock;
}
namespace rwd::http {
class Client;
}

namespace rwd::monitor {

// What a check may use while it runs. Owned by the daemon; outlives every check.
struct CheckRuntime
{
    http::Client *http = nullptr;
    const Clock *clock = nullptr;
};

// One configured probe of a target (an HTTP endpoint, a TCP port, a query…). A check never
// blocks the event loop: probe() starts the work and reports through `done`.
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

    // The fields the check measures besides `latency`, which every check has.
    [[nodiscard]] virtual QList<FieldSpec> fields() const { return {}; }
    // The field a rule means when it names the check without one (e.g. value(health)).
    [[nodiscard]] virtual QString defaultField() const { return QStringLiteral("latency"); }
    // A passive check is never probed: its samples are pushed to rewindd (POST /api/v1/signals).
    [[nodiscard]] virtual bool passive() const { return false; }
};

// Every field of a check: `latency`, then the check's own.
[[nodiscard]] inline QList<FieldSpec> allFields(const Check &check)
{
    QList<FieldSpec> out{{QStringLiteral("latency"), rules::Dimension::Time, false, false}};
    for (const auto &f : check.fields()) {
        if (f.name != u"latency")
            out.append(f);
    }
    return out;
}

// The check types rewindd knows, by their YAML `type:`. Adding a type is one folder under
// checks/ and one line in builtinchecks.cpp (see docs/extending.md). A factory must not touch
// the network or the filesystem: it also runs at config validation, with a runtime whose
// pointers are null.
using CheckRegistry =
    config::TypeRegistry<Check, const config::CheckConfig &, const CheckRuntime &>;

// A registry with every built-in check type.
[[nodiscard]] CheckRegistry builtinChecks();

} // namespace rwd::monitor
