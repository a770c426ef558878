#pragma once

#include "executors/executor.h"
#include "process/process.h"
#include "reloadwatch.h"

#include <QList>
#include <QPair>
#include <QTimer>

namespace rwd::executors {

// `type: nginx` — moves traffic by rewriting an upstream include file atomically, checking the
// whole configuration with `nginx -t` (restoring the previous file if nginx rejects it) and
// reloading nginx gracefully (`nginx -s reload`: in-flight requests finish on the old workers),
// then waiting until the old workers stop taking new connections.
//
// Actions:
//   switch_traffic {vars.target: "green"}            route everything to that target's address
//   set_weights    {weights: {blue: 90, green: 10}}  share traffic by weight (0: no traffic)
class NginxExecutor final : public Executor
{
public:
    struct Options
    {
        QString upstreamFile;
        QString upstreamName;
        QList<QPair<QString, QString>> targets; // name -> host:port
        QString binary = QStringLiteral("nginx");
        QString prefix;
        QString configFile;
        QString errorLog;
        QString pidFile; // where nginx writes its master's PID; found from the config if unset
        int timeoutMs = 10'000;
    };

    explicit NginxExecutor(Options options);

    [[nodiscard]] QStringList actions() const override;
    [[nodiscard]] bool idempotent(const QString &action) const override;
    void execute(const QString &action, const QJsonObject &params, Done done) override;

    static std::unique_ptr<Executor> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    [[nodiscard]] QStringList nginxArguments(const QStringList &extra) const;
    void testAndReload(const QByteArray &previous, const QString &target, Done done);
    void awaitReload(const std::shared_ptr<nginx::ReloadWatch> &watch, qint64 deadlineMs,
                     const QString &target, const Done &done);

    Options m_options;
    process::ProcessRunner m_runner;
    QTimer m_poll;
};

} // namespace rwd::executors
