#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace rwd::drill {

// Runs the event loop until `done()` holds or `timeoutMs` passes; returns whether it holds.
// Drills and tests wait on real events (process output, sockets, timers) this way, never with
// fixed sleeps.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);

// A random API token for a sandbox's own admin user (see sandboxUsers()).
[[nodiscard]] QString randomToken();

// The `users:` section a drill or sandbox gives rewindd: one admin of every environment whose API
// token rewindd reads from the environment variable `variable` (set it to the token before
// starting rewindd).
[[nodiscard]] QString sandboxUsers(const QString &name, const QString &variable);

// A child process of a drill (rewind-fleet, rewindd): started with argv, considered ready when
// it prints its one-line JSON readiness message on stdout, stopped with SIGTERM (then SIGKILL),
// and killed by the kernel if the drill itself dies. Its stderr goes to a log file.
class ManagedProcess
{
public:
    ManagedProcess(QString name, QString logFile);
    ~ManagedProcess();
    Q_DISABLE_COPY_MOVE(ManagedProcess)

    // Starts the program and waits for its readiness line. Fails with the reason and the end of
    // its log.
    [[nodiscard]] Result<void> start(const QString &program, const QStringList &arguments,
                                     int timeoutMs);
    // SIGTERM, then SIGKILL after `graceMs`. Returns the exit code (-1 if killed or not running).
    int stop(int graceMs = 10'000);
    // SIGKILL, no grace: for crash tests.
    void kill();

    [[nodiscard]] const QJsonObject &ready() const { return m_ready; }
    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] qint64 pid() const;
    [[nodiscard]] QString logTail(int lines = 20) const;

private:
    QString m_name;
    QString m_logFile;
    std::unique_ptr<QProcess> m_process;
    QJsonObject m_ready;
};

} // namespace rwd::drill
