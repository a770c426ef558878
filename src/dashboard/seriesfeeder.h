#pragma once

#include "client/servicemetrics.h"

#include <QObject>
#include <QPointer>

class QAbstractSeries;

namespace rwd::dashboard {

// Feeds one series of a ServiceMetrics into a Qt Charts line series, replacing its points in
// one call whenever they change (QXYSeries::replace: one repaint, not one per point). QML:
//   SeriesFeeder { metrics: Dashboard.metrics; row: index; series: line }
// Not final: QML derives from types it creates.
class SeriesFeeder : public QObject
{
    Q_OBJECT
    Q_PROPERTY(rwd::client::ServiceMetrics *metrics READ metrics WRITE setMetrics NOTIFY changed)
    Q_PROPERTY(int row READ row WRITE setRow NOTIFY changed)
    Q_PROPERTY(QObject *series READ series WRITE setSeries NOTIFY changed)
    // Values are multiplied by this before they are drawn (e.g. 1000 to chart seconds in ms,
    // 100 to chart ratios in percent).
    Q_PROPERTY(double scale READ scale WRITE setScale NOTIFY changed)

public:
    using QObject::QObject;

    [[nodiscard]] client::ServiceMetrics *metrics() const { return m_metrics; }
    void setMetrics(client::ServiceMetrics *metrics);
    [[nodiscard]] int row() const { return m_row; }
    void setRow(int row);
    [[nodiscard]] QObject *series() const { return m_series; }
    void setSeries(QObject *series);
    [[nodiscard]] double scale() const { return m_scale; }
    void setScale(double scale);

    // Registers SeriesFeeder in the "Rewind.Core" 1.0 import.
    static void registerType();

signals:
    void changed();

private:
    void feed();

    QPointer<client::ServiceMetrics> m_metrics;
    QPointer<QObject> m_series;
    int m_row = -1;
    double m_scale = 1;
    QMetaObject::Connection m_pointsConnection;
};

} // namespace rwd::dashboard
