#pragma once

#include "protocol.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <variant>

// What rewindd announces, typed: one struct per event kind (the names of protocol::event), each
// serialised to the wire in one place (events.cpp), and the services each one concerns (who may
// see it). Publishers build these structs; the event hub numbers them; the audit log, the
// notification dispatcher and the WebSocket API read the structs, never the JSON.
namespace rwd::events {

struct DeploymentRecorded
{
    static constexpr auto kType = protocol::event::DeploymentRecorded;
    protocol::ReleaseInfo release;
};
struct ReleaseStateChanged
{
    static constexpr auto kType = protocol::event::ReleaseStateChanged;
    protocol::ReleaseInfo release;
};
// A live release's verification ended without `verified` (the release carries its verdict).
struct ReleaseNotVerified
{
    static constexpr auto kType = protocol::event::ReleaseNotVerified;
    protocol::ReleaseInfo release;
};
// A check's probes cannot be made because of Rewind itself; announced once, then CheckRecovered.
struct CheckError
{
    static constexpr auto kType = protocol::event::CheckError;
    QString service;
    QString check;
    QString error;
    qint64 count = 1;
};
struct CheckRecovered
{
    static constexpr auto kType = protocol::event::CheckRecovered;
    QString service;
    QString check;
    qint64 count = 0; // check errors in a row before it recovered
};
// Something a security team should hear of. `details` says what it concerns (user, service,
// services, …) and goes out with `kind` and `message`.
struct SecurityAlert
{
    static constexpr auto kType = protocol::event::SecurityAlert;
    QString kind;
    QString message;
    QJsonObject details;
};
// The store refused a journal write of a rollback, which stops there.
struct StoreFailing
{
    static constexpr auto kType = protocol::event::StoreFailing;
    QString error;
    qint64 rollbackId = 0;
    QString what;
    QStringList services;
};
struct HealthChanged
{
    static constexpr auto kType = protocol::event::HealthChanged;
    QString service;
    Health health = Health::Unknown;
    Health previous = Health::Unknown;
};
struct RuleFired
{
    static constexpr auto kType = protocol::event::RuleFired;
    protocol::FiringInfo firing;
    qint64 id = 0; // the stored firing
};
struct RuleResolved
{
    static constexpr auto kType = protocol::event::RuleResolved;
    protocol::FiringInfo firing;
    qint64 id = 0;
    QString reason; // empty: the condition cleared
};
// A plan began (also in awaiting_approval, and again when rewindd resumes it).
struct RollbackStarted
{
    static constexpr auto kType = protocol::event::RollbackStarted;
    protocol::RollbackInfo rollback;
};
// A step of a plan changed. `services`: the plan's, so that whoever may see the plan sees it.
struct StepEvent
{
    qint64 rollbackId = 0;
    protocol::StepInfo step;
    QStringList services;
};
struct StepStarted : StepEvent
{
    static constexpr auto kType = protocol::event::StepStarted;
};
struct StepFinished : StepEvent
{
    static constexpr auto kType = protocol::event::StepFinished;
};
struct StepRetrying : StepEvent
{
    static constexpr auto kType = protocol::event::StepRetrying;
    qint64 retryInMs = 0;
};
struct RollbackFinished
{
    static constexpr auto kType = protocol::event::RollbackFinished;
    protocol::RollbackInfo rollback;
    QString message;
};
// A plan ended in a way a person must act on.
struct RollbackEscalated
{
    static constexpr auto kType = protocol::event::RollbackEscalated;
    protocol::RollbackInfo rollback;
    QString reason;
};
// An automatic rollback was not started.
struct RollbackRefused
{
    static constexpr auto kType = protocol::event::RollbackRefused;
    QString service;
    QString rule;
    QString code;
    QString message;
};
struct FreezeStarted
{
    static constexpr auto kType = protocol::event::FreezeStarted;
    protocol::FreezeInfo freeze;
};
struct FreezeOverridden
{
    static constexpr auto kType = protocol::event::FreezeOverridden;
    QString service;
    QString version;
    QString by;
    QString reason;
    protocol::FreezeInfo freeze;
};
struct SnapshotTaken
{
    static constexpr auto kType = protocol::event::SnapshotTaken;
    protocol::SnapshotInfo snapshot;
};
struct IncidentOpened
{
    static constexpr auto kType = protocol::event::IncidentOpened;
    qint64 id = 0;
    QString title;
    QStringList services;
    QString severity;
};
// A note on an incident (kind: note, rollback, escalation) or its closing (kind and state
// `closed`, no text).
struct IncidentUpdated
{
    static constexpr auto kType = protocol::event::IncidentUpdated;
    qint64 id = 0;
    QString kind;
    std::optional<QString> text;
    std::optional<QString> state;
    QStringList services;
};
struct ApprovalRequested
{
    static constexpr auto kType = protocol::event::ApprovalRequested;
    protocol::RollbackInfo rollback;
    int needed = 0;
};
// A person's approval (with the count so far), or Rewind's own under auto_approve (`automatic`,
// without counts).
struct ApprovalGranted
{
    static constexpr auto kType = protocol::event::ApprovalGranted;
    protocol::RollbackInfo rollback;
    QString by;
    QString comment;
    bool automatic = false;
    int approvals = 0;
    int needed = 0;
};
struct ApprovalRejected
{
    static constexpr auto kType = protocol::event::ApprovalRejected;
    protocol::RollbackInfo rollback;
    QString by;
    QString comment;
};
// The full status of a service whose status changed: clients replace what they hold.
struct ServiceUpdated
{
    static constexpr auto kType = protocol::event::ServiceUpdated;
    protocol::ServiceStatus status;
};

using Body = std::variant<DeploymentRecorded, ReleaseStateChanged, ReleaseNotVerified, CheckError,
                          CheckRecovered, SecurityAlert, StoreFailing, HealthChanged, RuleFired,
                          RuleResolved, RollbackStarted, StepStarted, StepFinished, StepRetrying,
                          RollbackFinished, RollbackEscalated, RollbackRefused, FreezeStarted,
                          FreezeOverridden, SnapshotTaken, IncidentOpened, IncidentUpdated,
                          ApprovalRequested, ApprovalGranted, ApprovalRejected, ServiceUpdated>;

// Its kind's wire name (protocol::event).
[[nodiscard]] QString typeOf(const Body &body);
// Its `data` on the wire (docs/api/websocket.md).
[[nodiscard]] QJsonObject toJson(const Body &body);
// The services it is about: whoever may read one of them may see it.
[[nodiscard]] QStringList servicesOf(const Body &body);
// The event of kind `type` that `data` describes (the inverse of toJson); nothing for a kind
// that is not one of these (`snapshot`, or one from a newer Rewind).
[[nodiscard]] std::optional<Body> fromJson(const QString &type, const QJsonObject &data);

// An event as published: the wire form (seq, type, time, data; made once) and what it says,
// typed.
struct Published : protocol::Event
{
    std::shared_ptr<const Body> body;

    template<typename T>
    [[nodiscard]] const T *as() const
    {
        return body ? std::get_if<T>(body.get()) : nullptr;
    }
};

// A wire event read back as published (its body from fromJson; none for an unknown kind).
[[nodiscard]] Published fromWire(const protocol::Event &event);

// Where publishers send events (the event hub in rewindd; a recorder in tests).
class Sink
{
public:
    virtual ~Sink() = default;
    virtual void publish(Body body) = 0;
};

} // namespace rwd::events
