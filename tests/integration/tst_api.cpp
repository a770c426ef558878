// The REST and WebSocket API of an in-process rewindd: the documented routes, strict request
// validation with stable error codes, and the event stream with snapshot, order and resume.
#include "api/httpserver.h"
#include "client/restclient.h"
#include "client/sync/syncrest.h"
#include "common/clock.h"
#include "daemonfixture.h"
#include "processes.h"
#include "wsclient.h"

#include <QFile>
#include <QHttpServer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <yaml-cpp/yaml.h>

using namespace rwd;
using testing::WsClient;

class TestApi : public QObject
{
    Q_OBJECT

private:
    QHttpServer m_target; // the service the daemon's check probes
    SystemClock m_clock;
    testing::DaemonFixture m_daemon{m_clock};
    client::RestClient m_rest;
    QString m_token; // the admin's API token

    QUrl wsUrl(const QString &query = {}) const { return m_daemon.wsUrl(query); }
    // The event stream without the "authenticated" reply: the snapshot (or resume) comes first.
    static WsClient::Options eventsOnly()
    {
        WsClient::Options options;
        options.keepAuthReply = false;
        return options;
    }

    client::RestResult call(const QByteArray &method, const QString &path,
                            const QJsonObject &body = {})
    {
        return client::callAndWait(m_rest, method, path, body);
    }

