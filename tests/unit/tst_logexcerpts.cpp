// What an incident report shows of a preserved log: the end of its gzip archive, read back with
// a bounded amount of memory and saying whether anything came before it, and credentials masked.
#include "executors/logs/logcollector.h"
#include "results.h"

#include <QTemporaryDir>
#include <QTest>

using rwd::executors::LogCollector;

class TestLogExcerpts : public QObject
{
    Q_OBJECT

private slots:
    void tailOfAnArchive()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("log.gz"));
        QByteArray log;
        for (int i = 0; i < 50'000; ++i)
            log += "line " + QByteArray::number(i) + " of the service's log\n";
        const auto written = LogCollector::writeGzip(path, log);
        QVERIFY2(written, qPrintable(rwd::testing::why(written)));

        const auto tail = LogCollector::readGzipTail(path, 4096);
        QVERIFY2(tail, qPrintable(rwd::testing::why(tail)));
        QCOMPARE(tail->data.size(), 4096);
        QVERIFY(tail->cut);
        QVERIFY(log.endsWith(tail->data));

        const auto whole = LogCollector::readGzipTail(path, 10 * log.size());
        QVERIFY(whole);
        QCOMPARE(whole->data, log);
        QVERIFY(!whole->cut);
    }

    void unreadableArchives()
    {
        QTemporaryDir dir;
        const auto missing =
            LogCollector::readGzipTail(dir.filePath(QStringLiteral("missing.gz")), 100);
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("cannot read")));
        QFile plain(dir.filePath(QStringLiteral("plain.gz")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.write("this was never compressed\n");
        plain.close();
        const auto notGzip = LogCollector::readGzipTail(plain.fileName(), 100);
        QVERIFY(!notGzip);
        QVERIFY(notGzip.error().message.contains(QStringLiteral("gzip")));
        // A truncated archive gives what it holds.
        const QString path = dir.filePath(QStringLiteral("cut.gz"));
        QVERIFY(LogCollector::writeGzip(path, QByteArray(100'000, 'x')));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.resize(file.size() / 2);
        file.close();
        const auto half = LogCollector::readGzipTail(path, 1'000'000);
        QVERIFY(half);
        QVERIFY(half->data.size() <= 100'000);
    }

    void credentialsAreMasked_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("masked");
        QTest::newRow("password") << "connecting with password=hunter2 to db"
                                  << "connecting with password=[masked] to db";
        QTest::newRow("json") << R"({"api_key": "abc123", "user": "bob"})"
                              << R"({"api_key": "[masked]", "user": "bob"})";
        QTest::newRow("header") << "Authorization: Bearer eyJhbGciOi.x.y"
                                << "Authorization: [masked] [masked]";
        QTest::newRow("bearer alone") << "sent bearer eyJhbGciOi"
                                      << "sent bearer [masked]";
        QTest::newRow("url") << "GET /cb?session_token=s3cr3t&page=2"
                             << "GET /cb?session_token=[masked]&page=2";
        QTest::newRow("rewind token") << "token rwd_abcdefghijklmnop used"
                                      << "token rwd_[masked] used";
        QTest::newRow("nothing secret") << "GET /health 200 3ms"
                                        << "GET /health 200 3ms";
    }

    void credentialsAreMasked()
    {
        QFETCH(QString, line);
        QFETCH(QString, masked);
        QCOMPARE(LogCollector::maskSecrets(line), masked);
    }
};

QTEST_GUILESS_MAIN(TestLogExcerpts)
#include "tst_logexcerpts.moc"
