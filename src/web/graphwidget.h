#pragma once

#include "client/graph/dependencygraph.h"
#include "client/graph/graphrenderer.h"
#include "client/graph/graphviewport.h"

#include <QWidget>

namespace rwd::web {

// The dependency graph in the browser: the same GraphRenderer the desktop's QQuickPaintedItem
// uses, in a QWidget. Fits the graph until the user zooms (wheel) or pans (drag); double-click
// fits again.
class GraphWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit GraphWidget(client::DependencyGraph *graph, QWidget *parent = nullptr);

    void setDark(bool dark);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    void fit();

    client::DependencyGraph *m_graph;
    client::graph::GraphRenderer m_renderer;
    client::graph::GraphViewport m_viewport;
    QPointF m_dragFrom;
    bool m_autoFit = true;
    bool m_dark = false;
};

} // namespace rwd::web
