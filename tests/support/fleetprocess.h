#pragma once

// A real rewind-fleet for integration tests that drive it without rewindd: its services and
// instances behind a real nginx, in a directory of the test's, stopped when destroyed.
// (drill::Sandbox and drill::Scenario start a fleet together with rewindd.)

#include "processes.h"
#include "results.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace rwd::testing {

class FleetProcess
{
public:
    // The fleet keeps its files in `dir`/fleet and its log in `dir`/fleet.log.
    explicit FleetProcess(QString dir);
    ~FleetProcess();
    Q_DISABLE_COPY_MOVE(FleetProcess)

    // rewind-fleet --dir DIR/fleet ARGS, waited on until it is ready (at most 30 s).
    [[nodiscard]] Result<void> start(const QStringList &arguments);
    // SIGTERM (then SIGKILL); the exit code, -1 if it was killed or not running.
    int stop();

    // Its readiness message: control URL, services and instances, nginx, ...
    [[nodiscard]] const QJsonObject &ready() const;
    [[nodiscard]] QString control() const;
    [[nodiscard]] QJsonObject service(const QString &name) const;
    [[nodiscard]] QJsonObject instance(const QString &service, const QString &instance) const;

    // A request to the control API, called to completion; its HTTP status (0 without an answer).
    int call(const QByteArray &method, const QString &path, const QJsonObject &body = {});

private:
    QString m_dir;
    std::unique_ptr<drill::ManagedProcess> m_process;
};

} // namespace rwd::testing
