#include "options.h"

#include "logging.h"
#include "names.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QStandardPaths>

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

} // namespace

bool parseServiceSpec(const QString &value, ServiceSpec *spec, QString *error)
{
    const qsizetype colon = value.indexOf(QLatin1Char(':'));
    ServiceSpec result;
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
    parser.setApplicationDescription(
        QStringLiteral("Sandbox fleet of blue/green HTTP services on loopback behind a private "
                       "nginx, for Rewind's demo, end-to-end tests and drills."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption dirOption(
        QStringLiteral("dir"),
        QStringLiteral("Private working directory (created if missing); holds nginx's prefix, "
                       "config, logs and fleet.json."),
        QStringLiteral("DIR"));
    const QCommandLineOption serviceOption(
        QStringLiteral("service"),
        QStringLiteral("Service NAME, optionally depending on DEP services. Repeatable. Default: "
                       "--service web:api --service api."),
        QStringLiteral("NAME[:DEP[+DEP...]]"));
    const QCommandLineOption versionOption(
        QStringLiteral("initial-version"),
        QStringLiteral("Version both colours of every service start with."),
        QStringLiteral("VERSION"), QStringLiteral("v1.0"));
    const QCommandLineOption rpsOption(
        QStringLiteral("load-rps"),
        QStringLiteral("Requests per second sent to each service's frontend (0 = off, max %1).")
            .arg(FleetOptions::kMaxLoadRps),
        QStringLiteral("N"), QStringLiteral("50"));
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
    parser.addOptions({dirOption, serviceOption, versionOption, rpsOption, nginxOption, seedOption,
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
