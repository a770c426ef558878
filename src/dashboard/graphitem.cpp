#include "graphitem.h"

#include <QGuiApplication>
#include <QPainter>
#include <QStyleHints>
#include <QtQml>

#include <cmath>

namespace rwd::dashboard {

namespace {

constexpr qreal kZoomStep = 1.25;
constexpr qreal kPanStep = 48;
// One notch of a mouse wheel (120 eighths of a degree) zooms by about 20 %.
constexpr qreal kWheelZoomPerUnit = 1.0015;

} // namespace

DependencyGraphView::DependencyGraphView(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAcceptedMouseButtons(Qt::LeftButton);
    setActiveFocusOnTab(true);
    setAntialiasing(true);
    // The renderer fills the whole item with the palette's background.
    setOpaquePainting(true);
}

void DependencyGraphView::setGraph(client::DependencyGraph *graph)
{
    if (graph == m_graph)
        return;
    if (m_graph)
        disconnect(m_graph, nullptr, this, nullptr);
    m_graph = graph;
    if (graph) {
        // changed() follows every layoutChanged(), and the rollback caption comes and goes
        // without a new layout: a fitted view refits on each.
        connect(graph, &client::DependencyGraph::changed, this,
                &DependencyGraphView::onGraphChanged);
        connect(graph, &QObject::destroyed, this, [this] {
            emit graphChanged();
            update();
        });
    }
    emit graphChanged();
    onGraphChanged();
}

void DependencyGraphView::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    emit darkChanged();
    update();
}

void DependencyGraphView::setSelectedService(const QString &name)
{
    if (name == m_selected)
        return;
    m_selected = name;
    emit selectedServiceChanged();
    update();
}

void DependencyGraphView::setAutoFit(bool autoFit)
{
    if (autoFit == m_autoFit)
        return;
    m_autoFit = autoFit;
    emit autoFitChanged();
    if (autoFit)
        fitToView();
}

void DependencyGraphView::fitViewport()
{
    if (!m_graph)
        return;
    const auto &scene = m_graph->scene();
    m_renderer.setStyle(m_graph->style());
    m_viewport.fitInto(scene.bounds, m_renderer.fitArea(scene, size()));
}

void DependencyGraphView::fitToView()
{
    fitViewport();
    if (!m_autoFit) {
        m_autoFit = true;
        emit autoFitChanged();
    }
    emit viewportChanged();
    update();
}

void DependencyGraphView::userMovedView()
{
    if (m_autoFit) {
        m_autoFit = false;
        emit autoFitChanged();
    }
    emit viewportChanged();
    update();
}

void DependencyGraphView::zoomIn()
{
    zoomAround(width() / 2, height() / 2, kZoomStep);
}

void DependencyGraphView::zoomOut()
{
    zoomAround(width() / 2, height() / 2, 1 / kZoomStep);
}

void DependencyGraphView::zoomAround(qreal x, qreal y, qreal factor)
{
    m_viewport.zoomAround(QPointF(x, y), factor);
    userMovedView();
}

void DependencyGraphView::panBy(qreal dx, qreal dy)
{
    m_viewport.panBy(QPointF(dx, dy));
    userMovedView();
}

void DependencyGraphView::showService(const QString &name)
{
    if (!m_graph)
        return;
    const int index = m_graph->scene().indexOf(name);
    if (index < 0)
        return;
    const auto before = m_viewport;
    m_viewport.ensureVisible(m_graph->scene().nodes.at(index).rect, size());
    if (!(before == m_viewport))
        userMovedView();
}

QString DependencyGraphView::serviceAt(qreal x, qreal y) const
{
    if (!m_graph)
        return {};
    const auto &scene = m_graph->scene();
    const int index = scene.nodeAt(m_viewport.toScene(QPointF(x, y)));
    return index >= 0 ? scene.nodes.at(index).id : QString();
}

void DependencyGraphView::onGraphChanged()
{
    if (m_autoFit && m_graph) {
        const auto before = m_viewport;
        fitViewport();
        if (!(before == m_viewport))
            emit viewportChanged();
    }
    update();
}

