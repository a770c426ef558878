#include "processes.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>

namespace rwd::drill {

QString randomToken()
{
    QByteArray bytes(24, Qt::Uninitialized);
    for (auto &b : bytes)
        b = char(QRandomGenerator::system()->bounded(256));
    return QStringLiteral("rwd_") +
           QString::fromLatin1(
               bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString sandboxUsers(const QString &name, const QString &variable)
{
    return QStringLiteral("users:\n  - name: %1\n    roles: {\"*\": [admin]}\n"
                          "    tokens: {%1: \"env:%2\"}\n")
        .arg(name, variable);
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    // processEvents(flags, maxtime) returns at once when nothing is pending (WaitForMoreEvents
    // means nothing to it), which would spin a core; this timer wakes a blocking wait instead.
    QTimer wake;
    wake.start(std::clamp(timeoutMs, 1, 50));
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        // Blocks until an event arrives (at most 50 ms: the timer's), then re-checks.
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

ManagedProcess::ManagedProcess(QString name, QString logFile)
    : m_name(std::move(name))
    , m_logFile(std::move(logFile))
{}

ManagedProcess::~ManagedProcess()
{
    stop();
}

bool ManagedProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 ManagedProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

Result<void> ManagedProcess::start(const QString &program, const QStringList &arguments,
                                   int timeoutMs)
{
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(program);
    m_process->setArguments(arguments);
    m_process->setStandardErrorFile(m_logFile, QIODevice::Append);
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->start();
    if (!m_process->waitForStarted(10'000))
        return failure(
            QStringLiteral("%1 did not start: %2").arg(m_name, m_process->errorString()));
    QByteArray buffer;
    const bool gotLine = waitUntil(
        [&] {
            buffer += m_process->readAllStandardOutput();
            return buffer.contains('\n') || m_process->state() == QProcess::NotRunning;
        },
        timeoutMs);
    const auto line = buffer.left(buffer.indexOf('\n'));
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(line, &parseError);
    if (!gotLine || !doc.isObject()) {
        const QString why =
            QStringLiteral("%1 did not become ready (%2); its log ends with:\n%3")
                .arg(m_name,
                     gotLine ? QStringLiteral("exit code %1").arg(m_process->exitCode())
                             : QStringLiteral("no readiness line within %1 ms").arg(timeoutMs),
                     logTail());
        stop(2000);
        return failure(why);
    }
    m_ready = doc.object();
    return {};
}

int ManagedProcess::stop(int graceMs)
{
    if (!isRunning())
        return m_process ? m_process->exitCode() : -1;
    m_process->terminate();
    if (!m_process->waitForFinished(graceMs)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

void ManagedProcess::kill()
{
    if (!isRunning())
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
}

QString ManagedProcess::logTail(int lines) const
{
    QFile file(m_logFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const auto all = QString::fromUtf8(file.readAll()).split(u'\n');
    return all.mid(std::max<qsizetype>(0, all.size() - lines - 1)).join(u'\n');
}

} // namespace rwd::drill
