#pragma once

#include "confignode.h"
#include "diagnostics.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The configuration model: what rewindd was told to watch and how to act. Plain data, filled by
// the loader (configloader.h) and validated as a whole before anything uses it. Every duration is
// in milliseconds. Type-specific options (a check's URL, an executor's upstream file) stay as
// ConfigNodes and are read by the check/executor/strategy that owns them.
namespace rwd::config {

struct ServerConfig
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8470;
    QString store = QStringLiteral("sqlite:rewind.db"); // relative paths: against the config file
    int eventReplay = 4096; // events kept for WebSocket clients that resume
    // The metric history behind the dashboard's charts: one point per series per step, kept for
    // the retention (`metrics_history: {step, retention}`).
    qint64 historyStepMs = 1000;
    qint64 historyRetentionMs = 3'600'000;
    // HTTPS and WSS on the same port when both are set (PEM files; relative to the config file).
    QString tlsCertificate;
    QString tlsKey;
    // The browser build of the dashboard (Qt for WebAssembly), served under /app/ without a
    // token; empty: not served. Absolute once loaded (relative to the config file).
    QString webRoot;
    // What the API may hold (api/connectionguard.h): connections at most, how long a request
    // may take to arrive and a kept-alive connection may idle, descriptors left to the rest.
    int maxConnections = 1024;
    qint64 requestTimeoutMs = 10'000;
    qint64 idleTimeoutMs = 60'000;
    int reservedDescriptors = 256;
    Position position;
};

struct ApprovalPolicy
{
    bool required = false;
    int approvals = 1;
    QStringList roles{QStringLiteral("approver")};
    qint64 expiresMs = 30 * 60'000;
    // Automatic (rule-triggered) rollbacks of these severities start without waiting.
    QStringList autoApprove;
};

// How people and pipelines sign in (docs/configuration.md, "auth").
struct AuthConfig
{
    qint64 sessionTtlMs = 12 * 3'600'000;
    int pbkdf2Iterations = 200'000;
    int maxFailedLogins = 5; // within `lockoutMs`, per user and per address
    qint64 lockoutMs = 5 * 60'000;
    bool publicMetrics = true; // /metrics without a token, for Prometheus
    Position position;
};

// A user declared in configuration: created or updated in the store at every start.
struct UserConfig
{
    QString name;
    QList<QPair<QString, QStringList>> roles; // environment (or "*") -> roles
    QString password;                         // a secret reference (env:/file:); empty: none
    QString passwordHash;                     // or a precomputed hash
    QList<QPair<QString, QString>> tokens;    // token name -> secret reference of its value
    Position position;
};

struct EnvironmentConfig
{
    QString name;
    bool autoRollback = true;
    ApprovalPolicy approval;
    qint64 freezeAfterRollbackMs = 0;
    // A release becomes `verified` when, over this long after it went live, each of its checks
    // stayed within the error budget with enough samples, and no rule fired for its service.
    qint64 verifyAfterMs = 5 * 60'000;
    double errorBudget = 0.01;        // the share of failed samples a check may have
    std::optional<qint64> minSamples; // per check; unset: half of what its interval schedules
    qint64 gracePeriodMs = 0;         // samples in a release's first moments are not counted
    Position position;
};

struct CheckConfig
{
    QString name;
    QString type;
    qint64 intervalMs = 10'000;
    qint64 timeoutMs = 5'000;
    qint64 jitterMs = 0;
    // Fast confirmation: while a result contradicts the check's confirmed state, probe at this
    // interval until `fall` failures or `rise` successes in a row confirm it (0: off).
    qint64 fastIntervalMs = 0;
    int rise = 2;
    int fall = 3;
    std::optional<qint64> gracePeriodMs; // overrides the service's
    ConfigNode node; // the whole check map, for the check type to read its own keys
    Position position;
};

struct StrategyConfig
{
    QString type = QStringLiteral("blue_green");
    QString executor;
    ConfigNode node;
    Position position;
};

// How a rolled-back service is proven healthy again.
struct VerificationConfig
{
    int consecutiveSuccesses = 3; // every check of the service, this many times in a row
    qint64 timeoutMs = 300'000;   // parity default: 300 s
};

// Logs collected from a service before a rollback acts on it, archived with the incident.
struct LogCollectionConfig
{
    QList<QStringList> commands;   // argv of each command; its standard output is kept
    QStringList files;             // absolute paths; a `*` or `?` in the file name matches several
    qint64 maxBytes = 1024 * 1024; // per source: the last this many bytes of a file, the first of
                                   // a command's output
    qint64 timeoutMs = 10'000;     // per command
    [[nodiscard]] bool enabled() const { return !commands.isEmpty() || !files.isEmpty(); }
};

struct ServiceConfig
{
    QString name;
    QString environment = QStringLiteral("default");
    QString kind = QStringLiteral("backend");
    QStringList dependsOn;
    QList<CheckConfig> checks;
    std::optional<StrategyConfig> strategy;
    std::optional<qint64> verifyAfterMs; // these four override the environment's
    std::optional<double> errorBudget;
    std::optional<qint64> minSamples;
    std::optional<qint64> gracePeriodMs;
    VerificationConfig verification;
    LogCollectionConfig logs;
    Position position;
    Position dependsOnPosition;

    [[nodiscard]] const CheckConfig *check(const QString &checkName) const;
};

