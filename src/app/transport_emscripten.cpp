#include "transport_emscripten.h"

#include "platformtransport.h"

#include <QHash>

namespace rwd::dashboard {

namespace {

// Live sockets and the transport each belongs to. The browser keeps calling a socket's handlers
// after emscripten_websocket_close; once released, its callbacks find nothing here.
QHash<EMSCRIPTEN_WEBSOCKET_T, BrowserWebSocketTransport *> &sockets()
{
    static QHash<EMSCRIPTEN_WEBSOCKET_T, BrowserWebSocketTransport *> table;
    return table;
}

EM_BOOL onOpenCb(int, const EmscriptenWebSocketOpenEvent *event, void *)
{
    if (auto *t = sockets().value(event->socket))
        t->onOpen();
    return EM_TRUE;
}

EM_BOOL onMessageCb(int, const EmscriptenWebSocketMessageEvent *event, void *)
{
    if (auto *t = sockets().value(event->socket))
        t->onMessage(*event);
    return EM_TRUE;
}

EM_BOOL onCloseCb(int, const EmscriptenWebSocketCloseEvent *event, void *)
{
    if (auto *t = sockets().value(event->socket))
        t->onClose(*event);
    return EM_TRUE;
}

EM_BOOL onErrorCb(int, const EmscriptenWebSocketErrorEvent *event, void *)
{
    if (auto *t = sockets().value(event->socket))
        t->onError();
    return EM_TRUE;
}

} // namespace

BrowserWebSocketTransport::BrowserWebSocketTransport(QObject *parent)
    : client::EventTransport(parent)
{}

BrowserWebSocketTransport::~BrowserWebSocketTransport()
{
    release();
}

void BrowserWebSocketTransport::release()
{
    if (m_socket <= 0)
        return;
    sockets().remove(m_socket);
    emscripten_websocket_close(m_socket, 1000, "");
    emscripten_websocket_delete(m_socket);
    m_socket = 0;
    m_open = false;
}

void BrowserWebSocketTransport::open(const QUrl &url)
{
    release();
    m_closedReported = false;
    const QByteArray address = url.toString(QUrl::FullyEncoded).toUtf8();
    EmscriptenWebSocketCreateAttributes attributes;
    emscripten_websocket_init_create_attributes(&attributes);
    attributes.url = address.constData();
    attributes.createOnMainThread = EM_TRUE;
    const EMSCRIPTEN_WEBSOCKET_T socket = emscripten_websocket_new(&attributes);
    if (socket <= 0) {
        m_closedReported = true;
        // Transport-level reasons stay in English, like Qt's own socket errors on the desktop.
        emit closed(QStringLiteral("The browser refused to open a WebSocket to %1.")
                        .arg(url.toDisplayString()));
        return;
    }
    m_socket = socket;
    sockets().insert(socket, this);
    emscripten_websocket_set_onopen_callback(socket, nullptr, onOpenCb);
    emscripten_websocket_set_onmessage_callback(socket, nullptr, onMessageCb);
    emscripten_websocket_set_onclose_callback(socket, nullptr, onCloseCb);
    emscripten_websocket_set_onerror_callback(socket, nullptr, onErrorCb);
}

void BrowserWebSocketTransport::close()
{
    if (m_socket > 0)
        emscripten_websocket_close(m_socket, 1000, "");
}

void BrowserWebSocketTransport::sendText(const QString &message)
{
    if (m_open)
        emscripten_websocket_send_utf8_text(m_socket, message.toUtf8().constData());
}

void BrowserWebSocketTransport::onOpen()
{
    m_open = true;
    emit opened();
}

void BrowserWebSocketTransport::onMessage(const EmscriptenWebSocketMessageEvent &event)
{
    if (!event.isText || event.data == nullptr)
        return; // rewindd speaks text frames only
    // A text message's byte count includes its terminating NUL.
    int size = int(event.numBytes);
    if (size > 0 && event.data[size - 1] == 0)
        --size;
    emit textReceived(QString::fromUtf8(reinterpret_cast<const char *>(event.data), size));
}

void BrowserWebSocketTransport::onClose(const EmscriptenWebSocketCloseEvent &event)
{
    const QString reason = QString::fromUtf8(event.reason);
    release();
    if (m_closedReported)
        return;
    m_closedReported = true;
    emit closed(reason.isEmpty()
                    ? QStringLiteral("The event stream closed (code %1).").arg(event.code)
                    : reason);
}

void BrowserWebSocketTransport::onError()
{
    // The browser follows an error with a close event; say it once, with the close's reason.
    if (!m_open) {
        release();
        if (!m_closedReported) {
            m_closedReported = true;
            emit closed(QStringLiteral("Could not open the event stream."));
        }
    }
}

client::EventTransport *createPlatformTransport()
{
    return new BrowserWebSocketTransport;
}

} // namespace rwd::dashboard
