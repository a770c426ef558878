#pragma once

#include "config.h"

#include <QHash>

#include <functional>
#include <optional>

namespace rwd::config {

// What the loader needs to know about pluggable parts to validate a file completely: for each
// check, executor and strategy type, a function that reads (and thereby validates) that type's
// own keys; and a validator for rule expressions. The daemon fills it from its registries.
struct Catalog
{
    using OptionsReader = std::function<void(MapReader &options, const Config &config)>;
    QHash<QString, OptionsReader> checks;
    QHash<QString, OptionsReader> executors;
    QHash<QString, OptionsReader> strategies;
    QHash<QString, OptionsReader> notifiers;
    std::function<void(const Config &, const RuleConfig &, Diagnostics &)> validateRule;
};

struct LoadResult
{
    std::optional<Config> config; // set only when there are no diagnostics
    Diagnostics diagnostics;

    [[nodiscard]] bool ok() const { return config.has_value(); }
};

// Loads and validates a whole configuration file. Every problem is reported (as
// `file:line:col: error: …`), not just the first; on any problem no Config is returned, so an
// invalid configuration can never be half-applied.
[[nodiscard]] LoadResult loadConfigFile(const QString &path, const Catalog &catalog);

// The same for text already in memory; `fileName` is used in diagnostics and to resolve paths.
[[nodiscard]] LoadResult loadConfigText(const QByteArray &text, const QString &fileName,
                                        const Catalog &catalog);

} // namespace rwd::config