struct RuleConfig
{
    QString name;
    QStringList services;     // empty: every service (of the environments, if given)
    QStringList environments; // empty: every environment
    QStringList kinds;        // empty: every kind of service (frontend, backend, …)
    QString when;
    Position whenPosition; // first character of the expression text
    qint64 forMs = 0;
    int consecutive = 1;
    qint64 cooldownMs = 30 * 60'000;
    qint64 everyMs = 0;   // 0: evaluate whenever a sample of the service arrives
    int recoverAfter = 1; // consecutive false evaluations before a firing rule resolves
    // From a file named by `include:`, a library of rules: one that names no services and fits
    // none (no service has its checks) is inert there rather than an error.
    bool included = false;
    QString severity = QStringLiteral("warning");
    QString action = QStringLiteral("alert");
    // With action: rollback — the rollback class, and the services to roll back (empty: the
    // service the rule fired for; others make it a cross-service rollback).
    QString rollbackClass = QStringLiteral("fast");
    QStringList rollbackServices;
    // With action: freeze — how long deployments of the service are refused.
    qint64 freezeMs = 60 * 60'000;
    Position position;

    // Maps an offset inside `when` to its place in the file.
    [[nodiscard]] Position positionOf(qsizetype offset) const;
};

// Limits of one rollback class (docs/configuration.md, "rollback").
struct RollbackClassConfig
{
    qint64 stepTimeoutMs = 120'000; // every step an executor performs
    qint64 freezeMs = 0;            // deployments refused after it, besides the environment's
    QList<int> shifts;              // gradual: percentages of traffic moved back before all of it
    qint64 watchMs = 0;             // gradual: how long each shift is watched
};

struct RollbackPolicyConfig
{
    int maxAttemptsPerRelease = 3; // automatic rollbacks of one release, then a person must act
    int retryAttempts = 3;         // runs of a step whose failure is worth retrying
    qint64 retryBackoffMs = 1'000; // before the second run; doubles each time
    qint64 retryMaxBackoffMs = 30'000;
    QString archiveDir = QStringLiteral("archives"); // preserved logs; relative: to the config
    RollbackClassConfig immediate{30'000, 60 * 60'000, {}, 0};
    RollbackClassConfig fast{120'000, 0, {}, 0};
    RollbackClassConfig gradual{120'000, 0, {50}, 10 * 60'000};
    Position position;

    [[nodiscard]] const RollbackClassConfig &forClass(const QString &name) const
    {
        if (name == u"immediate")
            return immediate;
        if (name == u"gradual")
            return gradual;
        return fast;
    }
};

struct ExecutorConfig
{
    QString name;
    QString type;
    ConfigNode node;
    Position position;
};

// One notification channel: what it is (`type`: slack, webhook, email — its own keys stay in
// `node`), which events it gets, and optional message templates per event.
struct NotificationConfig
{
    QString name;
    QString type;
    QStringList events;                       // empty: every event
    QStringList environments;                 // empty: every environment
    QList<QPair<QString, QString>> templates; // event -> template text
    ConfigNode node;
    Position position;
};

struct Config
{
    QString file;
    QString baseDirectory; // directory of the file; relative paths resolve against it
    ServerConfig server;
    AuthConfig auth;
    QList<UserConfig> users;
    RollbackPolicyConfig rollback;
    QList<EnvironmentConfig> environments;
    QList<ServiceConfig> services;
    QList<RuleConfig> rules;
    QList<ExecutorConfig> executors;
    QList<NotificationConfig> notifications;

    [[nodiscard]] const ServiceConfig *service(const QString &name) const;
    [[nodiscard]] const EnvironmentConfig *environment(const QString &name) const;
    [[nodiscard]] const ExecutorConfig *executor(const QString &name) const;
    // The services a rule applies to: those it names (all when none), in the environments and of
    // the kinds it names (all when none).
    [[nodiscard]] QList<const ServiceConfig *> servicesOf(const RuleConfig &rule) const;
    [[nodiscard]] qint64 verifyAfterMs(const ServiceConfig &service) const;
    [[nodiscard]] double errorBudget(const ServiceConfig &service) const;
    [[nodiscard]] std::optional<qint64> minSamples(const ServiceConfig &service) const;
    // The grace period of a check: its own, else its service's, else its environment's.
    [[nodiscard]] qint64 gracePeriodMs(const ServiceConfig &service,
                                       const CheckConfig &check) const;
    // A path from the configuration, made absolute against the config file's directory.
    [[nodiscard]] QString resolvePath(const QString &path) const;
};

inline const QStringList kServiceKinds{QStringLiteral("frontend"), QStringLiteral("backend"),
                                       QStringLiteral("api"), QStringLiteral("worker"),
                                       QStringLiteral("database")};
inline const QStringList kSeverities{QStringLiteral("info"), QStringLiteral("warning"),
                                     QStringLiteral("critical")};
// What notifications are sent about (docs/configuration.md, "notifications").
inline const QStringList kNotificationEvents{
    QStringLiteral("rollback_started"), QStringLiteral("rollback_succeeded"),
    QStringLiteral("rollback_failed"),  QStringLiteral("rollback_needs_attention"),
    QStringLiteral("rollback_slow"),    QStringLiteral("approval_requested"),
    QStringLiteral("approval_granted"), QStringLiteral("approval_rejected"),
    QStringLiteral("freeze_started"),   QStringLiteral("freeze_ended"),
    QStringLiteral("security_alert")};
inline const QStringList kRollbackClasses{QStringLiteral("fast"), QStringLiteral("immediate"),
                                          QStringLiteral("gradual")};
inline const QStringList kRoles{QStringLiteral("viewer"), QStringLiteral("operator"),
                                QStringLiteral("approver"), QStringLiteral("admin")};
inline const QStringList kRuleActions{QStringLiteral("alert"), QStringLiteral("rollback"),
                                      QStringLiteral("freeze"), QStringLiteral("preserve_logs")};

} // namespace rwd::config
