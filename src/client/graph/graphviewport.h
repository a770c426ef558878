#pragma once

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QTransform>

namespace rwd::client::graph {

// Where the scene sits in a view: view = scene × zoom + offset, in logical pixels (the device
// pixel ratio is the painter's business, not the viewport's). Shared by every shell so that pan,
// zoom and hit testing behave the same on the desktop and in the browser.
class GraphViewport
{
public:
    static constexpr qreal MinZoom = 0.02;
    static constexpr qreal MaxZoom = 4.0;

    [[nodiscard]] qreal zoom() const { return m_zoom; }
    [[nodiscard]] QPointF offset() const { return m_offset; }
    // Clamped to [MinZoom, MaxZoom]; the offset is kept as it is.
    void setZoom(qreal zoom);
    void setOffset(const QPointF &offset) { m_offset = offset; }

    [[nodiscard]] QTransform transform() const;
    [[nodiscard]] QPointF toView(const QPointF &scenePoint) const;
    [[nodiscard]] QPointF toScene(const QPointF &viewPoint) const;
    [[nodiscard]] QRectF toView(const QRectF &sceneRect) const;
    [[nodiscard]] QRectF toScene(const QRectF &viewRect) const;

    void panBy(const QPointF &viewDelta) { m_offset += viewDelta; }
    // Multiplies the zoom by `factor` (then clamps it) so that the scene point under `viewPoint`
    // stays under it.
    void zoomAround(const QPointF &viewPoint, qreal factor);
    // Shows the whole of `sceneRect` centred in a view of `viewSize`, leaving `margin` on each
    // side, never enlarging beyond `maxZoom` (a small graph stays at its natural size).
    void fit(const QRectF &sceneRect, const QSizeF &viewSize, qreal margin = 24,
             qreal maxZoom = 1.0);
    // The same into an area of the view (e.g. below a caption).
    void fitInto(const QRectF &sceneRect, const QRectF &viewArea, qreal maxZoom = 1.0);
    // Pans as little as possible so that `sceneRect` (plus `margin`) is inside the view; a rect
    // larger than the view gets its top-left corner shown.
    void ensureVisible(const QRectF &sceneRect, const QSizeF &viewSize, qreal margin = 24);

    bool operator==(const GraphViewport &) const = default;

private:
    qreal m_zoom = 1.0;
    QPointF m_offset;
};

} // namespace rwd::client::graph
