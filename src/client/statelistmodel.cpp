#include "statelistmodel.h"

#include "dashboardstate.h"

namespace rwd::client {

StateListModel::StateListModel(DashboardState *state, QObject *parent)
    : QAbstractListModel(parent)
    , m_state(state)
{
    connect(state, &DashboardState::aboutToReset, this, [this] { beginResetModel(); });
    connect(state, &DashboardState::wasReset, this, [this] {
        endResetModel();
        emit countChanged();
    });
}

} // namespace rwd::client
