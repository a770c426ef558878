#include "commandexecutor.h"

#include "logging/logging.h"
#include "process/process.h"

#include <QFileInfo>
#include <QTimer>

namespace rwd::executors {

namespace {

auto log()
{
    return logging::get("executor.command");
}

constexpr qsizetype kOutputPerCommand = 16 * 1024;

} // namespace

struct CommandExecutor::Run
{
    QString action;
    QList<QStringList> commands; // rendered argv, still to run
    QList<QPair<QString, QString>> environment;
    qint64 timeoutMs = 0;
    QList<int> retryExitCodes;
    Redactor redactor;
    QString output;
    int index = 0;
    std::unique_ptr<process::ProcessRunner> runner;
    Done done;
};

CommandExecutor::CommandExecutor(Options options)
    : m_options(std::move(options))
{}

// Each run's ProcessRunner kills its command as it is destroyed; `done` is not called.
CommandExecutor::~CommandExecutor() = default;

Argument CommandExecutor::argument(config::MapReader &options, const QString &key,
                                   const QString &text, Escape escape)
{
    auto parsed = Template::parse(text);
    if (!parsed) {
        options.errorAt(key,
                        QStringLiteral("in %1: %2").arg(options.what(), parsed.error().message));
        return {};
    }
    return {*parsed, escape};
}

bool CommandExecutor::readCommands(config::MapReader &options, QList<QList<Argument>> *commands)
{
    const auto readArgv = [&](const config::ConfigNode &node, const QString &key) {
        QList<Argument> argv;
        if (!node.isSequence() || node.items().isEmpty()) {
            options.errorAt(key, QStringLiteral("'%1' of %2 must be an argv list such as "
                                                "[/usr/local/bin/deploy, \"{{version}}\"], "
                                                "found %3")
                                     .arg(key, options.what(), node.kindName()));
            return argv;
        }
        for (const auto &item : node.items()) {
            if (!item.isScalar()) {
                options.errorAt(key, QStringLiteral("every argument in '%1' of %2 must be text, "
                                                    "found %3")
                                         .arg(key, options.what(), item.kindName()));
                return QList<Argument>{};
            }
            argv.append(argument(options, key, item.scalar()));
        }
        if (argv.first().text.text().contains(QStringLiteral("{{")))
            options.errorAt(key, QStringLiteral("the program in '%1' of %2 cannot be a template; "
                                                "name it literally")
                                     .arg(key, options.what()));
        return argv;
    };
    const auto argv = options.value(QStringLiteral("argv"));
    const auto run = options.value(QStringLiteral("run"));
    if (!argv.isNull() && !run.isNull()) {
        options.errorAt(
            QStringLiteral("run"),
            QStringLiteral("%1 has both 'argv' and 'run'; use one").arg(options.what()));
        return false;
    }
    if (!argv.isNull()) {
        commands->append(readArgv(argv, QStringLiteral("argv")));
    } else if (!run.isNull()) {
        if (!run.isSequence() || run.items().isEmpty()) {
            options.errorAt(
                QStringLiteral("run"),
                QStringLiteral("'run' of %1 must be a list of argv lists").arg(options.what()));
            return false;
        }
        for (const auto &item : run.items())
            commands->append(readArgv(item, QStringLiteral("run")));
    } else {
        options.errorAt(
            QStringLiteral("argv"),
            QStringLiteral("%1 needs 'argv' (one command) or 'run' (several)").arg(options.what()));
        return false;
    }
    return true;
}

void CommandExecutor::readEnvironment(config::MapReader &options, const config::Config &config,
                                      QList<QPair<QString, config::Secret>> *environment)
{
    const auto env = options.stringMap(QStringLiteral("env"));
    if (!env)
        return;
    for (const auto &[name, value] : *env) {
        const auto secret = config::Secret::parse(value, config.baseDirectory);
        if (!secret) {
            options.errorAt(QStringLiteral("env"),
                            QStringLiteral("'%1' in 'env' of %2: %3")
                                .arg(name, options.what(), secret.error().message));
            continue;
        }
        environment->append({name, *secret});
    }
}

std::unique_ptr<Executor> CommandExecutor::create(config::MapReader &r, const QString &name,
                                                  const config::Config &config)
{
    Options o;
    o.name = name;
    const qint64 defaultTimeout = r.durationMs(QStringLiteral("timeout"), qint64(60'000));
    readEnvironment(r, config, &o.environment);
    o.workingDirectory = config.resolvePath(r.string(QStringLiteral("working_dir"), QString()));
    const auto actions = r.value(QStringLiteral("actions"));
    if (actions.isNull() || !actions.isMap()) {
        r.errorAt(QStringLiteral("actions"),
                  QStringLiteral("%1 needs 'actions': a map of action name (redeploy, "
                                 "switch_assets, migrate_down…) to the command it runs")
                      .arg(r.what()));
        return std::make_unique<CommandExecutor>(std::move(o));
    }
    config::MapReader all(actions, r.diagnostics(), QStringLiteral("actions of ") + r.what());
    for (const auto &[key, body] : actions.entries()) {
        const QString action = key.scalar();
        (void)all.value(action);
        config::MapReader a(body, r.diagnostics(),
                            QStringLiteral("action '%1' of %2").arg(action, r.what()));
        if (!a.isMap())
            continue;
        CommandAction ca;
        CommandList list;
        readCommands(a, &list.commands);
        ca.alternatives.append(list);
        ca.timeoutMs = a.durationMs(QStringLiteral("timeout"), defaultTimeout);
        ca.idempotent = a.boolean(QStringLiteral("idempotent")).value_or(false);
        if (const auto codes = a.stringList(QStringLiteral("retry_exit_codes"))) {
            for (const auto &c : *codes) {
                bool ok = false;
                const int code = c.toInt(&ok);
                if (!ok || code < 1 || code > 255)
                    a.errorAt(QStringLiteral("retry_exit_codes"),
                              QStringLiteral("'retry_exit_codes' of %1 must list exit codes from "
                                             "1 to 255, found '%2'")
                                  .arg(a.what(), c));
                else
                    ca.retryExitCodes.append(code);
            }
        }
        a.finish();
        o.actions.insert(action, ca);
    }
    all.finish();
    return std::make_unique<CommandExecutor>(std::move(o));
}

QStringList CommandExecutor::actions() const
{
    auto names = m_options.actions.keys();
    names.sort();
    return names;
}

bool CommandExecutor::idempotent(const QString &action) const
{
    return m_options.actions.value(action).idempotent;
}

void CommandExecutor::execute(const QString &action, const QJsonObject &params, Done done)
{
    const auto it = m_options.actions.constFind(action);
    if (it == m_options.actions.cend()) {
        done({false,
              false,
              QStringLiteral("executor '%1' has no action '%2'").arg(m_options.name, action),
              {},
              {}});
        return;
    }
    const auto vars = stepVariables(params);
    const CommandList *chosen = nullptr;
    for (const auto &alternative : it->alternatives) {
        if (alternative.whenVariable.isEmpty() ||
            !vars.value(alternative.whenVariable).toString().isEmpty()) {
            chosen = &alternative;
            break;
        }
    }
    auto run = std::make_unique<Run>();
    run->action = action;
    run->timeoutMs = stepTimeoutMs(params, it->timeoutMs);
    run->retryExitCodes = it->retryExitCodes;
    run->done = std::move(done);
    QStringList missing;
    for (const auto &[name, secret] : m_options.environment) {
        const auto value = secret.resolve();
        if (!value) {
            run->done({false,
                       false,
                       QStringLiteral("environment variable %1 of executor '%2': %3")
                           .arg(name, m_options.name, value.error().message),
                       {},
                       {}});
            return;
        }
        if (secret.source() != config::Secret::Source::Literal)
            run->redactor.add(*value);
        run->environment.append({name, *value});
    }
    if (chosen) {
        for (const auto &[name, value] : chosen->environment)
            run->environment.append({name, value.render(vars, Escape::None, &missing)});
        for (const auto &command : chosen->commands) {
            QStringList argv;
            for (const auto &arg : command)
                argv.append(arg.text.render(vars, arg.escape, &missing));
            run->commands.append(argv);
        }
    }
    if (!missing.isEmpty() || run->commands.isEmpty()) {
        run->done({false,
                   false,
                   missing.isEmpty()
                       ? QStringLiteral("action '%1' of executor '%2' has nothing to run for "
                                        "this release")
                             .arg(action, m_options.name)
                       : QStringLiteral("action '%1' of executor '%2' needs {{%3}}, which this "
                                        "step does not have")
                             .arg(action, m_options.name, missing.join(QStringLiteral("}}, {{"))),
                   {},
                   {}});
        return;
    }
    next(m_runs.add(std::move(run)));
}

void CommandExecutor::next(quint64 id)
{
    auto *found = m_runs.find(id);
    if (!found)
        return;
    auto &run = *found;
    if (run.index >= run.commands.size()) {
        finish(id, {true,
                    false,
                    run.commands.size() == 1
                        ? QStringLiteral("%1 succeeded")
                              .arg(QFileInfo(run.commands.first().first()).fileName())
                        : QStringLiteral("%1 commands succeeded").arg(run.commands.size()),
                    run.output,
                    {}});
        return;
    }
    const auto argv = run.commands.at(run.index);
    if (!run.runner)
        run.runner = std::make_unique<process::ProcessRunner>();
    process::LaunchOptions launch;
    launch.environment = run.environment;
    launch.workingDirectory = m_options.workingDirectory;
    log()->info("{}: {} (command {} of {})", m_options.name, run.action, run.index + 1,
                run.commands.size());
    run.runner->run(
        argv.first(), argv.mid(1), launch, int(std::min<qint64>(run.timeoutMs, INT_MAX)),
        [this, id](const process::ProcessResult &result) {
            // Deliver from the event loop: the runner must not be destroyed inside its callback.
            QTimer::singleShot(0, &m_context, [this, id, result] {
                auto *current = m_runs.find(id);
                if (!current)
                    return;
                const QString program =
                    QFileInfo(current->commands.at(current->index).first()).fileName();
                const QString out = current->redactor.apply(QString::fromUtf8(result.output));
                if (!out.isEmpty())
                    current->output += QStringLiteral("$ %1\n%2\n").arg(program, out.trimmed());
                if (!result.succeeded()) {
                    const bool retryable =
                        result.timedOut ||
                        (result.started && current->retryExitCodes.contains(result.exitCode));
                    finish(id, {false,
                                retryable,
                                QStringLiteral("%1: %2").arg(
                                    program, current->redactor.apply(result.summary())),
                                current->output,
                                {}});
                    return;
                }
                ++current->index;
                next(id);
            });
        },
        kOutputPerCommand);
}

void CommandExecutor::finish(quint64 id, const ActionResult &result)
{
    m_runs.finish(id, result, [this](const ActionResult &r) {
        log()->log(r.ok ? spdlog::level::info : spdlog::level::warn, "{}: {}", m_options.name,
                   r.message);
    });
}

} // namespace rwd::executors
