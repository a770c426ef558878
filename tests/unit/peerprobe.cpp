// A test program for tst_peers: one test whose peer is there, one whose peer is missing, so
// that tst_peers can see what REWIND_REQUIRE_PEER makes of each under each environment.
#include "peers.h"

#include <QTest>

class PeerProbe : public QObject
{
    Q_OBJECT

private slots:
    void peerPresent()
    {
        REWIND_REQUIRE_PEER(true, "a peer every machine has");
        QCOMPARE(1 + 1, 2);
    }

    void peerMissing()
    {
        REWIND_REQUIRE_PEER(false, "a peer no machine has (Debian package none)");
        QFAIL("reached the body of a test whose peer is missing");
    }
};

QTEST_GUILESS_MAIN(PeerProbe)
#include "peerprobe.moc"
