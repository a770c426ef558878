#include "graphrenderer.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace rwd::client::graph {

namespace {

template<std::size_t N>
QColor pick(const QColor (&colors)[N], int index)
{
    return colors[std::clamp<std::size_t>(std::size_t(std::max(index, 0)), 0, N - 1)];
}

// Text smaller than this on screen is unreadable; nodes are then drawn as plain boxes.
constexpr qreal kLegibleTextPixels = 5;
constexpr qreal kArrowLength = 8;
constexpr qreal kRingGap = 4;
constexpr qreal kRingWidth = 3;
constexpr qreal kBadgeRadius = 10;
constexpr qreal kCaptionInset = 12;
constexpr qreal kCaptionPadding = 14;

QRectF boundsOf(const QList<QPointF> &points)
{
    if (points.isEmpty())
        return {};
    qreal left = points.first().x(), right = left;
    qreal top = points.first().y(), bottom = top;
    for (const auto &p : points) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    return QRectF(QPointF(left, top), QPointF(right, bottom));
}

bool touches(const QRectF &box, const QRectF &visible)
{
    // QRectF::intersects() is false for a zero-height box: a horizontal segment.
    return box.left() <= visible.right() && box.right() >= visible.left() &&
           box.top() <= visible.bottom() && box.bottom() >= visible.top();
}

struct Cubic
{
    QPointF p0, p1, p2, p3;

    [[nodiscard]] QPointF at(qreal t) const
    {
        const qreal u = 1 - t;
        return p0 * (u * u * u) + p1 * (3 * u * u * t) + p2 * (3 * u * t * t) + p3 * (t * t * t);
    }

    // The part between t0 and t1, by de Casteljau's construction.
    [[nodiscard]] Cubic section(qreal t0, qreal t1) const
    {
        const auto before = [](const Cubic &c, qreal t) {
            const QPointF a = c.p0 + (c.p1 - c.p0) * t, b = c.p1 + (c.p2 - c.p1) * t,
                          d = c.p2 + (c.p3 - c.p2) * t;
            const QPointF ab = a + (b - a) * t, bd = b + (d - b) * t;
            return Cubic{c.p0, a, ab, ab + (bd - ab) * t};
        };
        const auto after = [](const Cubic &c, qreal t) {
            const QPointF a = c.p0 + (c.p1 - c.p0) * t, b = c.p1 + (c.p2 - c.p1) * t,
                          d = c.p2 + (c.p3 - c.p2) * t;
            const QPointF ab = a + (b - a) * t, bd = b + (d - b) * t;
            return Cubic{ab + (bd - ab) * t, bd, d, c.p3};
        };
        const Cubic head = before(*this, t1);
        return t1 > 0 ? after(head, t0 / t1) : head;
    }
};

// The parameters where a coordinate of the curve (monotone in t: the control points of an edge
// curve are) lies within [lo, hi]; an empty interval when it never does.
std::pair<qreal, qreal> parametersWithin(const Cubic &c, bool vertical, qreal lo, qreal hi)
{
    const auto coordinate = [&](qreal t) { return vertical ? c.at(t).y() : c.at(t).x(); };
    const qreal first = coordinate(0), last = coordinate(1);
    const bool increasing = first <= last;
    const auto solve = [&](qreal value) {
        qreal a = 0, b = 1;
        for (int i = 0; i < 40; ++i) {
            const qreal m = (a + b) / 2;
            if ((coordinate(m) < value) == increasing)
                a = m;
            else
                b = m;
        }
        return (a + b) / 2;
    };
    const qreal low = std::min(first, last), high = std::max(first, last);
    if (hi < low || lo > high)
        return {1, 0};
    const qreal tLo = lo <= low ? (increasing ? 0 : 1) : solve(lo);
    const qreal tHi = hi >= high ? (increasing ? 1 : 0) : solve(hi);
    return {std::min(tLo, tHi), std::max(tLo, tHi)};
}

// The edge as a path with horizontal tangents between columns (an S-curve from one column to
// the next, straight through a column), ending `arrowLength` short of the last point so that
// the line does not poke through the arrow's tip. `direction` receives the unit direction at the
// end, for the arrowhead. Only what lies within `visible` is kept: an edge of a large graph may
// run for thousands of pixels beyond the view, and stroking all of it would cost a frame.
QPainterPath edgePath(const SceneEdge &edge, qreal arrowLength, const QRectF &visible,
                      QPointF &direction)
{
    const auto &p = edge.points;
    QPainterPath path;
    const auto continueAt = [&](const QPointF &start) {
        if (path.isEmpty() || path.currentPosition() != start)
            path.moveTo(start);
    };
    for (qsizetype i = 0; i + 1 < p.size(); ++i) {
        const QPointF from = p.at(i);
        QPointF to = p.at(i + 1);
        const bool last = i + 2 == p.size();
        const qreal dx = to.x() - from.x();
        const bool curved =
            !edge.selfLoop && std::abs(dx) >= 1 && std::abs(to.y() - from.y()) >= 0.5;
        QPointF unit(dx > 0 ? 1 : -1, 0);
        if (!curved) {
            const QPointF d = to - from;
            const qreal length = std::hypot(d.x(), d.y());
            unit = length > 0 ? d / length : QPointF(1, 0);
        }
        if (last) {
            direction = unit;
            to -= unit * arrowLength * 0.8;
        }
        const QRectF box = QRectF(from, to).normalized();
        if (!touches(box, visible))
            continue;
        if (!curved) {
            continueAt(from);
            path.lineTo(to);
            continue;
        }
        const qreal half = (to.x() - from.x()) / 2;
        Cubic curve{from, from + QPointF(half, 0), to - QPointF(half, 0), to};
        if (!visible.contains(box)) {
            const auto [x0, x1] = parametersWithin(curve, false, visible.left(), visible.right());
            const auto [y0, y1] = parametersWithin(curve, true, visible.top(), visible.bottom());
            const qreal t0 = std::max(x0, y0), t1 = std::min(x1, y1);
            if (t0 >= t1)
                continue;
            curve = curve.section(t0, t1);
        }
        continueAt(curve.p0);
        path.cubicTo(curve.p1, curve.p2, curve.p3);
    }
    return path;
}

QPolygonF arrowHead(const QPointF &tip, const QPointF &direction, qreal length)
{
    const QPointF normal(-direction.y(), direction.x());
    const QPointF base = tip - direction * length;
    return QPolygonF({tip, base + normal * length * 0.45, base - normal * length * 0.45});
}

QFont pixelSized(const QFont &base, int pixels, QFont::Weight weight)
{
    QFont font = base;
    font.setPixelSize(pixels);
    font.setWeight(weight);
    return font;
}

} // namespace

