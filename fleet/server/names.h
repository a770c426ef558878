#pragma once

#include <QString>

#include <array>
#include <optional>

namespace rwd::fleet {

// The two instances every service runs. Their names appear in JSON, metrics and headers.
enum class Colour
{
    Blue,
    Green
};

inline constexpr std::array<Colour, 2> kColours{Colour::Blue, Colour::Green};

[[nodiscard]] QString colourName(Colour colour);
[[nodiscard]] std::optional<Colour> parseColour(const QString &name);

// Service names become nginx upstream names and file names, so they are restricted to
// [A-Za-z][A-Za-z0-9_-]{0,62}.
[[nodiscard]] bool isValidServiceName(const QString &name);

// Versions appear in URLs, headers and metric labels: [A-Za-z0-9][A-Za-z0-9._+-]{0,63}.
[[nodiscard]] bool isValidVersion(const QString &version);

} // namespace rwd::fleet
