#pragma once

#include <QString>

#include <optional>
#include <spdlog/common.h>

// Qt strings are passed to spdlog as qUtf8Printable(...) rather than through a
// fmt::formatter<QString> specialisation: the backend's logging header defines one, and a second,
// different definition in the same program would violate the one-definition rule.

namespace rwd::fleet {

// "trace", "debug", "info", "warn" or "error".
[[nodiscard]] std::optional<spdlog::level::level_enum> parseLogLevel(const QString &name);

// Sends all logging (spdlog and Qt's own messages) to stderr, one line per event, filtered at
// level. stdout stays reserved for the ready line.
void setupLogging(spdlog::level::level_enum level);

} // namespace rwd::fleet
