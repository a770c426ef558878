#include "sandbox.h"

#include "client/sync/syncrest.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace rwd::drill {

namespace {
constexpr int kStartMs = 30'000;
}

QString yamlQuote(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    return u'"' + escaped + u'"';
}

Sandbox::Sandbox(QString binDir)
    : m_binDir(std::move(binDir))
{}

Sandbox::~Sandbox()
{
    m_events.close();
    if (m_daemon)
        m_daemon->stop();
    if (m_fleet)
        m_fleet->stop();
}

Result<void> Sandbox::startFleet(const QStringList &args)
{
    m_fleet = std::make_unique<ManagedProcess>(QStringLiteral("rewind-fleet"),
                                               path(QStringLiteral("fleet.log")));
    if (auto started = m_fleet->start(
            QDir(m_binDir).filePath(QStringLiteral("rewind-fleet")),
            QStringList{QStringLiteral("--dir"), path(QStringLiteral("fleet"))} + args, kStartMs);
        !started)
        return started;
    m_info = m_fleet->ready();
    m_fleetRest.setBaseUrl(QUrl(m_info.value(QLatin1String("control")).toString()));
    return {};
}

Result<void> Sandbox::startRewind(const QString &yaml)
{
    const QString config = path(QStringLiteral("rewind.yaml"));
    QString text = yaml;
    m_token = randomToken();
    qputenv("REWIND_SANDBOX_TOKEN", m_token.toUtf8());
    if (!text.startsWith(QLatin1String("users:")) && !text.contains(QLatin1String("\nusers:")))
        text += sandboxUsers(QStringLiteral("sandbox"), QStringLiteral("REWIND_SANDBOX_TOKEN"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1: %2").arg(config, file.errorString()));
    file.close();
    m_daemon = std::make_unique<ManagedProcess>(QStringLiteral("rewindd"),
                                                path(QStringLiteral("rewindd.log")));
    if (auto started = m_daemon->start(QDir(m_binDir).filePath(QStringLiteral("rewindd")),
                                       {QStringLiteral("--config"), config,
                                        QStringLiteral("--log-level"), QStringLiteral("info")},
                                       kStartMs);
        !started)
        return started;
    const QUrl url(m_daemon->ready().value(QLatin1String("rewindd")).toString());
    m_rewind.setBaseUrl(url);
    m_rewind.setToken(m_token);
    return m_events.connectTo(url, m_token, kStartMs);
}

client::RestResult Sandbox::control(const QByteArray &method, const QString &path,
                                    const QJsonObject &body)
{
    return client::callAndWait(m_fleetRest, method, path, body);
}

client::RestResult Sandbox::api(const QByteArray &method, const QString &path,
                                const QJsonObject &body)
{
    return client::callAndWait(m_rewind, method, path, body);
}

QJsonObject Sandbox::service(const QString &name) const
{
    return m_info.value(QLatin1String("services")).toObject().value(name).toObject();
}

QString Sandbox::url(const QString &name) const
{
    return service(name).value(QLatin1String("url")).toString();
}

QString Sandbox::address(const QString &name, const QString &instance) const
{
    return service(name)
        .value(QLatin1String("instances"))
        .toObject()
        .value(instance)
        .toObject()
        .value(QLatin1String("address"))
        .toString();
}

QString Sandbox::nginxExecutor(const QString &name, const QStringList &instances) const
{
    const auto nginx = m_info.value(QLatin1String("nginx")).toObject();
    QString yaml =
        QStringLiteral("  nginx-%1:\n    type: nginx\n    upstream_file: %2\n"
                       "    upstream: %3\n    targets:\n")
            .arg(name, yamlQuote(service(name).value(QLatin1String("upstream_file")).toString()),
                 service(name).value(QLatin1String("upstream")).toString());
    for (const auto &i : instances)
        yaml += QStringLiteral("      %1: %2\n").arg(i, yamlQuote(address(name, i)));
    yaml += QStringLiteral("    binary: %1\n    prefix: %2\n    config: %3\n    error_log: %4\n")
                .arg(yamlQuote(nginx.value(QLatin1String("binary")).toString()),
                     yamlQuote(nginx.value(QLatin1String("prefix")).toString()),
                     yamlQuote(nginx.value(QLatin1String("config")).toString()),
                     yamlQuote(nginx.value(QLatin1String("error_log")).toString()));
    return yaml;
}

Result<void> Sandbox::deploy(const QString &name, const QString &instance, const QString &version)
{
    const auto r = control("POST", QStringLiteral("/services/%1/deploy").arg(name),
                           {{"instance", instance}, {"version", version}});
    if (!r.ok())
        return failure(QStringLiteral("deploy: %1").arg(r.error->message));
    return {};
}

Result<void> Sandbox::route(const QString &name, const QJsonObject &how)
{
    const auto r = control("POST", QStringLiteral("/services/%1/route").arg(name), how);
    if (!r.ok())
        return failure(QStringLiteral("route: %1").arg(r.error->message));
    return {};
}

Result<void> Sandbox::fault(const QString &name, const QString &version, double errorRate)
{
    const auto r =
        control("PUT", QStringLiteral("/services/%1/versions/%2/fault").arg(name, version),
                {{"error_rate", errorRate}});
    if (!r.ok())
        return failure(QStringLiteral("fault: %1").arg(r.error->message));
    return {};
}

Result<protocol::ReleaseInfo> Sandbox::record(const QString &service, const QString &version,
                                              const QString &target, const QString &artifact)
{
    QJsonObject body{{"service", service}, {"version", version}, {"pipeline", "sandbox"}};
    if (!target.isEmpty())
        body.insert(QStringLiteral("target"), target);
    if (!artifact.isEmpty())
        body.insert(QStringLiteral("artifact"), artifact);
    const auto r = api("POST", QStringLiteral("/api/v1/deployments"), body);
    if (!r.ok())
        return failure(QStringLiteral("record %1 %2: %3").arg(service, version, r.error->message));
    return protocol::ReleaseInfo::fromJson(r.body.object());
}

bool Sandbox::waitVerified(const protocol::ReleaseInfo &release, int timeoutMs)
{
    return m_events.waitFor(
               QString::fromLatin1(protocol::event::ReleaseStateChanged),
               [&](const protocol::Event &e) {
                   const auto r = protocol::ReleaseInfo::fromJson(e.data);
                   return r.id == release.id && r.state == ReleaseState::Verified;
               },
               timeoutMs) != nullptr;
}

std::optional<protocol::RollbackInfo> Sandbox::waitRollback(std::size_t from, int timeoutMs)
{
    const auto *finished = m_events.waitFor(QString::fromLatin1(protocol::event::RollbackFinished),
                                            {}, timeoutMs, from);
    if (!finished)
        return std::nullopt;
    return protocol::RollbackInfo::fromJson(
        finished->event.data.value(QLatin1String("rollback")).toObject());
}

QJsonObject Sandbox::traffic(const QString &name, qint64 sinceMs, const char *kind)
{
    return control("GET", QStringLiteral("/load?since_ms=%1&service=%2").arg(sinceMs).arg(name))
        .body.object()
        .value(QLatin1String(kind))
        .toObject()
        .value(name)
        .toObject();
}

QJsonObject Sandbox::trafficAfter(const QString &name, qint64 sinceMs, int requests)
{
    waitUntil(
        [&] { return traffic(name, sinceMs).value(QLatin1String("requests")).toInt() >= requests; },
        30'000);
    return traffic(name, sinceMs);
}

QStringList Sandbox::stepKinds(const protocol::RollbackInfo &rollback)
{
    QStringList out;
    for (const auto &s : rollback.steps)
        out.append(s.kind + u':' + wireName(s.state));
    return out;
}

QPair<int, QString> Sandbox::runProgram(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    waitUntil([&] { return p.state() == QProcess::NotRunning; }, 60'000);
    return {p.exitCode(), QString::fromUtf8(p.readAll())};
}

} // namespace rwd::drill
