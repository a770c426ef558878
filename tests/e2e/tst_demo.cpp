// The demo command as CI or a script runs it (no terminal): it must end by itself, exit 0, and
// print a timeline showing the bad release detected and rolled back.
#include <QProcess>
#include <QTest>

class TestDemo : public QObject
{
    Q_OBJECT

private slots:
    void demoEndsByItselfWithTheTimeline()
    {
        QProcess demo;
        demo.setProcessChannelMode(QProcess::MergedChannels);
        demo.start(QStringLiteral(REWIND_BIN_DIR "/rewind-drill"), {});
        demo.closeWriteChannel();
        QVERIFY(demo.waitForFinished(180'000));
        const auto out = QString::fromUtf8(demo.readAll());
        QVERIFY2(demo.exitStatus() == QProcess::NormalExit && demo.exitCode() == 0,
                 qPrintable(out));
        for (const auto *expected :
             {"Timeline", "deployed api v1.2 to blue", "first failed checks", "fired for api",
              "rollback #1 started", "traffic switched", "verified", "rollback #1 succeeded",
              "OK: the bad release was rolled back"})
            QVERIFY2(out.contains(QLatin1String(expected)),
                     qPrintable(
                         QStringLiteral("missing '%1' in:\n%2").arg(QLatin1String(expected), out)));
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
