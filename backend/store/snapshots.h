#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QList>
#include <QString>

#include <optional>

namespace rwd::store {

// Database snapshots (`snapshots`): what was saved, where, for which rollback or release, and
// when it was pruned.
class Snapshots final : public Aggregate
{
public:
    explicit Snapshots(Database &db)
        : Aggregate(db)
    {}

    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 insert(const protocol::SnapshotInfo &snapshot);
    [[nodiscard]] bool markPruned(qint64 id, qint64 atMs);
    [[nodiscard]] std::optional<protocol::SnapshotInfo> find(const QString &name) const;
    // Newest first; `service` empty: every service. Pruned ones only when `withPruned`.
    [[nodiscard]] QList<protocol::SnapshotInfo> list(const QString &service, bool withPruned,
                                                     int limit = 1000) const;
};

} // namespace rwd::store
