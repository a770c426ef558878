#include "fleet.h"

#include "assetstore.h"
#include "atomicfile.h"
#include "cdnedge.h"
#include "httpclientpool.h"
#include "instanceserver.h"
#include "loadgenerator.h"
#include "nginxsupervisor.h"
#include "orderstore.h"
#include "upstreamfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <spdlog/spdlog.h>
#include <utility>

namespace rwd::fleet {

namespace {

// Frontend ports are picked free and released before nginx binds them; if another process
// takes one in between, nginx fails to start and a fresh set of ports is tried.
constexpr int kNginxStartAttempts = 3;

// Upper bound on HTTP managers for dependency calls and CDN origin fetches (see
// HttpClientPool).
constexpr int kMaxDependencyManagers = 64;

QRandomGenerator seededGenerator(const std::optional<quint64> &requested)
{
    const quint64 seed = requested.value_or(QRandomGenerator::system()->generate64());
    spdlog::info("fault RNG seed {} ({})", seed, requested ? "from --seed" : "random");
    const std::array<quint32, 2> words{static_cast<quint32>(seed),
                                       static_cast<quint32>(seed >> 32)};
    return QRandomGenerator(words.data(), static_cast<qsizetype>(words.size()));
}

} // namespace

Fleet::Fleet(FleetOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_lock(m_options.dir + QLatin1String("/fleet.lock"))
    , m_random(seededGenerator(m_options.seed))
    , m_faults(new FaultRegistry(this))
    , m_http(new HttpClientPool(kMaxDependencyManagers, this))
{
    // A lock is stale only when its owner is gone, however old it is.
    m_lock.setStaleLockTime(0);
}

Fleet::~Fleet()
{
    stop();
}

QString Fleet::fleetJsonPath() const
{
    return m_options.dir + QLatin1String("/fleet.json");
}

bool Fleet::start(QString *error)
{
    if (!QDir().mkpath(m_options.dir)) {
        *error = QStringLiteral("cannot create directory %1").arg(m_options.dir);
        return false;
    }
    if (!m_lock.tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock.getLockInfo(&pid, &host, &app);
        *error =
            m_lock.error() == QLockFile::LockFailedError
                ? QStringLiteral("%1 is in use by another rewind-fleet (pid %2)")
                      .arg(m_options.dir)
                      .arg(pid)
                : QStringLiteral("cannot create the lock file %1/fleet.lock").arg(m_options.dir);
        return false;
    }
    // A fleet.json left by an earlier run would advertise ports that are gone.
    QFile::remove(fleetJsonPath());

    m_nginx =
        new NginxSupervisor(NginxLayout::forFleetDir(m_options.dir, m_options.nginxBinary), this);
    connect(m_nginx, &NginxSupervisor::exitedUnexpectedly, this, &Fleet::fatalError);

    for (const ServiceSpec &spec : std::as_const(m_options.services)) {
        Service service;
        service.spec = spec;
        service.upstreamFile = m_nginx->layout().upstreamFile(spec.name);
        m_services.append(service);
    }

    if (!m_options.assetsService.isEmpty()) {
        m_assets = std::make_unique<AssetStore>(m_options.dir + QLatin1String("/assets"));
        if (!m_assets->setUp(m_options.initialVersion, error)) {
            stop();
            return false;
        }
    }

    if (!startDatabase(error) || !startInstances(error) || !startNginx(error) || !startCdn(error)) {
        stop();
        return false;
    }

    for (Service &service : m_services) {
        QList<Dependency> dependencies;
        for (const QString &name : std::as_const(service.spec.dependsOn))
            dependencies.append(Dependency{name, QUrl(frontendUrl(*findService(name)) + '/')});
        for (InstanceServer *instance : std::as_const(service.instances))
            instance->setDependencies(dependencies);
    }

    QList<LoadTarget> targets;
    std::optional<LoadTarget> writes;
    for (const Service &service : std::as_const(m_services)) {
        targets.append(LoadTarget{service.spec.name, QUrl(frontendUrl(service) + '/')});
        if (service.spec.name == m_options.dbService)
            writes = LoadTarget{service.spec.name, QUrl(frontendUrl(service) + "/orders")};
    }
    m_load = new LoadGenerator(targets, writes, this);
    m_load->setRate(m_options.loadRps);
    if (writes)
        m_load->setWriteRate(m_options.writeRps);

    spdlog::info("fleet started in {}: {} service(s) running {}", qUtf8Printable(m_options.dir),
                 m_services.size(), qUtf8Printable(m_options.initialVersion));
    return true;
}

bool Fleet::startDatabase(QString *error)
{
    if (!m_options.db)
        return true;
    m_orders = new OrderStore(*m_options.db, m_options.dbPassword, this);
    int schema = 0;
    if (!m_orders->prepare(&schema, error)) {
        *error = QStringLiteral("database of service %1: %2").arg(m_options.dbService, *error);
        return false;
    }
    m_orders->start();
    spdlog::info("database {} of service {} at schema {}", qUtf8Printable(m_options.db->toString()),
                 qUtf8Printable(m_options.dbService), schema);
    return true;
}

bool Fleet::startInstances(QString *error)
{
    const InstanceEnvironment environment{m_faults, &m_random, m_http};
    for (Service &service : m_services) {
        for (const QString &name : std::as_const(service.spec.instances)) {
            auto *instance = new InstanceServer(service.spec.name, name, m_options.initialVersion,
                                                environment, this);
            service.instances.append(instance);
            if (service.spec.name == m_options.dbService)
                instance->setOrderStore(m_orders);
            if (!instance->start(error))
                return false;
        }
        // Every service starts routed to its first instance.
        const QByteArray upstream =
            renderUpstreamFile(service.spec.name, service.instances.first()->address());
        if (!QDir().mkpath(m_nginx->layout().upstreamDir)) {
            *error =
                QStringLiteral("cannot create directory %1").arg(m_nginx->layout().upstreamDir);
            return false;
        }
        if (!writeFileAtomically(service.upstreamFile, upstream, error))
            return false;
    }
    return true;
}

bool Fleet::startNginx(QString *error)
{
    for (int attempt = 1; attempt <= kNginxStartAttempts; ++attempt) {
        const QList<quint16> ports =
            pickFreeLoopbackPorts(static_cast<int>(m_services.size()), error);
        if (ports.isEmpty())
            return false;
        QList<NginxFrontend> frontends;
        for (qsizetype i = 0; i < m_services.size(); ++i) {
            m_services[i].frontendPort = ports.at(i);
            const QString &name = m_services.at(i).spec.name;
            frontends.append(NginxFrontend{
                name, ports.at(i),
                name == m_options.assetsService && m_assets ? m_assets->dir() : QString()});
        }
        if (!m_nginx->writeConfig(frontends, error))
            return false;
        if (m_nginx->start(ports, error))
            return true;
        if (attempt < kNginxStartAttempts)
            spdlog::warn("nginx start attempt {} failed, retrying with other ports: {}", attempt,
                         qUtf8Printable(*error));
    }
    return false;
}

bool Fleet::startCdn(QString *error)
{
    const Service *service = findService(m_options.assetsService);
    if (!service)
        return true;
    m_cdn = new CdnEdge(QUrl(frontendUrl(*service)), m_options.cdnToken, m_http, this);
    return m_cdn->start(error);
}

void Fleet::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_load)
        m_load->stop();
    if (m_cdn)
        m_cdn->stop();
    if (m_nginx)
        m_nginx->stop();
    for (const Service &service : std::as_const(m_services)) {
        for (InstanceServer *instance : service.instances)
            instance->shutdown();
    }
    if (m_orders)
        m_orders->stop();
    if (m_lock.isLocked())
        m_lock.unlock();
}

