#pragma once

#include "config/secret.h"
#include "notify/httpnotify.h"
#include "notify/notifier.h"

#include <QByteArray>
#include <QJsonObject>

#include <memory>
#include <optional>

namespace rwd::http {
class Client;
}

namespace rwd::notify {

// `type: webhook` — posts the message as JSON to `url:`, for any receiver. Rewind's own body is
// `{event, title, text, severity, fields, sent_at}` with the headers `X-Rewind-Event` and
// `X-Rewind-Timestamp` (Unix seconds); with `secret:` also `X-Rewind-Signature: sha256=HEX`, the
// HMAC-SHA256 of "TIMESTAMP.BODY" under the secret, so the receiver can check that the request
// came from Rewind and is fresh. `format: pagerduty` sends a PagerDuty Events API v2 event
// instead (trigger; resolve when the rollback succeeded), to PagerDuty or anything that speaks
// it. A 2xx answer is delivered; 429, 5xx and no answer are worth retrying.
class WebhookNotifier final : public Notifier
{
public:
    enum class Format
    {
        Rewind,    // Rewind's JSON body
        PagerDuty, // a PagerDuty Events API v2 event
    };
    struct Options
    {
        QString name;
        config::Secret url;
        std::optional<config::Secret> secret;          // signs each request
        QList<QPair<QString, config::Secret>> headers; // added to each request
        Format format = Format::Rewind;
        config::Secret routingKey; // pagerduty: the integration's key
        httpnotify::Transport transport;
    };
    static constexpr auto kPagerDutyUrl = "https://events.pagerduty.com/v2/enqueue";

    explicit WebhookNotifier(Options options);
    ~WebhookNotifier() override;

    void send(const Message &message, Done done) override;

    // The bodies sent for `message`; public for tests and docs.
    [[nodiscard]] static QJsonObject rewindBody(const Message &message, qint64 sentAtMs);
    [[nodiscard]] static QJsonObject pagerDutyBody(const Message &message,
                                                   const QString &routingKey, qint64 sentAtMs);
    // "sha256=" and the hex HMAC-SHA256 of "TIMESTAMP.BODY" under `secret`.
    [[nodiscard]] static QByteArray signature(const QByteArray &secret, qint64 timestamp,
                                              const QByteArray &body);

    static std::unique_ptr<Notifier> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

private:
    Options m_options;
    std::unique_ptr<http::Client> m_client;
};

} // namespace rwd::notify