// ---- palette -----------------------------------------------------------------------------------

QColor GraphPalette::fill(Health health) const
{
    return pick(healthFill, int(health));
}

QColor GraphPalette::accent(Health health) const
{
    return pick(healthAccent, int(health));
}

QColor GraphPalette::stepColor(StepState state) const
{
    return pick(step, int(state));
}

GraphPalette GraphPalette::light()
{
    GraphPalette p;
    p.background = QColor(0xf6, 0xf7, 0xf9);
    p.edge = QColor(0x9a, 0xa3, 0xae);
    // Selection is drawn in the text colour: neutral, and never mistaken for a health or a
    // step state (the running state is blue).
    p.edgeHighlight = QColor(0x1f, 0x23, 0x28);
    p.planEdge = QColor(0x7c, 0x3a, 0xed);
    p.text = QColor(0x1f, 0x23, 0x28);
    p.secondaryText = QColor(0x57, 0x60, 0x6a);
    p.selection = QColor(0x1f, 0x23, 0x28);
    p.badgeText = QColor(0xff, 0xff, 0xff);
    p.captionBackground = QColor(0xff, 0xff, 0xff, 0xe8);
    // Unknown, Healthy, Degraded, Failing.
    p.healthFill[0] = QColor(0xec, 0xee, 0xf1);
    p.healthFill[1] = QColor(0xdc, 0xf3, 0xe3);
    p.healthFill[2] = QColor(0xfd, 0xf0, 0xcf);
    p.healthFill[3] = QColor(0xfd, 0xdf, 0xdf);
    p.healthAccent[0] = QColor(0x8c, 0x95, 0x9f);
    p.healthAccent[1] = QColor(0x2e, 0x7d, 0x32);
    p.healthAccent[2] = QColor(0xb7, 0x79, 0x1f);
    p.healthAccent[3] = QColor(0xc6, 0x28, 0x28);
    // Pending, Running, Succeeded, Failed, Skipped.
    p.step[0] = QColor(0x6e, 0x77, 0x81);
    p.step[1] = QColor(0x1f, 0x6f, 0xeb);
    p.step[2] = QColor(0x2e, 0x7d, 0x32);
    p.step[3] = QColor(0xc6, 0x28, 0x28);
    p.step[4] = QColor(0xa0, 0xa8, 0xb1);
    return p;
}

