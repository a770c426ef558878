#include "presets.h"

namespace rwd::executors {

QList<Argument> PresetBuilder::command(const QStringList &arguments, const QList<int> &json) const
{
    QList<Argument> argv{CommandExecutor::argument(m_options, QStringLiteral("type"), m_program)};
    for (int i = 0; i < arguments.size(); ++i)
        argv.append(
            CommandExecutor::argument(m_options, QStringLiteral("type"), arguments.at(i),
                                      json.contains(i) ? Escape::JsonString : Escape::None));
    return argv;
}

QList<Argument> PresetBuilder::other(const QString &program, const QStringList &arguments) const
{
    QList<Argument> argv{CommandExecutor::argument(m_options, QStringLiteral("type"), program)};
    for (const auto &a : arguments)
        argv.append(CommandExecutor::argument(m_options, QStringLiteral("type"), a));
    return argv;
}

namespace {

// A template-valued option, checked where it is written.
QString templateOption(config::MapReader &r, const QString &key, const QString &fallback)
{
    QString value = r.string(key, fallback);
    if (const auto parsed = Template::parse(value); !parsed)
        r.errorAt(key, QStringLiteral("'%1' of %2: %3").arg(key, r.what(), parsed.error().message));
    return value;
}

CommandAction action(QList<CommandList> alternatives, qint64 timeoutMs)
{
    CommandAction a;
    a.alternatives = std::move(alternatives);
    a.timeoutMs = timeoutMs;
    a.idempotent = true; // every preset states a desired state; running it twice changes nothing
    return a;
}

} // namespace

std::unique_ptr<Executor> createKubernetesExecutor(config::MapReader &r, const QString &name,
                                                   const config::Config &config)
{
    CommandExecutor::Options o;
    o.name = name;
    CommandExecutor::readEnvironment(r, config, &o.environment);
    const QString kubectl = r.string(QStringLiteral("kubectl"), QStringLiteral("kubectl"));
    QStringList common;
    if (const auto kubeconfig = r.string(QStringLiteral("kubeconfig")))
        common << QStringLiteral("--kubeconfig") << config.resolvePath(*kubeconfig);
    if (const auto context = r.string(QStringLiteral("context")))
        common << QStringLiteral("--context") << *context;
    common << QStringLiteral("--namespace")
           << templateOption(r, QStringLiteral("namespace"), QStringLiteral("default"));
    const QString deployment =
        templateOption(r, QStringLiteral("deployment"), QStringLiteral("{{service}}"));
    const QString container =
        templateOption(r, QStringLiteral("container"), QStringLiteral("{{service}}"));
    const QString service =
        templateOption(r, QStringLiteral("service"), QStringLiteral("{{service}}"));
    const QString selector = r.string(QStringLiteral("selector_label"), QStringLiteral("colour"));
    const QString virtualService =
        templateOption(r, QStringLiteral("virtual_service"), QStringLiteral("{{service}}"));
    const QString host = templateOption(r, QStringLiteral("host"), QStringLiteral("{{service}}"));
    const QString retireDeployment = templateOption(r, QStringLiteral("retire_deployment"),
                                                    QStringLiteral("{{service}}-{{target}}"));
    const qint64 timeout = r.durationMs(QStringLiteral("timeout"), qint64(5 * 60'000));
    const QString rolloutTimeout =
        QStringLiteral("--timeout=%1s").arg(std::max<qint64>(1, timeout / 1000 - 5));
    PresetBuilder b(r, kubectl);
    const auto k = [&](const QStringList &args, const QList<int> &json = {}) {
        QList<int> shifted;
        for (const int i : json)
            shifted.append(i + int(common.size()));
        return b.command(common + args, shifted);
    };
    const auto status = k({QStringLiteral("rollout"), QStringLiteral("status"),
                           QStringLiteral("deployment/") + deployment, rolloutTimeout});
    // redeploy: back to the revision CI recorded (metadata "revision"), else to the image.
    CommandList undo;
    undo.whenVariable = QStringLiteral("meta.revision");
    undo.commands = {k({QStringLiteral("rollout"), QStringLiteral("undo"),
                        QStringLiteral("deployment/") + deployment,
                        QStringLiteral("--to-revision={{meta.revision}}")}),
                     status};
    CommandList image;
    image.whenVariable = QStringLiteral("artifact");
    image.commands = {k({QStringLiteral("set"), QStringLiteral("image"),
                         QStringLiteral("deployment/") + deployment,
                         container + QStringLiteral("={{artifact}}")}),
                      status};
    o.actions.insert(QStringLiteral("redeploy"), action({undo, image}, timeout));
    // switch_traffic: point the Service's selector at the target colour.
    CommandList selectorSwitch;
    selectorSwitch.commands = {
        k({QStringLiteral("patch"), QStringLiteral("service/") + service,
           QStringLiteral("--type=merge"), QStringLiteral("--patch"),
           QStringLiteral(R"({"spec":{"selector":{"%1":"{{target}}"}}})").arg(selector)},
          {4})};
    o.actions.insert(QStringLiteral("switch_traffic"), action({selectorSwitch}, timeout));
    // set_weights: an Istio VirtualService with one subset per target (two targets).
    CommandList weights;
    weights.commands = {k(
        {QStringLiteral("patch"), QStringLiteral("virtualservice/") + virtualService,
         QStringLiteral("--type=merge"), QStringLiteral("--patch"),
         QStringLiteral(
             R"({"spec":{"http":[{"route":[)"
             R"({"destination":{"host":"%1","subset":"{{target}}"},"weight":{{weight_target}}},)"
             R"({"destination":{"host":"%1","subset":"{{previous_target}}"},"weight":{{weight_previous}}}]}]}})")
             .arg(host)},
        {4})};
    o.actions.insert(QStringLiteral("set_weights"), action({weights}, timeout));
    // retire: scale the failed colour's Deployment to zero.
    CommandList retire;
    retire.commands = {k({QStringLiteral("scale"), QStringLiteral("deployment/") + retireDeployment,
                          QStringLiteral("--replicas=0")})};
    o.actions.insert(QStringLiteral("retire"), action({retire}, timeout));
    return std::make_unique<CommandExecutor>(std::move(o));
}

std::unique_ptr<Executor> createDockerExecutor(config::MapReader &r, const QString &name,
                                               const config::Config &config)
{
    CommandExecutor::Options o;
    o.name = name;
    CommandExecutor::readEnvironment(r, config, &o.environment);
    const QString docker = r.string(QStringLiteral("docker"), QStringLiteral("docker"));
    const auto mode =
        r.choice(QStringLiteral("mode"), {QStringLiteral("compose"), QStringLiteral("swarm")},
                 config::Need::Required)
            .value_or(QStringLiteral("compose"));
    const QString service =
        templateOption(r, QStringLiteral("service"), QStringLiteral("{{service}}"));
    const qint64 timeout = r.durationMs(QStringLiteral("timeout"), qint64(5 * 60'000));
    PresetBuilder b(r, docker);
    if (mode == u"compose") {
        const auto file = r.string(QStringLiteral("compose_file"), config::Need::Required);
        const QString project = r.string(QStringLiteral("project"), QString());
        const QString variable = r.string(QStringLiteral("image_variable"), QString());
        QStringList base{QStringLiteral("compose"), QStringLiteral("--file"),
                         config.resolvePath(file.value_or(QString()))};
        if (!project.isEmpty())
            base << QStringLiteral("--project-name") << project;
        CommandList up;
        up.commands = {b.command(
            base + QStringList{QStringLiteral("up"), QStringLiteral("--detach"),
                               QStringLiteral("--no-deps"), QStringLiteral("--wait"), service})};
        if (!variable.isEmpty()) {
            up.whenVariable = QStringLiteral("artifact");
            up.environment.append({variable, *Template::parse(QStringLiteral("{{artifact}}"))});
        }
        o.actions.insert(QStringLiteral("redeploy"), action({up}, timeout));
        CommandList stop;
        stop.commands = {b.command(
            base + QStringList{QStringLiteral("stop"),
                               templateOption(r, QStringLiteral("retire_service"),
                                              QStringLiteral("{{service}}-{{target}}"))})};
        o.actions.insert(QStringLiteral("retire"), action({stop}, timeout));
    } else {
        // Swarm: update to the recorded image, or let swarm roll back when none was recorded.
        CommandList update;
        update.whenVariable = QStringLiteral("artifact");
        update.commands = {b.command({QStringLiteral("service"), QStringLiteral("update"),
                                      QStringLiteral("--image"), QStringLiteral("{{artifact}}"),
                                      QStringLiteral("--with-registry-auth"),
                                      QStringLiteral("--detach=false"), service})};
        CommandList rollback;
        rollback.commands = {b.command({QStringLiteral("service"), QStringLiteral("rollback"),
                                        QStringLiteral("--detach=false"), service})};
        o.actions.insert(QStringLiteral("redeploy"), action({update, rollback}, timeout));
    }
    return std::make_unique<CommandExecutor>(std::move(o));
}

std::unique_ptr<Executor> createSystemdExecutor(config::MapReader &r, const QString &name,
                                                const config::Config &config)
{
    CommandExecutor::Options o;
    o.name = name;
    CommandExecutor::readEnvironment(r, config, &o.environment);
    const QString systemctl = r.string(QStringLiteral("systemctl"), QStringLiteral("systemctl"));
    const bool user = r.boolean(QStringLiteral("user")).value_or(false);
    const QString unit = templateOption(r, QStringLiteral("unit"), QString());
    if (unit.isEmpty())
        r.errorAt(QStringLiteral("unit"),
                  QStringLiteral("%1 needs 'unit': a template unit per version such as "
                                 "\"api@{{version}}.service\", or the unit to restart after "
                                 "'link' switches the release")
                      .arg(r.what()));
    const qint64 timeout = r.durationMs(QStringLiteral("timeout"), qint64(2 * 60'000));
    PresetBuilder b(r, systemctl);
    const QStringList scope = user ? QStringList{QStringLiteral("--user")} : QStringList{};
    const auto sc = [&](const QStringList &args) { return b.command(scope + args); };
    CommandList redeploy;
    const auto link = r.value(QStringLiteral("link"));
    if (!link.isNull()) {
        // Point a symlink at the release directory (a new link renamed over the old one, which
        // is atomic), then restart the unit.
        config::MapReader l(link, r.diagnostics(), QStringLiteral("link of ") + r.what());
        const QString path = config.resolvePath(
            l.string(QStringLiteral("path"), config::Need::Required).value_or(QString()));
        const QString target =
            templateOption(l, QStringLiteral("target"), QStringLiteral("{{version}}"));
        l.finish();
        const QString temporary = path + QStringLiteral(".rewind-new");
        redeploy.commands = {
            b.other(QStringLiteral("ln"), {QStringLiteral("-sfnT"), target, temporary}),
            b.other(QStringLiteral("mv"), {QStringLiteral("-fT"), temporary, path}),
            sc({QStringLiteral("restart"), unit}),
            sc({QStringLiteral("is-active"), QStringLiteral("--quiet"), unit})};
    } else {
        if (!unit.isEmpty() && !unit.contains(QStringLiteral("{{version}}")))
            r.errorAt(QStringLiteral("unit"),
                      QStringLiteral("'unit' of %1 must contain {{version}} (a template unit per "
                                     "version), or add 'link' to restart one unit after a "
                                     "symlink switch")
                          .arg(r.what()));
        QString previous = unit;
        previous.replace(QStringLiteral("{{version}}"), QStringLiteral("{{previous_version}}"));
        redeploy.commands = {sc({QStringLiteral("start"), unit}),
                             sc({QStringLiteral("is-active"), QStringLiteral("--quiet"), unit}),
                             sc({QStringLiteral("stop"), previous})};
        CommandList retire;
        retire.commands = {sc({QStringLiteral("stop"), previous})};
        o.actions.insert(QStringLiteral("retire"), action({retire}, timeout));
    }
    o.actions.insert(QStringLiteral("redeploy"), action({redeploy}, timeout));
    return std::make_unique<CommandExecutor>(std::move(o));
}

} // namespace rwd::executors
