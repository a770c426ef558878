// Who may do what, through the real API of an in-process rewindd with a manual clock: every
// route refuses callers without a valid token; a matrix of users and roles against every route;
// the production approval workflow (distinct approvers, no self-approval, rejection, expiry,
// auto-approval of rule-triggered rollbacks by severity); sessions that expire; rate-limited
// sign-in; the WebSocket stream's authentication and per-environment filtering; the audit chain
// caught when a row is changed; HTTPS; and no secret in any response, event or log line.
#include "api/httpserver.h"
#include "api/websocketapi.h"
#include "common/audit.h"
#include "common/clock.h"
#include "common/protocol.h"
#include "daemonfixture.h"
#include "events/eventhub.h"
#include "logging/logging.h"
#include "processes.h"
#include "selfsigned.h"
#include "wsclient.h"

#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSslConfiguration>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>
#include <spdlog/sinks/base_sink.h>

using namespace rwd;
using testing::WsClient;

namespace {

// Every log line of the daemon, kept for the secrets check.
class LogCollector final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    QByteArray text() const
    {
        std::lock_guard lock(m_textMutex);
        return m_text;
    }

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override
    {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        std::lock_guard lock(m_textMutex);
        m_text.append(formatted.data(), qsizetype(formatted.size()));
    }
    void flush_() override {}

private:
    mutable std::mutex m_textMutex;
    QByteArray m_text;
};

struct Reply
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;
};

// One row of the role matrix: `user` calls METHOD `path` (its placeholders filled in from the
// fixtures) and must get `status`. `pattern` is the route the row exercises.
struct MatrixRow
{
    const char *user;
    const char *method;
    const char *pattern;
    const char *path;
    const char *body;
    int status;
};

// %R: a production rollback awaiting approval; %I: its incident; %T: a token of vera's.
const std::vector<MatrixRow> kMatrix{
    {"nobody", "GET", "/api/v1/me", "/api/v1/me", "", 200},
    {"vera", "POST", "/api/v1/logout", "/api/v1/logout", "", 400}, // an API token is no session
    {"vera", "GET", "/api/v1/status", "/api/v1/status", "", 200},
    {"nobody", "GET", "/api/v1/status", "/api/v1/status", "", 403},
    {"otto", "POST", "/api/v1/deployments", "/api/v1/deployments",
     R"({"service": "web", "version": "m1"})", 201},
    {"stan", "POST", "/api/v1/deployments", "/api/v1/deployments",
     R"({"service": "pay", "version": "m1"})", 403},
    {"vera", "POST", "/api/v1/deployments", "/api/v1/deployments",
     R"({"service": "web", "version": "m2"})", 403},
    {"april", "POST", "/api/v1/deployments", "/api/v1/deployments",
     R"({"service": "pay", "version": "m1"})", 403},
    {"vera", "GET", "/api/v1/releases", "/api/v1/releases?service=pay", "", 200},
    {"nobody", "GET", "/api/v1/releases", "/api/v1/releases", "", 403},
    {"vera", "GET", "/api/v1/services/{name}/metrics", "/api/v1/services/pay/metrics", "", 200},
    {"stan", "GET", "/api/v1/services/{name}/metrics", "/api/v1/services/pay/metrics", "", 404},
    {"nobody", "GET", "/api/v1/services/{name}/metrics", "/api/v1/services/web/metrics", "", 403},
    {"vera", "GET", "/api/v1/rollbacks", "/api/v1/rollbacks", "", 200},
    {"nobody", "GET", "/api/v1/rollbacks", "/api/v1/rollbacks", "", 403},
    {"vera", "GET", "/api/v1/rollbacks/{id}", "/api/v1/rollbacks/%R", "", 200},
    {"stan", "GET", "/api/v1/rollbacks/{id}", "/api/v1/rollbacks/%R", "", 404},
    {"otto", "POST", "/api/v1/rollbacks", "/api/v1/rollbacks",
     R"({"services": ["web"], "versions": {"web": "v1"}, "reason": "m", "dry_run": true})", 200},
    // A dry run only reads: a viewer may see the plan, not run it.
    {"vera", "POST", "/api/v1/rollbacks", "/api/v1/rollbacks",
     R"({"services": ["web"], "versions": {"web": "v1"}, "reason": "m", "dry_run": true})", 200},
    {"vera", "POST", "/api/v1/rollbacks", "/api/v1/rollbacks",
     R"({"services": ["web"], "versions": {"web": "v1"}, "reason": "m"})", 403},
    {"stan", "POST", "/api/v1/rollbacks", "/api/v1/rollbacks",
     R"({"services": ["pay"], "versions": {"pay": "v1"}, "reason": "m", "dry_run": true})", 403},
    {"otto", "POST", "/api/v1/rollbacks/{id}/approve", "/api/v1/rollbacks/%R/approve", "{}", 403},
    {"vera", "POST", "/api/v1/rollbacks/{id}/approve", "/api/v1/rollbacks/%R/approve", "{}", 403},
    {"stan", "POST", "/api/v1/rollbacks/{id}/approve", "/api/v1/rollbacks/%R/approve", "{}", 404},
    {"vera", "POST", "/api/v1/rollbacks/{id}/reject", "/api/v1/rollbacks/%R/reject", "{}", 403},
    {"otto", "POST", "/api/v1/rollbacks/{id}/reject", "/api/v1/rollbacks/%R/reject", "{}", 403},
    {"vera", "POST", "/api/v1/rollbacks/{id}/abort", "/api/v1/rollbacks/%R/abort", "{}", 403},
    {"stan", "POST", "/api/v1/rollbacks/{id}/abort", "/api/v1/rollbacks/%R/abort", "{}", 404},
    {"otto", "POST", "/api/v1/signals", "/api/v1/signals",
     R"({"service": "web", "check": "probe", "fields": {"bad": 0}})", 202},
    {"vera", "POST", "/api/v1/signals", "/api/v1/signals",
     R"({"service": "web", "check": "probe", "fields": {"bad": 0}})", 403},
    {"vera", "GET", "/api/v1/snapshots", "/api/v1/snapshots", "", 200},
    {"nobody", "GET", "/api/v1/snapshots", "/api/v1/snapshots", "", 403},
    {"vera", "GET", "/api/v1/freezes", "/api/v1/freezes", "", 200},
    {"nobody", "GET", "/api/v1/freezes", "/api/v1/freezes", "", 403},
    {"vera", "GET", "/api/v1/incidents", "/api/v1/incidents", "", 200},
    {"nobody", "GET", "/api/v1/incidents", "/api/v1/incidents", "", 403},
    {"vera", "GET", "/api/v1/incidents/{id}", "/api/v1/incidents/%I", "", 200},
    {"stan", "GET", "/api/v1/incidents/{id}", "/api/v1/incidents/%I", "", 404},
    {"otto", "POST", "/api/v1/incidents/{id}/notes", "/api/v1/incidents/%I/notes",
     R"({"text": "looking into it"})", 201},
    {"vera", "POST", "/api/v1/incidents/{id}/notes", "/api/v1/incidents/%I/notes",
     R"({"text": "me too"})", 403},
    {"vera", "GET", "/api/v1/incidents/{id}/report", "/api/v1/incidents/%I/report", "", 200},
    {"stan", "GET", "/api/v1/incidents/{id}/report", "/api/v1/incidents/%I/report", "", 404},
    {"vera", "GET", "/api/v1/incidents/{id}/report", "/api/v1/incidents/%I/report?format=json", "",
     200},
    {"stan", "GET", "/api/v1/incidents/{id}/report", "/api/v1/incidents/%I/report?format=json", "",
     404},
    // The daemon runs in this test's process, which has no QGuiApplication: it cannot draw.
    {"vera", "GET", "/api/v1/incidents/{id}/report", "/api/v1/incidents/%I/report?format=pdf", "",
     501},
    {"vera", "GET", "/api/v1/incidents/{id}/report", "/api/v1/incidents/%I/report?format=doc", "",
     400},
    {"vera", "GET", "/api/v1/deliveries", "/api/v1/deliveries", "", 200},
    {"nobody", "GET", "/api/v1/deliveries", "/api/v1/deliveries", "", 403},
    {"root", "GET", "/api/v1/audit", "/api/v1/audit", "", 200},
    {"otto", "GET", "/api/v1/audit", "/api/v1/audit", "", 403},
    {"root", "GET", "/api/v1/users", "/api/v1/users", "", 200},
    {"otto", "GET", "/api/v1/users", "/api/v1/users", "", 403},
    {"root", "POST", "/api/v1/users", "/api/v1/users",
     R"({"name": "newbie", "roles": {"staging": ["viewer"]}})", 201},
    {"otto", "POST", "/api/v1/users", "/api/v1/users",
     R"({"name": "sneaky", "roles": {"*": ["admin"]}})", 403},
    {"otto", "GET", "/api/v1/users/{name}/tokens", "/api/v1/users/otto/tokens", "", 200},
    {"nobody", "GET", "/api/v1/users/{name}/tokens", "/api/v1/users/nobody/tokens", "", 200},
    {"otto", "GET", "/api/v1/users/{name}/tokens", "/api/v1/users/vera/tokens", "", 403},
    {"otto", "POST", "/api/v1/users/{name}/tokens", "/api/v1/users/vera/tokens", "{}", 403},
    {"otto", "POST", "/api/v1/users/{name}/tokens", "/api/v1/users/otto/tokens",
     R"({"name": "laptop"})", 201},
    {"otto", "DELETE", "/api/v1/tokens/{id}", "/api/v1/tokens/%T", "", 404},
    {"root", "DELETE", "/api/v1/tokens/{id}", "/api/v1/tokens/%T", "", 200},
};

