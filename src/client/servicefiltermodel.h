#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace rwd::client {

// The services of the overview: those of one environment (or all) whose name, kind or versions
// contain the search text, with the counts the overview shows at the top. Over a
// ServiceListModel.
class ServiceFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    // "" for every environment.
    Q_PROPERTY(QString environment READ environment WRITE setEnvironment NOTIFY filterChanged)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY filterChanged)
    // Every environment of the source's services, in order of first appearance.
    Q_PROPERTY(QStringList environments READ environments NOTIFY countsChanged)
    Q_PROPERTY(int count READ count NOTIFY countsChanged)
    Q_PROPERTY(int healthy READ healthy NOTIFY countsChanged)
    Q_PROPERTY(int degraded READ degraded NOTIFY countsChanged)
    Q_PROPERTY(int failing READ failing NOTIFY countsChanged)
    Q_PROPERTY(int unknown READ unknown NOTIFY countsChanged)
    Q_PROPERTY(int firing READ firing NOTIFY countsChanged)
    Q_PROPERTY(int frozen READ frozen NOTIFY countsChanged)

public:
    explicit ServiceFilterModel(QAbstractItemModel *services, QObject *parent = nullptr);

    [[nodiscard]] const QString &environment() const { return m_environment; }
    void setEnvironment(const QString &environment);
    [[nodiscard]] const QString &search() const { return m_search; }
    void setSearch(const QString &search);
    [[nodiscard]] const QStringList &environments() const { return m_environments; }
    [[nodiscard]] int count() const { return rowCount(); }
    [[nodiscard]] int healthy() const { return m_healthy; }
    [[nodiscard]] int degraded() const { return m_degraded; }
    [[nodiscard]] int failing() const { return m_failing; }
    [[nodiscard]] int unknown() const { return m_unknown; }
    [[nodiscard]] int firing() const { return m_firing; }
    [[nodiscard]] int frozen() const { return m_frozen; }

    // The service name of a row of this model ("" outside it).
    [[nodiscard]] Q_INVOKABLE QString nameAt(int row) const;

signals:
    void filterChanged();
    void countsChanged();

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                        const QModelIndex &sourceParent) const override;

private:
    void recount();

    QString m_environment;
    QString m_search;
    QStringList m_environments;
    int m_healthy = 0;
    int m_degraded = 0;
    int m_failing = 0;
    int m_unknown = 0;
    int m_firing = 0;
    int m_frozen = 0;
};

} // namespace rwd::client
