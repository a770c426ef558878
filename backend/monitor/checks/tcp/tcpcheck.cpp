#include "tcpcheck.h"

#include "common/clock.h"
#include "http/client.h"

#include <QHostAddress>
#include <QNetworkProxy>
#include <QTcpSocket>

#include <climits>
#include <optional>

namespace rwd::monitor {

namespace {

// Splits "host:port" or "[v6]:port" without resolving anything; nullopt when malformed.
std::optional<TcpCheck::Options> parseAddress(const QString &address)
{
    const auto colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    bool ok = false;
    const uint port = address.mid(colon + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return std::nullopt;
    QString host = address.left(colon);
    if (host.startsWith(u'[')) {
        if (!host.endsWith(u']'))
            return std::nullopt;
        host = host.mid(1, host.size() - 2);
        if (QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol)
            return std::nullopt;
    } else if (host.contains(u':') || host.contains(u'[') || host.contains(u']')) {
        // An IPv6 address without brackets: the port cannot be told apart reliably.
        return std::nullopt;
    }
    for (const QChar c : std::as_const(host)) {
        if (c.isSpace() || c == u'/')
            return std::nullopt;
    }
    if (host.isEmpty())
        return std::nullopt;
    TcpCheck::Options o;
    o.host = host;
    o.port = quint16(port);
    return o;
}

} // namespace

std::unique_ptr<Check> TcpCheck::create(config::MapReader &r, const config::CheckConfig &common,
                                        const CheckRuntime &runtime)
{
    Options o;
    if (const auto address = r.string(QStringLiteral("address"), config::Need::Required)) {
        if (const auto parsed = parseAddress(address->trimmed())) {
            o = *parsed;
        } else {
            r.errorAt(QStringLiteral("address"),
                      QStringLiteral("'address' of %1 must be HOST:PORT (IPv6 as [::1]:PORT) with "
                                     "a port from 1 to 65535, found '%2'")
                          .arg(r.what(), *address));
        }
    }
    o.timeoutMs = common.timeoutMs;
    return std::make_unique<TcpCheck>(std::move(o), runtime);
}

TcpCheck::TcpCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
{
    m_timeout.setSingleShot(true);
    // Never early (coarse timers may fire 5% early): "no connection within 300 ms" must be true.
    m_timeout.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timeout, &QTimer::timeout, &m_timeout, [this] {
        finish(false, QStringLiteral("no connection within %1 ms").arg(m_options.timeoutMs));
    });
}

TcpCheck::~TcpCheck()
{
    cancel();
}

void TcpCheck::probe(Done done)
{
    m_done = std::move(done);
    m_elapsed.start();
    auto *socket = new QTcpSocket;
    m_socket = socket;
    // A tcp check is about reaching the port itself, never through a configured proxy.
    socket->setProxy(QNetworkProxy::NoProxy);
    QObject::connect(socket, &QTcpSocket::connected, socket, [this] { finish(true, {}); });
    QObject::connect(
        socket, &QTcpSocket::errorOccurred, socket, [this, socket](QAbstractSocket::SocketError e) {
            switch (e) {
            case QAbstractSocket::ConnectionRefusedError:
                finish(false, QStringLiteral("connection refused"));
                break;
            case QAbstractSocket::HostNotFoundError:
                finish(false, QStringLiteral("host not found: %1").arg(m_options.host));
                break;
            case QAbstractSocket::SocketResourceError:
                finish(
                    false,
                    QStringLiteral("Rewind could not open a socket: %1").arg(socket->errorString()),
                    true);
                break;
            default:
                finish(false, socket->errorString(), http::outOfDescriptors());
                break;
            }
        });
    m_timeout.start(int(std::min<qint64>(m_options.timeoutMs, INT_MAX)));
    // Connecting from the event loop rather than here: connectToHost may report an immediate
    // failure (a refused loopback port) before it returns, and `done` must not run inside probe().
    // A cancel() before then drops the socket, and with it this call.
    QTimer::singleShot(0, socket, [this, socket] {
        if (socket == m_socket)
            socket->connectToHost(m_options.host, m_options.port);
    });
}

void TcpCheck::finish(bool ok, const QString &error, bool checkError)
{
    stop();
    Sample s;
    s.ok = ok;
    s.error = error;
    s.checkError = checkError;
    // Measured with a monotonic nanosecond timer rather than the millisecond clock: a connection
    // on a local network takes well under a millisecond.
    s.latency = double(m_elapsed.nsecsElapsed()) / 1e9;
    s.timeMs = m_runtime.clock->nowMs();
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(s);
}

void TcpCheck::stop()
{
    m_timeout.stop();
    if (m_socket) {
        auto *socket = m_socket.data();
        m_socket = nullptr;
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
    }
}

void TcpCheck::cancel()
{
    m_done = nullptr;
    stop();
}

} // namespace rwd::monitor
