#include "configloader.h"

#include "common/duration.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>

#include <functional>

namespace rwd::config {

const CheckConfig *ServiceConfig::check(const QString &checkName) const
{
    for (const auto &c : checks) {
        if (c.name == checkName)
            return &c;
    }
    return nullptr;
}

Position RuleConfig::positionOf(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, when.size());
    const auto before = QStringView(when).left(offset);
    const auto newlines = before.count(u'\n');
    if (newlines == 0)
        return whenPosition.shifted(int(offset));
    const auto lineStart = before.lastIndexOf(u'\n') + 1;
    return {whenPosition.file, whenPosition.line + int(newlines),
            whenPosition.column + int(offset - lineStart)};
}

const ServiceConfig *Config::service(const QString &name) const
{
    for (const auto &s : services) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

const EnvironmentConfig *Config::environment(const QString &name) const
{
    for (const auto &e : environments) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

const ExecutorConfig *Config::executor(const QString &name) const
{
    for (const auto &e : executors) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

QList<const ServiceConfig *> Config::servicesOf(const RuleConfig &rule) const
{
    QList<const ServiceConfig *> out;
    for (const auto &s : services) {
        if ((rule.services.isEmpty() || rule.services.contains(s.name)) &&
            (rule.environments.isEmpty() || rule.environments.contains(s.environment)) &&
            (rule.kinds.isEmpty() || rule.kinds.contains(s.kind)))
            out.append(&s);
    }
    return out;
}

qint64 Config::verifyAfterMs(const ServiceConfig &s) const
{
    if (s.verifyAfterMs)
        return *s.verifyAfterMs;
    const auto *env = environment(s.environment);
    return env ? env->verifyAfterMs : EnvironmentConfig{}.verifyAfterMs;
}

double Config::errorBudget(const ServiceConfig &s) const
{
    if (s.errorBudget)
        return *s.errorBudget;
    const auto *env = environment(s.environment);
    return env ? env->errorBudget : EnvironmentConfig{}.errorBudget;
}

std::optional<qint64> Config::minSamples(const ServiceConfig &s) const
{
    if (s.minSamples)
        return s.minSamples;
    const auto *env = environment(s.environment);
    return env ? env->minSamples : std::nullopt;
}

qint64 Config::gracePeriodMs(const ServiceConfig &s, const CheckConfig &check) const
{
    if (check.gracePeriodMs)
        return *check.gracePeriodMs;
    if (s.gracePeriodMs)
        return *s.gracePeriodMs;
    const auto *env = environment(s.environment);
    return env ? env->gracePeriodMs : 0;
}

QString Config::resolvePath(const QString &path) const
{
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir(baseDirectory).absoluteFilePath(path);
}

namespace {

const QString kDefaultEnvironment = QStringLiteral("default");

// Where the text of a scalar really starts: after an opening quote, or on the line after a
// block indicator (`|`, `>`).
Position contentPosition(const ConfigNode &node, const QByteArray &source)
{
    auto pos = node.position();
    const auto offset = node.offset();
    if (offset < 0 || offset >= source.size())
        return pos;
    const char first = source.at(offset);
    if (first == '"' || first == '\'')
        return pos.shifted(1);
    if (first == '|' || first == '>') {
        qsizetype i = source.indexOf('\n', offset);
        while (i >= 0 && i + 1 < source.size()) {
            qsizetype j = i + 1;
            int indent = 0;
            while (j < source.size() && source.at(j) == ' ') {
                ++j;
                ++indent;
            }
            if (j < source.size() && source.at(j) != '\n') {
                pos.line = int(source.left(j).count('\n')) + 1;
                pos.column = indent + 1;
                return pos;
            }
            i = j;
        }
    }
    return pos;
}

class Loader
{
public:
    Loader(const Catalog &catalog, Diagnostics &diagnostics, QByteArray source)
        : m_catalog(catalog)
        , m_diag(diagnostics)
        , m_source(std::move(source))
    {}

    void load(const ConfigNode &root, Config &config)
    {
        MapReader top(root, m_diag, QStringLiteral("the configuration"));
        if (!top.isMap())
            return;
        readServer(top.value(QStringLiteral("server")), config);
        readRollbackPolicy(top.value(QStringLiteral("rollback")), config);
        readAuth(top.value(QStringLiteral("auth")), config);
        readUsers(top.value(QStringLiteral("users")), config);
        readEnvironments(top.value(QStringLiteral("environments")), config);
        readExecutors(top.value(QStringLiteral("executors")), config);
        readServices(top.value(QStringLiteral("services")), config);
        readRules(top.value(QStringLiteral("rules")), config, m_source);
        readIncludes(top.value(QStringLiteral("include")), config);
        readNotifications(top.value(QStringLiteral("notifications")), config);
        top.finish();
        crossCheck(config);
    }

private:
    void readServer(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        MapReader r(node, m_diag, QStringLiteral("server"));
        config.server.position = node.position();
        if (const auto listen = r.string(QStringLiteral("listen"))) {
            const auto colon = listen->lastIndexOf(u':');
            bool ok = colon > 0;
            const uint port = ok ? listen->mid(colon + 1).toUInt(&ok) : 0;
            QString host = ok ? listen->left(colon) : QString();
            if (host.startsWith(u'[') && host.endsWith(u']'))
                host = host.mid(1, host.size() - 2);
            if (!ok || port > 65535 || QHostAddress(host).isNull()) {
                r.errorAt(QStringLiteral("listen"),
                          QStringLiteral("'listen' must be ADDRESS:PORT with a numeric IP address "
                                         "(e.g. 127.0.0.1:8470 or [::1]:8470), found '%1'")
                              .arg(*listen));
            } else {
                config.server.host = host;
                config.server.port = quint16(port);
            }
        }
        if (const auto store = r.string(QStringLiteral("store"))) {
            if (!store->startsWith(QLatin1String("sqlite:")))
                r.errorAt(QStringLiteral("store"),
                          QStringLiteral("'store' must be sqlite:PATH, found '%1'").arg(*store));
            else
                config.server.store = *store;
        }
        if (const auto replay = r.integer(QStringLiteral("event_replay"), 16, 1'000'000))
            config.server.eventReplay = int(*replay);
        if (const auto history = r.value(QStringLiteral("metrics_history")); !history.isNull())
            readMetricsHistory(history, config.server);
        if (const auto tls = r.value(QStringLiteral("tls")); !tls.isNull()) {
            MapReader t(tls, m_diag, QStringLiteral("server tls"));
            config.server.tlsCertificate =
                t.string(QStringLiteral("certificate"), Need::Required).value_or(QString());
            config.server.tlsKey =
                t.string(QStringLiteral("key"), Need::Required).value_or(QString());
            t.finish();
        }
        if (const auto webRoot = r.string(QStringLiteral("web_root"))) {
            const QFileInfo dir(config.resolvePath(*webRoot));
            if (webRoot->isEmpty())
                r.errorAt(QStringLiteral("web_root"),
                          QStringLiteral("'web_root' must name the directory of the dashboard's "
                                         "browser build, found an empty value (leave the key "
                                         "out to serve no /app/)"));
            else if (!dir.isDir())
                r.errorAt(QStringLiteral("web_root"),
                          QStringLiteral("'web_root' must be a directory: %1 %2")
                              .arg(dir.absoluteFilePath(),
                                   dir.exists() ? QStringLiteral("is not a directory")
                                                : QStringLiteral("does not exist")));
            else
                config.server.webRoot = dir.absoluteFilePath();
        }
        auto &server = config.server;
        server.maxConnections = int(r.integer(QStringLiteral("max_connections"), 8, 1'000'000)
                                        .value_or(server.maxConnections));
        server.requestTimeoutMs =
            r.durationMs(QStringLiteral("request_timeout"), server.requestTimeoutMs);
        server.idleTimeoutMs = r.durationMs(QStringLiteral("idle_timeout"), server.idleTimeoutMs);
        server.reservedDescriptors =
            int(r.integer(QStringLiteral("reserved_descriptors"), 0, 1'000'000)
                    .value_or(server.reservedDescriptors));
        for (const auto *key : {"request_timeout", "idle_timeout"}) {
            if (r.has(QLatin1String(key)) && r.durationMs(QLatin1String(key), 1) < 100)
                r.errorAt(QLatin1String(key),
                          QStringLiteral("'%1' must be at least 100ms").arg(QLatin1String(key)));
        }
        r.finish();
    }

    // Memory is steps × 4 bytes per series: the bound on steps keeps one series under 400 KB.
    void readMetricsHistory(const ConfigNode &node, ServerConfig &server)
    {
        constexpr qint64 kMaxSteps = 100'000;
        MapReader h(node, m_diag, QStringLiteral("server metrics_history"));
        const qint64 step = h.durationMs(QStringLiteral("step"), server.historyStepMs);
        const qint64 retention =
            h.durationMs(QStringLiteral("retention"), server.historyRetentionMs);
        h.finish();
        if (!h.isMap())
            return;
        if (step < 100 || step > 3'600'000) {
            h.errorAt(QStringLiteral("step"),
                      QStringLiteral("'step' of metrics_history must be from 100ms to 1h"));
            return;
        }
        if (retention < step) {
            h.errorAt(QStringLiteral("retention"),
                      QStringLiteral("'retention' of metrics_history must be at least one step "
                                     "(%1 ms)")
                          .arg(step));
            return;
        }
        if (retention / step > kMaxSteps) {
            h.errorAt(QStringLiteral("retention"),
                      QStringLiteral("'retention' of metrics_history keeps %1 steps per series; "
                                     "at most %2 are allowed (a longer step keeps more time)")
                          .arg(retention / step)
                          .arg(kMaxSteps));
            return;
        }
        server.historyStepMs = step;
        server.historyRetentionMs = retention;
    }

    void readRollbackPolicy(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        auto &p = config.rollback;
        p.position = node.position();
        MapReader r(node, m_diag, QStringLiteral("rollback"));
        p.maxAttemptsPerRelease = int(r.integer(QStringLiteral("max_attempts_per_release"), 1, 100)
                                          .value_or(p.maxAttemptsPerRelease));
        p.archiveDir = r.string(QStringLiteral("archive_dir"), p.archiveDir);
        if (const auto retry = r.value(QStringLiteral("retry")); !retry.isNull()) {
            MapReader rr(retry, m_diag, QStringLiteral("rollback retry policy"));
            p.retryAttempts =
                int(rr.integer(QStringLiteral("attempts"), 1, 20).value_or(p.retryAttempts));
            p.retryBackoffMs = rr.durationMs(QStringLiteral("backoff"), p.retryBackoffMs);
            p.retryMaxBackoffMs = rr.durationMs(QStringLiteral("max_backoff"), p.retryMaxBackoffMs);
            rr.finish();
        }
        if (const auto classes = r.value(QStringLiteral("classes")); !classes.isNull()) {
            MapReader rc(classes, m_diag, QStringLiteral("rollback classes"));
            for (const auto &name : kRollbackClasses) {
                const auto body = rc.value(name);
                if (body.isNull())
                    continue;
                auto &c = name == u"immediate" ? p.immediate
                          : name == u"gradual" ? p.gradual
                                               : p.fast;
                MapReader one(body, m_diag, QStringLiteral("rollback class '%1'").arg(name));
                c.stepTimeoutMs = one.durationMs(QStringLiteral("step_timeout"), c.stepTimeoutMs);
                c.freezeMs = one.durationMs(QStringLiteral("freeze"), c.freezeMs);
                if (name == u"gradual") {
                    c.watchMs = one.durationMs(QStringLiteral("watch"), c.watchMs);
                    const auto shifts = one.value(QStringLiteral("shifts"));
                    if (!shifts.isNull())
                        c.shifts = readShifts(shifts, QStringLiteral("'shifts' of the gradual "
                                                                     "class"));
                }
                if (c.stepTimeoutMs < 1)
                    one.errorAt(QStringLiteral("step_timeout"),
                                QStringLiteral("'step_timeout' must be positive"));
                one.finish();
            }
            rc.finish();
        }
        r.finish();
    }

    void readAuth(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        auto &a = config.auth;
        a.position = node.position();
        MapReader r(node, m_diag, QStringLiteral("auth"));
        a.sessionTtlMs = r.durationMs(QStringLiteral("session_ttl"), a.sessionTtlMs);
        a.pbkdf2Iterations = int(r.integer(QStringLiteral("pbkdf2_iterations"), 1000, 10'000'000)
                                     .value_or(a.pbkdf2Iterations));
        a.maxFailedLogins = int(
            r.integer(QStringLiteral("max_failed_logins"), 1, 1000).value_or(a.maxFailedLogins));
        a.lockoutMs = r.durationMs(QStringLiteral("lockout"), a.lockoutMs);
        a.publicMetrics = r.boolean(QStringLiteral("public_metrics")).value_or(a.publicMetrics);
        if (a.sessionTtlMs < 1000)
            r.errorAt(QStringLiteral("session_ttl"),
                      QStringLiteral("'session_ttl' must be at least 1s"));
        r.finish();
    }

    void readUsers(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        if (!node.isSequence()) {
            m_diag.error(node.position(),
                         QStringLiteral("'users' must be a list, found %1").arg(node.kindName()));
            return;
        }
        for (const auto &item : node.items()) {
            UserConfig u;
            u.position = item.position();
            MapReader r(item, m_diag, describe(QStringLiteral("user"), item));
            if (!r.isMap())
                continue;
            u.name = r.string(QStringLiteral("name"), Need::Required).value_or(QString());
            if (!u.name.isEmpty() && !isName(u.name))
                m_diag.error(r.keyPosition(QStringLiteral("name")),
                             invalidName(QStringLiteral("user"), u.name));
            if (u.name == u"rewind")
                m_diag.error(
                    r.keyPosition(QStringLiteral("name")),
                    QStringLiteral("'rewind' is the name the daemon acts under (in the "
                                   "audit log, as a requester); choose another user name"));
            for (const auto &other : std::as_const(config.users)) {
                if (other.name == u.name)
                    m_diag.error(r.keyPosition(QStringLiteral("name")),
                                 QStringLiteral("two users are named '%1'").arg(u.name));
            }
            const auto roles = r.value(QStringLiteral("roles"));
            if (roles.isNull() || !roles.isMap()) {
                r.errorAt(QStringLiteral("roles"),
                          QStringLiteral("%1 needs 'roles': a map of environment (or \"*\" for "
                                         "all) to roles, e.g. {production: [approver]}")
                              .arg(r.what()));
            } else {
                MapReader rr(roles, m_diag, QStringLiteral("roles of ") + r.what());
                for (const auto &entry : roles.entries()) {
                    const QString env = entry.first.scalar();
                    const auto list = rr.stringList(env);
                    for (const auto &role : list.value_or(QStringList{})) {
                        if (!kRoles.contains(role))
                            rr.errorAt(
                                env, QStringLiteral("unknown role '%1' in %2 (roles: %3)")
                                         .arg(role, rr.what(), kRoles.join(QStringLiteral(", "))));
                    }
                    u.roles.append({env, list.value_or(QStringList{})});
                    m_userRoleEnvironments.append({env, rr.keyPosition(env), u.name});
                }
                rr.finish();
            }
            u.password = r.string(QStringLiteral("password"), QString());
            u.passwordHash = r.string(QStringLiteral("password_hash"), QString());
            if (!u.password.isEmpty() && !u.password.startsWith(QLatin1String("env:")) &&
                !u.password.startsWith(QLatin1String("file:")))
                r.errorAt(QStringLiteral("password"),
                          QStringLiteral("'password' of %1 must be a secret reference (env:NAME "
                                         "or file:PATH), never the password itself")
                              .arg(r.what()));
            if (!u.password.isEmpty() && !u.passwordHash.isEmpty())
                r.errorAt(QStringLiteral("password_hash"),
                          QStringLiteral("%1 has both 'password' and 'password_hash'; use one")
                              .arg(r.what()));
            if (!u.passwordHash.isEmpty() &&
                !u.passwordHash.startsWith(QLatin1String("pbkdf2-sha256$")))
                r.errorAt(QStringLiteral("password_hash"),
                          QStringLiteral(
                              "'password_hash' of %1 must be pbkdf2-sha256$ITERATIONS$SALT$HASH "
                              "(as `rewindctl user hash` prints)")
                              .arg(r.what()));
            if (const auto tokens = r.stringMap(QStringLiteral("tokens"))) {
                for (const auto &[name, value] : *tokens) {
                    if (!value.startsWith(QLatin1String("env:")) &&
                        !value.startsWith(QLatin1String("file:")))
                        r.errorAt(QStringLiteral("tokens"),
                                  QStringLiteral("token '%1' of %2 must be a secret reference "
                                                 "(env:NAME or file:PATH)")
                                      .arg(name, r.what()));
                    u.tokens.append({name, value});
                }
            }
            r.finish();
            config.users.append(u);
        }
    }

    // A list of percentages, each 1-99 and larger than the one before.
    QList<int> readShifts(const ConfigNode &node, const QString &what)
    {
        QList<int> out;
        const auto items = node.isSequence() ? node.items() : QList<ConfigNode>{node};
        for (const auto &item : items) {
            bool ok = item.isScalar() && !item.isQuoted();
            const int value = ok ? item.scalar().toInt(&ok) : 0;
            if (!ok || value < 1 || value > 99 || (!out.isEmpty() && value <= out.last())) {
                m_diag.error(item.position(),
                             QStringLiteral("%1 must be whole percentages from 1 to 99, each "
                                            "larger than the one before, found '%2'")
                                 .arg(what, item.isScalar() ? item.scalar() : item.kindName()));
                continue;
            }
            out.append(value);
        }
        return out;
    }

    void readEnvironments(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        MapReader all(node, m_diag, QStringLiteral("environments"));
        if (!all.isMap())
            return;
        for (const auto &[key, body] : node.entries()) {
            EnvironmentConfig env;
            env.name = key.scalar();
            env.position = key.position();
            (void)all.value(env.name);
            if (!body.isNull()) {
                MapReader r(body, m_diag, QStringLiteral("environment '%1'").arg(env.name));
                env.autoRollback =
                    r.boolean(QStringLiteral("auto_rollback")).value_or(env.autoRollback);
                env.freezeAfterRollbackMs = r.durationMs(QStringLiteral("freeze_after_rollback"),
                                                         env.freezeAfterRollbackMs);
                env.verifyAfterMs = r.durationMs(QStringLiteral("verify_after"), env.verifyAfterMs);
                env.errorBudget =
                    r.number(QStringLiteral("error_budget"), 0, 0.99).value_or(env.errorBudget);
                env.minSamples = r.integer(QStringLiteral("min_samples"), 1, 1'000'000);
                env.gracePeriodMs = r.durationMs(QStringLiteral("grace_period"), env.gracePeriodMs);
                if (env.gracePeriodMs >= env.verifyAfterMs)
                    r.errorAt(QStringLiteral("grace_period"),
                              QStringLiteral("'grace_period' of %1 must be shorter than its "
                                             "'verify_after' (%2): no sample would be judged")
                                  .arg(r.what(), formatDuration(env.verifyAfterMs)));
                readApproval(r.value(QStringLiteral("approval")), env);
                r.finish();
            }
            if (!isName(env.name))
                m_diag.error(env.position, invalidName(QStringLiteral("environment"), env.name));
            config.environments.append(env);
        }
        all.finish();
    }

    void readApproval(const ConfigNode &node, EnvironmentConfig &env)
    {
        if (node.isNull())
            return;
        MapReader r(node, m_diag, QStringLiteral("approval policy of '%1'").arg(env.name));
        auto &a = env.approval;
        a.required = r.boolean(QStringLiteral("required")).value_or(a.required);
        a.approvals = int(r.integer(QStringLiteral("approvals"), 1, 10).value_or(a.approvals));
        a.roles = r.stringList(QStringLiteral("roles")).value_or(a.roles);
        a.expiresMs = r.durationMs(QStringLiteral("expires"), a.expiresMs);
        if (const auto severities = r.stringList(QStringLiteral("auto_approve"))) {
            for (const auto &sev : *severities) {
                if (!kSeverities.contains(sev))
                    r.errorAt(QStringLiteral("auto_approve"),
                              QStringLiteral("'auto_approve' of %1 may list %2, found '%3'")
                                  .arg(r.what(), kSeverities.join(QStringLiteral(", ")), sev));
            }
            a.autoApprove = *severities;
        }
        for (const auto &role : std::as_const(a.roles)) {
            if (!kRoles.contains(role))
                r.errorAt(QStringLiteral("roles"),
                          QStringLiteral("unknown role '%1' in %2 (roles: %3)")
                              .arg(role, r.what(), kRoles.join(QStringLiteral(", "))));
        }
        r.finish();
    }

    void readExecutors(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        MapReader all(node, m_diag, QStringLiteral("executors"));
        if (!all.isMap())
            return;
        for (const auto &[key, body] : node.entries()) {
            ExecutorConfig ex;
            ex.name = key.scalar();
            ex.position = key.position();
            ex.node = body;
            (void)all.value(ex.name);
            if (!isName(ex.name))
                m_diag.error(ex.position, invalidName(QStringLiteral("executor"), ex.name));
            config.executors.append(ex);
        }
        all.finish();
    }

    void readServices(const ConfigNode &node, Config &config)
    {
        if (node.isNull()) {
            m_diag.error(node.isDefined() ? node.position() : Position{node.file(), 1, 1},
                         QStringLiteral("the configuration declares no services"));
            return;
        }
        if (!node.isSequence()) {
            m_diag.error(
                node.position(),
                QStringLiteral("'services' must be a list, found %1").arg(node.kindName()));
            return;
        }
        for (const auto &item : node.items()) {
            ServiceConfig s;
            s.position = item.position();
            MapReader r(item, m_diag, describe(QStringLiteral("service"), item));
            if (!r.isMap())
                continue;
            s.name = r.string(QStringLiteral("name"), Need::Required).value_or(QString());
            s.environment = r.string(QStringLiteral("environment"), s.environment);
            s.kind = r.choice(QStringLiteral("kind"), kServiceKinds).value_or(s.kind);
            s.dependsOn = r.stringList(QStringLiteral("depends_on")).value_or(QStringList{});
            s.dependsOnPosition = r.value(QStringLiteral("depends_on")).position();
            s.verifyAfterMs = r.durationMs(QStringLiteral("verify_after"));
            s.errorBudget = r.number(QStringLiteral("error_budget"), 0, 0.99);
            s.minSamples = r.integer(QStringLiteral("min_samples"), 1, 1'000'000);
            s.gracePeriodMs = r.durationMs(QStringLiteral("grace_period"));
            readVerification(r.value(QStringLiteral("verification")), s);
            readLogs(r.value(QStringLiteral("logs")), s, config);
            readChecks(r.value(QStringLiteral("checks")), s);
            const auto strategy = r.value(QStringLiteral("strategy"));
            if (!strategy.isNull())
                s.strategy = readStrategy(strategy, s.name);
            r.finish();
            if (!s.name.isEmpty() && !isName(s.name))
                m_diag.error(r.keyPosition(QStringLiteral("name")),
                             invalidName(QStringLiteral("service"), s.name));
            config.services.append(s);
        }
    }

    void readVerification(const ConfigNode &node, ServiceConfig &s)
    {
        if (node.isNull())
            return;
        MapReader r(node, m_diag, QStringLiteral("verification of service '%1'").arg(s.name));
        auto &v = s.verification;
        v.consecutiveSuccesses = int(r.integer(QStringLiteral("consecutive_successes"), 1, 1000)
                                         .value_or(v.consecutiveSuccesses));
        v.timeoutMs = r.durationMs(QStringLiteral("timeout"), v.timeoutMs);
        r.finish();
    }

    void readLogs(const ConfigNode &node, ServiceConfig &s, const Config &config)
    {
        if (node.isNull())
            return;
        MapReader r(node, m_diag, QStringLiteral("logs of service '%1'").arg(s.name));
        auto &logs = s.logs;
        if (const auto commands = r.value(QStringLiteral("commands")); !commands.isNull()) {
            if (!commands.isSequence()) {
                r.errorAt(QStringLiteral("commands"),
                          QStringLiteral("'commands' must be a list of argv lists, found %1")
                              .arg(commands.kindName()));
            } else {
                for (const auto &item : commands.items()) {
                    QStringList argv;
                    bool ok = item.isSequence() && !item.items().isEmpty();
                    for (const auto &arg : item.isSequence() ? item.items() : QList<ConfigNode>{}) {
                        ok = ok && arg.isScalar();
                        argv.append(arg.isScalar() ? arg.scalar() : QString());
                    }
                    if (!ok) {
                        m_diag.error(item.position(),
                                     QStringLiteral("each of 'commands' must be an argv list such "
                                                    "as [journalctl, -u, api], found %1")
                                         .arg(item.kindName()));
                        continue;
                    }
                    logs.commands.append(argv);
                }
            }
        }
        if (const auto files = r.stringList(QStringLiteral("files"))) {
            for (const auto &f : *files) {
                const auto path = config.resolvePath(f);
                if (QFileInfo(path).path().contains(u'*') || QFileInfo(path).path().contains(u'?'))
                    r.errorAt(QStringLiteral("files"),
                              QStringLiteral("'%1': a pattern may only be in the file name, not "
                                             "in a directory")
                                  .arg(f));
                logs.files.append(path);
            }
        }
        logs.maxBytes =
            r.integer(QStringLiteral("max_bytes"), 1024, 256 * 1024 * 1024).value_or(logs.maxBytes);
        logs.timeoutMs = r.durationMs(QStringLiteral("timeout"), logs.timeoutMs);
        r.finish();
    }

    void readChecks(const ConfigNode &node, ServiceConfig &s)
    {
        if (node.isNull())
            return;
        if (!node.isSequence()) {
            m_diag.error(node.position(), QStringLiteral("'checks' of service '%1' must be a "
                                                         "list, found %2")
                                              .arg(s.name, node.kindName()));
            return;
        }
        for (const auto &item : node.items()) {
            CheckConfig c;
            c.position = item.position();
            c.node = item;
            MapReader r(item, m_diag,
                        describe(QStringLiteral("check"), item) + QStringLiteral(" of ") +
                            label(QStringLiteral("service"), s.name));
            if (!r.isMap())
                continue;
            c.name = r.string(QStringLiteral("name"), Need::Required).value_or(QString());
            c.type = r.string(QStringLiteral("type"), Need::Required).value_or(QString());
            c.intervalMs = r.durationMs(QStringLiteral("interval"), c.intervalMs);
            c.timeoutMs = r.durationMs(QStringLiteral("timeout"), c.timeoutMs);
            c.jitterMs = r.durationMs(QStringLiteral("jitter"), c.jitterMs);
            // By default a failure is confirmed ten times faster than the interval (not below
            // 100ms, and only where that is faster than the interval itself).
            const qint64 fastDefault = std::max<qint64>(c.intervalMs / 10, 100);
            c.fastIntervalMs = r.durationMs(QStringLiteral("fast_interval"),
                                            fastDefault < c.intervalMs ? fastDefault : 0);
            c.rise = int(r.integer(QStringLiteral("rise"), 1, 100).value_or(c.rise));
            c.fall = int(r.integer(QStringLiteral("fall"), 1, 100).value_or(c.fall));
            c.gracePeriodMs = r.durationMs(QStringLiteral("grace_period"));
            if (c.fastIntervalMs > 0 && c.fastIntervalMs < 10)
                r.errorAt(QStringLiteral("fast_interval"),
                          QStringLiteral("'fast_interval' must be at least 10ms (or 0s: off)"));
            if (c.intervalMs < 10)
                r.errorAt(QStringLiteral("interval"),
                          QStringLiteral("'interval' must be at least 10ms"));
            if (c.timeoutMs < 1)
                r.errorAt(QStringLiteral("timeout"), QStringLiteral("'timeout' must be positive"));
            if (!c.name.isEmpty() && !isName(c.name))
                m_diag.error(r.keyPosition(QStringLiteral("name")),
                             invalidName(QStringLiteral("check"), c.name));
            if (s.check(c.name) != nullptr)
                m_diag.error(
                    r.keyPosition(QStringLiteral("name")),
                    QStringLiteral("service '%1' has two checks named '%2'").arg(s.name, c.name));
            m_pendingOptions.append(
                {c.node,
                 label(QStringLiteral("check"), c.name) + QStringLiteral(" of ") +
                     label(QStringLiteral("service"), s.name),
                 &m_catalog.checks,
                 c.type,
                 QStringLiteral("check"),
                 r.value(QStringLiteral("type")).position(),
                 {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("interval"),
                  QStringLiteral("timeout"), QStringLiteral("jitter"),
                  QStringLiteral("fast_interval"), QStringLiteral("rise"), QStringLiteral("fall"),
                  QStringLiteral("grace_period")}});
            s.checks.append(c);
        }
    }

    StrategyConfig readStrategy(const ConfigNode &node, const QString &serviceName)
    {
        StrategyConfig st;
        st.node = node;
        st.position = node.position();
        MapReader r(node, m_diag, QStringLiteral("strategy of service '%1'").arg(serviceName));
        if (!r.isMap())
            return st;
        st.type = r.string(QStringLiteral("type"), Need::Required).value_or(QString());
        st.executor = r.string(QStringLiteral("executor"), Need::Required).value_or(QString());
        m_strategyExecutorPositions.insert(serviceName, r.keyPosition(QStringLiteral("executor")));
        m_pendingOptions.append({node,
                                 QStringLiteral("strategy of service '%1'").arg(serviceName),
                                 &m_catalog.strategies,
                                 st.type,
                                 QStringLiteral("strategy"),
                                 r.value(QStringLiteral("type")).position(),
                                 {QStringLiteral("type"), QStringLiteral("executor")}});
        return st;
    }

    void readNotifications(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        if (!node.isSequence()) {
            m_diag.error(
                node.position(),
                QStringLiteral("'notifications' must be a list, found %1").arg(node.kindName()));
            return;
        }
        int index = 0;
        for (const auto &item : node.items()) {
            ++index;
            NotificationConfig n;
            n.position = item.position();
            n.node = item;
            MapReader r(item, m_diag, describe(QStringLiteral("notification"), item));
            if (!r.isMap())
                continue;
            n.type = r.string(QStringLiteral("type"), Need::Required).value_or(QString());
            n.name =
                r.string(QStringLiteral("name"), QStringLiteral("%1-%2").arg(n.type).arg(index));
            if (!isName(n.name))
                m_diag.error(r.keyPosition(QStringLiteral("name")),
                             invalidName(QStringLiteral("notification"), n.name));
            for (const auto &other : std::as_const(config.notifications)) {
                if (other.name == n.name)
                    m_diag.error(r.keyPosition(QStringLiteral("name")),
                                 QStringLiteral("two notifications are named '%1'").arg(n.name));
            }
            if (const auto events = r.stringList(QStringLiteral("events"))) {
                for (const auto &e : *events) {
                    // Shorthand: every way a rollback ends.
                    if (e == u"rollback_finished") {
                        n.events << QStringLiteral("rollback_succeeded")
                                 << QStringLiteral("rollback_failed")
                                 << QStringLiteral("rollback_needs_attention");
                        continue;
                    }
                    n.events.append(e);
                    if (!kNotificationEvents.contains(e))
                        r.errorAt(QStringLiteral("events"),
                                  QStringLiteral("unknown event '%1' in %2%3 (known: %4)")
                                      .arg(e, r.what(),
                                           closestMatch(e, kNotificationEvents).isEmpty()
                                               ? QString()
                                               : QStringLiteral(", did you mean '%1'?")
                                                     .arg(closestMatch(e, kNotificationEvents)),
                                           kNotificationEvents.join(QStringLiteral(", "))));
                }
                n.events.removeDuplicates();
            }
            n.environments = r.stringList(QStringLiteral("environments")).value_or(QStringList{});
            m_notificationEnvironmentPositions.insert(
                config.notifications.size(), r.value(QStringLiteral("environments")).position());
            if (const auto templates = r.stringMap(QStringLiteral("templates"))) {
                for (const auto &[event, text] : *templates) {
                    if (!kNotificationEvents.contains(event))
                        r.errorAt(QStringLiteral("templates"),
                                  QStringLiteral("'templates' of %1 names unknown event '%2'")
                                      .arg(r.what(), event));
                }
                n.templates = *templates;
            }
            m_pendingOptions.append(
                {item,
                 label(QStringLiteral("notification"), n.name),
                 &m_catalog.notifiers,
                 n.type,
                 QStringLiteral("notification"),
                 r.value(QStringLiteral("type")).position(),
                 {QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("events"),
                  QStringLiteral("environments"), QStringLiteral("templates")}});
            config.notifications.append(n);
        }
    }

    // `include: [rules/*.yaml, …]`: more files whose `rules:` are added to this configuration.
    // Paths are relative to the including file; a `*` or `?` in the file name matches several
    // files (in name order). Included files cannot include others.
    void readIncludes(const ConfigNode &node, Config &config)
    {
        if (node.isNull())
            return;
        const auto items = node.isSequence() ? node.items() : QList<ConfigNode>{node};
        for (const auto &item : items) {
            if (!item.isScalar()) {
                m_diag.error(item.position(), QStringLiteral("'include' must list file paths, "
                                                             "found %1")
                                                  .arg(item.kindName()));
                continue;
            }
            const QString pattern = config.resolvePath(item.scalar());
            const QFileInfo info(pattern);
            QStringList files;
            if (info.fileName().contains(u'*') || info.fileName().contains(u'?')) {
                const QDir dir = info.dir();
                for (const auto &name : dir.entryList({info.fileName()}, QDir::Files, QDir::Name))
                    files.append(dir.filePath(name));
                if (files.isEmpty())
                    m_diag.error(item.position(),
                                 QStringLiteral("'include' pattern '%1' matches no file")
                                     .arg(item.scalar()));
            } else {
                files.append(pattern);
            }
            for (const auto &path : std::as_const(files))
                readIncluded(path, item.position(), config);
        }
    }

    void readIncluded(const QString &path, const Position &where, Config &config)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_diag.error(where,
                         QStringLiteral("cannot include '%1': %2").arg(path, file.errorString()));
            return;
        }
        const QByteArray text = file.readAll();
        const auto root = ConfigNode::parse(text, path, m_diag);
        if (!root || root->isNull())
            return;
        MapReader top(*root, m_diag, QStringLiteral("an included file"));
        if (!top.isMap())
            return;
        readRules(top.value(QStringLiteral("rules")), config, text, true);
        top.finish();
    }

    void readRules(const ConfigNode &node, Config &config, const QByteArray &source,
                   bool included = false)
    {
        if (node.isNull())
            return;
        if (!node.isSequence()) {
            m_diag.error(node.position(),
                         QStringLiteral("'rules' must be a list, found %1").arg(node.kindName()));
            return;
        }
        for (const auto &item : node.items()) {
            RuleConfig rule;
            rule.position = item.position();
            rule.included = included;
            MapReader r(item, m_diag, describe(QStringLiteral("rule"), item));
            if (!r.isMap())
                continue;
            rule.name = r.string(QStringLiteral("name"), Need::Required).value_or(QString());
            rule.services = r.stringList(QStringLiteral("services")).value_or(QStringList{});
            m_ruleServicePositions.insert(config.rules.size(),
                                          r.value(QStringLiteral("services")).position());
            rule.environments =
                r.stringList(QStringLiteral("environments")).value_or(QStringList{});
            if (const auto kinds = r.stringList(QStringLiteral("kinds"))) {
                for (const auto &kind : *kinds) {
                    if (!kServiceKinds.contains(kind))
                        r.errorAt(
                            QStringLiteral("kinds"),
                            QStringLiteral("'kinds' of rule '%1' may list %2, found '%3'")
                                .arg(rule.name, kServiceKinds.join(QStringLiteral(", ")), kind));
                }
                rule.kinds = *kinds;
            }
            m_ruleEnvironmentPositions.insert(config.rules.size(),
                                              r.value(QStringLiteral("environments")).position());
            if (const auto when = r.string(QStringLiteral("when"), Need::Required)) {
                rule.when = *when;
                rule.whenPosition = contentPosition(r.value(QStringLiteral("when")), source);
            }
            rule.forMs = r.durationMs(QStringLiteral("for"), rule.forMs);
            rule.consecutive =
                int(r.integer(QStringLiteral("consecutive"), 1, 1000).value_or(rule.consecutive));
            rule.cooldownMs = r.durationMs(QStringLiteral("cooldown"), rule.cooldownMs);
            rule.everyMs = r.durationMs(QStringLiteral("every"), rule.everyMs);
            rule.recoverAfter = int(
                r.integer(QStringLiteral("recover_after"), 1, 1000).value_or(rule.recoverAfter));
            rule.severity =
                r.choice(QStringLiteral("severity"), kSeverities).value_or(rule.severity);
            rule.action = r.choice(QStringLiteral("action"), kRuleActions).value_or(rule.action);
            if (const auto rb = r.value(QStringLiteral("rollback")); !rb.isNull()) {
                MapReader rr(rb, m_diag, QStringLiteral("rollback of rule '%1'").arg(rule.name));
                rule.rollbackClass = rr.choice(QStringLiteral("class"), kRollbackClasses)
                                         .value_or(rule.rollbackClass);
                rule.rollbackServices =
                    rr.stringList(QStringLiteral("services")).value_or(QStringList{});
                m_ruleRollbackPositions.insert(config.rules.size(),
                                               rr.value(QStringLiteral("services")).position());
                rr.finish();
                if (rule.action != u"rollback")
                    r.errorAt(QStringLiteral("rollback"),
                              QStringLiteral("'rollback' only applies to rules with 'action: "
                                             "rollback'"));
            }
            rule.freezeMs = r.durationMs(QStringLiteral("freeze"), rule.freezeMs);
            if (r.has(QStringLiteral("freeze")) && rule.action != u"freeze")
                r.errorAt(QStringLiteral("freeze"),
                          QStringLiteral("'freeze' only applies to rules with 'action: freeze'"));
            r.finish();
            for (const auto &other : std::as_const(config.rules)) {
                if (!rule.name.isEmpty() && other.name == rule.name)
                    m_diag.error(r.keyPosition(QStringLiteral("name")),
                                 QStringLiteral("two rules are named '%1'").arg(rule.name));
            }
            config.rules.append(rule);
        }
    }

    // Checks that need the whole file: references between sections, unique names, dependency
    // cycles, and the type-specific options of checks, executors and strategies.
    void crossCheck(Config &config)
    {
        const bool declaredDefault = config.environment(kDefaultEnvironment) != nullptr;
        if (!declaredDefault) {
            EnvironmentConfig implicit;
            implicit.name = kDefaultEnvironment;
            config.environments.append(implicit);
        }
        QStringList environmentNames;
        for (const auto &e : config.environments)
            environmentNames.append(e.name);

        QStringList serviceNames;
        for (const auto &s : config.services) {
            if (serviceNames.contains(s.name))
                m_diag.error(s.position, QStringLiteral("two services are named '%1'").arg(s.name));
            serviceNames.append(s.name);
        }
        QStringList executorNames;
        for (const auto &e : config.executors)
            executorNames.append(e.name);

        for (const auto &s : config.services) {
            if (!environmentNames.contains(s.environment))
                m_diag.error(s.position,
                             unknownReference(QStringLiteral("environment"), s.environment,
                                              environmentNames,
                                              QStringLiteral("service '%1'").arg(s.name)));
            for (const auto &dep : s.dependsOn) {
                if (dep == s.name)
                    m_diag.error(s.dependsOnPosition,
                                 QStringLiteral("service '%1' depends on itself").arg(s.name));
                else if (!serviceNames.contains(dep))
                    m_diag.error(
                        s.dependsOnPosition,
                        unknownReference(QStringLiteral("service"), dep, serviceNames,
                                         QStringLiteral("depends_on of '%1'").arg(s.name)));
            }
            // A grace period as long as the verification period would leave nothing to judge.
            // The environment's own pair was checked where it is written.
            if (environmentNames.contains(s.environment) && (s.verifyAfterMs || s.gracePeriodMs)) {
                const qint64 verify = config.verifyAfterMs(s);
                const auto *env = config.environment(s.environment);
                const qint64 grace = s.gracePeriodMs.value_or(env ? env->gracePeriodMs : 0);
                if (grace >= verify)
                    m_diag.error(s.position,
                                 QStringLiteral("the grace period of service '%1' (%2) must be "
                                                "shorter than its verify_after (%3)")
                                     .arg(s.name, formatDuration(grace), formatDuration(verify)));
            }
            for (const auto &c : s.checks) {
                if (c.gracePeriodMs && environmentNames.contains(s.environment) &&
                    *c.gracePeriodMs >= config.verifyAfterMs(s))
                    m_diag.error(c.position,
                                 QStringLiteral("the grace period of check '%1' of service '%2' "
                                                "(%3) must be shorter than its verify_after (%4)")
                                     .arg(c.name, s.name, formatDuration(*c.gracePeriodMs),
                                          formatDuration(config.verifyAfterMs(s))));
            }
            if (s.strategy && !s.strategy->executor.isEmpty() &&
                !executorNames.contains(s.strategy->executor))
                m_diag.error(m_strategyExecutorPositions.value(s.name),
                             unknownReference(QStringLiteral("executor"), s.strategy->executor,
                                              executorNames,
                                              QStringLiteral("strategy of '%1'").arg(s.name)));
        }
        reportCycles(config);

        for (const auto &ex : config.executors) {
            MapReader r(ex.node, m_diag, QStringLiteral("executor '%1'").arg(ex.name));
            if (!r.isMap())
                continue;
            const auto type = r.string(QStringLiteral("type"), Need::Required);
            auto &mutableEx = config.executors[&ex - config.executors.data()];
            mutableEx.type = type.value_or(QString());
            if (type)
                readOptions(r, m_catalog.executors, *type, QStringLiteral("executor"),
                            r.value(QStringLiteral("type")).position(), config);
        }

        for (const auto &pending : std::as_const(m_pendingOptions)) {
            MapReader r(pending.node, m_diag, pending.what);
            // The generic keys were read (and validated) by the loader already.
            for (const auto &key : pending.genericKeys)
                (void)r.value(key);
            if (!pending.type.isEmpty())
                readOptions(r, *pending.registry, pending.type, pending.kind, pending.typePosition,
                            config);
        }

        for (const auto &[env, position, user] : std::as_const(m_userRoleEnvironments)) {
            if (env != u"*" && !environmentNames.contains(env))
                m_diag.error(position,
                             unknownReference(QStringLiteral("environment"), env, environmentNames,
                                              QStringLiteral("roles of user '%1'").arg(user)));
        }

        for (qsizetype i = 0; i < config.notifications.size(); ++i) {
            for (const auto &name : config.notifications.at(i).environments) {
                if (!environmentNames.contains(name))
                    m_diag.error(m_notificationEnvironmentPositions.value(i),
                                 unknownReference(QStringLiteral("environment"), name,
                                                  environmentNames,
                                                  QStringLiteral("notification '%1'")
                                                      .arg(config.notifications.at(i).name)));
            }
        }

        for (qsizetype i = 0; i < config.rules.size(); ++i) {
            const auto &rule = config.rules.at(i);
            for (const auto &name : rule.services) {
                if (!serviceNames.contains(name))
                    m_diag.error(m_ruleServicePositions.value(i),
                                 unknownReference(QStringLiteral("service"), name, serviceNames,
                                                  QStringLiteral("rule '%1'").arg(rule.name)));
            }
            for (const auto &name : rule.rollbackServices) {
                if (!serviceNames.contains(name))
                    m_diag.error(
                        m_ruleRollbackPositions.value(i),
                        unknownReference(QStringLiteral("service"), name, serviceNames,
                                         QStringLiteral("rollback of rule '%1'").arg(rule.name)));
            }
            for (const auto &name : rule.environments) {
                if (!environmentNames.contains(name))
                    m_diag.error(m_ruleEnvironmentPositions.value(i),
                                 unknownReference(QStringLiteral("environment"), name,
                                                  environmentNames,
                                                  QStringLiteral("rule '%1'").arg(rule.name)));
            }
            if (!rule.when.isEmpty() && m_catalog.validateRule)
                m_catalog.validateRule(config, rule, m_diag);
        }
    }

    void readOptions(MapReader &r, const QHash<QString, Catalog::OptionsReader> &registry,
                     const QString &type, const QString &kind, const Position &typePosition,
                     const Config &config)
    {
        const auto reader = registry.constFind(type);
        if (reader == registry.cend()) {
            QStringList known = registry.keys();
            known.sort();
            const auto hint = closestMatch(type, known);
            m_diag.error(
                typePosition.line > 0 ? typePosition : r.node().position(),
                QStringLiteral("unknown %1 type '%2'%3")
                    .arg(kind, type,
                         hint.isEmpty()
                             ? QStringLiteral(" (known: %1)").arg(known.join(QStringLiteral(", ")))
                             : QStringLiteral(" (did you mean '%1'?)").arg(hint)));
            return;
        }
        (*reader)(r, config);
        r.finish();
    }

    void reportCycles(const Config &config)
    {
        enum class Mark
        {
            None,
            Visiting,
            Done
        };
        QHash<QString, Mark> marks;
        QStringList path;
        QSet<QString> reported;
        std::function<void(const ServiceConfig &)> visit = [&](const ServiceConfig &s) {
            marks[s.name] = Mark::Visiting;
            path.append(s.name);
            for (const auto &dep : s.dependsOn) {
                const auto *next = config.service(dep);
                if (!next || dep == s.name)
                    continue;
                if (marks.value(dep) == Mark::Visiting) {
                    const auto cycle = path.mid(path.indexOf(dep)) + QStringList{dep};
                    const auto key = cycle.join(u'>');
                    if (!reported.contains(key)) {
                        reported.insert(key);
                        m_diag.error(s.dependsOnPosition,
                                     QStringLiteral("dependency cycle: %1")
                                         .arg(cycle.join(QStringLiteral(" -> "))));
                    }
                } else if (marks.value(dep) == Mark::None) {
                    visit(*next);
                }
            }
            path.removeLast();
            marks[s.name] = Mark::Done;
        };
        for (const auto &s : config.services) {
            if (marks.value(s.name) == Mark::None)
                visit(s);
        }
    }

    // "service 'web'", or "unnamed service" when there is no name to show.
    static QString label(const QString &kind, const QString &name)
    {
        return name.isEmpty() ? QStringLiteral("unnamed ") + kind
                              : QStringLiteral("%1 '%2'").arg(kind, name);
    }

    // The label of a map from its `name` key, before that key is validated.
    static QString describe(const QString &kind, const ConfigNode &node)
    {
        if (node.isMap()) {
            const auto name = node.value(QStringLiteral("name"));
            if (name.isScalar())
                return label(kind, name.scalar());
        }
        return kind;
    }

    static bool isName(const QString &name)
    {
        if (name.isEmpty() || name.size() > 64 || !name.at(0).isLetter())
            return false;
        for (const auto ch : name) {
            if (!(ch.isLetterOrNumber() || ch == u'_' || ch == u'-'))
                return false;
        }
        return true;
    }

    static QString invalidName(const QString &kind, const QString &name)
    {
        return QStringLiteral("%1 name '%2' must start with a letter and contain only letters, "
                              "digits, '_' and '-' (at most 64)")
            .arg(kind, name);
    }

    static QString unknownReference(const QString &kind, const QString &name,
                                    const QStringList &known, const QString &where)
    {
        const auto hint = closestMatch(name, known);
        return QStringLiteral("%1 refers to unknown %2 '%3'%4")
            .arg(where, kind, name,
                 hint.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(hint));
    }

    struct PendingOptions
    {
        ConfigNode node;
        QString what;
        const QHash<QString, Catalog::OptionsReader> *registry;
        QString type;
        QString kind;
        Position typePosition;
        QStringList genericKeys; // read by the loader itself
    };

    const Catalog &m_catalog;
    Diagnostics &m_diag;
    QByteArray m_source;
    QList<PendingOptions> m_pendingOptions;
    QHash<QString, Position> m_strategyExecutorPositions;
    QHash<qsizetype, Position> m_ruleServicePositions;
    QHash<qsizetype, Position> m_ruleEnvironmentPositions;
    QHash<qsizetype, Position> m_ruleRollbackPositions;
    QHash<qsizetype, Position> m_notificationEnvironmentPositions;
    struct RoleEnvironment
    {
        QString environment;
        Position position;
        QString user;
    };
    QList<RoleEnvironment> m_userRoleEnvironments;
};

} // namespace

LoadResult loadConfigText(const QByteArray &text, const QString &fileName, const Catalog &catalog)
{
    LoadResult result;
    const auto root = ConfigNode::parse(text, fileName, result.diagnostics);
    if (!root)
        return result;
    Config config;
    config.file = fileName;
    config.baseDirectory = QFileInfo(fileName).absolutePath();
    if (root->isNull()) {
        result.diagnostics.error({fileName, 1, 1}, QStringLiteral("the configuration is empty"));
        return result;
    }
    Loader loader(catalog, result.diagnostics, text);
    loader.load(*root, config);
    if (!result.diagnostics.hasErrors())
        result.config = std::move(config);
    return result;
}

LoadResult loadConfigFile(const QString &path, const Catalog &catalog)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        LoadResult result;
        result.diagnostics.error(
            {path, 0, 0}, QStringLiteral("cannot read the file: %1").arg(file.errorString()));
        return result;
    }
    return loadConfigText(file.readAll(), path, catalog);
}

} // namespace rwd::config
