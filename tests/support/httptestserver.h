#pragma once

// Small HTTP/1.1 servers on 127.0.0.1 for tests that need a peer real servers rarely imitate:
// one that records every request as it arrived on the wire and answers from a script, and one
// that answers every request with the same bytes (or never). Both listen on a port the kernel
// picks as soon as they are made.

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QTcpServer>
#include <QUrl>

namespace rwd::testing {

// One request as read off the wire: the request target undecoded, header names lower-cased.
struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
    QByteArray raw; // the request line, headers and body, byte for byte

    [[nodiscard]] QJsonObject json() const;
};

// Records each request (method, target, headers, body) and answers it with the next of
// `answers` — (status, body) pairs — or, once they are used up, with `status` and `answer`;
// then closes the connection.
class RecordingHttpServer : public QObject
{
public:
    RecordingHttpServer();

    [[nodiscard]] bool isListening() const { return m_server.isListening(); }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    // http://127.0.0.1:PORT followed by `path`.
    [[nodiscard]] QString url(const QString &path = {}) const;

    QList<HttpRequest> requests;
    QList<QPair<int, QByteArray>> answers;
    int status = 200;
    QByteArray answer = "ok";

private:
    QTcpServer m_server;
};

// Answers every complete request with `answer` as it is (a whole HTTP response, or anything
// else), keeping the connection open — or never, when `answer` is empty. It counts connections
// and keeps what it received.
class CannedHttpServer : public QObject
{
public:
    explicit CannedHttpServer(QByteArray answer);

    [[nodiscard]] bool isListening() const { return m_server.isListening(); }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] QString url(const QString &path = {}) const;
    // Every complete request, byte for byte.
    [[nodiscard]] const QList<QByteArray> &requests() const { return m_requests; }
    // Every byte received, in order, complete requests or not.
    [[nodiscard]] const QByteArray &received() const { return m_received; }
    [[nodiscard]] int connections() const { return m_connections; }

private:
    QTcpServer m_server;
    QByteArray m_answer;
    QList<QByteArray> m_requests;
    QByteArray m_received;
    int m_connections = 0;
};

// An HTTP/1.1 response with `body`, its Content-Length and any `headers` ("Name: value\r\n"
// lines).
[[nodiscard]] QByteArray httpResponse(const QByteArray &body, const QByteArray &status = "200 OK",
                                      const QByteArray &headers = {});

// A port on 127.0.0.1 nobody listens on: one the kernel just handed out and took back.
[[nodiscard]] quint16 closedPort();

} // namespace rwd::testing
