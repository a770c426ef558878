#pragma once

#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>

#if QT_CONFIG(ssl)
#include <QSslConfiguration>
#endif

#include <optional>

class QTcpSocket;

namespace rwd::api {

// How many connections the API holds and for how long (server.max_connections,
// server.request_timeout, server.idle_timeout, server.reserved_descriptors). The API shares the
// process's file descriptors with the checks and the executors: however many connections arrive,
// it never takes the descriptors they need.
struct ConnectionLimits
{
    int maxConnections = 1024;
    qint64 requestTimeoutMs = 10'000; // from connecting (or the previous answer) to a whole request
    qint64 idleTimeoutMs = 60'000;    // a kept-alive connection without a request is closed
    int reservedDescriptors = 256;    // never used by the API: checks, executors, the store
};

// The number of connections the API may hold: max_connections, but never more than the
// open-file limit leaves once `reserved` descriptors and those open now (`openNow`) are set
// aside; at least 8, so that an operator can always reach /healthz.
[[nodiscard]] int connectionCap(const ConnectionLimits &limits, qint64 softLimit, int openNow);
// File descriptors this process has open now (from /proc/self/fd; 0 where it cannot tell).
[[nodiscard]] int openDescriptors();

class ConnectionGuard;

// The API's listening socket. Each accepted connection gets a ConnectionGuard (its child, so
// it lives exactly as long as the socket, whoever owns that later) which closes it when a
// request takes longer than the request timeout to arrive (slow headers) or it sits idle after
// an answer longer than the idle timeout. At the cap, the connection that has waited longest
// without a whole request (an idle or slow one) is closed to make room; if every connection is
// in use (WebSockets), the new one is closed at once. TLS, when configured, is negotiated here,
// within the request timeout. An accept that fails (no descriptor left) is retried shortly
// instead of leaving the port deaf (Qt stops accepting after such an error).
class GuardedServer final : public QTcpServer
{
    Q_OBJECT

public:
    struct Stats
    {
        quint64 accepted = 0;
        quint64 refused = 0;      // closed at once: the cap was reached and nothing could go
        quint64 evicted = 0;      // closed to make room for a new connection
        quint64 timedOut = 0;     // closed by the request or the idle timeout
        quint64 acceptErrors = 0; // accept() failed (e.g. no descriptor left)
    };

    GuardedServer(const ConnectionLimits &limits, int cap, QObject *parent = nullptr);
#if QT_CONFIG(ssl)
    void setTls(const QSslConfiguration &configuration)
    {
        m_tls = configuration;
    }
#endif

    [[nodiscard]] int open() const
    {
        return int(m_guards.size());
    }
    [[nodiscard]] int cap() const
    {
        return m_cap;
    }
    [[nodiscard]] const Stats &stats() const
    {
        return m_stats;
    }
    [[nodiscard]] const ConnectionLimits &limits() const
    {
        return m_limits;
    }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class ConnectionGuard;
    void adopt(QTcpSocket *socket);
    [[nodiscard]] bool makeRoom();

    ConnectionLimits m_limits;
    int m_cap;
    Stats m_stats;
    QList<ConnectionGuard *> m_guards; // in order of acceptance
#if QT_CONFIG(ssl)
    std::optional<QSslConfiguration> m_tls;
#endif
};

// Watches one connection of a GuardedServer (see there). Also reads each request's line, so
// that an HTTP/1.0 request without keep-alive gets its connection closed after the answer.
class ConnectionGuard final : public QObject
{
    Q_OBJECT

public:
    ConnectionGuard(QTcpSocket *socket, GuardedServer &server);
    ~ConnectionGuard() override;

    // The connection became a WebSocket: its own heartbeats watch it from now on.
    void upgraded();
    // A whole request arrived and is being answered: the connection is idle from now on (the
    // answer may still be on its way out; closing it lets that finish).
    void answered();
    // The request being answered was HTTP/1.0.
    [[nodiscard]] bool http10() const { return m_http10; }
    // Since when the connection waits for (the rest of) a request; 0 once upgraded.
    [[nodiscard]] qint64 waitingSinceMs() const { return m_upgraded ? 0 : m_sinceMs; }
    void close(bool evicted);

private:
    void onReadyRead();
    void expired();

    QTcpSocket *m_socket;
    QPointer<GuardedServer> m_server;
    QTimer m_timer;
    qint64 m_sinceMs = 0;
    bool m_idle = false;     // between an answer and the next request
    bool m_lineRead = false; // the current request's line has been read
    bool m_http10 = false;
    bool m_upgraded = false;
};

} // namespace rwd::api
