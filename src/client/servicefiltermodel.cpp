#include "servicefiltermodel.h"

#include "servicemodel.h"

namespace rwd::client {

ServiceFilterModel::ServiceFilterModel(QAbstractItemModel *services, QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSourceModel(services);
    setDynamicSortFilter(true);
    // Counts follow every change of the rows shown (a health change is a dataChanged).
    connect(this, &QAbstractItemModel::modelReset, this, &ServiceFilterModel::recount);
    connect(this, &QAbstractItemModel::layoutChanged, this, &ServiceFilterModel::recount);
    connect(this, &QAbstractItemModel::rowsInserted, this, &ServiceFilterModel::recount);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &ServiceFilterModel::recount);
    connect(this, &QAbstractItemModel::dataChanged, this, &ServiceFilterModel::recount);
    recount();
}

void ServiceFilterModel::setEnvironment(const QString &environment)
{
    if (environment == m_environment)
        return;
    m_environment = environment;
    invalidateRowsFilter();
    emit filterChanged();
    recount();
}

void ServiceFilterModel::setSearch(const QString &search)
{
    const auto lowered = search.trimmed().toLower();
    if (lowered == m_search)
        return;
    m_search = lowered;
    invalidateRowsFilter();
    emit filterChanged();
    recount();
}

bool ServiceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_environment.isEmpty() &&
        index.data(ServiceListModel::EnvironmentRole).toString() != m_environment)
        return false;
    return m_search.isEmpty() ||
           index.data(ServiceListModel::SearchTextRole).toString().contains(m_search);
}

QString ServiceFilterModel::nameAt(int row) const
{
    return row >= 0 && row < rowCount() ? index(row, 0).data(ServiceListModel::NameRole).toString()
                                        : QString();
}

void ServiceFilterModel::recount()
{
    QStringList environments;
    const int sourceRows = sourceModel()->rowCount();
    for (int row = 0; row < sourceRows; ++row) {
        const auto env =
            sourceModel()->index(row, 0).data(ServiceListModel::EnvironmentRole).toString();
        if (!environments.contains(env))
            environments.append(env);
    }
    int healthy = 0, degraded = 0, failing = 0, unknown = 0, firing = 0, frozen = 0;
    for (int row = 0; row < rowCount(); ++row) {
        const auto i = index(row, 0);
        const auto health = i.data(ServiceListModel::HealthRole).toString();
        healthy += health == u"healthy" ? 1 : 0;
        degraded += health == u"degraded" ? 1 : 0;
        failing += health == u"failing" ? 1 : 0;
        unknown += health == u"unknown" ? 1 : 0;
        firing += i.data(ServiceListModel::FiringCountRole).toInt() > 0 ? 1 : 0;
        frozen += i.data(ServiceListModel::FrozenRole).toBool() ? 1 : 0;
    }
    m_environments = environments;
    m_healthy = healthy;
    m_degraded = degraded;
    m_failing = failing;
    m_unknown = unknown;
    m_firing = firing;
    m_frozen = frozen;
    emit countsChanged();
}

} // namespace rwd::client
