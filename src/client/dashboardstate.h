#pragma once

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

    void reset(const protocol::Snapshot &snapshot, qint64 seq);
    // Applies one event; events at or below the last applied sequence number are ignored.
    void apply(const protocol::Event &event);

    [[nodiscard]] const QList<protocol::ServiceStatus> &services() const { return m_services; }
    [[nodiscard]] const QList<protocol::RollbackInfo> &rollbacks() const { return m_rollbacks; }
    [[nodiscard]] qint64 lastSeq() const { return m_lastSeq; }
    [[nodiscard]] int indexOfService(const QString &name) const;
    [[nodiscard]] int indexOfRollback(qint64 id) const;

signals:
    void aboutToReset();
    void wasReset();
    void serviceChanged(int row);
    void rollbackChanged(int row);
    void rollbackAboutToBeAdded();
    void rollbackAdded();
    // Every applied event, after the state changed, for views that show a timeline.
    void eventApplied(const rwd::protocol::Event &event);

private:
    void upsertRollback(const protocol::RollbackInfo &rollback);
    void updateStep(qint64 rollbackId, const protocol::StepInfo &step);

    QList<protocol::ServiceStatus> m_services;
    QList<protocol::RollbackInfo> m_rollbacks;
    qint64 m_lastSeq = 0;
};

} // namespace rwd::client