GraphPalette GraphPalette::dark()
{
    GraphPalette p;
    p.background = QColor(0x16, 0x19, 0x1d);
    p.edge = QColor(0x5c, 0x66, 0x70);
    p.edgeHighlight = QColor(0xe6, 0xed, 0xf3);
    p.planEdge = QColor(0xa7, 0x8b, 0xfa);
    p.text = QColor(0xe6, 0xed, 0xf3);
    p.secondaryText = QColor(0x9b, 0xa6, 0xb1);
    p.selection = QColor(0xe6, 0xed, 0xf3);
    p.badgeText = QColor(0x0d, 0x11, 0x17);
    p.captionBackground = QColor(0x22, 0x27, 0x2e, 0xe8);
    p.healthFill[0] = QColor(0x26, 0x2b, 0x31);
    p.healthFill[1] = QColor(0x17, 0x35, 0x1f);
    p.healthFill[2] = QColor(0x3b, 0x2e, 0x10);
    p.healthFill[3] = QColor(0x3f, 0x1a, 0x1a);
    p.healthAccent[0] = QColor(0x7d, 0x85, 0x90);
    p.healthAccent[1] = QColor(0x3f, 0xb9, 0x50);
    p.healthAccent[2] = QColor(0xd2, 0x99, 0x22);
    p.healthAccent[3] = QColor(0xf8, 0x51, 0x49);
    p.step[0] = QColor(0x8b, 0x94, 0x9e);
    p.step[1] = QColor(0x58, 0xa6, 0xff);
    p.step[2] = QColor(0x3f, 0xb9, 0x50);
    p.step[3] = QColor(0xf8, 0x51, 0x49);
    p.step[4] = QColor(0x48, 0x4f, 0x58);
    return p;
}

// ---- style -------------------------------------------------------------------------------------

GraphStyle::GraphStyle()
    : GraphStyle(QGuiApplication::font())
{}

GraphStyle::GraphStyle(const QFont &base)
    : titleFont(pixelSized(base, 13, QFont::DemiBold))
    , detailFont(pixelSized(base, 11, QFont::Normal))
    , badgeFont(pixelSized(base, 11, QFont::Bold))
{}

QSizeF GraphStyle::nodeSize(const QString &title, const QString &detail) const
{
    const QFontMetricsF titleMetrics(titleFont);
    const QFontMetricsF detailMetrics(detailFont);
    const qreal content = std::max(titleMetrics.horizontalAdvance(title) + markSize + 6,
                                   detailMetrics.horizontalAdvance(detail));
    qreal width = std::ceil((content + 2 * padding) / widthStep) * widthStep;
    width = std::clamp(width, minWidth, std::max(minWidth, maxWidth));
    const qreal height =
        std::ceil(2 * padding + titleMetrics.height() + lineGap + detailMetrics.height());
    return {width, height};
}

// ---- renderer ----------------------------------------------------------------------------------

GraphRenderer::GraphRenderer(const GraphStyle &style, const GraphPalette &palette)
    : m_style(style)
    , m_palette(palette)
{}

void GraphRenderer::paint(QPainter &painter, const GraphScene &scene, const GraphViewport &viewport,
                          const QSizeF &viewSize, const QString &selectedId) const
{
    painter.save();
    const QRectF viewRect(QPointF(0, 0), viewSize);
    painter.fillRect(viewRect, m_palette.background);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    if (scene.nodes.isEmpty()) {
        painter.setPen(m_palette.secondaryText);
        painter.setFont(m_style.titleFont);
        painter.drawText(viewRect, Qt::AlignCenter | Qt::TextWordWrap, scene.placeholder);
        painter.restore();
        return;
    }

    const qreal zoom = viewport.zoom();
    // Rings, badges and arrowheads reach a little beyond the rectangles and polylines.
    const qreal reach = kRingGap + kRingWidth + kBadgeRadius + 4;
    const QRectF visible = viewport.toScene(viewRect).adjusted(-reach, -reach, reach, reach);
    const int selected = scene.indexOf(selectedId);
    const bool detailed = m_style.detailFont.pixelSize() * zoom >= kLegibleTextPixels;

    painter.save();
    painter.setTransform(viewport.transform(), true);
    paintEdges(painter, scene, visible, zoom, selected);
    for (const auto &node : scene.nodes) {
        if (node.rect.intersects(visible))
            paintNode(painter, node, detailed);
    }
    // Rings and badges go over every node, since a badge overhangs its node's corner.
    for (const auto &node : scene.nodes) {
        if (node.planOrder > 0 && node.rect.intersects(visible))
            paintOverlay(painter, node, detailed);
    }
    if (selected >= 0) {
        const auto &node = scene.nodes.at(selected);
        const qreal gap = node.planOrder > 0 ? kRingGap + kRingWidth + 2 : 4;
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(m_palette.selection, std::max(2.5, 1.5 / zoom)));
        const qreal radius = m_style.cornerRadius + gap;
        painter.drawRoundedRect(node.rect.adjusted(-gap, -gap, gap, gap), radius, radius);
    }
    painter.restore();

    if (!scene.overlayCaption.isEmpty())
        paintCaption(painter, scene.overlayCaption);
    painter.restore();
}

