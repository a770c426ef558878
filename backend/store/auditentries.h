#pragma once

#include "common/audit.h"
#include "database.h"

#include <QList>

#include <optional>

namespace rwd::store {

// The audit log (`audit`): the hash-chained rows, append-only.
class AuditEntries final : public Aggregate
{
public:
    explicit AuditEntries(Database &db)
        : Aggregate(db)
    {}

    [[nodiscard]] std::optional<audit::Entry> last() const;
    // The entry comes with its id and hashes (audit::hashOf).
    [[nodiscard]] bool insert(const audit::Entry &entry);
    // Oldest first, after `afterId`.
    [[nodiscard]] QList<audit::Entry> after(qint64 afterId, int limit) const;
};

} // namespace rwd::store
