#include "daemon.h"

#include "api/httpserver.h"
#include "api/restapi.h"
#include "api/webapp.h"
#include "api/websocketapi.h"
#include "audit/auditlog.h"
#include "events/eventhub.h"
#include "executors/executor.h"
#include "http/client.h"
#include "http/urlprober.h"
#include "logging/logging.h"
#include "monitor/checks/signal/signalcheck.h"
#include "monitor/metrichistory.h"
#include "monitor/metricstore.h"
#include "monitor/scheduler.h"
#include "notify/dispatcher.h"
#include "orchestrator/orchestrator.h"
#include "orchestrator/strategies/database/database.h"
#include "releases/releasetracker.h"
#include "releases/verification.h"
#include "rules/ruleengine.h"
#include "store/store.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>

namespace rwd::daemon {

namespace {
auto log()
{
    return logging::get("daemon");
}

constexpr int kTickMs = 100;
constexpr qint64 kVerifyEveryMs = 1000;
// How often the status of a release being verified is sent to clients (service_updated).
constexpr qint64 kVerificationProgressMs = 5000;
// Metric steps a tick pushes at most to catch up (after the event loop was held up); a client
// refetches anything older through REST.
constexpr qint64 kMaxPushedSteps = 10;

// One key for a pair of names (rule and service, service and check).
QString pairKey(const QString &first, const QString &second)
{
    return first + u'\x1f' + second;
}
} // namespace

Daemon::Daemon(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &Daemon::tick);
}

Daemon::~Daemon()
{
    stop();
}

Result<void> Daemon::start(const QString &configPath)
{
    auto loaded = config::loadConfigFile(configPath, catalogOf(m_registries));
    if (!loaded.ok())
        return failure(loaded.diagnostics.format().trimmed());
    m_configPath = configPath;
    m_config = std::make_unique<config::Config>(std::move(*loaded.config));
    auto built = build();
    if (!built)
        stop();
    return built;
}

Result<void> Daemon::reload()
{
    auto loaded = config::loadConfigFile(m_configPath, catalogOf(m_registries));
    if (!loaded.ok())
        return failure(loaded.diagnostics.format().trimmed());
    if (m_orchestrator && !m_orchestrator->active().isEmpty())
        return failure(QStringLiteral("a rollback is in progress; the configuration is reloaded "
                                      "only between rollbacks"));
    auto previous = std::move(m_config);
    const quint16 port = m_port;
    stop();
    m_config = std::make_unique<config::Config>(std::move(*loaded.config));
    const bool sameListen = m_config->server.host == previous->server.host &&
                            m_config->server.port == previous->server.port;
    m_reusePort = sameListen ? port : 0;
    auto built = build();
    if (built)
        return built;
    // The new configuration could not be started (its port taken, its store unreadable): the
    // previous one goes back up.
    stop();
    m_config = std::move(previous);
    m_reusePort = port;
    if (const auto again = build(); !again)
        return failure(built.error().message +
                       QStringLiteral("; restarting the previous configuration failed too: ") +
                       again.error().message);
    return built;
}

