#pragma once

#include <QAbstractListModel>

namespace rwd::client {

class DashboardState;

// Every service the server watches, one row each, in configuration order.
class ServiceListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role
    {
        NameRole = Qt::UserRole + 1, // QString: service name
        EnvironmentRole,             // QString: environment name
        KindRole,                    // QString: frontend, backend, worker, database
        HealthRole,                  // QString: unknown, healthy, degraded, failing
        CurrentVersionRole,          // QString: version of the current release ("" if none)
        CurrentStateRole,            // QString: state of the current release
        LastGoodVersionRole,         // QString: version of the newest verified release
        FiringCountRole,             // int: rules firing now
        FiringSummaryRole,           // QString: "rule (severity)" of each firing, comma-separated
        DependsOnRole,               // QStringList: services this one depends on
    };
    Q_ENUM(Role)

    explicit ServiceListModel(DashboardState *state, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return rowCount(); }

signals:
    void countChanged();

private:
    DashboardState *m_state;
};

} // namespace rwd::client
