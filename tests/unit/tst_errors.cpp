// Every error code the API can return is listed once, with its HTTP status: the table the server
// answers from (common/errorcodes.h) and docs/api/errors.md say the same, every code the backend
// constructs is in them, and every code in them is used.
#include "common/errorcodes.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace rwd;

namespace {

QString read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The backend's sources, by path.
QHash<QString, QString> backendSources()
{
    QHash<QString, QString> out;
    QDirIterator it(QStringLiteral(REWIND_SOURCE_DIR "/backend"),
                    {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const auto path = it.next();
        out.insert(path, read(path));
    }
    return out;
}

} // namespace

class TestErrors : public QObject
{
    Q_OBJECT

private slots:
    void theDocumentListsTheTable()
    {
        const auto doc = read(QStringLiteral(REWIND_SOURCE_DIR "/docs/api/errors.md"));
        QVERIFY(!doc.isEmpty());
        static const QRegularExpression row(QStringLiteral("^\\| `([a-z_]+)` \\| ([^|]+) \\|"),
                                            QRegularExpression::MultilineOption);
        QStringList documented;
        QHash<QString, QString> statusOf;
        for (auto m = row.globalMatch(doc); m.hasNext();) {
            const auto match = m.next();
            documented.append(match.captured(1));
            statusOf.insert(match.captured(1), match.captured(2).trimmed());
        }
        QStringList listed;
        for (const auto &c : errorCodes()) {
            const QString code = QString::fromLatin1(c.code);
            listed.append(code);
            QCOMPARE(statusOf.value(code), c.httpStatus > 0 ? QString::number(c.httpStatus)
                                                            : QStringLiteral("WebSocket only"));
            if (c.httpStatus > 0)
                QCOMPARE(httpStatusOf(code), c.httpStatus);
        }
        QCOMPARE(documented, listed); // the same codes, in the same order
        QCOMPARE(httpStatusOf(QStringLiteral("no_such_code")), 400);
    }

    // Every code the backend builds an error with — Error{"…"}, err("…"), error("…"),
    // HttpResponse::error(N, "…"), errorMessage("…") — is listed.
    void theBackendUsesOnlyListedCodes()
    {
        QSet<QString> listed;
        for (const auto &c : errorCodes())
            listed.insert(QString::fromLatin1(c.code));
        static const QRegularExpression construction(QStringLiteral(
            "(?:(?<![.>\\w])(?:error|err|fail)\\(|Error\\{|errorMessage\\(|"
            "HttpResponse::error\\(\\s*\\d+,)\\s*(?:QStringLiteral\\()?\"([a-z]+(?:_[a-z]+)*)\""));
        QSet<QString> used;
        const auto sources = backendSources();
        QVERIFY(sources.size() > 50);
        for (auto it = sources.cbegin(); it != sources.cend(); ++it) {
            for (auto m = construction.globalMatch(*it); m.hasNext();) {
                const auto code = m.next().captured(1);
                QVERIFY2(listed.contains(code),
                         qPrintable(QStringLiteral("%1 uses the error code '%2', which "
                                                   "common/errorcodes.cpp and docs/api/errors.md "
                                                   "do not list")
                                        .arg(it.key(), code)));
                used.insert(code);
            }
        }
        QVERIFY(used.size() > 20); // the scan itself still finds what it should
        // And none is listed that nothing uses (a code chosen in a condition counts).
        for (const auto &code : std::as_const(listed)) {
            bool found = used.contains(code);
            for (auto it = sources.cbegin(); !found && it != sources.cend(); ++it)
                found = it->contains(u'"' + code + u'"');
            QVERIFY2(found, qPrintable(QStringLiteral("'%1' is listed but never used").arg(code)));
        }
    }
};

QTEST_GUILESS_MAIN(TestErrors)
#include "tst_errors.moc"
