#pragma once

#include "client/restclient.h"

#include <QJsonObject>

namespace rwd::client {

// Runs one REST call to completion by spinning a local event loop. For command-line tools and
// test harnesses only — never for the dashboard core, which must not block.
[[nodiscard]] RestResult callAndWait(RestClient &rest, const QByteArray &method,
                                     const QString &path, const QJsonObject &body = {});

} // namespace rwd::client
