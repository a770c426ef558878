#include "chartpainter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFontMetricsF>
#include <QPaintDevice>
#include <QPainter>
#include <QPainterPath>
#include <QTextOption>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rwd::client::charts {

namespace {

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(Chart)
};

// Spacings of the time axis, from a second to a day.
constexpr qint64 kTimeSteps[] = {1'000,      2'000,      5'000,     10'000,    15'000,
                                 30'000,     60'000,     120'000,   300'000,   600'000,
                                 900'000,    1'800'000,  3'600'000, 7'200'000, 10'800'000,
                                 21'600'000, 43'200'000, 86'400'000};
constexpr int kMaxMarkerRows = 3;

// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double niceStep(double raw)
{
    if (!(raw > 0) || !std::isfinite(raw))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude;
    const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * magnitude;
}

// How values of a unit are shown: multiplied by `factor`, followed by `suffix`.
struct DisplayUnit
{
    double factor = 1;
    QString suffix;
};

DisplayUnit displayUnit(const QString &unit, double maxAbs)
{
    if (unit == u"seconds")
        return maxAbs < 1 ? DisplayUnit{1000, QStringLiteral(" ms")}
                          : DisplayUnit{1, QStringLiteral(" s")};
    if (unit == u"ratio")
        return {100, QStringLiteral(" %")};
    if (unit == u"per_second")
        return {1, QStringLiteral(" /s")};
    return {1, QString()};
}

// Decimals that tell neighbouring labels `step` apart (in display units).
int decimalsFor(double step)
{
    if (!(step > 0) || !std::isfinite(step))
        return 0;
    int d = std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
    const double scaled = step * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) > 1e-6)
        ++d;
    return std::min(d, 6);
}

QString formatDisplay(double value, const DisplayUnit &unit, double step)
{
    double v = value * unit.factor;
    QString suffix = unit.suffix;
    double s = step * unit.factor;
    if (unit.suffix.isEmpty() && std::abs(v) >= 10'000) {
        const double k = std::abs(v) >= 10'000'000 ? 1e6 : 1e3;
        suffix = k == 1e6 ? QStringLiteral("M") : QStringLiteral("k");
        v /= k;
        s /= k;
    }
    if (std::abs(v) < 1e-12)
        v = 0; // no "-0"
    const QString number =
        step > 0 ? QString::number(v, 'f', decimalsFor(s)) : QString::number(v, 'g', 3);
    return number + suffix;
}

QColor seriesColour(const ChartPalette &palette, int index)
{
    if (palette.series.isEmpty())
        return palette.text;
    return palette.series.at(index % palette.series.size());
}

QColor markerColour(const ChartPalette &palette, ChartMarker::Kind kind)
{
    switch (kind) {
    case ChartMarker::Kind::Deploy:
        return palette.deploy;
    case ChartMarker::Kind::RollbackStart:
        return palette.rollbackStart;
    case ChartMarker::Kind::RollbackEnd:
        return palette.rollbackEnd;
    }
    return palette.text;
}

// Draws `text` in the direction its first strong letter gives it (values, times and rule names
// left to right, an Arabic label right to left), whatever the painter's layout direction, at an
// absolute alignment in `rect`.
void drawLabel(QPainter *painter, const QRectF &rect, Qt::Alignment alignment, const QString &text)
{
    QTextOption option(alignment | Qt::AlignAbsolute);
    option.setTextDirection(Qt::LayoutDirectionAuto);
    option.setWrapMode(QTextOption::NoWrap);
    painter->drawText(rect, text, option);
}

QString seriesName(const protocol::SeriesInfo &s)
{
    return s.label.isEmpty() ? s.name : s.label;
}

} // namespace

