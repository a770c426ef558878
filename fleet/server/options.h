#pragma once

#include "db/database.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <spdlog/common.h>

namespace rwd::fleet {

struct ServiceSpec
{
    QString name;
    QStringList dependsOn; // in the order given on the command line
    QStringList instances; // --instances, or blue,green; the first gets all traffic at start
};

struct FleetOptions
{
    static constexpr int kMaxLoadRps = 2000;
    static constexpr int kDefaultWriteRps = 10;
    static constexpr const char *kDefaultCdnToken = "fleet-cdn-token";

    QString dir;                 // absolute, cleaned
    QList<ServiceSpec> services; // in command-line order, dependencies validated, no cycles
    QString initialVersion = QStringLiteral("v1.0");
    int loadRps = 50;
    int writeRps = 0;    // POST /orders per second to the db service; 0 without one
    QString nginxBinary; // absolute path of an executable
    std::optional<quint64> seed;
    spdlog::level::level_enum logLevel = spdlog::level::info;

    QString dbService;                 // empty: no database
    std::optional<db::DatabaseUrl> db; // set exactly when dbService is
    QString dbPassword;                // from --db-password-env; never logged or printed

    QString assetsService;                                    // empty: no assets and no CDN edge
    QString cdnToken = QString::fromLatin1(kDefaultCdnToken); // from --cdn-token-env
};

struct CommandLine
{
    std::optional<FleetOptions> options; // set when the command line is valid
    bool helpRequested = false;
    QString text; // the error message, or the help text when helpRequested
};

// Parses and validates the arguments (arguments.first() is the program name). Never exits.
// Reads the environment variables named by --db-password-env and --cdn-token-env.
[[nodiscard]] CommandLine parseCommandLine(const QStringList &arguments);

// Parses one --service value, "NAME[:DEP[+DEP...]]".
bool parseServiceSpec(const QString &value, ServiceSpec *spec, QString *error);

// Parses one --instances value, "SERVICE=NAME[,NAME...]": valid, unique names, at least one.
bool parseInstancesSpec(const QString &value, QString *service, QStringList *instances,
                        QString *error);

// Checks names, duplicates, unknown dependencies and cycles (a dependency cycle would make
// requests wait on each other until they time out).
bool validateServices(const QList<ServiceSpec> &services, QString *error);

} // namespace rwd::fleet
