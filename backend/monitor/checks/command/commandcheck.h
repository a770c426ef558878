#pragma once

#include "monitor/check.h"
#include "process/process.h"

#include <QElapsedTimer>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTimer>

namespace rwd::monitor {

// `type: command` — runs a program (argv, never through a shell) and passes when it exits with
// an expected code and, with `value_regex`, when a number was read from its standard output.
// Fields: exit_code; value (the number captured by `value_regex`) when that is set.
// The command's output is only parsed and quoted (one line, shortened) in failure messages.
class CommandCheck final : public Check
{
public:
    struct Options
    {
        QStringList argv; // argv[0] is the program: a name looked up on PATH, or a path
        QList<int> expectExit{0};
        QRegularExpression valueRegex; // exactly one capture group; empty pattern when not set
        QList<QPair<QString, QString>> environment; // added to rewindd's environment
        QString workingDirectory;                   // empty: rewindd's
        qint64 timeoutMs = 5000;
    };

    CommandCheck(Options options, const CheckRuntime &runtime);
    ~CommandCheck() override;
    Q_DISABLE_COPY_MOVE(CommandCheck)

    void probe(Done done) override;
    void cancel() override;
    [[nodiscard]] QList<FieldSpec> fields() const override;
    [[nodiscard]] QString defaultField() const override;

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    [[nodiscard]] Sample evaluate(const process::ProcessResult &result) const;
    void deliver();

    Options m_options;
    CheckRuntime m_runtime;
    process::ProcessRunner m_runner;
    QElapsedTimer m_elapsed;
    // Hands a result to `done` from the event loop when the runner reports it before run()
    // returns (a program that cannot be started), so `done` never runs inside probe().
    QTimer m_deliver;
    Sample m_pending;
    bool m_starting = false;
    Done m_done;
};

} // namespace rwd::monitor
