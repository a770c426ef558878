#pragma once

#include "faultprofile.h"
#include "options.h"

#include <QJsonObject>
#include <QList>
#include <QLockFile>
#include <QObject>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <memory>

namespace rwd::fleet {

class AssetStore;
class CdnEdge;
class HttpClientPool;
class InstanceServer;
class LoadGenerator;
class NginxSupervisor;
class OrderStore;

// Part of a route: the share of a service's traffic one instance gets (nginx "weight").
struct RouteWeight
{
    QString instance;
    int weight = 1; // > 0; instances that should get nothing are not listed
};

// The whole sandbox: per service its named InstanceServers, the private nginx in front of them,
// the fault registry, the load generator, the db service's order store and the assets service's
// asset store and CDN edge. All operations run on the thread that owns the fleet; route switches
// block it for the duration of "nginx -t" and "nginx -s reload".
class Fleet : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxRouteWeight = 100;

    explicit Fleet(FleetOptions options, QObject *parent = nullptr);
    ~Fleet() override;

    // Creates DIR, takes its lock, prepares the database (migrating it up to schema 2), writes
    // the initial assets, starts the instances, writes nginx's config and upstream files (every
    // service routed to its first instance), starts nginx, the CDN edge and the load. On failure
    // everything started so far is stopped again.
    bool start(QString *error);

    // Stops the load, the CDN edge, nginx, the instances and the order store. Idempotent.
    void stop();

    void setControlUrl(const QString &url) { m_controlUrl = url; }

    // The ready-line JSON (see main.cpp); "live" and "weights" are read back from the upstream
    // files.
    [[nodiscard]] QJsonObject readyJson() const;
    // readyJson() plus "faults" and "load", and the CDN's counters and the assets' current
    // version under "cdn" and "assets".
    [[nodiscard]] QJsonObject stateJson() const;

    [[nodiscard]] QStringList serviceNames() const;
    [[nodiscard]] bool hasService(const QString &name) const;
    [[nodiscard]] QJsonObject serviceJson(const QString &name) const;
    // In --instances order.
    [[nodiscard]] QStringList instanceNames(const QString &service) const;
    [[nodiscard]] bool hasInstance(const QString &service, const QString &instance) const;

    // Runs version on one instance; false if the service or instance is unknown.
    bool deploy(const QString &service, const QString &instance, const QString &version);

    [[nodiscard]] FaultProfile fault(const QString &service, const QString &version) const;
    void setFault(const QString &service, const QString &version, const FaultProfile &profile);

    // Rewrites the service's upstream file for these instances and reloads nginx; on failure the
    // previous file is back in place and *error holds nginx's output. weighted writes
    // "server ADDR weight=N;" lines, otherwise "server ADDR;" (equal shares). The instances must
    // exist, be distinct, and have weights in 1..kMaxRouteWeight.
    bool route(const QString &service, const QList<RouteWeight> &weights, bool weighted,
               QString *error);

    // The instance whose address carries the most weight in the service's upstream file (Rewind
    // may have rewritten it), or "unknown".
    [[nodiscard]] QString liveInstance(const QString &service) const;
    // {"live": NAME, "weights": {NAME: W}} read back from the upstream file; every instance of
    // the service is listed, those the file leaves out with 0.
    [[nodiscard]] QJsonObject routeJson(const QString &service) const;

    [[nodiscard]] LoadGenerator *load() const { return m_load; }
    [[nodiscard]] AssetStore *assets() const { return m_assets.get(); }
    [[nodiscard]] bool hasDatabase() const { return m_orders != nullptr; }
    // Every instance's metrics in one exposition (GET /metrics on the control API).
    [[nodiscard]] QByteArray metricsText() const;
    [[nodiscard]] QString fleetJsonPath() const;

signals:
    // The fleet cannot go on (nginx died); the program should stop with an error.
    void fatalError(const QString &message);

private:
    struct Service
    {
        ServiceSpec spec;
        quint16 frontendPort = 0;
        QString upstreamFile;
        QList<InstanceServer *> instances; // in spec.instances order
    };

    [[nodiscard]] const Service *findService(const QString &name) const;
    [[nodiscard]] static InstanceServer *findInstance(const Service &service,
                                                      const QString &instance);
    [[nodiscard]] QString frontendUrl(const Service &service) const;
    // Weights per instance name read from the upstream file, and the dominant address.
    [[nodiscard]] bool readRoute(const Service &service, QList<RouteWeight> *weights,
                                 QString *live) const;
    bool startDatabase(QString *error);
    bool startInstances(QString *error);
    bool startNginx(QString *error);
    bool startCdn(QString *error);

    FleetOptions m_options;
    QLockFile m_lock;
    QRandomGenerator m_random;
    FaultRegistry *m_faults;
    HttpClientPool *m_http;
    NginxSupervisor *m_nginx = nullptr;
    LoadGenerator *m_load = nullptr;
    OrderStore *m_orders = nullptr;
    std::unique_ptr<AssetStore> m_assets;
    CdnEdge *m_cdn = nullptr;
    QList<Service> m_services;
    QString m_controlUrl;
    bool m_stopped = false;
};

} // namespace rwd::fleet
