#include "states.h"

#include <array>
#include <utility>

namespace rwd {

namespace {

template<typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &table, Enum value)
{
    for (const auto &[e, name] : table) {
        if (e == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char *>, N> &table,
                            const QString &text)
{
    for (const auto &[e, name] : table) {
        if (text == QLatin1String(name))
            return e;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<Health, const char *>, 4> kHealth{{
    {Health::Unknown, "unknown"},
    {Health::Healthy, "healthy"},
    {Health::Degraded, "degraded"},
    {Health::Failing, "failing"},
}};

constexpr std::array<std::pair<ReleaseState, const char *>, 6> kRelease{{
    {ReleaseState::Deploying, "deploying"},
    {ReleaseState::Live, "live"},
    {ReleaseState::Verified, "verified"},
    {ReleaseState::Failed, "failed"},
    {ReleaseState::RolledBack, "rolled_back"},
    {ReleaseState::Superseded, "superseded"},
}};

constexpr std::array<std::pair<PlanState, const char *>, 9> kPlan{{
    {PlanState::Planned, "planned"},
    {PlanState::AwaitingApproval, "awaiting_approval"},
    {PlanState::Approved, "approved"},
    {PlanState::Running, "running"},
    {PlanState::Verifying, "verifying"},
    {PlanState::Succeeded, "succeeded"},
    {PlanState::Failed, "failed"},
    {PlanState::Aborted, "aborted"},
    {PlanState::NeedsAttention, "needs_attention"},
}};

constexpr std::array<std::pair<StepState, const char *>, 5> kStep{{
    {StepState::Pending, "pending"},
    {StepState::Running, "running"},
    {StepState::Succeeded, "succeeded"},
    {StepState::Failed, "failed"},
    {StepState::Skipped, "skipped"},
}};

} // namespace

QString wireName(Health value)
{
    return nameOf(kHealth, value);
}
QString wireName(ReleaseState value)
{
    return nameOf(kRelease, value);
}
QString wireName(PlanState value)
{
    return nameOf(kPlan, value);
}
QString wireName(StepState value)
{
    return nameOf(kStep, value);
}

std::optional<Health> healthFromString(const QString &text)
{
    return valueOf(kHealth, text);
}
std::optional<ReleaseState> releaseStateFromString(const QString &text)
{
    return valueOf(kRelease, text);
}
std::optional<PlanState> planStateFromString(const QString &text)
{
    return valueOf(kPlan, text);
}
std::optional<StepState> stepStateFromString(const QString &text)
{
    return valueOf(kStep, text);
}

bool isTerminal(PlanState state)
{
    switch (state) {
    case PlanState::Succeeded:
    case PlanState::Failed:
    case PlanState::Aborted:
    case PlanState::NeedsAttention:
        return true;
    case PlanState::Planned:
    case PlanState::AwaitingApproval:
    case PlanState::Approved:
    case PlanState::Running:
    case PlanState::Verifying:
        return false;
    }
    return false;
}

} // namespace rwd
