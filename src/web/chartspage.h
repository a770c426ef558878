#pragma once

#include "app/dashboardapp.h"
#include "charts/chartpainter.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace rwd::web {

// The charts of one service's metrics, painted by the same ChartPainter as the incident
// report, over the same ServiceMetrics model the desktop's Qt Charts view reads: one chart per
// series with its rules' thresholds and the deploy and rollback markers, two columns when there
// is room.
class ChartView final : public QWidget
{
    Q_OBJECT
    // What is drawn, for the page's scripting hook and tests.
    Q_PROPERTY(int seriesCount READ seriesCount)
    Q_PROPERTY(int markerCount READ markerCount)

public:
    explicit ChartView(client::ServiceMetrics *metrics, QWidget *parent = nullptr);

    void setDark(bool dark);
    [[nodiscard]] int seriesCount() const;
    [[nodiscard]] int markerCount() const;
    // The markers of the model in the painter's form.
    [[nodiscard]] static QList<client::charts::ChartMarker> markersOf(const QVariantList &markers);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    client::ServiceMetrics *m_metrics;
    bool m_dark = false;
};

// The service page: which service and how far back, its charts, and a way to ask for its
// rollback (the Rollbacks tab's request form, preselected).
class ChartsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit ChartsPage(dashboard::DashboardApp *app, QWidget *parent = nullptr);

    void showService(const QString &service);
    void setDark(bool dark) { m_chart->setDark(dark); }

signals:
    void rollbackRequested(const QString &service);

private:
    void updateServices();
    void updateState();

    dashboard::DashboardApp *m_app;
    QComboBox *m_service = nullptr;
    QComboBox *m_range = nullptr;
    QLabel *m_state = nullptr;
    QPushButton *m_request = nullptr;
    ChartView *m_chart = nullptr;
};

} // namespace rwd::web
