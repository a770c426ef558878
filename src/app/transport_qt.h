#pragma once

#include "client/transport.h"

#include <QWebSocket>

namespace rwd::dashboard {

// The desktop's EventTransport: Qt WebSockets (transport_emscripten.cpp is the browser's).
class WebSocketTransport final : public client::EventTransport
{
    Q_OBJECT

public:
    explicit WebSocketTransport(QObject *parent = nullptr);
    ~WebSocketTransport() override;

    void open(const QUrl &url) override;
    void close() override;
    void sendText(const QString &message) override;

private:
    QWebSocket m_socket;
    bool m_open = false;
};

} // namespace rwd::dashboard
