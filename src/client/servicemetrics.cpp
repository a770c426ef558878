#include "servicemetrics.h"

#include "charts/chartpainter.h"
#include "connection.h"
#include "dashboardstate.h"

#include <QJsonArray>
#include <QUrlQuery>

#include <cmath>
#include <limits>

namespace rwd::client {

ServiceMetrics::ServiceMetrics(Connection *connection, DashboardState *state, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
    , m_state(state)
{
    connect(connection, &Connection::metricsReceived, this, &ServiceMetrics::onMetrics);
    // After a reconnect the live messages of the gap are gone: fetch the history again.
    connect(connection, &Connection::streamReady, this, [this] {
        if (!m_service.isEmpty())
            reload();
    });
    connect(state, &DashboardState::rollbackChanged, this, &ServiceMetrics::updateMarkers);
    connect(state, &DashboardState::rollbackAdded, this, &ServiceMetrics::updateMarkers);
    connect(state, &DashboardState::serviceChanged, this, [this](int row) {
        const auto &services = m_state->services();
        if (row < services.size() && services.at(row).name == m_service)
            fetchReleases();
    });
}

ServiceMetrics::~ServiceMetrics()
{
    if (!m_service.isEmpty())
        m_connection->subscribeMetrics({});
}

void ServiceMetrics::setService(const QString &service)
{
    if (service == m_service)
        return;
    m_service = service;
    m_connection->subscribeMetrics(service.isEmpty() ? QStringList() : QStringList{service});
    emit serviceChanged();
    reload();
}

void ServiceMetrics::setRangeMinutes(int minutes)
{
    minutes = std::clamp(minutes, 1, 1440);
    if (minutes == m_rangeMinutes)
        return;
    const bool longer = minutes > m_rangeMinutes;
    m_rangeMinutes = minutes;
    emit rangeChanged();
    if (longer) {
        reload(); // older points than those held
    } else {
        trim();
        updateMarkers();
        emit pointsChanged();
    }
}

double ServiceMetrics::toMs() const
{
    return double(m_state->nowMs());
}

double ServiceMetrics::fromMs() const
{
    return toMs() - double(m_rangeMinutes) * 60'000.0;
}

void ServiceMetrics::reload()
{
    const auto generation = ++m_generation;
    if (m_service.isEmpty()) {
        beginResetModel();
        m_series.clear();
        endResetModel();
        m_markers.clear();
        emit markersChanged();
        emit pointsChanged();
        return;
    }
    m_loading = true;
    emit loadingChanged();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("since"), QString::number(qint64(fromMs())));
    const auto path = QStringLiteral("/api/v1/services/%1/metrics?%2")
                          .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_service)),
                               query.toString(QUrl::FullyEncoded));
    m_connection->rest().get(path, [this, generation](const RestResult &r) {
        if (generation != m_generation)
            return;
        m_loading = false;
        m_error = r.ok() ? QString() : r.error->message;
        if (r.ok()) {
            beginResetModel();
            m_series.clear();
            for (const auto &s : r.body.object().value(QLatin1String("series")).toArray())
                m_series.append(protocol::SeriesInfo::fromJson(s.toObject()));
            endResetModel();
            emit pointsChanged();
        }
        emit loadingChanged();
    });
    fetchReleases();
}

void ServiceMetrics::fetchReleases()
{
    const auto generation = m_generation;
    m_connection->rest().get(
        QStringLiteral("/api/v1/releases?service=%1&limit=100")
            .arg(QString::fromUtf8(QUrl::toPercentEncoding(m_service))),
        [this, generation](const RestResult &r) {
            if (generation != m_generation || !r.ok())
                return;
            m_deploys.clear();
            m_deployVersions.clear();
            for (const auto &item : r.body.object().value(QLatin1String("releases")).toArray()) {
                const auto release = protocol::ReleaseInfo::fromJson(item.toObject());
                m_deploys.append(release.deployedAtMs);
                m_deployVersions.append(release.version);
            }
            updateMarkers();
        });
}

