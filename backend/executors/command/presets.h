#pragma once

#include "commandexecutor.h"

namespace rwd::executors {

// Builds preset actions for the kubernetes, docker and systemd executors: each is a
// CommandExecutor whose commands are written here instead of in configuration. Arguments are
// templates checked like configured ones, so a preset can never run a shell either.
class PresetBuilder
{
public:
    PresetBuilder(config::MapReader &options, QString program)
        : m_options(options)
        , m_program(std::move(program))
    {}

    // A command: the preset's program followed by `arguments` (templates; JSON-escaped where
    // `json` lists their index).
    [[nodiscard]] QList<Argument> command(const QStringList &arguments,
                                          const QList<int> &json = {}) const;
    // The same with another program (e.g. `ln` for a symlink switch).
    [[nodiscard]] QList<Argument> other(const QString &program, const QStringList &arguments) const;

    [[nodiscard]] config::MapReader &options() const { return m_options; }

private:
    config::MapReader &m_options;
    QString m_program;
};

// `type: kubernetes` — kubectl presets (see docs/configuration.md).
std::unique_ptr<Executor> createKubernetesExecutor(config::MapReader &options, const QString &name,
                                                   const config::Config &config);
// `type: docker` — docker compose and swarm presets.
std::unique_ptr<Executor> createDockerExecutor(config::MapReader &options, const QString &name,
                                               const config::Config &config);
// `type: systemd` — systemctl presets for template units or a release symlink.
std::unique_ptr<Executor> createSystemdExecutor(config::MapReader &options, const QString &name,
                                                const config::Config &config);

} // namespace rwd::executors
