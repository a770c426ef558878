#include "nginxsupervisor.h"

#include "atomicfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpSocket>

#include <algorithm>
#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace rwd::fleet {

namespace {

// nginx config strings are quoted so paths with spaces work; the command line rejects paths
// with characters that would need escaping.
QString quoted(const QString &path)
{
    return QLatin1Char('"') + path + QLatin1Char('"');
}

const QStringList kTempDirs{QStringLiteral("client_body"), QStringLiteral("proxy"),
                            QStringLiteral("fastcgi"), QStringLiteral("uwsgi"),
                            QStringLiteral("scgi")};

constexpr qsizetype kRecentOutputBytes = 8192;

bool acceptsConnections(quint16 port, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    const bool connected = socket.waitForConnected(timeoutMs);
    socket.abort();
    return connected;
}

} // namespace

NginxLayout NginxLayout::forFleetDir(const QString &fleetDir, const QString &binary)
{
    NginxLayout layout;
    layout.binary = binary;
    layout.prefix = fleetDir + QLatin1String("/nginx");
    layout.config = layout.prefix + QLatin1String("/nginx.conf");
    layout.errorLog = layout.prefix + QLatin1String("/error.log");
    layout.pidFile = layout.prefix + QLatin1String("/nginx.pid");
    layout.upstreamDir = layout.prefix + QLatin1String("/upstreams");
    layout.tempDir = layout.prefix + QLatin1String("/tmp");
    return layout;
}

QString NginxLayout::upstreamFile(const QString &service) const
{
    return upstreamDir + QLatin1Char('/') + service + QLatin1String(".conf");
}

bool nginxUserDirective(std::optional<QString> *directive, QString *error)
{
    const uid_t uid = ::geteuid();
    if (uid != 0) {
        directive->reset();
        return true;
    }
    const passwd *user = ::getpwuid(uid);
    if (!user) {
        *error = QStringLiteral("cannot look up the name of user %1 for nginx's user directive")
                     .arg(uid);
        return false;
    }
    const group *primaryGroup = ::getgrgid(user->pw_gid);
    if (!primaryGroup) {
        *error = QStringLiteral("cannot look up the name of group %1 for nginx's user directive")
                     .arg(user->pw_gid);
        return false;
    }
    *directive = QStringLiteral("user %1 %2;")
                     .arg(QString::fromLocal8Bit(user->pw_name),
                          QString::fromLocal8Bit(primaryGroup->gr_name));
    return true;
}

QByteArray renderNginxConfig(const NginxLayout &layout, const QList<NginxFrontend> &frontends,
                             const std::optional<QString> &userDirective)
{
    QString config;
    config += QStringLiteral("# managed by rewind-fleet; rewritten at every start\n"
                             "worker_processes 1;\n"
                             "daemon off;\n");
    config += QStringLiteral("pid %1;\n").arg(quoted(layout.pidFile));
    config += QStringLiteral("error_log %1;\n").arg(quoted(layout.errorLog));
    if (userDirective)
        config += *userDirective + QLatin1Char('\n');
    config += QStringLiteral("\nevents {\n    worker_connections 1024;\n}\n\nhttp {\n"
                             "    access_log off;\n");
    for (const QString &dir : kTempDirs) {
        config += QStringLiteral("    %1_temp_path %2;\n")
                      .arg(dir, quoted(layout.tempDir + QLatin1Char('/') + dir));
    }
    config += QLatin1Char('\n');
    for (const NginxFrontend &frontend : frontends)
        config +=
            QStringLiteral("    include %1;\n").arg(quoted(layout.upstreamFile(frontend.service)));
    for (const NginxFrontend &frontend : frontends) {
        config += QStringLiteral("\n"
                                 "    server {\n"
                                 "        listen 127.0.0.1:%1;\n")
                      .arg(frontend.port);
        if (!frontend.assetsDir.isEmpty()) {
            // Both the location and the alias end in '/', so /assets/app.js maps to
            // current/app.js (a missing slash on either side would join paths wrongly).
            // Versions of app.js can have the same size and modification second, so validators
            // derived from them could make a client keep the wrong version: no ETag, and
            // If-Modified-Since is ignored (always a full 200).
            config += QStringLiteral("        location /assets/ {\n"
                                     "            alias %1;\n"
                                     "            types { application/javascript js; text/css css; "
                                     "text/html html; application/json json; }\n"
                                     "            default_type application/octet-stream;\n"
                                     "            etag off;\n"
                                     "            if_modified_since off;\n"
                                     "            add_header Cache-Control \"no-cache\" always;\n"
                                     "        }\n")
                          .arg(quoted(frontend.assetsDir + QLatin1String("/current/")));
        }
        config += QStringLiteral("        location / {\n"
                                 "            proxy_pass http://%1;\n"
                                 "            proxy_http_version 1.1;\n"
                                 "            proxy_set_header Connection \"\";\n"
                                 "            proxy_connect_timeout 1s;\n"
                                 "            proxy_read_timeout 10s;\n"
                                 "        }\n"
                                 "    }\n")
                      .arg(frontend.service);
    }
    config += QStringLiteral("}\n");
    return config.toUtf8();
}