    // A request with a raw body, for bodies RestClient would never send.
    QPair<int, QJsonObject> raw(const QByteArray &method, const QString &path,
                                const QByteArray &body)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(m_rest.urlFor(path));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        auto *reply = network.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        [&] { QVERIFY(finished.wait(10'000)); }();
        reply->deleteLater();
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                QJsonDocument::fromJson(reply->readAll()).object()};
    }

private slots:
    void initTestCase()
    {
        m_target.route(QStringLiteral("/health"), [] { return QStringLiteral("ok"); });
        const auto targetPort = m_target.listen(QHostAddress::LocalHost, 0);
        QVERIFY(targetPort > 0);
        const QString config =
            QStringLiteral(
                "server: {listen: \"127.0.0.1:0\", store: \"sqlite:api.db\", event_replay: 64}\n"
                "environments:\n  staging: {verify_after: 200ms}\n"
                "services:\n"
                "  - name: api\n    environment: staging\n"
                "    checks: [{name: health, type: http, url: \"http://127.0.0.1:%1/health\", "
                "interval: 50ms}]\n"
                "    strategy: {type: blue_green, executor: nginx-api}\n"
                "  - name: web\n    environment: staging\n    depends_on: [api]\n"
                "    checks: [{name: security, type: signal, fields: {scanner_alert: gauge, "
                "logins: counter}}]\n"
                "rules:\n  - {name: scanner, services: [web], when: "
                "\"value(security.scanner_alert) "
                ">= 1\", severity: critical}\n"
                "  - {name: lockdown, services: [web], when: \"value(security.scanner_alert) >= "
                "2\", severity: critical, action: freeze, freeze: 1h}\n"
                "executors:\n  nginx-api: {type: nginx, upstream_file: api.conf, targets: {blue: "
                "\"127.0.0.1:1\", green: \"127.0.0.1:2\"}}\n"
                "auth: {pbkdf2_iterations: 1000}\n")
                .arg(targetPort) +
            testing::DaemonFixture::admin(QStringLiteral("root"), "TST_API_TOKEN", &m_token);
        const auto started = m_daemon.start(config);
        QVERIFY2(started, qPrintable(testing::why(started)));
        m_daemon.connect(m_rest, m_token);
    }

    void cleanupTestCase() { m_daemon.stop(); }

    // Every served route is documented in docs/api/openapi.yaml, and every documented one served.
    void openApiMatchesTheRoutes()
    {
        const auto doc = YAML::LoadFile(REWIND_SOURCE_DIR "/docs/api/openapi.yaml");
        QSet<QString> documented;
        for (const auto &path : doc["paths"]) {
            for (const auto &method : path.second)
                documented.insert(QString::fromStdString(method.first.as<std::string>()).toUpper() +
                                  u' ' + QString::fromStdString(path.first.as<std::string>()));
        }
        QSet<QString> served;
        for (const auto &route : m_daemon->routes())
            served.insert(QString::fromLatin1(route.method) + u' ' + route.pattern);
        QVERIFY(!served.isEmpty());
        QCOMPARE(served - documented, QSet<QString>{});
        QCOMPARE(documented - served, QSet<QString>{});
    }

    void healthAndStatus()
    {
        const auto health = call("GET", QStringLiteral("/healthz"));
        QVERIFY(health.ok());
        QCOMPARE(health.body.object().value(QLatin1String("status")).toString(),
                 QStringLiteral("ok"));
        const auto status = call("GET", QStringLiteral("/api/v1/status"));
        QVERIFY(status.ok());
        const auto services = status.body.object().value(QLatin1String("services")).toArray();
        QCOMPARE(services.size(), 2);
        QCOMPARE(services.at(0).toObject().value(QLatin1String("name")).toString(),
                 QStringLiteral("api"));
        QCOMPARE(services.at(1)
                     .toObject()
                     .value(QLatin1String("depends_on"))
                     .toArray()
                     .first()
                     .toString(),
                 QStringLiteral("api"));
    }

    // The metric history charts the http check's real probes, one closed step at a time.
    void chartsTheProbesOfAService()
    {
        QMap<QString, QList<QPair<qint64, double>>> points;
        const auto fetch = [&] {
            points.clear();
            const auto r =
                call("GET", QStringLiteral("/api/v1/services/api/metrics?series=health."));
            for (const auto &v : r.body.object().value(QLatin1String("series")).toArray()) {
                const auto s = protocol::SeriesInfo::fromJson(v.toObject());
                points.insert(s.name, s.points);
            }
            return !points.value(QStringLiteral("health.latency.p95")).isEmpty();
        };
        QTRY_VERIFY_WITH_TIMEOUT(fetch(), 10'000);
        QCOMPARE(points.keys(),
                 (QStringList{"health.failures", "health.latency.p50", "health.latency.p95",
                              "health.latency.p99", "health.status"}));
        for (const auto &[t, status] : points.value(QStringLiteral("health.status")))
            QCOMPARE(status, 200.0); // the last HTTP status of each step
        for (const auto &[t, latency] : points.value(QStringLiteral("health.latency.p95"))) {
            QCOMPARE(t % 1000, 0);
            QVERIFY2(latency > 0 && latency < 5, qPrintable(QString::number(latency)));
        }
        for (const auto &[t, ratio] : points.value(QStringLiteral("health.failures")))
            QCOMPARE(ratio + 1, 1.0); // the target always answers
    }

    void rejectsBadRequestsWithStableCodes_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("malformed json") << QByteArray("POST") << "/api/v1/deployments"
                                        << QByteArray("{\"service\": ") << 400 << "invalid_json";
        QTest::newRow("not an object") << QByteArray("POST") << "/api/v1/deployments"
                                       << QByteArray("[1,2]") << 400 << "invalid_json";
        QTest::newRow("wrong type")
            << QByteArray("POST") << "/api/v1/deployments"
            << QByteArray(R"({"service": "api", "version": 2})") << 400 << "invalid_request";
        QTest::newRow("missing field")
            << QByteArray("POST") << "/api/v1/deployments" << QByteArray(R"({"service": "api"})")
            << 400 << "invalid_request";
        QTest::newRow("unknown key")
            << QByteArray("POST") << "/api/v1/deployments"
            << QByteArray(R"({"service": "api", "version": "1", "colour": "x"})") << 400
            << "invalid_request";
        QTest::newRow("unknown service")
            << QByteArray("POST") << "/api/v1/deployments"
            << QByteArray(R"({"service": "nope", "version": "1"})") << 404 << "unknown_service";
        QTest::newRow("unknown route")
            << QByteArray("GET") << "/api/v1/nothing" << QByteArray() << 404 << "not_found";
        QTest::newRow("wrong method") << QByteArray("DELETE") << "/api/v1/status" << QByteArray()
                                      << 405 << "method_not_allowed";
        QTest::newRow("bad paging") << QByteArray("GET") << "/api/v1/rollbacks?limit=0"
                                    << QByteArray() << 400 << "invalid_request";
        QTest::newRow("unknown rollback")
            << QByteArray("GET") << "/api/v1/rollbacks/12345" << QByteArray() << 404 << "not_found";
        QTest::newRow("oversized body")
            << QByteArray("POST") << "/api/v1/deployments" << QByteArray(2 * 1024 * 1024, 'x')
            << 413 << "body_too_large";
        QTest::newRow("rollback before any deployment")
            << QByteArray("POST") << "/api/v1/rollbacks"
            << QByteArray(R"({"services": ["api"], "reason": "test"})") << 409 << "no_release";
        QTest::newRow("rollback without a strategy")
            << QByteArray("POST") << "/api/v1/rollbacks"
            << QByteArray(R"({"services": ["web"], "reason": "test"})") << 409 << "no_strategy";
        QTest::newRow("rollback of nothing")
            << QByteArray("POST") << "/api/v1/rollbacks"
            << QByteArray(R"({"services": [], "reason": "test"})") << 400 << "invalid_request";
    }
    void rejectsBadRequestsWithStableCodes()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto [got, json] = raw(method, path, body);
        QCOMPARE(got, status);
        QCOMPARE(json.value(QLatin1String("code")).toString(), code);
        QVERIFY(!json.value(QLatin1String("message")).toString().isEmpty());
    }

