#include "httpresponse.h"

#include <QTcpServer>

#include <memory>
#include <vector>

namespace rwd::fleet {

DeferredResponse::DeferredResponse(QHttpServerResponder &&responder,
                                   const QHttpServerRequest &request, QTcpSocket *socket)
    : m_responder(std::move(responder))
    , m_socket(socket)
    , m_omitBody(request.method() == QHttpServerRequest::Method::Head)
{}

bool DeferredResponse::canSend() const
{
    return !m_sent && m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool DeferredResponse::send(int status, const QByteArray &contentType, const QByteArray &body,
                            const HttpHeaders &headers)
{
    if (!canSend())
        return false;
    m_sent = true;
    m_responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    m_responder.writeHeader(QByteArrayLiteral("Content-Type"), contentType);
    m_responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(body.size()));
    for (const auto &[name, value] : headers)
        m_responder.writeHeader(name, value);
    m_responder.writeBody(m_omitBody ? QByteArray() : body);
    return true;
}

void DeferredResponse::flush()
{
    if (m_socket)
        m_socket->flush();
}

QList<quint16> pickFreeLoopbackPorts(int count, QString *error)
{
    std::vector<std::unique_ptr<QTcpServer>> servers;
    QList<quint16> ports;
    for (int i = 0; i < count; ++i) {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            *error =
                QStringLiteral("cannot reserve a loopback port: %1").arg(server->errorString());
            return {};
        }
        ports.append(server->serverPort());
        servers.push_back(std::move(server));
    }
    return ports;
}

} // namespace rwd::fleet
