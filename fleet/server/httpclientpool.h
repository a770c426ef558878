#pragma once

#include <QByteArray>
#include <QObject>
#include <QUrl>

#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace rwd::fleet {

// Issues plain GET and POST requests over loopback without client-side queueing.
//
// A QNetworkAccessManager (Qt 6.4) opens at most six connections per host and queues the rest,
// so a single manager would distort the load generator's pacing and latencies as soon as a
// latency fault makes requests overlap. The pool hands each request to the least busy manager
// and adds a manager when all are saturated, up to maxManagers (each costs one Qt HTTP thread).
class HttpClientPool : public QObject
{
    Q_OBJECT

public:
    explicit HttpClientPool(int maxManagers, QObject *parent = nullptr);
    ~HttpClientPool() override;

    // Starts GET url with a transfer timeout; the caller owns the reply (deleteLater it after
    // finished()). No proxy, no cache, no redirects.
    QNetworkReply *get(const QUrl &url, int transferTimeoutMs);
    // Starts POST url with body as contentType, like get().
    QNetworkReply *post(const QUrl &url, const QByteArray &body, const QByteArray &contentType,
                        int transferTimeoutMs);

    [[nodiscard]] int managerCount() const { return static_cast<int>(m_managers.size()); }

private:
    struct Slot
    {
        QNetworkAccessManager *manager = nullptr;
        int inFlight = 0;
    };

    Slot &leastBusySlot();
    QNetworkReply *send(const QUrl &url, int transferTimeoutMs, const QByteArray *body,
                        const QByteArray &contentType);

    int m_maxManagers;
    std::vector<Slot> m_managers;
};

} // namespace rwd::fleet
