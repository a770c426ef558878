#include "programs.h"

#include "processes.h"

#include <QDir>
#include <QProcess>

namespace rwd::testing {

QByteArray ProgramRun::describe() const
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(exitCode).arg(out, err).toUtf8();
}

ProgramRun runProgram(const QString &program, const QStringList &arguments,
                      const RunOptions &options)
{
    QProcess process;
    process.setProcessEnvironment(options.environment);
    if (options.mergeChannels)
        process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    ProgramRun run;
    if (!drill::waitUntil([&] { return process.state() == QProcess::NotRunning; },
                          options.timeoutMs)) {
        process.kill();
        process.waitForFinished(5'000);
        run.err = QStringLiteral("%1 did not run to completion").arg(program);
        return run;
    }
    if (process.error() == QProcess::FailedToStart) {
        run.err = QStringLiteral("%1 did not start: %2").arg(program, process.errorString());
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString binary(const QString &name)
{
    return QDir(QStringLiteral(REWIND_BIN_DIR)).filePath(name);
}

ProgramRun rewindctl(const QString &server, const QString &token, const QStringList &arguments,
                     RunOptions options)
{
    if (!token.isEmpty())
        options.environment.insert(QStringLiteral("REWIND_TOKEN"), token);
    return runProgram(binary(QStringLiteral("rewindctl")),
                      QStringList{QStringLiteral("--server"), server} + arguments, options);
}

} // namespace rwd::testing
