#include "httpnotify.h"

#include "http/client.h"

namespace rwd::notify::httpnotify {

namespace {

constexpr qsizetype kShownBody = 200;

bool isHttpUrl(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") &&
           !url.host().isEmpty();
}

} // namespace

QString origin(const QUrl &url)
{
    QString text = url.scheme() + QStringLiteral("://") + url.host(QUrl::FullyEncoded);
    if (url.port() > 0)
        text += u':' + QString::number(url.port());
    return text;
}

std::optional<config::Secret> readUrl(config::MapReader &r, const QString &key,
                                      const config::Config &config, config::Need need)
{
    const auto text = r.string(key, need);
    if (!text)
        return std::nullopt;
    auto secret = config::Secret::parse(*text, config.baseDirectory);
    if (!secret) {
        r.errorAt(key, QStringLiteral("'%1' of %2: %3").arg(key, r.what(), secret.error().message));
        return std::nullopt;
    }
    // The text is not echoed: a literal webhook URL carries its token.
    if (secret->source() == config::Secret::Source::Literal &&
        !isHttpUrl(QUrl(*text, QUrl::StrictMode)))
        r.errorAt(key, QStringLiteral("'%1' of %2 must be an http:// or https:// URL (or an env: "
                                      "or file: reference to one)")
                           .arg(key, r.what()));
    return *std::move(secret);
}

Result<QUrl> resolveUrl(const config::Secret &url, const QString &what,
                        executors::Redactor &redactor)
{
    const auto text = url.resolve();
    if (!text)
        return failure(QStringLiteral("the URL of %1 (%2): %3")
                           .arg(what, url.redacted(), text.error().message));
    const QUrl parsed(text->trimmed(), QUrl::StrictMode);
    redactor.add(text->trimmed());
    redactor.add(QString::fromUtf8(parsed.toEncoded()));
    redactor.add(parsed.path(QUrl::FullyEncoded));
    redactor.add(parsed.path(QUrl::FullyDecoded));
    redactor.add(parsed.query(QUrl::FullyEncoded));
    redactor.add(parsed.password(QUrl::FullyDecoded));
    if (!isHttpUrl(parsed))
        return failure(QStringLiteral("the URL of %1 (%2) is not an http:// or https:// URL")
                           .arg(what, url.redacted()));
    return parsed;
}

Result<QString> resolveSecret(const config::Secret &secret, const QString &what,
                              executors::Redactor &redactor)
{
    auto value = secret.resolve();
    if (!value)
        return failure(
            QStringLiteral("%1 (%2): %3").arg(what, secret.redacted(), value.error().message));
    redactor.add(*value);
    return value;
}

Outcome result(const http::Response &response, const QString &what, bool accepted,
               const executors::Redactor &redactor)
{
    if (response.status == 0)
        return {false, true, redactor.apply(QStringLiteral("%1: %2").arg(what, response.error))};
    const QString body =
        redactor.apply(QString::fromUtf8(response.body.left(kShownBody))).simplified();
    const QString answer = QStringLiteral("%1 answered HTTP %2%3")
                               .arg(what)
                               .arg(response.status)
                               .arg(body.isEmpty() ? QString() : QStringLiteral(": ") + body);
    if (accepted)
        return {true, false, redactor.apply(answer)};
    const bool retryable = response.status == 429 || response.status >= 500;
    return {false, retryable, redactor.apply(answer)};
}

Transport readTransport(config::MapReader &r)
{
    Transport t;
    t.timeoutMs = r.durationMs(QStringLiteral("timeout"), t.timeoutMs);
    if (t.timeoutMs < 1)
        r.errorAt(QStringLiteral("timeout"),
                  QStringLiteral("'timeout' of %1 must be positive").arg(r.what()));
    t.tlsVerify = r.boolean(QStringLiteral("tls_verify")).value_or(true);
    return t;
}

} // namespace rwd::notify::httpnotify