void GraphRenderer::paintEdges(QPainter &painter, const GraphScene &scene, const QRectF &visible,
                               qreal zoom, int selected) const
{
    // Emphasised edges are never thinner than one logical pixel on screen, however far out the
    // view is zoomed.
    const qreal hairline = 1.0 / zoom;
    enum Kind
    {
        Normal,
        Plan,
        Highlight,
    };
    const auto kindOf = [&](const SceneEdge &edge) {
        if (selected >= 0 && (edge.from == selected || edge.to == selected))
            return Highlight;
        return edge.inPlan ? Plan : Normal;
    };
    // Highlighted edges last, so they are drawn over the others.
    for (const Kind kind : {Normal, Plan, Highlight}) {
        // Ordinary edges are one device pixel wide (a cosmetic pen): QPainter rasterises those on
        // a fast path, about six times faster than a 1.4 px stroke, and a large graph has
        // hundreds of them in view. The few emphasised ones are stroked wider.
        QPen pen(m_palette.edge, 1, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        pen.setCosmetic(true);
        qreal arrow = kArrowLength;
        if (kind != Normal) {
            pen.setColor(kind == Plan ? m_palette.planEdge : m_palette.edgeHighlight);
            pen.setCosmetic(false);
            pen.setWidthF(std::max(kind == Plan ? 2.4 : 2.2, hairline));
            arrow = kArrowLength * std::max(1.0, pen.widthF() / 1.6);
        }
        const QColor color = pen.color();
        painter.setPen(pen);
        for (const auto &edge : scene.edges) {
            if (edge.points.size() < 2 || kindOf(edge) != kind ||
                !boundsOf(edge.points).adjusted(-arrow, -arrow, arrow, arrow).intersects(visible))
                continue;
            QPointF direction(1, 0);
            const QPainterPath path = edgePath(edge, arrow, visible, direction);
            painter.setBrush(Qt::NoBrush);
            painter.drawPath(path);
            painter.setBrush(color);
            painter.drawPolygon(arrowHead(edge.points.last(), direction, arrow));
        }
    }
}

void GraphRenderer::paintNode(QPainter &painter, const SceneNode &node, bool detailed) const
{
    const QRectF &r = node.rect;
    const qreal radius = m_style.cornerRadius;
    painter.setPen(QPen(m_palette.accent(node.health), 1.5));
    painter.setBrush(m_palette.fill(node.health));
    painter.drawRoundedRect(r, radius, radius);
    if (!detailed)
        return;

    const QFontMetricsF titleMetrics(m_style.titleFont);
    const QFontMetricsF detailMetrics(m_style.detailFont);
    const qreal pad = m_style.padding;
    const QRectF titleRect(r.left() + pad, r.top() + pad,
                           r.width() - 2 * pad - m_style.markSize - 4, titleMetrics.height());
    const QRectF detailRect(r.left() + pad, titleRect.bottom() + m_style.lineGap,
                            r.width() - 2 * pad, detailMetrics.height());
    paintHealthMark(painter,
                    QPointF(r.right() - pad - m_style.markSize / 2, titleRect.center().y()),
                    node.health);
    painter.setPen(m_palette.text);
    painter.setFont(m_style.titleFont);
    painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                     titleMetrics.elidedText(node.id, Qt::ElideRight, titleRect.width()));
    painter.setPen(m_palette.secondaryText);
    painter.setFont(m_style.detailFont);
    painter.drawText(detailRect, Qt::AlignLeft | Qt::AlignVCenter,
                     detailMetrics.elidedText(node.detail, Qt::ElideRight, detailRect.width()));
}

