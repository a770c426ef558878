#pragma once

#include <QSet>
#include <QString>

namespace rwd::executors::nginx {

// `nginx -s reload` only signals the master; the new configuration is in force once new workers
// run and every old worker has stopped accepting connections (its title becomes "worker process
// is shutting down") or exited. This watches that through /proc, so that "traffic switched"
// means new connections really go to the new upstream.
class ReloadWatch
{
public:
    // Records the master's current workers. `pidFile` is nginx's pid file.
    explicit ReloadWatch(const QString &pidFile);

    // False when the master could not be found (nginx elsewhere, no /proc): nothing to wait for.
    [[nodiscard]] bool canWatch() const { return m_master > 0; }
    // True once the reload has taken effect.
    [[nodiscard]] bool reloaded() const;

    // The `pid` directive of an nginx configuration file, resolved against `prefix`; empty when
    // the file sets none.
    [[nodiscard]] static QString pidFileFromConfig(const QString &configFile,
                                                   const QString &prefix);

private:
    qint64 m_master = 0;
    QSet<qint64> m_oldWorkers;
};

} // namespace rwd::executors::nginx