void ServiceMetrics::onMetrics(const QString &service, qint64 timeMs, const QJsonObject &points)
{
    if (service != m_service || m_loading)
        return;
    for (auto it = points.begin(); it != points.end(); ++it) {
        if (!it.value().isDouble())
            continue;
        int row = -1;
        for (int i = 0; i < m_series.size(); ++i) {
            if (m_series.at(i).name == it.key())
                row = i;
        }
        if (row < 0) {
            // A series that had no point in the history yet (a new rule, a check's first data).
            protocol::SeriesInfo s;
            s.name = it.key();
            s.label = it.key();
            s.unit = QStringLiteral("number");
            row = int(m_series.size());
            beginInsertRows({}, row, row);
            m_series.append(s);
            endInsertRows();
        }
        auto &held = m_series[row].points;
        if (held.isEmpty() || held.constLast().first < timeMs)
            held.append({timeMs, it.value().toDouble()});
        emit dataChanged(index(row), index(row));
    }
    trim();
    emit pointsChanged();
}

void ServiceMetrics::trim()
{
    const auto from = qint64(fromMs());
    for (auto &s : m_series) {
        const auto first = std::find_if(s.points.begin(), s.points.end(),
                                        [from](const auto &p) { return p.first >= from; });
        s.points.erase(s.points.begin(), first);
    }
}

void ServiceMetrics::updateMarkers()
{
    QList<QPair<qint64, QVariantMap>> markers;
    const auto from = qint64(fromMs());
    for (int i = 0; i < m_deploys.size(); ++i) {
        if (m_deploys.at(i) >= from)
            markers.append({m_deploys.at(i), QVariantMap{{"time", double(m_deploys.at(i))},
                                                         {"kind", "deploy"},
                                                         {"label", m_deployVersions.at(i)}}});
    }
    for (const auto &r : m_state->rollbacks()) {
        if (!r.services().contains(m_service))
            continue;
        const auto label = tr("rollback #%1").arg(r.id);
        if (r.createdAtMs >= from)
            markers.append({r.createdAtMs, QVariantMap{{"time", double(r.createdAtMs)},
                                                       {"kind", "rollback_started"},
                                                       {"label", label}}});
        if (r.finishedAtMs >= from && r.finishedAtMs > 0)
            markers.append({r.finishedAtMs, QVariantMap{{"time", double(r.finishedAtMs)},
                                                        {"kind", "rollback_finished"},
                                                        {"label", label}}});
    }
    std::sort(markers.begin(), markers.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    m_markers.clear();
    for (const auto &[time, marker] : markers)
        m_markers.append(marker);
    emit markersChanged();
}

QList<QPointF> ServiceMetrics::pointsOf(int row) const
{
    QList<QPointF> out;
    if (row < 0 || row >= m_series.size())
        return out;
    const auto &points = m_series.at(row).points;
    out.reserve(points.size());
    for (const auto &[time, value] : points)
        out.append(QPointF(double(time), value));
    return out;
}

int ServiceMetrics::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_series.size());
}

QVariant ServiceMetrics::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &s = m_series.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole:
        return s.label.isEmpty() ? s.name : s.label;
    case NameRole:
        return s.name;
    case UnitRole:
        return s.unit;
    case LastValueRole:
        return s.points.isEmpty()
                   ? QString()
                   : charts::ChartPainter::formatValue(s.points.constLast().second, s.unit);
    case MinValueRole:
    case MaxValueRole: {
        double lo = std::numeric_limits<double>::infinity();
        double hi = -std::numeric_limits<double>::infinity();
        for (const auto &[time, value] : s.points) {
            lo = std::min(lo, value);
            hi = std::max(hi, value);
        }
        for (const auto &t : s.thresholds) {
            lo = std::min(lo, t.value);
            hi = std::max(hi, t.value);
        }
        if (!std::isfinite(lo))
            lo = hi = 0;
        return role == MinValueRole ? lo : hi;
    }
    case ThresholdsRole: {
        QVariantList list;
        for (const auto &t : s.thresholds)
            list.append(QVariantMap{
                {"rule", t.rule},
                {"op", t.op},
                {"value", t.value},
                {"severity", t.severity},
                {"text",
                 QStringLiteral("%1 %2 %3")
                     .arg(t.rule, t.op, charts::ChartPainter::formatValue(t.value, s.unit))}});
        return list;
    }
    case PointCountRole:
        return int(s.points.size());
    default:
        return {};
    }
}

QHash<int, QByteArray> ServiceMetrics::roleNames() const
{
    return {{NameRole, "name"},
            {LabelRole, "label"},
            {UnitRole, "unit"},
            {LastValueRole, "lastValue"},
            {MinValueRole, "minValue"},
            {MaxValueRole, "maxValue"},
            {ThresholdsRole, "thresholds"},
            {PointCountRole, "pointCount"}};
}

} // namespace rwd::client
