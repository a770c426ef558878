#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QList>
#include <QStringList>

namespace rwd::store {

// A rule firing as stored.
struct Firing
{
    qint64 id = 0;
    protocol::FiringInfo info; // info.sinceMs: when it fired
    qint64 resolvedAtMs = 0;   // 0: not resolved
};

// Rule firings (`firings`): when a rule fired and when it resolved.
class Firings final : public Aggregate
{
public:
    explicit Firings(Database &db)
        : Aggregate(db)
    {}

    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 insert(const protocol::FiringInfo &firing);
    [[nodiscard]] bool resolve(qint64 id, qint64 atMs);
    // Firings of `services` that fired in [fromMs, toMs], and those that triggered a rollback
    // of incident `incidentId`; oldest first.
    [[nodiscard]] QList<Firing> list(const QStringList &services, qint64 fromMs, qint64 toMs,
                                     qint64 incidentId) const;
};

} // namespace rwd::store
