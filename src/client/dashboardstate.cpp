#include "dashboardstate.h"

namespace rwd::client {

DashboardState::DashboardState(QObject *parent)
    : QObject(parent)
{}

void DashboardState::reset(const protocol::Snapshot &snapshot, qint64 seq)
{
    emit aboutToReset();
    m_services = snapshot.services;
    m_rollbacks = snapshot.rollbacks;
    m_lastSeq = seq;
    emit wasReset();
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
    } else if (type == QLatin1String(ev::RollbackFinished)) {
        upsertRollback(protocol::RollbackInfo::fromJson(
            event.data.value(QLatin1String("rollback")).toObject()));
    }
    emit eventApplied(event);
}

} // namespace rwd::client
