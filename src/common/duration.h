#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace rwd {

// Parses durations as written in configuration and rules: an integer or decimal followed by a
// unit, `ms`, `s`, `m`, `h` or `d` (e.g. "500ms", "2s", "1.5m", "1h"). Several terms may be
// concatenated ("1m30s"). Returns milliseconds, or nothing if the text is not a duration.
[[nodiscard]] std::optional<qint64> parseDurationMs(QStringView text);

// Milliseconds for a single number and unit; nothing for an unknown unit.
[[nodiscard]] std::optional<qint64> durationUnitMs(QStringView unit);

// The shortest exact spelling of a duration, e.g. 90000 -> "1m30s", 250 -> "250ms".
[[nodiscard]] QString formatDuration(qint64 ms);

} // namespace rwd
