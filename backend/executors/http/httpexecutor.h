#pragma once

#include "config/secret.h"
#include "executors/executor.h"
#include "executors/template.h"

#include <QHash>
#include <QJsonValue>
#include <QObject>

#include <memory>

namespace rwd::http {
class Client;
}

namespace rwd::executors {

// `type: http` — performs each action as one HTTP request built from templates: the URL (each
// variable percent-encoded, so a value can never change the path or add a query), headers
// (values may be `env:`/`file:` secrets, redacted from everything Rewind keeps), and a body —
// either `json:` (a YAML tree whose strings are templates; serialized as JSON, so values are
// always escaped) or `body:` text with a `content_type`. Passes when the status is one of
// `expect_status`. Connection failures, timeouts, 429 and 5xx answers may be retried.
class HttpExecutor final : public Executor
{
public:
    struct Action
    {
        QByteArray method = "POST";
        Template url;
        QList<QPair<QString, Template>> headers;
        std::optional<QJsonValue> json; // a tree whose strings are templates
        Template body;
        QString contentType;
        QList<QPair<int, int>> expectStatus{{200, 299}};
        qint64 timeoutMs = 10'000;
        bool idempotent = false;
    };
    struct Options
    {
        QString name;
        QString baseUrl; // prefix of action URLs that start with '/'
        QList<QPair<QString, config::Secret>> headers;
        bool tlsVerify = true;
        QHash<QString, Action> actions;
    };

    HttpExecutor(Options options, std::unique_ptr<http::Client> client);
    ~HttpExecutor() override;

    [[nodiscard]] QStringList actions() const override;
    [[nodiscard]] bool idempotent(const QString &action) const override;
    void execute(const QString &action, const QJsonObject &params, Done done) override;

    static std::unique_ptr<Executor> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

private:
    Options m_options;
    std::unique_ptr<http::Client> m_client;
};

} // namespace rwd::executors
