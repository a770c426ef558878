#pragma once

// One probe of a health check, run to its report while the event loop keeps running, for the
// checks' integration tests (which link the checks themselves; this header needs nothing else).

#include "monitor/check.h"
#include "processes.h"

#include <QElapsedTimer>

#include <optional>

namespace rwd::testing {

// What one probe did: its sample, how often `done` ran, whether it ran inside probe() itself,
// and how long the sample took to arrive.
struct ProbeOutcome
{
    std::optional<monitor::Sample> sample;
    int calls = 0;
    bool synchronous = false;
    qint64 elapsedMs = 0;
};

inline ProbeOutcome probeOnce(monitor::Check &check, int waitMs = 10'000)
{
    ProbeOutcome out;
    QElapsedTimer elapsed;
    elapsed.start();
    bool inside = true;
    check.probe([&](const monitor::Sample &s) {
        ++out.calls;
        out.synchronous = out.synchronous || inside;
        out.sample = s;
        out.elapsedMs = elapsed.elapsed();
    });
    inside = false;
    drill::waitUntil([&] { return out.calls > 0; }, waitMs);
    return out;
}

} // namespace rwd::testing
