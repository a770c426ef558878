#pragma once

#include "httpresponse.h"
#include "metrics.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <utility>

class QRandomGenerator;
class QTcpServer;

namespace rwd::fleet {

class FaultRegistry;
class HttpClientPool;
class OrderStore;

// Facilities shared by all instances of a fleet; they must outlive the instances.
struct InstanceEnvironment
{
    FaultRegistry *faults = nullptr;
    QRandomGenerator *random = nullptr; // draws for error_rate; seeded by --seed
    HttpClientPool *http = nullptr;     // dependency calls
};

// A service this instance calls on GET /, reached through the dependency's nginx frontend so
// that routing and faults of the dependency are observed like in production.
struct Dependency
{
    QString service;
    QUrl url;
};

// One instance of one service: a real HTTP server on 127.0.0.1 (port chosen by the OS, kept
// for the instance's lifetime so the upstream files stay valid).
//
//   GET  /              identity, plus the versions of all dependencies; 502 if one fails
//   GET  /health        {"status":"ok", identity}
//   GET  /version       identity, never affected by faults
//   GET  /metrics       Prometheus text format, never affected by faults
//   POST /orders        db service only: {"amount": N} (integer 0..1e9) -> 201 {"id":ID,
//                       identity}, a row in orders with the instance's version; 400 for a bad
//                       body, 500 {"error":"database: ..."} when the statement fails
//   GET  /orders/stats  db service only: {"count":N,"max_id":M}, never affected by faults
//
// Identity is {"service","colour","instance","version"}; "colour" and "instance" both hold the
// instance name. Answers to /, /health and /orders carry X-Fleet-Service, X-Fleet-Colour (the
// instance name) and X-Fleet-Version.
//
// The fault profile of the version currently deployed applies to /, /health and /orders, read
// on every request so changes take effect immediately: latency, then slow start (503), then
// injected errors (500). A "down" profile closes the listening socket and drops open
// connections; the instance listens again on the same port when the profile or the version
// changes.
class InstanceServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    static constexpr int kDependencyTimeoutMs = 5000;

    InstanceServer(QString service, QString instance, QString version,
                   InstanceEnvironment environment, QObject *parent = nullptr);
    ~InstanceServer() override;

    // Starts listening on 127.0.0.1 with an OS-chosen port.
    bool start(QString *error);

    // The services GET / calls, in order. Set once nginx's frontends are known.
    void setDependencies(QList<Dependency> dependencies)
    {
        m_dependencies = std::move(dependencies);
    }

    // Serves POST /orders and GET /orders/stats from orders (the db service's instances).
    void setOrderStore(OrderStore *orders);

    // Runs version from now on; restarts the slow-start window and re-applies "down".
    void deploy(const QString &version);

    // Stops listening for good and drops all connections.
    void shutdown();

    [[nodiscard]] const QString &service() const { return m_service; }
    [[nodiscard]] const QString &name() const { return m_name; }
    [[nodiscard]] const QString &version() const { return m_version; }
    [[nodiscard]] const InstanceMetrics &metrics() const { return m_metrics; }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString address() const; // "127.0.0.1:PORT"
    [[nodiscard]] bool isListening() const;

    // {"address": ..., "version": ...}
    [[nodiscard]] QJsonObject toJson() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Exchange;

    void answer(const std::shared_ptr<Exchange> &exchange);
    void callDependencies(const std::shared_ptr<Exchange> &exchange);
    void createOrder(const std::shared_ptr<Exchange> &exchange);
    void sendOrderStats(const QHttpServerRequest &request, QTcpSocket *socket);
    void logOrderFailure(const QString &error);
    void finish(Exchange &exchange, int status, const QJsonObject &body);
    void updateAvailability();
    void dropConnections();
    [[nodiscard]] QJsonObject identity() const;
    [[nodiscard]] HttpHeaders fleetHeaders() const;
    [[nodiscard]] QString label() const; // "api/blue", for logs

    QString m_service;
    QString m_name;
    QString m_version;
    QList<Dependency> m_dependencies;
    InstanceEnvironment m_environment;
    OrderStore *m_orders = nullptr;
    InstanceMetrics m_metrics;
    QTcpServer *m_listener = nullptr; // owned via QObject parent (bind() re-parents it)
    quint16 m_port = 0;
    QElapsedTimer m_sinceDeploy;
    quint64 m_healthRequests = 0;  // /health requests since the deploy (health_fail_every)
    QTimer m_relistenTimer;        // retries when the port was taken while the instance was down
    QString m_lastOrderError;      // the write load repeats a failure many times a second, so
    QElapsedTimer m_orderErrorLog; // a repeated one is logged at most every kOrderErrorLogMs
    bool m_shutdown = false;
};

} // namespace rwd::fleet
