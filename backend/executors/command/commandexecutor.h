#pragma once

#include "config/secret.h"
#include "executors/executor.h"
#include "executors/runs.h"
#include "executors/template.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <map>
#include <memory>

namespace rwd::process {
class ProcessRunner;
}

namespace rwd::executors {

// One argument of a command: a template, and how variables are escaped into it.
struct Argument
{
    Template text;
    Escape escape = Escape::None;
};

// The commands one action runs, one after another; the action fails at the first that fails.
struct CommandList
{
    // Used only when this variable is set and not empty (alternatives are tried in order); empty:
    // always.
    QString whenVariable;
    QList<QList<Argument>> commands;
    // Environment variables for these commands (templates), on top of the executor's.
    QList<QPair<QString, Template>> environment;
};

struct CommandAction
{
    QList<CommandList> alternatives; // the first whose whenVariable is set is run
    qint64 timeoutMs = 60'000;       // each command
    bool idempotent = false;
    QList<int> retryExitCodes; // exit codes that say "try again later"
};

// `type: command` — runs configured programs for each action: argv templates with {{service}},
// {{version}}, {{previous_version}}, {{colour}}… substituted inside single arguments, never
// through a shell; a timeout per command; output captured (16 KiB per command), truncated and
// redacted of every secret the executor knows. A command that times out may be retried; one
// that exits non-zero may be retried only for the codes in `retry_exit_codes`.
//
// The kubernetes, docker and systemd executors are this executor with preset actions.
class CommandExecutor : public Executor
{
public:
    struct Options
    {
        QString name;
        QHash<QString, CommandAction> actions;
        QList<QPair<QString, config::Secret>> environment; // values may be env:/file: secrets
        QString workingDirectory;
    };

    explicit CommandExecutor(Options options);
    ~CommandExecutor() override;

    [[nodiscard]] QStringList actions() const override;
    [[nodiscard]] bool idempotent(const QString &action) const override;
    void execute(const QString &action, const QJsonObject &params, Done done) override;

    static std::unique_ptr<Executor> create(config::MapReader &options, const QString &name,
                                            const config::Config &config);

    // Reads `argv` (a list of templates), or `run` (a list of argv lists), into commands; false
    // with diagnostics on `options` when they are malformed.
    static bool readCommands(config::MapReader &options, QList<QList<Argument>> *commands);
    // Reads `env:` (name -> value or secret) into `environment`.
    static void readEnvironment(config::MapReader &options, const config::Config &config,
                                QList<QPair<QString, config::Secret>> *environment);
    // Parses one template, reporting a malformed one at `key` of `options`.
    static Argument argument(config::MapReader &options, const QString &key, const QString &text,
                             Escape escape = Escape::None);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    struct Run;
    void next(quint64 id);
    void finish(quint64 id, const ActionResult &result);

    Options m_options;
    Runs<Run> m_runs;
    QObject m_context; // queued work is dropped with the executor
};

} // namespace rwd::executors
