#include "dispatcher.h"

#include "logging/logging.h"
#include "store/deliveries.h"

#include <QPointer>
#include <QSysInfo>

namespace rwd::notify {

namespace {

auto log()
{
    return logging::get("notify");
}

const QString kPending = QStringLiteral("pending");
const QString kRetrying = QStringLiteral("retrying");
const QString kDelivered = QStringLiteral("delivered");
const QString kFailed = QStringLiteral("failed");

QString apiBaseOf(const config::ServerConfig &server)
{
    QString host = server.host;
    if (host.isEmpty() || host == u"0.0.0.0" || host == u"::")
        host = QSysInfo::machineHostName();
    else if (host.contains(u':'))
        host = u'[' + host + u']';
    return QStringLiteral("%1://%2:%3")
        .arg(server.tlsCertificate.isEmpty() ? QStringLiteral("http") : QStringLiteral("https"),
             host)
        .arg(server.port);
}

QStringList servicesOf(const protocol::RollbackInfo &rollback)
{
    QStringList out;
    for (const auto &t : rollback.targets) {
        if (!t.service.isEmpty() && !out.contains(t.service))
            out.append(t.service);
    }
    if (out.isEmpty()) {
        for (const auto &s : rollback.steps) {
            if (!s.service.isEmpty() && !out.contains(s.service))
                out.append(s.service);
        }
    }
    return out;
}

QString describe(const protocol::DeliveryInfo &d)
{
    return QStringLiteral("%1 to %2 '%3'%4")
        .arg(d.event, d.type, d.notifier,
             d.rollbackId > 0 ? QStringLiteral(" (rollback #%1)").arg(d.rollbackId) : QString());
}

} // namespace

Dispatcher::Dispatcher(const config::Config &config, store::Deliveries &records, const Clock &clock,
                       const NotifierRegistry &registry, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_records(records)
    , m_clock(clock)
    , m_apiBase(apiBaseOf(config.server))
{
    // Nothing of this dispatcher is pending yet: what is, a run that died left behind.
    if (const int left = m_records.abandonUnfinished(
            m_clock.nowMs(), QStringLiteral("abandoned: rewindd stopped before it was delivered"));
        left > 0)
        log()->warn("{} notification deliveries left unfinished by a previous run marked failed",
                    left);
    for (const auto &n : m_config.notifications) {
        config::Diagnostics diagnostics;
        auto notifier =
            registry.create(n.type, n.node, QStringLiteral("notification '%1'").arg(n.name),
                            diagnostics, n.name, m_config);
        if (!notifier) {
            log()->error("notification '{}' is not used: {}", n.name,
                         diagnostics.hasErrors()
                             ? diagnostics.items().first().message
                             : QStringLiteral("there is no notifier of type '%1'").arg(n.type));
            continue;
        }
        auto channel = std::make_unique<Channel>();
        channel->config = n;
        channel->notifier = std::move(notifier);
        for (const auto &[event, text] : n.templates) {
            if (auto t = MessageTemplate::parse(text))
                channel->templates.insert(event, *t);
            else
                log()->error("notification '{}': the template of {} is not used: {}", n.name, event,
                             t.error().message);
        }
        m_channels.push_back(std::move(channel));
    }
}

Dispatcher::~Dispatcher()
{
    // Notifiers never report after they are gone; this makes sure nothing is reported into a
    // half-destroyed dispatcher either.
    m_closing = true;
    m_channels.clear();
    // A record is never left pending: what was not delivered now never will be by this
    // dispatcher (rewindd is stopping, or a new configuration replaces it).
    const qint64 now = m_clock.nowMs();
    for (auto &[key, d] : m_deliveries) {
        d.info.state = kFailed;
        d.info.finishedAtMs = now;
        d.info.message =
            QStringLiteral("abandoned after %1 attempt(s): notifications stopped "
                           "(rewindd stopping or reloading its configuration)%2")
                .arg(d.info.attempts)
                .arg(d.info.message.isEmpty() ? QString()
                                              : QStringLiteral("; last: ") + d.info.message);
        record(d.info);
        log()->warn("{}: {}", describe(d.info), d.info.message);
    }
}

void Dispatcher::record(const protocol::DeliveryInfo &info)
{
    // A notification goes out even when its record cannot be written: during an incident with a
    // full disk, the page matters more than its bookkeeping.
    if (info.id > 0 && !m_records.update(info))
        log()->error("{}: the delivery record could not be updated: {}", describe(info),
                     m_records.writeError());
}

QStringList Dispatcher::notifiers() const
{
    QStringList names;
    for (const auto &c : m_channels)
        names.append(c->config.name);
    return names;
}

void Dispatcher::onEvent(const events::Published &event)
{
    const qint64 at = event.timeMs > 0 ? event.timeMs : m_clock.nowMs();
    if (const auto *e = event.as<events::FreezeStarted>()) {
        const auto &freeze = e->freeze;
        if (freeze.service.isEmpty())
            return;
        const auto known = m_freezes.constFind(freeze.service);
        if (known == m_freezes.cend() || known->untilMs < freeze.untilMs)
            m_freezes.insert(freeze.service, freeze);
        Notice n;
        n.event = QStringLiteral("freeze_started");
        n.eventSeq = event.seq;
        n.atMs = at;
        n.freeze = freeze;
        n.services = {freeze.service};
        notify(n);
        return;
    }
    if (const auto *e = event.as<events::SecurityAlert>()) {
        Notice n;
        n.event = event.type;
        n.eventSeq = event.seq;
        n.atMs = at;
        const auto &d = e->details;
        for (const auto &s : d.value(QLatin1String("services")).toArray())
            n.services.append(s.toString());
        const QString service = d.value(QLatin1String("service")).toString();
        if (!service.isEmpty() && !n.services.contains(service))
            n.services.prepend(service);
        n.message = e->message;
        for (const char *key : {"reason", "rule"}) {
            if (!n.message.isEmpty())
                break;
            n.message = d.value(QLatin1String(key)).toString();
        }
        notify(n);
        return;
    }
    const events::StepEvent *step = event.as<events::StepStarted>();
    if (!step)
        step = event.as<events::StepFinished>();
    if (!step)
        step = event.as<events::StepRetrying>();
    if (step) {
        // Keeps the steps of a running rollback current, for rollback_slow.
        const auto it = m_rollbacks.find(step->rollbackId);
        if (it == m_rollbacks.end())
            return;
        for (auto &s : it->second.rollback.steps) {
            if ((step->step.id > 0 && s.id == step->step.id) ||
                (step->step.id <= 0 && s.index == step->step.index))
                s = step->step;
        }
        return;
    }
    onRollbackEvent(event);
}

void Dispatcher::onRollbackEvent(const events::Published &event)
{
    const qint64 at = event.timeMs > 0 ? event.timeMs : m_clock.nowMs();
    const auto *started = event.as<events::RollbackStarted>();
    const auto *finished = event.as<events::RollbackFinished>();
    const auto *requested = event.as<events::ApprovalRequested>();
    const auto *granted = event.as<events::ApprovalGranted>();
    const auto *rejected = event.as<events::ApprovalRejected>();
    const protocol::RollbackInfo *rollback = started     ? &started->rollback
                                             : finished  ? &finished->rollback
                                             : requested ? &requested->rollback
                                             : granted   ? &granted->rollback
                                             : rejected  ? &rejected->rollback
                                                         : nullptr;
    if (!rollback || rollback->id <= 0 || rollback->dryRun)
        return;

    Notice n;
    n.eventSeq = event.seq;
    n.atMs = at;
    n.rollback = *rollback;
    n.services = servicesOf(*rollback);
    if (finished) {
        m_rollbacks.erase(rollback->id);
        n.message = finished->message;
        switch (rollback->state) {
        case PlanState::Succeeded:
            n.event = QStringLiteral("rollback_succeeded");
            break;
        case PlanState::Failed:
            n.event = QStringLiteral("rollback_failed");
            break;
        case PlanState::NeedsAttention:
            n.event = QStringLiteral("rollback_needs_attention");
            break;
        default:
            return; // aborted by a person, who knows
        }
        notify(n);
        return;
    }
    Tracked *tracked = observe(*rollback, at);
    if (requested)
        n.approvalsNeeded = requested->needed;
    if (granted) {
        n.by = granted->by;
        n.comment = granted->comment;
        n.approvals = granted->approvals;
        n.approvalsNeeded = granted->needed;
    }
    if (rejected) {
        n.by = rejected->by;
        n.comment = rejected->comment;
    }
    // A rollback that waits for approval is announced once as approval_requested, whichever of
    // rollback_started (in awaiting_approval) and approval_requested comes first.
    if (requested || (started && rollback->state == PlanState::AwaitingApproval)) {
        if (tracked && tracked->approvalNotified)
            return;
        if (tracked)
            tracked->approvalNotified = true;
        n.event = QStringLiteral("approval_requested");
    } else if (started) {
        if (tracked && tracked->startNotified)
            return; // published again on resume: already announced
        if (tracked)
            tracked->startNotified = true;
        n.event = QStringLiteral("rollback_started");
    } else {
        n.event = event.type;
    }
    notify(n);
}

Dispatcher::Tracked *Dispatcher::observe(const protocol::RollbackInfo &rollback, qint64 atMs)
{
    if (isTerminal(rollback.state)) {
        m_rollbacks.erase(rollback.id);
        return nullptr;
    }
    auto &t = m_rollbacks[rollback.id];
    t.rollback = rollback;
    const bool running = rollback.state == PlanState::Approved ||
                         rollback.state == PlanState::Running ||
                         rollback.state == PlanState::Verifying;
    if (running && t.runningSinceMs == 0)
        t.runningSinceMs = atMs;
    return &t;
}

void Dispatcher::tick()
{
    const qint64 now = m_clock.nowMs();
    std::vector<quint64> due;
    for (const auto &[key, d] : m_deliveries) {
        if (!d.inFlight && d.info.state == kRetrying && d.dueMs <= now)
            due.push_back(key);
    }
    for (const auto key : due)
        attempt(key);

    std::vector<Notice> slow;
    for (auto &[id, t] : m_rollbacks) {
        if (t.runningSinceMs == 0 || t.slowNotified || now - t.runningSinceMs < kSlowRollbackMs)
            continue;
        t.slowNotified = true;
        Notice n;
        n.event = QStringLiteral("rollback_slow");
        n.atMs = now;
        n.rollback = t.rollback;
        n.services = servicesOf(t.rollback);
        n.runningForMs = now - t.runningSinceMs;
        slow.push_back(n);
    }
    for (const auto &n : slow)
        notify(n);

    // A freeze that ran out: deployments of the service are accepted again.
    std::vector<Notice> ended;
    for (auto it = m_freezes.begin(); it != m_freezes.end();) {
        if (it->untilMs > now) {
            ++it;
            continue;
        }
        Notice n;
        n.event = QStringLiteral("freeze_ended");
        n.atMs = it->untilMs;
        n.freeze = *it;
        n.services = {it->service};
        ended.push_back(n);
        it = m_freezes.erase(it);
    }
    for (const auto &n : ended)
        notify(n);
}

bool Dispatcher::routes(const Channel &channel, const Notice &notice) const
{
    const auto &c = channel.config;
    if (!c.events.isEmpty() && !c.events.contains(notice.event))
        return false;
    if (c.environments.isEmpty())
        return true;
    for (const auto &environment : environmentsOf(notice.services, m_config)) {
        if (c.environments.contains(environment))
            return true;
    }
    return false;
}

void Dispatcher::notify(const Notice &notice)
{
    std::vector<Channel *> targets;
    for (const auto &c : m_channels) {
        if (routes(*c, notice))
            targets.push_back(c.get());
    }
    if (targets.empty())
        return;
    ComposeContext context;
    context.config = &m_config;
    context.freezes = m_freezes;
    context.apiBase = m_apiBase;
    const Composed composed = compose(notice, context);
    std::vector<quint64> created;
    for (auto *channel : targets) {
        Delivery d;
        d.channel = channel;
        d.message = composed.message;
        const auto t = channel->templates.constFind(notice.event);
        if (t != channel->templates.cend())
            d.message.text = t->render(composed.vars);
        d.info.notifier = channel->config.name;
        d.info.type = channel->config.type;
        d.info.event = notice.event;
        d.info.eventSeq = notice.eventSeq;
        d.info.rollbackId =
            notice.rollback ? notice.rollback->id : (notice.freeze ? notice.freeze->rollbackId : 0);
        d.info.state = kPending;
        d.info.createdAtMs = m_clock.nowMs();
        d.info.id = m_records.insert(d.info);
        if (d.info.id == 0)
            log()->error("{}: the delivery could not be recorded; sending it anyway",
                         describe(d.info));
        const quint64 key = m_nextKey++;
        emit deliveryUpdated(d.info);
        m_deliveries.emplace(key, std::move(d));
        created.push_back(key);
    }
    for (const auto key : created)
        attempt(key);
}

void Dispatcher::attempt(quint64 key)
{
    const auto it = m_deliveries.find(key);
    if (it == m_deliveries.end() || it->second.inFlight)
        return;
    auto &d = it->second;
    d.inFlight = true;
    ++d.info.attempts;
    d.message.sentAtMs = m_clock.nowMs();
    record(d.info);
    QPointer<Dispatcher> self(this);
    d.channel->notifier->send(d.message, [self, key](const Outcome &result) {
        if (self && !self->m_closing)
            self->attempted(key, result);
    });
}

void Dispatcher::attempted(quint64 key, const Outcome &result)
{
    const auto it = m_deliveries.find(key);
    if (it == m_deliveries.end() || !it->second.inFlight)
        return;
    auto &d = it->second;
    d.inFlight = false;
    const qint64 now = m_clock.nowMs();
    d.info.message = result.message;
    bool done = true;
    if (result.ok) {
        d.info.state = kDelivered;
        d.info.finishedAtMs = now;
        log()->info("{}: delivered (attempt {}): {}", describe(d.info), d.info.attempts,
                    result.message);
    } else if (result.retryable && d.info.attempts < kMaxAttempts) {
        const qint64 backoff = kFirstRetryMs << (d.info.attempts - 1);
        d.info.state = kRetrying;
        d.dueMs = now + backoff;
        done = false;
        log()->warn("{}: attempt {} of {} failed, retrying in {} ms: {}", describe(d.info),
                    d.info.attempts, kMaxAttempts, backoff, result.message);
    } else {
        d.info.state = kFailed;
        d.info.finishedAtMs = now;
        log()->error("{}: failed after {} attempt(s){}: {}", describe(d.info), d.info.attempts,
                     result.retryable ? QString() : QStringLiteral(" (not worth retrying)"),
                     result.message);
    }
    record(d.info);
    const auto info = d.info;
    if (done)
        m_deliveries.erase(it);
    emit deliveryUpdated(info);
}

} // namespace rwd::notify
