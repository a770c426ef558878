#include "faultprofile.h"

#include "jsonutil.h"

#include <cmath>

namespace rwd::fleet {

namespace {
const QString kErrorRate = QStringLiteral("error_rate");
const QString kLatencyMs = QStringLiteral("latency_ms");
const QString kDown = QStringLiteral("down");
const QString kSlowStartMs = QStringLiteral("slow_start_ms");
const QString kHealthFailEvery = QStringLiteral("health_fail_every");
} // namespace

QJsonObject FaultProfile::toJson() const
{
    return QJsonObject{{kErrorRate, errorRate},
                       {kLatencyMs, latencyMs},
                       {kDown, down},
                       {kSlowStartMs, slowStartMs},
                       {kHealthFailEvery, healthFailEvery}};
}

bool applyFaultPatch(const QJsonObject &patch, FaultProfile *profile, QString *error)
{
    if (!rejectUnknownKeys(patch, {kErrorRate, kLatencyMs, kDown, kSlowStartMs, kHealthFailEvery},
                           error))
        return false;

    FaultProfile result = *profile;
    if (patch.contains(kErrorRate)) {
        const QJsonValue value = patch.value(kErrorRate);
        const double rate = value.toDouble(-1.0);
        if (!value.isDouble() || !std::isfinite(rate) || rate < 0.0 || rate > 1.0) {
            *error = QStringLiteral("error_rate must be a number between 0 and 1");
            return false;
        }
        result.errorRate = rate;
    }
    if (patch.contains(kLatencyMs)) {
        const auto ms = integerValue(patch.value(kLatencyMs), 0, FaultProfile::kMaxLatencyMs);
        if (!ms) {
            *error = QStringLiteral("latency_ms must be an integer between 0 and %1")
                         .arg(FaultProfile::kMaxLatencyMs);
            return false;
        }
        result.latencyMs = static_cast<int>(*ms);
    }
    if (patch.contains(kDown)) {
        const QJsonValue value = patch.value(kDown);
        if (!value.isBool()) {
            *error = QStringLiteral("down must be a boolean");
            return false;
        }
        result.down = value.toBool();
    }
    if (patch.contains(kSlowStartMs)) {
        const auto ms = integerValue(patch.value(kSlowStartMs), 0, FaultProfile::kMaxSlowStartMs);
        if (!ms) {
            *error = QStringLiteral("slow_start_ms must be an integer between 0 and %1")
                         .arg(FaultProfile::kMaxSlowStartMs);
            return false;
        }
        result.slowStartMs = static_cast<int>(*ms);
    }
    if (patch.contains(kHealthFailEvery)) {
        const auto every = integerValue(patch.value(kHealthFailEvery), 0, 1000);
        if (!every) {
            *error = QStringLiteral("health_fail_every must be an integer between 0 and 1000");
            return false;
        }
        result.healthFailEvery = static_cast<int>(*every);
    }
    *profile = result;
    return true;
}

FaultProfile FaultRegistry::profile(const QString &service, const QString &version) const
{
    const auto serviceIt = m_profiles.constFind(service);
    if (serviceIt == m_profiles.constEnd())
        return {};
    return serviceIt->value(version);
}

void FaultRegistry::setProfile(const QString &service, const QString &version,
                               const FaultProfile &profile)
{
    if (profile.isDefault()) {
        auto serviceIt = m_profiles.find(service);
        if (serviceIt != m_profiles.end()) {
            serviceIt->remove(version);
            if (serviceIt->isEmpty())
                m_profiles.erase(serviceIt);
        }
    } else {
        m_profiles[service].insert(version, profile);
    }
    emit changed(service, version);
}

QJsonObject FaultRegistry::toJson(const QStringList &services) const
{
    QJsonObject result;
    for (const QString &service : services) {
        QJsonObject versions;
        const auto profiles = m_profiles.value(service);
        for (auto it = profiles.constBegin(); it != profiles.constEnd(); ++it)
            versions.insert(it.key(), it.value().toJson());
        result.insert(service, versions);
    }
    return result;
}

} // namespace rwd::fleet