ChartPalette ChartPalette::light()
{
    ChartPalette p;
    p.background = QColor(0xff, 0xff, 0xff);
    p.text = QColor(0x1f, 0x23, 0x28);
    p.mutedText = QColor(0x5c, 0x63, 0x6e);
    p.axis = QColor(0x8c, 0x95, 0x9f);
    p.grid = QColor(0xe3, 0xe6, 0xea);
    p.thresholdWarning = QColor(0xd9, 0x7b, 0x00);
    p.thresholdCritical = QColor(0xd0, 0x21, 0x2f);
    p.deploy = QColor(0x6f, 0x42, 0xc1);
    p.rollbackStart = QColor(0xc2, 0x41, 0x0c);
    p.rollbackEnd = QColor(0x1a, 0x7f, 0x37);
    p.series = {QColor(0x09, 0x69, 0xda), QColor(0x0a, 0x8f, 0x8f), QColor(0xbf, 0x39, 0x89),
                QColor(0x7d, 0x4e, 0x00), QColor(0x3d, 0x4f, 0xb8), QColor(0x57, 0x7a, 0x1c)};
    return p;
}

ChartPalette ChartPalette::dark()
{
    ChartPalette p;
    p.background = QColor(0x16, 0x1b, 0x22);
    p.text = QColor(0xe6, 0xed, 0xf3);
    p.mutedText = QColor(0x9d, 0xa7, 0xb3);
    p.axis = QColor(0x6e, 0x76, 0x81);
    p.grid = QColor(0x2d, 0x33, 0x3b);
    p.thresholdWarning = QColor(0xe3, 0xb3, 0x41);
    p.thresholdCritical = QColor(0xff, 0x7b, 0x72);
    p.deploy = QColor(0xbc, 0x8c, 0xff);
    p.rollbackStart = QColor(0xff, 0xa6, 0x57);
    p.rollbackEnd = QColor(0x56, 0xd3, 0x64);
    p.series = {QColor(0x58, 0xa6, 0xff), QColor(0x39, 0xd3, 0xc3), QColor(0xf7, 0x78, 0xba),
                QColor(0xd2, 0xa8, 0xff), QColor(0xe3, 0xb3, 0x41), QColor(0x7e, 0xe7, 0x87)};
    return p;
}

qreal ChartGeometry::x(qint64 timeMs) const
{
    if (toMs <= fromMs)
        return plot.left();
    return plot.left() + plot.width() * double(timeMs - fromMs) / double(toMs - fromMs);
}

qreal ChartGeometry::y(double value) const
{
    if (!(maxValue > minValue))
        return plot.bottom();
    return plot.bottom() - plot.height() * (value - minValue) / (maxValue - minValue);
}

struct ChartPainter::Layout
{
    ChartGeometry g;
    qreal pt = 1; // device units per typographic point
    QFont font;
    QFont titleFont;
    qreal lineHeight = 0;
    QRectF titleRect;
    DisplayUnit unit;
    double valueStep = 0;
    qint64 timeStep = 0;
    bool empty = true;
    struct PlacedMarker
    {
        ChartMarker marker;
        qreal x = 0;
        QRectF label;
    };
    QList<PlacedMarker> markers;
    struct LegendItem
    {
        int series = 0;
        QRectF rect; // swatch and text
    };
    QList<LegendItem> legend;
};

ChartPainter::ChartPainter(ChartOptions options)
    : m_options(std::move(options))
{}

QString ChartPainter::formatValue(double value, const QString &unit, double step)
{
    const DisplayUnit display = displayUnit(unit, std::max(std::abs(value), std::abs(step)));
    return formatDisplay(value, display, step);
}

