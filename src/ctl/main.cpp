// rewindctl: command-line client of rewindd's REST API.
#include "commands.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QTextStream>
#include <QUrl>

#include <cstdio>

namespace {

const char *kUsage =
    R"(usage: rewindctl [--server URL] [--token-file PATH] [--json] COMMAND [options]

Commands:
  login               sign in: --user NAME; the password is read from standard input
                      (without echo on a terminal); the session token goes to the token file
  whoami              who the token belongs to, and their roles per environment
  status              services with health, current and last good release; recent rollbacks
  deploy record       record a deployment (what CI calls after deploying)
                      --service NAME --version V [--target T] [--artifact A]
                      [--pipeline P] [--by WHO] [--metadata NAME=VALUE]...
                      [--override-freeze REASON]
  deploy gate         wait until a recorded deployment is verified (exit 0) or failed /
                      rolled back (exit 4): --service NAME --version V [--timeout S]
                      [--interval S] (seconds between checks, default 2)
  rollback plan       print the plan a rollback would run; nothing is executed
                      --service NAME... [--class fast|immediate|gradual]
                      [--version SERVICE=VERSION]...
  rollback request    request a rollback: the same options, and --reason TEXT
  rollback approve ID [--comment TEXT]     approve a rollback awaiting approval
  rollback reject ID [--comment TEXT]      reject it (the rollback ends)
  rollback abort ID [--reason TEXT]        stop a rollback that is waiting or running
  incidents [ID]      the incidents, or one with its rollbacks, notes and preserved logs
  report ID [-o FILE] [--format pdf|md|json]
                      the incident's report: PDF (drawn by rewindd; the default for -o *.pdf),
                      Markdown (the default otherwise) or its data as JSON (also with --json)
  audit verify [--file EXPORT]             recompute the audit log's hash chain
  user add NAME --role ENV=ROLE... [--password-stdin]
  user token NAME [--name N] [--expires-in S]   a new API token, shown once
  user list
  user hash [--iterations N]               a password hash for the configuration

Options:
  --server URL        rewindd's address (default: $REWIND_SERVER or http://127.0.0.1:8470)
  --token-file PATH   where the token is (default: $REWIND_TOKEN_FILE, then
                      $XDG_CONFIG_HOME/rewind/token); $REWIND_TOKEN, if set, is used instead
  --ca-file PATH      also trust the CA certificates in this PEM file for https://
                      (default: $REWIND_CA_FILE)
  --json              print JSON instead of text
  --help, --version

Exit codes: 0 ok, 1 refused or failed, 2 usage error, 3 server unreachable,
4 deployment failed or rolled back, 5 timed out, 6 audit log tampered.
)";

QString defaultTokenFile(const QProcessEnvironment &env)
{
    if (env.contains(QStringLiteral("REWIND_TOKEN_FILE")))
        return env.value(QStringLiteral("REWIND_TOKEN_FILE"));
    QString base = env.value(QStringLiteral("XDG_CONFIG_HOME"));
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.config");
    return base + QStringLiteral("/rewind/token");
}

QString readToken(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readLine()).trimmed();
}

} // namespace

int main(int argc, char *argv[])
{
    // No command draws anything (rewindd draws the PDF reports): no display, no Qt Gui.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rewindctl"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const auto env = QProcessEnvironment::systemEnvironment();
    auto args = QCoreApplication::arguments().mid(1);
    QString server =
        env.value(QStringLiteral("REWIND_SERVER"), QStringLiteral("http://127.0.0.1:8470"));
    QString tokenFile = defaultTokenFile(env);
    QString caFile = env.value(QStringLiteral("REWIND_CA_FILE"));
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
        } else if (option == u"--token-file" && !args.isEmpty()) {
            tokenFile = args.takeFirst();
        } else if (option.startsWith(QLatin1String("--token-file="))) {
            tokenFile = option.mid(13);
        } else if (option == u"--ca-file" && !args.isEmpty()) {
            caFile = args.takeFirst();
        } else if (option.startsWith(QLatin1String("--ca-file="))) {
            caFile = option.mid(10);
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
    if (!caFile.isEmpty()) {
        QFile pem(caFile);
        if (!pem.open(QIODevice::ReadOnly) || !rest.addCaCertificates(pem.readAll())) {
            err << "rewindctl: no PEM certificate could be read from " << caFile << "\n";
            return rwd::ctl::Usage;
        }
    }
    // A token on the command line would show in `ps`: it comes from the environment or a file.
    QString token = env.value(QStringLiteral("REWIND_TOKEN")).trimmed();
    if (token.isEmpty())
        token = readToken(tokenFile);
    if (!token.isEmpty())
        rest.setToken(token);
    rwd::ctl::Context ctx{&rest, json, &out, &err};

    const QString command = args.isEmpty() ? QString() : args.takeFirst();
    const QString verb = args.value(0);
    if (command == u"login")
        return rwd::ctl::login(ctx, args, tokenFile);
    if (command == u"whoami" && args.isEmpty())
        return rwd::ctl::whoami(ctx);
    if (command == u"status")
        return rwd::ctl::status(ctx, args);
    if (command == u"deploy" && verb == u"record")
        return rwd::ctl::deployRecord(ctx, args.mid(1));
    if (command == u"deploy" && verb == u"gate")
        return rwd::ctl::deployGate(ctx, args.mid(1));
    if (command == u"rollback" && (verb == u"plan" || verb == u"request"))
        return rwd::ctl::rollback(ctx, args.mid(1), verb == u"plan");
    if (command == u"rollback" && (verb == u"approve" || verb == u"reject" || verb == u"abort"))
        return rwd::ctl::rollbackDecision(ctx, verb, args.mid(1));
    if (command == u"incidents")
        return rwd::ctl::incidents(ctx, args);
    if (command == u"report")
        return rwd::ctl::report(ctx, args);
    if (command == u"audit" && verb == u"verify")
        return rwd::ctl::auditVerify(ctx, args.mid(1));
    if (command == u"user" && !verb.isEmpty())
        return rwd::ctl::user(ctx, args);
    err << (command.isEmpty() ? QStringLiteral("rewindctl: no command given\n")
                              : QStringLiteral("rewindctl: unknown command '%1'\n")
                                    .arg((command + u' ' + verb).trimmed()))
        << kUsage;
    return rwd::ctl::Usage;
}
