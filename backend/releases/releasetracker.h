#pragma once

#include "common/clock.h"
#include "common/error.h"
#include "common/protocol.h"
#include "common/result.h"
#include "config/config.h"

#include <functional>
#include <optional>
#include <variant>

namespace rwd::store {
class Releases;
}
namespace rwd::events {
class Sink;
}

namespace rwd::releases {

// What CI tells Rewind when it deploys (POST /api/v1/deployments).
struct DeploymentRequest
{
    QString service;
    QString version;
    QString artifact;
    QString target; // where it runs: a blue/green colour, a canary group…
    QString pipeline;
    QString deployedBy;
    QJsonObject metadata;   // text values: a Kubernetes revision, an image digest…
    QString freezeOverride; // non-empty: record it despite a freeze, for this reason
};

// Keeps each service's release history: records deployments, knows the current and the last
// good release, verifies releases that stayed healthy long enough, and records rollbacks.
// Every change is written to the store's releases first, then published as an event.
class ReleaseTracker
{
public:
    ReleaseTracker(const config::Config &config, store::Releases &releases, events::Sink &events,
                   const Clock &clock);

    [[nodiscard]] Result<protocol::ReleaseInfo> record(const DeploymentRequest &request);

    [[nodiscard]] std::optional<protocol::ReleaseInfo> current(const QString &service) const;
    // The newest verified release (the current one if it is verified).
    [[nodiscard]] std::optional<protocol::ReleaseInfo> lastGood(const QString &service) const;
    // Where a rollback of `service` goes: the newest verified release that is not current.
    [[nodiscard]] std::optional<protocol::ReleaseInfo> rollbackTarget(const QString &service) const;

    // A rule found the service's current release bad: it has failed — also when it had been
    // verified, so that it is never a rollback target again.
    void markFailed(const QString &service);
    // Traffic of `service` is back on `to`; `from` is rolled back.
    void rolledBack(const QString &service, qint64 fromId, qint64 toId);
    // Judges every live release that has no final verdict yet: `judge(release)` gives its
    // verdict now (releases/verification.h). A final verdict is stored with the release;
    // `verified` makes it a rollback target. Returns the services whose release is still being
    // verified.
    QStringList verifyDue(
        const std::function<protocol::VerificationInfo(const protocol::ReleaseInfo &)> &judge);

    // Called when the release a service runs changes: `deployed` for a recorded deployment,
    // otherwise a rollback moved it back.
    void setOnSwitch(std::function<void(const QString &service, bool deployed)> onSwitch)
    {
        m_onSwitch = std::move(onSwitch);
    }

    // Called after anything about a service's releases changed (and was published).
    void setOnChange(std::function<void(const QString &service)> onChange)
    {
        m_onChange = std::move(onChange);
    }

private:
    void changed(const QString &service)
    {
        if (m_onChange)
            m_onChange(service);
    }

    void setState(protocol::ReleaseInfo release, ReleaseState state);

    const config::Config &m_config;
    store::Releases &m_releases;
    events::Sink &m_events;
    const Clock &m_clock;
    std::function<void(const QString &)> m_onChange;
    std::function<void(const QString &, bool)> m_onSwitch;
};

} // namespace rwd::releases
