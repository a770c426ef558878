#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

class QProcess;

namespace rwd::fleet {

// Where the fleet's private nginx keeps everything; all paths are absolute and under DIR/nginx.
struct NginxLayout
{
    QString binary;
    QString prefix;      // DIR/nginx
    QString config;      // DIR/nginx/nginx.conf
    QString errorLog;    // DIR/nginx/error.log
    QString pidFile;     // DIR/nginx/nginx.pid
    QString upstreamDir; // DIR/nginx/upstreams
    QString tempDir;     // DIR/nginx/tmp

    [[nodiscard]] static NginxLayout forFleetDir(const QString &fleetDir, const QString &binary);
    [[nodiscard]] QString upstreamFile(const QString &service) const;
};

// One service's public entry point: nginx listens on 127.0.0.1:port and proxies to the
// upstream named after the service. With assetsDir set, the frontend also serves
// "location /assets/ { alias ASSETSDIR/current/; }" itself: the files of the version the
// "current" symlink points to, resolved on every request (no open-file cache), sent with
// "Cache-Control: no-cache" so browsers revalidate (the fleet's CDN edge caches until purged
// regardless).
struct NginxFrontend
{
    QString service;
    quint16 port = 0;
    QString assetsDir; // DIR/assets, or empty
};

// "user NAME GROUP;" naming the effective user and its primary group when running as root (nginx
// would otherwise run its workers as nobody, who cannot use the private directory); nullopt when
// not root, where nginx ignores the directive. Fails if the user or group has no name.
bool nginxUserDirective(std::optional<QString> *directive, QString *error);

// The complete nginx.conf for the given frontends.
[[nodiscard]] QByteArray renderNginxConfig(const NginxLayout &layout,
                                           const QList<NginxFrontend> &frontends,
                                           const std::optional<QString> &userDirective);

// Runs nginx as a child process in the foreground ("daemon off;") so the fleet owns the master's
// PID, and runs the short nginx control commands (-t, -s reload) as argv, never via a shell.
// The child gets PR_SET_PDEATHSIG(SIGTERM) so it cannot outlive a SIGKILLed fleet, and its own
// process group so a terminal's Ctrl-C reaches only the fleet, which then stops nginx in order.
class NginxSupervisor : public QObject
{
    Q_OBJECT

public:
    static constexpr int kCommandTimeoutMs = 10'000;
    static constexpr int kStartTimeoutMs = 10'000;
    static constexpr int kConnectRetryMs = 20;

    explicit NginxSupervisor(NginxLayout layout, QObject *parent = nullptr);
    ~NginxSupervisor() override; // stops nginx

    [[nodiscard]] const NginxLayout &layout() const { return m_layout; }

    // Creates the directories and writes nginx.conf.
    bool writeConfig(const QList<NginxFrontend> &frontends, QString *error);

    // Starts nginx and waits until every port accepts TCP connections (retrying every 20 ms for
    // up to 10 s). On failure nginx is not left running and *error includes nginx's output.
    bool start(const QList<quint16> &ports, QString *error);

    // SIGTERM to the master and wait; SIGKILL to its process group if it does not exit in time.
    void stop();

    [[nodiscard]] bool isRunning() const;
    [[nodiscard]] qint64 pid() const;

    // Atomically replaces an upstream file, checks the configuration with "nginx -t" and reloads.
    // If the check or the reload fails, the previous contents are restored (atomically) and
    // *error carries nginx's output.
    bool replaceUpstreamFile(const QString &path, const QByteArray &contents, QString *error);

signals:
    // nginx exited while the fleet had not asked it to.
    void exitedUnexpectedly(const QString &details);

private:
    [[nodiscard]] QStringList baseArguments() const;
    bool runCommand(const QStringList &extraArguments, QString *output);
    void logOutput();
    [[nodiscard]] QString errorLogTail() const;

    NginxLayout m_layout;
    QProcess *m_process = nullptr;
    QByteArray m_pendingOutput;  // an incomplete last line of nginx's output
    QByteArray m_recentOutput;   // the last lines of nginx's output, for error reports
    qint64 m_errorLogOffset = 0; // size of the error log when nginx was started
    qint64 m_pid = 0;
    bool m_supervising = false; // true between a successful start() and stop()
};

} // namespace rwd::fleet
