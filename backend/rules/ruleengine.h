#pragma once

#include "common/protocol.h"
#include "config/config.h"
#include "config/diagnostics.h"
#include "expression.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace rwd::rules {

// The state of one rule for one service.
enum class RulePhase
{
    Inactive,         // the condition is false
    Pending,          // the condition is true but `for`/`consecutive`/cooldown not yet satisfied
    Firing,           // the rule fired and its condition still holds
    InsufficientData, // the condition cannot be decided: no samples in a window it reads
    NoTraffic,        // the condition cannot be decided: the traffic it judges did not move
};

[[nodiscard]] QString phaseName(RulePhase phase);

// A change the engine reports to whoever applies it (store, events, orchestrator).
struct Transition
{
    enum class Kind
    {
        Fired,
        Resolved
    };
    Kind kind = Kind::Fired;
    const config::RuleConfig *rule = nullptr;
    protocol::FiringInfo firing;
    QString reason; // Resolved: why, when it is not that the condition became false
};

// Told of every evaluation of a rule for a service, with the value of the measured term of each
// of its comparisons: what lets a chart show what a rule judged, and against which threshold,
// without the rule engine knowing who draws it. Called synchronously, from inside onSample()
// and tick(); it must not call back into the engine.
class EvaluationObserver
{
public:
    virtual ~EvaluationObserver() = default;
    // `terms[i]` is the value of `comparisons[i]`'s term at `nowMs` (none: no data, or no
    // traffic); `comparisons` are the compiled expression's (Expression::comparisons()).
    virtual void evaluated(const config::RuleConfig &rule, const QString &service,
                           const QList<Comparison> &comparisons,
                           const std::vector<std::optional<double>> &terms, qint64 nowMs) = 0;
};

// Evaluates every rule for every service it is scoped to, and turns condition results into
// firings, honouring `for`, `consecutive`, `cooldown` and `every`. Pure logic: time comes in as
// an argument, metrics through a MetricSource, and results go out as Transitions.
class RuleEngine
{
public:
    // What a service's checks measure, for name and type checking.
    using ScopeProvider = std::function<Scope(const config::ServiceConfig &)>;

    // Compiles every rule for every service in its scope. The config must outlive the engine.
    // Problems are reported into `diagnostics` (with file:line:col into the expression) and the
    // offending rule/service pair is left out.
    RuleEngine(const config::Config &config, const ScopeProvider &scopes,
               config::Diagnostics &diagnostics);

    // Reports compile errors of one rule (all services in its scope) without building an engine;
    // used by the config loader.
    static void validate(const config::Config &config, const config::RuleConfig &rule,
                         const ScopeProvider &scopes, config::Diagnostics &diagnostics);

    // Every (service, query) the compiled rules read, so the metric store can maintain them.
    [[nodiscard]] std::vector<std::pair<QString, MetricQuery>> queries() const;
    // One compiled rule for one service and what its condition compares, in configuration
    // order, so that an observer can prepare for what it will be told.
    struct CompiledRule
    {
        const config::RuleConfig *rule = nullptr;
        QString service;
        QList<Comparison> comparisons;
    };
    [[nodiscard]] std::vector<CompiledRule> compiled() const;
    // `observer` (not owned; null: none) is told of every evaluation from now on.
    void setObserver(EvaluationObserver *observer) { m_observer = observer; }
    // The phase of every rule that applies to `service`, in configuration order.
    [[nodiscard]] QList<QPair<QString, RulePhase>> phases(const QString &service) const;

    // A sample of `check` arrived: evaluates the rules of `service` that read that check and run
    // on every sample (no `every:`).
    [[nodiscard]] std::vector<Transition> onSample(const QString &service, const QString &check,
                                                   const MetricSource &source, qint64 nowMs);
    // Evaluates every rule whose `every:` interval is due, and re-evaluates the others so that
    // `for:` durations complete without new samples.
    [[nodiscard]] std::vector<Transition>
    tick(const std::function<const MetricSource &(const QString &service)> &sourceFor,
         qint64 nowMs);

    // The release `service` runs changed (`deployed`: a recorded deployment;
    // otherwise a rollback moved it back). A verdict belongs to one release, so its rules start
    // over: a firing rule resolves (the release it judged is no longer live), pending rules and
    // consecutive counts start from zero. After a deployment the cooldowns restart too, so a
    // rule that fired against the previous release can fire against this one at once; after a
    // rollback they hold.
    [[nodiscard]] std::vector<Transition> releaseChanged(const QString &service, bool deployed);

    [[nodiscard]] RulePhase phase(const QString &rule, const QString &service) const;
    // The firings currently active for a service.
    [[nodiscard]] QList<protocol::FiringInfo> activeFirings(const QString &service) const;
    // How many rule evaluations ran since the engine was built (for /metrics).
    [[nodiscard]] quint64 evaluations() const { return m_evaluations; }

private:
    struct Instance
    {
        const config::RuleConfig *rule = nullptr;
        QString service;
        std::optional<Expression> expression;
        QStringList checks; // the checks the expression reads
        RulePhase phase = RulePhase::Inactive;
        int consecutiveTrue = 0;
        int consecutiveFalse = 0;
        qint64 pendingSinceMs = 0;
        qint64 lastFiredMs = 0;
        qint64 lastEvaluatedMs = 0;
        protocol::FiringInfo firing;
    };

    void evaluate(Instance &instance, const MetricSource &source, qint64 nowMs,
                  std::vector<Transition> &out);

    std::vector<Instance> m_instances;
    QHash<QString, std::vector<std::size_t>> m_byService;
    quint64 m_evaluations = 0;
    EvaluationObserver *m_observer = nullptr;
    std::vector<std::optional<double>> m_terms; // reused by every evaluation the observer sees
};

} // namespace rwd::rules
