// Qt Quick Test of the approval buttons: ApprovalList over a real PendingApprovalModel, fed
// with the JSON the server sends, for users of each role. The QML side is tst_approvals.qml.
#include "client/approvalmodel.h"
#include "client/connection.h"
#include "client/dashboardstate.h"
#include "client/session.h"
#include "common/clock.h"

#include <QJsonArray>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQmlEngineExtensionPlugin>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Rewind_DashboardPlugin)

using namespace rwd;

namespace {

// A transport that goes nowhere: the fixture never opens the event stream.
class NoTransport final : public client::EventTransport
{
public:
    void open(const QUrl &) override {}
    void close() override {}
    void sendText(const QString &) override {}
};

} // namespace

// What the QML test drives: the state (a production service, a rollback awaiting approval),
// the session (who is signed in, with which permissions) and the clock.
class Fixture final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(rwd::client::PendingApprovalModel *approvals READ approvals CONSTANT)

public:
    Fixture()
        : m_connection(new NoTransport, &m_state)
        , m_session(&m_connection)
        , m_approvals(&m_state, &m_session)
    {
        m_state.setClock(&m_clock);
    }

    client::PendingApprovalModel *approvals() { return &m_approvals; }

    // Rollback #7 of api (production) requested by bob, approved so far by carol, needing 2
    // approvals, expiring in 30 minutes.
    Q_INVOKABLE void load()
    {
        protocol::Snapshot snapshot;
        protocol::ServiceStatus api;
        api.name = QStringLiteral("api");
        api.environment = QStringLiteral("production");
        snapshot.services = {api};
        protocol::RollbackInfo r;
        r.id = 7;
        r.state = PlanState::AwaitingApproval;
        r.trigger = QStringLiteral("manual");
        r.reason = QStringLiteral("errors after v1.2");
        r.requestedBy = QStringLiteral("bob");
        r.createdAtMs = m_clock.nowMs();
        r.approvalsNeeded = 2;
        r.approvalExpiresAtMs = m_clock.nowMs() + 30 * 60'000;
        protocol::TargetInfo t;
        t.service = QStringLiteral("api");
        t.fromVersion = QStringLiteral("v1.2");
        t.toVersion = QStringLiteral("v1.1");
        r.targets = {t};
        r.approvals = {protocol::ApprovalInfo{
            QStringLiteral("carol"), QStringLiteral("approved"), {}, m_clock.nowMs()}};
        snapshot.rollbacks = {r};
        m_state.reset(snapshot, 1);
    }

    // Signs `user` in with `permissions` ({environment: [permission…]}), as /me reports them.
    Q_INVOKABLE void signInAs(const QString &user, const QVariantMap &permissions)
    {
        m_session.setPrincipal(
            QJsonObject{{"name", user},
                        {"token_kind", "session"},
                        {"permissions", QJsonObject::fromVariantMap(permissions)}});
    }

    Q_INVOKABLE void advanceMinutes(int minutes) { m_clock.advance(qint64(minutes) * 60'000); }

private:
    ManualClock m_clock;
    client::DashboardState m_state;
    client::Connection m_connection;
    client::Session m_session;
    client::PendingApprovalModel m_approvals;
};

class Setup final : public QObject
{
    Q_OBJECT

public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->rootContext()->setContextProperty(QStringLiteral("fixture"), &m_fixture);
    }

private:
    Fixture m_fixture;
};

QUICK_TEST_MAIN_WITH_SETUP(approvals, Setup)
#include "tst_approvals.moc"
