#pragma once

#include "common/protocol.h"

#include <QColor>
#include <QList>
#include <QRectF>
#include <QString>

class QPainter;
class QPaintDevice;

// A line chart of metric series drawn with QPainter: the incident report's charts, and the chart
// view of the browser build (which has neither Qt Charts nor Qt Quick). Qt Gui only; nothing
// here blocks or touches the filesystem.
namespace rwd::client::charts {

struct ChartPalette
{
    QColor background;
    QColor text;
    QColor mutedText; // axis labels, the "no data" text
    QColor axis;
    QColor grid;
    QColor thresholdWarning;  // threshold lines of warning (and info) rules
    QColor thresholdCritical; // threshold lines of critical rules
    QColor deploy;
    QColor rollbackStart;
    QColor rollbackEnd;
    QList<QColor> series; // one per series, repeating when there are more series

    // On white paper and light themes.
    [[nodiscard]] static ChartPalette light();
    // On dark themes.
    [[nodiscard]] static ChartPalette dark();
};

// A moment drawn as a vertical line across the plot, labelled above it.
struct ChartMarker
{
    enum class Kind
    {
        Deploy,        // a release was recorded
        RollbackStart, // a rollback was planned
        RollbackEnd,   // it ended
    };
    qint64 timeMs = 0;
    Kind kind = Kind::Deploy;
    QString label; // e.g. "v1.2", "rollback #3"
};

struct ChartOptions
{
    QString title; // drawn above the plot; empty: none
    // The time axis; 0 (either): from the data and the markers.
    qint64 fromMs = 0;
    qint64 toMs = 0;
    ChartPalette palette = ChartPalette::light();
    bool legend = true;
    bool fillBackground = true;
    QString fontFamily = QStringLiteral("DejaVu Sans");
    qreal fontPointSize = 7.5; // axis, legend and label text; the title is 20 % larger
    bool utc = true;           // time labels in UTC (reports) or in local time (live views)
};

// Where a chart's parts go in a given rectangle, as paint() draws them: for hit-testing in an
// interactive view and for tests.
struct ChartGeometry
{
    QRectF plot; // the plotting area (axes along its left and bottom edges)
    qint64 fromMs = 0;
    qint64 toMs = 0;
    double minValue = 0; // in the series' unit (seconds, ratio, …), at plot.bottom()
    double maxValue = 1; // at plot.top()
    QList<qint64> timeTicks;
    QList<double> valueTicks;

    [[nodiscard]] qreal x(qint64 timeMs) const;
    [[nodiscard]] qreal y(double value) const;
};

// Draws one or more series that share a unit (the first series' unit labels the value axis),
// their rules' thresholds (dashed, labelled with the rule), markers and a legend. Time runs left
// to right whatever the layout direction; the legend follows the painter's layout direction.
// A point further than 1.5 steps from the previous one starts a new line: gaps stay gaps.
class ChartPainter
{
public:
    explicit ChartPainter(ChartOptions options = {});

    void setSeries(QList<protocol::SeriesInfo> series) { m_series = std::move(series); }
    void setMarkers(QList<ChartMarker> markers) { m_markers = std::move(markers); }
    [[nodiscard]] const QList<protocol::SeriesInfo> &series() const { return m_series; }
    [[nodiscard]] const ChartOptions &options() const { return m_options; }

    // The layout in `rect` of `device`, whose resolution sizes text and lines.
    [[nodiscard]] ChartGeometry geometry(const QRectF &rect, QPaintDevice *device) const;
    // Draws into `rect` of the painter's device; the painter's state is left as it was.
    void paint(QPainter *painter, const QRectF &rect) const;

    // A value of `unit` for people: seconds as "250 ms" / "1.5 s", ratios as "12 %", per_second
    // as "30 /s", numbers as "1.2k". `step`, when given, is the spacing of neighbouring labels
    // and decides the decimals.
    [[nodiscard]] static QString formatValue(double value, const QString &unit, double step = 0);

private:
    struct Layout;
    [[nodiscard]] Layout layout(const QRectF &rect, QPaintDevice *device) const;

    ChartOptions m_options;
    QList<protocol::SeriesInfo> m_series;
    QList<ChartMarker> m_markers;
};

} // namespace rwd::client::charts
