// rewind-fleet: a sandbox fleet of real HTTP services on loopback behind a private nginx, used
// by Rewind's demo, end-to-end tests and drills. docs/fleet.md is the full reference.
//
// Every service runs named instances (--instances SERVICE=NAME,...; blue and green by default),
// each a real HTTP server, behind one nginx frontend per service whose upstream file
// DIR/nginx/upstreams/SERVICE.conf routes to the first instance at start. One service
// (--db-service, default api) owns a database (--db: SQLite by default, or PostgreSQL) migrated up
// to schema 2 at start and serves POST /orders into it; rewind-fleet-migrate moves its schema up
// and down. Another (--assets-service, default web) serves DIR/assets/current/ under /assets/, with
// an in-process CDN edge in front that speaks Cloudflare's purge API. A load generator sends GET /
// to every frontend (--load-rps) and POST /orders to the db service (--write-rps).
//
// Once everything is up, the program writes DIR/fleet.json (pretty) and then prints the same
// JSON as exactly one compact line on stdout. That "ready line" is a contract other programs
// rely on:
//
//   {"control":"http://127.0.0.1:PORT", "dir":"DIR",
//    "nginx":{"binary":…,"prefix":"DIR/nginx","config":"DIR/nginx/nginx.conf",
//             "error_log":"DIR/nginx/error.log","pid":N},
//    "services":{"api":{"url":"http://127.0.0.1:PORT","upstream":"api",
//                       "upstream_file":"DIR/nginx/upstreams/api.conf","live":"blue",
//                       "weights":{"blue":1,"green":0},"depends_on":[],
//                       "instances":{"blue":{"address":"127.0.0.1:PORT","version":"v1.0"},
//                                    "green":{…}},
//                       "instance_order":["blue","green"]}, …},
//    "db":{"service":"api","url":"sqlite:DIR/api.db"},                  (with a db service)
//    "assets":{"service":"web","dir":"DIR/assets",
//              "current":"DIR/assets/current"},                        (with an assets service)
//    "cdn":{"url":"http://127.0.0.1:PORT","zone":"fleet"}}              (with an assets service)
//
// The database URL never carries a password: it comes from the environment variable named by
// --db-password-env and is never printed or logged; so does the CDN token (--cdn-token-env).
//
// It then runs until SIGINT, SIGTERM or POST /shutdown, stops nginx and exits 0. Startup
// failures are reported on stderr with exit code 1 and leave no nginx running; if nginx dies
// later, the fleet stops and exits 1.

#include "atomicfile.h"
#include "controlapi.h"
#include "fleet.h"
#include "jsonutil.h"
#include "logging.h"
#include "options.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <spdlog/spdlog.h>

using namespace rwd::fleet;

namespace {

int failStartup(const QString &message)
{
    spdlog::error("startup failed: {}", qUtf8Printable(message));
    std::fprintf(stderr, "rewind-fleet: %s\n", qUtf8Printable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rewind-fleet"));

    const CommandLine commandLine = parseCommandLine(QCoreApplication::arguments());
    if (commandLine.helpRequested) {
        std::fputs(qUtf8Printable(commandLine.text), stdout);
        return 0;
    }
    if (!commandLine.options) {
        std::fprintf(stderr, "rewind-fleet: %s\nTry rewind-fleet --help.\n",
                     qUtf8Printable(commandLine.text));
        return 1;
    }
    const FleetOptions &options = *commandLine.options;
    setupLogging(options.logLevel);

    // A reader that closed stdout must not kill the fleet (and with it nginx) via SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    // Installed before startup so a signal during startup still leads to an orderly stop.
    SignalWatcher signalWatcher({SIGINT, SIGTERM});

    Fleet fleet(options);
    QString error;
    if (!fleet.start(&error))
        return failStartup(error);

    ControlApi control(fleet);
    if (!control.start(&error)) {
        fleet.stop();
        return failStartup(error);
    }
    fleet.setControlUrl(control.url());

    const QJsonObject ready = fleet.readyJson();
    if (!writeFileAtomically(fleet.fleetJsonPath(),
                             QJsonDocument(ready).toJson(QJsonDocument::Indented), &error)) {
        fleet.stop();
        return failStartup(error);
    }
    const QByteArray line = toCompactJson(ready) + '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fflush(stdout);
    spdlog::info("fleet ready; control API at {}", qUtf8Printable(control.url()));

    bool stopping = false;
    const auto shutdown = [&](int exitCode, const QString &reason) {
        if (stopping)
            return;
        stopping = true;
        spdlog::info("stopping ({})", qUtf8Printable(reason));
        fleet.stop();
        QCoreApplication::exit(exitCode);
    };
    QObject::connect(&signalWatcher, &SignalWatcher::received, &app, [&](int signalNumber) {
        shutdown(0, QString::fromUtf8(strsignal(signalNumber)));
    });
    QObject::connect(&control, &ControlApi::shutdownRequested, &app,
                     [&] { shutdown(0, QStringLiteral("POST /shutdown")); });
    // Queued: the error is raised from inside nginx's QProcess signal, which stop() tears down.
    QObject::connect(
        &fleet, &Fleet::fatalError, &app, [&](const QString &message) { shutdown(1, message); },
        Qt::QueuedConnection);

    const int exitCode = QCoreApplication::exec();
    spdlog::info("exiting with code {}", exitCode);
    return exitCode;
}
