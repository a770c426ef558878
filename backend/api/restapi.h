#pragma once

#include "apibackend.h"
#include "httpserver.h"

namespace rwd::api {

// Registers the /api/v1 routes and /healthz on `server` (contract: docs/api/openapi.yaml).
void registerRestRoutes(HttpServer &server, ApiBackend &backend);

} // namespace rwd::api
