#include "connectionguard.h"

#include "logging/logging.h"

#include <QDir>
#include <QTcpSocket>

#if QT_CONFIG(ssl)
#include <QSslSocket>
#endif

#include <algorithm>
#include <chrono>
#include <unistd.h>

namespace rwd::api {

namespace {

auto log()
{
    return logging::get("api");
}

qint64 steadyMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// An accept that failed for want of a descriptor is retried after this long.
constexpr int kAcceptRetryMs = 100;
// The smallest cap, whatever the limits say: an operator can always reach /healthz.
constexpr int kMinimumCap = 8;
// A request line longer than this is not looked at (Qt's parser refuses it anyway).
constexpr qint64 kMaxRequestLine = 8192;

} // namespace

int connectionCap(const ConnectionLimits &limits, qint64 softLimit, int openNow)
{
    qint64 cap = limits.maxConnections;
    if (softLimit > 0)
        cap = std::min<qint64>(cap, softLimit - limits.reservedDescriptors - openNow);
    return int(std::max<qint64>(cap, kMinimumCap));
}

int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::System)
                   .size());
}

GuardedServer::GuardedServer(const ConnectionLimits &limits, int cap, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_cap(cap)
{
    // Qt stops accepting after an error such as EMFILE; the port must not stay deaf.
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        ++m_stats.acceptErrors;
        log()->error("cannot accept a connection ({}): trying again in {} ms",
                     errorString().toStdString(), kAcceptRetryMs);
        Q_UNUSED(error)
        QTimer::singleShot(kAcceptRetryMs, this, [this] { resumeAccepting(); });
    });
}

bool GuardedServer::makeRoom()
{
    ConnectionGuard *oldest = nullptr;
    for (auto *guard : std::as_const(m_guards)) {
        const qint64 since = guard->waitingSinceMs();
        if (since > 0 && (!oldest || since < oldest->waitingSinceMs()))
            oldest = guard;
    }
    if (!oldest)
        return false;
    ++m_stats.evicted;
    oldest->close(true);
    return true;
}

void GuardedServer::incomingConnection(qintptr descriptor)
{
    // The guard of a closed socket goes when the socket is deleted (later): count only those
    // still connected.
    if (open() >= m_cap && !makeRoom()) {
        ++m_stats.refused;
        ::close(int(descriptor));
        return;
    }
    ++m_stats.accepted;
#if QT_CONFIG(ssl)
    if (m_tls) {
        auto *socket = new QSslSocket(this);
        socket->setSslConfiguration(*m_tls);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        adopt(socket);
        connect(socket, &QSslSocket::encrypted, this,
                [this, socket] { addPendingConnection(socket); });
        connect(socket, &QAbstractSocket::errorOccurred, socket, [socket] {
            // A failed handshake: the socket never reached the HTTP server.
            if (!socket->isEncrypted())
                socket->deleteLater();
        });
        connect(socket, &QSslSocket::sslErrors, socket,
                [socket](const QList<QSslError> &) { socket->deleteLater(); });
        socket->startServerEncryption();
        return;
    }
#endif
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    adopt(socket);
    addPendingConnection(socket);
}

void GuardedServer::adopt(QTcpSocket *socket)
{
    m_guards.append(new ConnectionGuard(socket, *this));
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, GuardedServer &server)
    : QObject(socket)
    , m_socket(socket)
    , m_server(&server)
    , m_sinceMs(steadyMs())
{
    m_timer.setSingleShot(true);
    // A coarse timer may fire 5 % early: a timeout is never applied before it is due.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::expired);
    // Connected before the HTTP server's own slot (it connects when it takes the connection), so
    // the request line is read while it is still in the buffer.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QAbstractSocket::disconnected, this, [this] {
        m_timer.stop();
        if (m_server)
            m_server->m_guards.removeOne(this);
        m_server = nullptr;
#if QT_CONFIG(ssl)
        // A TLS connection that ended before its handshake never reached the HTTP server, which
        // deletes the sockets it took.
        if (auto *tls = qobject_cast<QSslSocket *>(m_socket); tls && !tls->isEncrypted())
            tls->deleteLater();
#endif
    });
    m_timer.start(int(server.limits().requestTimeoutMs));
}

ConnectionGuard::~ConnectionGuard()
{
    if (m_server)
        m_server->m_guards.removeOne(this);
}

void ConnectionGuard::onReadyRead()
{
    if (m_upgraded)
        return;
    if (m_idle) {
        // The next request begins: it must arrive whole within the request timeout.
        m_idle = false;
        m_lineRead = false;
        m_sinceMs = steadyMs();
        if (m_server)
            m_timer.start(int(m_server->limits().requestTimeoutMs));
    }
    if (!m_lineRead) {
        const QByteArray head =
            m_socket->peek(std::min(m_socket->bytesAvailable(), kMaxRequestLine));
        const auto end = head.indexOf("\r\n");
        if (end >= 0 || head.size() >= kMaxRequestLine) {
            m_lineRead = true;
            m_http10 = end >= 0 && head.left(end).trimmed().endsWith("HTTP/1.0");
        }
    }
}

void ConnectionGuard::answered()
{
    if (m_upgraded)
        return;
    m_idle = true;
    m_sinceMs = steadyMs();
    if (m_server)
        m_timer.start(int(m_server->limits().idleTimeoutMs));
}

void ConnectionGuard::upgraded()
{
    m_upgraded = true;
    m_timer.stop();
}

void ConnectionGuard::expired()
{
    if (m_server)
        ++m_server->m_stats.timedOut;
    close(false);
}

void ConnectionGuard::close(bool evicted)
{
    m_timer.stop();
    if (m_server)
        m_server->m_guards.removeOne(this);
    m_server = nullptr;
    // An idle connection is closed politely (an answer on its way still goes out); one that is
    // still sending its request is cut.
    if (m_idle || evicted)
        m_socket->disconnectFromHost();
    else
        m_socket->abort();
}

} // namespace rwd::api
