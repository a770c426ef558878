#pragma once

#include "states.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
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

// How one check's samples judged a release over its verification period.
struct VerificationCheck
{
    QString check;
    qint64 samples = 0;     // counted: taken after the grace period, neither check errors
    qint64 failed = 0;      // of those
    qint64 needed = 0;      // samples needed to judge (min_samples, or half the interval's)
    qint64 inGrace = 0;     // taken in the grace period: charted, not judged
    qint64 checkErrors = 0; // probes Rewind could not make: neither ok nor failed
    double errorRate = 0;   // failed / samples (0 without samples)
    bool overBudget = false;
    QString lastFailure;    // why the latest counted sample failed
    QString lastCheckError; // why the latest probe could not be made

    [[nodiscard]] QJsonObject toJson() const;
    static VerificationCheck fromJson(const QJsonObject &o);
};

// Why a release is, is not, or is not yet `verified` (docs/configuration.md, "Verification").
// `state`: pending (the period is running), insufficient_data (the period is over, too few
// samples: it waits for more), over_budget, rule_fired (final: never verified), verified.
struct VerificationInfo
{
    QString state;
    bool final = false; // the verdict will not change any more
    qint64 releaseId = 0;
    qint64 startedAtMs = 0;  // the release went live: samples count from then
    qint64 graceUntilMs = 0; // the grace period ended (the latest of the checks')
    qint64 dueAtMs = 0;      // when the verification period is over
    qint64 judgedAtMs = 0;
    qint64 remainingMs = 0; // of the period, at judgedAtMs
    double errorBudget = 0;
    QString rule; // rule_fired: which rule
    qint64 ruleFiredAtMs = 0;
    QList<VerificationCheck> checks;
    QStringList missing; // what it still waits for, for people
    QString summary;     // one sentence for people

    [[nodiscard]] bool isEmpty() const { return state.isEmpty(); }
    [[nodiscard]] QJsonObject toJson() const;
    static VerificationInfo fromJson(const QJsonObject &o);
};

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
    // Free-form text values CI recorded with the deployment (a Kubernetes revision, an image
    // digest…); executors can use them as {{meta.NAME}}.
    QJsonObject metadata;
    // Why a deployment freeze was overridden for this release (empty: it was not).
    QString freezeOverride;
    // The verdict of its verification: final once given, live while it is being verified
    // (empty: none, e.g. a release superseded before it was judged).
    VerificationInfo verification;

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

// A check whose latest probes Rewind itself could not make (no descriptors, a process that
// could not start…): not a failure of the service, shown so that someone fixes Rewind.
struct CheckErrorInfo
{
    QString check;
    QString error;
    qint64 sinceMs = 0;
    qint64 count = 0;

    [[nodiscard]] QJsonObject toJson() const;
    static CheckErrorInfo fromJson(const QJsonObject &o);
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
    QList<CheckErrorInfo> checkErrors;

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
    QString executor;       // the executor that performs it; empty for steps Rewind runs itself
    QList<int> after;       // indexes of the steps that must succeed before this one starts
    bool onFailure = false; // a compensating step: runs only if a step of its service failed
    StepState state = StepState::Pending;
    int attempts = 0; // how many times it was started (retries and resumes included)
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
    QString strategy;
    QStringList after; // targets rolled back before this one (its dependents)

    [[nodiscard]] QJsonObject toJson() const;
    static TargetInfo fromJson(const QJsonObject &o);
};

// A person's decision on a rollback that waits for approval.
struct ApprovalInfo
{
    QString user;
    QString decision; // approved, rejected
    QString comment;
    qint64 atMs = 0;

    [[nodiscard]] QJsonObject toJson() const;
    static ApprovalInfo fromJson(const QJsonObject &o);
};

struct RollbackInfo
{
    qint64 id = 0;
    PlanState state = PlanState::Planned;
    QString trigger; // rule:<name>, manual, api
    QString reason;
    QString requestedBy;
    QString strategy;
    QString rollbackClass = QStringLiteral("fast"); // fast, immediate or gradual
    QString message;                                // why it ended as it did
    bool dryRun = false;                            // a plan shown, never stored or run
    qint64 incidentId = 0;
    qint64 createdAtMs = 0;
    qint64 finishedAtMs = 0;
    QList<TargetInfo> targets;
    QList<StepInfo> steps;
    int approvalsNeeded = 0; // distinct approvals the policy asks for (0: none)
    qint64 approvalExpiresAtMs = 0;
    QList<ApprovalInfo> approvals;

    // The services of its targets, in plan order.
    [[nodiscard]] QStringList services() const;
    [[nodiscard]] QJsonObject toJson() const;
    static RollbackInfo fromJson(const QJsonObject &o);
};

// A copy of a database taken before a deploy or a rollback, to restore if that goes wrong.
struct SnapshotInfo
{
    qint64 id = 0;
    QString name; // unique, e.g. "db-20261202T121314Z-r7"
    QString service;
    QString executor; // the sqlite/postgres executor that took it
    QString reason;   // "rollback #7", "deploy of db 3"
    QString path;
    qint64 sizeBytes = 0;
    QString sha256;
    QJsonObject tables; // table -> {rows, max_key, checksum} when it was taken
    qint64 rollbackId = 0;
    qint64 releaseId = 0;
    qint64 createdAtMs = 0;
    qint64 prunedAtMs = 0; // removed by the retention policy (0: still there)

    [[nodiscard]] QJsonObject toJson() const;
    static SnapshotInfo fromJson(const QJsonObject &o);
};

// A service whose deployments are refused until a time, after (or during) a rollback.
struct FreezeInfo
{
    qint64 id = 0;
    QString service;
    QString reason;
    qint64 rollbackId = 0;
    qint64 startedAtMs = 0;
    qint64 untilMs = 0;