NginxSupervisor::NginxSupervisor(NginxLayout layout, QObject *parent)
    : QObject(parent)
    , m_layout(std::move(layout))
{}

NginxSupervisor::~NginxSupervisor()
{
    stop();
}

bool NginxSupervisor::writeConfig(const QList<NginxFrontend> &frontends, QString *error)
{
    QDir root;
    for (const QString &dir :
         QStringList{m_layout.prefix, m_layout.upstreamDir, m_layout.tempDir}) {
        if (!root.mkpath(dir)) {
            *error = QStringLiteral("cannot create directory %1").arg(dir);
            return false;
        }
    }
    for (const QString &dir : kTempDirs) {
        const QString path = m_layout.tempDir + QLatin1Char('/') + dir;
        if (!root.mkpath(path)) {
            *error = QStringLiteral("cannot create directory %1").arg(path);
            return false;
        }
    }
    std::optional<QString> user;
    if (!nginxUserDirective(&user, error))
        return false;
    return writeFileAtomically(m_layout.config, renderNginxConfig(m_layout, frontends, user),
                               error);
}

QStringList NginxSupervisor::baseArguments() const
{
    return {QStringLiteral("-p"), m_layout.prefix,      QStringLiteral("-c"),
            m_layout.config,      QStringLiteral("-e"), m_layout.errorLog};
}

bool NginxSupervisor::start(const QList<quint16> &ports, QString *error)
{
    if (m_process) {
        *error = QStringLiteral("nginx is already running (pid %1)").arg(m_pid);
        return false;
    }
    m_process = new QProcess(this);
    m_process->setProgram(m_layout.binary);
    m_process->setArguments(baseArguments());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    const pid_t fleetPid = ::getpid();
    m_process->setChildProcessModifier([fleetPid] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        // The fleet may have died between fork() and prctl(); the signal would never come.
        if (::getppid() != fleetPid)
            ::_exit(1);
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &NginxSupervisor::logOutput);
    connect(
        m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
            if (!m_supervising)
                return;
            m_supervising = false;
            logOutput();
            // Workers of a master that died abruptly would linger; they share its process
            // group.
            ::kill(-static_cast<pid_t>(m_pid), SIGKILL);
            const QString details =
                QStringLiteral("nginx (pid %1) exited unexpectedly (%2 %3)")
                    .arg(m_pid)
                    .arg(status == QProcess::NormalExit ? QStringLiteral("exit code")
                                                        : QStringLiteral("killed by signal"))
                    .arg(exitCode);
            const QString tail = errorLogTail();
            spdlog::error("{}{}{}", qUtf8Printable(details),
                          tail.isEmpty() ? "" : "; last error log lines:\n", qUtf8Printable(tail));
            emit exitedUnexpectedly(details);
        });

    const auto fail = [&](const QString &message) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(kCommandTimeoutMs)) {
                ::kill(-static_cast<pid_t>(m_pid), SIGKILL);
                m_process->waitForFinished(kCommandTimeoutMs);
            }
        }
        logOutput();
        const QString output = QString::fromLocal8Bit(m_recentOutput + m_pendingOutput);
        m_pendingOutput.clear();
        *error = message;
        if (!output.trimmed().isEmpty())
            *error += QStringLiteral("\nnginx output:\n") + output.trimmed();
        const QString tail = errorLogTail();
        if (!tail.isEmpty())
            *error += QStringLiteral("\nnginx error log (%1):\n%2").arg(m_layout.errorLog, tail);
        m_process->disconnect(this);
        delete m_process;
        m_process = nullptr;
        m_pid = 0;
        return false;
    };

    m_recentOutput.clear();
    m_errorLogOffset = QFileInfo(m_layout.errorLog).size();
    m_process->start();
    if (!m_process->waitForStarted(kCommandTimeoutMs)) {
        return fail(
            QStringLiteral("cannot start %1: %2").arg(m_layout.binary, m_process->errorString()));
    }
    m_pid = m_process->processId();
    spdlog::debug("nginx master started (pid {}); waiting for {} frontend port(s)", m_pid,
                  ports.size());

    QElapsedTimer elapsed;
    elapsed.start();
    QList<quint16> pending = ports;
    while (true) {
        pending.removeIf([&](quint16 port) {
            const int remaining = static_cast<int>(kStartTimeoutMs - elapsed.elapsed());
            return acceptsConnections(port, std::max(remaining, kConnectRetryMs));
        });
        if (pending.isEmpty())
            break;
        if (elapsed.elapsed() >= kStartTimeoutMs) {
            QStringList missing;
            for (quint16 port : pending)
                missing.append(QString::number(port));
            return fail(QStringLiteral("nginx did not accept connections on 127.0.0.1 port(s) %1 "
                                       "within %2 ms")
                            .arg(missing.join(QStringLiteral(", ")))
                            .arg(kStartTimeoutMs));
        }
        // Waiting for the process doubles as the retry interval and notices an early exit.
        if (m_process->state() == QProcess::NotRunning ||
            m_process->waitForFinished(kConnectRetryMs)) {
            return fail(QStringLiteral("nginx exited during startup (exit code %1)")
                            .arg(m_process->exitCode()));
        }
    }
    m_supervising = true;
    spdlog::info("nginx started (pid {}, config {})", m_pid, qUtf8Printable(m_layout.config));
    return true;
}

