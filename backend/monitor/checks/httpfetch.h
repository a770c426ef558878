#pragma once

#include <QByteArray>
#include <QNetworkRequest>
#include <QPointer>
#include <QString>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace rwd::monitor {

// What one HttpFetch brought back.
struct FetchResult
{
    int status = 0;  // the HTTP status; 0 when no answer arrived
    QByteArray body; // the whole body (also for error statuses, which often explain themselves)
    QString error;   // why no complete answer arrived; empty when one did
};

// One GET of a whole document (a metrics page, a query result) for checks that read data
// rather than judge a response. Bounded in time — the whole transfer, not only the gaps
// between bytes, so a server that trickles cannot hold a probe past its timeout — and in size,
// so a runaway endpoint cannot exhaust memory. Never blocks.
class HttpFetch
{
public:
    using Done = std::function<void(const FetchResult &)>;

    HttpFetch() = default;
    ~HttpFetch();
    Q_DISABLE_COPY_MOVE(HttpFetch)

    // Starts the request (cancelling one still running). `done` is called exactly once, from the
    // event loop, unless cancel() comes first.
    void start(QNetworkAccessManager &network, QNetworkRequest request, qint64 timeoutMs,
               qint64 maxBytes, Done done);
    // Abandons the running request; its `done` is not called.
    void cancel();

private:
    enum class Stop
    {
        None,
        Deadline,
        TooLarge,
    };

    void finished(QNetworkReply *reply, Stop stop, qint64 timeoutMs, qint64 maxBytes);

    QPointer<QNetworkReply> m_reply;
    Done m_done;
};

} // namespace rwd::monitor
