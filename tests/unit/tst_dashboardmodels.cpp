// The dashboard core's session, commands and models over what rewindd sends: events applied to
// the state, and REST answers from a real local HTTP server (QHttpServer on loopback) that
// speaks the /api/v1 routes the models call. Every model runs under QAbstractItemModelTester.
#include "client/approvalmodel.h"
#include "client/commands.h"
#include "client/connection.h"
#include "client/dashboardstate.h"
#include "client/historysources.h"
#include "client/notificationmodel.h"
#include "client/restlistmodel.h"
#include "client/servicefiltermodel.h"
#include "client/servicemetrics.h"
#include "client/servicemodel.h"
#include "client/session.h"
#include "common/clock.h"
#include "httptestserver.h"
#include "selfsigned.h"

#include <QAbstractItemModelTester>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace rwd;

namespace {

constexpr qint64 kNow = 1'800'000'000'000;

// The event stream's transport, driven by the test: what the server would send arrives through
// deliver(); what the client sends is kept in `sent`.
class ScriptedTransport final : public client::EventTransport
{
public:
    void open(const QUrl &url) override
    {
        openedUrl = url;
        emit opened();
    }
    void close() override {}
    void sendText(const QString &message) override { sent.append(message); }
    void deliver(const QJsonObject &message)
    {
        emit textReceived(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }

    QUrl openedUrl;
    QStringList sent;
};

protocol::ServiceStatus service(const QString &name, const QString &env, Health health)
{
    protocol::ServiceStatus s;
    s.name = name;
    s.environment = env;
    s.kind = QStringLiteral("backend");
    s.health = health;
    return s;
}

protocol::RollbackInfo awaiting(qint64 id, const QString &service, const QString &requestedBy)
{
    protocol::RollbackInfo r;
    r.id = id;
    r.state = PlanState::AwaitingApproval;
    r.requestedBy = requestedBy;
    r.reason = QStringLiteral("errors");
    r.createdAtMs = kNow;
    r.approvalsNeeded = 2;
    r.approvalExpiresAtMs = kNow + 60'000;
    protocol::TargetInfo t;
    t.service = service;
    t.fromVersion = QStringLiteral("v2");
    t.toVersion = QStringLiteral("v1");
    r.targets = {t};
    return r;
}

protocol::Event makeEvent(qint64 seq, const char *type, const QJsonObject &data)
{
    return protocol::Event{seq, QString::fromLatin1(type), kNow + seq, data};
}

QJsonObject me(const QString &name, const QJsonObject &permissions)
{
    return {{"name", name}, {"token_kind", "session"}, {"permissions", permissions}};
}

QHttpServerResponse
json(const QJsonObject &body,
     QHttpServerResponder::StatusCode status = QHttpServerResponder::StatusCode::Ok)
{
    return QHttpServerResponse(body, status);
}

} // namespace

class TestDashboardModels : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock{kNow};
    QHttpServer m_server;
    QUrl m_base;
    QHttpServer m_tlsServer; // HTTPS with a self-signed certificate nobody trusts
    quint16 m_tlsPort = 0;
    QTemporaryDir m_dir;
    int m_auditPages = 0;
    QList<QJsonObject> m_posts; // bodies POSTed to /api/v1/rollbacks…
    QStringList m_postPaths;

private slots:
    void initTestCase()
    {
        // The routes the models call, answering what rewindd would.
        m_server.route(
            QStringLiteral("/api/v1/login"), QHttpServerRequest::Method::Post,
            [](const QHttpServerRequest &request) {
                const auto body = QJsonDocument::fromJson(request.body()).object();
                const auto name = body.value(QLatin1String("name")).toString();
                if (name == u"locked")
                    return json({{"code", "too_many_attempts"}, {"message", "retry in 60 s"}},
                                QHttpServerResponder::StatusCode::TooManyRequests);
                if (body.value(QLatin1String("password")).toString() != u"right")
                    return json({{"code", "invalid_credentials"},
                                 {"message", "wrong user name or password"}},
                                QHttpServerResponder::StatusCode::Unauthorized);
                return json({{"token", "rwd_session"},
                             {"expires_at", "2030-01-01T00:00:00.000Z"},
                             {"user", me(name, {{"production", QJsonArray{"read", "approve"}},
                                                {"staging", QJsonArray{"read", "operate"}}})}});
            });
        m_server.route(QStringLiteral("/api/v1/incidents"), [](const QHttpServerRequest &) {
            QJsonArray incidents;
            for (int id : {2, 1}) {
                protocol::IncidentInfo i;
                i.id = id;
                i.title = id == 2 ? QStringLiteral("api error rate") : QStringLiteral("web down");
                i.services = {id == 2 ? QStringLiteral("api") : QStringLiteral("web")};
                i.severity = QStringLiteral("critical");
                i.openedAtMs = kNow - id * 1000;
                i.notes = {protocol::IncidentNote{kNow, QStringLiteral("alice"),
                                                  QStringLiteral("note"),
                                                  QStringLiteral("root cause: migration")}};
                incidents.append(i.toJson());
            }
            return json({{"incidents", incidents}});
        });
        // The audit log in pages of `limit` rows after `after_id`: 2,500 rows in all.
        m_server.route(QStringLiteral("/api/v1/audit"), [this](const QHttpServerRequest &request) {
            ++m_auditPages;
            const QUrlQuery query(request.url());
            const qint64 after = query.queryItemValue(QStringLiteral("after_id")).toLongLong();
            const int limit = query.queryItemValue(QStringLiteral("limit")).toInt();
            QJsonArray entries;
            for (qint64 id = after + 1; id <= std::min<qint64>(after + limit, 2500); ++id)
                entries.append(QJsonObject{{"id", id},
                                           {"at", protocol::isoTime(kNow + id)},
                                           {"actor", id % 2 ? "alice" : "rewind"},
                                           {"action", id % 2 ? "rollback_approved" : "login"},
                                           {"target", QStringLiteral("rollback #%1").arg(id)},
                                           {"details", QJsonObject{{"n", id}}}});
            return json({{"entries", entries}});
        });
        m_server.route(QStringLiteral("/api/v1/services/<arg>/metrics"), [](const QString &name,
                                                                            const QHttpServerRequest
                                                                                &request) {
            if (name != u"api")
                return json({{"code", "not_found"}, {"message", "no service"}},
                            QHttpServerResponder::StatusCode::NotFound);
            const QUrlQuery query(request.url());
            const qint64 since = query.queryItemValue(QStringLiteral("since")).toLongLong();
            protocol::SeriesInfo s;
            s.name = QStringLiteral("error_rate(traffic, 1m)");
            s.label = QStringLiteral("error rate");
            s.unit = QStringLiteral("ratio");
            s.stepMs = 1000;
            // Points from `since`: the model asked for its range.
            for (qint64 t = since; t <= kNow; t += 60'000)
                s.points.append({t, 0.01});
            s.thresholds = {
                {QStringLiteral("errors"), QStringLiteral(">"), 0.05, QStringLiteral("critical")}};
            return json({{"service", name}, {"step_ms", 1000}, {"series", QJsonArray{s.toJson()}}});
        });
        m_server.route(QStringLiteral("/api/v1/releases"), [](const QHttpServerRequest &) {
            protocol::ReleaseInfo r;
            r.id = 5;
            r.service = QStringLiteral("api");
            r.version = QStringLiteral("v2");
            r.deployedAtMs = kNow - 120'000;
            protocol::ReleaseInfo old = r;
            old.id = 4;
            old.version = QStringLiteral("v1");
            old.deployedAtMs = kNow - 3 * 3600'000; // before any range the test asks for
            return json({{"releases", QJsonArray{r.toJson(), old.toJson()}}});
        });
        m_server.route(QStringLiteral("/api/v1/rollbacks"), QHttpServerRequest::Method::Post,
                       [this](const QHttpServerRequest &request) {
                           const auto body = QJsonDocument::fromJson(request.body()).object();
                           m_posts.append(body);
                           m_postPaths.append(request.url().path());
                           auto r = awaiting(body.value(QLatin1String("dry_run")).toBool() ? 0 : 12,
                                             QStringLiteral("api"), QStringLiteral("alice"));
                           protocol::StepInfo step;
                           step.index = 0;
                           step.service = QStringLiteral("api");
                           step.kind = QStringLiteral("switch_traffic");
                           step.description = QStringLiteral("Route api traffic to green (v1)");
                           r.steps = {step};
                           return json(r.toJson(), r.id == 0
                                                       ? QHttpServerResponder::StatusCode::Ok
                                                       : QHttpServerResponder::StatusCode::Created);
                       });
        m_server.route(
            QStringLiteral("/api/v1/rollbacks/<arg>/approve"), QHttpServerRequest::Method::Post,
            [this](const QString &id, const QHttpServerRequest &request) {
                m_posts.append(QJsonDocument::fromJson(request.body()).object());
                m_postPaths.append(request.url().path());
                if (id == u"13")
                    return json({{"code", "self_approval"},
                                 {"message", "you cannot approve your own rollback"}},
                                QHttpServerResponder::StatusCode::Forbidden);
                return json(awaiting(id.toLongLong(), QStringLiteral("api"), QStringLiteral("bob"))
                                .toJson());
            });
        const auto port = m_server.listen(QHostAddress::LocalHost, 0);
        QVERIFY(port > 0);
        m_base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));

