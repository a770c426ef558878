#pragma once

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
};

struct FleetOptions
{
    static constexpr int kMaxLoadRps = 2000;

    QString dir;                 // absolute, cleaned
    QList<ServiceSpec> services; // in command-line order, dependencies validated, no cycles
    QString initialVersion = QStringLiteral("v1.0");
    int loadRps = 50;
    QString nginxBinary; // absolute path of an executable
    std::optional<quint64> seed;
    spdlog::level::level_enum logLevel = spdlog::level::info;
};

struct CommandLine
{
    std::optional<FleetOptions> options; // set when the command line is valid
    bool helpRequested = false;
    QString text; // the error message, or the help text when helpRequested
};

// Parses and validates the arguments (arguments.first() is the program name). Never exits.
[[nodiscard]] CommandLine parseCommandLine(const QStringList &arguments);

// Parses one --service value, "NAME[:DEP[+DEP...]]".
bool parseServiceSpec(const QString &value, ServiceSpec *spec, QString *error);

// Checks names, duplicates, unknown dependencies and cycles (a dependency cycle would make
// requests wait on each other until they time out).
bool validateServices(const QList<ServiceSpec> &services, QString *error);

} // namespace rwd::fleet
