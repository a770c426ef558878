// rewindctl: command-line client of rewindd's REST API.
#include "commands.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTextStream>
#include <QUrl>

#include <cstdio>

namespace {

const char *kUsage = R"(usage: rewindctl [--server URL] [--json] COMMAND [options]

Commands:
  status              services with health, current and last good release; recent rollbacks
  deploy record       record a deployment (what CI calls after deploying)
                      --service NAME --version V [--target T] [--artifact A]
                      [--pipeline P] [--by WHO] [--metadata NAME=VALUE]...
                      [--override-freeze REASON]
  rollback plan       print the plan a rollback would run; nothing is executed
                      --service NAME... [--class fast|immediate|gradual]
                      [--version SERVICE=VERSION]...
  rollback request    request a rollback: the same options, and --reason TEXT [--by WHO]

Options:
  --server URL        rewindd's address (default: $REWIND_SERVER or http://127.0.0.1:8470)
  --json              print JSON instead of text
  --help, --version

Exit codes: 0 ok, 1 refused or failed, 2 usage error, 3 server unreachable.
)";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rewindctl"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    auto args = QCoreApplication::arguments().mid(1);
    QString server = QProcessEnvironment::systemEnvironment().value(
        QStringLiteral("REWIND_SERVER"), QStringLiteral("http://127.0.0.1:8470"));
    bool json = false;
    // Global options come before the command.
    while (!args.isEmpty() && args.first().startsWith(QLatin1String("--"))) {
        const auto option = args.takeFirst();
        if (option == u"--json") {
            json = true;
        } else if (option == u"--server" && !args.isEmpty()) {
            server = args.takeFirst();
        } else if (option.startsWith(QLatin1String("--server="))) {
            server = option.mid(9);
        } else if (option == u"--help") {
            out << kUsage;
            return rwd::ctl::Ok;
        } else if (option == u"--version") {
            out << "rewindctl " << REWIND_VERSION << "\n";
            return rwd::ctl::Ok;
        } else {
            err << "rewindctl: unknown option " << option << "\n" << kUsage;
            return rwd::ctl::Usage;
        }
    }
    const QUrl url(server, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")) {
        err << "rewindctl: --server must be an http:// or https:// URL, not '" << server << "'\n";
        return rwd::ctl::Usage;
    }
    rwd::client::RestClient rest;
    rest.setBaseUrl(url);
    rwd::ctl::Context ctx{&rest, json, &out, &err};

    const QString command = args.isEmpty() ? QString() : args.takeFirst();
    if (command == u"status")
        return rwd::ctl::status(ctx, args);
    if (command == u"deploy" && !args.isEmpty() && args.first() == u"record")
        return rwd::ctl::deployRecord(ctx, args.mid(1));
    if (command == u"rollback" && !args.isEmpty() &&
        (args.first() == u"plan" || args.first() == u"request"))
        return rwd::ctl::rollback(ctx, args.mid(1), args.first() == u"plan");
    err << (command.isEmpty() ? QStringLiteral("rewindctl: no command given\n")
                              : QStringLiteral("rewindctl: unknown command '%1'\n").arg(command))
        << kUsage;
    return rwd::ctl::Usage;
}