    void streamsEventsInOrderAndResumes()
    {
        WsClient ws(wsUrl(), m_token, eventsOnly());
        QTRY_VERIFY_WITH_TIMEOUT(!ws.messages.isEmpty(), 10'000);
        const auto snapshot = ws.messages.first();
        QCOMPARE(snapshot.value(QLatin1String("type")).toString(), QStringLiteral("snapshot"));
        const qint64 snapshotSeq = snapshot.value(QLatin1String("seq")).toInteger();
        QCOMPARE(snapshot.value(QLatin1String("data"))
                     .toObject()
                     .value(QLatin1String("services"))
                     .toArray()
                     .size(),
                 2);

        const auto recorded = call("POST", QStringLiteral("/api/v1/deployments"),
                                   {{"service", "api"}, {"version", "v1"}, {"target", "blue"}});
        QVERIFY(recorded.ok());
        QCOMPARE(recorded.status, 201);
        const auto release = protocol::ReleaseInfo::fromJson(recorded.body.object());
        QCOMPARE(release.state, ReleaseState::Live);
        QTRY_VERIFY_WITH_TIMEOUT(ws.types().contains(QStringLiteral("deployment_recorded")),
                                 10'000);
        // The release is verified once healthy for 200 ms.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto &m : ws.messages) {
                    if (m.value(QLatin1String("type")).toString() == u"release_state_changed" &&
                        m.value(QLatin1String("data"))
                                .toObject()
                                .value(QLatin1String("state"))
                                .toString() == u"verified")
                        return true;
                }
                return false;
            }(),
            10'000);
        // Sequence numbers follow the snapshot's without a gap.
        qint64 expected = snapshotSeq + 1;
        for (const auto &m : ws.messages.mid(1)) {
            QCOMPARE(m.value(QLatin1String("seq")).toInteger(), expected);
            ++expected;
        }
        const qint64 last = expected - 1;

        // A second deployment while a client is away; it resumes and gets exactly what it missed.
        QVERIFY(call("POST", QStringLiteral("/api/v1/deployments"),
                     {{"service", "api"}, {"version", "v2"}, {"target", "green"}})
                    .ok());
        const QString stream = snapshot.value(QLatin1String("stream")).toString();
        QVERIFY(!stream.isEmpty());
        WsClient resumed(wsUrl(QStringLiteral("?after_seq=%1&stream=%2").arg(last).arg(stream)),
                         m_token, eventsOnly());
        QTRY_VERIFY_WITH_TIMEOUT(resumed.types().contains(QStringLiteral("deployment_recorded")),
                                 10'000);
        QCOMPARE(resumed.messages.first().value(QLatin1String("type")).toString(),
                 QStringLiteral("resume"));
        QCOMPARE(resumed.messages.at(1).value(QLatin1String("seq")).toInteger(), last + 1);
        // Another run's numbers (or none named) mean nothing here: a snapshot.
        for (const auto &query : {QStringLiteral("?after_seq=%1&stream=otherrun").arg(last),
                                  QStringLiteral("?after_seq=%1").arg(last)}) {
            WsClient elsewhere(wsUrl(query), m_token, eventsOnly());
            QTRY_VERIFY_WITH_TIMEOUT(!elsewhere.messages.isEmpty(), 10'000);
            QCOMPARE(elsewhere.messages.first().value(QLatin1String("type")).toString(),
                     QStringLiteral("snapshot"));
        }

        // Too far back (beyond the replay buffer of 64): a fresh snapshot instead.
        for (int i = 0; i < 40; ++i)
            QVERIFY(call("POST", QStringLiteral("/api/v1/deployments"),
                         {{"service", "web"}, {"version", QStringLiteral("w%1").arg(i)}})
                        .ok());
        WsClient stale(wsUrl(QStringLiteral("?after_seq=1&stream=%1").arg(stream)), m_token,
                       eventsOnly());
        QTRY_VERIFY_WITH_TIMEOUT(!stale.messages.isEmpty(), 10'000);
        QCOMPARE(stale.messages.first().value(QLatin1String("type")).toString(),
                 QStringLiteral("snapshot"));

        // Unknown and malformed messages get an error, and the connection stays up.
        const auto before = ws.messages.size();
        ws.socket.sendTextMessage(QStringLiteral("not json"));
        ws.socket.sendTextMessage(QStringLiteral("{\"type\": \"launch\"}"));
        ws.socket.sendTextMessage(QStringLiteral("{\"type\": \"ping\"}"));
        QTRY_VERIFY_WITH_TIMEOUT(ws.types().contains(QStringLiteral("pong")), 10'000);
        QStringList codes;
        for (const auto &m : ws.messages.mid(before))
            codes.append(m.value(QLatin1String("code")).toString());
        QVERIFY(codes.contains(QStringLiteral("invalid_json")));
        QVERIFY(codes.contains(QStringLiteral("unknown_message_type")));
    }

    void unknownWebSocketPathIsClosedWithAReason()
    {
        QWebSocket socket;
        QSignalSpy closed(&socket, &QWebSocket::disconnected);
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/v2").arg(m_daemon->port())));
        QVERIFY(closed.wait(10'000));
        QCOMPARE(socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QVERIFY(socket.closeReason().contains(QStringLiteral("/ws/v1")));
    }

    void signalsFeedSignalChecks_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown service")
            << QByteArray(R"({"service": "nope", "check": "security"})") << 404
            << "no service named 'nope' is configured";
        QTest::newRow("not a signal check")
            << QByteArray(R"({"service": "api", "check": "health"})") << 404
            << "service 'api' has no signal check named 'health'";
        QTest::newRow("unknown field")
            << QByteArray(R"({"service": "web", "check": "security", "fields": {"alert": 1}})")
            << 400 << "unknown field 'alert' (fields: scanner_alert, logins)";
        QTest::newRow("counter given a plain number")
            << QByteArray(R"({"service": "web", "check": "security", "fields": {"logins": 5}})")
            << 400 << "'logins' is a counter: give {\"increment\": N, \"seconds\": S}";
        QTest::newRow("negative increment")
            << QByteArray(
                   R"({"service": "web", "check": "security", "fields": {"logins": {"increment": -1}}})")
            << 400 << "'increment' of field 'logins' must be a non-negative number";
        QTest::newRow("wrong type of ok")
            << QByteArray(R"({"service": "web", "check": "security", "ok": "yes"})") << 400
            << "'ok' must be true or false";
    }
    void signalsFeedSignalChecks()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const auto [got, json] = raw("POST", QStringLiteral("/api/v1/signals"), body);
        QCOMPARE(got, status);
        QCOMPARE(json.value(QLatin1String("message")).toString(), message);
    }

    void aSignalFiresItsRule()
    {
        WsClient ws(wsUrl(), m_token, eventsOnly());
        QTRY_VERIFY_WITH_TIMEOUT(!ws.messages.isEmpty(), 10'000);
        const auto quiet = call("POST", QStringLiteral("/api/v1/signals"),
                                {{"service", "web"},
                                 {"check", "security"},
                                 {"fields", QJsonObject{{"scanner_alert", 0}}}});
        QVERIFY(quiet.ok());
        QCOMPARE(quiet.status, 202);
        const auto alert = call("POST", QStringLiteral("/api/v1/signals"),
                                {{"service", "web"},
                                 {"check", "security"},
                                 {"fields", QJsonObject{{"scanner_alert", 1}}}});
        QVERIFY(alert.ok());
        QTRY_VERIFY_WITH_TIMEOUT(ws.types().contains(QStringLiteral("rule_fired")), 10'000);
        for (const auto &m : ws.messages) {
            if (m.value(QLatin1String("type")).toString() != u"rule_fired")
                continue;
            const auto firing =
                protocol::FiringInfo::fromJson(m.value(QLatin1String("data")).toObject());
            QCOMPARE(firing.rule, QStringLiteral("scanner"));
            QCOMPARE(firing.service, QStringLiteral("web"));
            QCOMPARE(firing.values.value(QLatin1String("value(security.scanner_alert)")).toDouble(),
                     1.0);
        }
        // The rule's state is visible in the status.
        const auto status = call("GET", QStringLiteral("/api/v1/status"));
        const auto web = protocol::ServiceStatus::fromJson(
            status.body.object().value(QLatin1String("services")).toArray().at(1).toObject());
        QCOMPARE(web.rules.size(), 2);
        QCOMPARE(web.rules.first().rule, QStringLiteral("scanner"));
        QCOMPARE(web.rules.first().phase, QStringLiteral("firing"));
        QCOMPARE(web.health, Health::Failing);
    }

    // A security signal fires a rule with action: freeze: deployments of the service are
    // refused for an hour, unless overridden with a reason (kept with the release).
    void aSecuritySignalFreezesDeployments()
    {
        const auto deploy = [&](const QJsonObject &extra) {
            QJsonObject body{{"service", "web"}, {"version", "v9"}, {"deployed_by", "ci"}};
            for (auto it = extra.begin(); it != extra.end(); ++it)
                body.insert(it.key(), it.value());
            return call("POST", QStringLiteral("/api/v1/deployments"), body);
        };
        QCOMPARE(call("GET", QStringLiteral("/api/v1/freezes"))
                     .body.object()
                     .value(QLatin1String("freezes"))
                     .toArray()
                     .size(),
                 0);
        const auto alert = call("POST", QStringLiteral("/api/v1/signals"),
                                {{"service", "web"},
                                 {"check", "security"},
                                 {"fields", QJsonObject{{"scanner_alert", 2}}}});
        QVERIFY(alert.ok());
        const auto freezes = call("GET", QStringLiteral("/api/v1/freezes"))
                                 .body.object()
                                 .value(QLatin1String("freezes"))
                                 .toArray();
        QCOMPARE(freezes.size(), 1);
        const auto freeze = protocol::FreezeInfo::fromJson(freezes.first().toObject());
        QCOMPARE(freeze.service, QStringLiteral("web"));
        QVERIFY(freeze.reason.contains(QStringLiteral("rule 'lockdown' fired")));
        QVERIFY(freeze.untilMs - freeze.startedAtMs == 3'600'000);
        const auto refused = deploy({});
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.error->code, QStringLiteral("deployment_frozen"));
        QVERIFY2(refused.error->message.contains(QStringLiteral("frozen until")) &&
                     refused.error->message.contains(QStringLiteral("lockdown")),
                 qPrintable(refused.error->message));
        const auto forced = deploy({{"override_freeze", "hotfix for the scanner finding"}});
        QVERIFY2(forced.ok(), forced.error ? qPrintable(forced.error->message) : "");
        QCOMPARE(forced.status, 201);
        const auto release = protocol::ReleaseInfo::fromJson(forced.body.object());
        QCOMPARE(release.freezeOverride, QStringLiteral("hotfix for the scanner finding"));
        QCOMPARE(call("GET", QStringLiteral("/api/v1/releases?service=web"))
                     .body.object()
                     .value(QLatin1String("releases"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("freeze_override"))
                     .toString(),
                 QStringLiteral("hotfix for the scanner finding"));
    }

    void dryRunShowsThePlanWithoutActing()
    {
        // api: v1 (verified, blue) then v2 (green) from the previous test.
        const auto r =
            call("POST", QStringLiteral("/api/v1/rollbacks"),
                 {{"services", QJsonArray{"api"}}, {"reason", "drill"}, {"dry_run", true}});
        QVERIFY2(r.ok(), r.error ? qPrintable(r.error->message) : "");
        QCOMPARE(r.status, 200);
        const auto plan = protocol::RollbackInfo::fromJson(r.body.object());
        QCOMPARE(plan.id, qint64(0)); // not stored
        QCOMPARE(plan.targets.size(), 1);
        QCOMPARE(plan.targets.first().fromVersion, QStringLiteral("v2"));
        QCOMPARE(plan.targets.first().toVersion, QStringLiteral("v1"));
        QCOMPARE(plan.steps.size(), 2);
        QCOMPARE(plan.steps.at(0).kind, QStringLiteral("switch_traffic"));
        QCOMPARE(plan.steps.at(0).description, QStringLiteral("Route api traffic to blue (v1)"));
        QCOMPARE(plan.steps.at(1).kind, QStringLiteral("verify_health"));
        // rewindctl prints the same plan, and runs nothing either.
        const auto ctl =
            m_daemon.ctl(m_token, {QStringLiteral("rollback"), QStringLiteral("plan"),
                                   QStringLiteral("--service"), QStringLiteral("api")});
        const auto &out = ctl.out;
        QCOMPARE(ctl.exitCode, 0);
        QVERIFY2(out.startsWith(QStringLiteral("Plan (dry run, nothing executed), class fast: 1 "
                                               "target(s), 2 step(s)\n")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("1. api       switch_traffic    Route api traffic to "
                                             "blue (v1)")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("2. api       verify_health")) &&
                     out.contains(QStringLiteral("(after 1)")),
                 qPrintable(out));
        const auto bad =
            m_daemon.ctl(m_token, {QStringLiteral("rollback"), QStringLiteral("plan"),
                                   QStringLiteral("--service"), QStringLiteral("nope")});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.err.contains(QStringLiteral("unknown_service")));
        // Nothing was written: the upstream file does not exist, and no rollback is listed.
        QVERIFY(!QFile::exists(m_daemon.path(QStringLiteral("api.conf"))));
        QCOMPARE(call("GET", QStringLiteral("/api/v1/rollbacks"))
                     .body.object()
                     .value(QLatin1String("rollbacks"))
                     .toArray()
                     .size(),
                 0);
    }

    // A reload with a broken file keeps the running configuration; a good one is applied, and
    // the API stays on its port.
    void reloadKeepsThePreviousConfigurationWhenTheNewOneIsBad()
    {
        const QString path = m_daemon.path(QStringLiteral("rewind.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray original = file.readAll();
        file.close();
        const auto serviceNames = [this] {
            QStringList names;
            const auto services = call("GET", QStringLiteral("/api/v1/status"))
                                      .body.object()
                                      .value(QLatin1String("services"))
                                      .toArray();
            for (const auto &s : services)
                names.append(s.toObject().value(QLatin1String("name")).toString());
            return names;
        };
        const auto rewrite = [&](const QByteArray &text) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
        };
        const quint16 port = m_daemon->port();
        QCOMPARE(serviceNames(), (QStringList{QStringLiteral("api"), QStringLiteral("web")}));

        // A rule that names a check the service lacks: refused, with where and what.
        QByteArray broken = original;
        broken.replace("rules:\n", "rules:\n  - {name: broken, services: [api], when: "
                                   "\"error_rate(nope, 1m) > 5%\"}\n");
        rewrite(broken);
        const auto refused = m_daemon->reload();
        QVERIFY(!refused);
        const QString error = refused.error().message;
        QVERIFY2(error.startsWith(path + QLatin1Char(':')), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral(": error: in rule 'broken': unknown check 'nope'")),
                 qPrintable(error));
        QCOMPARE(m_daemon->port(), port);
        QCOMPARE(serviceNames(), (QStringList{QStringLiteral("api"), QStringLiteral("web")}));

        // A valid file with one more service: applied, on the same port.
        QByteArray grown = original;
        grown.replace("rules:\n", "  - name: worker\n    environment: staging\n"
                                  "    checks: [{name: beat, type: signal, fields: {jobs: "
                                  "counter}}]\nrules:\n");
        rewrite(grown);
        const auto grew = m_daemon->reload();
        QVERIFY2(grew, qPrintable(testing::why(grew)));
        QCOMPARE(m_daemon->port(), port);
        QCOMPARE(serviceNames(), (QStringList{QStringLiteral("api"), QStringLiteral("web"),
                                              QStringLiteral("worker")}));

        rewrite(original);
        const auto back = m_daemon->reload();
        QVERIFY2(back, qPrintable(testing::why(back)));
        QCOMPARE(serviceNames(), (QStringList{QStringLiteral("api"), QStringLiteral("web")}));
    }
};

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
