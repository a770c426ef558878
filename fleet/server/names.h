#pragma once

#include <QString>
#include <QStringList>

namespace rwd::fleet {

// The instances a service runs when --instances does not say otherwise. The first instance
// of a service receives all of its traffic at start.
[[nodiscard]] QStringList defaultInstanceNames();

// Instance names appear in JSON, metric labels ("colour") and the X-Fleet-Colour header:
// [A-Za-z0-9][A-Za-z0-9._-]{0,62}.
[[nodiscard]] bool isValidInstanceName(const QString &name);

// Service names become nginx upstream names and file names, so they are restricted to
// [A-Za-z][A-Za-z0-9_-]{0,62}.
[[nodiscard]] bool isValidServiceName(const QString &name);

// Versions appear in URLs, headers, metric labels and directory names under DIR/assets:
// [A-Za-z0-9][A-Za-z0-9._+-]{0,63}.
[[nodiscard]] bool isValidVersion(const QString &version);

} // namespace rwd::fleet
