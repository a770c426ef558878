#pragma once

#include "client/graph/dependencygraph.h"
#include "client/graph/graphrenderer.h"
#include "client/graph/graphviewport.h"

#include <QPointer>
#include <QQuickPaintedItem>

namespace rwd::dashboard {

// The dependency graph in QML: paints a client::DependencyGraph with the core's GraphRenderer
// and turns mouse, wheel and keys into the core's viewport and selection. All drawing and hit
// testing is in src/client/graph, so the browser build's widget behaves the same.
//
// Mouse: drag pans, the wheel zooms around the cursor, a click selects the node under it (or
// clears the selection), a double click activates it. Keys (with focus): + and - zoom, 0 fits
// the graph to the view, the arrow keys pan, Ctrl+arrow selects the nearest node in that
// direction, Tab and Shift+Tab walk the nodes in reading order (and leave the view past the
// last or first), Enter, Return or Space activate the selected node, Escape clears the selection.
//
// Until the user pans or zooms, the view refits the graph whenever it changes or the item is
// resized (autoFit), keeping it clear of the rollback caption; 0 or fitToView() turns that back
// on.
class DependencyGraphView : public QQuickPaintedItem
{
    Q_OBJECT
    Q_PROPERTY(rwd::client::DependencyGraph *graph READ graph WRITE setGraph NOTIFY graphChanged)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY darkChanged)
    // The selected service's name, "" for none. Kept when the service disappears from the graph
    // (it is highlighted again if it comes back).
    Q_PROPERTY(QString selectedService READ selectedService WRITE setSelectedService NOTIFY
                   selectedServiceChanged)
    Q_PROPERTY(bool autoFit READ autoFit WRITE setAutoFit NOTIFY autoFitChanged)
    Q_PROPERTY(qreal zoom READ zoom NOTIFY viewportChanged)

public:
    explicit DependencyGraphView(QQuickItem *parent = nullptr);

    [[nodiscard]] client::DependencyGraph *graph() const { return m_graph; }
    void setGraph(client::DependencyGraph *graph);
    [[nodiscard]] bool dark() const { return m_dark; }
    void setDark(bool dark);
    [[nodiscard]] QString selectedService() const { return m_selected; }
    void setSelectedService(const QString &name);
    [[nodiscard]] bool autoFit() const { return m_autoFit; }
    void setAutoFit(bool autoFit);
    [[nodiscard]] qreal zoom() const { return m_viewport.zoom(); }
    [[nodiscard]] const client::graph::GraphViewport &viewport() const { return m_viewport; }

    Q_INVOKABLE void fitToView();
    Q_INVOKABLE void zoomIn();
    Q_INVOKABLE void zoomOut();
    // Zooms by `factor` keeping the item point (x, y) fixed; for pinch handlers.
    Q_INVOKABLE void zoomAround(qreal x, qreal y, qreal factor);
    Q_INVOKABLE void panBy(qreal dx, qreal dy);
    // Pans so that the service is in view (nothing if it is not in the graph).
    Q_INVOKABLE void showService(const QString &name);
    // The service under the item point (x, y), "" if none.
    Q_INVOKABLE QString serviceAt(qreal x, qreal y) const;

    void paint(QPainter *painter) override;

signals:
    void graphChanged();
    void darkChanged();
    void selectedServiceChanged();
    void autoFitChanged();
    void viewportChanged();
    // Double click, or Enter on the selected node: open the service.
    void serviceActivated(const QString &name);

protected:
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onGraphChanged();
    // Fits the graph into the item, below the rollback caption when there is one.
    void fitViewport();
    void userMovedView();
    void selectIndex(int index);

    QPointer<client::DependencyGraph> m_graph;
    client::graph::GraphRenderer m_renderer;
    client::graph::GraphViewport m_viewport;
    QString m_selected;
    bool m_dark = false;
    bool m_autoFit = true;
    bool m_dragging = false;
    QPointF m_pressPosition;
    QPointF m_lastPosition;
};

// Registers DependencyGraphView (creatable) and DependencyGraph (as a type of properties) in
// the QML module "Rewind.Core" 1.0. Call once, before loading QML that uses them.
void registerGraphTypes();

} // namespace rwd::dashboard
