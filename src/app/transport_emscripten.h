#pragma once

#include "client/transport.h"

#include <emscripten/websocket.h>

namespace rwd::dashboard {

// The browser's EventTransport: the page's own WebSocket, through emscripten's WebSocket API
// (Qt WebSockets cannot be built for WebAssembly here). Its callbacks arrive on the page's one
// thread, between Qt's events, so they emit the transport's signals directly.
class BrowserWebSocketTransport final : public client::EventTransport
{
    Q_OBJECT

public:
    explicit BrowserWebSocketTransport(QObject *parent = nullptr);
    ~BrowserWebSocketTransport() override;

    void open(const QUrl &url) override;
    void close() override;
    void sendText(const QString &message) override;

    // The browser's callbacks, looked up by socket handle (a closed socket's late callbacks
    // find nothing).
    void onOpen();
    void onMessage(const EmscriptenWebSocketMessageEvent &event);
    void onClose(const EmscriptenWebSocketCloseEvent &event);
    void onError();

private:
    void release();

    EMSCRIPTEN_WEBSOCKET_T m_socket = 0;
    bool m_open = false;
    bool m_closedReported = false;
};

} // namespace rwd::dashboard
