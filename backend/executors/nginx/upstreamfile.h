#pragma once

#include "common/result.h"

#include <QList>
#include <QString>

namespace rwd::executors::nginx {

// One `server` line of an nginx upstream block.
struct UpstreamServer
{
    QString address; // host:port
    int weight = 1;
};

// The upstream include file Rewind (and rewind-fleet) write:
//
//     # managed by rewind
//     upstream api {
//         server 127.0.0.1:9002;
//     }
[[nodiscard]] QString renderUpstream(const QString &name, const QList<UpstreamServer> &servers);

// The `server` lines of an upstream file; an empty list if there are none.
[[nodiscard]] QList<UpstreamServer> parseUpstream(const QString &text);

// Replaces `path` with `content` so that readers see either the old or the new file, never a
// partial one: write a temporary file in the same directory, flush it to disk, rename it over.
[[nodiscard]] Result<void> writeFileAtomically(const QString &path, const QByteArray &content);

} // namespace rwd::executors::nginx
