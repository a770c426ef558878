#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace rwd::http {
class CurlMulti;
}

namespace rwd::notify {

// Sends mail through libcurl's SMTP support (EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA with
// dot-stuffing — none of it written here), on the event loop of the thread that owns the client:
// libcurl's multi interface driven by QSocketNotifier and one QTimer (http::CurlMulti, which
// http::Client uses for HTTP). Nothing blocks, and no thread is started.
class SmtpClient final : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray url;               // smtp://host:port or smtps://host:port
        QByteArray mailFrom;          // the envelope sender, a bare address
        QList<QByteArray> recipients; // bare addresses
        QByteArray message;           // the whole RFC 5322 message, CRLF line ends
        QByteArray username;          // empty: no AUTH
        QByteArray password;
        bool requireStartTls = false; // smtp://: upgrade with STARTTLS or fail
        bool tlsVerify = true;        // certificate and host name
        QByteArray caFile;            // trusted CA certificates (PEM) instead of the system's
        qint64 timeoutMs = 30'000;    // the whole exchange
    };
    // How the exchange ended.
    struct Response
    {
        bool ok = false;
        int smtpCode = 0;    // the server's last reply code (0: none)
        bool broken = false; // no connection, or it broke or timed out before the end
        bool loginDenied = false;
        bool tlsFailed = false; // STARTTLS refused, a handshake or certificate failure
        QString error;          // libcurl's explanation, empty when ok
    };
    using Done = std::function<void(const Response &)>;

    explicit SmtpClient(QObject *parent = nullptr);
    ~SmtpClient() override;

    // Starts sending. `done` is called exactly once, later, from the event loop (never from
    // inside send()), unless the client is destroyed first.
    void send(const Request &request, Done done);

    [[nodiscard]] int running() const { return int(m_transfers.size()); }

private:
    struct Transfer;

    void finished(void *easy, int result); // a transfer ended (a CURL * and its CURLcode)

    std::unique_ptr<http::CurlMulti> m_curl;
    QHash<void *, Transfer *> m_transfers; // by easy handle
};

} // namespace rwd::notify
