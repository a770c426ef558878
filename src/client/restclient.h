#pragma once

#include "common/error.h"

#include <QJsonDocument>
#include <QObject>
#include <QSslCertificate>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace rwd::client {

// The answer to one REST call.
struct RestResult
{
    int status = 0;     // HTTP status; 0 when no answer came
    QJsonDocument body; // parsed JSON body (null when not JSON)
    QByteArray raw;     // the body as it came (a report, a metrics page)
    std::optional<Error>
        error; // set unless 2xx: the server's {code, message}, or a transport error

    [[nodiscard]] bool ok() const { return !error; }
};

// Asynchronous JSON client of the /api/v1 REST API. Never blocks; results arrive through
// callbacks on the event loop.
class RestClient final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const RestResult &)>;

    explicit RestClient(QObject *parent = nullptr);

    void setBaseUrl(const QUrl &url) { m_base = url; }
    [[nodiscard]] const QUrl &baseUrl() const { return m_base; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // Sent as "Authorization: Bearer TOKEN" with every request (empty: none).
    void setToken(const QString &token) { m_token = token; }
    // Certificates to trust for https:// besides the system's (a private CA). False when `pem`
    // holds none.
    bool addCaCertificates(const QByteArray &pem);
    [[nodiscard]] const QString &token() const { return m_token; }

    void get(const QString &path, Callback done);
    void post(const QString &path, const QJsonObject &body, Callback done);
    // Any method with a JSON body (POST, PUT, PATCH, DELETE).
    void send(const QByteArray &method, const QString &path, const QJsonObject &body,
              Callback done);

    // `path` (which may carry a query) resolved against the base URL.
    [[nodiscard]] QUrl urlFor(const QString &path) const;

private:
    void track(QNetworkReply *reply, Callback done);

    QNetworkAccessManager *m_network;
    void prepare(QNetworkRequest &request) const;

    QUrl m_base;
    QString m_token;
    QList<QSslCertificate> m_extraCas;
    int m_timeoutMs = 15'000;
};

} // namespace rwd::client
