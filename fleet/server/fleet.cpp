#include "fleet.h"

#include "atomicfile.h"
#include "httpclientpool.h"
#include "instanceserver.h"
#include "loadgenerator.h"
#include "nginxsupervisor.h"
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

// Upper bound on HTTP managers for dependency calls (see HttpClientPool).
constexpr int kMaxDependencyManagers = 64;

QRandomGenerator seededGenerator(const std::optional<quint64> &requested)
{
    const quint64 seed = requested.value_or(QRandomGenerator::system()->generate64());
    spdlog::info("fault RNG seed {} ({})", seed, requested ? "from --seed" : "random");
    const std::array<quint32, 2> words{static_cast<quint32>(seed),
                                       static_cast<quint32>(seed >> 32)};
    return QRandomGenerator(words.data(), static_cast<qsizetype>(words.size()));
}

size_t colourIndex(Colour colour)
{
    return colour == Colour::Blue ? 0 : 1;
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

    if (!startInstances(error) || !startNginx(error)) {
        stop();
        return false;
    }

    for (Service &service : m_services) {
        QList<Dependency> dependencies;
        for (const QString &name : std::as_const(service.spec.dependsOn))
            dependencies.append(Dependency{name, QUrl(frontendUrl(*findService(name)) + '/')});
        for (InstanceServer *instance : service.instances)
            instance->setDependencies(dependencies);
    }

    QList<LoadTarget> targets;
    for (const Service &service : std::as_const(m_services))
        targets.append(LoadTarget{service.spec.name, QUrl(frontendUrl(service) + '/')});
    m_load = new LoadGenerator(targets, this);
    m_load->setRate(m_options.loadRps);

    spdlog::info("fleet started in {}: {} service(s) running {}", qUtf8Printable(m_options.dir),
                 m_services.size(), qUtf8Printable(m_options.initialVersion));
    return true;
}

bool Fleet::startInstances(QString *error)
{
    const InstanceEnvironment environment{m_faults, &m_random, m_http};
    for (Service &service : m_services) {
        for (const Colour colour : kColours) {
            auto *instance = new InstanceServer(service.spec.name, colour, m_options.initialVersion,
                                                environment, this);
            service.instances.at(colourIndex(colour)) = instance;
            if (!instance->start(error))
                return false;
        }
        // Every service starts routed to blue.
        const QByteArray upstream = renderUpstreamFile(
            service.spec.name, service.instances.at(colourIndex(Colour::Blue))->address());
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
            frontends.append(NginxFrontend{m_services.at(i).spec.name, ports.at(i)});
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

void Fleet::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_load)
        m_load->stop();
    if (m_nginx)
        m_nginx->stop();
    for (const Service &service : std::as_const(m_services)) {
        for (InstanceServer *instance : service.instances) {
            if (instance)
                instance->shutdown();
        }
    }
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

QJsonObject Fleet::serviceJson(const QString &name) const
{
    const Service *service = findService(name);
    if (!service)
        return {};
    QJsonObject instances;
    for (const Colour colour : kColours)
        instances.insert(colourName(colour), service->instances.at(colourIndex(colour))->toJson());
    return QJsonObject{
        {QStringLiteral("url"), frontendUrl(*service)},
        {QStringLiteral("upstream"), service->spec.name},
        {QStringLiteral("upstream_file"), service->upstreamFile},
        {QStringLiteral("live"), liveColour(name)},
        {QStringLiteral("depends_on"), QJsonArray::fromStringList(service->spec.dependsOn)},
        {QStringLiteral("instances"), instances},
    };
}

QJsonObject Fleet::readyJson() const
{
    QJsonObject services;
    for (const Service &service : m_services)
        services.insert(service.spec.name, serviceJson(service.spec.name));
    const NginxLayout &layout = m_nginx->layout();
    return QJsonObject{
        {QStringLiteral("control"), m_controlUrl},
        {QStringLiteral("dir"), m_options.dir},
        {QStringLiteral("nginx"), QJsonObject{{QStringLiteral("binary"), layout.binary},
                                              {QStringLiteral("prefix"), layout.prefix},
                                              {QStringLiteral("config"), layout.config},
                                              {QStringLiteral("error_log"), layout.errorLog},
                                              {QStringLiteral("pid"), m_nginx->pid()}}},
        {QStringLiteral("services"), services},
    };
}

QByteArray Fleet::metricsText() const
{
    QList<InstanceMetrics::Source> sources;
    for (const auto &service : m_services) {
        for (const auto *instance : service.instances) {
            if (instance)
                sources.append(
                    {&instance->metrics(), instance->version(), instance->isListening()});
        }
    }
    return InstanceMetrics::renderAll(sources);
}

QJsonObject Fleet::stateJson() const
{
    QJsonObject state = readyJson();
    state.insert(QStringLiteral("faults"), m_faults->toJson(serviceNames()));
    state.insert(QStringLiteral("load"),
                 QJsonObject{{QStringLiteral("rps"), m_load ? m_load->rate() : 0}});
    return state;
}

void Fleet::deploy(const QString &service, Colour colour, const QString &version)
{
    if (const Service *s = findService(service))
        s->instances.at(colourIndex(colour))->deploy(version);
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

bool Fleet::route(const QString &service, Colour colour, QString *error)
{
    const Service *s = findService(service);
    if (!s) {
        *error = QStringLiteral("unknown service %1").arg(service);
        return false;
    }
    const QString previous = liveColour(service);
    const InstanceServer *target = s->instances.at(colourIndex(colour));
    if (!m_nginx->replaceUpstreamFile(s->upstreamFile,
                                      renderUpstreamFile(s->spec.name, target->address()), error))
        return false;
    spdlog::info("route {} switched: {} -> {} ({})", qUtf8Printable(service),
                 qUtf8Printable(previous), qUtf8Printable(colourName(colour)),
                 qUtf8Printable(target->address()));
    return true;
}

QString Fleet::liveColour(const QString &service) const
{
    const Service *s = findService(service);
    if (!s)
        return QStringLiteral("unknown");
    QByteArray contents;
    QString error;
    if (!readWholeFile(s->upstreamFile, &contents, &error))
        return QStringLiteral("unknown");
    const QString address = dominantAddress(parseUpstreamServers(contents));
    for (const Colour colour : kColours) {
        if (s->instances.at(colourIndex(colour))->address() == address)
            return colourName(colour);
    }
    return QStringLiteral("unknown");
}

} // namespace rwd::fleet
