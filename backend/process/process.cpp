#include "process.h"

#include <QProcessEnvironment>

#include <csignal>
#include <sys/prctl.h>

namespace rwd::process {

namespace {

// Deletes `process` once it has exited. Deleting a QProcess that still runs waits for it and so
// blocks the event loop: a killed process normally exits at once, one stuck in the kernel not.
void discard(QProcess *process)
{
    if (process->state() == QProcess::NotRunning)
        process->deleteLater();
    else
        QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
}

} // namespace

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
    // Never early (coarse timers may fire 5% early): "no exit within 200 ms" must be true.
    m_timer.setTimerType(Qt::PreciseTimer);
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
    m_process = nullptr;
    // The running command, and killed ones not yet reaped: killed (again) and waited for briefly
    // here, as the runner's owner goes away.
    for (auto *process : findChildren<QProcess *>(Qt::FindDirectChildrenOnly)) {
        process->disconnect();
        if (process->state() != QProcess::NotRunning) {
            process->kill();
            process->waitForFinished(1000);
        }
        delete process;
    }
}

void ProcessRunner::run(const QString &program, const QStringList &arguments, int timeoutMs,
                        Done done, qsizetype outputLimit)
{
    run(program, arguments, LaunchOptions{}, timeoutMs, std::move(done), outputLimit);
}

void ProcessRunner::run(const QString &program, const QStringList &arguments,
                        const LaunchOptions &launch, int timeoutMs, Done done,
                        qsizetype outputLimit)
{
    Q_ASSERT(!m_process);
    m_done = std::move(done);
    m_output = {};
    m_errorOutput = {};
    m_limit = outputLimit;
    m_separateErrorOutput = launch.separateErrorOutput;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(launch.separateErrorOutput ? QProcess::SeparateChannels
                                                                : QProcess::MergedChannels);
    m_process->setInputChannelMode(QProcess::ManagedInputChannel);
    if (!launch.environment.isEmpty()) {
        auto environment = QProcessEnvironment::systemEnvironment();
        for (const auto &[name, value] : launch.environment)
            environment.insert(name, value);
        m_process->setProcessEnvironment(environment);
    }
    if (!launch.workingDirectory.isEmpty())
        m_process->setWorkingDirectory(launch.workingDirectory);
    // The command dies with rewindd: after a crash, nothing it started keeps acting unseen
    // (the journal then says the step was interrupted, and resume decides what to do).
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    auto *process = m_process;
    connect(process, &QProcess::readyReadStandardOutput, this,
            [this, process] { append(m_output, process->readAllStandardOutput()); });
    if (launch.separateErrorOutput)
        connect(process, &QProcess::readyReadStandardError, this,
                [this, process] { append(m_errorOutput, process->readAllStandardError()); });
    connect(process, &QProcess::finished, this,
            [this, process](int code, QProcess::ExitStatus status) {
                m_timer.stop();
                append(m_output, process->readAllStandardOutput());
                if (m_separateErrorOutput)
                    append(m_errorOutput, process->readAllStandardError());
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

void ProcessRunner::cancel()
{
    m_done = nullptr;
    if (!m_process)
        return;
    m_timer.stop();
    auto *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    process->kill();
    discard(process);
}

void ProcessRunner::append(Capture &capture, const QByteArray &chunk) const
{
    const auto room = m_limit - capture.data.size();
    if (room > 0)
        capture.data += chunk.left(room);
    capture.truncated = capture.truncated || chunk.size() > room;
}

void ProcessRunner::finish(ProcessResult result)
{
    if (!m_process)
        return;
    for (auto *capture : {&m_output, &m_errorOutput}) {
        if (capture->truncated)
            capture->data += "\n[output truncated]";
    }
    if (result.output.isEmpty())
        result.output = m_output.data;
    if (m_separateErrorOutput)
        result.errorOutput = m_errorOutput.data;
    auto *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    discard(process);
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(result);
}

} // namespace rwd::process
