// rewind: the desktop dashboard.
#include "app/dashboardapp.h"
#include "qmltypes.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickStyle>

#include <cstdio>

namespace {
// Qt reads the layout direction from this translation: "RTL" in right-to-left languages.
[[maybe_unused]] const char *const kLayoutDirection =
    QT_TRANSLATE_NOOP("QGuiApplication", "QT_LAYOUT_DIRECTION");
} // namespace

int main(int argc, char *argv[])
{
    // Qt Charts' QML types need a QApplication.
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("rewind"));
    QApplication::setOrganizationName(QStringLiteral("Rewind"));
    QApplication::setApplicationVersion(QStringLiteral(REWIND_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Rewind dashboard"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(QStringLiteral("server"),
                                          QStringLiteral("rewindd to connect to at start."),
                                          QStringLiteral("url"));
    const QCommandLineOption languageOption(
        QStringLiteral("language"),
        QStringLiteral("Language (en, it, ar); default: the last chosen, else the system's."),
        QStringLiteral("code"));
    const QCommandLineOption tokenFileOption(
        QStringLiteral("token-file"),
        QStringLiteral("File holding the token to sign in with (default: $REWIND_TOKEN)."),
        QStringLiteral("path"));
    parser.addOption(serverOption);
    parser.addOption(tokenFileOption);
    parser.addOption(languageOption);
    parser.process(app);

    QString token = qEnvironmentVariable("REWIND_TOKEN");
    if (parser.isSet(tokenFileOption)) {
        QFile file(parser.value(tokenFileOption));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "rewind: cannot read %s: %s\n",
                         qPrintable(parser.value(tokenFileOption)), qPrintable(file.errorString()));
            return 2;
        }
        token = QString::fromUtf8(file.readAll()).trimmed();
    }

    // Fusion: a desktop look that takes the palette (light and dark) and draws without shader
    // effects, so it looks the same under the software renderer.
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    rwd::dashboard::DashboardApp dashboard;
    if (parser.isSet(languageOption))
        dashboard.setLanguage(parser.value(languageOption));
    QQmlApplicationEngine engine;
    rwd::dashboard::registerQmlTypes(&dashboard, &engine);
    engine.load(QUrl(QStringLiteral("qrc:/Rewind/Dashboard/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (parser.isSet(serverOption) && !token.isEmpty())
        dashboard.connectToServer(parser.value(serverOption), token);
    return QApplication::exec();
}
