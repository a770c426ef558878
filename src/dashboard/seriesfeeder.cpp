#include "seriesfeeder.h"

#include "client/servicemetrics.h"

#include <QXYSeries>
#include <QtQml>

namespace rwd::dashboard {

void SeriesFeeder::registerType()
{
    qmlRegisterType<SeriesFeeder>("Rewind.Core", 1, 0, "SeriesFeeder");
}

void SeriesFeeder::setMetrics(client::ServiceMetrics *metrics)
{
    if (metrics == m_metrics)
        return;
    disconnect(m_pointsConnection);
    m_metrics = metrics;
    if (metrics)
        m_pointsConnection =
            connect(metrics, &client::ServiceMetrics::pointsChanged, this, &SeriesFeeder::feed);
    emit changed();
    feed();
}

void SeriesFeeder::setRow(int row)
{
    if (row == m_row)
        return;
    m_row = row;
    emit changed();
    feed();
}

void SeriesFeeder::setSeries(QObject *series)
{
    if (series == m_series)
        return;
    m_series = series;
    emit changed();
    feed();
}

void SeriesFeeder::setScale(double scale)
{
    if (scale == m_scale)
        return;
    m_scale = scale;
    emit changed();
    feed();
}

void SeriesFeeder::feed()
{
    auto *xy = qobject_cast<QXYSeries *>(m_series.data());
    if (!xy || !m_metrics)
        return;
    auto points = m_metrics->pointsOf(m_row);
    if (m_scale != 1) {
        for (auto &p : points)
            p.setY(p.y() * m_scale);
    }
    xy->replace(points);
}

} // namespace rwd::dashboard
