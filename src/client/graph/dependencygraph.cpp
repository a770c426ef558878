#include "dependencygraph.h"

#include "client/dashboardstate.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace rwd::client {

namespace {

// The state of a target taken from its steps: running or failed as soon as one step is;
// succeeded when every regular step (compensating ones aside) succeeded; skipped when the plan
// gave up on some of them; in between steps of a plan still going, running.
StepState targetState(const protocol::RollbackInfo &rollback, const QString &service)
{
    bool running = false;
    bool failed = false;
    bool pending = false;
    bool succeeded = false;
    bool skipped = false;
    for (const auto &step : rollback.steps) {
        if (step.service != service)
            continue;
        running |= step.state == StepState::Running;
        failed |= step.state == StepState::Failed;
        if (step.onFailure)
            continue;
        pending |= step.state == StepState::Pending;
        succeeded |= step.state == StepState::Succeeded;
        skipped |= step.state == StepState::Skipped;
    }
    if (running)
        return StepState::Running;
    if (failed)
        return StepState::Failed;
    if (pending)
        return succeeded && !isTerminal(rollback.state) ? StepState::Running : StepState::Pending;
    if (skipped)
        return StepState::Skipped;
    return succeeded ? StepState::Succeeded : StepState::Pending;
}

// Wave numbers from the targets' `after` lists: 1 for a target that waits for no other, else one
// more than the latest it waits for, so targets that run in parallel share a number. Names that
// are not targets are ignored; a cycle (which the planner never makes) stops growing after as
// many rounds as there are targets.
QHash<QString, int> targetWaves(const protocol::RollbackInfo &rollback)
{
    QHash<QString, int> wave;
    for (const auto &target : rollback.targets)
        wave.insert(target.service, 1);
    for (qsizetype round = 0; round < rollback.targets.size(); ++round) {
        bool grew = false;
        for (const auto &target : rollback.targets) {
            int value = 1;
            for (const auto &before : target.after) {
                const auto it = wave.constFind(before);
                if (it != wave.constEnd() && before != target.service)
                    value = std::max(value, *it + 1);
            }
            if (value > wave.value(target.service)) {
                wave.insert(target.service, value);
                grew = true;
            }
        }
        if (!grew)
            break;
    }
    return wave;
}

QString planStateText(PlanState state)
{
    switch (state) {
    case PlanState::Planned:
        return DependencyGraph::tr("planned");
    case PlanState::AwaitingApproval:
        return DependencyGraph::tr("awaiting approval");
    case PlanState::Approved:
        return DependencyGraph::tr("approved");
    case PlanState::Running:
        return DependencyGraph::tr("running");
    case PlanState::Verifying:
        return DependencyGraph::tr("verifying");
    case PlanState::Succeeded:
        return DependencyGraph::tr("succeeded");
    case PlanState::Failed:
        return DependencyGraph::tr("failed");
    case PlanState::Aborted:
        return DependencyGraph::tr("aborted");
    case PlanState::NeedsAttention:
        return DependencyGraph::tr("needs attention");
    }
    return {};
}

QString detailLine(const protocol::ServiceStatus &service)
{
    QString version = service.current && !service.current->version.isEmpty()
                          ? service.current->version
                          : DependencyGraph::tr("no release");
    if (service.environment.isEmpty())
        return version;
    return QStringLiteral("%1 · %2").arg(version, service.environment);
}

} // namespace

bool DependencyGraph::Topology::operator==(const Topology &other) const
{
    if (nodes.size() != other.nodes.size() || edges.size() != other.edges.size())
        return false;
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).id != other.nodes.at(i).id || nodes.at(i).size != other.nodes.at(i).size)
            return false;
    }
    for (qsizetype i = 0; i < edges.size(); ++i) {
        if (edges.at(i).from != other.edges.at(i).from || edges.at(i).to != other.edges.at(i).to)
            return false;
    }
    return true;
}

DependencyGraph::DependencyGraph(DashboardState *state, QObject *parent)
    : QObject(parent)
    , m_state(state)
{
    if (state) {
        connect(state, &DashboardState::wasReset, this, &DependencyGraph::refresh);
        connect(state, &DashboardState::serviceChanged, this, &DependencyGraph::refresh);
        connect(state, &DashboardState::rollbackChanged, this, &DependencyGraph::refresh);
        connect(state, &DashboardState::rollbackAdded, this, &DependencyGraph::refresh);
    }
    refresh();
}

void DependencyGraph::setStyle(const graph::GraphStyle &style)
{
    if (style == m_style)
        return;
    m_style = style;
    refresh();
}

void DependencyGraph::setLayoutOptions(const graph::LayoutOptions &options)
{
    m_options = options;
    m_laidOut = false;
    refresh();
}

