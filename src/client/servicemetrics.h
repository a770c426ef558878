#pragma once

#include "common/protocol.h"

#include <QAbstractListModel>
#include <QPointF>
#include <QVariantList>

namespace rwd::client {

class Connection;
class DashboardState;

// The metrics of one service over a time range, for its charts: the history comes through
// GET /api/v1/services/{name}/metrics, then live `metrics` messages extend it (the connection
// subscribes to this service while it is set). One row per series, with its thresholds; the
// points themselves are read with pointsOf() (Qt Charts on the desktop) or series() (the
// QPainter chart of the browser build and the report). Markers are the service's deploys and
// rollbacks inside the range.
class ServiceMetrics final : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString service READ service WRITE setService NOTIFY serviceChanged)
    // How far back the charts reach, in minutes (1 to 1440).
    Q_PROPERTY(int rangeMinutes READ rangeMinutes WRITE setRangeMinutes NOTIFY rangeChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY loadingChanged)
    // The time axis, in ms since the epoch (as doubles, for QML's DateTimeAxis).
    Q_PROPERTY(double fromMs READ fromMs NOTIFY pointsChanged)
    Q_PROPERTY(double toMs READ toMs NOTIFY pointsChanged)
    // [{time (ms), kind: deploy | rollback_started | rollback_finished, label}], oldest first.
    Q_PROPERTY(QVariantList markers READ markers NOTIFY markersChanged)

public:
    enum Role
    {
        NameRole = Qt::UserRole + 1, // QString: the series id
        LabelRole,                   // QString: for people
        UnitRole,                    // QString: seconds, ratio, per_second, number
        LastValueRole,               // QString: the newest value, formatted with its unit
        MinValueRole,                // double: smallest value in range (thresholds included)
        MaxValueRole,                // double: largest value in range (thresholds included)
        ThresholdsRole,              // QVariantList of {rule, op, value, severity, text}
        PointCountRole,              // int
    };
    Q_ENUM(Role)

    ServiceMetrics(Connection *connection, DashboardState *state, QObject *parent = nullptr);
    ~ServiceMetrics() override;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] const QString &service() const { return m_service; }
    void setService(const QString &service);
    [[nodiscard]] int rangeMinutes() const { return m_rangeMinutes; }
    void setRangeMinutes(int minutes);
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] const QString &errorString() const { return m_error; }
    [[nodiscard]] double fromMs() const;
    [[nodiscard]] double toMs() const;
    [[nodiscard]] const QVariantList &markers() const { return m_markers; }

    // The points of series `row` as (ms since the epoch, value).
    [[nodiscard]] QList<QPointF> pointsOf(int row) const;
    [[nodiscard]] const QList<protocol::SeriesInfo> &series() const { return m_series; }
    // Fetches the history again (after a reconnect the live messages missed some points).
    Q_INVOKABLE void reload();

signals:
    void serviceChanged();
    void rangeChanged();
    void loadingChanged();
    void markersChanged();
    // Points were added or dropped (one signal per live message or load).
    void pointsChanged();

private:
    void onMetrics(const QString &service, qint64 timeMs, const QJsonObject &points);
    void trim();
    void updateMarkers();
    void fetchReleases();

    Connection *m_connection;
    DashboardState *m_state;
    QString m_service;
    int m_rangeMinutes = 5;
    bool m_loading = false;
    QString m_error;
    QList<protocol::SeriesInfo> m_series;
    QList<qint64> m_deploys; // deploy times of the service's releases
    QStringList m_deployVersions;
    QVariantList m_markers;
    quint64 m_generation = 0;
};

} // namespace rwd::client
