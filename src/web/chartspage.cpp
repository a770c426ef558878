#include "chartspage.h"

#include "client/servicemetrics.h"
#include "client/servicemodel.h"
#include "client/session.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace rwd::web {

using client::charts::ChartMarker;

ChartView::ChartView(client::ServiceMetrics *metrics, QWidget *parent)
    : QWidget(parent)
    , m_metrics(metrics)
{
    setMinimumSize(320, 220);
    const auto repaint = [this] { update(); };
    connect(metrics, &client::ServiceMetrics::pointsChanged, this, repaint);
    connect(metrics, &client::ServiceMetrics::markersChanged, this, repaint);
    connect(metrics, &client::ServiceMetrics::loadingChanged, this, repaint);
    connect(metrics, &QAbstractItemModel::modelReset, this, repaint);
}

void ChartView::setDark(bool dark)
{
    m_dark = dark;
    update();
}

int ChartView::seriesCount() const
{
    return int(m_metrics->series().size());
}

int ChartView::markerCount() const
{
    return int(m_metrics->markers().size());
}

QList<ChartMarker> ChartView::markersOf(const QVariantList &markers)
{
    QList<ChartMarker> out;
    for (const auto &m : markers) {
        const auto map = m.toMap();
        const auto kind = map.value(QStringLiteral("kind")).toString();
        ChartMarker marker;
        marker.timeMs = map.value(QStringLiteral("time")).toLongLong();
        marker.kind = kind == u"deploy"             ? ChartMarker::Kind::Deploy
                      : kind == u"rollback_started" ? ChartMarker::Kind::RollbackStart
                                                    : ChartMarker::Kind::RollbackEnd;
        marker.label = map.value(QStringLiteral("label")).toString();
        out.append(marker);
    }
    return out;
}

void ChartView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const auto palette =
        m_dark ? client::charts::ChartPalette::dark() : client::charts::ChartPalette::light();
    painter.fillRect(rect(), palette.background);
    const auto &series = m_metrics->series();
    if (series.isEmpty()) {
        painter.setPen(palette.mutedText);
        const QString text = m_metrics->service().isEmpty() ? tr("Choose a service.")
                             : m_metrics->loading()         ? tr("Loading metrics…")
                             : !m_metrics->errorString().isEmpty()
                                 ? tr("No metrics: %1").arg(m_metrics->errorString())
                                 : tr("No metrics for this service yet.");
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, text);
        return;
    }
    const auto markers = markersOf(m_metrics->markers());
    const int columns = width() >= 900 && series.size() > 1 ? 2 : 1;
    const int rows = int(std::ceil(double(series.size()) / columns));
    const qreal cellWidth = qreal(width()) / columns;
    const qreal cellHeight = qreal(height()) / rows;
    for (int i = 0; i < series.size(); ++i) {
        client::charts::ChartOptions options;
        options.title = series.at(i).label;
        options.fromMs = qint64(m_metrics->fromMs());
        options.toMs = qint64(m_metrics->toMs());
        options.palette = palette;
        options.fillBackground = false;
        options.fontPointSize = 8;
        options.utc = false;
        client::charts::ChartPainter chart(options);
        chart.setSeries({series.at(i)});
        chart.setMarkers(markers);
        const QRectF cell((i % columns) * cellWidth, (i / columns) * cellHeight, cellWidth,
                          cellHeight);
        chart.paint(&painter, cell.adjusted(6, 6, -6, -6));
    }
}

ChartsPage::ChartsPage(dashboard::DashboardApp *app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_service = new QComboBox;
    m_service->setObjectName(QStringLiteral("chartService"));
    m_service->setMinimumContentsLength(16);
    m_range = new QComboBox;
    m_range->setObjectName(QStringLiteral("chartRange"));
    // The desktop's ranges, with its labels.
    const QList<QPair<int, QString>> ranges{
        {1, tr("1 min")}, {5, tr("5 min")}, {15, tr("15 min")}, {60, tr("1 h")}, {360, tr("6 h")}};
    for (const auto &[minutes, label] : ranges)
        m_range->addItem(label, minutes);
    m_range->setCurrentIndex(m_range->findData(app->metrics()->rangeMinutes()));
    m_state = new QLabel;
    m_state->setObjectName(QStringLiteral("chartState"));
    m_request = new QPushButton(tr("Request rollback…"));
    m_request->setObjectName(QStringLiteral("chartRequestRollback"));
    bar->addWidget(new QLabel(tr("Service")));
    bar->addWidget(m_service);
    bar->addWidget(m_range);
    bar->addWidget(m_state, 1);
    bar->addWidget(m_request);
    layout->addLayout(bar);
    m_chart = new ChartView(app->metrics());
    m_chart->setObjectName(QStringLiteral("charts"));
    layout->addWidget(m_chart, 1);

    connect(m_service, &QComboBox::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            m_app->metrics()->setService(name);
        updateState();
    });
    connect(m_range, &QComboBox::currentIndexChanged, this,
            [this] { m_app->metrics()->setRangeMinutes(m_range->currentData().toInt()); });
    connect(m_request, &QPushButton::clicked, this,
            [this] { emit rollbackRequested(m_service->currentText()); });
    auto *services = app->services();
    connect(services, &QAbstractItemModel::modelReset, this, &ChartsPage::updateServices);
    connect(services, &QAbstractItemModel::rowsInserted, this, &ChartsPage::updateServices);
    connect(services, &QAbstractItemModel::rowsRemoved, this, &ChartsPage::updateServices);
    connect(services, &QAbstractItemModel::dataChanged, this, &ChartsPage::updateState);
    connect(app->session(), &client::Session::changed, this, &ChartsPage::updateState);
    updateServices();
}

void ChartsPage::showService(const QString &service)
{
    const int index = m_service->findText(service);
    if (index >= 0)
        m_service->setCurrentIndex(index);
}

void ChartsPage::updateServices()
{
    const QString current = m_service->currentText();
    QStringList names;
    auto *services = m_app->services();
    for (int row = 0; row < services->rowCount(); ++row)
        names.append(services->index(row).data(client::ServiceListModel::NameRole).toString());
    names.sort();
    QStringList shown;
    for (int i = 0; i < m_service->count(); ++i)
        shown.append(m_service->itemText(i));
    if (names == shown)
        return;
    {
        const QSignalBlocker block(m_service);
        m_service->clear();
        m_service->addItems(names);
    }
    const int keep = m_service->findText(current);
    m_service->setCurrentIndex(keep >= 0 ? keep : (names.isEmpty() ? -1 : 0));
    if (!m_service->currentText().isEmpty())
        m_app->metrics()->setService(m_service->currentText());
    updateState();
}

void ChartsPage::updateState()
{
    const QString name = m_service->currentText();
    // {} when nothing is chosen or the service is gone.
    const QVariantMap info = m_app->services()->get(name);
    const QString environment = info.value(QStringLiteral("environment")).toString();
    const QString version = info.value(QStringLiteral("currentVersion")).toString();
    const QString health = info.value(QStringLiteral("health")).toString();
    m_state->setText(name.isEmpty() ? QString()
                                    : tr("%1 in %2 · %3").arg(version, environment, health));
    const bool may = m_app->session()->may(QStringLiteral("operate"), environment);
    m_request->setEnabled(!name.isEmpty() && may);
    m_request->setToolTip(may ? QString() : tr("Needs the operator role in %1").arg(environment));
}

} // namespace rwd::web
