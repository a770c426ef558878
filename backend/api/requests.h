#pragma once

#include "common/error.h"
#include "orchestrator/planner.h"
#include "releases/releasetracker.h"

#include <QByteArray>
#include <QJsonObject>

#include <variant>

namespace rwd::api {

// Decoding of what clients send, kept apart from the handlers so that it can be fuzzed on its
// own (fuzz/fuzz_api.cpp): any bytes give a request or an Error, never a crash.

// The body of POST /api/v1/deployments.
[[nodiscard]] std::variant<releases::DeploymentRequest, Error>
parseDeploymentRequest(const QByteArray &body);

// The body of POST /api/v1/rollbacks (trigger "api").
[[nodiscard]] std::variant<orchestrator::RollbackRequest, Error>
parseRollbackRequest(const QByteArray &body);

// One text message a WebSocket client sent: {"type": "auth", "token"} or {"type": "ping"}.
struct ClientMessage
{
    QString type;
    QString token; // auth
};
[[nodiscard]] std::variant<ClientMessage, Error> parseClientMessage(const QByteArray &text);

} // namespace rwd::api
