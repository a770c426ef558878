#pragma once

#include "graphscene.h"
#include "graphviewport.h"

#include <QColor>
#include <QFont>
#include <QSizeF>

class QPainter;

// Paints a GraphScene with QPainter, so that any paint device can show it: a QQuickPaintedItem
// on the desktop, a QWidget in the browser build, a QImage in tests and reports. Knows nothing
// of Qt Quick or widgets; everything is drawn in logical pixels and the painter's device takes
// care of the device pixel ratio.
namespace rwd::client::graph {

struct GraphPalette
{
    QColor background;
    QColor edge;
    QColor edgeHighlight; // edges of the selected node
    QColor planEdge;      // edges between two targets of the shown rollback
    QColor text;
    QColor secondaryText;
    QColor selection;
    QColor badgeText; // on a badge filled with a step colour
    QColor captionBackground;
    QColor healthFill[4];   // indexed by Health: the node's body
    QColor healthAccent[4]; // indexed by Health: its border and health mark
    QColor step[5];         // indexed by StepState: overlay ring and badge

    [[nodiscard]] QColor fill(Health health) const;
    [[nodiscard]] QColor accent(Health health) const;
    [[nodiscard]] QColor stepColor(StepState state) const;

    [[nodiscard]] static GraphPalette light();
    [[nodiscard]] static GraphPalette dark();
};

// Fonts and measures of a node. The same style must size the nodes before the layout and draw
// them afterwards, which is why DependencyGraph owns it and the views read it from there. Fonts
// are pixel-sized so that a node measures the same on every device.
struct GraphStyle
{
    // From the application font (a QGuiApplication must exist).
    GraphStyle();
    explicit GraphStyle(const QFont &base);

    QFont titleFont;  // the service name
    QFont detailFont; // version and environment
    QFont badgeFont;  // the plan order
    qreal padding = 10;
    qreal lineGap = 3;
    qreal cornerRadius = 8;
    qreal markSize = 14; // the health mark in the top-right corner
    qreal minWidth = 136;
    qreal maxWidth = 280; // longer text is elided
    // Widths are rounded up to a multiple of this, so that a new version string seldom changes
    // a node's size (and so the layout).
    qreal widthStep = 24;

    [[nodiscard]] QSizeF nodeSize(const QString &title, const QString &detail) const;

    bool operator==(const GraphStyle &) const = default;
};

class GraphRenderer
{
public:
    explicit GraphRenderer(const GraphStyle &style = GraphStyle(),
                           const GraphPalette &palette = GraphPalette::light());

    [[nodiscard]] const GraphStyle &style() const { return m_style; }
    void setStyle(const GraphStyle &style) { m_style = style; }
    [[nodiscard]] const GraphPalette &palette() const { return m_palette; }
    void setPalette(const GraphPalette &palette) { m_palette = palette; }

    // Paints the view area (0, 0, viewSize) of the painter's current coordinate system: the
    // background, the scene through `viewport`, `selectedId` highlighted, and the caption of a
    // rollback overlay. Nodes and edges outside the view are skipped; below a legible size,
    // text and marks are left out.
    void paint(QPainter &painter, const GraphScene &scene, const GraphViewport &viewport,
               const QSizeF &viewSize, const QString &selectedId = {}) const;
    // Where the overlay caption ends, from the top of the view: a view fitting the graph keeps
    // it clear of the caption.
    [[nodiscard]] qreal captionBottom() const;
    // The part of a view of `viewSize` that a fitted graph occupies: inside `margin`, and below
    // the overlay caption when the scene has one. Both dashboards' graph views fit into it.
    [[nodiscard]] QRectF fitArea(const GraphScene &scene, const QSizeF &viewSize,
                                 qreal margin = 24) const;

private:
    void paintEdges(QPainter &painter, const GraphScene &scene, const QRectF &visible, qreal zoom,
                    int selected) const;
    void paintNode(QPainter &painter, const SceneNode &node, bool detailed) const;
    void paintOverlay(QPainter &painter, const SceneNode &node, bool detailed) const;
    void paintHealthMark(QPainter &painter, const QPointF &centre, Health health) const;
    void paintCaption(QPainter &painter, const QString &caption) const;

    GraphStyle m_style;
    GraphPalette m_palette;
};

} // namespace rwd::client::graph
