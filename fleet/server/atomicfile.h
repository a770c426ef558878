#pragma once

#include <QByteArray>
#include <QString>

namespace rwd::fleet {

// Replaces the file at path with contents so that readers (nginx, Rewind's executor, anyone
// reading fleet.json) see either the complete old file or the complete new one: the data goes
// to a temporary file in the same directory, is fsynced, renamed over path, and the directory
// is fsynced. The new file is readable by everyone (0644). On failure the original is intact.
bool writeFileAtomically(const QString &path, const QByteArray &contents, QString *error);

// Reads a whole file; returns false (and sets *error) if it cannot be read.
bool readWholeFile(const QString &path, QByteArray *contents, QString *error);

} // namespace rwd::fleet
