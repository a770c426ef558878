#include "graphviewport.h"

#include <algorithm>
#include <cmath>

namespace rwd::client::graph {

void GraphViewport::setZoom(qreal zoom)
{
    if (!std::isfinite(zoom))
        return;
    m_zoom = std::clamp(zoom, MinZoom, MaxZoom);
}

QTransform GraphViewport::transform() const
{
    return QTransform(m_zoom, 0, 0, m_zoom, m_offset.x(), m_offset.y());
}

QPointF GraphViewport::toView(const QPointF &scenePoint) const
{
    return scenePoint * m_zoom + m_offset;
}

QPointF GraphViewport::toScene(const QPointF &viewPoint) const
{
    return (viewPoint - m_offset) / m_zoom;
}

QRectF GraphViewport::toView(const QRectF &sceneRect) const
{
    return QRectF(toView(sceneRect.topLeft()), sceneRect.size() * m_zoom);
}

QRectF GraphViewport::toScene(const QRectF &viewRect) const
{
    return QRectF(toScene(viewRect.topLeft()), viewRect.size() / m_zoom);
}

void GraphViewport::zoomAround(const QPointF &viewPoint, qreal factor)
{
    if (!std::isfinite(factor) || factor <= 0)
        return;
    const QPointF anchor = toScene(viewPoint);
    setZoom(m_zoom * factor);
    m_offset = viewPoint - anchor * m_zoom;
}

void GraphViewport::fit(const QRectF &sceneRect, const QSizeF &viewSize, qreal margin,
                        qreal maxZoom)
{
    fitInto(sceneRect,
            QRectF(margin, margin, viewSize.width() - 2 * margin, viewSize.height() - 2 * margin),
            maxZoom);
}

void GraphViewport::fitInto(const QRectF &sceneRect, const QRectF &viewArea, qreal maxZoom)
{
    qreal zoom = maxZoom;
    if (sceneRect.width() > 0 && viewArea.width() > 0)
        zoom = std::min(zoom, viewArea.width() / sceneRect.width());
    if (sceneRect.height() > 0 && viewArea.height() > 0)
        zoom = std::min(zoom, viewArea.height() / sceneRect.height());
    setZoom(zoom);
    m_offset = viewArea.center() - sceneRect.center() * m_zoom;
}

void GraphViewport::ensureVisible(const QRectF &sceneRect, const QSizeF &viewSize, qreal margin)
{
    const QRectF wanted = toView(sceneRect).adjusted(-margin, -margin, margin, margin);
    QPointF shift;
    if (wanted.width() > viewSize.width() || wanted.left() < 0)
        shift.rx() = -wanted.left();
    else if (wanted.right() > viewSize.width())
        shift.rx() = viewSize.width() - wanted.right();
    if (wanted.height() > viewSize.height() || wanted.top() < 0)
        shift.ry() = -wanted.top();
    else if (wanted.bottom() > viewSize.height())
        shift.ry() = viewSize.height() - wanted.bottom();
    m_offset += shift;
}

} // namespace rwd::client::graph