const Fleet::Service *Fleet::findService(const QString &name) const
{
    for (const Service &service : m_services) {
        if (service.spec.name == name)
            return &service;
    }
    return nullptr;
}

InstanceServer *Fleet::findInstance(const Service &service, const QString &instance)
{
    for (InstanceServer *server : service.instances) {
        if (server->name() == instance)
            return server;
    }
    return nullptr;
}

QString Fleet::frontendUrl(const Service &service) const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(service.frontendPort);
}

QStringList Fleet::serviceNames() const
{
    QStringList names;
    for (const Service &service : m_services)
        names.append(service.spec.name);
    return names;
}

bool Fleet::hasService(const QString &name) const
{
    return findService(name) != nullptr;
}

QStringList Fleet::instanceNames(const QString &service) const
{
    const Service *s = findService(service);
    return s ? s->spec.instances : QStringList();
}

bool Fleet::hasInstance(const QString &service, const QString &instance) const
{
    const Service *s = findService(service);
    return s && findInstance(*s, instance);
}

QJsonObject Fleet::serviceJson(const QString &name) const
{
    const Service *service = findService(name);
    if (!service)
        return {};
    QJsonObject instances;
    for (const InstanceServer *instance : service->instances)
        instances.insert(instance->name(), instance->toJson());
    const QJsonObject route = routeJson(name);
    return QJsonObject{
        {QStringLiteral("url"), frontendUrl(*service)},
        {QStringLiteral("upstream"), service->spec.name},
        {QStringLiteral("upstream_file"), service->upstreamFile},
        {QStringLiteral("live"), route.value(QStringLiteral("live"))},
        {QStringLiteral("weights"), route.value(QStringLiteral("weights"))},
        {QStringLiteral("depends_on"), QJsonArray::fromStringList(service->spec.dependsOn)},
        {QStringLiteral("instances"), instances},
        {QStringLiteral("instance_order"), QJsonArray::fromStringList(service->spec.instances)},
    };
}

