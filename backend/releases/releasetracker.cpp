#include "releasetracker.h"

#include "common/events.h"
#include "logging/logging.h"
#include "store/releases.h"

namespace rwd::releases {

namespace {
auto log()
{
    return logging::get("releases");
}
} // namespace

ReleaseTracker::ReleaseTracker(const config::Config &config, store::Releases &releases,
                               events::Sink &events, const Clock &clock)
    : m_config(config)
    , m_releases(releases)
    , m_events(events)
    , m_clock(clock)
{}

Result<protocol::ReleaseInfo> ReleaseTracker::record(const DeploymentRequest &request)
{
    if (!m_config.service(request.service))
        return Error{QStringLiteral("unknown_service"),
                     QStringLiteral("no service named '%1' is configured").arg(request.service)};
    if (request.version.trimmed().isEmpty())
        return Error{QStringLiteral("invalid_request"), QStringLiteral("'version' is required")};

    const qint64 now = m_clock.nowMs();
    const auto previous = current(request.service);
    protocol::ReleaseInfo release;
    release.service = request.service;
    release.version = request.version;
    release.artifact = request.artifact;
    release.target = request.target;
    release.pipeline = request.pipeline;
    release.deployedBy = request.deployedBy;
    release.metadata = request.metadata;
    release.freezeOverride = request.freezeOverride;
    release.state = ReleaseState::Live;
    release.deployedAtMs = now;
    release.previousId = previous ? previous->id : 0;

    std::optional<protocol::ReleaseInfo> stored;
    const bool ok = m_releases.transaction([&] {
        stored = m_releases.insert(release, now);
        if (!stored || !m_releases.setCurrent(request.service, stored->id))
            return false;
        // A release replaced before it was verified can never become a rollback target.
        if (previous &&
            (previous->state == ReleaseState::Live || previous->state == ReleaseState::Deploying))
            return m_releases.setState(previous->id, ReleaseState::Superseded, now);
        return true;
    });
    if (!ok || !stored)
        return Error{QStringLiteral("store_failed"),
                     QStringLiteral("the deployment could not be recorded")};
    log()->info("deployment recorded: {} {} (target '{}', pipeline '{}', release #{})",
                stored->service, stored->version, stored->target, stored->pipeline, stored->id);
    m_events.publish(events::DeploymentRecorded{*stored});
    if (m_onSwitch)
        m_onSwitch(stored->service, true);
    changed(stored->service);
    return *stored;
}

std::optional<protocol::ReleaseInfo> ReleaseTracker::current(const QString &service) const
{
    const auto id = m_releases.currentId(service);
    return id ? m_releases.find(*id) : std::nullopt;
}

std::optional<protocol::ReleaseInfo> ReleaseTracker::lastGood(const QString &service) const
{
    return m_releases.lastVerified(service);
}

std::optional<protocol::ReleaseInfo> ReleaseTracker::rollbackTarget(const QString &service) const
{
    const auto now = current(service);
    return m_releases.lastVerified(service, now ? now->id : 0);
}

void ReleaseTracker::setState(protocol::ReleaseInfo release, ReleaseState state)
{
    if (release.state == state)
        return;
    if (!m_releases.setState(release.id, state, m_clock.nowMs())) {
        log()->error("cannot record that release #{} ({} {}) is {}: {}", release.id,
                     release.service, release.version, wireName(state), m_releases.writeError());
        return;
    }
    log()->info("release #{} ({} {}) is now {}", release.id, release.service, release.version,
                wireName(state));
    const auto updated = m_releases.find(release.id);
    if (updated)
        m_events.publish(events::ReleaseStateChanged{*updated});
    changed(release.service);
}

void ReleaseTracker::markFailed(const QString &service)
{
    const auto release = current(service);
    if (release &&
        (release->state == ReleaseState::Live || release->state == ReleaseState::Deploying ||
         release->state == ReleaseState::Verified)) {
        if (release->state == ReleaseState::Verified)
            log()->warn("release #{} ({} {}) was verified, and a rule found it bad: it is no "
                        "longer a rollback target",
                        release->id, release->service, release->version);
        setState(*release, ReleaseState::Failed);
    }
}

void ReleaseTracker::rolledBack(const QString &service, qint64 fromId, qint64 toId)
{
    const auto before = m_releases.currentId(service);
    if (!m_releases.setCurrent(service, toId)) {
        log()->error("cannot record that {} runs release #{} again: {}", service, toId,
                     m_releases.writeError());
        return;
    }
    if (const auto from = m_releases.find(fromId); from && from->id != toId)
        setState(*from, ReleaseState::RolledBack);
    if (m_onSwitch && before != toId)
        m_onSwitch(service, false);
    changed(service);
}

QStringList ReleaseTracker::verifyDue(
    const std::function<protocol::VerificationInfo(const protocol::ReleaseInfo &)> &judge)
{
    const qint64 now = m_clock.nowMs();
    QStringList verifying;
    for (const auto &service : m_config.services) {
        const auto release = current(service.name);
        if (!release || release->state != ReleaseState::Live || release->verification.final)
            continue;
        const auto verdict = judge(*release);
        if (!verdict.final) {
            verifying.append(service.name);
            continue;
        }
        if (!m_releases.setVerification(release->id, verdict, now)) {
            // Judged again on the next round: a verdict that was not recorded was not given.
            log()->error("cannot record the verification of release #{} ({} {}): {}", release->id,
                         release->service, release->version, m_releases.writeError());
            verifying.append(service.name);
            continue;
        }
        if (verdict.state == u"verified") {
            setState(*release, ReleaseState::Verified);
        } else {
            log()->warn("release #{} ({} {}) is not verified: {}", release->id, release->service,
                        release->version, verdict.summary);
            if (const auto updated = m_releases.find(release->id))
                m_events.publish(events::ReleaseNotVerified{*updated});
            changed(release->service);
        }
    }
    return verifying;
}

} // namespace rwd::releases
