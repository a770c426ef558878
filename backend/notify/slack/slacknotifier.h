#pragma once

#include "config/secret.h"
#include "notify/httpnotify.h"
#include "notify/notifier.h"

#include <QJsonObject>

#include <memory>

namespace rwd::http {
class Client;
}

namespace rwd::notify {

// `type: slack` — posts to a Slack incoming webhook (`url:`, normally `env:SLACK_WEBHOOK_URL`:
// the URL is the credential). The message is Slack "blocks": a header with the title, a section
// with the text, a section of fields (service, environment, trigger, severity, …) and a context
// line with the time. Slack answers 200 with the body `ok`; 429, 5xx and no answer are worth
// retrying, any other answer is not (a revoked hook, an archived channel, a bad payload).
class SlackNotifier final : public Notifier
{
public:
    struct Options
    {
        QString name;
        config::Secret url;
        QString username; // shown as the sender, when the app allows overriding it
        QString channel;  // for legacy webhooks that may post elsewhere than their channel
        httpnotify::Transport transport;
    };

    explicit SlackNotifier(Options options);
    ~SlackNotifier() override;

    void send(const Message &message, Done done) override;

    // The JSON posted for `message` (without username/channel); public for tests and docs.
    [[nodiscard]] static QJsonObject payload(const Message &message);

    static std::unique_ptr<Notifier> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

private:
    Options m_options;
    std::unique_ptr<http::Client> m_client;
};

} // namespace rwd::notify
