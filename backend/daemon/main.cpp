// rewindd: the Rewind daemon. Parses arguments and runs a Daemon until SIGINT/SIGTERM; SIGHUP
// reloads the configuration (an invalid one is refused and the running one kept).
#include "daemon.h"
#include "logging/logging.h"
#include "signals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <vector>

namespace {

// A daemon that holds connections, probes and processes needs descriptors: the soft open-file
// limit (1024 by default under systemd) goes up to the hard one, as nginx's worker_rlimit_nofile
// and Go's runtime do. The API keeps a reserve of them for the checks and executors anyway
// (server.reserved_descriptors).
void raiseOpenFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    const auto before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
        rwd::logging::get("daemon")->info("open-file limit raised from {} to {}", before,
                                          limit.rlim_cur);
}

} // namespace

int main(int argc, char *argv[])
{
    // PDF reports need fonts, which come from the platform's font database: a QGuiApplication.
    // A server has no display, so unless QT_QPA_PLATFORM chooses a platform it is "offscreen"
    // (passed as an argument, so the programs executors start do not inherit it).
    std::vector<char *> args(argv, argv + argc);
    static char platformOption[] = "-platform";
    static char offscreen[] = "offscreen";
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        args.push_back(platformOption);
        args.push_back(offscreen);
    }
    int count = int(args.size());
    args.push_back(nullptr);
    QGuiApplication app(count, args.data());
    QCoreApplication::setApplicationName(QStringLiteral("rewindd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(REWIND_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Rewind daemon: watches services after a "
                                                    "deployment and rolls back bad releases."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"),
                                          QStringLiteral("Configuration file (YAML)."),
                                          QStringLiteral("file"));
    const QCommandLineOption checkOption(QStringLiteral("check-config"),
                                         QStringLiteral("Validate the configuration and exit."));
    const QCommandLineOption levelOption(QStringLiteral("log-level"),
                                         QStringLiteral("trace, debug, info, warn, error or off "
                                                        "(default: info)."),
                                         QStringLiteral("level"), QStringLiteral("info"));
    const QCommandLineOption webRootOption(
        QStringLiteral("web-root"),
        QStringLiteral("Directory of the dashboard's browser build, served at /app/ (instead of "
                       "server.web_root)."),
        QStringLiteral("dir"));
    parser.addOptions({configOption, checkOption, levelOption, webRootOption});
    parser.process(app);

    if (!rwd::logging::setLevel(parser.value(levelOption))) {
        std::fprintf(stderr, "rewindd: unknown log level '%s'\n",
                     qPrintable(parser.value(levelOption)));
        return 2;
    }
    if (!parser.isSet(configOption)) {
        std::fprintf(stderr, "rewindd: --config FILE is required (see --help)\n");
        return 2;
    }
    const QString configPath = parser.value(configOption);
    QString webRoot;
    if (parser.isSet(webRootOption)) {
        const QFileInfo dir(parser.value(webRootOption));
        if (!dir.isDir()) {
            std::fprintf(stderr, "rewindd: --web-root %s is not a directory\n",
                         qPrintable(parser.value(webRootOption)));
            return 2;
        }
        webRoot = dir.absoluteFilePath();
    }
    if (parser.isSet(checkOption)) {
        const auto result = rwd::daemon::loadConfig(configPath);
        if (!result.ok()) {
            std::fputs(qPrintable(result.diagnostics.format()), stderr);
            return 1;
        }
        std::printf("%s: ok\n", qPrintable(configPath));
        return 0;
    }

    raiseOpenFileLimit();
    rwd::SystemClock clock;
    rwd::daemon::Daemon daemon(clock);
    daemon.setWebRoot(webRoot);
    if (const auto started = daemon.start(configPath); !started) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().message));
        return 1;
    }
    // One line on stdout says where the API is, for scripts and tests that start rewindd.
    const auto ready =
        QJsonObject{{"rewindd", QStringLiteral("%1://%2:%3")
                                    .arg(daemon.config().server.tlsCertificate.isEmpty()
                                             ? QStringLiteral("http")
                                             : QStringLiteral("https"),
                                         daemon.config().server.host.contains(u':')
                                             ? u'[' + daemon.config().server.host + u']'
                                             : daemon.config().server.host)
                                    .arg(daemon.port())}};
    std::printf("%s\n", QJsonDocument(ready).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);

    rwd::daemon::ProcessSignals processSignals;
    QObject::connect(&processSignals, &rwd::daemon::ProcessSignals::received, &app, [&](int sig) {
        const auto log = rwd::logging::get("daemon");
        if (sig == SIGHUP) {
            if (const auto reloaded = daemon.reload())
                log->info("configuration reloaded from {}", configPath.toStdString());
            else
                log->error("configuration not reloaded, the previous one keeps running:\n{}",
                           reloaded.error().message.toStdString());
            return;
        }
        log->info("signal {} received; stopping", sig);
        daemon.stop();
        QCoreApplication::quit();
    });
    return QCoreApplication::exec();
}