Result<void> Daemon::build()
{
    const auto &cfg = *m_config;
    const QString storeUrl = QStringLiteral("sqlite:") + cfg.resolvePath(cfg.server.store.mid(7));
    auto opened = store::Store::open(storeUrl);
    if (!opened)
        return std::move(opened).error();
    m_store = *std::move(opened);
    m_events = std::make_unique<events::EventHub>(m_clock, cfg.server.eventReplay);
    // Every change of state is audited as it is published; commands are audited where the API
    // carries them out.
    m_audit = std::make_unique<audit::AuditLog>(m_store->auditEntries(), m_clock);
    connect(m_events.get(), &events::EventHub::published, m_audit.get(), &audit::AuditLog::onEvent);
    m_notify = std::make_unique<notify::Dispatcher>(cfg, m_store->deliveries(), m_clock,
                                                    m_registries.notifiers);
    connect(m_events.get(), &events::EventHub::published, m_notify.get(),
            &notify::Dispatcher::onEvent);
    if (const auto broken = m_audit->verifyTail(10'000); !broken.isEmpty())
        securityAlert(QStringLiteral("audit_chain_broken"),
                      QStringLiteral("the audit log's hash chain is broken (%1): rows were changed "
                                     "or removed")
                          .arg(broken),
                      {});
    m_accounts = std::make_unique<auth::Accounts>(cfg.auth, m_store->users(), m_clock);
    m_accounts->setSecurityAlert(
        [this](const QString &kind, const QString &message, const QJsonObject &data) {
            securityAlert(kind, message, data);
        });
    for (const auto &problem : m_accounts->bootstrap(cfg.users, cfg.baseDirectory))
        log()->error("{}", problem);
    if (m_store->users().list().isEmpty())
        log()->warn("no users are configured: every API call will be refused (see 'users' in "
                    "docs/configuration.md)");
    m_metrics = std::make_unique<monitor::MetricStore>();
    m_history = std::make_unique<monitor::MetricHistory>(
        monitor::MetricHistory::Options{cfg.server.historyStepMs, cfg.server.historyRetentionMs});
    m_lastPushedStepMs = -1;
    config::Diagnostics diagnostics;
    m_httpClient = new http::Client(this);
    m_prober = std::make_unique<http::UrlProber>(*m_httpClient);

    // Checks first: what they measure decides what rules may name.
    m_scheduler = std::make_unique<monitor::Scheduler>(m_clock);
    const monitor::CheckRuntime runtime{m_httpClient, &m_clock};
    QHash<QString, rules::Scope> scopes;
    for (const auto &service : cfg.services) {
        auto &scope = scopes[service.name];
        for (const auto &check : service.checks) {
            auto probe = m_registries.checks.create(
                check.type, check.node,
                QStringLiteral("check '%1' of service '%2'").arg(check.name, service.name),
                diagnostics, check, runtime);
            if (!probe)
                continue;
            const auto fields = monitor::allFields(*probe);
            scope.checks.insert(check.name, {fields, probe->defaultField()});
            scope.order.append(check.name);
            m_metrics->declare(service.name, check.name, fields, probe->passive(),
                               cfg.gracePeriodMs(service, check));
            m_history->declare(service.name, check.name, fields, probe->passive());
            if (probe->passive())
                m_signals.insert(pairKey(service.name, check.name), std::move(probe));
            else
                m_scheduler->add({service.name, check.name, check.intervalMs, check.jitterMs,
                                  std::move(probe), check.timeoutMs, check.fastIntervalMs,
                                  check.rise, check.fall});
        }
    }
    m_rules = std::make_unique<rules::RuleEngine>(
        cfg, [&scopes](const config::ServiceConfig &s) { return scopes.value(s.name); },
        diagnostics);
    for (const auto &[service, query] : m_rules->queries())
        m_metrics->require(service, query);
    // What rules judge is charted with their thresholds, as they evaluate it.
    for (const auto &compiled : m_rules->compiled())
        m_history->declareRule(compiled.service, *compiled.rule, compiled.comparisons);
    m_rules->setObserver(m_history.get());
    m_releases =
        std::make_unique<releases::ReleaseTracker>(cfg, m_store->releases(), *m_events, m_clock);
    m_releases->setOnChange([this](const QString &service) { publishService(service); });
    m_releases->setOnSwitch(
        [this](const QString &service, bool deployed) { releaseSwitched(service, deployed); });
    // What judged the releases live now starts from when they went live (a restart keeps a
    // grace period that had not ended), and remembers a rule that fired against them since.
    for (const auto &service : cfg.services) {
        const auto current = m_releases->current(service.name);
        if (!current)
            continue;
        if (current->state == ReleaseState::Live)
            m_metrics->releaseWentLive(service.name, current->deployedAtMs);
        const auto fired =
            m_store->firings().list({service.name}, current->deployedAtMs, m_clock.nowMs(), 0);
        if (!fired.isEmpty())
            m_firstFiring.insert(service.name,
                                 {fired.first().info.rule, fired.first().info.sinceMs});
    }

    orchestrator::Orchestrator::Parts parts;
    parts.config = m_config.get();
    parts.store = m_store.get();
    parts.events = m_events.get();
    parts.releases = m_releases.get();
    parts.metrics = m_metrics.get();
    parts.prober = m_prober.get();
    parts.clock = &m_clock;
    for (const auto &ex : cfg.executors) {
        auto executor = m_registries.executors.create(ex.type, ex.node,
                                                      QStringLiteral("executor '%1'").arg(ex.name),
                                                      diagnostics, ex.name, cfg);
        if (executor) {
            parts.executors.insert(ex.name, executor.get());
            m_executorByName.insert(ex.name, executor.get());
            m_executors.push_back(std::move(executor));
        }
    }
    for (const auto &service : cfg.services) {
        if (!service.strategy)
            continue;
        auto strategy = m_registries.strategies.create(
            service.strategy->type, service.strategy->node,
            QStringLiteral("strategy of service '%1'").arg(service.name), diagnostics,
            *service.strategy, service, cfg);
        if (strategy) {
            parts.strategies.insert(service.name, strategy.get());
            m_strategyByService.insert(service.name, strategy.get());
            m_strategies.push_back(std::move(strategy));
        }
    }
    m_orchestrator = std::make_unique<orchestrator::Orchestrator>(std::move(parts));

    if (diagnostics.hasErrors()) {
        // The loader validated all of this already; reaching here means a registry and the
        // loader disagree, which is a bug worth a loud message rather than a half-built daemon.
        return failure(diagnostics.format().trimmed());
    }
    connect(m_scheduler.get(), &monitor::Scheduler::sampleReady, this, &Daemon::onSample);
    connect(m_orchestrator.get(), &orchestrator::Orchestrator::rollbackFinished, this,
            [this](const protocol::RollbackInfo &rollback) { countRollback(rollback); });

    server::ApiService::Parts api;
    api.config = m_config.get();
    api.clock = &m_clock;
    api.store = m_store.get();
    api.accounts = m_accounts.get();
    api.audit = m_audit.get();
    api.events = m_events.get();
    api.orchestrator = m_orchestrator.get();
    api.releases = m_releases.get();
    api.rules = m_rules.get();
    api.history = m_history.get();
    api.runtime = this;
    m_api = std::make_unique<server::ApiService>(api);
    m_http = std::make_unique<api::HttpServer>();
    m_http->setLimits({cfg.server.maxConnections, cfg.server.requestTimeoutMs,
                       cfg.server.idleTimeoutMs, cfg.server.reservedDescriptors});
    api::registerRestRoutes(*m_http, *m_api);
    api::registerWebAppRoutes(*m_http, m_webRoot.isEmpty() ? cfg.server.webRoot : m_webRoot);
    m_ws = std::make_unique<api::WebSocketApi>(*m_http, *m_api, *m_events);
    if (!cfg.server.tlsCertificate.isEmpty()) {
        if (auto tls = setUpTls(); !tls)
            return tls;
    }
    const QHostAddress address(cfg.server.host);
    m_port = m_http->listen(address, cfg.server.port != 0 ? cfg.server.port : m_reusePort);
    if (m_port == 0)
        return failure(
            QStringLiteral("cannot listen on %1:%2").arg(cfg.server.host).arg(cfg.server.port));
    for (const auto &service : cfg.services)
        m_health.insert(service.name, Health::Unknown);
    // Plans a previous run left unfinished go on where the journal says they were.
    if (const int resumed = m_orchestrator->resume(); resumed > 0)
        log()->warn("{} unfinished rollback(s) resumed from the store", resumed);
    m_scheduler->start();
    m_tick.start();
    log()->info("rewindd started: {} service(s), {} check(s), {} rule(s); API on {}://{}:{}",
                cfg.services.size(), m_scheduler->size(), cfg.rules.size(),
                cfg.server.tlsCertificate.isEmpty() ? "http" : "https", cfg.server.host, m_port);
    return {};
}

Result<void> Daemon::setUpTls()
{
    const auto &server = m_config->server;
    const auto where = QStringLiteral("%1:%2:%3: error: ")
                           .arg(server.position.file)
                           .arg(server.position.line)
                           .arg(server.position.column);
    const auto read = [&](const QString &path, const char *what) -> Result<QByteArray> {
        QFile file(m_config->resolvePath(path));
        if (!file.open(QIODevice::ReadOnly))
            return failure(where +
                           QStringLiteral("cannot read the TLS %1 %2: %3")
                               .arg(QLatin1String(what), file.fileName(), file.errorString()));
        return file.readAll();
    };
    const auto certificatePem = read(server.tlsCertificate, "certificate");
    if (!certificatePem)
        return certificatePem.error();
    const auto keyPem = read(server.tlsKey, "key");
    if (!keyPem)
        return keyPem.error();
    const auto chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return failure(where + QStringLiteral("%1 holds no PEM certificate")
                                   .arg(m_config->resolvePath(server.tlsCertificate)));
    // RSA and EC keys are the ones TLS servers use; try both.
    QSslKey key(*keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(*keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return failure(where + QStringLiteral("%1 holds no unencrypted PEM RSA or EC private key")
                                   .arg(m_config->resolvePath(server.tlsKey)));
    // The whole chain goes out: intermediates the clients do not have come after the leaf.
    auto ssl = QSslConfiguration::defaultConfiguration();
    ssl.setLocalCertificateChain(chain);
    ssl.setPrivateKey(key);
    m_http->setTls(ssl);
    return {};
}

QList<api::RouteInfo> Daemon::routes() const
{
    return m_http ? m_http->routes() : QList<api::RouteInfo>{};
}

void Daemon::stop()
{
    m_tick.stop();
    if (m_scheduler)
        m_scheduler->stop();
    m_ws.reset();
    m_http.reset();
    m_api.reset();
    m_scheduler.reset();
    m_orchestrator.reset();
    m_strategyByService.clear();
    m_executorByName.clear();
    m_strategies.clear();
    m_executors.clear();
    m_prober.reset();
    if (m_httpClient) {
        delete m_httpClient;
        m_httpClient = nullptr;
    }
    m_releases.reset();
    m_rules.reset();
    m_history.reset();
    m_metrics.reset();
    m_audit.reset();
    m_accounts.reset();
    m_notify.reset();
    m_events.reset();
    m_store.reset();
    // What was derived from the configuration goes with it: a reload may drop services and
    // signal checks.
    m_signals.clear();
    m_health.clear();
    m_firingIds.clear();
    m_firstFiring.clear();
    m_checkErrors.clear();
}

void Daemon::onSample(const QString &service, const QString &check, const monitor::Sample &sample)
{
    const QString outcome = sample.checkError ? QStringLiteral("error")
                            : sample.ok       ? QStringLiteral("ok")
                                              : QStringLiteral("failed");
    ++m_checkRuns[pairKey(pairKey(service, check), outcome)];
    const auto use = m_metrics->append(service, check, sample);
    if (use == monitor::SampleUse::CheckError) {
        // Rewind's own trouble: shown and announced, never evidence about the service.
        noteCheckError(service, check, sample);
        return;
    }
    clearCheckError(service, check);
    m_history->append(service, check, sample);
    if (!sample.ok)
        log()->debug("{}/{} failed: {}", service, check, sample.error);
    if (use == monitor::SampleUse::Counted)
        apply(m_rules->onSample(service, check, m_metrics->view(service), sample.timeMs));
    m_orchestrator->onSample(service);
    updateHealth(service);
}

void Daemon::noteCheckError(const QString &service, const QString &check,
                            const monitor::Sample &sample)
{
    auto &problem = m_checkErrors[service][check];
    const bool first = problem.count == 0;
    ++problem.count;
    problem.error = sample.error;
    problem.lastMs = sample.timeMs;
    if (first) {
        problem.sinceMs = sample.timeMs;
        log()->error("Rewind cannot probe {}/{}: {} (not counted against the service)", service,
                     check, sample.error);
        m_events->publish(events::CheckError{service, check, sample.error, 1});
        publishService(service);
    }
}

void Daemon::clearCheckError(const QString &service, const QString &check)
{
    // On every sample: two lookups, no key built, and nothing at all for a service without
    // check errors.
    const auto ofService = m_checkErrors.find(service);
    if (ofService == m_checkErrors.end())
        return;
    const auto it = ofService->find(check);
    if (it == ofService->end())
        return;
    const qint64 count = it->count;
    ofService->erase(it);
    if (ofService->isEmpty())
        m_checkErrors.erase(ofService);
    log()->info("{}/{} can be probed again after {} check error(s)", service, check, count);
    m_events->publish(events::CheckRecovered{service, check, count});
    publishService(service);
}

void Daemon::securityAlert(const QString &kind, const QString &message, const QJsonObject &data)
{
    log()->warn("security alert ({}): {}", kind, message);
    m_events->publish(events::SecurityAlert{kind, message, data});
}

void Daemon::releaseSwitched(const QString &service, bool deployed)
{
    const qint64 now = m_clock.nowMs();
    if (deployed)
        m_metrics->releaseWentLive(service, now);
    else
        m_metrics->releaseRestored(service, now);
    m_firstFiring.remove(service);
    apply(m_rules->releaseChanged(service, deployed));
    updateHealth(service, true);
}

void Daemon::apply(const std::vector<rules::Transition> &transitions)
{
    for (const auto &t : transitions) {
        const auto key = pairKey(t.firing.rule, t.firing.service);
        if (t.kind == rules::Transition::Kind::Fired) {
            const qint64 id = m_store->firings().insert(t.firing);
            m_firingIds.insert(key, id);
            log()->warn("rule '{}' fired for {} ({}): {}", t.firing.rule, t.firing.service,
                        t.firing.severity, t.firing.expression);
            m_events->publish(events::RuleFired{t.firing, id});
            // Any firing keeps the live release from being verified; a rule that would roll it
            // back, or a critical one, finds it bad — also when it was verified already.
            if (!m_firstFiring.contains(t.firing.service))
                m_firstFiring.insert(t.firing.service, {t.firing.rule, t.firing.sinceMs});
            if (t.rule->action == u"rollback" || t.rule->severity == u"critical")
                m_releases->markFailed(t.firing.service);
            updateHealth(t.firing.service, true);
            m_orchestrator->onRuleFired(*t.rule, t.firing, id);
        } else {
            const qint64 id = m_firingIds.take(key);
            if (id > 0 && !m_store->firings().resolve(id, m_clock.nowMs()))
                log()->error("cannot record that rule '{}' resolved for {}: {}", t.firing.rule,
                             t.firing.service, m_store->writeError());
            if (t.reason.isEmpty())
                log()->info("rule '{}' resolved for {}", t.firing.rule, t.firing.service);
            else
                log()->info("rule '{}' resolved for {}: {}", t.firing.rule, t.firing.service,
                            t.reason);
            m_events->publish(events::RuleResolved{t.firing, id, t.reason});
            updateHealth(t.firing.service, true);
        }
    }
}

void Daemon::tick()
{
    const qint64 now = m_clock.nowMs();
    apply(m_rules->tick([this](const QString &service)
                            -> const rules::MetricSource & { return m_metrics->view(service); },
                        now));
    m_orchestrator->tick();
    m_notify->tick();
    pushMetricSteps(now);
    if (now - m_lastVerifyMs >= kVerifyEveryMs) {
        m_lastVerifyMs = now;
        m_releases->verifyDue(
            [this](const protocol::ReleaseInfo &release) { return verificationOf(release); });
        // Releases being verified: their progress goes out every few seconds.
        if (now - m_lastProgressMs >= kVerificationProgressMs) {
            m_lastProgressMs = now;
            for (const auto &service : m_config->services) {
                const auto current = m_releases->current(service.name);
                if (current && current->state == ReleaseState::Live && !current->verification.final)
                    publishService(service.name);
            }
        }
        closeRecoveredIncidents();
    }
}

void Daemon::pushMetricSteps(qint64 nowMs)
{
    m_history->advance(nowMs);
    const auto closed = m_history->lastClosedStepMs();
    if (!closed || *closed <= m_lastPushedStepMs)
        return;
    const qint64 step = m_history->stepMs();
    qint64 from = m_lastPushedStepMs < 0 ? *closed : m_lastPushedStepMs + step;
    from = std::max(from, *closed - (kMaxPushedSteps - 1) * step);
    for (qint64 t = from; t <= *closed; t += step)
        m_ws->pushMetrics(t);
    m_lastPushedStepMs = *closed;
}

void Daemon::closeRecoveredIncidents()
{
    for (const auto id : m_store->incidents().openIds()) {
        const auto incident = m_store->incidents().find(id);
        if (!incident)
            continue;
        bool recovered = true;
        for (const auto &service : incident->services)
            recovered = recovered && !m_orchestrator->isRollingBack(service) &&
                        (!m_config->service(service) || healthOf(service) == Health::Healthy);
        if (!recovered)
            continue;
        const qint64 now = m_clock.nowMs();
        // Closed only once that is on record; otherwise the next round tries again.
        if (!m_store->incidents().addNote(id,
                                          {now, QStringLiteral("rewind"), QStringLiteral("closed"),
                                           QStringLiteral("every service of the incident is "
                                                          "healthy again")}) ||
            !m_store->incidents().close(id, now)) {
            log()->error("cannot close incident #{}: {}", id, m_store->writeError());
            continue;
        }
        log()->info("incident #{} closed: its services are healthy again", id);
        m_events->publish(events::IncidentUpdated{id, QStringLiteral("closed"), std::nullopt,
                                                  QStringLiteral("closed"), incident->services});
    }
}

protocol::VerificationInfo Daemon::verificationOf(const protocol::ReleaseInfo &release) const
{
    const auto *service = m_config->service(release.service);
    if (!service)
        return {};
    releases::VerificationInput in;
    in.releaseId = release.id;
    in.nowMs = m_clock.nowMs();
    in.policy.verifyAfterMs = m_config->verifyAfterMs(*service);
    in.policy.errorBudget = m_config->errorBudget(*service);
    in.policy.minSamples = m_config->minSamples(*service);
    in.liveSinceMs = release.deployedAtMs;
    for (const auto &check : service->checks) {
        const auto tally = m_metrics->tally(service->name, check.name);
        releases::CheckEvidence e;
        e.check = check.name;
        e.intervalMs = check.intervalMs;
        e.passive = m_signals.contains(pairKey(service->name, check.name));
        e.countFromMs = std::max(tally.countFromMs, release.deployedAtMs);
        e.ok = tally.ok;
        e.failed = tally.failed;
        e.inGrace = tally.inGrace;
        e.checkErrors = tally.checkErrors;
        e.lastFailure = tally.lastFailure;
        e.lastCheckError = tally.lastCheckError;
        in.checks.append(e);
    }
    if (const auto it = m_firstFiring.constFind(service->name); it != m_firstFiring.cend()) {
        in.firedRule = it->first;
        in.firedAtMs = it->second;
    }
    return releases::judge(in);
}

Health Daemon::healthOf(const QString &service) const
{
    if (!m_rules->activeFirings(service).isEmpty())
        return Health::Failing;
    return m_metrics->checkHealth(service);
}

void Daemon::updateHealth(const QString &service, bool force)
{
    const auto now = healthOf(service);
    const auto before = m_health.value(service, Health::Unknown);
    if (now != before) {
        m_health.insert(service, now);
        log()->info("{} is {} (was {})", service, wireName(now), wireName(before));
        m_events->publish(events::HealthChanged{service, now, before});
    }
    if (now != before || force)
        publishService(service);
}

void Daemon::publishService(const QString &service)
{
    if (const auto *config = m_config->service(service))
        m_events->publish(events::ServiceUpdated{statusOf(*config)});
}

protocol::ServiceStatus Daemon::statusOf(const config::ServiceConfig &service) const
{
    protocol::ServiceStatus s;
    s.name = service.name;
    s.environment = service.environment;
    s.kind = service.kind;
    s.dependsOn = service.dependsOn;
    s.health = m_health.value(service.name, Health::Unknown);
    s.strategy = service.strategy ? service.strategy->type : QString();
    s.current = m_releases->current(service.name);
    if (s.current && s.current->state == ReleaseState::Live && !s.current->verification.final)
        s.current->verification = verificationOf(*s.current);
    s.lastGood = m_releases->lastGood(service.name);
    const auto errors = m_checkErrors.value(service.name);
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        s.checkErrors.append({it.key(), it->error, it->sinceMs, it->count});
    s.firings = m_rules->activeFirings(service.name);
    for (const auto &[rule, phase] : m_rules->phases(service.name))
        s.rules.append({rule, rules::phaseName(phase)});
    return s;
}

QList<protocol::ServiceStatus> Daemon::allServices() const
{
    QList<protocol::ServiceStatus> out;
    for (const auto &service : m_config->services)
        out.append(statusOf(service));
    return out;
}

Result<protocol::ReleaseInfo> Daemon::recordRelease(const releases::DeploymentRequest &request)
{
    if (m_config->service(request.service)) {
        if (const auto freeze = m_orchestrator->freezeOf(request.service)) {
            if (request.freezeOverride.trimmed().isEmpty())
                return Error{QStringLiteral("deployment_frozen"),
                             QStringLiteral("deployments of %1 are frozen%2: %3; record it with "
                                            "override_freeze and a reason to deploy anyway")
                                 .arg(request.service,
                                      freeze->untilMs > 0
                                          ? QStringLiteral(" until %1")
                                                .arg(protocol::isoTime(freeze->untilMs))
                                          : QString(),
                                      freeze->reason)};
            // Audited: the override is kept with the release, logged and published.
            log()->warn("freeze of {} overridden by '{}': {}", request.service, request.deployedBy,
                        request.freezeOverride);
            m_events->publish(events::FreezeOverridden{request.service, request.version,
                                                       request.deployedBy, request.freezeOverride,
                                                       *freeze});
        }
    }
    auto normalized = request;
    if (!m_orchestrator->freezeOf(request.service))
        normalized.freezeOverride.clear();
    // A release replaced while it was being verified keeps the verdict it had earned so far.
    if (const auto previous = m_releases->current(request.service);
        previous && previous->state == ReleaseState::Live && !previous->verification.final &&
        m_config->service(request.service) &&
        !m_store->releases().setVerification(previous->id, verificationOf(*previous),
                                             m_clock.nowMs()))
        log()->error("cannot keep the verification of release #{} ({} {}): {}", previous->id,
                     previous->service, previous->version, m_store->writeError());
    auto result = m_releases->record(normalized);
    // The windows and rules started over for the new release when the tracker switched it.
    if (result)
        snapshotOnDeploy(*result);
    return result;
}

void Daemon::snapshotOnDeploy(const protocol::ReleaseInfo &release)
{
    const auto *service = m_config->service(release.service);
    auto *strategy = service && service->strategy ? dynamic_cast<orchestrator::DatabaseStrategy *>(
                                                        m_strategyByService.value(release.service))
                                                  : nullptr;
    if (!strategy || !strategy->options().snapshotOnDeploy)
        return;
    auto *executor = m_executorByName.value(strategy->options().executor);
    if (!executor)
        return;
    const QString name = QStringLiteral("%1-deploy-%2").arg(release.service).arg(release.id);
    auto params = strategy->integrityParams();
    params.insert(QStringLiteral("vars"), QJsonObject{{"snapshot", name},
                                                      {"service", release.service},
                                                      {"version", release.version}});
    params.insert(QStringLiteral("reason"),
                  QStringLiteral("when %1 %2 was recorded").arg(release.service, release.version));
    // The executor belongs to this configuration: a reload destroys it, and its answer with it.
    QPointer<Daemon> self(this);
    executor->execute(
        QStringLiteral("snapshot"), params,
        [self, release, name](const executors::ActionResult &r) {
            if (!self || !self->m_store)
                return;
            if (!r.ok) {
                log()->error("snapshot before {} {} failed: {}", release.service, release.version,
                             r.message);
                return;
            }
            protocol::SnapshotInfo s;
            s.name = name;
            s.service = release.service;
            s.executor = r.data.value(QLatin1String("executor")).toString();
            s.reason = QStringLiteral("deploy of %1 %2").arg(release.service, release.version);
            s.path = r.data.value(QLatin1String("path")).toString();
            s.sizeBytes = r.data.value(QLatin1String("size_bytes")).toInteger();
            s.sha256 = r.data.value(QLatin1String("sha256")).toString();
            s.tables = r.data.value(QLatin1String("tables")).toObject();
            s.releaseId = release.id;
            s.createdAtMs = self->m_clock.nowMs();
            if (self->m_store->snapshots().find(name))
                return;
            s.id = self->m_store->snapshots().insert(s);
            for (const auto &p : r.data.value(QLatin1String("pruned")).toArray()) {
                if (const auto old = self->m_store->snapshots().find(p.toString());
                    old && !self->m_store->snapshots().markPruned(old->id, s.createdAtMs))
                    log()->error("cannot mark snapshot {} pruned: {}", old->name,
                                 self->m_store->writeError());
            }
            log()->info("{}", r.message);
            self->m_events->publish(events::SnapshotTaken{s});
        });
}

Result<qint64> Daemon::feedSignal(const QString &service, const QString &check,
                                  const QJsonObject &signal)
{
    if (!m_config->service(service))
        return Error{QStringLiteral("unknown_service"),
                     QStringLiteral("no service named '%1' is configured").arg(service)};
    const auto it = m_signals.constFind(pairKey(service, check));
    if (it == m_signals.cend())
        return Error{
            QStringLiteral("unknown_check"),
            QStringLiteral("service '%1' has no signal check named '%2'").arg(service, check)};
    const qint64 now = m_clock.nowMs();
    auto sample = static_cast<const monitor::SignalCheck &>(**it).sampleFrom(signal, now);
    if (!sample)
        return sample.error();
    onSample(service, check, *sample);
    return now;
}

} // namespace rwd::daemon
