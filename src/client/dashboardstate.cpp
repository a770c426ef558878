#include "dashboardstate.h"

namespace rwd::client {

namespace {
const SystemClock &systemClock()
{
    static const SystemClock clock;
    return clock;
}
} // namespace

DashboardState::DashboardState(QObject *parent)
    : QObject(parent)
    , m_clock(&systemClock())
{}

void DashboardState::reset(const protocol::Snapshot &snapshot, qint64 seq)
{
    emit aboutToReset();
    m_services = snapshot.services;
    m_rollbacks = snapshot.rollbacks;
    m_lastSeq = seq;
    emit wasReset();
}

void DashboardState::setFreezes(const QList<protocol::FreezeInfo> &freezes)
{
    m_freezes = freezes;
    for (int row = 0; row < m_services.size(); ++row)
        emit serviceChanged(row);
    emit freezesChanged();
}

const protocol::FreezeInfo *DashboardState::freezeOf(const QString &service, qint64 nowMs) const
{
    for (const auto &f : m_freezes) {
        if (f.service == service && f.untilMs > nowMs)
            return &f;
    }
    return nullptr;
}

const protocol::ServiceStatus *DashboardState::service(const QString &name) const
{
    const int row = indexOfService(name);
    return row >= 0 ? &m_services.at(row) : nullptr;
}

const protocol::RollbackInfo *DashboardState::rollback(qint64 id) const
{
    const int row = indexOfRollback(id);
    return row >= 0 ? &m_rollbacks.at(row) : nullptr;
}

QStringList DashboardState::environmentsOf(const protocol::RollbackInfo &rollback) const
{
    QStringList out;
    for (const auto &name : rollback.services()) {
        const auto *s = service(name);
        if (s && !out.contains(s->environment))
            out.append(s->environment);
    }
    return out;
}

int DashboardState::indexOfService(const QString &name) const
{
    for (int i = 0; i < m_services.size(); ++i) {
        if (m_services.at(i).name == name)
            return i;
    }
    return -1;
}

int DashboardState::indexOfRollback(qint64 id) const
{
    for (int i = 0; i < m_rollbacks.size(); ++i) {
        if (m_rollbacks.at(i).id == id)
            return i;
    }
    return -1;
}

void DashboardState::upsertRollback(const protocol::RollbackInfo &rollback)
{
    const int row = indexOfRollback(rollback.id);
    if (row >= 0) {
        m_rollbacks[row] = rollback;
        emit rollbackChanged(row);
        return;
    }
    emit rollbackAboutToBeAdded();
    m_rollbacks.prepend(rollback);
    emit rollbackAdded();
}

void DashboardState::updateStep(qint64 rollbackId, const protocol::StepInfo &step)
{
    const int row = indexOfRollback(rollbackId);
    if (row < 0)
        return;
    auto &rollback = m_rollbacks[row];
    for (auto &s : rollback.steps) {
        if (s.index == step.index)
            s = step;
    }
    // A running verification step means the plan is verifying; the finished event settles it.
    if (step.kind == u"verify_health" && step.state == StepState::Running)
        rollback.state = PlanState::Verifying;
    emit rollbackChanged(row);
}

void DashboardState::apply(const protocol::Event &event)
{
    if (event.seq <= m_lastSeq)
        return;
    m_lastSeq = event.seq;
    namespace ev = protocol::event;
    const auto &type = event.type;
    if (type == QLatin1String(ev::ServiceUpdated)) {
        const auto status = protocol::ServiceStatus::fromJson(event.data);
        const int row = indexOfService(status.name);
        if (row >= 0) {
            m_services[row] = status;
            emit serviceChanged(row);
        }
    } else if (type == QLatin1String(ev::RollbackStarted)) {
        upsertRollback(protocol::RollbackInfo::fromJson(event.data));
    } else if (type == QLatin1String(ev::StepStarted) || type == QLatin1String(ev::StepFinished) ||
               type == QLatin1String(ev::StepRetrying)) {
        updateStep(
            event.data.value(QLatin1String("rollback_id")).toInteger(),
            protocol::StepInfo::fromJson(event.data.value(QLatin1String("step")).toObject()));
    } else if (type == QLatin1String(ev::ApprovalRequested) ||
               type == QLatin1String(ev::ApprovalGranted) ||
               type == QLatin1String(ev::ApprovalRejected)) {
        // Each carries the rollback as it stands after the decision (approvals included).
        const auto rollback = event.data.value(QLatin1String("rollback")).toObject();
        if (!rollback.isEmpty())
            upsertRollback(protocol::RollbackInfo::fromJson(rollback));
    } else if (type == QLatin1String(ev::FreezeStarted)) {
        const auto freeze = protocol::FreezeInfo::fromJson(event.data);
        QList<protocol::FreezeInfo> freezes;
        for (const auto &f : std::as_const(m_freezes)) {
            if (f.service != freeze.service)
                freezes.append(f);
        }
        freezes.append(freeze);
        setFreezes(freezes);
    } else if (type == QLatin1String(ev::RollbackFinished)) {
        upsertRollback(protocol::RollbackInfo::fromJson(
            event.data.value(QLatin1String("rollback")).toObject()));
    }
    emit eventApplied(event);
}

} // namespace rwd::client
