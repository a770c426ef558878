#include "planner.h"

#include <QSet>

#include <functional>

namespace rwd::orchestrator {

bool dependsOn(const config::Config &config, const QString &service, const QString &other)
{
    QSet<QString> seen;
    std::function<bool(const QString &)> visit = [&](const QString &name) {
        if (seen.contains(name))
            return false;
        seen.insert(name);
        const auto *s = config.service(name);
        if (!s)
            return false;
        for (const auto &dep : s->dependsOn) {
            if (dep == other || visit(dep))
                return true;
        }
        return false;
    };
    return visit(service);
}

namespace {

Error error(const char *code, const QString &message)
{
    return Error{QString::fromLatin1(code), message};
}

// The services an immediate rollback takes along: those connected to the requested ones through
// depends_on (either way, transitively) whose current release is not verified yet — the rest of
// the release train.
QStringList expandImmediate(const PlanInputs &in, const QStringList &requested)
{
    QStringList out = requested;
    QStringList queue = requested;
    while (!queue.isEmpty()) {
        const QString name = queue.takeFirst();
        QStringList neighbours;
        if (const auto *s = in.config->service(name))
            neighbours = s->dependsOn;
        for (const auto &other : in.config->services) {
            if (other.dependsOn.contains(name))
                neighbours.append(other.name);
        }
        for (const auto &n : std::as_const(neighbours)) {
            if (out.contains(n))
                continue;
            const auto current = in.current(n);
            if (!current || current->state == ReleaseState::Verified || !in.strategies.value(n) ||
                !in.rollbackTarget(n))
                continue;
            out.append(n);
            queue.append(n);
        }
    }
    return out;
}

struct Draft
{
    Target target;
    Strategy *strategy = nullptr;
    QStringList after; // targets rolled back before this one
};

} // namespace

Result<Plan> buildPlan(const PlanInputs &in, const RollbackRequest &request, qint64 nowMs)
{
    const auto &config = *in.config;
    if (request.services.isEmpty())
        return error("invalid_request", QStringLiteral("no service to roll back"));
    if (!config::kRollbackClasses.contains(request.rollbackClass))
        return error(
            "invalid_request",
            QStringLiteral("unknown rollback class '%1' (known: %2)")
                .arg(request.rollbackClass, config::kRollbackClasses.join(QStringLiteral(", "))));
    for (auto it = request.versions.cbegin(); it != request.versions.cend(); ++it) {
        if (!request.services.contains(it.key()))
            return error("invalid_request",
                         QStringLiteral("a target version is given for '%1', which is not among "
                                        "the services to roll back")
                             .arg(it.key()));
    }
    QStringList services;
    for (const auto &name : request.services) {
        if (!config.service(name))
            return error("unknown_service",
                         QStringLiteral("no service named '%1' is configured").arg(name));
        if (!services.contains(name))
            services.append(name);
    }
    if (request.rollbackClass == u"immediate")
        services = expandImmediate(in, services);

    QList<Draft> drafts;
    for (const auto &name : std::as_const(services)) {
        const auto *service = config.service(name);
        if (in.busy && in.busy(name))
            return error("rollback_in_progress",
                         QStringLiteral("'%1' is already being rolled back").arg(name));
        auto *strategy = in.strategies.value(name);
        if (!strategy)
            return error(
                "no_strategy",
                QStringLiteral("service '%1' has no rollback strategy configured").arg(name));
        const auto from = in.current(name);
        if (!from)
            return error("no_release",
                         QStringLiteral("no deployment of '%1' has been recorded").arg(name));
        std::optional<protocol::ReleaseInfo> to;
        if (request.versions.contains(name)) {
            const auto version = request.versions.value(name);
            if (version == from->version)
                return error("invalid_request",
                             QStringLiteral("'%1' already runs %2").arg(name, version));
            to = in.release(name, version);
            if (!to)
                return error(
                    "no_rollback_target",
                    QStringLiteral("no release %1 of '%2' has been recorded").arg(version, name));
        } else {
            to = in.rollbackTarget(name);
            if (!to)
                return error("no_rollback_target",
                             QStringLiteral("'%1' has no verified release other than the current "
                                            "one (%2) to roll back to")
                                 .arg(name, from->version));
        }
        drafts.append({{service, *from, *to}, strategy, {}});
    }
    // A target waits for every other target that depends on it.
    for (auto &d : drafts) {
        for (const auto &other : std::as_const(drafts)) {
            if (&other != &d &&
                dependsOn(config, other.target.service->name, d.target.service->name))
                d.after.append(other.target.service->name);
        }
    }
    // Indexes follow a topological order, so a step only ever waits for lower indexes.
    QList<Draft> ordered;
    QStringList placed;
    while (ordered.size() < drafts.size()) {
        const auto before = ordered.size();
        for (const auto &d : std::as_const(drafts)) {
            const auto &name = d.target.service->name;
            if (placed.contains(name))
                continue;
            bool ready = true;
            for (const auto &a : d.after)
                ready = ready && placed.contains(a);
            if (ready) {
                ordered.append(d);
                placed.append(name);
            }
        }
        if (ordered.size() == before) // a cycle, which the loader refuses; never loop forever
            return error("cannot_plan", QStringLiteral("the services depend on each other in a "
                                                       "cycle"));
    }

    Plan plan;
    auto &info = plan.info;
    info.state = PlanState::Planned;
    info.trigger = request.trigger;
    info.reason = request.reason;
    info.requestedBy = request.requestedBy;
    info.rollbackClass = request.rollbackClass;
    info.dryRun = request.dryRun;
    info.createdAtMs = nowMs;
    QStringList strategyTypes;
    QHash<QString, QList<int>> sinks; // per target: the steps the targets after it wait for
    const auto &limits = config.rollback.forClass(request.rollbackClass);
    for (const auto &d : std::as_const(ordered)) {
        const auto &target = d.target;
        const auto &name = target.service->name;
        PlanContext context;
        context.rollbackClass = request.rollbackClass;
        context.limits = limits;
        context.vars = targetVariables(target);
        context.vars.insert(QStringLiteral("class"), request.rollbackClass);
        auto planned = d.strategy->plan(target, context);
        if (!planned)
            return error("cannot_plan", planned.error().message);
        const auto &specs = *planned;
        for (const auto &spec : specs) {
            if (spec.executor.isEmpty())
                continue;
            auto *executor = in.executors.value(spec.executor);
            if (!executor)
                return error("cannot_plan", QStringLiteral("executor '%1' of %2 is not configured")
                                                .arg(spec.executor, name));
            if (!executor->actions().contains(spec.kind))
                return error("cannot_plan",
                             QStringLiteral("executor '%1' cannot '%2', which the %3 strategy "
                                            "of %4 needs%5")
                                 .arg(spec.executor, spec.kind, d.strategy->type(), name,
                                      request.rollbackClass == u"gradual"
                                          ? QStringLiteral(" for a gradual rollback")
                                          : QString()));
        }
        // The steps this target's entry steps wait for: every step the targets before it end with.
        QList<int> entryAfter;
        for (const auto &a : d.after)
            entryAfter += sinks.value(a);
        const int base = int(info.steps.size());
        int offset = 0;
        const auto add = [&](const StepSpec &spec, const QList<int> &after) {
            protocol::StepInfo step;
            step.index = int(info.steps.size());
            step.service = spec.service;
            step.kind = spec.kind;
            step.description = spec.description;
            step.executor = spec.executor;
            step.after = after;
            step.onFailure = spec.onFailure;
            step.state = StepState::Pending;
            info.steps.append(step);
            auto params = spec.params;
            if (spec.restores)
                params.insert(QStringLiteral("restores"), true);
            plan.params.append(params);
        };
        if (target.service->logs.enabled()) {
            StepSpec logs;
            logs.service = name;
            logs.kind = QString::fromLatin1(kPreserveLogs);
            logs.description =
                QStringLiteral("Preserve %1's logs (%2 source(s))")
                    .arg(name)
                    .arg(target.service->logs.commands.size() + target.service->logs.files.size());
            add(logs, {}); // right away: the logs as they were when the rollback began
            entryAfter.append(base);
            offset = 1;
        }
        for (int j = 0; j < specs.size(); ++j) {
            const auto &spec = specs.at(j);
            QList<int> after;
            if (spec.after) {
                for (const int k : *spec.after)
                    after.append(base + offset + k);
            } else if (j > 0) {
                after.append(base + offset + j - 1);
            }
            if (after.isEmpty() && !spec.onFailure)
                after = entryAfter;
            add(spec, after);
        }
        // Sinks: normal steps of this target no other normal step of it waits for.
        QSet<int> waitedFor;
        for (int i = base + offset; i < info.steps.size(); ++i) {
            if (!info.steps.at(i).onFailure)
                for (const int a : info.steps.at(i).after)
                    waitedFor.insert(a);
        }
        for (int i = base + offset; i < info.steps.size(); ++i) {
            if (!info.steps.at(i).onFailure && !waitedFor.contains(i))
                sinks[name].append(i);
        }
        protocol::TargetInfo t;
        t.service = name;
        t.fromVersion = target.from.version;
        t.toVersion = target.to.version;
        t.fromReleaseId = target.from.id;
        t.toReleaseId = target.to.id;
        t.strategy = d.strategy->type();
        t.after = d.after;
        info.targets.append(t);
        if (!strategyTypes.contains(d.strategy->type()))
            strategyTypes.append(d.strategy->type());
    }
    info.strategy = strategyTypes.join(u',');
    return plan;
}

} // namespace rwd::orchestrator