void DependencyGraphView::paint(QPainter *painter)
{
    static const client::graph::GraphScene empty;
    if (m_graph)
        m_renderer.setStyle(m_graph->style());
    m_renderer.setPalette(m_dark ? client::graph::GraphPalette::dark()
                                 : client::graph::GraphPalette::light());
    m_renderer.paint(*painter, m_graph ? m_graph->scene() : empty, m_viewport, size(), m_selected);
}

void DependencyGraphView::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size() && m_autoFit)
        onGraphChanged();
}

void DependencyGraphView::mousePressEvent(QMouseEvent *event)
{
    forceActiveFocus(Qt::MouseFocusReason);
    m_pressPosition = m_lastPosition = event->position();
    m_dragging = false;
    event->accept();
}

void DependencyGraphView::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF position = event->position();
    if (!m_dragging && (position - m_pressPosition).manhattanLength() >=
                           QGuiApplication::styleHints()->startDragDistance()) {
        m_dragging = true;
        // A surrounding Flickable must not take the drag over.
        setKeepMouseGrab(true);
    }
    if (m_dragging) {
        m_viewport.panBy(position - m_lastPosition);
        userMovedView();
    }
    m_lastPosition = position;
    event->accept();
}

void DependencyGraphView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragging)
        setSelectedService(serviceAt(event->position().x(), event->position().y()));
    m_dragging = false;
    setKeepMouseGrab(false);
    event->accept();
}

void DependencyGraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QString name = serviceAt(event->position().x(), event->position().y());
    if (!name.isEmpty()) {
        setSelectedService(name);
        emit serviceActivated(name);
    }
    event->accept();
}

void DependencyGraphView::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        event->ignore();
        return;
    }
    zoomAround(event->position().x(), event->position().y(), std::pow(kWheelZoomPerUnit, delta));
    event->accept();
}

void DependencyGraphView::selectIndex(int index)
{
    if (!m_graph || index < 0)
        return;
    const auto &node = m_graph->scene().nodes.at(index);
    setSelectedService(node.id);
    showService(node.id);
}

void DependencyGraphView::keyPressEvent(QKeyEvent *event)
{
    static const client::graph::GraphScene empty;
    const auto &scene = m_graph ? m_graph->scene() : empty;
    const int selected = scene.indexOf(m_selected);
    const bool control = event->modifiers() & Qt::ControlModifier;
    const auto arrow = [&](client::graph::Direction direction, qreal dx, qreal dy) {
        if (!control) {
            panBy(dx, dy);
            return;
        }
        // With nothing selected, start from the first node in reading order.
        selectIndex(selected < 0 ? scene.stepInReadingOrder(-1, 1)
                                 : scene.neighbourInDirection(selected, direction));
    };
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_0:
        fitToView();
        break;
    case Qt::Key_Left:
        arrow(client::graph::Direction::Left, kPanStep, 0);
        break;
    case Qt::Key_Right:
        arrow(client::graph::Direction::Right, -kPanStep, 0);
        break;
    case Qt::Key_Up:
        arrow(client::graph::Direction::Up, 0, kPanStep);
        break;
    case Qt::Key_Down:
        arrow(client::graph::Direction::Down, 0, -kPanStep);
        break;
    case Qt::Key_Tab:
    case Qt::Key_Backtab: {
        const bool back =
            event->key() == Qt::Key_Backtab || (event->modifiers() & Qt::ShiftModifier);
        const int next = scene.stepInReadingOrder(selected, back ? -1 : 1);
        if (next < 0) {
            // Past the last (or first) node: let focus move on to the next item.
            event->ignore();
            return;
        }
        selectIndex(next);
        break;
    }
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (selected < 0) {
            event->ignore();
            return;
        }
        emit serviceActivated(m_selected);
        break;
    case Qt::Key_Escape:
        if (m_selected.isEmpty()) {
            event->ignore();
            return;
        }
        setSelectedService({});
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

void registerGraphTypes()
{
    qmlRegisterType<DependencyGraphView>("Rewind.Core", 1, 0, "DependencyGraphView");
    qmlRegisterUncreatableType<client::DependencyGraph>(
        "Rewind.Core", 1, 0, "DependencyGraph",
        QStringLiteral("DependencyGraph is created by the dashboard's C++ core"));
}

} // namespace rwd::dashboard