void DependencyGraph::setEnvironment(const QString &environment)
{
    if (environment == m_environment)
        return;
    m_environment = environment;
    emit environmentChanged();
    refresh();
}

void DependencyGraph::setPinnedRollbackId(qint64 id)
{
    if (id == m_pinnedRollbackId)
        return;
    m_pinnedRollbackId = id;
    emit pinnedRollbackIdChanged();
    refresh();
}

void DependencyGraph::refresh()
{
    static const QList<protocol::ServiceStatus> none;
    const auto &services = m_state ? m_state->services() : none;

    QStringList environments;
    for (const auto &service : services) {
        if (!environments.contains(service.environment))
            environments.append(service.environment);
    }
    if (environments != m_environments) {
        m_environments = environments;
        emit environmentsChanged();
    }

    Topology topology;
    QList<const protocol::ServiceStatus *> shown;
    QStringList details;
    QSet<QString> included;
    for (const auto &service : services) {
        if ((!m_environment.isEmpty() && service.environment != m_environment) ||
            included.contains(service.name))
            continue;
        included.insert(service.name);
        shown.append(&service);
        details.append(detailLine(service));
        topology.nodes.append({service.name, m_style.nodeSize(service.name, details.last())});
    }
    for (const auto *service : shown) {
        for (const auto &dependency : service->dependsOn) {
            if (included.contains(dependency))
                topology.edges.append({service->name, dependency});
        }
    }

    const bool relayout = !m_laidOut || !(topology == m_topology);
    if (relayout) {
        m_layout = graph::computeLayout(topology.nodes, topology.edges, m_options);
        m_topology = std::move(topology);
        m_laidOut = true;
        ++m_layoutCount;
    }

    graph::GraphScene scene;
    scene.bounds = m_layout.bounds;
    scene.nodes.reserve(m_layout.nodes.size());
    for (qsizetype i = 0; i < m_layout.nodes.size(); ++i) {
        const auto &placement = m_layout.nodes.at(i);
        graph::SceneNode node;
        node.id = placement.id;
        node.detail = details.at(i);
        node.health = shown.at(i)->health;
        node.rect = placement.rect;
        node.component = placement.component;
        node.layer = placement.layer;
        node.position = placement.position;
        scene.nodes.append(node);
    }
    scene.edges.reserve(m_layout.edges.size());
    for (const auto &route : m_layout.edges) {
        graph::SceneEdge edge;
        edge.from = m_layout.nodeIndex.value(route.from, -1);
        edge.to = m_layout.nodeIndex.value(route.to, -1);
        edge.points = route.points;
        edge.reversed = route.reversed;
        edge.selfLoop = route.selfLoop;
        scene.edges.append(edge);
    }
    if (services.isEmpty())
        scene.placeholder = tr("No services yet");
    else if (scene.nodes.isEmpty())
        scene.placeholder = tr("No services in %1").arg(m_environment);
    applyOverlay(scene);

    if (!relayout && scene == m_scene)
        return;
    m_scene = std::move(scene);
    if (relayout)
        emit layoutChanged();
    emit changed();
}

void DependencyGraph::applyOverlay(graph::GraphScene &scene)
{
    const protocol::RollbackInfo *shown = nullptr;
    if (m_state) {
        const auto &rollbacks = m_state->rollbacks();
        if (m_pinnedRollbackId != 0) {
            const int row = m_state->indexOfRollback(m_pinnedRollbackId);
            if (row >= 0)
                shown = &rollbacks.at(row);
        } else {
            for (const auto &rollback : rollbacks) {
                if (rollback.dryRun || isTerminal(rollback.state))
                    continue;
                if (!shown || std::tie(rollback.createdAtMs, rollback.id) >
                                  std::tie(shown->createdAtMs, shown->id))
                    shown = &rollback;
            }
        }
    }
    m_shownRollbackId = shown ? shown->id : 0;
    if (!shown)
        return;

    const auto waves = targetWaves(*shown);
    int done = 0;
    for (const auto &target : shown->targets) {
        const StepState state = targetState(*shown, target.service);
        if (state == StepState::Succeeded)
            ++done;
        const int index = scene.indexOf(target.service);
        if (index < 0)
            continue;
        auto &node = scene.nodes[index];
        node.planOrder = waves.value(target.service, 1);
        node.planState = state;
    }
    for (auto &edge : scene.edges) {
        edge.inPlan = edge.from >= 0 && edge.to >= 0 && scene.nodes.at(edge.from).planOrder > 0 &&
                      scene.nodes.at(edge.to).planOrder > 0;
    }
    scene.overlayCaption = tr("Rollback #%1 · %2 · %3 of %4 services rolled back")
                               .arg(shown->id)
                               .arg(planStateText(shown->state))
                               .arg(done)
                               .arg(shown->targets.size());
}

} // namespace rwd::client