void NginxSupervisor::stop()
{
    if (!m_process)
        return;
    m_supervising = false;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(kCommandTimeoutMs)) {
            spdlog::warn("nginx (pid {}) did not exit within {} ms of SIGTERM; killing its process "
                         "group",
                         m_pid, kCommandTimeoutMs);
            ::kill(-static_cast<pid_t>(m_pid), SIGKILL);
            m_process->waitForFinished(kCommandTimeoutMs);
        }
        spdlog::info("nginx stopped (pid {})", m_pid);
    }
    logOutput();
    m_process->disconnect(this);
    // stop() may run inside the process's own finished() emission (unexpected exit -> fleet
    // shutdown), so the QProcess must not be deleted synchronously.
    m_process->deleteLater();
    m_process = nullptr;
    m_pid = 0;
}

bool NginxSupervisor::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 NginxSupervisor::pid() const
{
    return m_pid;
}

bool NginxSupervisor::replaceUpstreamFile(const QString &path, const QByteArray &contents,
                                          QString *error)
{
    QByteArray previous;
    QString readError;
    const bool hadPrevious = QFile::exists(path) && readWholeFile(path, &previous, &readError);
    if (!writeFileAtomically(path, contents, error))
        return false;

    QString output;
    const auto restore = [&](const QString &command) {
        *error = QStringLiteral("%1 failed: %2").arg(command, output);
        QString restoreError;
        const bool restored =
            hadPrevious ? writeFileAtomically(path, previous, &restoreError) : QFile::remove(path);
        if (!restored) {
            *error += QStringLiteral("\nrestoring the previous %1 also failed: %2")
                          .arg(path, restoreError);
        }
        spdlog::error("{}; previous upstream file {}", qUtf8Printable(*error),
                      restored ? "restored" : "NOT restored");
        return false;
    };
    if (!runCommand({QStringLiteral("-t")}, &output))
        return restore(QStringLiteral("nginx -t"));
    if (!runCommand({QStringLiteral("-s"), QStringLiteral("reload")}, &output))
        return restore(QStringLiteral("nginx -s reload"));
    spdlog::info("nginx reloaded (pid {})", m_pid);
    return true;
}

bool NginxSupervisor::runCommand(const QStringList &extraArguments, QString *output)
{
    QProcess process;
    process.setProgram(m_layout.binary);
    process.setArguments(baseArguments() + extraArguments);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start();
    if (!process.waitForStarted(kCommandTimeoutMs)) {
        *output = QStringLiteral("cannot run %1: %2").arg(m_layout.binary, process.errorString());
        return false;
    }
    if (!process.waitForFinished(kCommandTimeoutMs)) {
        process.kill();
        process.waitForFinished(kCommandTimeoutMs);
        *output = QStringLiteral("%1 %2 did not finish within %3 ms")
                      .arg(m_layout.binary, extraArguments.join(QLatin1Char(' ')))
                      .arg(kCommandTimeoutMs);
        return false;
    }
    *output = QString::fromLocal8Bit(process.readAll()).trimmed();
    spdlog::debug("nginx {}: exit code {}: {}",
                  qUtf8Printable(extraArguments.join(QLatin1Char(' '))), process.exitCode(),
                  qUtf8Printable(*output));
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

void NginxSupervisor::logOutput()
{
    if (!m_process)
        return;
    m_pendingOutput += m_process->readAll();
    qsizetype newline = 0;
    while ((newline = m_pendingOutput.indexOf('\n')) >= 0) {
        const QByteArray line = m_pendingOutput.left(newline).trimmed();
        m_pendingOutput.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        m_recentOutput += line + '\n';
        if (m_recentOutput.size() > kRecentOutputBytes)
            m_recentOutput.remove(0, m_recentOutput.size() - kRecentOutputBytes);
        if (line.contains("[emerg]") || line.contains("[alert]") || line.contains("[crit]"))
            spdlog::error("nginx: {}", line.constData());
        else if (line.contains("[error]") || line.contains("[warn]"))
            spdlog::warn("nginx: {}", line.constData());
        else
            spdlog::info("nginx: {}", line.constData());
    }
}

QString NginxSupervisor::errorLogTail() const
{
    constexpr qint64 kTailBytes = 4096;
    constexpr qsizetype kTailLines = 15;
    QFile file(m_layout.errorLog);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // Only this run's lines: the log accumulates across runs in the same directory.
    const qint64 start = file.size() >= m_errorLogOffset ? m_errorLogOffset : 0;
    file.seek(std::max(start, file.size() - kTailBytes));
    QStringList lines =
        QString::fromLocal8Bit(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.size() > kTailLines)
        lines = lines.mid(lines.size() - kTailLines);
    return lines.join(QLatin1Char('\n'));
}

} // namespace rwd::fleet
