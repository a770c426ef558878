#pragma once

// An in-process rewindd for integration tests: its configuration written to rewind.yaml in a
// fresh temporary directory, a daemon::Daemon on the test's thread started from it (driven by
// the test's clock, real or manual), its API on a loopback port. Destroying the fixture (or
// stop()) stops the daemon.

#include "common/clock.h"
#include "daemon/daemon.h"
#include "programs.h"
#include "results.h"

#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace rwd::client {
class RestClient;
}

namespace rwd::testing {

class DaemonFixture
{
public:
    explicit DaemonFixture(const Clock &clock);
    ~DaemonFixture();
    Q_DISABLE_COPY_MOVE(DaemonFixture)

    // A file in the fixture's directory (where relative paths of the configuration point).
    [[nodiscard]] QString path(const QString &name) const;
    [[nodiscard]] QString configPath() const { return path(QStringLiteral("rewind.yaml")); }

    // Writes `yaml` to rewind.yaml and starts the daemon from it.
    [[nodiscard]] Result<void> start(const QString &yaml);
    void stop();

    [[nodiscard]] daemon::Daemon &daemon() { return *m_daemon; }
    daemon::Daemon *operator->() { return m_daemon.get(); }
    const daemon::Daemon *operator->() const { return m_daemon.get(); }

    // http://127.0.0.1:PORT, and the event stream's ws://127.0.0.1:PORT/ws/v1 with `query`.
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QUrl wsUrl(const QString &query = {}) const;
    // Points `rest` at this daemon, signed in with `token`.
    void connect(client::RestClient &rest, const QString &token) const;
    // rewindctl against this daemon, signed in with `token`.
    [[nodiscard]] ProgramRun ctl(const QString &token, const QStringList &arguments) const;

    // The `users:` section of a configuration with one admin of every environment, `name`,
    // whose API token is a fresh one put in the environment variable `variable` (and `token`).
    static QString admin(const QString &name, const char *variable, QString *token = nullptr);

private:
    const Clock &m_clock;
    QTemporaryDir m_dir;
    std::unique_ptr<daemon::Daemon> m_daemon;
};

} // namespace rwd::testing
