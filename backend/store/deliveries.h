#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QList>
#include <QString>

namespace rwd::store {

// Notification deliveries (`deliveries`): one row per notification and channel, updated after
// each attempt.
class Deliveries final : public Aggregate
{
public:
    explicit Deliveries(Database &db)
        : Aggregate(db)
    {}

    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 insert(const protocol::DeliveryInfo &delivery);
    // Writes its state, attempts, end and message.
    [[nodiscard]] bool update(const protocol::DeliveryInfo &delivery);
    // Deliveries a previous run left pending or retrying (it died): failed with `message`.
    // Returns how many.
    int abandonUnfinished(qint64 atMs, const QString &message);
    // Newest first.
    [[nodiscard]] QList<protocol::DeliveryInfo> list(int limit, int offset = 0) const;
};

} // namespace rwd::store
