#pragma once

#include "httpresponse.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QUrl>

class QTcpServer;

namespace rwd::fleet {

class HttpClientPool;

// A CDN edge in front of the assets service, on its own 127.0.0.1 port (OS-chosen):
//
//   GET|HEAD /assets/...   from the cache ("X-Cache: HIT"), or fetched from the assets
//                          service's nginx frontend on a miss ("X-Cache: MISS"). Answers 200 are
//                          kept until purged, whatever their caching headers say; other answers
//                          are passed on and not kept. 502 if the origin does not answer.
//   POST /client/v4/zones/{zone}/purge_cache
//                          Cloudflare's purge API, so that Rewind's http executor configured for
//                          Cloudflare works against the fleet: "Authorization: Bearer TOKEN",
//                          body {"purge_everything": true} or {"files": [URL | {"url": URL}]}
//                          (matched on path and query; scheme and host are ignored)
//                          -> 200 {"success":true,"errors":[],"messages":[],"result":{"id":ZONE}}.
//                          Wrong or missing token -> 403 {"success":false,"errors":[{"code":10000,
//                          "message":"Authentication error"}],...}; zone other than kZone -> 404
//                          (code 7003); malformed body -> 400 (code 1012); other method -> 405.
//
// A purge also discards the answers of origin fetches still in flight, so content fetched
// before a purge is never cached after it.
class CdnEdge : public QAbstractHttpServer
{
    Q_OBJECT

public:
    static constexpr const char *kZone = "fleet";
    static constexpr int kOriginTimeoutMs = 5000;

    // origin: the assets service's nginx frontend, "http://127.0.0.1:PORT".
    CdnEdge(QUrl origin, QString token, HttpClientPool *http, QObject *parent = nullptr);
    ~CdnEdge() override;

    bool start(QString *error);
    // Stops listening and drops connections. Idempotent.
    void stop();

    [[nodiscard]] QString url() const; // "http://127.0.0.1:PORT"

    // {"url","zone","hits","misses","purges","purged_objects","cached_objects"}; purges counts
    // successful purge requests.
    [[nodiscard]] QJsonObject stateJson() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Entry
    {
        QByteArray contentType;
        QByteArray body;
        qint64 storedMs = 0;
    };

    void serveAsset(const QHttpServerRequest &request, QTcpSocket *socket, const QString &key);
    void handlePurge(const QHttpServerRequest &request, QTcpSocket *socket, const QString &zone);
    [[nodiscard]] static QString cacheKey(const QUrl &url);

    QUrl m_origin;
    QString m_token;
    HttpClientPool *m_http;
    QTcpServer *m_listener = nullptr;
    quint16 m_port = 0;
    QHash<QString, Entry> m_cache;
    quint64 m_generation = 0; // incremented by every purge
    qint64 m_hits = 0;
    qint64 m_misses = 0;
    qint64 m_purges = 0;
    qint64 m_purgedObjects = 0;
};

} // namespace rwd::fleet
