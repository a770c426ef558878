#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

namespace rwd::fleet {

// How an instance misbehaves while it runs a given version. Defaults mean "healthy".
struct FaultProfile
{
    static constexpr int kMaxLatencyMs = 600'000;
    static constexpr int kMaxSlowStartMs = 3'600'000;

    double errorRate = 0.0;  // fraction of / and /health requests answered 500, in [0, 1]
    int latencyMs = 0;       // added before answering / and /health
    bool down = false;       // the instance refuses connections
    int slowStartMs = 0;     // / and /health answer 503 for this long after a deploy
    int healthFailEvery = 0; // every Nth /health request since the deploy answers 500 (0: none)

    [[nodiscard]] bool isDefault() const { return *this == FaultProfile{}; }
    [[nodiscard]] QJsonObject toJson() const;

    friend bool operator==(const FaultProfile &, const FaultProfile &) = default;
};

// Applies the keys present in patch ("error_rate", "latency_ms", "down", "slow_start_ms",
// "health_fail_every") to
// *profile. Unknown keys, wrong types and out-of-range values are rejected with a message and
// leave *profile untouched.
bool applyFaultPatch(const QJsonObject &patch, FaultProfile *profile, QString *error);

// Fault profiles keyed by (service, version). A profile applies to whichever instance runs that
// version, so instances look it up on every request and re-check availability on changed().
class FaultRegistry : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    [[nodiscard]] FaultProfile profile(const QString &service, const QString &version) const;

    // Storing a default profile clears the entry.
    void setProfile(const QString &service, const QString &version, const FaultProfile &profile);

    // {"svc": {"version": profile, ...}, ...} with one (possibly empty) object per listed service.
    [[nodiscard]] QJsonObject toJson(const QStringList &services) const;

signals:
    void changed(const QString &service, const QString &version);

private:
    QHash<QString, QHash<QString, FaultProfile>> m_profiles;
};

} // namespace rwd::fleet
