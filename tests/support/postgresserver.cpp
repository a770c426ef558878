#include "postgresserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>

#include <csignal>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace rwd::testing {

namespace {

const QString kDefaultBinDirectory = QStringLiteral("/usr/lib/postgresql/15/bin");
const QString kServerUser = QStringLiteral("postgres");

bool isRoot()
{
    return ::geteuid() == 0;
}

// True while `pid` is a live process. A zombie counts as gone: the server is not our child, so
// whoever adopted it may be slow to reap it.
bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    // "PID (name) STATE …": the name may contain spaces and parentheses, the state follows the
    // last ')'.
    const auto close = line.lastIndexOf(')');
    return close >= 0 && close + 2 < line.size() && line.at(close + 2) != 'Z';
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// Waits until `pid` has exited, polling (it is not our child, so there is nothing to wait on).
bool waitForExit(qint64 pid, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (processAlive(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

} // namespace

PostgresServer::PostgresServer(QString binDirectory)
    : m_bin(std::move(binDirectory))
{
    if (m_bin.isEmpty())
        m_bin = qEnvironmentVariable("REWIND_PG_BINDIR", kDefaultBinDirectory);
}

PostgresServer::~PostgresServer()
{
    stop();
}

bool PostgresServer::available() const
{
    for (const auto *program : {"initdb", "pg_ctl", "postgres"}) {
        if (!QFileInfo(m_bin + u'/' + QLatin1String(program)).isExecutable())
            return false;
    }
    return true;
}

QString PostgresServer::dataDirectory() const
{
    return m_dir.filePath(QStringLiteral("data"));
}

QString PostgresServer::logFile() const
{
    return m_dir.filePath(QStringLiteral("postgres.log"));
}

QString PostgresServer::url(const QString &database) const
{
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(superuser(), host())
        .arg(m_port)
        .arg(database);
}

Result<void> PostgresServer::run(const QString &program, const QStringList &arguments,
                                 int timeoutMs)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.setProcessChannelMode(QProcess::MergedChannels);
    auto environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    process.setProcessEnvironment(environment);
    const QString path = m_bin + u'/' + program;
    if (isRoot()) {
        const QString runuser = QStandardPaths::findExecutable(
            QStringLiteral("runuser"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                        QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
        if (runuser.isEmpty()) {
            return failure(QStringLiteral("running as root needs runuser to start %1 as '%2'")
                               .arg(program, kServerUser));
        }
        process.start(runuser,
                      QStringList{QStringLiteral("-u"), kServerUser, QStringLiteral("--"), path} +
                          arguments);
    } else {
        process.start(path, arguments);
    }
    if (!process.waitForStarted(10'000)) {
        return failure(QStringLiteral("cannot run %1: %2").arg(program, process.errorString()));
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5'000);
        return failure(
            QStringLiteral("%1 did not finish within %2 ms").arg(program).arg(timeoutMs));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        return failure(QStringLiteral("%1 failed (exit code %2): %3")
                           .arg(program)
                           .arg(process.exitCode())
                           .arg(QString::fromLocal8Bit(process.readAll()).trimmed()));
    }
    return {};
}

Result<void> PostgresServer::start()
{
    if (isRunning())
        return {};
    if (!available()) {
        return failure(QStringLiteral("PostgreSQL is not installed in %1 (Debian package "
                                      "postgresql-15, or set REWIND_PG_BINDIR)")
                           .arg(m_bin));
    }
    if (!m_dir.isValid()) {
        return failure(
            QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString()));
    }
    // pg_ctl hands the server options to /bin/sh, so the directory must need no quoting.
    static const QRegularExpression plainPath(QStringLiteral("^[A-Za-z0-9_./-]+$"));
    if (!plainPath.match(m_dir.path()).hasMatch()) {
        return failure(QStringLiteral("the temporary directory '%1' has characters pg_ctl cannot "
                                      "pass through its shell; set TMPDIR to a plain path")
                           .arg(m_dir.path()));
    }
    if (isRoot()) {
        const passwd *user = ::getpwnam(kServerUser.toLocal8Bit().constData());
        if (user == nullptr) {
            return failure(QStringLiteral("running as root needs a '%1' user to run the server as")
                               .arg(kServerUser));
        }
        if (::chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) != 0) {
            return failure(QStringLiteral("cannot give %1 to '%2'").arg(m_dir.path(), kServerUser));
        }
    }
    if (!m_initialised) {
        if (auto initialised =
                run(QStringLiteral("initdb"),
                    {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-U"), superuser(),
                     QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                     QStringLiteral("--no-locale"), QStringLiteral("--no-sync"),
                     QStringLiteral("--no-instructions")},
                    120'000);
            !initialised)
            return initialised;
        // First match wins: the superuser is trusted; everyone else proves their password.
        QFile hba(dataDirectory() + QStringLiteral("/pg_hba.conf"));
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            return failure(QStringLiteral("cannot write pg_hba.conf: %1").arg(hba.errorString()));
        }
        hba.write(QStringLiteral("local all all trust\n"
                                 "host all %1 127.0.0.1/32 trust\n"
                                 "host all all 127.0.0.1/32 scram-sha-256\n")
                      .arg(superuser())
                      .toUtf8());
        hba.close();
        m_initialised = true;
    }
    // A port found free may be taken before the server binds it; try a few.
    QString lastError;
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (m_port == 0 || attempt > 0)
            m_port = freePort();
        const QString options =
            QStringLiteral("-k %1 -h 127.0.0.1 -p %2 -F").arg(m_dir.path()).arg(m_port);
        const auto started =
            run(QStringLiteral("pg_ctl"),
                {QStringLiteral("start"), QStringLiteral("-w"), QStringLiteral("-t"),
                 QStringLiteral("60"), QStringLiteral("-D"), dataDirectory(), QStringLiteral("-l"),
                 logFile(), QStringLiteral("-o"), options},
                90'000);
        if (started && readPid())
            return {};
        lastError =
            started ? QStringLiteral("the server did not stay up") : started.error().message;
        stop();
    }
    return failure(lastError + QStringLiteral("\n--- server log ---\n") + logTail());
}

bool PostgresServer::readPid()
{
    QFile file(dataDirectory() + QStringLiteral("/postmaster.pid"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    m_pid = file.readLine().trimmed().toLongLong();
    return processAlive(m_pid);
}

bool PostgresServer::stop()
{
    for (const auto &name : std::as_const(m_connections)) {
        {
            auto db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    m_connections.clear();
    if (!m_initialised)
        return true;
    if (m_pid == 0)
        readPid();
    if (!processAlive(m_pid)) {
        m_pid = 0;
        return true;
    }
    // Whether pg_ctl managed it or not, the process is checked (and killed) below.
    (void)run(QStringLiteral("pg_ctl"),
              {QStringLiteral("stop"), QStringLiteral("-D"), dataDirectory(), QStringLiteral("-m"),
               QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"),
               QStringLiteral("30")},
              40'000);
    if (!waitForExit(m_pid, 5'000)) {
        ::kill(pid_t(m_pid), SIGKILL);
        waitForExit(m_pid, 5'000);
    }
    const bool gone = !processAlive(m_pid);
    if (gone)
        m_pid = 0;
    return gone;
}

bool PostgresServer::isRunning() const
{
    return processAlive(m_pid);
}

Result<QString> PostgresServer::connection(const QString &database)
{
    QString name = QStringLiteral("postgres-server-%1-%2").arg(quintptr(this), 0, 16).arg(database);
    if (!m_connections.contains(name)) {
        auto db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(host());
        db.setPort(m_port);
        db.setUserName(superuser());
        db.setDatabaseName(database);
        m_connections.append(name);
    }
    auto db = QSqlDatabase::database(name, false);
    if (!db.isOpen() && !db.open())
        return failure(db.lastError().text());
    return name;
}

Result<QSqlQuery> PostgresServer::exec(const QString &sql, const QString &database)
{
    const auto name = connection(database);
    if (!name)
        return name.error();
    QSqlQuery query(QSqlDatabase::database(*name, false));
    if (!query.exec(sql))
        return failure(query.lastError().text());
    return query;
}

Result<void> PostgresServer::execute(const QString &sql, const QString &database)
{
    const auto ran = exec(sql, database);
    if (!ran)
        return ran.error();
    return {};
}

Result<QVariant> PostgresServer::value(const QString &sql, const QString &database)
{
    auto ran = exec(sql, database);
    if (!ran)
        return ran.error();
    if (!ran->next())
        return failure(QStringLiteral("no rows"));
    return ran->value(0);
}

QString PostgresServer::logTail(int lines) const
{
    QFile file(logFile());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const auto all = QString::fromLocal8Bit(file.readAll()).split(u'\n');
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join(u'\n');
}

} // namespace rwd::testing
