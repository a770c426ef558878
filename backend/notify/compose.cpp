#include "compose.h"

#include "common/duration.h"

#include <QJsonArray>

namespace rwd::notify {

namespace {

// Durations for people: "850ms", "12.4s", "4m12s" (seconds are enough past a minute).
QString humanDuration(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return formatDuration((ms + 500) / 1000 * 1000);
}

bool isVerification(const protocol::StepInfo &step)
{
    return step.kind.startsWith(QLatin1String("verify"));
}

QString stepName(const protocol::StepInfo &step)
{
    QString name = step.description.isEmpty() ? step.kind : step.description;
    if (!step.service.isEmpty() && !name.contains(step.service))
        name += QStringLiteral(" (%1)").arg(step.service);
    return name;
}

QString stepLine(const protocol::StepInfo &step)
{
    QString line = QStringLiteral("%1. %2: %3")
                       .arg(step.index + 1)
                       .arg(stepName(step), rwd::wireName(step.state));
    if (step.onFailure && step.state == StepState::Pending)
        line += QStringLiteral(" (runs only if a step fails)");
    if (step.attempts > 1)
        line += QStringLiteral(" after %1 attempts").arg(step.attempts);
    if (step.startedAtMs > 0 && step.finishedAtMs >= step.startedAtMs)
        line += QStringLiteral(" in ") + humanDuration(step.finishedAtMs - step.startedAtMs);
    if (!step.message.isEmpty())
        line += QStringLiteral(" — ") + step.message;
    return line;
}

QJsonObject stepJson(const protocol::StepInfo &step)
{
    QJsonObject o{{"step", step.index + 1},
                  {"service", step.service},
                  {"kind", step.kind},
                  {"description", step.description},
                  {"state", rwd::wireName(step.state)},
                  {"attempts", step.attempts},
                  {"message", step.message}};
    if (step.startedAtMs > 0 && step.finishedAtMs >= step.startedAtMs)
        o.insert(QLatin1String("duration_ms"), step.finishedAtMs - step.startedAtMs);
    return o;
}

// "api 1.4.2 → 1.4.1, web 2.0.0 → 1.9.3"
QString versionsOf(const protocol::RollbackInfo &rollback)
{
    QStringList parts;
    for (const auto &t : rollback.targets) {
        if (t.fromVersion.isEmpty() && t.toVersion.isEmpty())
            parts.append(t.service);
        else
            parts.append(QStringLiteral("%1 %2 → %3").arg(t.service, t.fromVersion, t.toVersion));
    }
    return parts.join(QStringLiteral(", "));
}

const protocol::StepInfo *firstStep(const protocol::RollbackInfo &rollback, StepState state)
{
    for (const auto &step : rollback.steps) {
        if (step.state == state && !(state == StepState::Failed && step.onFailure))
            return &step;
    }
    for (const auto &step : rollback.steps) {
        if (step.state == state)
            return &step;
    }
    return nullptr;
}

// "deployments of api are frozen until …" for the notice's services, or nothing.
QString freezeNote(const Notice &n, const ComposeContext &c)
{
    QStringList parts;
    for (const auto &service : n.services) {
        const auto it = c.freezes.constFind(service);
        if (it != c.freezes.cend() && it->untilMs > n.atMs)
            parts.append(QStringLiteral("deployments of %1 are frozen until %2")
                             .arg(service, protocol::isoTime(it->untilMs)));
    }
    return parts.join(QStringLiteral("; "));
}

QString withFreeze(QString text, const QString &freeze)
{
    if (!freeze.isEmpty())
        text += QStringLiteral("; ") + freeze;
    return text + u'.';
}

QString nextSteps(const Notice &n, const ComposeContext &c)
{
    const QString freeze = freezeNote(n, c);
    const auto &e = n.event;
    const qint64 id = n.rollback ? n.rollback->id : 0;
    if (e == u"rollback_started")
        return QStringLiteral("Nothing to do unless it fails: Rewind runs the plan, verifies the "
                              "services and reports again when it ends.");
    if (e == u"rollback_succeeded")
        return withFreeze(QStringLiteral("Find out why the release failed before deploying it "
                                         "again"),
                          freeze);
    if (e == u"rollback_failed") {
        const auto *failed = n.rollback ? firstStep(*n.rollback, StepState::Failed) : nullptr;
        const QString which = failed
                                  ? QStringLiteral(" (step %1, %2: %3)")
                                        .arg(failed->index + 1)
                                        .arg(stepName(*failed), failed->message.isEmpty()
                                                                    ? QStringLiteral("no message")
                                                                    : failed->message)
                                  : QString();
        return withFreeze(QStringLiteral("Check the failed step's message%1. The plan is halted "
                                         "and the services may be partly rolled back: fix the "
                                         "cause, then request the rollback again or restore by "
                                         "hand")
                              .arg(which),
                          freeze);
    }
    if (e == u"rollback_needs_attention")
        return withFreeze(
            QStringLiteral("A person must look at it now%1. The plan is halted")
                .arg(n.message.isEmpty() ? QString() : QStringLiteral(": ") + n.message),
            freeze);
    if (e == u"rollback_slow") {
        const auto *running = n.rollback ? firstStep(*n.rollback, StepState::Running) : nullptr;
        return QStringLiteral("Check the running step%1; abort the rollback if it is stuck. "
                              "Otherwise Rewind keeps going and reports when it ends.")
            .arg(running
                     ? QStringLiteral(" (%1. %2)").arg(running->index + 1).arg(stepName(*running))
                     : QString());
    }
    if (e == u"approval_requested")
        return QStringLiteral("An approver must approve or reject rollback #%1 (dashboard or "
                              "rewindctl); nothing is rolled back until then.")
            .arg(id);
    if (e == u"approval_granted")
        return n.rollback && n.rollback->state == PlanState::AwaitingApproval
                   ? QStringLiteral("It needs more approvals before it runs.")
                   : QStringLiteral("Nothing to do: the rollback runs now.");
    if (e == u"approval_rejected")
        return QStringLiteral("The rollback will not run and the release stays as it is; request "
                              "a new rollback if one is still needed.");
    if (e == u"freeze_started")
        return QStringLiteral("Deployments are refused until then, unless one is recorded with "
                              "a reason that overrides the freeze.");
    if (e == u"freeze_ended")
        return QStringLiteral("Deployments are accepted again.");
    if (e == u"security_alert")
        return QStringLiteral("Investigate at once.");
    return {};
}

QString titleOf(const Notice &n, const QString &services)
{
    const auto &e = n.event;
    if (e == u"freeze_started")
        return QStringLiteral("Deployments of %1 frozen until %2")
            .arg(services, n.freeze ? protocol::isoTime(n.freeze->untilMs) : QString());
    if (e == u"freeze_ended")
        return QStringLiteral("The deployment freeze of %1 ended").arg(services);
    if (e == u"security_alert")
        return QStringLiteral("Security alert%1%2")
            .arg(services.isEmpty() ? QString() : QStringLiteral(" for ") + services,
                 n.message.isEmpty() ? QString() : QStringLiteral(": ") + n.message.left(120));
    const QString rollback =
        QStringLiteral("Rollback #%1%2")
            .arg(n.rollback ? n.rollback->id : 0)
            .arg(services.isEmpty() ? QString() : QStringLiteral(" of ") + services);
    if (e == u"rollback_started")
        return rollback + QStringLiteral(" started");
    if (e == u"rollback_succeeded")
        return rollback + QStringLiteral(" succeeded");
    if (e == u"rollback_failed")
        return rollback + QStringLiteral(" failed");
    if (e == u"rollback_needs_attention")
        return rollback + QStringLiteral(" needs attention");
    if (e == u"rollback_slow")
        return rollback + QStringLiteral(" still running after ") + humanDuration(n.runningForMs);
    if (e == u"approval_requested")
        return rollback + QStringLiteral(" awaits approval");
    if (e == u"approval_granted")
        return rollback + QStringLiteral(" approved by ") + n.by;
    if (e == u"approval_rejected")
        return rollback + QStringLiteral(" rejected by ") + n.by;
    return rollback + u' ' + e;
}

// The first line of a rollback's text: the parity wording ("Rollback initiated", "completed",
// "failed") and what is rolled back where.
QString headline(const Notice &n, const QString &versions, const QString &environments)
{
    static const QHash<QString, QString> words{
        {QStringLiteral("rollback_started"), QStringLiteral("Rollback initiated")},
        {QStringLiteral("rollback_succeeded"), QStringLiteral("Rollback completed")},
        {QStringLiteral("rollback_failed"), QStringLiteral("Rollback failed")},
        {QStringLiteral("rollback_needs_attention"),
         QStringLiteral("Rollback stopped and needs attention")},
        {QStringLiteral("rollback_slow"), QStringLiteral("Rollback still running")},
        {QStringLiteral("approval_requested"), QStringLiteral("Rollback awaits approval")},
        {QStringLiteral("approval_granted"), QStringLiteral("Rollback approved")},
        {QStringLiteral("approval_rejected"), QStringLiteral("Rollback rejected")},
    };
    QString line = words.value(n.event, n.event);
    if (!versions.isEmpty())
        line += QStringLiteral(": ") + versions;
    if (!environments.isEmpty())
        line += QStringLiteral(" in ") + environments;
    return line;
}

void put(QJsonObject &o, const char *key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(QLatin1String(key), value);
}

} // namespace

QString severityOf(const QString &event)
{
    if (event == u"rollback_failed" || event == u"rollback_needs_attention" ||
        event == u"security_alert")
        return QStringLiteral("critical");
    if (event == u"rollback_succeeded" || event == u"freeze_ended")
        return QStringLiteral("info");
    return QStringLiteral("warning");
}

QStringList environmentsOf(const QStringList &services, const config::Config &config)
{
    QStringList out;
    for (const auto &name : services) {
        const auto *service = config.service(name);
        if (service && !out.contains(service->environment))
            out.append(service->environment);
    }
    return out;
}

Composed compose(const Notice &n, const ComposeContext &c)
{
    const QString services = n.services.join(QStringLiteral(", "));
    const QString environments =
        c.config ? environmentsOf(n.services, *c.config).join(QStringLiteral(", ")) : QString();
    const QString severity = severityOf(n.event);
    const QString time = protocol::isoTime(n.atMs);
    const QString title = titleOf(n, services);
    const QString next = nextSteps(n, c);

    QJsonObject vars;
    QJsonObject fields;
    const auto both = [&](const char *key, const QString &value) {
        put(vars, key, value);
        put(fields, key, value);
    };
    vars.insert(QLatin1String("event"), n.event);
    vars.insert(QLatin1String("title"), title);
    both("severity", severity);
    both("time", time);
    both("service", services);
    put(vars, "services", services);
    if (!n.services.isEmpty())
        fields.insert(QLatin1String("services"), QJsonArray::fromStringList(n.services));
    both("environment", environments);
    both("next_steps", next);
    both("by", n.by);
    both("comment", n.comment);
    both("message", n.message);

    QStringList lines;
    if (n.rollback) {
        const auto &r = *n.rollback;
        const QString versions = versionsOf(r);
        vars.insert(QLatin1String("rollback_id"), r.id);
        fields.insert(QLatin1String("rollback_id"), r.id);
        both("versions", versions);
        both("trigger", r.trigger);
        both("reason", r.reason);
        both("requested_by", r.requestedBy);
        both("class", r.rollbackClass);
        both("strategy", r.strategy);
        both("state", rwd::wireName(r.state));
        if (!c.apiBase.isEmpty())
            both("url", QStringLiteral("%1/api/v1/rollbacks/%2").arg(c.apiBase).arg(r.id));
        qint64 durationMs = 0;
        if (n.event == u"rollback_slow")
            durationMs = n.runningForMs;
        else if (r.finishedAtMs > 0 && r.createdAtMs > 0 && r.finishedAtMs >= r.createdAtMs)
            durationMs = r.finishedAtMs - r.createdAtMs;
        if (durationMs > 0) {
            both("duration", humanDuration(durationMs));
            fields.insert(QLatin1String("duration_ms"), durationMs);
        }
        QStringList actions;
        QStringList verification;
        QJsonArray actionsJson;
        QJsonArray verificationJson;
        for (const auto &step : r.steps) {
            actions.append(QStringLiteral("  ") + stepLine(step));
            actionsJson.append(stepJson(step));
            if (isVerification(step)) {
                verification.append(QStringLiteral("  %1: %2%3")
                                        .arg(step.service.isEmpty() ? step.kind : step.service,
                                             rwd::wireName(step.state),
                                             step.message.isEmpty()
                                                 ? QString()
                                                 : QStringLiteral(" — ") + step.message));
                verificationJson.append(stepJson(step));
            }
        }
        put(vars, "actions", actions.join(u'\n'));
        put(vars, "verification", verification.join(u'\n'));
        if (!actionsJson.isEmpty())
            fields.insert(QLatin1String("actions"), actionsJson);
        if (!verificationJson.isEmpty())
            fields.insert(QLatin1String("verification"), verificationJson);

        lines.append(headline(n, versions.isEmpty() ? services : versions, environments));
        if (!r.trigger.isEmpty())
            lines.append(QStringLiteral("Trigger: %1%2")
                             .arg(r.trigger, r.reason.isEmpty()
                                                 ? QString()
                                                 : QStringLiteral(" — ") + r.reason));
        lines.append(QStringLiteral("Severity: ") + severity);
        lines.append(QStringLiteral("Time: ") + time);
        if (!r.requestedBy.isEmpty())
            lines.append(QStringLiteral("Requested by: ") + r.requestedBy);
        if (!n.by.isEmpty())
            lines.append(
                QStringLiteral("Decided by: ") + n.by +
                (n.comment.isEmpty() ? QString() : QStringLiteral(" (\"%1\")").arg(n.comment)));
        if (n.approvalsNeeded > 0) {
            lines.append(
                QStringLiteral("Approvals: %1 of %2").arg(n.approvals).arg(n.approvalsNeeded));
            fields.insert(QLatin1String("approvals"), n.approvals);
            fields.insert(QLatin1String("approvals_needed"), n.approvalsNeeded);
        }
        if (!n.message.isEmpty())
            lines.append(QStringLiteral("Outcome: ") + n.message);
        if (!actions.isEmpty())
            lines.append(QStringLiteral("Actions:\n") + actions.join(u'\n'));
        if (durationMs > 0)
            lines.append(QStringLiteral("Duration: ") + humanDuration(durationMs));
        if (!verification.isEmpty())
            lines.append(QStringLiteral("Verification:\n") + verification.join(u'\n'));
    } else if (n.freeze) {
        const auto &f = *n.freeze;
        both("until", protocol::isoTime(f.untilMs));
        both("reason", f.reason);
        if (f.rollbackId > 0) {
            vars.insert(QLatin1String("rollback_id"), f.rollbackId);
            fields.insert(QLatin1String("rollback_id"), f.rollbackId);
        }
        lines.append(n.event == u"freeze_ended"
                         ? QStringLiteral("The freeze of %1 ended at %2.")
                               .arg(services, protocol::isoTime(f.untilMs))
                         : QStringLiteral("Deployments of %1 are frozen until %2.")
                               .arg(services, protocol::isoTime(f.untilMs)));
        if (!f.reason.isEmpty())
            lines.append(QStringLiteral("Reason: ") + f.reason);
        lines.append(QStringLiteral("Severity: ") + severity);
        lines.append(QStringLiteral("Time: ") + time);
    } else {
        lines.append(title + u'.');
        lines.append(QStringLiteral("Severity: ") + severity);
        lines.append(QStringLiteral("Time: ") + time);
    }
    if (!next.isEmpty())
        lines.append(QStringLiteral("Next steps: ") + next);
    if (vars.contains(QLatin1String("url")))
        lines.append(QStringLiteral("Details: ") + vars.value(QLatin1String("url")).toString());

    Composed out;
    out.message.event = n.event;
    out.message.title = title;
    out.message.text = lines.join(u'\n');
    out.message.severity = severity;
    out.message.fields = fields;
    out.vars = vars;
    return out;
}

} // namespace rwd::notify
