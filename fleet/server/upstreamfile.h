#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace rwd::fleet {

// The per-service nginx upstream file. Rewind's nginx executor writes the same format, so both
// the rendering and the parsing here are part of the fleet's contract:
//
//   # managed by rewind-fleet
//   upstream api {
//       server 127.0.0.1:PORT;
//   }
//
// Rewind may write several "server ADDR weight=N;" lines for canaries.

[[nodiscard]] QByteArray renderUpstreamFile(const QString &upstreamName, const QString &address);

struct UpstreamServer
{
    QString address;
    int weight = 1;

    friend bool operator==(const UpstreamServer &, const UpstreamServer &) = default;
};

// Every "server ADDR [params];" directive, in file order. Servers marked "down" or "backup" get
// no regular traffic and are left out; a missing or unparsable weight counts as 1.
[[nodiscard]] QList<UpstreamServer> parseUpstreamServers(const QByteArray &contents);

// The address receiving the largest share of traffic (weights of repeated addresses add up;
// ties go to the first listed), or an empty string if there is none.
[[nodiscard]] QString dominantAddress(const QList<UpstreamServer> &servers);

} // namespace rwd::fleet