ChartPainter::Layout ChartPainter::layout(const QRectF &rect, QPaintDevice *device) const
{
    Layout l;
    const qreal dpi = device && device->logicalDpiY() > 0 ? device->logicalDpiY() : 96;
    l.pt = dpi / 72.0;
    l.font = QFont(m_options.fontFamily);
    l.font.setPointSizeF(m_options.fontPointSize);
    // No Latin ligatures (any letter spacing turns them off): labels stay searchable text in
    // a PDF. A tenth of a device pixel is invisible.
    l.font.setLetterSpacing(QFont::AbsoluteSpacing, 0.1);
    l.titleFont = l.font;
    l.titleFont.setPointSizeF(m_options.fontPointSize * 1.2);
    l.titleFont.setBold(true);
    const QFontMetricsF fm(l.font, device);
    const QFontMetricsF titleFm(l.titleFont, device);
    l.lineHeight = fm.height();
    const qreal pad = 4 * l.pt;

    // The time range: as asked, else what the data and markers span.
    qint64 from = m_options.fromMs;
    qint64 to = m_options.toMs;
    if (from <= 0 || to <= from) {
        qint64 lo = std::numeric_limits<qint64>::max();
        qint64 hi = std::numeric_limits<qint64>::min();
        for (const auto &s : m_series) {
            for (const auto &p : s.points) {
                lo = std::min(lo, p.first);
                hi = std::max(hi, p.first);
            }
        }
        for (const auto &m : m_markers) {
            lo = std::min(lo, m.timeMs);
            hi = std::max(hi, m.timeMs);
        }
        if (lo > hi) {
            lo = 0;
            hi = 60'000;
        }
        from = m_options.fromMs > 0 ? m_options.fromMs : lo;
        to = m_options.toMs > from ? m_options.toMs : std::max(hi, from + 1'000);
    }
    l.g.fromMs = from;
    l.g.toMs = to;

    // The value range: the points shown and every threshold, from zero for data that never goes
    // below it.
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (const auto &s : m_series) {
        for (const auto &[t, v] : s.points) {
            if (t < from || t > to || !std::isfinite(v))
                continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            l.empty = false;
        }
        for (const auto &th : s.thresholds) {
            if (!std::isfinite(th.value))
                continue;
            lo = std::min(lo, th.value);
            hi = std::max(hi, th.value);
        }
    }
    if (lo > hi) {
        lo = 0;
        hi = 1;
    }
    if (lo >= 0)
        lo = 0;
    if (hi <= lo)
        hi = lo + (std::abs(lo) > 0 ? std::abs(lo) * 0.5 : 1);
    const QString unitName = m_series.isEmpty() ? QString() : m_series.first().unit;
    l.unit = displayUnit(unitName, std::max(std::abs(lo), std::abs(hi)));

    // Vertical bands: title, marker labels, plot, time labels, legend.
    qreal top = rect.top() + pad;
    if (!m_options.title.isEmpty()) {
        l.titleRect = QRectF(rect.left() + pad, top, rect.width() - 2 * pad, titleFm.height());
        top = l.titleRect.bottom() + pad;
    }
    const qreal swatch = 12 * l.pt;
    const qreal gap = 10 * l.pt;
    qreal legendHeight = 0;
    if (m_options.legend && !m_series.isEmpty()) {
        qreal x = rect.left() + pad;
        qreal rowTop = 0;
        for (int i = 0; i < m_series.size(); ++i) {
            const qreal w = swatch + 4 * l.pt + fm.horizontalAdvance(seriesName(m_series.at(i)));
            if (x > rect.left() + pad && x + w > rect.right() - pad) {
                x = rect.left() + pad;
                rowTop += l.lineHeight;
            }
            l.legend.append(
                {i, QRectF(x, rowTop, std::min(w, rect.width() - 2 * pad), l.lineHeight)});
            x += w + gap;
        }
        legendHeight = rowTop + l.lineHeight + pad;
    }
    const qreal axisLabels = l.lineHeight + 2 * l.pt;
    const qreal bottom = rect.bottom() - pad - legendHeight - axisLabels;
    const qreal band = m_markers.isEmpty() ? 0 : l.lineHeight;
    const qreal estimatedHeight = std::max<qreal>(1, bottom - top - band);

    // Value ticks at a nice spacing in display units, about one per three lines of text.
    const int targetTicks = std::clamp(int(estimatedHeight / (l.lineHeight * 3)), 2, 6);
    const double dlo = lo * l.unit.factor;
    const double dhi = hi * l.unit.factor;
    const double step = niceStep((dhi - dlo) / targetTicks);
    const double first = std::floor(dlo / step + 1e-9) * step;
    const double last = std::ceil(dhi / step - 1e-9) * step;
    l.valueStep = step / l.unit.factor;
    l.g.minValue = first / l.unit.factor;
    l.g.maxValue = (last > first ? last : first + step) / l.unit.factor;
    qreal labelWidth = 0;
    for (double v = first; v <= last + step * 1e-6; v += step) {
        const double value = v / l.unit.factor;
        l.g.valueTicks.append(value);
        labelWidth =
            std::max(labelWidth, fm.horizontalAdvance(formatDisplay(value, l.unit, l.valueStep)));
    }

    const qreal timeLabelWidth = fm.horizontalAdvance(QStringLiteral("00:00:00"));
    const qreal left = rect.left() + pad + labelWidth + 4 * l.pt;
    const qreal right = std::max(left + 1, rect.right() - pad - timeLabelWidth / 2);

    // Marker labels above the plot, right of their line (or left of it where there is no room),
    // in up to kMaxMarkerRows rows so that none overlaps another; a label that fits nowhere is
    // left out (its line is still drawn).
    QList<ChartMarker> markers;
    for (const auto &m : m_markers) {
        if (m.timeMs >= from && m.timeMs <= to)
            markers.append(m);
    }
    std::stable_sort(
        markers.begin(), markers.end(),
        [](const ChartMarker &a, const ChartMarker &b) { return a.timeMs < b.timeMs; });
    QList<QList<QPair<qreal, qreal>>> rows; // occupied [left, right) spans per row
    const auto isFree = [&](int row, qreal a, qreal b) {
        if (row >= rows.size())
            return true;
        for (const auto &[x0, x1] : rows.at(row)) {
            if (a < x1 && x0 < b)
                return false;
        }
        return true;
    };
    for (const auto &m : std::as_const(markers)) {
        const qreal x = left + (right - left) * double(m.timeMs - from) / double(to - from);
        const qreal w = fm.horizontalAdvance(m.label) + 2 * l.pt;
        QList<qreal> candidates;
        if (x + 2 * l.pt + w <= rect.right())
            candidates.append(x + 2 * l.pt);
        if (x - 2 * l.pt - w >= rect.left())
            candidates.append(x - 2 * l.pt - w);
        QRectF label;
        for (int row = 0; row < kMaxMarkerRows && label.isNull(); ++row) {
            for (const qreal at : std::as_const(candidates)) {
                if (isFree(row, at - l.pt, at + w + l.pt)) {
                    while (rows.size() <= row)
                        rows.append(QList<QPair<qreal, qreal>>());
                    rows[row].append({at - l.pt, at + w + l.pt});
                    label = QRectF(at, row * l.lineHeight, w, l.lineHeight);
                    break;
                }
            }
        }
        l.markers.append({m, x, label});
    }
    const qreal bandHeight = qreal(rows.size()) * l.lineHeight;
    for (auto &m : l.markers) {
        if (!m.label.isNull())
            m.label.translate(0, top);
    }
    l.g.plot = QRectF(QPointF(left, top + bandHeight),
                      QPointF(right, std::max(top + bandHeight + 1, bottom)));
    for (auto &item : l.legend)
        item.rect.translate(0, l.g.plot.bottom() + axisLabels + pad);

    // Time ticks: the finest spacing whose labels do not touch.
    const double span = double(to - from);
    const qreal slot = timeLabelWidth + 8 * l.pt;
    const int maxTicks = std::max(1, int(l.g.plot.width() / slot));
    l.timeStep = kTimeSteps[std::size(kTimeSteps) - 1];
    for (const qint64 s : kTimeSteps) {
        if (span / double(s) <= maxTicks) {
            l.timeStep = s;
            break;
        }
    }
    const qint64 offset =
        m_options.utc ? 0 : qint64(QDateTime::fromMSecsSinceEpoch(from).offsetFromUtc()) * 1000;
    qint64 tick = (from + offset + l.timeStep - 1) / l.timeStep * l.timeStep - offset;
    for (; tick <= to && l.g.timeTicks.size() < 100; tick += l.timeStep)
        l.g.timeTicks.append(tick);
    return l;
}

ChartGeometry ChartPainter::geometry(const QRectF &rect, QPaintDevice *device) const
{
    return layout(rect, device).g;
}

void ChartPainter::paint(QPainter *painter, const QRectF &rect) const
{
    const Layout l = layout(rect, painter->device());
    const ChartGeometry &g = l.g;
    const ChartPalette &palette = m_options.palette;
    const QFontMetricsF fm(l.font, painter->device());
    const bool rtl = painter->layoutDirection() == Qt::RightToLeft;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setRenderHint(QPainter::TextAntialiasing, true);
    if (m_options.fillBackground)
        painter->fillRect(rect, palette.background);

    if (!m_options.title.isEmpty()) {
        painter->setFont(l.titleFont);
        painter->setPen(palette.text);
        drawLabel(painter, l.titleRect, (rtl ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                  QFontMetricsF(l.titleFont, painter->device())
                      .elidedText(m_options.title, Qt::ElideRight, l.titleRect.width()));
    }

    // Grid and axes.
    const qreal hair = 0.5 * l.pt;
    painter->setFont(l.font);
    for (const double v : g.valueTicks) {
        const qreal y = g.y(v);
        painter->setPen(QPen(palette.grid, hair));
        painter->drawLine(QPointF(g.plot.left(), y), QPointF(g.plot.right(), y));
        painter->setPen(palette.mutedText);
        const QRectF label(rect.left(), y - l.lineHeight / 2,
                           g.plot.left() - rect.left() - 3 * l.pt, l.lineHeight);
        drawLabel(painter, label, Qt::AlignRight | Qt::AlignVCenter,
                  formatDisplay(v, l.unit, l.valueStep));
    }
    const QString timeFormat = l.timeStep < 60'000       ? QStringLiteral("HH:mm:ss")
                               : l.timeStep < 86'400'000 ? QStringLiteral("HH:mm")
                                                         : QStringLiteral("MM-dd");
    for (const qint64 t : g.timeTicks) {
        const qreal x = g.x(t);
        painter->setPen(QPen(palette.grid, hair));
        painter->drawLine(QPointF(x, g.plot.top()), QPointF(x, g.plot.bottom()));
        const QString text =
            QDateTime::fromMSecsSinceEpoch(t, m_options.utc ? Qt::UTC : Qt::LocalTime)
                .toString(timeFormat);
        const qreal w = fm.horizontalAdvance(text);
        // A label that would run into the value axis' labels, or off the chart, is left out.
        if (x - w / 2 < g.plot.left() - 2 * l.pt || x + w / 2 > rect.right())
            continue;
        painter->setPen(palette.mutedText);
        drawLabel(painter,
                  QRectF(x - w / 2 - l.pt, g.plot.bottom() + 2 * l.pt, w + 2 * l.pt, l.lineHeight),
                  Qt::AlignCenter, text);
    }
    painter->setPen(QPen(palette.axis, 0.75 * l.pt));
    painter->drawLine(g.plot.bottomLeft(), g.plot.bottomRight());
    painter->drawLine(g.plot.bottomLeft(), g.plot.topLeft());

    // Thresholds: one dashed line per rule and value, labelled at the right end.
    QList<QPair<QString, double>> drawn;
    for (const auto &s : m_series) {
        for (const auto &th : s.thresholds) {
            if (!std::isfinite(th.value) || drawn.contains(qMakePair(th.rule, th.value)))
                continue;
            drawn.append({th.rule, th.value});
            const QColor colour =
                th.severity == u"critical" ? palette.thresholdCritical : palette.thresholdWarning;
            const qreal y = g.y(th.value);
            QPen pen(colour, 1.0 * l.pt, Qt::CustomDashLine);
            pen.setDashPattern({4, 3});
            pen.setCapStyle(Qt::FlatCap);
            painter->setPen(pen);
            painter->drawLine(QPointF(g.plot.left(), y), QPointF(g.plot.right(), y));
            const QString text =
                QStringLiteral("%1 %2 %3").arg(th.rule, th.op, formatDisplay(th.value, l.unit, 0));
            const qreal w = fm.horizontalAdvance(text) + 2 * l.pt;
            const bool below = y - l.lineHeight < g.plot.top();
            const QRectF label(g.plot.right() - w - 2 * l.pt,
                               below ? y + l.pt : y - l.lineHeight - l.pt, w, l.lineHeight);
            painter->fillRect(label, palette.background);
            painter->setPen(colour);
            drawLabel(painter, label, Qt::AlignCenter, text);
        }
    }

    // The series, clipped to the plot, broken where a step has no point.
    painter->save();
    painter->setClipRect(g.plot.adjusted(-l.pt, -l.pt, l.pt, l.pt));
    for (int i = 0; i < m_series.size(); ++i) {
        const auto &s = m_series.at(i);
        const QColor colour = seriesColour(palette, i);
        QPainterPath path;
        QList<QPointF> lonely;
        qint64 previous = 0;
        bool open = false;
        int runLength = 0;
        QPointF runStart;
        for (const auto &[t, v] : s.points) {
            if (!std::isfinite(v) || t < g.fromMs || t > g.toMs)
                continue;
            const QPointF p(g.x(t), g.y(v));
            const bool gap = s.stepMs > 0 && open && (t - previous) * 2 > s.stepMs * 3;
            if (!open || gap) {
                if (runLength == 1)
                    lonely.append(runStart);
                path.moveTo(p);
                runStart = p;
                runLength = 1;
                open = true;
            } else {
                path.lineTo(p);
                ++runLength;
            }
            previous = t;
        }
        if (runLength == 1)
            lonely.append(runStart);
        QPen pen(colour, 1.25 * l.pt);
        pen.setJoinStyle(Qt::RoundJoin);
        pen.setCapStyle(Qt::RoundCap);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path);
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        for (const auto &p : lonely)
            painter->drawEllipse(p, 1.5 * l.pt, 1.5 * l.pt);
        painter->setBrush(Qt::NoBrush);
    }
    painter->restore();

    if (l.empty) {
        painter->setPen(palette.mutedText);
        drawLabel(painter, g.plot, Qt::AlignCenter, Tr::tr("No data in this period"));
    }

    // Markers: a vertical line across the plot from its label, then the labels on top, on the
    // background colour so that the lines of other markers do not run through them.
    for (const auto &m : l.markers) {
        const QColor colour = markerColour(palette, m.marker.kind);
        QPen pen(colour, 1.0 * l.pt,
                 m.marker.kind == ChartMarker::Kind::Deploy ? Qt::SolidLine : Qt::DashLine);
        pen.setCapStyle(Qt::FlatCap);
        painter->setPen(pen);
        const qreal top = m.label.isNull() ? g.plot.top() : m.label.bottom();
        painter->drawLine(QPointF(m.x, top), QPointF(m.x, g.plot.bottom()));
    }
    for (const auto &m : l.markers) {
        if (m.label.isNull())
            continue;
        painter->fillRect(m.label, palette.background);
        painter->setPen(markerColour(palette, m.marker.kind));
        drawLabel(painter, m.label, Qt::AlignCenter, m.marker.label);
    }

    // The legend, from the leading edge.
    for (const auto &item : l.legend) {
        QRectF r = item.rect;
        if (rtl)
            r.moveLeft(rect.left() + rect.right() - r.right());
        const qreal swatch = 12 * l.pt;
        const QColor colour = seriesColour(palette, item.series);
        const qreal sx = rtl ? r.right() - swatch : r.left();
        painter->setPen(QPen(colour, 2 * l.pt));
        painter->drawLine(QPointF(sx, r.center().y()), QPointF(sx + swatch, r.center().y()));
        painter->setPen(palette.text);
        const QRectF text =
            rtl ? QRectF(r.left(), r.top(), r.width() - swatch - 4 * l.pt, r.height())
                : QRectF(r.left() + swatch + 4 * l.pt, r.top(), r.width() - swatch - 4 * l.pt,
                         r.height());
        drawLabel(
            painter, text, Qt::AlignVCenter | (rtl ? Qt::AlignRight : Qt::AlignLeft),
            fm.elidedText(seriesName(m_series.at(item.series)), Qt::ElideRight, text.width()));
    }
    painter->restore();
}

} // namespace rwd::client::charts
