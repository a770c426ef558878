// A missing peer fails its test and names it (tests/support/peers.h): a skip would count as a
// pass. Only a developer's explicit REWIND_ALLOW_MISSING_PEERS=1 turns it into a skip, and never
// under CI=true. Runs a small test program (peerprobe.cpp) in each environment.
#include "programs.h"

#include <QTest>

using namespace rwd;

class TestPeers : public QObject
{
    Q_OBJECT

    static testing::ProgramRun probe(const QStringList &set)
    {
        testing::RunOptions options;
        options.environment.remove(QStringLiteral("REWIND_ALLOW_MISSING_PEERS"));
        options.environment.remove(QStringLiteral("CI"));
        for (const auto &assignment : set) {
            const auto parts = assignment.split(u'=');
            options.environment.insert(parts.at(0), parts.at(1));
        }
        options.mergeChannels = true;
        return testing::runProgram(QStringLiteral(REWIND_BIN_DIR "/rewind-peer-probe"), {},
                                   options);
    }

private slots:
    void aMissingPeerFailsAndIsNamed_data()
    {
        QTest::addColumn<QStringList>("environment");
        QTest::newRow("by default") << QStringList{};
        QTest::newRow("CI") << QStringList{QStringLiteral("CI=true")};
        QTest::newRow("CI, even when skips are asked for") << QStringList{
            QStringLiteral("CI=true"), QStringLiteral("REWIND_ALLOW_MISSING_PEERS=1")};
        QTest::newRow("skips asked for with another value")
            << QStringList{QStringLiteral("REWIND_ALLOW_MISSING_PEERS=yes")};
    }
    void aMissingPeerFailsAndIsNamed()
    {
        QFETCH(QStringList, environment);
        const auto run = probe(environment);
        QVERIFY2(run.exitCode == 1, qPrintable(run.describe())); // QTest: the number of failures
        QVERIFY2(run.out.contains(QLatin1String("FAIL!  : PeerProbe::peerMissing() missing peer: "
                                                "a peer no machine has (Debian package none)")),
                 qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("PASS   : PeerProbe::peerPresent()")),
                 qPrintable(run.out));
        QVERIFY(!run.out.contains(QLatin1String("reached the body")));
        QVERIFY2(run.out.contains(QLatin1String("Totals: 3 passed, 1 failed, 0 skipped")),
                 qPrintable(run.out));
    }

    void aDeveloperMayAskToSkipIt()
    {
        const auto run = probe({QStringLiteral("REWIND_ALLOW_MISSING_PEERS=1")});
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains(QLatin1String("SKIP   : PeerProbe::peerMissing() a peer no "
                                                "machine has (Debian package none)")),
                 qPrintable(run.out));
        QVERIFY(!run.out.contains(QLatin1String("reached the body")));
        QVERIFY2(run.out.contains(QLatin1String("Totals: 3 passed, 0 failed, 1 skipped")),
                 qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestPeers)
#include "tst_peers.moc"
