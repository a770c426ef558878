#include "options.h"

#include "logging.h"
#include "names.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>
#include <functional>

namespace rwd::fleet {

namespace {

// Characters that would break out of a quoted nginx config string or be read as a variable.
bool isSafeForNginxConfig(const QString &path)
{
    for (const QChar c : path) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\') || c == QLatin1Char('$') ||
            c == QLatin1Char(';') || c == QLatin1Char('{') || c == QLatin1Char('}') ||
            c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

bool resolveNginx(const QString &requested, QString *binary, QString *error)
{
    QString candidate;
    if (requested.isEmpty()) {
        candidate = QStandardPaths::findExecutable(QStringLiteral("nginx"));
        if (candidate.isEmpty())
            candidate = QStringLiteral("/usr/sbin/nginx");
    } else if (requested.contains(QLatin1Char('/'))) {
        candidate = QFileInfo(requested).absoluteFilePath();
    } else {
        candidate = QStandardPaths::findExecutable(requested);
    }
    const QFileInfo info(candidate);
    if (candidate.isEmpty() || !info.isFile() || !info.isExecutable()) {
        *error = QStringLiteral("nginx executable not found: %1")
                     .arg(requested.isEmpty() ? QStringLiteral("nginx (PATH, /usr/sbin/nginx)")
                                              : requested);
        return false;
    }
    *binary = QDir::cleanPath(info.absoluteFilePath());
    return true;
}

bool isValidEnvironmentVariableName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(name).hasMatch();
}

// Reads the environment variable named by option; fails if the name is invalid or it is unset.
bool readSecretVariable(const QString &option, const QString &variable, QString *value,
                        QString *error)
{
    if (!isValidEnvironmentVariableName(variable)) {
        *error = QStringLiteral("--%1 needs an environment variable name ([A-Za-z_][A-Za-z0-9_]*), "
                                "not \"%2\"")
                     .arg(option, variable);
        return false;
    }
    if (!qEnvironmentVariableIsSet(qPrintable(variable))) {
        *error =
            QStringLiteral("environment variable %1 (from --%2) is not set").arg(variable, option);
        return false;
    }
    *value = qEnvironmentVariable(qPrintable(variable));
    return true;
}

bool hasService(const QList<ServiceSpec> &services, const QString &name)
{
    return std::any_of(services.begin(), services.end(),
                       [&](const ServiceSpec &s) { return s.name == name; });
}

// --db-service / --assets-service: the given service (empty = none) or the default if declared.
bool resolveRoleService(const QCommandLineParser &parser, const QCommandLineOption &option,
                        const QString &defaultName, const QList<ServiceSpec> &services,
                        QString *service, QString *error)
{
    if (!parser.isSet(option)) {
        *service = hasService(services, defaultName) ? defaultName : QString();
        return true;
    }
    *service = parser.value(option);
    if (!service->isEmpty() && !hasService(services, *service)) {
        *error = QStringLiteral("--%1 %2 names no service declared with --service")
                     .arg(option.names().first(), *service);
        return false;
    }
    return true;
}

} // namespace

bool parseInstancesSpec(const QString &value, QString *service, QStringList *instances,
                        QString *error)
{
    const qsizetype equals = value.indexOf(QLatin1Char('='));
    if (equals < 0) {
        *error = QStringLiteral("--instances %1: expected SERVICE=NAME[,NAME...]").arg(value);
        return false;
    }
    const QString name = value.left(equals);
    if (!isValidServiceName(name)) {
        *error = QStringLiteral("--instances %1: invalid service name \"%2\"").arg(value, name);
        return false;
    }
    QStringList names;
    for (const QString &instance : value.mid(equals + 1).split(QLatin1Char(','))) {
        if (!isValidInstanceName(instance)) {
            *error = QStringLiteral("--instances %1: invalid instance name \"%2\" (expected "
                                    "[A-Za-z0-9][A-Za-z0-9._-]{0,62})")
                         .arg(value, instance);
            return false;
        }
        if (names.contains(instance)) {
            *error =
                QStringLiteral("--instances %1: instance \"%2\" listed twice").arg(value, instance);
            return false;
        }
        names.append(instance);
    }
    *service = name;
    *instances = names;
    return true;
}

bool parseServiceSpec(const QString &value, ServiceSpec *spec, QString *error)
{
    const qsizetype colon = value.indexOf(QLatin1Char(':'));
    ServiceSpec result;
    result.instances = defaultInstanceNames();
    result.name = colon < 0 ? value : value.left(colon);
    if (!isValidServiceName(result.name)) {
        *error = QStringLiteral("invalid service name \"%1\" in --service %2 (expected "
                                "[A-Za-z][A-Za-z0-9_-]{0,62})")
                     .arg(result.name, value);
        return false;
    }
    if (colon >= 0) {
        const QStringList dependencies = value.mid(colon + 1).split(QLatin1Char('+'));
        for (const QString &dependency : dependencies) {
            if (!isValidServiceName(dependency)) {
                *error = QStringLiteral("invalid dependency name \"%1\" in --service %2")
                             .arg(dependency, value);
                return false;
            }
            if (result.dependsOn.contains(dependency)) {
                *error = QStringLiteral("dependency \"%1\" listed twice in --service %2")
                             .arg(dependency, value);
                return false;
            }
            result.dependsOn.append(dependency);
        }
    }
    *spec = result;
    return true;
}

bool validateServices(const QList<ServiceSpec> &services, QString *error)
{
    QHash<QString, const ServiceSpec *> byName;
    for (const ServiceSpec &service : services) {
        if (byName.contains(service.name)) {
            *error = QStringLiteral("service \"%1\" is declared twice").arg(service.name);
            return false;
        }
        byName.insert(service.name, &service);
    }
    for (const ServiceSpec &service : services) {
        for (const QString &dependency : service.dependsOn) {
            if (dependency == service.name) {
                *error = QStringLiteral("service \"%1\" depends on itself").arg(service.name);
                return false;
            }
            if (!byName.contains(dependency)) {
                *error = QStringLiteral("service \"%1\" depends on \"%2\", which is not declared "
                                        "with --service")
                             .arg(service.name, dependency);
                return false;
            }
        }
    }

    // Depth-first search for a cycle; a name maps to false while on the stack, true once done.
    QHash<QString, bool> finished;
    QStringList stack;
    std::function<bool(const QString &)> visit = [&](const QString &name) {
        if (const auto it = finished.constFind(name); it != finished.constEnd()) {
            if (*it)
                return true;
            stack.append(name);
            *error = QStringLiteral("dependency cycle: %1").arg(stack.join(QStringLiteral(" -> ")));
            return false;
        }
        finished.insert(name, false);
        stack.append(name);
        for (const QString &dependency : byName.value(name)->dependsOn) {
            if (!visit(dependency))
                return false;
        }
        stack.removeLast();
        finished.insert(name, true);
        return true;
    };
    for (const ServiceSpec &service : services) {
        if (!visit(service.name))
            return false;
    }
    return true;
}

CommandLine parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Sandbox fleet of HTTP services on loopback, each with named instances (blue and green "
        "by default) behind a private nginx, with a database owned by one service, static assets "
        "and a CDN edge for another, and a load generator; for Rewind's demo, end-to-end tests "
        "and drills. See docs/fleet.md."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption dirOption(
        QStringLiteral("dir"),
        QStringLiteral("Private working directory (created if missing); holds nginx's prefix, "
                       "config, logs, the SQLite database, the assets and fleet.json."),
        QStringLiteral("DIR"));
    const QCommandLineOption serviceOption(
        QStringLiteral("service"),
        QStringLiteral("Service NAME, optionally depending on DEP services. Repeatable. Default: "
                       "--service web:api --service api."),
        QStringLiteral("NAME[:DEP[+DEP...]]"));
    const QCommandLineOption instancesOption(
        QStringLiteral("instances"),
        QStringLiteral("The instances of SERVICE, in order; the first gets all traffic at start. "
                       "Names match [A-Za-z0-9][A-Za-z0-9._-]{0,62}. Repeatable, once per "
                       "service. Default: blue,green."),
        QStringLiteral("SERVICE=NAME[,NAME...]"));
    const QCommandLineOption versionOption(
        QStringLiteral("initial-version"),
        QStringLiteral("Version every instance of every service (and the assets) start with."),
        QStringLiteral("VERSION"), QStringLiteral("v1.0"));
    const QCommandLineOption rpsOption(
        QStringLiteral("load-rps"),
        QStringLiteral("GET / requests per second sent to each service's frontend (0 = off, max "
                       "%1).")
            .arg(FleetOptions::kMaxLoadRps),
        QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption writeRpsOption(
        QStringLiteral("write-rps"),
        QStringLiteral("POST /orders requests per second sent to the db service's frontend (0 = "
                       "off, max %1). Default: %2 with a db service, else 0.")
            .arg(FleetOptions::kMaxLoadRps)
            .arg(FleetOptions::kDefaultWriteRps),
        QStringLiteral("N"));
    const QCommandLineOption dbServiceOption(
        QStringLiteral("db-service"),
        QStringLiteral("The service that owns the database and serves POST /orders. Default: api "
                       "if declared. Empty (--db-service=) for none."),
        QStringLiteral("NAME"));
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("The database: sqlite:PATH or postgresql://USER@HOST[:PORT]/DB. Default: "
                       "sqlite:DIR/NAME.db, NAME being the db service."),
        QStringLiteral("URL"));
    const QCommandLineOption dbPasswordOption(
        QStringLiteral("db-password-env"),
        QStringLiteral("Environment variable holding the PostgreSQL password (never on the "
                       "command line)."),
        QStringLiteral("VAR"));
    const QCommandLineOption assetsServiceOption(
        QStringLiteral("assets-service"),
        QStringLiteral("The frontend service whose nginx serves /assets/ from DIR/assets/current "
                       "and sits behind the CDN edge. Default: web if declared. Empty "
                       "(--assets-service=) for none."),
        QStringLiteral("NAME"));
    const QCommandLineOption cdnTokenOption(
        QStringLiteral("cdn-token-env"),
        QStringLiteral("Environment variable holding the CDN edge's purge API token. Default "
                       "token: %1.")
            .arg(QLatin1String(FleetOptions::kDefaultCdnToken)),
        QStringLiteral("VAR"));
    const QCommandLineOption nginxOption(
        QStringLiteral("nginx"),
        QStringLiteral("nginx executable. Default: nginx on PATH, else /usr/sbin/nginx."),
        QStringLiteral("PATH"));
    const QCommandLineOption seedOption(QStringLiteral("seed"),
                                        QStringLiteral("Seed for the fault RNG. Default: random."),
                                        QStringLiteral("N"));
    const QCommandLineOption logLevelOption(QStringLiteral("log-level"),
                                            QStringLiteral("trace, debug, info, warn or error."),
                                            QStringLiteral("LEVEL"), QStringLiteral("info"));
    parser.addOptions({dirOption, serviceOption, instancesOption, versionOption, rpsOption,
                       writeRpsOption, dbServiceOption, dbOption, dbPasswordOption,
                       assetsServiceOption, cdnTokenOption, nginxOption, seedOption,
                       logLevelOption});

    CommandLine result;
    if (!parser.parse(arguments)) {
        result.text = parser.errorText();
        return result;
    }
    if (parser.isSet(helpOption)) {
        result.helpRequested = true;
        result.text = parser.helpText();
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.text =
            QStringLiteral("unexpected argument: %1").arg(parser.positionalArguments().first());
        return result;
    }

    FleetOptions options;
    const QString dir = parser.value(dirOption);
    if (dir.isEmpty()) {
        result.text = QStringLiteral("--dir is required");
        return result;
    }
    options.dir = QDir::cleanPath(QDir(dir).absolutePath());
    if (!isSafeForNginxConfig(options.dir)) {
        result.text = QStringLiteral("--dir %1 contains characters nginx config files cannot "
                                     "hold (\" \\ $ ; { } or control characters)")
                          .arg(options.dir);
        return result;
    }

    const QStringList serviceValues =
        parser.isSet(serviceOption) ? parser.values(serviceOption)
                                    : QStringList{QStringLiteral("web:api"), QStringLiteral("api")};
    for (const QString &value : serviceValues) {
        ServiceSpec spec;
        if (!parseServiceSpec(value, &spec, &result.text))
            return result;
        options.services.append(spec);
    }
    if (!validateServices(options.services, &result.text))
        return result;

    QSet<QString> instancesGiven;
    for (const QString &value : parser.values(instancesOption)) {
        QString service;
        QStringList instances;
        if (!parseInstancesSpec(value, &service, &instances, &result.text))
            return result;
        const auto it = std::find_if(options.services.begin(), options.services.end(),
                                     [&](const ServiceSpec &spec) { return spec.name == service; });
        if (it == options.services.end()) {
            result.text = QStringLiteral("--instances %1: service \"%2\" is not declared with "
                                         "--service")
                              .arg(value, service);
            return result;
        }
        if (instancesGiven.contains(service)) {
            result.text = QStringLiteral("--instances given twice for service \"%1\"").arg(service);
            return result;
        }
        instancesGiven.insert(service);
        it->instances = instances;
    }

    options.initialVersion = parser.value(versionOption);
    if (!isValidVersion(options.initialVersion)) {
        result.text = QStringLiteral("invalid --initial-version \"%1\" (expected "
                                     "[A-Za-z0-9][A-Za-z0-9._+-]{0,63})")
                          .arg(options.initialVersion);
        return result;
    }

    bool ok = false;
    options.loadRps = parser.value(rpsOption).toInt(&ok);
    if (!ok || options.loadRps < 0 || options.loadRps > FleetOptions::kMaxLoadRps) {
        result.text = QStringLiteral("--load-rps must be an integer between 0 and %1")
                          .arg(FleetOptions::kMaxLoadRps);
        return result;
    }

    // The database.
    if (!resolveRoleService(parser, dbServiceOption, QStringLiteral("api"), options.services,
                            &options.dbService, &result.text))
        return result;
    if (options.dbService.isEmpty()) {
        for (const QCommandLineOption *option : {&dbOption, &dbPasswordOption}) {
            if (parser.isSet(*option)) {
                result.text = QStringLiteral("--%1 needs a db service (--db-service)")
                                  .arg(option->names().first());
                return result;
            }
        }
    } else {
        const QString url =
            parser.isSet(dbOption)
                ? parser.value(dbOption)
                : QStringLiteral("sqlite:%1/%2.db").arg(options.dir, options.dbService);
        options.db = db::DatabaseUrl::parse(url, &result.text);
        if (!options.db)
            return result;
        if (parser.isSet(dbPasswordOption)) {
            if (options.db->backend != db::Backend::Postgres) {
                result.text =
                    QStringLiteral("--db-password-env applies to a postgresql:// --db only");
                return result;
            }
            if (!readSecretVariable(QStringLiteral("db-password-env"),
                                    parser.value(dbPasswordOption), &options.dbPassword,
                                    &result.text))
                return result;
        }
    }

    options.writeRps = options.dbService.isEmpty() ? 0 : FleetOptions::kDefaultWriteRps;
    if (parser.isSet(writeRpsOption)) {
        options.writeRps = parser.value(writeRpsOption).toInt(&ok);
        if (!ok || options.writeRps < 0 || options.writeRps > FleetOptions::kMaxLoadRps) {
            result.text = QStringLiteral("--write-rps must be an integer between 0 and %1")
                              .arg(FleetOptions::kMaxLoadRps);
            return result;
        }
        if (options.writeRps > 0 && options.dbService.isEmpty()) {
            result.text = QStringLiteral("--write-rps needs a db service (--db-service)");
            return result;
        }
    }

    // The assets and the CDN edge.
    if (!resolveRoleService(parser, assetsServiceOption, QStringLiteral("web"), options.services,
                            &options.assetsService, &result.text))
        return result;
    if (parser.isSet(cdnTokenOption)) {
        if (options.assetsService.isEmpty()) {
            result.text = QStringLiteral("--cdn-token-env needs an assets service "
                                         "(--assets-service)");
            return result;
        }
        if (!readSecretVariable(QStringLiteral("cdn-token-env"), parser.value(cdnTokenOption),
                                &options.cdnToken, &result.text))
            return result;
        if (options.cdnToken.isEmpty()) {
            result.text = QStringLiteral("environment variable %1 (from --cdn-token-env) is empty")
                              .arg(parser.value(cdnTokenOption));
            return result;
        }
    }

    if (!resolveNginx(parser.value(nginxOption), &options.nginxBinary, &result.text))
        return result;

    if (parser.isSet(seedOption)) {
        const quint64 seed = parser.value(seedOption).toULongLong(&ok);
        if (!ok) {
            result.text = QStringLiteral("--seed must be a non-negative integer");
            return result;
        }
        options.seed = seed;
    }

    const auto level = parseLogLevel(parser.value(logLevelOption));
    if (!level) {
        result.text = QStringLiteral("--log-level must be one of trace, debug, info, warn, error");
        return result;
    }
    options.logLevel = *level;

    result.options = options;
    return result;
}

} // namespace rwd::fleet
