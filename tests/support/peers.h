#pragma once

#include <QString>
#include <QTest>

// The real peers tests talk to (PostgreSQL, Prometheus, an SMTP receiver, the IPv6 loopback)
// are part of the suite: scripts/setup installs every one of them. A test whose peer is missing
// therefore fails and names it — a skip would count as a pass, and a machine without the peers
// would go green having tested none of it. A developer who wants the rest of a run anyway sets
// REWIND_ALLOW_MISSING_PEERS=1 and such tests are skipped instead; never under CI=true.
namespace rwd::testing {

[[nodiscard]] inline bool missingPeersAllowed()
{
    return qEnvironmentVariable("REWIND_ALLOW_MISSING_PEERS") == u"1" &&
           qEnvironmentVariable("CI") != u"true";
}

[[nodiscard]] inline QByteArray missingPeerMessage(const char *what)
{
    return QStringLiteral("missing peer: %1 (scripts/setup installs it; "
                          "REWIND_ALLOW_MISSING_PEERS=1 skips such tests outside CI)")
        .arg(QString::fromUtf8(what))
        .toUtf8();
}

} // namespace rwd::testing

// In a test function: fails it (or, when the developer allowed it, skips it) unless `available`.
// `what` names the peer and how to get it: "PostgreSQL 15 (Debian package postgresql-15)".
#define REWIND_REQUIRE_PEER(available, what)                                                       \
    do {                                                                                           \
        if (!(available)) {                                                                        \
            if (::rwd::testing::missingPeersAllowed())                                             \
                QSKIP(what);                                                                       \
            QFAIL(::rwd::testing::missingPeerMessage(what).constData());                           \
        }                                                                                          \
    } while (false)
