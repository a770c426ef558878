#pragma once

#include "graphlayout.h"
#include "graphrenderer.h"
#include "graphscene.h"

#include <QObject>
#include <QPointer>

namespace rwd::client {

class DashboardState;

// The dependency graph of the services a DashboardState holds, laid out and ready to paint:
// one node per service (optionally only those of one environment), an edge from each service to
// each service it depends on, and an overlay of one rollback plan (by default the most recent
// one still in progress). Views paint scene() with a graph::GraphRenderer using style().
//
// The layout is recomputed only when the topology changes — the set of services, their
// dependencies, or the size of a node's labels (sizes are rounded, so a new version string
// seldom changes them). Health, version and step changes only update the scene and emit
// changed(). Updates are synchronous: when a DashboardState signal returns, scene() is current.
//
// Needs a QGuiApplication (node sizes are measured with fonts).
class DependencyGraph final : public QObject
{
    Q_OBJECT
    // Only services of this environment ("" = every service); edges to other environments are
    // left out.
    Q_PROPERTY(QString environment READ environment WRITE setEnvironment NOTIFY environmentChanged)
    // Every environment of the services, in the order they first appear.
    Q_PROPERTY(QStringList environments READ environments NOTIFY environmentsChanged)
    Q_PROPERTY(int nodeCount READ nodeCount NOTIFY layoutChanged)
    // The rollback to overlay; 0 (the default) follows the most recent one not yet finished.
    Q_PROPERTY(qint64 pinnedRollbackId READ pinnedRollbackId WRITE setPinnedRollbackId NOTIFY
                   pinnedRollbackIdChanged)
    // The rollback overlaid now, 0 when none.
    Q_PROPERTY(qint64 shownRollbackId READ shownRollbackId NOTIFY changed)

public:
    explicit DependencyGraph(DashboardState *state, QObject *parent = nullptr);

    [[nodiscard]] const graph::GraphScene &scene() const { return m_scene; }
    [[nodiscard]] const graph::GraphStyle &style() const { return m_style; }
    // A new style may change node sizes, and so the layout.
    void setStyle(const graph::GraphStyle &style);
    [[nodiscard]] const graph::LayoutOptions &layoutOptions() const { return m_options; }
    void setLayoutOptions(const graph::LayoutOptions &options);

    [[nodiscard]] QString environment() const { return m_environment; }
    void setEnvironment(const QString &environment);
    [[nodiscard]] QStringList environments() const { return m_environments; }
    [[nodiscard]] int nodeCount() const { return int(m_scene.nodes.size()); }
    [[nodiscard]] qint64 pinnedRollbackId() const { return m_pinnedRollbackId; }
    void setPinnedRollbackId(qint64 id);
    [[nodiscard]] qint64 shownRollbackId() const { return m_shownRollbackId; }

    // How many times the layout was computed: lets tests and diagnostics see that a change did
    // (or did not) cost a layout.
    [[nodiscard]] int layoutCount() const { return m_layoutCount; }
    // The last layout's statistics (crossings, reversed edges…), for diagnostics.
    [[nodiscard]] const graph::LayoutResult &layout() const { return m_layout; }

signals:
    // Something drawn changed; after a layout, layoutChanged() comes first.
    void changed();
    // Node positions changed (views that fit the graph to their size refit on this).
    void layoutChanged();
    void environmentChanged();
    void environmentsChanged();
    void pinnedRollbackIdChanged();

private:
    struct Topology
    {
        QList<graph::LayoutNode> nodes;
        QList<graph::LayoutEdge> edges;

        bool operator==(const Topology &other) const;
    };

    void refresh();
    void applyOverlay(graph::GraphScene &scene);

    QPointer<DashboardState> m_state;
    graph::GraphStyle m_style;
    graph::LayoutOptions m_options;
    QString m_environment;
    QStringList m_environments;
    qint64 m_pinnedRollbackId = 0;
    qint64 m_shownRollbackId = 0;
    Topology m_topology;
    bool m_laidOut = false;
    graph::LayoutResult m_layout;
    graph::GraphScene m_scene;
    int m_layoutCount = 0;
};

} // namespace rwd::client
