#pragma once

#include "states.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The wire vocabulary of /api/v1 and /ws/v1 (see docs/api/). The daemon produces these objects
// and every client (dashboard, rewindctl, tests) parses them with the same code, so the two sides
// cannot drift apart. Timestamps travel as ISO 8601 UTC strings with milliseconds; in memory they
// are milliseconds since the epoch (0 = not set).
namespace rwd::protocol {

[[nodiscard]] QString isoTime(qint64 ms);
[[nodiscard]] qint64 parseIsoTime(const QJsonValue &value);

// A JSON array of the items' toJson().
template<typename T>
[[nodiscard]] QJsonArray toJsonArray(const QList<T> &items)
{
    QJsonArray array;
    for (const auto &item : items)
        array.append(item.toJson());
    return array;
}

struct ReleaseInfo
{
    qint64 id = 0;
    QString service;
    QString version;
    QString artifact;
    QString target; // where it runs, e.g. the blue/green colour
    ReleaseState state = ReleaseState::Live;
    QString deployedBy;
    QString pipeline;
    qint64 deployedAtMs = 0;
    qint64 verifiedAtMs = 0;
    qint64 previousId = 0; // the release it replaced (0: none)

    [[nodiscard]] QJsonObject toJson() const;
    static ReleaseInfo fromJson(const QJsonObject &o);
};

// A rule that is currently firing for a service, with the values that made it fire.
struct FiringInfo
{
    QString rule;
    QString service;
    QString severity;
    QString action;
    QString expression;
    qint64 sinceMs = 0;
    QJsonObject values; // sub-expression text -> value at the moment it fired

    [[nodiscard]] QJsonObject toJson() const;
    static FiringInfo fromJson(const QJsonObject &o);
};

// The state of one rule for one service: inactive, pending, firing, insufficient_data or
// no_traffic.
struct RuleState
{
    QString rule;
    QString phase;

    [[nodiscard]] QJsonObject toJson() const;
    static RuleState fromJson(const QJsonObject &o);
};

struct ServiceStatus
{
    QString name;
    QString environment;
    QString kind;
    QStringList dependsOn;
    Health health = Health::Unknown;
    QString strategy;
    std::optional<ReleaseInfo> current;
    std::optional<ReleaseInfo> lastGood;
    QList<FiringInfo> firings;
    QList<RuleState> rules;

    [[nodiscard]] QJsonObject toJson() const;
    static ServiceStatus fromJson(const QJsonObject &o);
};

struct StepInfo
{
    qint64 id = 0;
    int index = 0;
    QString service;
    QString kind; // switch_traffic, verify_health, ...
    QString description;
    StepState state = StepState::Pending;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    QString message;

    [[nodiscard]] QJsonObject toJson() const;
    static StepInfo fromJson(const QJsonObject &o);
};

struct TargetInfo
{
    QString service;
    QString fromVersion;
    QString toVersion;
    qint64 fromReleaseId = 0;
    qint64 toReleaseId = 0;

    [[nodiscard]] QJsonObject toJson() const;
    static TargetInfo fromJson(const QJsonObject &o);
};

struct RollbackInfo
{
    qint64 id = 0;
    PlanState state = PlanState::Planned;
    QString trigger; // rule:<name>, manual, api
    QString reason;
    QString requestedBy;
    QString strategy;
    qint64 createdAtMs = 0;
    qint64 finishedAtMs = 0;
    QList<TargetInfo> targets;
    QList<StepInfo> steps;

    [[nodiscard]] QJsonObject toJson() const;
    static RollbackInfo fromJson(const QJsonObject &o);
};

// Names of the events sent over /ws/v1 (the "type" field).
namespace event {
inline constexpr auto Snapshot = "snapshot";
inline constexpr auto DeploymentRecorded = "deployment_recorded";
inline constexpr auto ReleaseStateChanged = "release_state_changed";
inline constexpr auto HealthChanged = "health_changed";
inline constexpr auto RuleFired = "rule_fired";
inline constexpr auto RuleResolved = "rule_resolved";
inline constexpr auto RollbackStarted = "rollback_started";
inline constexpr auto StepStarted = "rollback_step_started";
inline constexpr auto StepFinished = "rollback_step_finished";
inline constexpr auto RollbackFinished = "rollback_finished";
// The full ServiceStatus of a service whose status changed: clients replace what they hold.
inline constexpr auto ServiceUpdated = "service_updated";
} // namespace event

// One message from the server over /ws/v1.
struct Event
{
    qint64 seq = 0;
    QString type;
    qint64 timeMs = 0;
    QJsonObject data;

    [[nodiscard]] QJsonObject toJson() const;
    static Event fromJson(const QJsonObject &o);
};

// The state a client starts from: every service and the recent rollbacks.
struct Snapshot
{
    QList<ServiceStatus> services;
    QList<RollbackInfo> rollbacks;

    [[nodiscard]] QJsonObject toJson() const;
    static Snapshot fromJson(const QJsonObject &o);
};

} // namespace rwd::protocol
