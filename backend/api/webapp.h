#pragma once

#include "httpserver.h"

#include <QString>

namespace rwd::api {

// Registers GET and HEAD of /app/ and /app/{path} on `server`: the browser build of the dashboard
// (Qt for WebAssembly: rewind-web.html, rewind-web.js, rewind-web.wasm, qtloader.js, …) from the
// files directly in `webRoot`, without a token (the app signs in through the API itself).
//
// /app/ is index.html, or else the only *.html file; /app redirects to /app/ (308). A name with
// `/`, `\`, NUL or a leading dot, or one whose real path (symbolic links followed) is outside
// `webRoot` or not a regular file, answers 404, as does a missing file. A precompressed sibling
// (NAME.br, then NAME.gz) goes out instead of NAME when Accept-Encoding allows it, with
// Content-Encoding; every file answer carries Vary: Accept-Encoding, an ETag (size and time of
// the file sent; If-None-Match answers 304) and X-Content-Type-Options: nosniff. HTML is
// Cache-Control: no-cache, everything else public, max-age=3600. Contents are kept in memory,
// read again when a file's size or modification time changes.
//
// With an empty `webRoot` the routes are still there (they are documented), answering 404.
void registerWebAppRoutes(HttpServer &server, const QString &webRoot);

// The Content-Type of a file of the web build, from its name.
[[nodiscard]] QByteArray webContentType(const QString &fileName);

} // namespace rwd::api
