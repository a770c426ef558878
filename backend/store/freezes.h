#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QList>
#include <QString>

#include <optional>

namespace rwd::store {

// Deployment freezes (`freezes`): a service's deployments held for a while, after a rollback.
class Freezes final : public Aggregate
{
public:
    explicit Freezes(Database &db)
        : Aggregate(db)
    {}

    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 insert(const protocol::FreezeInfo &freeze);
    // The freeze of `service` that lasts longest among those in force at `nowMs`.
    [[nodiscard]] std::optional<protocol::FreezeInfo> active(const QString &service,
                                                             qint64 nowMs) const;
};

} // namespace rwd::store
