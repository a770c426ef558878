#pragma once

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace rwd::http {

class CurlMulti;

// One HTTP request, as checks and fetchers describe it.
struct Request
{
    QByteArray method = "GET";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;                    // sent when not empty (and always for POST and PUT)
    qint64 timeoutMs = 5000;            // the whole exchange: connect, send, the last body byte
    qint64 maxBytes = 16 * 1024 * 1024; // a larger answer is refused, not buffered
    bool keepBody = true;               // false: the body is read and dropped (status-only checks)
    bool tlsVerify = true;              // certificate and host name
};

// What came back: a status and a body, or why there is none.
struct Response
{
    int status = 0;  // 0 when no complete answer arrived
    QByteArray body; // the whole body when Request::keepBody
    QString error;   // empty when a complete answer arrived
    bool timedOut = false;
    bool tooLarge = false;
    // The request could not be made because of this process, not the server: no file descriptor
    // or memory for it, or the event loop was held up so long that its timeout passed unseen.
    // Says nothing about the server (a check records it as a check error).
    bool local = false;
};

// Whether this process has run out of file descriptors (an open(2) of /dev/null fails with
// EMFILE or ENFILE). Cheap; meant for telling Rewind's own trouble from a target's failure.
[[nodiscard]] bool outOfDescriptors();

// An asynchronous HTTP/1.1 client for the event loop of the thread that owns it, built on
// libcurl's multi interface driven by QSocketNotifier and one QTimer: no thread of its own, no
// per-request QObject, connections kept alive and reused across requests. This is what lets
// one core run ten thousand checks a second (docs/performance.md); QNetworkAccessManager hands
// every request to a worker thread and back, which costs several times more per request.
// Redirects are never followed. At most kMaxHostConnections requests to one host are in flight;
// more wait in a queue of their host (still within their own timeout), so a slow host never
// holds up requests to other hosts, and libcurl's per-transfer bookkeeping stays small.
class Client final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const Response &)>;
    using Id = quint64;
    static constexpr int kMaxHostConnections = 32;

    explicit Client(QObject *parent = nullptr);
    ~Client() override;

    // Starts a request. `done` is called exactly once, later, from the event loop (never from
    // inside start()), unless cancel(id) comes first.
    Id start(const Request &request, Done done);
    // Abandons a running request; its `done` is not called. Unknown ids are ignored.
    void cancel(Id id);

    [[nodiscard]] int running() const { return int(m_transfers.size()); }

private:
    struct Transfer;
    struct Host
    {
        int inFlight = 0;
        std::deque<Transfer *> waiting;
    };

    void finished(void *easy, int result); // a transfer ended (a CURL * and its CURLcode)
    void release(Transfer *transfer);
    void launch(Transfer *transfer);
    void leave(Transfer *transfer); // a transfer in flight ended: start its host's next one

    std::unique_ptr<CurlMulti> m_curl;
    QHash<Id, Transfer *> m_transfers;
    QHash<QString, Host> m_hosts;
    std::vector<void *> m_idleHandles; // easy handles kept for reuse
    Id m_nextId = 1;
};

} // namespace rwd::http