QJsonObject Fleet::readyJson() const
{
    QJsonObject services;
    for (const Service &service : m_services)
        services.insert(service.spec.name, serviceJson(service.spec.name));
    const NginxLayout &layout = m_nginx->layout();
    QJsonObject ready{
        {QStringLiteral("control"), m_controlUrl},
        {QStringLiteral("dir"), m_options.dir},
        {QStringLiteral("nginx"), QJsonObject{{QStringLiteral("binary"), layout.binary},
                                              {QStringLiteral("prefix"), layout.prefix},
                                              {QStringLiteral("config"), layout.config},
                                              {QStringLiteral("error_log"), layout.errorLog},
                                              {QStringLiteral("pid"), m_nginx->pid()}}},
        {QStringLiteral("services"), services},
    };
    if (m_orders) {
        ready.insert(QStringLiteral("db"),
                     QJsonObject{{QStringLiteral("service"), m_options.dbService},
                                 {QStringLiteral("url"), m_orders->url().toString()}});
    }
    if (m_assets) {
        ready.insert(QStringLiteral("assets"),
                     QJsonObject{{QStringLiteral("service"), m_options.assetsService},
                                 {QStringLiteral("dir"), m_assets->dir()},
                                 {QStringLiteral("current"), m_assets->currentLink()}});
    }
    if (m_cdn) {
        ready.insert(QStringLiteral("cdn"),
                     QJsonObject{{QStringLiteral("url"), m_cdn->url()},
                                 {QStringLiteral("zone"), QLatin1String(CdnEdge::kZone)}});
    }
    return ready;
}

QByteArray Fleet::metricsText() const
{
    QList<InstanceMetrics::Source> sources;
    for (const auto &service : m_services) {
        for (const auto *instance : service.instances)
            sources.append({&instance->metrics(), instance->version(), instance->isListening()});
    }
    return InstanceMetrics::renderAll(sources);
}

QJsonObject Fleet::stateJson() const
{
    QJsonObject state = readyJson();
    state.insert(QStringLiteral("faults"), m_faults->toJson(serviceNames()));
    state.insert(QStringLiteral("load"),
                 QJsonObject{{QStringLiteral("rps"), m_load ? m_load->rate() : 0},
                             {QStringLiteral("write_rps"), m_load ? m_load->writeRate() : 0}});
    if (m_assets) {
        QJsonObject assets = m_assets->stateJson();
        assets.insert(QStringLiteral("service"), m_options.assetsService);
        state.insert(QStringLiteral("assets"), assets);
    }
    if (m_cdn)
        state.insert(QStringLiteral("cdn"), m_cdn->stateJson());
    return state;
}

