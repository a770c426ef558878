#pragma once

#include "faultprofile.h"
#include "names.h"
#include "options.h"

#include <QJsonObject>
#include <QList>
#include <QLockFile>
#include <QObject>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>

namespace rwd::fleet {

class HttpClientPool;
class InstanceServer;
class LoadGenerator;
class NginxSupervisor;

// The whole sandbox: per service a blue and a green InstanceServer, the private nginx in front
// of them, the fault registry and the load generator. All operations run on the thread that owns
// the fleet; route switches block it for the duration of "nginx -t" and "nginx -s reload".
class Fleet : public QObject
{
    Q_OBJECT

public:
    explicit Fleet(FleetOptions options, QObject *parent = nullptr);
    ~Fleet() override;

    // Creates DIR, takes its lock, starts the instances, writes nginx's config and upstream files
    // (every service routed to blue), starts nginx, waits for its frontends and starts the load.
    // On failure everything started so far is stopped again.
    bool start(QString *error);

    // Stops the load, nginx and the instances. Idempotent.
    void stop();

    void setControlUrl(const QString &url) { m_controlUrl = url; }

    // The ready-line JSON (see main.cpp); "live" is read back from the upstream files.
    [[nodiscard]] QJsonObject readyJson() const;
    // readyJson() plus "faults" and "load".
    [[nodiscard]] QJsonObject stateJson() const;

    [[nodiscard]] QStringList serviceNames() const;
    [[nodiscard]] bool hasService(const QString &name) const;
    [[nodiscard]] QJsonObject serviceJson(const QString &name) const;

    void deploy(const QString &service, Colour colour, const QString &version);

    [[nodiscard]] FaultProfile fault(const QString &service, const QString &version) const;
    void setFault(const QString &service, const QString &version, const FaultProfile &profile);

    // Points the service's upstream file at colour and reloads nginx; on failure the previous
    // file is back in place and *error holds nginx's output.
    bool route(const QString &service, Colour colour, QString *error);

    // The colour whose address carries the most weight in the service's upstream file (Rewind
    // may have rewritten it), or "unknown".
    [[nodiscard]] QString liveColour(const QString &service) const;

    [[nodiscard]] LoadGenerator *load() const { return m_load; }
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
        std::array<InstanceServer *, 2> instances{}; // indexed by Colour
    };

    [[nodiscard]] const Service *findService(const QString &name) const;
    [[nodiscard]] QString frontendUrl(const Service &service) const;
    bool startInstances(QString *error);
    bool startNginx(QString *error);

    FleetOptions m_options;
    QLockFile m_lock;
    QRandomGenerator m_random;
    FaultRegistry *m_faults;
    HttpClientPool *m_http;
    NginxSupervisor *m_nginx = nullptr;
    LoadGenerator *m_load = nullptr;
    QList<Service> m_services;
    QString m_controlUrl;
    bool m_stopped = false;
};

} // namespace rwd::fleet
