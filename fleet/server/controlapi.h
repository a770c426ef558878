#pragma once

#include "httpresponse.h"

#include <QAbstractHttpServer>
#include <QString>
#include <QStringList>

namespace rwd::fleet {

class Fleet;

// The fleet's control API on 127.0.0.1 (OS-chosen port); JSON in and out.
//
//   GET  /state                                       ready-line JSON + "faults" + "load"
//   GET  /services/{name}                             one service's JSON
//   POST /services/{name}/deploy                      {"colour":"green","version":"v1.1"}
//   GET|PUT|DELETE /services/{name}/versions/{v}/fault   profile; PUT merges the given keys,
//                                                     DELETE clears it
//   GET|POST /services/{name}/route                   {"live":"blue"} / {"colour":"green"}
//   GET  /load?since_ms=EPOCH_MS[&service=NAME]       load-generator statistics
//   PUT  /load                                        {"rps":N}
//   POST /shutdown                                    {"status":"stopping"}, then shutdownRequested
//
// Errors are {"code","message"}: 400 for malformed JSON, wrong types, unknown keys and
// out-of-range values; 404 for unknown paths, services and colours; 405 for wrong methods;
// 500 nginx_failed when nginx rejects a route switch. Malformed input never crashes the fleet.
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

    static Reply json(int status, const QJsonObject &body);
    static Reply error(int status, const QString &code, const QString &message);
    static Reply methodNotAllowed(const QStringList &allowed);
    static Reply unknownService(const QString &service);

    Fleet &m_fleet;
    quint16 m_port = 0;
};

} // namespace rwd::fleet
