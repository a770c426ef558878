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

    // A new release of `service` went live: cooldowns restart, so a rule that fired against the
    // previous release can fire against this one at once.
    void releaseWentLive(const QString &service);

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
};

} // namespace rwd::rules
