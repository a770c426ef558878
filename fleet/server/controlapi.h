#pragma once

#include "httpresponse.h"

#include <QAbstractHttpServer>
#include <QString>
#include <QStringList>

namespace rwd::fleet {

class Fleet;

// The fleet's control API on 127.0.0.1 (OS-chosen port); JSON in and out. docs/fleet.md is the
// full reference.
//
//   GET  /state                        ready-line JSON + "faults" + "load" ({"rps","write_rps"});
//                                      "assets" adds "version" and "versions", "cdn" adds the
//                                      counters "hits", "misses", "purges", "purged_objects",
//                                      "cached_objects"
//   GET  /services                     {"services": {NAME: service JSON}}
//   GET  /services/{name}              one service's JSON
//   POST /services/{name}/deploy       {"colour": NAME, "version": V} or
//                                      {"instance": NAME, "version": V} -> service JSON
//   GET|PUT|DELETE /services/{name}/versions/{v}/fault   profile; PUT merges the given keys,
//                                      DELETE clears it
//   GET  /services/{name}/route        {"live": DOMINANT, "weights": {NAME: W}}, read back from
//                                      the upstream file (every instance listed, 0 if left out)
//   POST /services/{name}/route        one of {"colour": NAME} (all traffic to one instance),
//                                      {"instances": [NAME, ...]} (equal shares) or
//                                      {"weights": {NAME: W, ...}} (integers 0..100, at least one
//                                      > 0; 0 leaves the instance out) -> as GET
//   GET  /load?since_ms=EPOCH_MS[&service=NAME]   load-generator statistics, reads under
//                                      "services", POST /orders under "writes"
//   PUT  /load                         {"rps": N} and/or {"write_rps": N} -> {"rps","write_rps"}
//   GET  /assets                       {"service","dir","current","version","versions"}
//   POST /assets                       {"version": V, "broken": false} writes
//                                      DIR/assets/V/app.js -> GET /assets's answer
//   POST /assets/activate              {"version": V} re-points DIR/assets/current at V
//                                      -> {"version": V, "previous": P}
//   GET  /metrics                      every instance's metrics (Prometheus text)
//   POST /shutdown                     {"status":"stopping"}, then shutdownRequested
//
// Errors are {"code","message"}: 400 invalid_json / invalid_request for malformed JSON, wrong
// types, unknown or conflicting keys and out-of-range values; 404 not_found, unknown_service,
// unknown_instance, unknown_asset_version, no_assets_service; 405 method_not_allowed;
// 500 nginx_failed when nginx rejects a route switch (the previous upstream file is restored),
// 500 assets_failed when the asset files cannot be written. Malformed input never crashes the
// fleet.
class ControlApi : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit ControlApi(Fleet &fleet, QObject *parent = nullptr);

    bool start(QString *error);
    [[nodiscard]] QString url() const; // "http://127.0.0.1:PORT"

signals:
    // Emitted from the event loop after the answer to POST /shutdown has been handed to the
    // socket.
    void shutdownRequested();

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Reply
    {
        int status = 200;
        QByteArray body;
        HttpHeaders headers;
        QByteArray contentType = {}; // empty: JSON
    };

    Reply dispatch(const QHttpServerRequest &request, bool *shutdown);
    Reply handleState(const QHttpServerRequest &request);
    Reply handleService(const QHttpServerRequest &request, const QString &service);
    Reply handleDeploy(const QHttpServerRequest &request, const QString &service);
    Reply handleFault(const QHttpServerRequest &request, const QString &service,
                      const QString &version);
    Reply handleRoute(const QHttpServerRequest &request, const QString &service);
    Reply handleLoad(const QHttpServerRequest &request);
    Reply handleAssets(const QHttpServerRequest &request);
    Reply handleActivateAssets(const QHttpServerRequest &request);

    static Reply json(int status, const QJsonObject &body);
    static Reply error(int status, const QString &code, const QString &message);
    static Reply methodNotAllowed(const QStringList &allowed);
    static Reply unknownService(const QString &service);
    Reply unknownInstance(const QString &service, const QString &instance) const;

    Fleet &m_fleet;
    quint16 m_port = 0;
};

} // namespace rwd::fleet
