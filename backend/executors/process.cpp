#include "process.h"

namespace rwd::executors {

QString ProcessResult::summary() const
{
    if (!started)
        return QStringLiteral("could not start: %1").arg(error);
    if (timedOut)
        return error;
    QString text = QString::fromUtf8(output).trimmed();
    if (text.size() > 400)
        text = text.left(400) + QStringLiteral("…");
    return QStringLiteral("exit %1%2")
        .arg(exitCode)
        .arg(text.isEmpty() ? QString() : QStringLiteral(": ") + text);
}

ProcessRunner::ProcessRunner(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (!m_process)
            return;
        ProcessResult r;
        r.started = true;
        r.timedOut = true;
        r.error = QStringLiteral("no exit within %1 ms; killed").arg(m_timer.interval());
        m_process->disconnect(this);
        m_process->kill();
        finish(r);
    });
}

ProcessRunner::~ProcessRunner()
{
    m_done = nullptr;
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
        delete m_process;
    }
}

void ProcessRunner::run(const QString &program, const QStringList &arguments, int timeoutMs,
                        Done done, qsizetype outputLimit)
{
    Q_ASSERT(!m_process);
    m_done = std::move(done);
    m_output.clear();
    m_truncated = false;
    m_limit = outputLimit;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setInputChannelMode(QProcess::ManagedInputChannel);
    auto *process = m_process;
    connect(process, &QProcess::readyRead, this, [this, process] {
        const auto chunk = process->readAll();
        const auto room = m_limit - m_output.size();
        if (room > 0)
            m_output += chunk.left(room);
        m_truncated = m_truncated || chunk.size() > room;
    });
    connect(
        process, &QProcess::finished, this, [this, process](int code, QProcess::ExitStatus status) {
            m_timer.stop();
            m_output += process->readAll().left(std::max<qsizetype>(0, m_limit - m_output.size()));
            ProcessResult r;
            r.started = true;
            r.exitCode = status == QProcess::NormalExit ? code : -1;
            if (status != QProcess::NormalExit)
                r.error = QStringLiteral("crashed");
            finish(r);
        });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return; // crashes and timeouts arrive through finished()
        m_timer.stop();
        ProcessResult r;
        r.error = process->errorString();
        finish(r);
    });
    m_timer.start(timeoutMs);
    process->start(program, arguments);
    process->closeWriteChannel();
}

void ProcessRunner::finish(ProcessResult result)
{
    if (!m_process)
        return;
    if (m_truncated)
        m_output += "\n[output truncated]";
    if (result.output.isEmpty())
        result.output = m_output;
    auto *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    // A killed process is reaped by QProcess when it is deleted later.
    process->deleteLater();
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(result);
}

} // namespace rwd::executors
