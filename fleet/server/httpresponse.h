#pragma once

#include <QByteArray>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QList>
#include <QPointer>
#include <QTcpSocket>

#include <utility>

namespace rwd::fleet {

using HttpHeaders = QList<std::pair<QByteArray, QByteArray>>;

inline const QByteArray kJsonContentType = QByteArrayLiteral("application/json");

// A response that may be written after handleRequest() has returned (latency faults,
// dependency calls). Qt 6.4's QAbstractHttpServer deletes the socket when the client
// disconnects, so the socket is tracked with a QPointer and the write is skipped if it is gone.
// Only standard status codes known to QHttpServerResponder may be used.
class DeferredResponse
{
public:
    // The request is only inspected here (for HEAD); it may be gone by the time send() runs.
    DeferredResponse(QHttpServerResponder &&responder, const QHttpServerRequest &request,
                     QTcpSocket *socket);

    // True while the client is still connected and nothing has been sent yet.
    [[nodiscard]] bool canSend() const;

    // Writes status line, Content-Type, Content-Length, the extra headers and the body. Returns
    // false (and writes nothing) if the client is gone or a response was already sent.
    bool send(int status, const QByteArray &contentType, const QByteArray &body,
              const HttpHeaders &headers = {});

    bool sendJson(int status, const QByteArray &json, const HttpHeaders &headers = {})
    {
        return send(status, kJsonContentType, json, headers);
    }

    // Pushes buffered bytes to the kernel now; used before the process exits.
    void flush();

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_omitBody; // answers to HEAD carry the headers of the full answer but no body
    bool m_sent = false;
};

// Reserves count distinct free TCP ports on 127.0.0.1 by binding them all at once, then
// releases them for another process (nginx) to bind. Empty on failure.
[[nodiscard]] QList<quint16> pickFreeLoopbackPorts(int count, QString *error);

} // namespace rwd::fleet
