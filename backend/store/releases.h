#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QList>
#include <QString>

#include <optional>

namespace rwd::store {

// Releases (`releases`: each deployment, its state, verification and freeze override) and the
// release each service runs now (`service_state`).
class Releases final : public Aggregate
{
public:
    explicit Releases(Database &db)
        : Aggregate(db)
    {}

    // Returns the release with its new id.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> insert(protocol::ReleaseInfo release,
                                                              qint64 nowMs);
    [[nodiscard]] bool setState(qint64 id, ReleaseState state, qint64 nowMs);
    // The final verdict of a release's verification (or the latest one, kept with it).
    [[nodiscard]] bool setVerification(qint64 id, const protocol::VerificationInfo &verdict,
                                       qint64 nowMs);

    [[nodiscard]] std::optional<protocol::ReleaseInfo> find(qint64 id) const;
    // Newest first; `service` empty: every service.
    [[nodiscard]] QList<protocol::ReleaseInfo> list(const QString &service, int limit) const;
    // The newest verified release of `service` other than `excludeId`.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> lastVerified(const QString &service,
                                                                    qint64 excludeId = 0) const;

    // The release `service` runs now.
    [[nodiscard]] std::optional<qint64> currentId(const QString &service) const;
    [[nodiscard]] bool setCurrent(const QString &service, qint64 releaseId);
};

} // namespace rwd::store