        const auto tls = testing::makeSelfSigned(m_dir.path(), QStringLiteral("127.0.0.1"));
        QVERIFY2(tls.error.isEmpty(), qPrintable(tls.error));
        QFile certFile(tls.certificate);
        QFile keyFile(tls.key);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        m_tlsServer.sslSetup(QSslCertificate(certFile.readAll()),
                             QSslKey(keyFile.readAll(), QSsl::Rsa));
        m_tlsServer.route(QStringLiteral("/api/v1/login"), [] {
            return QHttpServerResponse(QJsonObject{{"token", "never"}});
        });
        m_tlsPort = m_tlsServer.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_tlsPort > 0);
    }

    void overviewCountsAndFilters()
    {
        client::DashboardState state;
        state.setClock(&m_clock);
        client::ServiceListModel services(&state);
        client::ServiceFilterModel overview(&services);
        QAbstractItemModelTester tester(&overview,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        protocol::Snapshot snapshot;
        snapshot.services = {
            service(QStringLiteral("web"), QStringLiteral("production"), Health::Healthy),
            service(QStringLiteral("api"), QStringLiteral("production"), Health::Failing),
            service(QStringLiteral("worker"), QStringLiteral("staging"), Health::Degraded),
            service(QStringLiteral("db"), QStringLiteral("staging"), Health::Unknown)};
        state.reset(snapshot, 1);
        QCOMPARE(overview.count(), 4);
        QCOMPARE(overview.environments(),
                 (QStringList{QStringLiteral("production"), QStringLiteral("staging")}));
        QCOMPARE(overview.healthy(), 1);
        QCOMPARE(overview.failing(), 1);
        QCOMPARE(overview.degraded(), 1);
        QCOMPARE(overview.unknown(), 1);

        overview.setEnvironment(QStringLiteral("staging"));
        QCOMPARE(overview.count(), 2);
        QCOMPARE(overview.nameAt(0), QStringLiteral("worker"));
        QCOMPARE(overview.failing(), 0);
        overview.setEnvironment({});
        overview.setSearch(QStringLiteral("  AP "));
        QCOMPARE(overview.count(), 1);
        QCOMPARE(overview.nameAt(0), QStringLiteral("api"));
        overview.setSearch({});

        // A health change reaches the counts; a freeze marks the service until it ends.
        QSignalSpy counts(&overview, &client::ServiceFilterModel::countsChanged);
        auto api = service(QStringLiteral("api"), QStringLiteral("production"), Health::Healthy);
        state.apply(makeEvent(2, protocol::event::ServiceUpdated, api.toJson()));
        QVERIFY(counts.count() > 0);
        QCOMPARE(overview.healthy(), 2);
        QCOMPARE(overview.failing(), 0);
        protocol::FreezeInfo freeze;
        freeze.service = QStringLiteral("api");
        freeze.reason = QStringLiteral("after rollback #3");
        freeze.startedAtMs = kNow;
        freeze.untilMs = kNow + 3600'000;
        state.apply(makeEvent(3, protocol::event::FreezeStarted, freeze.toJson()));
        QCOMPARE(overview.frozen(), 1);
        const auto row = state.indexOfService(QStringLiteral("api"));
        QVERIFY(services.index(row).data(client::ServiceListModel::FrozenRole).toBool());
        QCOMPARE(services.index(row).data(client::ServiceListModel::FreezeReasonRole).toString(),
                 freeze.reason);
        m_clock.advance(3600'001);
        state.setFreezes(state.freezes()); // what the app's freeze timer does when one ends
        QCOMPARE(overview.frozen(), 0);
        m_clock.set(kNow);
    }

    void pendingApprovalsFollowEventsAndPermissions()
    {
        client::DashboardState state;
        state.setClock(&m_clock);
        client::Connection connection(new ScriptedTransport, &state);
        client::Session session(&connection);
        client::PendingApprovalModel approvals(&state, &session);
        QAbstractItemModelTester tester(&approvals,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        protocol::Snapshot snapshot;
        snapshot.services = {
            service(QStringLiteral("api"), QStringLiteral("production"), Health::Failing),
            service(QStringLiteral("web"), QStringLiteral("staging"), Health::Healthy)};
        state.reset(snapshot, 1);
        QCOMPARE(approvals.rowCount(), 0);

        auto r = awaiting(7, QStringLiteral("api"), QStringLiteral("bob"));
        state.apply(makeEvent(2, protocol::event::ApprovalRequested,
                              {{"rollback", r.toJson()}, {"needed", 2}}));
        QCOMPARE(approvals.rowCount(), 1);
        const auto row = approvals.index(0);
        QCOMPARE(row.data(client::PendingApprovalModel::IdRole).toLongLong(), qint64(7));
        QCOMPARE(row.data(client::PendingApprovalModel::EnvironmentsRole).toStringList(),
                 QStringList{QStringLiteral("production")});
        // Nobody signed in: nobody decides.
        QVERIFY(!row.data(client::PendingApprovalModel::CanDecideRole).toBool());

        session.setPrincipal(
            me(QStringLiteral("alice"), {{"production", QJsonArray{"read", "approve"}}}));
        QVERIFY(approvals.index(0).data(client::PendingApprovalModel::CanDecideRole).toBool());
        session.setPrincipal(
            me(QStringLiteral("bob"), {{"production", QJsonArray{"read", "approve"}}}));
        QVERIFY(!approvals.index(0).data(client::PendingApprovalModel::CanDecideRole).toBool());
        QVERIFY(approvals.whyNot(7).contains(QLatin1String("You requested")));
        session.setPrincipal(
            me(QStringLiteral("olga"), {{"production", QJsonArray{"read", "operate"}},
                                        {"staging", QJsonArray{"read", "approve"}}}));
        QVERIFY(approvals.whyNot(7).contains(QLatin1String("production")));

        // A first approval: counted, and its author may not decide again.
        r.approvals = {protocol::ApprovalInfo{QStringLiteral("alice"), QStringLiteral("approved"),
                                              QStringLiteral("ok"), kNow + 5}};
        state.apply(makeEvent(
            3, protocol::event::ApprovalGranted,
            {{"rollback", r.toJson()}, {"by", "alice"}, {"approvals", 1}, {"needed", 2}}));
        QCOMPARE(approvals.index(0).data(client::PendingApprovalModel::ApprovalsRole).toInt(), 1);
        QCOMPARE(
            approvals.index(0).data(client::PendingApprovalModel::ApproversRole).toStringList(),
            QStringList{QStringLiteral("alice")});
        session.setPrincipal(
            me(QStringLiteral("alice"), {{"production", QJsonArray{"read", "approve"}}}));
        QVERIFY(!approvals.index(0).data(client::PendingApprovalModel::CanDecideRole).toBool());
        QVERIFY(approvals.whyNot(7).contains(QLatin1String("already decided")));

        // Expired: no one decides any more, even before the server says so.
        session.setPrincipal(
            me(QStringLiteral("carol"), {{"production", QJsonArray{"read", "approve"}}}));
        QVERIFY(approvals.index(0).data(client::PendingApprovalModel::CanDecideRole).toBool());
        m_clock.advance(60'001);
        approvals.refresh();
        QVERIFY(!approvals.index(0).data(client::PendingApprovalModel::CanDecideRole).toBool());
        m_clock.set(kNow);

        // Once it runs, it no longer waits.
        r.state = PlanState::Running;
        state.apply(makeEvent(4, protocol::event::RollbackStarted, r.toJson()));
        QCOMPARE(approvals.rowCount(), 0);
    }

    void notificationsOfApprovalsAndOutcomes()
    {
        client::DashboardState state;
        client::NotificationModel notifications(&state);
        QAbstractItemModelTester tester(&notifications,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy posted(&notifications, &client::NotificationModel::posted);
        state.reset({}, 0);
        auto r = awaiting(7, QStringLiteral("api"), QStringLiteral("bob"));
        state.apply(makeEvent(1, protocol::event::ApprovalRequested, {{"rollback", r.toJson()}}));
        state.apply(makeEvent(2, protocol::event::ApprovalGranted,
                              {{"rollback", r.toJson()}, {"by", "alice"}, {"comment", "go"}}));
        r.state = PlanState::Failed;
        r.message = QStringLiteral("verification failed");
        state.apply(makeEvent(3, protocol::event::RollbackFinished, {{"rollback", r.toJson()}}));
        // Escalation repeats what rollback_finished said: not a second notification.
        state.apply(makeEvent(4, protocol::event::RollbackEscalated,
                              {{"rollback", r.toJson()}, {"reason", "failed"}}));
        state.apply(makeEvent(5, protocol::event::HealthChanged, {{"service", "api"}}));
        QCOMPARE(notifications.rowCount(), 3);
        QCOMPARE(posted.count(), 3);
        QCOMPARE(notifications.unread(), 3);
        const auto newest = notifications.index(0);
        QCOMPARE(newest.data(client::NotificationModel::KindRole).toString(),
                 QStringLiteral("rollback_failed"));
        QVERIFY(newest.data(client::NotificationModel::UrgentRole).toBool());
        QVERIFY(newest.data(client::NotificationModel::TextRole).toString().contains(r.message));
        QCOMPARE(notifications.index(1).data(client::NotificationModel::TitleRole).toString(),
                 QStringLiteral("alice approved rollback #7"));
        QCOMPARE(notifications.index(2).data(client::NotificationModel::KindRole).toString(),
                 QStringLiteral("approval_requested"));
        notifications.markAllRead();
        QCOMPARE(notifications.unread(), 0);
        for (int i = 0; i < client::NotificationModel::kMaxItems + 5; ++i)
            state.apply(
                makeEvent(10 + i, protocol::event::ApprovalRequested, {{"rollback", r.toJson()}}));
        QCOMPARE(notifications.rowCount(), client::NotificationModel::kMaxItems);
    }

    void signInOutcomes_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("kind");
        QTest::newRow("right password") << QString() << "alice"
                                        << "right" << int(client::Session::ErrorKind::None);
        QTest::newRow("wrong password")
            << QString() << "alice"
            << "wrong" << int(client::Session::ErrorKind::BadCredentials);
        QTest::newRow("locked out") << QString() << "locked"
                                    << "right" << int(client::Session::ErrorKind::Locked);
        QTest::newRow("not an address") << "http://"
                                        << "alice"
                                        << "right" << int(client::Session::ErrorKind::BadAddress);
        QTest::newRow("nothing listening")
            << "closed"
            << "alice"
            << "right" << int(client::Session::ErrorKind::Unreachable);
        QTest::newRow("https to a plain server") << "tls"
                                                 << "alice"
                                                 << "right" << int(client::Session::ErrorKind::Tls);
        QTest::newRow("untrusted certificate") << "selfsigned"
                                               << "alice"
                                               << "right" << int(client::Session::ErrorKind::Tls);
    }

    void signInOutcomes()
    {
        QFETCH(QString, server);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(int, kind);
        QString address = m_base.authority();
        if (server == u"closed") {
            // A port that was free a moment ago: nothing answers there.
            const quint16 port = testing::closedPort();
            QVERIFY(port > 0);
            address = QStringLiteral("127.0.0.1:%1").arg(port);
        } else if (server == u"tls") {
            address = QStringLiteral("https://") + m_base.authority();
        } else if (server == u"selfsigned") {
            address = QStringLiteral("https://127.0.0.1:%1").arg(m_tlsPort);
        } else if (!server.isEmpty()) {
            address = server;
        }
        client::DashboardState state;
        auto *transport = new ScriptedTransport;
        client::Connection connection(transport, &state);
        client::Session session(&connection);
        QSignalSpy changed(&session, &client::Session::changed);
        session.signIn(address, user, password);
        QTRY_VERIFY_WITH_TIMEOUT(!session.busy(), 10'000);
        QCOMPARE(int(session.errorKind()), kind);
        if (kind == int(client::Session::ErrorKind::None)) {
            QVERIFY(session.signedIn());
            QCOMPARE(session.user(), QStringLiteral("alice"));
            QVERIFY(session.may(QStringLiteral("approve"), QStringLiteral("production")));
            QVERIFY(!session.may(QStringLiteral("approve"), QStringLiteral("staging")));
            QVERIFY(session.mayInAll(QStringLiteral("read"),
                                     {QStringLiteral("production"), QStringLiteral("staging")}));
            QVERIFY(!session.mayInAll(QStringLiteral("read"), {}));
            // The event stream opened with the session token as its first message.
            QCOMPARE(transport->openedUrl.path(), QStringLiteral("/ws/v1"));
            QVERIFY(transport->sent.value(0).contains(QLatin1String("rwd_session")));
        } else {
            QVERIFY(!session.signedIn());
            QVERIFY(!session.errorString().isEmpty());
            QVERIFY(!session.errorString().contains(password)); // never echoed
            QVERIFY(transport->openedUrl.isEmpty());
        }
    }

    void commandsPlanRequestAndApprove()
    {
        client::RestClient rest;
        rest.setBaseUrl(m_base);
        client::Commands commands(&rest);
        QSignalSpy finished(&commands, &client::Commands::finished);
        m_posts.clear();
        m_postPaths.clear();
        commands.planRollback({QStringLiteral("api")}, QStringLiteral("errors"),
                              QStringLiteral("fast"));
        QVERIFY(commands.busy());
        // A second command while one runs is refused, not queued.
        commands.approve(7, {});
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(!commands.busy());
        QCOMPARE(m_posts.value(0).value(QLatin1String("dry_run")).toBool(), true);
        QCOMPARE(m_posts.value(0).value(QLatin1String("class")).toString(), QStringLiteral("fast"));
        const auto steps = commands.plan().value(QStringLiteral("steps")).toList();
        QCOMPARE(steps.size(), 1);
        QCOMPARE(steps.first().toMap().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("switch_traffic"));
        QCOMPARE(commands.plan().value(QStringLiteral("approvalsNeeded")).toInt(), 2);

        finished.clear();
        commands.requestRollback({QStringLiteral("api")}, QStringLiteral("errors"));
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).toString(), QStringLiteral("request"));
        QCOMPARE(finished.first().at(2).toLongLong(), qint64(12));
        QVERIFY(!m_posts.value(1).contains(QLatin1String("dry_run")));

        finished.clear();
        commands.approve(7, QStringLiteral("looked at the graphs"));
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(finished.first().at(0).toBool());
        QCOMPARE(m_postPaths.value(2), QStringLiteral("/api/v1/rollbacks/7/approve"));
        QCOMPARE(m_posts.value(2).value(QLatin1String("comment")).toString(),
                 QStringLiteral("looked at the graphs"));
        // The server refuses: the reason reaches the view.
        finished.clear();
        commands.approve(13, {});
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(!finished.first().at(0).toBool());
        QCOMPARE(commands.lastError(), QStringLiteral("you cannot approve your own rollback"));
    }

    void restListsSearchAndPage()
    {
        client::RestClient rest;
        rest.setBaseUrl(m_base);
        client::RestListModel incidents(&rest, client::incidentsSource());
        QAbstractItemModelTester incidentTester(
            &incidents, QAbstractItemModelTester::FailureReportingMode::QtTest);
        incidents.refresh();
        QVERIFY(incidents.loading());
        QTRY_VERIFY(!incidents.loading());
        QCOMPARE(incidents.count(), 2);
        QCOMPARE(incidents.get(0).value(QStringLiteral("title")).toString(),
                 QStringLiteral("api error rate"));
        QCOMPARE(incidents.get(0).value(QStringLiteral("notes")).toList().size(), 1);
        incidents.setSearch(QStringLiteral("WEB"));
        QCOMPARE(incidents.count(), 1);
        QCOMPARE(incidents.get(0).value(QStringLiteral("id")).toLongLong(), qint64(1));
        incidents.setSearch(QStringLiteral("migration")); // inside a note: not searched
        QCOMPARE(incidents.count(), 0);
        incidents.setSearch({});
        QCOMPARE(incidents.byId(2).value(QStringLiteral("severity")).toString(),
                 QStringLiteral("critical"));

        // The audit log comes in pages and is shown newest first.
        client::RestListModel audit(&rest, client::auditSource());
        QAbstractItemModelTester auditTester(
            &audit, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_auditPages = 0;
        audit.refresh();
        QTRY_VERIFY(!audit.loading());
        QCOMPARE(m_auditPages, 3);
        QCOMPARE(audit.count(), 2500);
        QCOMPARE(audit.get(0).value(QStringLiteral("id")).toLongLong(), qint64(2500));
        QCOMPARE(audit.get(2499).value(QStringLiteral("id")).toLongLong(), qint64(1));
        audit.setSearch(QStringLiteral("rollback #250"));
        // 250 and 2500–2509 that exist (2500 only): ids containing "rollback #250".
        QCOMPARE(audit.count(), 2);
        audit.clear();
        QCOMPARE(audit.count(), 0);
    }

    void serviceMetricsHistoryLiveAndMarkers()
    {
        client::DashboardState state;
        state.setClock(&m_clock);
        auto *transport = new ScriptedTransport;
        client::Connection connection(transport, &state);
        connection.connectTo(m_base, QStringLiteral("rwd_token"));
        transport->deliver({{"type", "authenticated"}, {"user", "alice"}});
        protocol::Snapshot snapshot;
        snapshot.services = {
            service(QStringLiteral("api"), QStringLiteral("production"), Health::Healthy)};
        transport->deliver(
            {{"type", "snapshot"}, {"seq", 1}, {"stream", "s1"}, {"data", snapshot.toJson()}});

        client::ServiceMetrics metrics(&connection, &state);
        QAbstractItemModelTester tester(&metrics,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        metrics.setRangeMinutes(15);
        metrics.setService(QStringLiteral("api"));
        // The connection asked for the live points of api.
        QVERIFY(transport->sent.last().contains(QLatin1String("subscribe_metrics")));
        QVERIFY(transport->sent.last().contains(QLatin1String("\"api\"")));
        QTRY_VERIFY(!metrics.loading());
        QCOMPARE(metrics.rowCount(), 1);
        // 15 minutes back at one point a minute, the last one now.
        QCOMPARE(metrics.pointsOf(0).size(), 16);
        QCOMPARE(metrics.pointsOf(0).first().x(), double(kNow - 15 * 60'000));
        const auto thresholds =
            metrics.index(0).data(client::ServiceMetrics::ThresholdsRole).toList();
        QCOMPARE(thresholds.size(), 1);
        QCOMPARE(thresholds.first().toMap().value(QStringLiteral("value")).toDouble(), 0.05);
        QCOMPARE(metrics.index(0).data(client::ServiceMetrics::MaxValueRole).toDouble(), 0.05);
        // The deploy inside the range is a marker; the one before it is not.
        QTRY_COMPARE(metrics.markers().size(), 1);
        QCOMPARE(metrics.markers().first().toMap().value(QStringLiteral("label")).toString(),
                 QStringLiteral("v2"));

        // A live point extends the series; a point for another service does not.
        QSignalSpy points(&metrics, &client::ServiceMetrics::pointsChanged);
        m_clock.advance(1000);
        transport->deliver(
            {{"type", "metrics"},
             {"service", "api"},
             {"time", protocol::isoTime(kNow + 1000)},
             {"points", QJsonObject{{"error_rate(traffic, 1m)", 0.2}, {"traffic.requests", 40}}}});
        transport->deliver({{"type", "metrics"},
                            {"service", "web"},
                            {"time", protocol::isoTime(kNow + 1000)},
                            {"points", QJsonObject{{"error_rate(traffic, 1m)", 0.9}}}});
        QCOMPARE(points.count(), 1);
        QCOMPARE(metrics.rowCount(), 2); // a series first seen live gets a row
        // One point came, and the oldest left the 15-minute range.
        QCOMPARE(metrics.pointsOf(0).size(), 16);
        QCOMPARE(metrics.pointsOf(0).first().x(), double(kNow - 14 * 60'000));
        QCOMPARE(metrics.pointsOf(0).last(), QPointF(double(kNow + 1000), 0.2));
        QCOMPARE(metrics.index(0).data(client::ServiceMetrics::LastValueRole).toString().isEmpty(),
                 false);

        // A shorter range drops the older points without asking the server.
        metrics.setRangeMinutes(5);
        QVERIFY(!metrics.loading());
        for (const auto &p : metrics.pointsOf(0))
            QVERIFY(p.x() >= double(kNow + 1000 - 5 * 60'000));

        // Leaving the service ends the subscription.
        metrics.setService({});
        QVERIFY(transport->sent.last().contains(QLatin1String("\"services\":[]")));
        QCOMPARE(metrics.rowCount(), 0);
        m_clock.set(kNow);
    }
};

QTEST_GUILESS_MAIN(TestDashboardModels)
#include "tst_dashboardmodels.moc"
