#pragma once

#include "client/transport.h"

namespace rwd::dashboard {

// The event transport of the platform this is built for: QWebSocket on the desktop
// (transport_qt.cpp), the browser's WebSocket through emscripten (transport_emscripten.cpp).
// CMake compiles exactly one of them. The caller owns the result.
[[nodiscard]] client::EventTransport *createPlatformTransport();

} // namespace rwd::dashboard