    [[nodiscard]] QJsonObject toJson() const;
    static FreezeInfo fromJson(const QJsonObject &o);
};

// An entry in an incident's timeline: a note from a person or from Rewind.
struct IncidentNote
{
    qint64 atMs = 0;
    QString author;
    QString kind; // note, escalation, logs
    QString text;

    [[nodiscard]] QJsonObject toJson() const;
    static IncidentNote fromJson(const QJsonObject &o);
};

// Logs collected from a service before a rollback acted on it, archived compressed.
struct PreservedLog
{
    qint64 id = 0;
    qint64 rollbackId = 0;
    QString service;
    QString source;   // the command line or the file it came from
    QString path;     // the .gz archive
    qint64 bytes = 0; // before compression
    bool truncated = false;

    [[nodiscard]] QJsonObject toJson() const;
    static PreservedLog fromJson(const QJsonObject &o);
};

// What went wrong and what was done about it: opened when a rollback is planned for services
// without an open incident; gathers the rollbacks, notes and preserved logs.
struct IncidentInfo
{
    qint64 id = 0;
    QString title;
    QStringList services;
    QString severity;
    bool open = true;
    qint64 openedAtMs = 0;
    qint64 closedAtMs = 0;
    QList<qint64> rollbacks;
    QList<IncidentNote> notes;
    QList<PreservedLog> logs;

    [[nodiscard]] QJsonObject toJson() const;
    static IncidentInfo fromJson(const QJsonObject &o);
};

// One notification sent (or being sent) to one notifier, with its outcome.
struct DeliveryInfo
{
    qint64 id = 0;
    QString notifier; // the configured name
    QString type;     // slack, webhook, email
    QString event;    // rollback_started, approval_requested, …
    qint64 eventSeq = 0;
    qint64 rollbackId = 0;
    QString state; // pending, retrying, delivered, failed
    int attempts = 0;
    qint64 createdAtMs = 0;
    qint64 finishedAtMs = 0;
    QString message; // the last outcome, for people (never a secret)

    [[nodiscard]] QJsonObject toJson() const;
    static DeliveryInfo fromJson(const QJsonObject &o);
};

// A line drawn across a chart: the value a rule compares a series with.
struct ThresholdInfo
{
    QString rule;     // the rule's name
    QString op;       // >, >=, <, <=, ==, != with the series on the left
    double value = 0; // in the series' unit
    QString severity; // the rule's severity

    [[nodiscard]] QJsonObject toJson() const;
    static ThresholdInfo fromJson(const QJsonObject &o);
};

// One metric of one service over time, at a fixed step: what the dashboard's charts and the
// incident report draw. Points are (time in ms, value) at multiples of stepMs, oldest first; a
// step without data has no point (a gap, not a zero).
struct SeriesInfo
{
    QString name;  // stable id: "<check>.<field>" for measured series, the term's text for rules
    QString label; // for people, e.g. "traffic p95 latency"
    QString unit;  // seconds, ratio, per_second, number
    qint64 stepMs = 0;
    QList<QPair<qint64, double>> points;
    QList<ThresholdInfo> thresholds;

    [[nodiscard]] QJsonObject toJson() const;
    static SeriesInfo fromJson(const QJsonObject &o);
};

// Names of the events sent over /ws/v1 (the "type" field).
namespace event {
inline constexpr auto Snapshot = "snapshot";
inline constexpr auto DeploymentRecorded = "deployment_recorded";
inline constexpr auto ReleaseStateChanged = "release_state_changed";
// A live release's verification ended without `verified` (data: the release, with its verdict).
inline constexpr auto ReleaseNotVerified = "release_not_verified";
// A check's probes cannot be made because of Rewind itself (data: service, check, error, count),
// and when they can again (data: service, check, count).
inline constexpr auto CheckError = "check_error";
inline constexpr auto CheckRecovered = "check_recovered";
// Something a security team should hear of (data: kind, message, and what it concerns).
inline constexpr auto SecurityAlert = "security_alert";
// The store refused a journal write of a rollback, which stops there (data: error, rollback_id,
// what, services). /healthz says when the store writes again.
inline constexpr auto StoreFailing = "store_failing";
inline constexpr auto HealthChanged = "health_changed";
inline constexpr auto RuleFired = "rule_fired";
inline constexpr auto RuleResolved = "rule_resolved";
inline constexpr auto RollbackStarted = "rollback_started";
inline constexpr auto StepStarted = "rollback_step_started";
inline constexpr auto StepFinished = "rollback_step_finished";
// A step's attempt failed in a way worth retrying; data adds "retry_in_ms".
inline constexpr auto StepRetrying = "rollback_step_retrying";
inline constexpr auto RollbackFinished = "rollback_finished";
// A plan halted with a failure a person must act on (data carries the rollback and why).
inline constexpr auto RollbackEscalated = "rollback_escalated";
// An automatic rollback was not started (data: service, code, message).
inline constexpr auto RollbackRefused = "rollback_refused";
inline constexpr auto FreezeStarted = "freeze_started";
inline constexpr auto FreezeOverridden = "freeze_overridden";
inline constexpr auto SnapshotTaken = "snapshot_taken";
inline constexpr auto IncidentOpened = "incident_opened";
// {rollback, needed}: a rollback waits for approval.
inline constexpr auto ApprovalRequested = "approval_requested";
// {rollback, by, comment, approvals, needed}
inline constexpr auto ApprovalGranted = "approval_granted";
// {rollback, by, comment}
inline constexpr auto ApprovalRejected = "approval_rejected";
inline constexpr auto IncidentUpdated = "incident_updated";
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
