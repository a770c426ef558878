#pragma once

#include "apibackend.h"
#include "httpserver.h"

namespace rwd::api {

// Registers every /api/v1 route (docs/api/openapi.yaml) on `server`, answering through `backend`.
// All but /healthz, /metrics and POST /api/v1/login need a bearer token.
void registerRestRoutes(HttpServer &server, ApiBackend &backend);

// The caller as GET /api/v1/me shows it: name, roles per environment, token kind, expiry.
[[nodiscard]] QJsonObject principalJson(const auth::Principal &principal);

} // namespace rwd::api
