#include "nginxexecutor.h"

#include "logging/logging.h"
#include "upstreamfile.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

namespace rwd::executors {

namespace {

auto log()
{
    return logging::get("executor.nginx");
}

bool isHostPort(const QString &address)
{
    const auto colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint port = address.mid(colon + 1).toUInt(&ok);
    return ok && port > 0 && port <= 65535;
}

} // namespace

std::unique_ptr<Executor> NginxExecutor::create(config::MapReader &r, const QString &name,
                                                const config::Config &config)
{
    Options o;
    if (const auto file = r.string(QStringLiteral("upstream_file"), config::Need::Required))
        o.upstreamFile = config.resolvePath(*file);
    o.upstreamName =
        r.string(QStringLiteral("upstream"), QFileInfo(o.upstreamFile).completeBaseName());
    if (o.upstreamName.isEmpty())
        o.upstreamName = name;
    if (const auto targets = r.stringMap(QStringLiteral("targets"), config::Need::Required)) {
        if (targets->isEmpty())
            r.errorAt(QStringLiteral("targets"),
                      QStringLiteral("'targets' of %1 names no target").arg(r.what()));
        for (const auto &[target, address] : *targets) {
            if (!isHostPort(address))
                r.errorAt(QStringLiteral("targets"),
                          QStringLiteral("target '%1' of %2 must be HOST:PORT, found '%3'")
                              .arg(target, r.what(), address));
            o.targets.append({target, address});
        }
    }
    o.binary = r.string(QStringLiteral("binary"), o.binary);
    o.prefix = config.resolvePath(r.string(QStringLiteral("prefix"), QString()));
    o.configFile = config.resolvePath(r.string(QStringLiteral("config"), QString()));
    o.errorLog = config.resolvePath(r.string(QStringLiteral("error_log"), QString()));
    o.pidFile = config.resolvePath(r.string(QStringLiteral("pid_file"), QString()));
    o.timeoutMs = int(r.durationMs(QStringLiteral("timeout"), o.timeoutMs));
    return std::make_unique<NginxExecutor>(std::move(o));
}

NginxExecutor::NginxExecutor(Options options)
    : m_options(std::move(options))
{
    m_poll.setInterval(10);
    if (m_options.pidFile.isEmpty() && !m_options.configFile.isEmpty())
        m_options.pidFile =
            nginx::ReloadWatch::pidFileFromConfig(m_options.configFile, m_options.prefix);
    if (m_options.pidFile.isEmpty())
        m_options.pidFile = QStringLiteral("/run/nginx.pid");
}

QStringList NginxExecutor::actions() const
{
    return {QStringLiteral("set_weights"), QStringLiteral("switch_traffic")};
}

bool NginxExecutor::idempotent(const QString &) const
{
    // Writing the same upstream file and reloading again changes nothing.
    return true;
}

QStringList NginxExecutor::nginxArguments(const QStringList &extra) const
{
    QStringList args;
    if (!m_options.prefix.isEmpty())
        args << QStringLiteral("-p") << m_options.prefix;
    if (!m_options.configFile.isEmpty())
        args << QStringLiteral("-c") << m_options.configFile;
    if (!m_options.errorLog.isEmpty())
        args << QStringLiteral("-e") << m_options.errorLog;
    return args + extra;
}

void NginxExecutor::execute(const QString &action, const QJsonObject &params, Done done)
{
    if (action != u"switch_traffic" && action != u"set_weights") {
        done({false, false, QStringLiteral("the nginx executor cannot '%1'").arg(action), {}, {}});
        return;
    }
    if (m_runner.isRunning()) {
        done({false, true, QStringLiteral("another nginx action is still running"), {}, {}});
        return;
    }
    const auto addressOf = [this](const QString &target) {
        for (const auto &[name, addr] : m_options.targets) {
            if (name == target)
                return addr;
        }
        return QString();
    };
    // Plans journaled before template variables existed carry the target at the top level.
    const QString target = stepVariables(params).contains(QLatin1String("target"))
                               ? stepVariables(params).value(QLatin1String("target")).toString()
                               : params.value(QLatin1String("target")).toString();
    QList<nginx::UpstreamServer> servers;
    QString described;
    if (action == u"switch_traffic") {
        const QString address = addressOf(target);
        if (address.isEmpty()) {
            done({false,
                  false,
                  QStringLiteral("the nginx executor has no target named '%1'").arg(target),
                  {},
                  {}});
            return;
        }
        servers.append({address, 1});
        described = target;
    } else {
        const auto weights = params.value(QLatin1String("weights")).toObject();
        QStringList parts;
        for (auto it = weights.begin(); it != weights.end(); ++it) {
            const QString address = addressOf(it.key());
            const int weight = it.value().toInt(-1);
            if (address.isEmpty() || weight < 0 || weight > 100) {
                done({false,
                      false,
                      address.isEmpty()
                          ? QStringLiteral("the nginx executor has no target named '%1'")
                                .arg(it.key())
                          : QStringLiteral("weight %1 of '%2' is not from 0 to 100")
                                .arg(it.value().toInt())
                                .arg(it.key()),
                      {},
                      {}});
                return;
            }
            // nginx has no weight 0: a target without traffic is left out of the upstream.
            if (weight > 0)
                servers.append({address, weight});
            parts.append(QStringLiteral("%1 %2%").arg(it.key()).arg(weight));
        }
        if (servers.isEmpty()) {
            done({false, false, QStringLiteral("set_weights gives every target weight 0"), {}, {}});
            return;
        }
        described = parts.join(QStringLiteral(", "));
    }
    QByteArray previous;
    if (QFile file(m_options.upstreamFile); file.open(QIODevice::ReadOnly))
        previous = file.readAll();
    const QByteArray next = nginx::renderUpstream(m_options.upstreamName, servers).toUtf8();
    if (const auto written = nginx::writeFileAtomically(m_options.upstreamFile, next); !written) {
        done({false, true, written.error().message, {}, {}});
        return;
    }
    log()->info("upstream '{}' -> {} written to {}", m_options.upstreamName, described,
                m_options.upstreamFile);
    testAndReload(previous, described, std::move(done));
}

void NginxExecutor::testAndReload(const QByteArray &previous, const QString &target, Done done)
{
    m_runner.run(
        m_options.binary, nginxArguments({QStringLiteral("-t")}), m_options.timeoutMs,
        [this, previous, target,
         done = std::move(done)](const process::ProcessResult &test) mutable {
            if (!test.succeeded()) {
                QString restoreError;
                if (!previous.isEmpty()) {
                    if (const auto restored =
                            nginx::writeFileAtomically(m_options.upstreamFile, previous);
                        !restored)
                        restoreError = restored.error().message;
                }
                log()->error("nginx -t rejected the new upstream: {}", test.summary());
                done({false,
                      test.timedOut || !test.started,
                      QStringLiteral("nginx -t failed (%1); previous upstream restored%2")
                          .arg(test.summary(), restoreError.isEmpty()
                                                   ? QString()
                                                   : QStringLiteral(" (%1)").arg(restoreError)),
                      QString::fromUtf8(test.output),
                      {}});
                return;
            }
            auto watch = std::make_shared<nginx::ReloadWatch>(m_options.pidFile);
            m_runner.run(
                m_options.binary, nginxArguments({QStringLiteral("-s"), QStringLiteral("reload")}),
                m_options.timeoutMs,
                [this, watch, target,
                 done = std::move(done)](const process::ProcessResult &reload) {
                    if (!reload.succeeded()) {
                        log()->error("nginx reload failed: {}", reload.summary());
                        done({false,
                              true,
                              QStringLiteral("nginx reload failed: %1").arg(reload.summary()),
                              QString::fromUtf8(reload.output),
                              {}});
                        return;
                    }
                    awaitReload(watch, QDateTime::currentMSecsSinceEpoch() + m_options.timeoutMs,
                                target, done);
                });
        });
}

void NginxExecutor::awaitReload(const std::shared_ptr<nginx::ReloadWatch> &watch, qint64 deadlineMs,
                                const QString &target, const Done &done)
{
    if (watch->reloaded()) {
        m_poll.stop();
        QObject::disconnect(&m_poll, &QTimer::timeout, nullptr, nullptr);
        if (!watch->canWatch())
            log()->debug("cannot watch nginx's workers (pid file {}); not waiting for the reload",
                         m_options.pidFile);
        log()->info("nginx reloaded; traffic now goes to '{}'", target);
        done({true, false, QStringLiteral("traffic switched to %1").arg(target), {}, {}});
        return;
    }
    if (QDateTime::currentMSecsSinceEpoch() > deadlineMs) {
        m_poll.stop();
        QObject::disconnect(&m_poll, &QTimer::timeout, nullptr, nullptr);
        done({false,
              true,
              QStringLiteral("nginx accepted the reload but its old workers still take new "
                             "connections after %1 ms")
                  .arg(m_options.timeoutMs),
              {},
              {}});
        return;
    }
    if (!m_poll.isActive()) {
        QObject::connect(&m_poll, &QTimer::timeout, &m_poll,
                         [this, watch, deadlineMs, target, done] {
                             awaitReload(watch, deadlineMs, target, done);
                         });
        m_poll.start();
    }
}

} // namespace rwd::executors
