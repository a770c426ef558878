#pragma once

#include "common/clock.h"
#include "common/protocol.h"

#include <QList>
#include <QObject>

namespace rwd::client {

// What a client knows about the server: every service and the recent rollbacks, kept current by
// applying /ws/v1 events in sequence order. Models and views read it; only Connection writes.
class DashboardState final : public QObject
{
    Q_OBJECT

public:
    explicit DashboardState(QObject *parent = nullptr);

    // The time models compare with (freezes, approval expiry); the system's by default. Not
    // owned; must outlive the state.
    void setClock(const Clock *clock) { m_clock = clock; }
    [[nodiscard]] qint64 nowMs() const { return m_clock->nowMs(); }

    void reset(const protocol::Snapshot &snapshot, qint64 seq);
    // Applies one event; events at or below the last applied sequence number are ignored.
    void apply(const protocol::Event &event);

    [[nodiscard]] const QList<protocol::ServiceStatus> &services() const { return m_services; }
    [[nodiscard]] const QList<protocol::RollbackInfo> &rollbacks() const { return m_rollbacks; }
    [[nodiscard]] qint64 lastSeq() const { return m_lastSeq; }
    [[nodiscard]] int indexOfService(const QString &name) const;
    [[nodiscard]] int indexOfRollback(qint64 id) const;
    [[nodiscard]] const protocol::ServiceStatus *service(const QString &name) const;
    [[nodiscard]] const protocol::RollbackInfo *rollback(qint64 id) const;
    // The environments of a rollback's services (those this client knows).
    [[nodiscard]] QStringList environmentsOf(const protocol::RollbackInfo &rollback) const;

    // Deployment freezes, as GET /api/v1/freezes lists them and freeze_started adds to them.
    void setFreezes(const QList<protocol::FreezeInfo> &freezes);
    [[nodiscard]] const QList<protocol::FreezeInfo> &freezes() const { return m_freezes; }
    // The freeze of `service` still in force at `nowMs`, or null.
    [[nodiscard]] const protocol::FreezeInfo *freezeOf(const QString &service, qint64 nowMs) const;

signals:
    void aboutToReset();
    void wasReset();
    void serviceChanged(int row);
    void rollbackChanged(int row);
    void rollbackAboutToBeAdded();
    void rollbackAdded();
    void freezesChanged();
    // Every applied event, after the state changed, for views that show a timeline.
    void eventApplied(const rwd::protocol::Event &event);

private:
    void upsertRollback(const protocol::RollbackInfo &rollback);
    void updateStep(qint64 rollbackId, const protocol::StepInfo &step);

    QList<protocol::ServiceStatus> m_services;
    QList<protocol::RollbackInfo> m_rollbacks;
    QList<protocol::FreezeInfo> m_freezes;
    const Clock *m_clock;
    qint64 m_lastSeq = 0;
};

} // namespace rwd::client
