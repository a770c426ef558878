// Secrets in configuration: env:NAME, file:PATH and literals resolve to their value on demand,
// malformed references are refused, and no message or description ever contains the value.
#include "config/secret.h"
#include "results.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

namespace {

config::Secret parsed(const QString &text, const QString &base = QString())
{
    const auto secret = config::Secret::parse(text, base);
    [&] { QVERIFY2(secret.ok(), qPrintable(testing::why(secret))); }();
    return secret.valueOr(config::Secret());
}

// The value, or the error in brackets, so that a failed comparison shows why.
QString resolved(const config::Secret &secret)
{
    const auto value = secret.resolve();
    return value ? *value : QStringLiteral("<%1>").arg(value.error().message);
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TestSecret : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void resolvesAnEnvironmentVariable()
    {
        qputenv("REWIND_TST_SECRET", "s3cr3t-from-env");
        const auto secret = parsed(QStringLiteral("env:REWIND_TST_SECRET"));
        QCOMPARE(secret.source(), config::Secret::Source::Environment);
        QCOMPARE(resolved(secret), QStringLiteral("s3cr3t-from-env"));
        QCOMPARE(secret.redacted(), QStringLiteral("env:REWIND_TST_SECRET"));
        // Read on demand: a changed variable is seen on the next resolve.
        qputenv("REWIND_TST_SECRET", "rotated");
        QCOMPARE(resolved(secret), QStringLiteral("rotated"));
        qunsetenv("REWIND_TST_SECRET");
    }

    void anUnsetVariableIsAnErrorNamingIt()
    {
        qunsetenv("REWIND_TST_UNSET");
        const auto secret = parsed(QStringLiteral("env:REWIND_TST_UNSET"));
        const auto value = secret.resolve();
        QVERIFY(!value);
        QCOMPARE(value.error().message,
                 QStringLiteral("the environment variable REWIND_TST_UNSET is not set"));
    }

    void resolvesAFileWithoutItsTrailingNewline()
    {
        const QString path = m_dir.filePath(QStringLiteral("password"));
        QVERIFY(writeFile(path, "file secret\n"));
        const auto secret = parsed(QStringLiteral("file:") + path);
        QCOMPARE(secret.source(), config::Secret::Source::File);
        QCOMPARE(resolved(secret), QStringLiteral("file secret"));
        QCOMPARE(secret.redacted(), QStringLiteral("file:") + path);
        // CRLF too; inner newlines are kept.
        QVERIFY(writeFile(path, "two\nlines\r\n"));
        QCOMPARE(resolved(secret), QStringLiteral("two\nlines"));
    }

    void relativeFilesAreAgainstTheBaseDirectory()
    {
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("relative.txt")), "relative"));
        const auto secret = parsed(QStringLiteral("file:relative.txt"), m_dir.path());
        QCOMPARE(secret.redacted(),
                 QStringLiteral("file:") + m_dir.filePath(QStringLiteral("relative.txt")));
        QCOMPARE(resolved(secret), QStringLiteral("relative"));
    }

    void anUnreadableFileIsAnErrorNamingIt()
    {
        const QString path = m_dir.filePath(QStringLiteral("missing"));
        const auto secret = parsed(QStringLiteral("file:") + path);
        const auto value = secret.resolve();
        QVERIFY(!value);
        QVERIFY2(
            value.error().message.startsWith(QStringLiteral("cannot read the secret file ") + path),
            qPrintable(value.error().message));
    }

    void anOversizedFileIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("big"));
        QVERIFY(writeFile(path, QByteArray(100 * 1024, 'x')));
        const auto value = parsed(QStringLiteral("file:") + path).resolve();
        QVERIFY(!value);
        QCOMPARE(value.error().message,
                 QStringLiteral("the secret file %1 is larger than 64 KiB").arg(path));
    }

    void aLiteralIsItselfButNeverDescribed()
    {
        const auto secret = parsed(QStringLiteral("hunter2"));
        QCOMPARE(secret.source(), config::Secret::Source::Literal);
        QCOMPARE(resolved(secret), QStringLiteral("hunter2"));
        QCOMPARE(secret.redacted(), QStringLiteral("an inline value"));
        QVERIFY(!secret.redacted().contains(QStringLiteral("hunter2")));
        // Only the exact lowercase prefixes are references.
        QCOMPARE(parsed(QStringLiteral("ENV:HOME")).source(), config::Secret::Source::Literal);
        QCOMPARE(parsed(QStringLiteral("environment")).source(), config::Secret::Source::Literal);
    }

    void malformedReferencesAreRefusedWithoutEchoingThem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString env = QStringLiteral(
            "'env:' must be followed by the name of an environment variable (letters, digits "
            "and '_')");
        QTest::newRow("env without a name") << QStringLiteral("env:") << env;
        QTest::newRow("env with a dash") << QStringLiteral("env:my-pa$$word") << env;
        QTest::newRow("env starting with a digit") << QStringLiteral("env:1PASS") << env;
        QTest::newRow("file without a path")
            << QStringLiteral("file:") << QStringLiteral("'file:' names no file: write file:PATH");
    }
    void malformedReferencesAreRefusedWithoutEchoingThem()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const auto secret = config::Secret::parse(text, QString());
        QVERIFY(!secret);
        QCOMPARE(secret.error().message, expected);
    }

    void aDefaultSecretIsEmpty()
    {
        const config::Secret secret;
        QVERIFY(secret.isEmpty());
        QCOMPARE(resolved(secret), QString());
        QVERIFY(!parsed(QStringLiteral("env:HOME")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSecret)
#include "tst_secret.moc"
