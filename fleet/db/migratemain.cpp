// rewind-fleet-migrate: moves the schema of the fleet's db service database up or down.
//
//   rewind-fleet-migrate --db URL [--password-env VAR] --to N     N in 0..3
//   rewind-fleet-migrate --db URL [--password-env VAR] --status
//
// --to prints one line per migration applied, "up N: SUMMARY" or "down N: SUMMARY", then
// "schema FROM -> TO". --status prints the current schema number alone (so that a command check
// can read it). Each migration runs in its own transaction; the fleet may keep writing orders
// meanwhile. The password of a PostgreSQL user is read from the environment variable VAR, never
// from the command line, and is never printed.
//
// Exit codes: 0 success; 1 the database could not be opened or a migration failed (the message
// on stderr says which statement; the schema stays at the last migration that committed);
// 2 a usage error (bad URL, unknown target, missing or conflicting options).

#include "database.h"
#include "migrations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cstdio>

using namespace rwd::fleet::db;

namespace {

constexpr int kFailed = 1;
constexpr int kUsage = 2;

int fail(int code, const QString &message)
{
    std::fprintf(stderr, "rewind-fleet-migrate: %s\n", qUtf8Printable(message));
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rewind-fleet-migrate"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Migrates the schema of rewind-fleet's db service database (0 to %1) up "
                       "or down, one transaction per migration.")
            .arg(kLatestSchema));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("The database: sqlite:PATH or postgresql://USER@HOST[:PORT]/DB."),
        QStringLiteral("URL"));
    const QCommandLineOption passwordOption(
        QStringLiteral("password-env"),
        QStringLiteral("Environment variable holding the PostgreSQL user's password."),
        QStringLiteral("VAR"));
    const QCommandLineOption toOption(
        QStringLiteral("to"),
        QStringLiteral("Migrate up or down to schema N (0 to %1).").arg(kLatestSchema),
        QStringLiteral("N"));
    const QCommandLineOption statusOption(QStringLiteral("status"),
                                          QStringLiteral("Print the current schema number."));
    parser.addOptions({dbOption, passwordOption, toOption, statusOption});

    if (!parser.parse(QCoreApplication::arguments()))
        return fail(kUsage, parser.errorText());
    if (parser.isSet(helpOption)) {
        std::fputs(qUtf8Printable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(
            kUsage,
            QStringLiteral("unexpected argument: %1").arg(parser.positionalArguments().first()));
    if (!parser.isSet(dbOption))
        return fail(kUsage, QStringLiteral("--db is required"));
    if (parser.isSet(toOption) == parser.isSet(statusOption))
        return fail(kUsage, QStringLiteral("give exactly one of --to N and --status"));

    QString error;
    const auto url = DatabaseUrl::parse(parser.value(dbOption), &error);
    if (!url)
        return fail(kUsage, error);

    int target = -1;
    if (parser.isSet(toOption)) {
        bool ok = false;
        target = parser.value(toOption).toInt(&ok);
        if (!ok || target < 0 || target > kLatestSchema)
            return fail(kUsage, QStringLiteral("unknown target schema \"%1\" (known: 0 to %2)")
                                    .arg(parser.value(toOption))
                                    .arg(kLatestSchema));
    }

    QString password;
    if (parser.isSet(passwordOption)) {
        const QString variable = parser.value(passwordOption);
        static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!name.match(variable).hasMatch())
            return fail(kUsage,
                        QStringLiteral("--password-env needs an environment variable name"));
        if (url->backend != Backend::Postgres)
            return fail(kUsage,
                        QStringLiteral("--password-env applies to postgresql:// URLs only"));
        if (!qEnvironmentVariableIsSet(qPrintable(variable)))
            return fail(kUsage, QStringLiteral("environment variable %1 (from --password-env) is "
                                               "not set")
                                    .arg(variable));
        password = qEnvironmentVariable(qPrintable(variable));
    }

    int exitCode = 0;
    {
        Connection connection(*url, password);
        if (!connection.open(&error))
            return fail(kFailed, error);

        if (parser.isSet(statusOption)) {
            int version = 0;
            if (!readSchemaVersion(connection, &version, &error))
                exitCode = fail(kFailed, error);
            else
                std::printf("%d\n", version);
        } else {
            int from = 0;
            const bool ok = migrateTo(
                connection, target,
                [](const MigrationStep &step) {
                    std::printf("%s %d: %s\n", step.up ? "up" : "down", step.migration->number,
                                qUtf8Printable(step.migration->summary(step.up)));
                    std::fflush(stdout);
                },
                &from, &error);
            if (ok)
                std::printf("schema %d -> %d\n", from, target);
            else
                exitCode = fail(kFailed, error);
        }
    }
    std::fflush(stdout);
    return exitCode;
}