const QStringList kUsers{QStringLiteral("root"), QStringLiteral("vera"),  QStringLiteral("otto"),
                         QStringLiteral("stan"), QStringLiteral("april"), QStringLiteral("abe"),
                         QStringLiteral("pia"),  QStringLiteral("nobody")};
const QStringList kProduction{QStringLiteral("pay"),   QStringLiteral("ledger"),
                              QStringLiteral("vault"), QStringLiteral("orders"),
                              QStringLiteral("cards"), QStringLiteral("matrix")};

QString envName(const QString &user)
{
    return QStringLiteral("TST_ACCESS_%1_TOKEN").arg(user.toUpper());
}

} // namespace

class TestAccess : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock{1'800'000'000'000};
    testing::DaemonFixture m_daemon{m_clock};
    QHash<QString, QString> m_tokens; // user -> API token from the configuration
    const QString m_louPassword = QStringLiteral("correct horse battery staple");
    const QString m_slackSecret = QStringLiteral("T0SECRET/B0SECRET/hook-path-secret-4711");
    QHttpServer m_slack; // a local stand-in for Slack's incoming-webhook endpoint
    QList<QJsonObject> m_slackMessages;
    std::shared_ptr<LogCollector> m_log = std::make_shared<LogCollector>();
    QByteArray m_seen; // every response body and WS message the test received (secrets check)
    QStringList m_secretsShownOnce; // session and new tokens: in their own reply, nowhere else
    qint64 m_matrixRollback = 0;
    qint64 m_matrixIncident = 0;
    qint64 m_veraTokenId = 0;

    QUrl base() const { return m_daemon.url(); }
    QUrl ws() const { return m_daemon.wsUrl(); }

    // A request as `token` (none if empty). `remember`: keep the reply for the secrets check.
    Reply call(const QByteArray &method, const QString &path, const QString &token,
               const QByteArray &body = {}, bool remember = true)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(base().toString() + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        auto *reply = network.sendCustomRequest(request, method, body);
        drill::waitUntil([reply] { return reply->isFinished(); }, 20'000);
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.json = QJsonDocument::fromJson(out.body).object();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            out.headers.insert(name.toLower(), value);
        reply->deleteLater();
        if (remember)
            m_seen += out.body + '\n';
        return out;
    }
    Reply as(const QString &user, const QByteArray &method, const QString &path,
             const QJsonObject &body = {})
    {
        return call(method, path, m_tokens.value(user),
                    body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
    }
    QJsonObject rollbackOf(qint64 id)
    {
        return as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/rollbacks/%1").arg(id))
            .json;
    }
    QString stateOf(qint64 id) { return rollbackOf(id).value(QLatin1String("state")).toString(); }
    // rewindctl as root against this daemon.
    QPair<int, QString> ctl(const QStringList &args)
    {
        const auto run = m_daemon.ctl(m_tokens.value(QStringLiteral("root")), args);
        return {run.exitCode, run.out + run.err};
    }
    // Records `version` of `service` as root.
    void deploy(const QString &service, const QString &version)
    {
        const auto r = as(QStringLiteral("root"), "POST", QStringLiteral("/api/v1/deployments"),
                          {{"service", service}, {"version", version}});
        QVERIFY2(r.status == 201, r.body.constData());
    }
    void signal(const QString &service, int bad)
    {
        const auto r =
            as(QStringLiteral("root"), "POST", QStringLiteral("/api/v1/signals"),
               {{"service", service}, {"check", "probe"}, {"fields", QJsonObject{{"bad", bad}}}});
        QVERIFY2(r.status == 202, r.body.constData());
    }
    QString releaseState(const QString &service, const QString &version)
    {
        const auto list = as(QStringLiteral("root"), "GET",
                             QStringLiteral("/api/v1/releases?service=%1").arg(service))
                              .json.value(QLatin1String("releases"))
                              .toArray();
        for (const auto &v : list) {
            if (v.toObject().value(QLatin1String("version")).toString() == version)
                return v.toObject().value(QLatin1String("state")).toString();
        }
        return {};
    }
    // A rollback of `service` back to v1, requested by `user`.
    Reply requestRollback(const QString &user, const QString &service)
    {
        return as(user, "POST", QStringLiteral("/api/v1/rollbacks"),
                  {{"services", QJsonArray{service}},
                   {"versions", QJsonObject{{service, "v1"}}},
                   {"reason", "access test"}});
    }

    QString config() const
    {
        QString users = QStringLiteral("users:\n");
        const QHash<QString, QString> roles{
            {QStringLiteral("root"), QStringLiteral(R"({"*": [admin]})")},
            {QStringLiteral("vera"), QStringLiteral("{staging: [viewer], production: [viewer]}")},
            {QStringLiteral("otto"),
             QStringLiteral("{staging: [operator], production: [operator]}")},
            {QStringLiteral("stan"), QStringLiteral("{staging: [operator]}")},
            {QStringLiteral("april"), QStringLiteral("{production: [approver]}")},
            {QStringLiteral("abe"), QStringLiteral("{production: [approver]}")},
            {QStringLiteral("pia"), QStringLiteral("{production: [operator, approver]}")},
            {QStringLiteral("nobody"), QStringLiteral("{}")},
        };
        for (const auto &u : kUsers)
            users += QStringLiteral("  - {name: %1, roles: %2, tokens: {main: \"env:%3\"}}\n")
                         .arg(u, roles.value(u), envName(u));
        users += QStringLiteral("  - {name: lou, roles: {staging: [viewer]}, password: "
                                "\"env:TST_ACCESS_LOU_PASSWORD\"}\n");
        QString services;
        const auto service = [&](const QString &name, const QString &env) {
            services += QStringLiteral("  - name: %1\n    environment: %2\n"
                                       "    checks: [{name: probe, type: signal, fields: {bad: "
                                       "gauge}}]\n"
                                       "    strategy: {type: redeploy, executor: deployer}\n")
                            .arg(name, env);
        };
        service(QStringLiteral("web"), QStringLiteral("staging"));
        for (const auto &name : kProduction)
            service(name, QStringLiteral("production"));
        return QStringLiteral(
                   "server: {listen: \"127.0.0.1:0\", store: \"sqlite:access.db\"}\n"
                   "auth: {pbkdf2_iterations: 1000, session_ttl: 1h, max_failed_logins: 3, "
                   "lockout: 5m}\n"
                   "environments:\n"
                   "  staging: {verify_after: 1s}\n"
                   "  production:\n    verify_after: 1s\n"
                   "    approval: {required: true, approvals: 2, expires: 30m, auto_approve: "
                   "[critical]}\n"
                   "services:\n") +
               services +
               QStringLiteral(
                   "executors:\n  deployer: {type: command, actions: {redeploy: {argv: "
                   "[\"true\"]}}}\n"
                   "rules:\n"
                   "  - {name: orders-bad, services: [orders], when: \"value(probe.bad) >= 1\", "
                   "severity: warning, action: rollback}\n"
                   "  - {name: cards-down, services: [cards], when: \"value(probe.bad) >= 1\", "
                   "severity: critical, action: rollback}\n"
                   "notifications:\n"
                   "  - {name: approvals, type: slack, url: \"env:TST_ACCESS_SLACK_URL\", events: "
                   "[approval_requested]}\n") +
               users;
    }

private slots:
    void initTestCase()
    {
        logging::addSink(m_log);
        logging::setLevel(QStringLiteral("debug"));
        m_slack.route(QStringLiteral("/services/<arg>/<arg>/<arg>"),
                      [this](const QString &, const QString &, const QString &,
                             const QHttpServerRequest &request) {
                          m_slackMessages.append(QJsonDocument::fromJson(request.body()).object());
                          return QStringLiteral("ok");
                      });
        const auto slackPort = m_slack.listen(QHostAddress::LocalHost, 0);
        QVERIFY(slackPort > 0);
        qputenv("TST_ACCESS_SLACK_URL", QStringLiteral("http://127.0.0.1:%1/services/%2")
                                            .arg(slackPort)
                                            .arg(m_slackSecret)
                                            .toUtf8());
        qputenv("TST_ACCESS_LOU_PASSWORD", m_louPassword.toUtf8());
        for (const auto &u : kUsers) {
            m_tokens.insert(u, drill::randomToken());
            qputenv(envName(u).toUtf8().constData(), m_tokens.value(u).toUtf8());
        }
        const auto started = m_daemon.start(config());
        QVERIFY2(started, qPrintable(testing::why(started)));

        // Every service at v1 then v2; orders and cards verified on v1 first, so that their
        // rules have something to roll back to.
        for (const auto &s : QStringList{QStringLiteral("web")} + kProduction)
            deploy(s, QStringLiteral("v1"));
        for (const auto *s : {"orders", "cards"})
            signal(QLatin1String(s), 0);
        m_clock.advance(1'500);
        QVERIFY(drill::waitUntil(
            [&] {
                return releaseState(QStringLiteral("orders"), QStringLiteral("v1")) ==
                           u"verified" &&
                       releaseState(QStringLiteral("cards"), QStringLiteral("v1")) == u"verified";
            },
            20'000));
        for (const auto &s : QStringList{QStringLiteral("web")} + kProduction)
            deploy(s, QStringLiteral("v2"));

        // Fixtures of the role matrix.
        const auto waiting = requestRollback(QStringLiteral("otto"), QStringLiteral("matrix"));
        QCOMPARE(waiting.status, 201);
        m_matrixRollback = waiting.json.value(QLatin1String("id")).toInteger();
        m_matrixIncident = waiting.json.value(QLatin1String("incident_id")).toInteger();
        QVERIFY(m_matrixRollback > 0 && m_matrixIncident > 0);
        const auto token =
            call("POST", QStringLiteral("/api/v1/users/vera/tokens"),
                 m_tokens.value(QStringLiteral("root")), R"({"name": "spare"})", false);
        QCOMPARE(token.status, 201);
        m_veraTokenId = token.json.value(QLatin1String("id")).toInteger();
        m_secretsShownOnce.append(token.json.value(QLatin1String("token")).toString());
    }

    void cleanupTestCase() { m_daemon.stop(); }

    void publicRoutesAnswerWithoutAToken()
    {
        QCOMPARE(call("GET", QStringLiteral("/healthz"), {}).status, 200);
        const auto metrics = call("GET", QStringLiteral("/metrics"), {});
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("rewind_rollbacks_total"));
        QVERIFY(metrics.body.contains("rewind_websocket_clients"));
        const auto login = call("POST", QStringLiteral("/api/v1/login"), {}, "{}");
        QCOMPARE(login.status, 400); // no credentials given: a bad request, not a 401
        // Prometheus' own linter accepts the exposition.
        QProcess promtool;
        promtool.start(QStringLiteral("promtool"),
                       {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(promtool.waitForStarted());
        promtool.write(metrics.body);
        promtool.closeWriteChannel();
        QVERIFY(drill::waitUntil([&] { return promtool.state() == QProcess::NotRunning; }, 30'000));
        QVERIFY2(promtool.exitCode() == 0, promtool.readAll().constData());
        for (const auto *family :
             {"rewind_rollbacks_total", "rewind_rollback_duration_seconds_bucket",
              "rewind_checks_total", "rewind_fast_probes_total", "rewind_rule_evaluations_total",
              "rewind_websocket_clients", "rewind_notification_deliveries"})
            QVERIFY2(metrics.body.contains(family), family);
    }

    // Every route that is not public, with no token, with a malformed one and with an unknown
    // one: 401 with WWW-Authenticate, and nothing done.
    void everyOtherRouteRefusesMissingOrBadTokens()
    {
        const auto before =
            as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/audit?limit=10000"))
                .json.value(QLatin1String("entries"))
                .toArray()
                .size();
        int checked = 0;
        for (const auto &route : m_daemon->routes()) {
            if (route.isPublic)
                continue;
            QString path = route.pattern;
            path.replace(QStringLiteral("{id}"), QString::number(m_matrixRollback));
            path.replace(QStringLiteral("{name}"), QStringLiteral("root"));
            for (const auto &token : {QString(), QStringLiteral("not-a-token"),
                                      QStringLiteral("rwd_0123456789abcdef0123456789abcdef")}) {
                const auto r = call(route.method, path, token, "{}");
                const auto what = QStringLiteral("%1 %2 with token '%3': %4 %5")
                                      .arg(QString::fromLatin1(route.method), path, token)
                                      .arg(r.status)
                                      .arg(QString::fromUtf8(r.body));
                QVERIFY2(r.status == 401, qPrintable(what));
                QVERIFY2(r.header("WWW-Authenticate") == "Bearer", qPrintable(what));
                QVERIFY2(QStringList(
                             {QStringLiteral("unauthenticated"), QStringLiteral("invalid_token")})
                             .contains(r.json.value(QLatin1String("code")).toString()),
                         qPrintable(what));
            }
            ++checked;
        }
        QVERIFY(checked >= 20);
        QCOMPARE(stateOf(m_matrixRollback), QStringLiteral("awaiting_approval"));
        // Refused calls change nothing (the audit log only grew by root's own reads: none).
        QCOMPARE(as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/audit?limit=10000"))
                     .json.value(QLatin1String("entries"))
                     .toArray()
                     .size(),
                 before);
    }

    // The matrix names every authenticated route at least once.
    void theRoleMatrixCoversEveryRoute()
    {
        QSet<QString> covered;
        for (const auto &row : kMatrix)
            covered.insert(QLatin1String(row.method) + u' ' + QLatin1String(row.pattern));
        QSet<QString> routes;
        for (const auto &route : m_daemon->routes()) {
            if (!route.isPublic)
                routes.insert(QString::fromLatin1(route.method) + u' ' + route.pattern);
        }
        QCOMPARE(routes - covered, QSet<QString>{});
        QCOMPARE(covered - routes, QSet<QString>{});
    }

    void roleMatrix_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        for (const auto &row : kMatrix) {
            QString path = QLatin1String(row.path);
            path.replace(QStringLiteral("%R"), QString::number(m_matrixRollback));
            path.replace(QStringLiteral("%I"), QString::number(m_matrixIncident));
            path.replace(QStringLiteral("%T"), QString::number(m_veraTokenId));
            QTest::addRow("%s %s %s", row.user, row.method, row.path)
                << QString::fromLatin1(row.user) << QByteArray(row.method) << path
                << QByteArray(row.body) << row.status;
        }
    }
    void roleMatrix()
    {
        QFETCH(QString, user);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        // Replies that create tokens show them once: keep them out of the secrets check's
        // "seen" text, and make sure they appear nowhere else.
        const bool createsToken = path.endsWith(QLatin1String("/tokens")) && method == "POST";
        const auto r = call(method, path, m_tokens.value(user), body, !createsToken);
        QVERIFY2(r.status == status,
                 qPrintable(QStringLiteral("%1: %2").arg(r.status).arg(QString::fromUtf8(r.body))));
        if (status >= 400) {
            QVERIFY(!r.json.value(QLatin1String("code")).toString().isEmpty());
            QVERIFY(!r.json.value(QLatin1String("message")).toString().isEmpty());
        }
        if (createsToken && status == 201)
            m_secretsShownOnce.append(r.json.value(QLatin1String("token")).toString());
    }

    // What a user sees is filtered to their environments.
    void readsShowOnlyTheCallersEnvironments()
    {
        const auto names = [](const Reply &r) {
            QStringList out;
            for (const auto &s : r.json.value(QLatin1String("services")).toArray())
                out.append(s.toObject().value(QLatin1String("name")).toString());
            return out;
        };
        QCOMPARE(names(as(QStringLiteral("stan"), "GET", QStringLiteral("/api/v1/status"))),
                 QStringList{QStringLiteral("web")});
        QCOMPARE(names(as(QStringLiteral("april"), "GET", QStringLiteral("/api/v1/status"))),
                 kProduction);
        const auto rollbacks =
            as(QStringLiteral("stan"), "GET", QStringLiteral("/api/v1/rollbacks"))
                .json.value(QLatin1String("rollbacks"))
                .toArray();
        for (const auto &r : rollbacks)
            QVERIFY(protocol::RollbackInfo::fromJson(r.toObject()).services() ==
                    QStringList{QStringLiteral("web")});
        QCOMPARE(as(QStringLiteral("stan"), "GET", QStringLiteral("/api/v1/releases?service=pay"))
                     .json.value(QLatin1String("releases"))
                     .toArray()
                     .size(),
                 0);
    }

    // A production rollback waits for two approvers other than the requester; everyone who may
    // see it learns of it live, and the approvals channel is notified.
    void productionRollbackNeedsTwoOtherApprovers()
    {
        WsClient april(ws(), m_tokens.value(QStringLiteral("april")));
        WsClient stan(ws(), m_tokens.value(QStringLiteral("stan")));
        QVERIFY(drill::waitUntil(
            [&] {
                return april.has(QStringLiteral("snapshot")) &&
                       stan.has(QStringLiteral("snapshot"));
            },
            10'000));
        // The dry run says what the request will wait for.
        const auto dry = as(QStringLiteral("pia"), "POST", QStringLiteral("/api/v1/rollbacks"),
                            {{"services", QJsonArray{"pay"}},
                             {"versions", QJsonObject{{"pay", "v1"}}},
                             {"reason", "access test"},
                             {"dry_run", true}});
        QCOMPARE(dry.status, 200);
        QCOMPARE(protocol::RollbackInfo::fromJson(dry.json).approvalsNeeded, 2);
        const auto requested = requestRollback(QStringLiteral("pia"), QStringLiteral("pay"));
        QCOMPARE(requested.status, 201);
        const auto info = protocol::RollbackInfo::fromJson(requested.json);
        QCOMPARE(info.state, PlanState::AwaitingApproval);
        QCOMPARE(info.approvalsNeeded, 2);
        QCOMPARE(info.approvalExpiresAtMs, info.createdAtMs + 30 * 60'000);
        QCOMPARE(info.requestedBy, QStringLiteral("pia"));
        QVERIFY(drill::waitUntil([&] { return april.has(QStringLiteral("approval_requested")); },
                                 10'000));
        const auto *event = april.find(QStringLiteral("approval_requested"));
        QCOMPARE(
            event->value(QLatin1String("data")).toObject().value(QLatin1String("needed")).toInt(),
            2);
        QVERIFY(drill::waitUntil(
            [&] {
                return std::any_of(
                    m_slackMessages.cbegin(), m_slackMessages.cend(),
                    [](const QJsonObject &m) { return QJsonDocument(m).toJson().contains("pay"); });
            },
            20'000));

        const auto approve = [&](const QString &user) {
            return as(user, "POST", QStringLiteral("/api/v1/rollbacks/%1/approve").arg(info.id),
                      {{"comment", QStringLiteral("ok from %1").arg(user)}});
        };
        const auto self = approve(QStringLiteral("pia"));
        QCOMPARE(self.status, 403);
        QCOMPARE(self.json.value(QLatin1String("code")).toString(),
                 QStringLiteral("self_approval"));
        QCOMPARE(approve(QStringLiteral("otto")).status, 403); // an operator, not an approver
        const auto first = approve(QStringLiteral("april"));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value(QLatin1String("state")).toString(),
                 QStringLiteral("awaiting_approval"));
        const auto twice = approve(QStringLiteral("april"));
        QCOMPARE(twice.status, 409);
        QCOMPARE(twice.json.value(QLatin1String("code")).toString(),
                 QStringLiteral("already_decided"));
        const auto second = approve(QStringLiteral("abe"));
        QCOMPARE(second.status, 200);
        QVERIFY2(second.json.value(QLatin1String("state")).toString() != u"awaiting_approval",
                 second.body.constData());
        const auto after = protocol::RollbackInfo::fromJson(rollbackOf(info.id));
        QCOMPARE(after.approvals.size(), 2);
        QCOMPARE(after.approvals.at(0).user, QStringLiteral("april"));
        QCOMPARE(after.approvals.at(1).user, QStringLiteral("abe"));
        QCOMPARE(after.approvals.at(1).comment, QStringLiteral("ok from abe"));
        QVERIFY(drill::waitUntil([&] { return april.has(QStringLiteral("approval_granted")); },
                                 10'000));
        // stan (staging only) saw none of it.
        QVERIFY(!stan.raw.contains("\"pay\""));
        // Running now: stop it, so that it does not wait for health in the background.
        const auto aborted = as(QStringLiteral("otto"), "POST",
                                QStringLiteral("/api/v1/rollbacks/%1/abort").arg(info.id),
                                {{"reason", "test done"}});
        QCOMPARE(aborted.status, 200);
    }

    void aRejectionEndsTheRollback()
    {
        const auto requested = requestRollback(QStringLiteral("otto"), QStringLiteral("ledger"));
        QCOMPARE(requested.status, 201);
        const qint64 id = requested.json.value(QLatin1String("id")).toInteger();
        const auto rejected = as(QStringLiteral("april"), "POST",
                                 QStringLiteral("/api/v1/rollbacks/%1/reject").arg(id),
                                 {{"comment", "the database migration is not reversible"}});
        QCOMPARE(rejected.status, 200);
        const auto info = protocol::RollbackInfo::fromJson(rollbackOf(id));
        QCOMPARE(info.state, PlanState::Aborted);
        QVERIFY2(info.message.contains(QStringLiteral("rejected by april")),
                 qPrintable(info.message));
        for (const auto &step : info.steps)
            QCOMPARE(step.attempts, 0); // nothing ran
        // A later approval is refused: it is over.
        const auto late = as(QStringLiteral("abe"), "POST",
                             QStringLiteral("/api/v1/rollbacks/%1/approve").arg(id));
        QCOMPARE(late.status, 409);
        QCOMPARE(late.json.value(QLatin1String("code")).toString(),
                 QStringLiteral("not_awaiting_approval"));
    }

    void approvalsExpire()
    {
        const auto requested = requestRollback(QStringLiteral("otto"), QStringLiteral("vault"));
        QCOMPARE(requested.status, 201);
        const qint64 id = requested.json.value(QLatin1String("id")).toInteger();
        QCOMPARE(as(QStringLiteral("april"), "POST",
                    QStringLiteral("/api/v1/rollbacks/%1/approve").arg(id))
                     .status,
                 200);
        m_clock.advance(30 * 60'000 - 1);
        // Still waiting one millisecond before the deadline (the daemon ticks every 100 ms).
        QVERIFY(!drill::waitUntil([&] { return stateOf(id) != u"awaiting_approval"; }, 300));
        m_clock.advance(1);
        QVERIFY(drill::waitUntil([&] { return stateOf(id) == u"aborted"; }, 10'000));
        const auto info = protocol::RollbackInfo::fromJson(rollbackOf(id));
        QVERIFY2(info.message.contains(QStringLiteral("not approved in time (1 of 2 approvals)")),
                 qPrintable(info.message));
        for (const auto &step : info.steps)
            QCOMPARE(step.attempts, 0); // nothing ran while it waited
    }

    // Rule-triggered rollbacks in production wait too, unless their severity is auto-approved;
    // the auto-approval is recorded and audited.
    void ruleTriggeredRollbacksWaitUnlessAutoApproved()
    {
        signal(QStringLiteral("orders"), 1); // orders-bad: warning
        signal(QStringLiteral("cards"), 1);  // cards-down: critical
        QJsonObject orders;
        QJsonObject cards;
        QVERIFY(drill::waitUntil(
            [&] {
                const auto find = [&](const QString &service) {
                    const auto list =
                        as(QStringLiteral("root"), "GET",
                           QStringLiteral("/api/v1/rollbacks?service=%1").arg(service))
                            .json.value(QLatin1String("rollbacks"))
                            .toArray();
                    return list.isEmpty() ? QJsonObject() : list.first().toObject();
                };
                orders = find(QStringLiteral("orders"));
                cards = find(QStringLiteral("cards"));
                return !orders.isEmpty() && !cards.isEmpty();
            },
            10'000));
        const auto waiting = protocol::RollbackInfo::fromJson(orders);
        QCOMPARE(waiting.trigger, QStringLiteral("rule:orders-bad"));
        QCOMPARE(waiting.state, PlanState::AwaitingApproval);
        const auto started = protocol::RollbackInfo::fromJson(cards);
        QCOMPARE(started.trigger, QStringLiteral("rule:cards-down"));
        QVERIFY2(started.state != PlanState::AwaitingApproval,
                 cards.value("state").toString().toUtf8());
        // The audit log says who let it through.
        const auto entries =
            as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/audit?limit=10000"))
                .json.value(QLatin1String("entries"))
                .toArray();
        bool audited = false;
        for (const auto &e : entries) {
            const auto entry = audit::Entry::fromJson(e.toObject());
            if (entry.action == u"approval_granted" &&
                entry.target == QStringLiteral("rollback #%1").arg(started.id) &&
                QJsonDocument(entry.details).toJson().contains("auto-approved: severity critical"))
                audited = true;
        }
        QVERIFY(audited);
        for (const auto id : {waiting.id, started.id})
            QCOMPARE(as(QStringLiteral("root"), "POST",
                        QStringLiteral("/api/v1/rollbacks/%1/abort").arg(id))
                         .status,
                     200);
    }

    void sessionsExpireAndEndAtLogout()
    {
        const auto login = [&](const QString &password) {
            return call(
                "POST", QStringLiteral("/api/v1/login"), {},
                QJsonDocument(QJsonObject{{"name", "lou"}, {"password", password}}).toJson(),
                false);
        };
        const auto ok = login(m_louPassword);
        QCOMPARE(ok.status, 200);
        const QString session = ok.json.value(QLatin1String("token")).toString();
        m_secretsShownOnce.append(session);
        const auto me = call("GET", QStringLiteral("/api/v1/me"), session);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json.value(QLatin1String("name")).toString(), QStringLiteral("lou"));
        QCOMPARE(me.json.value(QLatin1String("token_kind")).toString(), QStringLiteral("session"));
        m_clock.advance(3'600'000 - 1);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/status"), session).status, 200);
        m_clock.advance(1);
        const auto expired = call("GET", QStringLiteral("/api/v1/status"), session);
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.json.value(QLatin1String("code")).toString(),
                 QStringLiteral("session_expired"));

        const auto again = login(m_louPassword);
        QCOMPARE(again.status, 200);
        const QString second = again.json.value(QLatin1String("token")).toString();
        m_secretsShownOnce.append(second);
        QCOMPARE(call("POST", QStringLiteral("/api/v1/logout"), second).status, 200);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/me"), second).status, 401);
    }

    void failedSignInsAreRateLimited()
    {
        const auto login = [&](const QString &password) {
            return call(
                "POST", QStringLiteral("/api/v1/login"), {},
                QJsonDocument(QJsonObject{{"name", "lou"}, {"password", password}}).toJson(),
                false);
        };
        for (int i = 0; i < 3; ++i) {
            const auto wrong = login(QStringLiteral("wrong password %1").arg(i));
            QCOMPARE(wrong.status, 401);
            QCOMPARE(wrong.json.value(QLatin1String("code")).toString(),
                     QStringLiteral("invalid_credentials"));
        }
        // Locked now, even with the right password.
        const auto locked = login(m_louPassword);
        QCOMPARE(locked.status, 429);
        QCOMPARE(locked.json.value(QLatin1String("code")).toString(),
                 QStringLiteral("too_many_attempts"));
        QVERIFY(locked.header("Retry-After").toInt() > 0);
        QVERIFY(locked.header("Retry-After").toInt() <= 300);
        m_clock.advance(5 * 60'000);
        const auto later = login(m_louPassword);
        QCOMPARE(later.status, 200);
        m_secretsShownOnce.append(later.json.value(QLatin1String("token")).toString());
    }

    void theEventStreamNeedsAuthentication()
    {
        // Commands before authenticating are refused; the stream carries nothing yet.
        WsClient early(ws(), QString());
        QVERIFY(drill::waitUntil(
            [&] { return early.socket.state() == QAbstractSocket::ConnectedState; }, 10'000));
        early.send({{"type", "ping"}});
        QVERIFY(drill::waitUntil([&] { return !early.messages.isEmpty(); }, 10'000));
        QCOMPARE(early.messages.first().value(QLatin1String("code")).toString(),
                 QStringLiteral("unauthenticated"));
        QVERIFY(!early.has(QStringLiteral("snapshot")));

        WsClient bogus(ws(), QStringLiteral("rwd_ffffffffffffffffffffffffffffffff"));
        QVERIFY(drill::waitUntil(
            [&] { return bogus.socket.state() == QAbstractSocket::UnconnectedState; }, 10'000));
        QCOMPARE(bogus.messages.first().value(QLatin1String("code")).toString(),
                 QStringLiteral("invalid_token"));
        QCOMPARE(bogus.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);

        WsClient nobody(ws(), m_tokens.value(QStringLiteral("nobody")));
        QVERIFY(drill::waitUntil(
            [&] { return nobody.socket.state() == QAbstractSocket::UnconnectedState; }, 10'000));
        QCOMPARE(nobody.messages.first().value(QLatin1String("code")).toString(),
                 QStringLiteral("forbidden"));

        // Silent clients are closed after the authentication timeout.
        m_daemon->webSockets()->setAuthTimeoutMs(200);
        WsClient silent(ws(), QString());
        QVERIFY(drill::waitUntil(
            [&] { return silent.socket.state() == QAbstractSocket::UnconnectedState; }, 10'000));
        QVERIFY2(silent.socket.closeReason().contains(QStringLiteral("authenticate first")),
                 qPrintable(silent.socket.closeReason()));
        m_daemon->webSockets()->setAuthTimeoutMs(10'000);
    }

    void theEventStreamShowsOnlyTheUsersEnvironments()
    {
        WsClient vera(ws(), m_tokens.value(QStringLiteral("vera")));
        WsClient stan(ws(), m_tokens.value(QStringLiteral("stan")));
        QVERIFY(drill::waitUntil(
            [&] {
                return vera.has(QStringLiteral("snapshot")) && stan.has(QStringLiteral("snapshot"));
            },
            10'000));
        QCOMPARE(stan.messages.at(1)
                     .value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("services"))
                     .toArray()
                     .size(),
                 1);
        deploy(QStringLiteral("pay"), QStringLiteral("v3"));
        deploy(QStringLiteral("web"), QStringLiteral("v3"));
        QVERIFY(drill::waitUntil(
            [&] {
                return vera.find(QStringLiteral("deployment_recorded"), QStringLiteral("web")) &&
                       stan.find(QStringLiteral("deployment_recorded"), QStringLiteral("web"));
            },
            10'000));
        QVERIFY(vera.find(QStringLiteral("deployment_recorded"), QStringLiteral("pay")));
        QVERIFY(!stan.find(QStringLiteral("deployment_recorded"), QStringLiteral("pay")));
        QVERIFY(!stan.raw.contains("\"pay\""));
    }

    // A client that stops reading is dropped once the server holds too much for it; the others
    // get every event, and the daemon never waits for the slow one.
    void aSlowClientIsDroppedWithAReason()
    {
        WsClient healthy(ws(), m_tokens.value(QStringLiteral("vera")));
        QVERIFY(drill::waitUntil([&] { return healthy.has(QStringLiteral("snapshot")); }, 10'000));
        // The slow client speaks WebSocket by hand, so that it can stop reading.
        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, m_daemon->port());
        QVERIFY(slow.waitForConnected(10'000));
        slow.write(
            QStringLiteral("GET /ws/v1 HTTP/1.1\r\nHost: 127.0.0.1:%1\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n")
                .arg(m_daemon->port())
                .toLatin1());
        const QByteArray auth =
            QJsonDocument(
                QJsonObject{{"type", "auth"}, {"token", m_tokens.value(QStringLiteral("vera"))}})
                .toJson(QJsonDocument::Compact);
        QVERIFY(auth.size() < 126);
        QByteArray frame;
        frame.append(char(0x81)); // FIN, text
        frame.append(char(0x80 | auth.size()));
        const QByteArray mask("\x12\x34\x56\x78", 4);
        frame.append(mask);
        for (qsizetype i = 0; i < auth.size(); ++i)
            frame.append(char(auth.at(i) ^ mask.at(i % 4)));
        QByteArray received;
        QVERIFY(drill::waitUntil(
            [&] {
                received += slow.readAll();
                if (received.contains("101 Switching Protocols") && !frame.isEmpty()) {
                    slow.write(frame);
                    frame.clear();
                }
                return received.contains("\"snapshot\"");
            },
            10'000));
        const int connected = m_daemon->webSockets()->clientCount();
        // From now on it reads nothing: the kernel's buffers fill, then the server's.
        slow.setReadBufferSize(1);
        m_daemon->webSockets()->setBackPressureLimit(256 * 1024);
        const int before = int(healthy.messages.size());
        protocol::ServiceStatus status;
        status.name = QStringLiteral("web");
        status.environment = QStringLiteral("staging");
        auto data = status.toJson();
        data.insert(QStringLiteral("padding"), QString(4000, u'x'));
        int published = 0;
        // In batches the healthy client keeps up with (it shares this thread with the server).
        while (m_daemon->webSockets()->clientCount() == connected && published < 40'000) {
            for (int i = 0; i < 20; ++i, ++published)
                m_daemon->eventHub()->publish(events::ServiceUpdated{status}, data);
            QVERIFY(drill::waitUntil(
                [&] { return int(healthy.messages.size()) == before + published; }, 10'000));
        }
        QCOMPARE(m_daemon->webSockets()->clientCount(), connected - 1);
        QVERIFY(m_log->text().contains("too slow"));
        QVERIFY(drill::waitUntil([&] { return int(healthy.messages.size()) == before + published; },
                                 30'000));
        QCOMPARE(healthy.socket.state(), QAbstractSocket::ConnectedState);
        m_daemon->webSockets()->setBackPressureLimit(8 * 1024 * 1024);
    }

    // A token revoked (or a session expired) after the client signed in ends its stream at the
    // next heartbeat.
    void aRevokedTokenEndsItsStream()
    {
        const auto created =
            call("POST", QStringLiteral("/api/v1/users/otto/tokens"),
                 m_tokens.value(QStringLiteral("otto")), R"({"name": "ws"})", false);
        QCOMPARE(created.status, 201);
        const QString token = created.json.value(QLatin1String("token")).toString();
        m_secretsShownOnce.append(token);
        WsClient client(ws(), token);
        QVERIFY(drill::waitUntil([&] { return client.has(QStringLiteral("snapshot")); }, 10'000));
        m_daemon->webSockets()->heartbeat();
        QCOMPARE(client.socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(as(QStringLiteral("otto"), "DELETE",
                    QStringLiteral("/api/v1/tokens/%1")
                        .arg(created.json.value(QLatin1String("id")).toInteger()))
                     .status,
                 200);
        m_daemon->webSockets()->heartbeat();
        QVERIFY(drill::waitUntil(
            [&] { return client.socket.state() == QAbstractSocket::UnconnectedState; }, 10'000));
        QCOMPARE(client.messages.last().value(QLatin1String("code")).toString(),
                 QStringLiteral("invalid_token"));
    }

    // Tokens, passwords and webhook URLs never appear in what the API, the event stream or the
    // log show; tokens shown once appear only in the reply that created them.
    void secretsNeverLeak()
    {
        WsClient root(ws(), m_tokens.value(QStringLiteral("root")));
        QVERIFY(drill::waitUntil([&] { return root.has(QStringLiteral("snapshot")); }, 10'000));
        m_seen += root.raw;
        // Everything an admin can read.
        for (const auto *path :
             {"/api/v1/status", "/api/v1/rollbacks?limit=1000", "/api/v1/incidents",
              "/api/v1/deliveries", "/api/v1/audit?limit=10000", "/api/v1/users",
              "/api/v1/users/otto/tokens", "/api/v1/users/lou/tokens", "/metrics"})
            QCOMPARE(as(QStringLiteral("root"), "GET", QLatin1String(path)).status, 200);
        const auto deliveries =
            as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/deliveries"))
                .json.value(QLatin1String("deliveries"))
                .toArray();
        QVERIFY(!deliveries.isEmpty()); // the approval notifications
        const QByteArray log = m_log->text();
        QVERIFY(log.contains("approval")); // the log did record this run
        QStringList secrets = m_tokens.values();
        secrets << m_louPassword << m_slackSecret << QStringLiteral("hook-path-secret-4711");
        secrets += m_secretsShownOnce;
        QVERIFY(secrets.size() > 12);
        for (const auto &secret : std::as_const(secrets)) {
            QVERIFY(!secret.isEmpty());
            QVERIFY2(!m_seen.contains(secret.toUtf8()),
                     qPrintable(QStringLiteral("API shows ") + secret));
            QVERIFY2(!log.contains(secret.toUtf8()),
                     qPrintable(QStringLiteral("log shows ") + secret));
        }
        // Stored hashed: the store file holds no token and no password either.
        QFile db(m_daemon.path(QStringLiteral("access.db")));
        QVERIFY(db.open(QIODevice::ReadOnly));
        const QByteArray stored = db.readAll();
        for (const auto &secret : std::as_const(secrets))
            QVERIFY2(!stored.contains(secret.toUtf8()),
                     qPrintable(QStringLiteral("store holds ") + secret));
    }

    // The audit chain verifies; a row changed behind Rewind's back is found and named. The test
    // writes the rows it tampers with itself: an approval of a production rollback, and a dozen
    // tokens so that rows can go missing from the middle and the end.
    void theAuditChainCatchesTampering()
    {
        const auto requested = requestRollback(QStringLiteral("pia"), QStringLiteral("pay"));
        QVERIFY2(requested.status == 201, requested.body.constData());
        const qint64 rollbackId = requested.json.value(QLatin1String("id")).toInteger();
        const auto approved =
            as(QStringLiteral("abe"), "POST",
               QStringLiteral("/api/v1/rollbacks/%1/approve").arg(rollbackId), {{"comment", "ok"}});
        QVERIFY2(approved.status == 200, approved.body.constData());
        const auto aborted =
            as(QStringLiteral("otto"), "POST",
               QStringLiteral("/api/v1/rollbacks/%1/abort").arg(rollbackId), {{"reason", "done"}});
        QVERIFY2(aborted.status == 200, aborted.body.constData());
        for (int i = 0; i < 12; ++i) {
            const auto token =
                as(QStringLiteral("root"), "POST", QStringLiteral("/api/v1/users/root/tokens"),
                   {{"name", QStringLiteral("audit-%1").arg(i)}});
            QVERIFY2(token.status == 201, token.body.constData());
        }

        const auto intact = ctl({QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(intact.first == 0, qPrintable(intact.second));
        QVERIFY2(intact.second.contains(QStringLiteral("audit log intact")),
                 qPrintable(intact.second));

        const auto entries =
            as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/audit?limit=10000"))
                .json.value(QLatin1String("entries"))
                .toArray();
        QVERIFY(entries.size() >= 15);
        // The approval is in it, with who and from where.
        qint64 victim = 0;
        for (const auto &e : entries) {
            const auto entry = audit::Entry::fromJson(e.toObject());
            if (entry.action == u"rollback_approved" && entry.actor == u"abe" &&
                entry.target == QStringLiteral("rollback #%1").arg(rollbackId)) {
                QCOMPARE(entry.source, QStringLiteral("127.0.0.1"));
                victim = entry.id;
            }
        }
        QVERIFY(victim > 0);

        // Exports with rows removed: from the middle, the first row, and from the end, which
        // only an anchor (the newest row an earlier verification saw) can tell.
        QTemporaryDir dir;
        const auto verifyExport = [&](const QJsonArray &rows, const QStringList &more = {}) {
            const QString path = dir.filePath(QStringLiteral("export.json"));
            QFile f(path);
            f.open(QIODevice::WriteOnly | QIODevice::Truncate);
            f.write(QJsonDocument(QJsonObject{{"entries", rows}}).toJson());
            f.close();
            return ctl(QStringList{QStringLiteral("audit"), QStringLiteral("verify"),
                                   QStringLiteral("--file"), path} +
                       more);
        };
        const auto without = [&](qsizetype from, qsizetype count) {
            QJsonArray rows = entries;
            for (qsizetype i = 0; i < count; ++i)
                rows.removeAt(from);
            return rows;
        };
        const auto idAt = [&](qsizetype i) {
            return entries.at(i).toObject().value(u"id").toInteger();
        };
        const auto middle = verifyExport(without(10, 1));
        QCOMPARE(middle.first, 6);
        QVERIFY2(middle.second.contains(QStringLiteral("row %1 follows row %2: rows are missing")
                                            .arg(idAt(11))
                                            .arg(idAt(9))),
                 qPrintable(middle.second));
        const auto first = verifyExport(without(0, 1));
        QCOMPARE(first.first, 6);
        QVERIFY2(first.second.contains(
                     QStringLiteral("row %1 does not continue the chain").arg(idAt(1))),
                 qPrintable(first.second));
        const QString anchor = dir.filePath(QStringLiteral("anchor.json"));
        const auto seen = verifyExport(entries, {QStringLiteral("--anchor"), anchor});
        QVERIFY2(seen.first == 0, qPrintable(seen.second));
        const auto truncated = without(entries.size() - 3, 3);
        QCOMPARE(verifyExport(truncated).first, 0); // the chain alone cannot tell
        const auto cut = verifyExport(truncated, {QStringLiteral("--anchor"), anchor});
        QCOMPARE(cut.first, 6);
        const auto newest = idAt(entries.size() - 1);
        QVERIFY2(cut.second.contains(QStringLiteral("row %1, the newest an earlier verification "
                                                    "saw, is no longer in the log")
                                         .arg(newest)),
                 qPrintable(cut.second));
        // A chain recomputed after a changed row: every hash from it on is new.
        QJsonArray rewritten = entries;
        QString previous = audit::genesis();
        for (qsizetype i = 0; i < rewritten.size(); ++i) {
            auto e = audit::Entry::fromJson(rewritten.at(i).toObject());
            if (e.id == victim)
                e.actor = QStringLiteral("mallory");
            e.prevHash = previous;
            e.hash = audit::hashOf(e);
            previous = e.hash;
            rewritten.replace(i, e.toJson());
        }
        QCOMPARE(verifyExport(rewritten).first, 0);
        const auto forged = verifyExport(rewritten, {QStringLiteral("--anchor"), anchor});
        QCOMPARE(forged.first, 6);
        QVERIFY2(forged.second.contains(QStringLiteral("row %1 is not the row an earlier "
                                                       "verification saw")
                                            .arg(newest)),
                 qPrintable(forged.second));
        // The anchor moved on with the first verification only.
        QVERIFY(verifyExport(entries, {QStringLiteral("--anchor"), anchor}).first == 0);

        {
            auto db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            db.setDatabaseName(m_daemon.path(QStringLiteral("access.db")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(
                QStringLiteral("UPDATE audit SET actor = 'mallory' WHERE id = %1").arg(victim)));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
        const auto tampered = ctl({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(tampered.first, 6);
        QVERIFY2(tampered.second.contains(QStringLiteral("row %1 was changed").arg(victim)),
                 qPrintable(tampered.second));
        const auto json =
            ctl({QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(json.first, 6);
        QCOMPARE(QJsonDocument::fromJson(json.second.toUtf8())
                     .object()
                     .value(QLatin1String("first_bad_id"))
                     .toInteger(),
                 victim);
    }

    // server.tls: the API and the event stream over HTTPS and WSS on the same port.
    void servesHttpsWhenConfigured()
    {
        QTemporaryDir dir;
        const auto made = testing::makeSelfSigned(dir.path(), QStringLiteral("127.0.0.1"),
                                                  QStringLiteral("IP:127.0.0.1"));
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        const QString &cert = made.certificate;
        const QString token = drill::randomToken();
        qputenv("TST_ACCESS_TLS_TOKEN", token.toUtf8());
        const auto write = [&](const QString &tls) {
            QFile file(dir.filePath(QStringLiteral("rewind.yaml")));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(
                QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:tls.db\", %1}\n"
                               "services:\n  - {name: web, checks: [{name: up, type: signal, "
                               "fields: {x: gauge}}]}\n")
                    .arg(tls)
                    .toUtf8() +
                drill::sandboxUsers(QStringLiteral("tls"), QStringLiteral("TST_ACCESS_TLS_TOKEN"))
                    .toUtf8());
        };
        SystemClock clock;
        // A missing key file: refused at start, saying where and what.
        write(QStringLiteral("tls: {certificate: cert.pem, key: missing.pem}"));
        {
            daemon::Daemon broken(clock);
            const auto started = broken.start(dir.filePath(QStringLiteral("rewind.yaml")));
            QVERIFY(!started);
            const QString error = started.error().message;
            QVERIFY2(error.contains(QStringLiteral("rewind.yaml:1:")) &&
                         error.contains(QStringLiteral("error: cannot read the TLS key")),
                     qPrintable(error));
        }
        write(QStringLiteral("tls: {certificate: cert.pem, key: key.pem}"));
        daemon::Daemon secure(clock);
        const auto started = secure.start(dir.filePath(QStringLiteral("rewind.yaml")));
        QVERIFY2(started, qPrintable(testing::why(started)));
        QFile certFile(cert);
        QVERIFY(certFile.open(QIODevice::ReadOnly));
        auto ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromData(certFile.readAll()));

        QNetworkAccessManager network;
        QNetworkRequest request(
            QUrl(QStringLiteral("https://127.0.0.1:%1/api/v1/me").arg(secure.port())));
        request.setSslConfiguration(ssl);
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        auto *reply = network.get(request);
        QVERIFY(drill::waitUntil([reply] { return reply->isFinished(); }, 20'000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll())
                     .object()
                     .value(QLatin1String("name"))
                     .toString(),
                 QStringLiteral("tls"));
        reply->deleteLater();
        // Without trusting the certificate, a client refuses the connection (a new manager: the
        // first one keeps its trusted connection open).
        QNetworkAccessManager another;
        QNetworkRequest untrusted(
            QUrl(QStringLiteral("https://127.0.0.1:%1/healthz").arg(secure.port())));
        auto *refused = another.get(untrusted);
        QVERIFY(drill::waitUntil([refused] { return refused->isFinished(); }, 20'000));
        QCOMPARE(refused->error(), QNetworkReply::SslHandshakeFailedError);
        refused->deleteLater();

        WsClient wss(QUrl(QStringLiteral("wss://127.0.0.1:%1/ws/v1").arg(secure.port())), token,
                     {.ssl = ssl, .keepAuthReply = true});
        QVERIFY(drill::waitUntil([&] { return wss.has(QStringLiteral("snapshot")); }, 20'000));
    }

    // Accounts follow the configuration: a user taken out of it is disabled, a token given a
    // new value replaces the old one; "rewind" is no user's name.
    void configurationChangesReachAccounts()
    {
        const auto reserved = as(QStringLiteral("root"), "POST", QStringLiteral("/api/v1/users"),
                                 {{"name", "rewind"}, {"roles", QJsonObject{}}});
        QCOMPARE(reserved.status, 400);
        const QString path = m_daemon.path(QStringLiteral("rewind.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(file.readAll());
        file.close();
        const auto before = text.size();
        text.remove(QRegularExpression(QStringLiteral("  - \\{name: nobody[^\\n]*\\n")));
        text.replace(envName(QStringLiteral("vera")), QStringLiteral("TST_ACCESS_VERA_NEW_TOKEN"));
        QVERIFY(text.size() < before);
        const QString newToken = drill::randomToken();
        qputenv("TST_ACCESS_VERA_NEW_TOKEN", newToken.toUtf8());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text.toUtf8());
        file.close();
        const auto reloaded = m_daemon->reload();
        QVERIFY2(reloaded, qPrintable(testing::why(reloaded)));

        const auto gone = as(QStringLiteral("nobody"), "GET", QStringLiteral("/api/v1/me"));
        QCOMPARE(gone.status, 401);
        QVERIFY2(gone.json.value(QLatin1String("message"))
                     .toString()
                     .contains(QStringLiteral("disabled")),
                 gone.body.constData());
        QCOMPARE(as(QStringLiteral("vera"), "GET", QStringLiteral("/api/v1/status")).status, 401);
        QCOMPARE(call("GET", QStringLiteral("/api/v1/status"), newToken).status, 200);
        // Configured users cannot be told apart from the daemon in the audit log by name.
        const auto users = as(QStringLiteral("root"), "GET", QStringLiteral("/api/v1/users"))
                               .json.value(QLatin1String("users"))
                               .toArray();
        for (const auto &u : users)
            QVERIFY(u.toObject().value(QLatin1String("name")).toString() != u"rewind");
    }
};

QTEST_GUILESS_MAIN(TestAccess)
#include "tst_access.moc"
