#pragma once

#include "ast.h"

#include <QHash>
#include <QList>
#include <QString>

namespace rwd::rules {

// A field a check measures, as rules see it: its name, what its values measure, and how they
// were produced (a counter's per-second rate with increments, or a histogram's observations).
struct FieldInfo
{
    QString name;
    Dimension dimension = Dimension::Scalar;
    // The value is a per-second rate derived from a counter, and each point carries the counter's
    // increase since the previous probe: rate(), sum() and ratio() work on increases.
    bool counter = false;
    // Each point carries a distribution of observations (from a histogram): percentiles over a
    // window are computed over the observations, not over per-probe values.
    bool distribution = false;
};

// What a rule may name for one check.
struct CheckScope
{
    QList<FieldInfo> fields;
    QString defaultField; // meant when a rule names the check without a field

    [[nodiscard]] const FieldInfo *field(const QString &name) const
    {
        for (const auto &f : fields) {
            if (f.name == name)
                return &f;
        }
        return nullptr;
    }
};

// What names a rule may use for one service: its checks and their fields.
struct Scope
{
    QHash<QString, CheckScope> checks;
    QStringList order; // check names in configuration order, for messages
};

} // namespace rwd::rules
