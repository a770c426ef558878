#pragma once

// Programs a test runs to their end (argv, never a shell) while its event loop keeps running:
// rewindctl, the migration tool, PDF tools, a CI job's script.

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace rwd::testing {

struct RunOptions
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Standard error into `out` as well, in the order written (`err` stays empty).
    bool mergeChannels = false;
    int timeoutMs = 120'000;
};

struct ProgramRun
{
    int exitCode = -1; // -1: crashed, killed or did not finish
    QString out;
    QString err;

    // Exit code and both outputs, for a test's failure message.
    [[nodiscard]] QByteArray describe() const;
};

// Runs `program` to its end; one that does not finish within the timeout is killed and says so
// in `err`.
ProgramRun runProgram(const QString &program, const QStringList &arguments,
                      const RunOptions &options = {});

// The path of one of Rewind's programs in this build (rewindctl, rewindd, rewind-fleet, ...).
[[nodiscard]] QString binary(const QString &name);

// rewindctl against `server`, signed in with `token` (in $REWIND_TOKEN; none when empty).
ProgramRun rewindctl(const QString &server, const QString &token, const QStringList &arguments,
                     RunOptions options = {});

} // namespace rwd::testing
