#pragma once

#include <QAbstractListModel>

namespace rwd::client {

class DashboardState;

// Base of the list models over DashboardState: resets when the state is replaced by a snapshot
// and exposes the row count to QML as `count`.
class StateListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit StateListModel(DashboardState *state, QObject *parent = nullptr);
    [[nodiscard]] int count() const { return rowCount(); }

signals:
    void countChanged();

protected:
    [[nodiscard]] DashboardState *state() const { return m_state; }

private:
    DashboardState *m_state;
};

} // namespace rwd::client
