#include "graphwidget.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace rwd::web {

GraphWidget::GraphWidget(client::DependencyGraph *graph, QWidget *parent)
    : QWidget(parent)
    , m_graph(graph)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
    connect(graph, &client::DependencyGraph::changed, this, [this] {
        if (m_autoFit)
            fit();
        update();
    });
}

void GraphWidget::setDark(bool dark)
{
    m_dark = dark;
    update();
}

void GraphWidget::fit()
{
    const auto &scene = m_graph->scene();
    m_renderer.setStyle(m_graph->style());
    m_viewport.fitInto(scene.bounds, m_renderer.fitArea(scene, size()));
}

void GraphWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    m_renderer.setStyle(m_graph->style());
    m_renderer.setPalette(m_dark ? client::graph::GraphPalette::dark()
                                 : client::graph::GraphPalette::light());
    m_renderer.paint(painter, m_graph->scene(), m_viewport, size());
}

void GraphWidget::resizeEvent(QResizeEvent *)
{
    if (m_autoFit)
        fit();
}

void GraphWidget::wheelEvent(QWheelEvent *event)
{
    // One notch (120) zooms by about 20 %, as on the desktop.
    const qreal factor = std::pow(1.0015, event->angleDelta().y());
    m_viewport.zoomAround(event->position(), factor);
    m_autoFit = false;
    update();
}

void GraphWidget::mousePressEvent(QMouseEvent *event)
{
    m_dragFrom = event->position();
}

void GraphWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    m_viewport.panBy(event->position() - m_dragFrom);
    m_dragFrom = event->position();
    m_autoFit = false;
    update();
}

void GraphWidget::mouseDoubleClickEvent(QMouseEvent *)
{
    m_autoFit = true;
    fit();
    update();
}

} // namespace rwd::web
