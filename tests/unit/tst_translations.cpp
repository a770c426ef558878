// The dashboard's translations are complete: lupdate run over the sources now finds exactly the
// strings the committed .ts files hold (none missing, none left over), and Italian and Arabic
// translate every one of them — no unfinished entry, no empty translation, the same %1 %2 …
// placeholders as the source. Arabic also declares right-to-left layout.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message
{
    QString context;
    QString source;
    QString translation;
    QString type; // "", unfinished, vanished, obsolete
};

QList<Message> readTs(const QString &path, QString *error)
{
    QList<Message> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == u"name")
                context = xml.readElementText();
            else if (name == u"message")
                current = Message{context, {}, {}, {}};
            else if (name == u"source")
                current.source = xml.readElementText();
            else if (name == u"translation") {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                current.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            }
        } else if (xml.isEndElement() && xml.name() == u"message") {
            out.append(current);
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return out;
}

QSet<QString> keys(const QList<Message> &messages)
{
    QSet<QString> out;
    for (const auto &m : messages) {
        if (m.type != u"vanished" && m.type != u"obsolete")
            out.insert(m.context + u'\x1f' + m.source);
    }
    return out;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|n)"));
    QSet<QString> out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out.insert(it.next().captured(0));
    return out;
}

QString ts(const QString &language)
{
    return QDir(QStringLiteral(REWIND_SOURCE_DIR))
        .filePath(QStringLiteral("translations/rewind_%1.ts").arg(language));
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void tsFilesHoldEveryStringOfTheSources()
    {
        // The same sources the build gives lupdate (src/dashboard/CMakeLists.txt).
        QStringList sources;
        const QDir root(QStringLiteral(REWIND_SOURCE_DIR));
        for (const auto &dir :
             {QStringLiteral("qml"), QStringLiteral("src/dashboard"), QStringLiteral("src/app"),
              QStringLiteral("src/client"), QStringLiteral("src/charts"),
              QStringLiteral("src/report"), QStringLiteral("src/web")}) {
            QDirIterator it(
                root.filePath(dir),
                {QStringLiteral("*.qml"), QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const auto path = it.next();
                // Headers only of the shell; nothing of the command-line helpers in sync/.
                const bool header = path.endsWith(QLatin1String(".h"));
                if (path.contains(QLatin1String("/sync/")) ||
                    (header && !path.contains(QLatin1String("src/dashboard/"))))
                    continue;
                sources.append(path);
            }
        }
        QVERIFY(sources.size() > 20);
        QTemporaryDir dir;
        const auto fresh = dir.filePath(QStringLiteral("fresh_it.ts"));
        QProcess lupdate;
        lupdate.start(QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate"),
                      QStringList{QStringLiteral("-silent"), QStringLiteral("-locations"),
                                  QStringLiteral("none")} +
                          sources + QStringList{QStringLiteral("-ts"), fresh});
        QVERIFY(lupdate.waitForFinished(120'000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        QString error;
        const auto extracted = keys(readTs(fresh, &error));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(extracted.size() > 100);
        for (const auto &language :
             {QStringLiteral("en"), QStringLiteral("it"), QStringLiteral("ar")}) {
            const auto committed = keys(readTs(ts(language), &error));
            QVERIFY2(error.isEmpty(), qPrintable(error));
            const auto missing = extracted - committed;
            const auto stale = committed - extracted;
            QStringList report;
            for (const auto &k : missing)
                report.append(QStringLiteral("missing: ") + QString(k).replace(u'\x1f', u'|'));
            for (const auto &k : stale)
                report.append(QStringLiteral("left over: ") + QString(k).replace(u'\x1f', u'|'));
            report.sort();
            QVERIFY2(report.isEmpty(),
                     qPrintable(QStringLiteral("%1 (run the update_translations target):\n%2")
                                    .arg(ts(language), report.join(u'\n'))));
        }
    }

    void italianAndArabicAreComplete_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("it") << QStringLiteral("it");
        QTest::newRow("ar") << QStringLiteral("ar");
    }

    void italianAndArabicAreComplete()
    {
        QFETCH(QString, language);
        QString error;
        const auto messages = readTs(ts(language), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList problems;
        for (const auto &m : messages) {
            if (m.type == u"vanished" || m.type == u"obsolete")
                continue;
            const auto where = m.context + u'|' + m.source;
            if (m.type == u"unfinished")
                problems.append(QStringLiteral("unfinished: ") + where);
            else if (m.translation.trimmed().isEmpty())
                problems.append(QStringLiteral("empty: ") + where);
            else if (placeholders(m.translation) != placeholders(m.source))
                problems.append(QStringLiteral("placeholders differ: ") + where);
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void arabicLaysOutRightToLeft()
    {
        QString error;
        bool found = false;
        for (const auto &m : readTs(ts(QStringLiteral("ar")), &error)) {
            if (m.source == u"QT_LAYOUT_DIRECTION") {
                found = true;
                QCOMPARE(m.translation, QStringLiteral("RTL"));
            }
        }
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
