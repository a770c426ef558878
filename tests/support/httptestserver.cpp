#include "httptestserver.h"

#include <QJsonDocument>
#include <QTcpSocket>

#include <memory>
#include <optional>

namespace rwd::testing {

namespace {

// The first complete request at the start of `buffer`, taken out of it; nothing while its
// headers or its announced body are still on their way.
std::optional<HttpRequest> takeRequest(QByteArray &buffer)
{
    const auto end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    HttpRequest r;
    const auto lines = buffer.left(end).split('\n');
    const auto first = lines.first().trimmed().split(' ');
    r.method = first.value(0);
    r.target = first.value(1);
    for (const auto &line : lines.mid(1)) {
        const auto colon = line.indexOf(':');
        if (colon > 0)
            r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    const auto length = r.headers.value("content-length").toLongLong();
    if (buffer.size() < end + 4 + length)
        return std::nullopt;
    r.body = buffer.mid(end + 4, length);
    r.raw = buffer.left(end + 4 + length);
    buffer.remove(0, end + 4 + length);
    return r;
}

QString urlOf(quint16 port, const QString &path)
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);
}

} // namespace

QJsonObject HttpRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

RecordingHttpServer::RecordingHttpServer()
{
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (auto *socket = m_server.nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                *buffer += socket->readAll();
                const auto request = takeRequest(*buffer);
                if (!request)
                    return;
                requests.append(*request);
                const auto [code, body] = answers.isEmpty() ? QPair<int, QByteArray>{status, answer}
                                                            : answers.takeFirst();
                socket->write("HTTP/1.1 " + QByteArray::number(code) +
                              " X\r\nContent-Type: text/plain\r\nContent-Length: " +
                              QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" +
                              body);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

QString RecordingHttpServer::url(const QString &path) const
{
    return urlOf(port(), path);
}

CannedHttpServer::CannedHttpServer(QByteArray answer)
    : m_answer(std::move(answer))
{
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_connections;
            socket->setParent(this);
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                const auto data = socket->readAll();
                m_received += data;
                *buffer += data;
                while (const auto request = takeRequest(*buffer)) {
                    m_requests.append(request->raw);
                    if (!m_answer.isEmpty())
                        socket->write(m_answer);
                }
            });
        }
    });
    m_server.listen(QHostAddress::LocalHost, 0);
}

QString CannedHttpServer::url(const QString &path) const
{
    return urlOf(port(), path);
}

QByteArray httpResponse(const QByteArray &body, const QByteArray &status, const QByteArray &headers)
{
    return "HTTP/1.1 " + status + "\r\n" + headers +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    const auto port = server.serverPort();
    server.close();
    return port;
}

} // namespace rwd::testing
