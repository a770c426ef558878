#include "transport_qt.h"

#include "platformtransport.h"

namespace rwd::dashboard {

WebSocketTransport::WebSocketTransport(QObject *parent)
    : client::EventTransport(parent)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_open = true;
        emit opened();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &EventTransport::textReceived);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_open = false;
        const auto reason =
            m_socket.closeReason().isEmpty() ? m_socket.errorString() : m_socket.closeReason();
        emit closed(reason);
    });
}

WebSocketTransport::~WebSocketTransport()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void WebSocketTransport::open(const QUrl &url)
{
    m_socket.abort();
    m_socket.open(url);
}

void WebSocketTransport::close()
{
    m_socket.close();
}

void WebSocketTransport::sendText(const QString &message)
{
    if (m_open)
        m_socket.sendTextMessage(message);
}

client::EventTransport *createPlatformTransport()
{
    return new WebSocketTransport;
}

} // namespace rwd::dashboard