bool Fleet::deploy(const QString &service, const QString &instance, const QString &version)
{
    const Service *s = findService(service);
    InstanceServer *server = s ? findInstance(*s, instance) : nullptr;
    if (!server)
        return false;
    server->deploy(version);
    return true;
}

FaultProfile Fleet::fault(const QString &service, const QString &version) const
{
    return m_faults->profile(service, version);
}

void Fleet::setFault(const QString &service, const QString &version, const FaultProfile &profile)
{
    spdlog::info("fault {} {}: {}", qUtf8Printable(service), qUtf8Printable(version),
                 profile.isDefault()
                     ? QByteArray("cleared").constData()
                     : QJsonDocument(profile.toJson()).toJson(QJsonDocument::Compact).constData());
    m_faults->setProfile(service, version, profile);
}

bool Fleet::route(const QString &service, const QList<RouteWeight> &weights, bool weighted,
                  QString *error)
{
    const Service *s = findService(service);
    if (!s) {
        *error = QStringLiteral("unknown service %1").arg(service);
        return false;
    }
    if (weights.isEmpty()) {
        *error = QStringLiteral("a route needs at least one instance");
        return false;
    }
    QList<UpstreamServer> servers;
    QStringList described;
    QStringList seen;
    for (const RouteWeight &weight : weights) {
        const InstanceServer *target = findInstance(*s, weight.instance);
        if (!target) {
            *error = QStringLiteral("unknown instance %1 of %2").arg(weight.instance, service);
            return false;
        }
        if (seen.contains(weight.instance) || weight.weight < 1 ||
            weight.weight > kMaxRouteWeight) {
            *error = QStringLiteral("instance %1 listed twice or with a weight outside 1..%2")
                         .arg(weight.instance)
                         .arg(kMaxRouteWeight);
            return false;
        }
        seen.append(weight.instance);
        servers.append(UpstreamServer{target->address(), weight.weight});
        described.append(weighted ? QStringLiteral("%1=%2").arg(weight.instance).arg(weight.weight)
                                  : weight.instance);
    }
    const QString previous = liveInstance(service);
    if (!m_nginx->replaceUpstreamFile(s->upstreamFile,
                                      renderUpstreamFile(s->spec.name, servers, weighted), error))
        return false;
    spdlog::info("route {} switched: {} -> {}", qUtf8Printable(service), qUtf8Printable(previous),
                 qUtf8Printable(described.join(QLatin1Char(' '))));
    return true;
}

bool Fleet::readRoute(const Service &service, QList<RouteWeight> *weights, QString *live) const
{
    QByteArray contents;
    QString error;
    if (!readWholeFile(service.upstreamFile, &contents, &error))
        return false;
    const QList<UpstreamServer> servers = parseUpstreamServers(contents);
    const QString dominant = dominantAddress(servers);
    *live = QStringLiteral("unknown");
    for (const InstanceServer *instance : service.instances) {
        int total = 0;
        for (const UpstreamServer &server : servers) {
            if (server.address == instance->address())
                total += server.weight;
        }
        weights->append(RouteWeight{instance->name(), total});
        if (!dominant.isEmpty() && dominant == instance->address())
            *live = instance->name();
    }
    return true;
}

QString Fleet::liveInstance(const QString &service) const
{
    return routeJson(service).value(QStringLiteral("live")).toString(QStringLiteral("unknown"));
}

QJsonObject Fleet::routeJson(const QString &service) const
{
    const Service *s = findService(service);
    QList<RouteWeight> weights;
    QString live = QStringLiteral("unknown");
    QJsonObject byName;
    if (s && readRoute(*s, &weights, &live)) {
        for (const RouteWeight &weight : std::as_const(weights))
            byName.insert(weight.instance, weight.weight);
    }
    return QJsonObject{{QStringLiteral("live"), live}, {QStringLiteral("weights"), byName}};
}

} // namespace rwd::fleet
