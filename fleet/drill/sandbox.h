#pragma once

#include "client/restclient.h"
#include "common/protocol.h"
#include "eventrecorder.h"
#include "processes.h"

#include <QJsonObject>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace rwd::drill {

// `text` in double quotes for YAML, with backslashes and quotes escaped.
[[nodiscard]] QString yamlQuote(const QString &text);

// A rewind-fleet and a rewindd in a temporary directory, for tests and benchmarks that write
// their own configuration for the fleet they started: start the fleet with its arguments, write
// rewindd's configuration from its ready line, then drive both through their APIs. Everything it
// starts is stopped when it is destroyed.
class Sandbox
{
public:
    // `binDir`: where rewind-fleet and rewindd are.
    explicit Sandbox(QString binDir);
    ~Sandbox();
    Q_DISABLE_COPY_MOVE(Sandbox)

    [[nodiscard]] Result<void> startFleet(const QStringList &args);
    // Starts rewindd with `yaml`. This sandbox calls rewindd with a fresh token (token()), also
    // in $REWIND_SANDBOX_TOKEN: unless the YAML declares `users:` itself, an admin user
    // `sandbox` with that token is added; a YAML with users gives someone
    // "env:REWIND_SANDBOX_TOKEN".
    [[nodiscard]] Result<void> startRewind(const QString &yaml);
    [[nodiscard]] const QString &token() const { return m_token; }
    [[nodiscard]] QUrl rewindUrl() const { return m_rewind.baseUrl(); }

    [[nodiscard]] QString path(const QString &name) const { return m_dir.filePath(name); }
    [[nodiscard]] const QJsonObject &fleetInfo() const { return m_info; }
    [[nodiscard]] EventRecorder &events() { return m_events; }

    // The fleet's control API and rewindd's REST API, called to completion.
    client::RestResult control(const QByteArray &method, const QString &path,
                               const QJsonObject &body = {});
    client::RestResult api(const QByteArray &method, const QString &path,
                           const QJsonObject &body = {});

    [[nodiscard]] QJsonObject service(const QString &name) const;
    [[nodiscard]] QString url(const QString &name) const;
    [[nodiscard]] QString address(const QString &name, const QString &instance) const;
    // YAML for an nginx executor named nginx-NAME over the given instances of service NAME.
    [[nodiscard]] QString nginxExecutor(const QString &name, const QStringList &instances) const;

    [[nodiscard]] Result<void> deploy(const QString &name, const QString &instance,
                                      const QString &version);
    [[nodiscard]] Result<void> route(const QString &name, const QJsonObject &how);
    [[nodiscard]] Result<void> fault(const QString &name, const QString &version, double errorRate);
    [[nodiscard]] Result<protocol::ReleaseInfo> record(const QString &service,
                                                       const QString &version,
                                                       const QString &target,
                                                       const QString &artifact = {});
    bool waitVerified(const protocol::ReleaseInfo &release, int timeoutMs = 30'000);
    // The next rollback_finished event after event index `from`.
    std::optional<protocol::RollbackInfo> waitRollback(std::size_t from, int timeoutMs = 90'000);

    // What the load generator saw through nginx for `name` since `sinceMs` ("services": GET /,
    // "writes": POST /orders).
    QJsonObject traffic(const QString &name, qint64 sinceMs, const char *kind = "services");
    // The same once at least `requests` requests were sent.
    QJsonObject trafficAfter(const QString &name, qint64 sinceMs, int requests);

    // "kind:state" of every step, in order.
    [[nodiscard]] static QStringList stepKinds(const protocol::RollbackInfo &rollback);
    // Runs a program to its end while the event loop keeps running; its exit code and output.
    static QPair<int, QString> runProgram(const QString &program, const QStringList &args);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ManagedProcess> m_fleet;
    std::unique_ptr<ManagedProcess> m_daemon;
    QJsonObject m_info;
    client::RestClient m_fleetRest;
    client::RestClient m_rewind;
    EventRecorder m_events;
    QString m_binDir;
    QString m_token;
};

} // namespace rwd::drill
