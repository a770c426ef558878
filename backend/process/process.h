#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace rwd::process {

// What an external command did.
struct ProcessResult
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;
    // stdout and stderr interleaved, at most `outputLimit` bytes; only stdout when the command
    // was launched with `separateErrorOutput`.
    QByteArray output;
    // stderr, at most `outputLimit` bytes, when launched with `separateErrorOutput`; else empty.
    QByteArray errorOutput;
    QString error; // why it could not start or did not finish

    [[nodiscard]] bool succeeded() const { return started && !timedOut && exitCode == 0; }
    // "exit 1: <first lines of output>" etc., for step messages.
    [[nodiscard]] QString summary() const;
};

// How to start a command besides its argv. The defaults start it like rewindd itself: same
// environment, same working directory, stderr interleaved with stdout.
struct LaunchOptions
{
    // Variables set on top of rewindd's own environment (replacing any of the same name).
    QList<QPair<QString, QString>> environment;
    // Where the command runs; empty: rewindd's working directory.
    QString workingDirectory;
    // Capture stderr apart, into ProcessResult::errorOutput, for callers that parse stdout.
    bool separateErrorOutput = false;
};

// Runs one external command as argv (never through a shell), asynchronously, with a timeout
// after which it is killed. Output beyond `outputLimit` bytes is dropped (and says so). `done` is
// called exactly once per run() — possibly before run() returns, when the program cannot be
// started — and never after the runner is destroyed.
class ProcessRunner final : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const ProcessResult &)>;

    explicit ProcessRunner(QObject *parent = nullptr);
    ~ProcessRunner() override;

    void run(const QString &program, const QStringList &arguments, int timeoutMs, Done done,
             qsizetype outputLimit = 64 * 1024);
    void run(const QString &program, const QStringList &arguments, const LaunchOptions &launch,
             int timeoutMs, Done done, qsizetype outputLimit = 64 * 1024);
    // Kills the running command, if any; `done` is not called for it.
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_process != nullptr; }

private:
    // Output kept from one channel: the first `outputLimit` bytes, and whether more came.
    struct Capture
    {
        QByteArray data;
        bool truncated = false;
    };

    void append(Capture &capture, const QByteArray &chunk) const;
    void finish(ProcessResult result);

    QProcess *m_process = nullptr;
    QTimer m_timer;
    Capture m_output;
    Capture m_errorOutput;
    qsizetype m_limit = 0;
    bool m_separateErrorOutput = false;
    Done m_done;
};

} // namespace rwd::process
