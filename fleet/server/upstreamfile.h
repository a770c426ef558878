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
// A route by weights (POST /services/{name}/route {"weights": ...}), and Rewind's executor
// when it shifts canary weight, write several "server ADDR weight=N;" lines instead.

struct UpstreamServer
{
    QString address;
    int weight = 1;

    friend bool operator==(const UpstreamServer &, const UpstreamServer &) = default;
};

// One "server ADDR;" line: all traffic to address.
[[nodiscard]] QByteArray renderUpstreamFile(const QString &upstreamName, const QString &address);

// One line per server; "server ADDR weight=N;" when weighted, else "server ADDR;" (nginx's
// default weight 1). Servers must have weights >= 1: nginx has no weight 0, so a server that
// should get nothing is left out by the caller.
[[nodiscard]] QByteArray renderUpstreamFile(const QString &upstreamName,
                                            const QList<UpstreamServer> &servers, bool weighted);

// Every "server ADDR [params];" directive, in file order. Servers marked "down" or "backup" get
// no regular traffic and are left out; a missing or unparsable weight counts as 1.
[[nodiscard]] QList<UpstreamServer> parseUpstreamServers(const QByteArray &contents);

// The address receiving the largest share of traffic (weights of repeated addresses add up;
// ties go to the first listed), or an empty string if there is none.
[[nodiscard]] QString dominantAddress(const QList<UpstreamServer> &servers);

} // namespace rwd::fleet
