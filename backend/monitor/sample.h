#pragma once

#include "rules/scope.h"

#include <QList>
#include <QString>

#include <utility>
#include <vector>

namespace rwd::monitor {

// A field a check measures, declared when the check is built so that rules can be checked
// against it at load time ("unknown field 'latncy'", "cannot compare a ratio with a duration").
using FieldSpec = rules::FieldInfo;

// The value of one field in one probe.
struct FieldValue
{
    QString name;
    double value = 0;
    // Counters: the increase since the previous probe (never negative; a counter reset counts
    // from zero). Histograms: the number of observations since the previous probe.
    double increment = 0;
    // Counters and histograms: the seconds the increase covers (between the two readings it was
    // computed from). When 0, the time since the field's previous point is used.
    double seconds = 0;
    // Histograms: (observed value, weight) pairs since the previous probe, e.g. bucket midpoints
    // with the number of observations that fell in each bucket.
    std::vector<std::pair<double, double>> distribution;

    // A plain measured value (a gauge).
    [[nodiscard]] static FieldValue of(QString name, double value)
    {
        FieldValue v;
        v.name = std::move(name);
        v.value = value;
        return v;
    }
};

// One result of running a check once.
struct Sample
{
    qint64 timeMs = 0;    // when the probe finished
    qint64 startedMs = 0; // when the probe started (0: at timeMs); says which release it judged
    bool ok = false;      // did the target pass the check
    // The probe could not be made because of Rewind itself (no file descriptors or memory, a
    // process that could not start, a check that never reported): neither ok nor failed. Such a
    // sample is shown and counted as a check error, never as evidence about the target.
    bool checkError = false;
    double latency = 0; // seconds the probe took
    int status = 0;     // protocol status where there is one (HTTP status), else 0
    QString error;      // why it failed, for people; empty when ok
    // The fields this probe measured (a subset of the check's FieldSpecs; a failed probe usually
    // measures none). Every check also gets `latency` automatically from the field above.
    QList<FieldValue> fields;

    [[nodiscard]] qint64 startMs() const { return startedMs > 0 ? startedMs : timeMs; }

    [[nodiscard]] const FieldValue *field(const QString &name) const
    {
        for (const auto &f : fields) {
            if (f.name == name)
                return &f;
        }
        return nullptr;
    }
};

} // namespace rwd::monitor
