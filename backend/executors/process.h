#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

namespace rwd::executors {

// What an external command did.
struct ProcessResult
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;
    QByteArray output; // stdout and stderr interleaved, at most `outputLimit` bytes
    QString error;     // why it could not start or did not finish

    [[nodiscard]] bool succeeded() const { return started && !timedOut && exitCode == 0; }
    // "exit 1: <first lines of output>" etc., for step messages.
    [[nodiscard]] QString summary() const;
};

// Runs one external command as argv (never through a shell), asynchronously, with a timeout
// after which it is killed. Output beyond `outputLimit` bytes is dropped (and says so).
class ProcessRunner final : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const ProcessResult &)>;

    explicit ProcessRunner(QObject *parent = nullptr);
    ~ProcessRunner() override;

    void run(const QString &program, const QStringList &arguments, int timeoutMs, Done done,
             qsizetype outputLimit = 64 * 1024);
    [[nodiscard]] bool isRunning() const { return m_process != nullptr; }

private:
    void finish(ProcessResult result);

    QProcess *m_process = nullptr;
    QTimer m_timer;
    QByteArray m_output;
    qsizetype m_limit = 0;
    bool m_truncated = false;
    Done m_done;
};

} // namespace rwd::executors
