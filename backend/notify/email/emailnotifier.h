#pragma once

#include "config/secret.h"
#include "notify/notifier.h"

#include <QByteArray>
#include <QStringList>

#include <memory>

namespace rwd::notify {

class SmtpClient;

// `type: email` — sends the message as a plain-text mail (UTF-8) through an SMTP server, with
// libcurl's SMTP support. `url: smtp://host:587` upgrades the session with STARTTLS (required
// unless `tls: none`); `url: smtps://host:465` speaks TLS from the start. AUTH with `username`
// and `password` (a secret) when given. The server's certificate is verified (against
// `ca_file` when given). A 4xx reply (421, 450, 454…) or no answer is worth retrying; a 5xx
// reply (a refused login, an unknown recipient) is not.
class EmailNotifier final : public Notifier
{
public:
    enum class Tls
    {
        StartTls, // smtp://, then STARTTLS before anything else; refuse a server without it
        Tls,      // smtps://: TLS from the first byte
        None,     // smtp:// in clear text (a local relay only)
    };
    struct Options
    {
        QString name;
        QString url;      // smtp://host:port or smtps://host:port
        QString from;     // "Rewind <rewind@example.com>" or a bare address
        QStringList to;   // the same forms
        QString username; // empty: no AUTH
        config::Secret password;
        Tls tls = Tls::StartTls;
        bool tlsVerify = true;
        QString caFile; // absolute
        qint64 timeoutMs = 30'000;
    };

    explicit EmailNotifier(Options options);
    ~EmailNotifier() override;

    void send(const Message &message, Done done) override;

    // The RFC 5322 message for `message` (CRLF line ends), as sent at `sentAtMs`.
    [[nodiscard]] static QByteArray mail(const Options &options, const Message &message,
                                         qint64 sentAtMs);
    // The address inside "Name <address>", or the text itself.
    [[nodiscard]] static QString address(const QString &mailbox);

    static std::unique_ptr<Notifier> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

private:
    Options m_options;
    std::unique_ptr<SmtpClient> m_client;
};

} // namespace rwd::notify
