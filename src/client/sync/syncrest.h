#pragma once

#include "client/restclient.h"

#include <QJsonObject>

namespace rwd::client {

// Runs one REST call to completion by spinning a local event loop. For command-line tools and
// test harnesses only — never for the dashboard core, which must not block.
[[nodiscard]] RestResult callAndWait(RestClient &rest, const QByteArray &method,
                                     const QString &path, const QJsonObject &body = {});
// A GET whose answer need not be JSON; the body is in `body`.
[[nodiscard]] RestResult fetchAndWait(RestClient &rest, const QString &path, QByteArray *body);
// Lets the event loop run for `ms` (command-line tools polling a server).
void waitMs(int ms);

} // namespace rwd::client
