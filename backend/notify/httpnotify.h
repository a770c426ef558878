#pragma once

#include "config/config.h"
#include "config/secret.h"
#include "executors/template.h"
#include "notifier.h"

#include <QUrl>

#include <optional>

namespace rwd::http {
struct Response;
}

// What the HTTP notifiers (slack, webhook) share: reading `url:` as a secret, resolving it when
// sending without ever showing its path (a Slack webhook's token is its path), and turning an
// answer into an Outcome.
namespace rwd::notify::httpnotify {

// Where a URL points, safe for messages and logs: scheme://host[:port], never the user, path,
// query or fragment.
[[nodiscard]] QString origin(const QUrl &url);

// Reads `key` as a secret URL. A literal must be an http:// or https:// URL with a host; an
// `env:`/`file:` reference is checked when it is resolved.
[[nodiscard]] std::optional<config::Secret>
readUrl(config::MapReader &r, const QString &key, const config::Config &config, config::Need need);

// The URL now, with every part of it that could carry a token added to `redactor`. Fails, with a
// reason that names only the reference, when it cannot be resolved or is not an http(s) URL.
[[nodiscard]] Result<QUrl> resolveUrl(const config::Secret &url, const QString &what,
                                      executors::Redactor &redactor);

// Resolves a secret that is sent (a header, a signing key, a routing key), adding its value to
// `redactor`.
[[nodiscard]] Result<QString> resolveSecret(const config::Secret &secret, const QString &what,
                                            executors::Redactor &redactor);

// The outcome of an HTTP attempt. `accepted` says whether an answer counts as delivered; one
// that does not is retryable for 429 and 5xx, and so is no answer at all (a refused connection, a
// timeout). The answer's body (its start) is in the message, redacted.
[[nodiscard]] Outcome result(const http::Response &response, const QString &what, bool accepted,
                             const executors::Redactor &redactor);

// `timeout` (default 10 s) and `tls_verify` (default true), read the same way by both.
struct Transport
{
    qint64 timeoutMs = 10'000;
    bool tlsVerify = true;
};
[[nodiscard]] Transport readTransport(config::MapReader &r);

} // namespace rwd::notify::httpnotify
