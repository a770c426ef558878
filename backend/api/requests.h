#pragma once

#include "common/error.h"
#include "common/result.h"
#include "orchestrator/planner.h"
#include "releases/releasetracker.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>
#include <variant>

namespace rwd::api {

// Decoding of what clients send, kept apart from the handlers so that it can be fuzzed on its
// own (fuzz/fuzz_api.cpp): any bytes give a request or an Error, never a crash.

// The body of POST /api/v1/deployments.
[[nodiscard]] Result<releases::DeploymentRequest> parseDeploymentRequest(const QByteArray &body);

// The body of POST /api/v1/rollbacks (trigger "api").
[[nodiscard]] Result<orchestrator::RollbackRequest> parseRollbackRequest(const QByteArray &body);

// A time in a query parameter: milliseconds since the epoch, or ISO 8601 (UTC unless it has an
// offset). Absent or empty: none. `name` is the parameter's, for the message.
[[nodiscard]] Result<std::optional<qint64>> parseTimeParam(const QString &name,
                                                           const QString &text);

// ?series=a,b of the metrics route: prefixes of series names, separated by commas outside
// parentheses (rule terms such as `error_rate(traffic, 1m)` contain commas), trimmed; empty
// items are dropped.
[[nodiscard]] QStringList parseSeriesPrefixes(const QString &text);

// One text message a WebSocket client sent: {"type": "auth", "token"}, {"type": "ping"} or
// {"type": "subscribe_metrics", "services": […]}.
struct ClientMessage
{
    QString type;
    QString token;        // auth
    QStringList services; // subscribe_metrics, without duplicates
};
[[nodiscard]] Result<ClientMessage> parseClientMessage(const QByteArray &text);

} // namespace rwd::api