// A mark that tells the health apart by shape as well as colour: a tick, an exclamation mark, a
// cross, or a dash for unknown.
void GraphRenderer::paintHealthMark(QPainter &painter, const QPointF &c, Health health) const
{
    const qreal r = m_style.markSize / 2;
    painter.setPen(Qt::NoPen);
    painter.setBrush(m_palette.accent(health));
    painter.drawEllipse(c, r, r);
    QPen pen(m_palette.fill(health), std::max(1.5, r / 3.5), Qt::SolidLine, Qt::RoundCap,
             Qt::RoundJoin);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    const qreal s = r * 0.5;
    switch (health) {
    case Health::Healthy:
        painter.drawPolyline(QPolygonF(
            {c + QPointF(-s, 0), c + QPointF(-s * 0.25, s * 0.7), c + QPointF(s, -s * 0.6)}));
        break;
    case Health::Degraded:
        painter.drawLine(c + QPointF(0, -s), c + QPointF(0, s * 0.25));
        painter.drawPoint(c + QPointF(0, s * 0.9));
        break;
    case Health::Failing:
        painter.drawLine(c + QPointF(-s * 0.8, -s * 0.8), c + QPointF(s * 0.8, s * 0.8));
        painter.drawLine(c + QPointF(-s * 0.8, s * 0.8), c + QPointF(s * 0.8, -s * 0.8));
        break;
    case Health::Unknown:
        painter.drawLine(c + QPointF(-s * 0.8, 0), c + QPointF(s * 0.8, 0));
        break;
    }
}

void GraphRenderer::paintOverlay(QPainter &painter, const SceneNode &node, bool detailed) const
{
    const QColor color = m_palette.stepColor(node.planState);
    const QRectF ring = node.rect.adjusted(-kRingGap, -kRingGap, kRingGap, kRingGap);
    // Pending is dashed and skipped dotted: both are "not done", told apart from done by shape.
    Qt::PenStyle style = Qt::SolidLine;
    if (node.planState == StepState::Pending)
        style = Qt::DashLine;
    else if (node.planState == StepState::Skipped)
        style = Qt::DotLine;
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(color, kRingWidth, style, Qt::FlatCap, Qt::RoundJoin));
    const qreal radius = m_style.cornerRadius + kRingGap;
    painter.drawRoundedRect(ring, radius, radius);

    const QString number = QString::number(node.planOrder);
    const QFontMetricsF metrics(m_style.badgeFont);
    const qreal width = std::max(2 * kBadgeRadius, metrics.horizontalAdvance(number) + 10);
    // Centred on the ring's top-left corner: it overhangs the node without covering its name.
    const QRectF badge(ring.left() - width / 2, ring.top() - kBadgeRadius, width, 2 * kBadgeRadius);
    painter.setPen(QPen(m_palette.background, 2));
    painter.setBrush(color);
    painter.drawRoundedRect(badge, kBadgeRadius, kBadgeRadius);
    if (!detailed)
        return;
    painter.setPen(m_palette.badgeText);
    painter.setFont(m_style.badgeFont);
    painter.drawText(badge, Qt::AlignCenter, number);
}

qreal GraphRenderer::captionBottom() const
{
    return kCaptionInset + QFontMetricsF(m_style.titleFont).height() + kCaptionPadding;
}

QRectF GraphRenderer::fitArea(const GraphScene &scene, const QSizeF &viewSize, qreal margin) const
{
    const qreal top = scene.overlayCaption.isEmpty() ? margin : captionBottom() + 12;
    return {margin, top, viewSize.width() - 2 * margin, viewSize.height() - top - margin};
}

void GraphRenderer::paintCaption(QPainter &painter, const QString &caption) const
{
    const QFontMetricsF metrics(m_style.titleFont);
    const QRectF box(kCaptionInset, kCaptionInset, metrics.horizontalAdvance(caption) + 24,
                     metrics.height() + kCaptionPadding);
    painter.setPen(QPen(m_palette.planEdge, 1.5));
    painter.setBrush(m_palette.captionBackground);
    painter.drawRoundedRect(box, 6, 6);
    painter.setPen(m_palette.text);
    painter.setFont(m_style.titleFont);
    painter.drawText(box, Qt::AlignCenter, caption);
}

} // namespace rwd::client::graph
