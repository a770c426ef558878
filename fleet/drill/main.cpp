// rewind-drill: runs the rollback scenario against the sandbox fleet — the one-command demo.
#include "scenario.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <unistd.h>

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QString seconds(qint64 ms)
{
    return QStringLiteral("%1%2s")
        .arg(ms < 0 ? QStringLiteral("-") : QStringLiteral("+"))
        .arg(QString::number(double(std::abs(ms)) / 1000.0, 'f', 3));
}

// Blocks until SIGINT/SIGTERM (Ctrl-C) while the event loop keeps running.
void waitForInterrupt()
{
    static int fds[2];
    if (::pipe(fds) != 0)
        return;
    const auto handler = [](int) {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(fds[1], &byte, 1);
    };
    std::signal(SIGINT, handler);
    std::signal(SIGTERM, handler);
    QSocketNotifier notifier(fds[0], QSocketNotifier::Read);
    QEventLoop loop;
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rewind-drill"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Starts the sandbox fleet behind nginx and rewindd, deploys a good and then a bad release "
        "of api, and prints how Rewind detected and rolled it back. Exits 0 when the bad release "
        "was rolled back and traffic through nginx recovered (< 1% errors)."));
    parser.addHelpOption();
    const QCommandLineOption binDir(QStringLiteral("bin-dir"),
                                    QStringLiteral("Where rewind-fleet, rewindd and rewind are."),
                                    QStringLiteral("dir"), QCoreApplication::applicationDirPath());
    const QCommandLineOption workDir(QStringLiteral("work-dir"),
                                     QStringLiteral("Directory for logs, config and the store "
                                                    "(default: a fresh temporary one)."),
                                     QStringLiteral("dir"));
    const QCommandLineOption rps(QStringLiteral("rps"), QStringLiteral("Load per service."),
                                 QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption errorRate(QStringLiteral("error-rate"),
                                       QStringLiteral("Share of requests the bad release fails."),
                                       QStringLiteral("fraction"), QStringLiteral("0.2"));
    const QCommandLineOption latency(QStringLiteral("latency-ms"),
                                     QStringLiteral("Latency the bad release adds."),
                                     QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption keep(QStringLiteral("keep-running"),
                                  QStringLiteral("Keep everything running afterwards until "
                                                 "Ctrl-C (default when run in a terminal)."));
    const QCommandLineOption noKeep(QStringLiteral("exit"),
                                    QStringLiteral("Exit as soon as the scenario is over."));
    const QCommandLineOption dashboard(QStringLiteral("dashboard"),
                                       QStringLiteral("Open the dashboard (default when a display "
                                                      "is available and run in a terminal)."));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("Log level of the fleet and rewindd."),
                                      QStringLiteral("level"), QStringLiteral("info"));
    const QCommandLineOption webRoot(
        QStringLiteral("web-root"),
        QStringLiteral("rewindd serves the browser dashboard from this directory at /app/ (the "
                       "wasm preset's build/wasm/bin)."),
        QStringLiteral("dir"));
    parser.addOptions(
        {binDir, workDir, rps, errorRate, latency, keep, noKeep, dashboard, logLevel, webRoot});
    parser.process(app);

    const bool interactive = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
    const auto env = QProcessEnvironment::systemEnvironment();
    const bool display =
        env.contains(QStringLiteral("DISPLAY")) || env.contains(QStringLiteral("WAYLAND_DISPLAY"));
    const bool keepRunning = !parser.isSet(noKeep) && (parser.isSet(keep) || interactive);
    const bool openDashboard = parser.isSet(dashboard) || (display && interactive);

    rwd::drill::ScenarioOptions options;
    options.binDir = parser.value(binDir);
    options.workDir = parser.value(workDir);
    options.loadRps = parser.value(rps).toInt();
    options.badErrorRate = parser.value(errorRate).toDouble();
    options.badLatencyMs = parser.value(latency).toInt();
    options.logLevel = parser.value(logLevel);
    if (parser.isSet(webRoot))
        options.webRoot = QFileInfo(parser.value(webRoot)).absoluteFilePath();

    auto &o = out();
    o << "Rewind demo: a bad deploy on a real nginx-fronted fleet, detected and rolled back.\n\n";
    o.flush();
    rwd::drill::Scenario scenario(options);
    if (const auto started = scenario.start(); !started) {
        o << "could not start the scenario: " << started.error().message << "\n";
        return 1;
    }
    const auto services = scenario.fleet().value(QLatin1String("services")).toObject();
    o << "  fleet:    " << services.keys().join(QStringLiteral(", "))
      << " behind nginx (control API " << scenario.fleetUrl().toString() << ")\n"
      << "  rewindd:  " << scenario.rewindUrl().toString() << "  (config " << scenario.configPath()
      << ")\n"
      << "  logs:     " << scenario.workDir() << "\n\n";
    o.flush();

    const auto outcome = scenario.runBadDeploy([&](const QString &line) {
        o << "- " << line << "\n";
        o.flush();
    });
    if (!outcome.failure.isEmpty() && outcome.timeline.isEmpty()) {
        o << "\nFAILED: " << outcome.failure << "\n";
        return 1;
    }
    o << "\nTimeline (seconds after the bad deploy was recorded):\n";
    for (const auto &entry : outcome.timeline)
        o << "  " << seconds(entry.offsetMs).rightJustified(9) << "  " << entry.text << "\n";
    o << "\nTraffic through nginx to api:\n"
      << "  while v1.2 was live:  " << outcome.duringBad.requests << " requests, "
      << outcome.duringBad.errors << " errors\n"
      << "  after the switch:     " << outcome.afterSwitch.describe() << "\n";

    const bool recovered = outcome.rolledBack && outcome.afterSwitch.requests > 0 &&
                           outcome.afterSwitch.errorRate() < 0.01;
    o << "\n"
      << (recovered ? QStringLiteral("OK: the bad release was rolled back and traffic recovered.")
                    : QStringLiteral("FAILED: %1")
                          .arg(outcome.failure.isEmpty() ? QStringLiteral("traffic did not recover")
                                                         : outcome.failure))
      << "\n";
    o.flush();

    if (keepRunning) {
        QProcess dashboardProcess;
        const auto dashboardBin = QDir(options.binDir).filePath(QStringLiteral("rewind"));
        if (openDashboard) {
            dashboardProcess.start(dashboardBin,
                                   {QStringLiteral("--server"), scenario.rewindUrl().toString(),
                                    QStringLiteral("--token-file"), scenario.tokenFile()});
            o << "\nThe dashboard is open. ";
        } else {
            o << "\nSee it in the dashboard: " << dashboardBin << " --server "
              << scenario.rewindUrl().toString() << " --token-file " << scenario.tokenFile() << "\n"
              << "or in the terminal:     "
              << QDir(options.binDir).filePath(QStringLiteral("rewindctl")) << " --server "
              << scenario.rewindUrl().toString() << " --token-file " << scenario.tokenFile()
              << " status\n";
        }
        if (!options.webRoot.isEmpty()) {
            QUrl page = scenario.rewindUrl();
            page.setPath(QStringLiteral("/app/"));
            o << "In a browser:           " << page.toString() << " (sign in with the API token in "
              << scenario.tokenFile() << ")\n";
        }
        o << "Everything keeps running; press Ctrl-C to stop.\n";
        o.flush();
        waitForInterrupt();
        if (dashboardProcess.state() != QProcess::NotRunning) {
            dashboardProcess.terminate();
            dashboardProcess.waitForFinished(5000);
        }
    } else {
        o << "\nSee it in the dashboard: "
          << QDir(options.binDir).filePath(QStringLiteral("rewind"))
          << " --server <rewindd URL> (run with --keep-running to keep the fleet up)\n";
    }
    scenario.stop();
    return recovered ? 0 : 1;
}
