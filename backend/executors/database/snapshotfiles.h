#pragma once

#include "common/result.h"
#include "config/confignode.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::config {
struct Config;
}

namespace rwd::executors::database {

// Where an executor keeps its snapshots and how many it keeps. A snapshot NAME is two files in
// `dir`: the copy (NAME.sqlite or NAME.dump) and NAME.json, which describes it: when it was
// taken, the SHA-256 and size of the copy, and per declared table its row count, largest key and
// checksum at that moment — what the integrity check compares the database with later.
struct Retention
{
    QString dir;
    int keep = 10;                          // newest snapshots of this executor kept
    qint64 maxAgeMs = 30LL * 24 * 3600'000; // older ones are removed (parity default: 30 days)
};

// Reads `snapshots: {dir, keep, max_age}`; `dir` defaults to "snapshots" next to the config.
[[nodiscard]] Retention readRetention(config::MapReader &options, const config::Config &config);

[[nodiscard]] bool isSnapshotName(const QString &name);
[[nodiscard]] QString sidecarPath(const QString &dir, const QString &name);

// Hex SHA-256 of a file.
[[nodiscard]] Result<QString> sha256File(const QString &path);
[[nodiscard]] Result<void> writeSidecar(const QString &path, const QJsonObject &sidecar);
[[nodiscard]] Result<QJsonObject> readSidecar(const QString &path);

// Removes this executor's snapshots (names starting with `prefix`) beyond `keep` or older than
// `maxAgeMs`, never `except`. Returns the names removed.
QStringList prune(const Retention &retention, const QString &prefix, const QString &except,
                  qint64 nowMs);

// Statistics of one declared table.
struct TableStats
{
    qint64 rows = 0;      // at the snapshot: all rows; now: the rows up to the snapshot's max key
    qint64 totalRows = 0; // now: every row
    bool hasMaxKey = false;
    qint64 maxKey = 0;
    QString checksum; // empty: no checksum columns declared
};

// Compares the tables now with the snapshot's record of them: every table still exists, holds at
// least as many rows as it had, every row up to the snapshot's largest key is still there, and
// checksums (over the declared columns of those rows) match. Returns the problems (empty: all
// kept), and a summary in `report`.
[[nodiscard]] QStringList compareTables(const QJsonArray &declared, const QJsonObject &atSnapshot,
                                        const QHash<QString, TableStats> &now, QString *report);

[[nodiscard]] QJsonObject statsJson(const TableStats &stats);

// "true", "t", or a non-zero number.
[[nodiscard]] bool isTruthy(const QString &value);

} // namespace rwd::executors::database
