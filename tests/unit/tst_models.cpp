// The dashboard core's state and models, fed with the same JSON the server sends, checked
// with QAbstractItemModelTester.
#include "client/dashboardstate.h"
#include "client/rollbackmodel.h"
#include "client/servicemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace rwd;

namespace {

protocol::ServiceStatus service(const QString &name, Health health, const QString &version)
{
    protocol::ServiceStatus s;
    s.name = name;
    s.environment = QStringLiteral("staging");
    s.kind = QStringLiteral("backend");
    s.health = health;
    if (!version.isEmpty()) {
        protocol::ReleaseInfo r;
        r.id = 1;
        r.service = name;
        r.version = version;
        r.state = ReleaseState::Verified;
        s.current = r;
        s.lastGood = r;
    }
    return s;
}

protocol::Event makeEvent(qint64 seq, const char *type, const QJsonObject &data)
{
    return protocol::Event{seq, QString::fromLatin1(type), 1'700'000'000'000 + seq, data};
}

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private slots:
    // Why the live release is not (yet) verified, as the service page shows it: time left
    // counted to the moment shown, the samples against the budget, what is missing, the rule.
    void explainsTheVerificationOfTheLiveRelease()
    {
        protocol::ReleaseInfo r;
        r.state = ReleaseState::Live;
        QCOMPARE(client::ServiceListModel::verificationText(r, 0), QString());
        r.verification.state = QStringLiteral("pending");
        r.verification.dueAtMs = 100'000;
        r.verification.errorBudget = 0.01;
        protocol::VerificationCheck c;
        c.check = QStringLiteral("health");
        c.samples = 40;
        c.failed = 2;
        c.needed = 30;
        c.errorRate = 0.05;
        r.verification.checks = {c};
        const auto pending = client::ServiceListModel::verificationText(r, 40'000);
        QVERIFY2(pending.contains(QStringLiteral("1m left")) &&
                     pending.contains(QStringLiteral("health: 2 of 40 samples failed (5.0%)")) &&
                     pending.contains(QStringLiteral("1.0%")),
                 qPrintable(pending));
        r.verification.state = QStringLiteral("over_budget");
        QVERIFY(client::ServiceListModel::verificationText(r, 0).startsWith(
            QStringLiteral("Not verified: over the 1.0% error budget")));
        r.verification.state = QStringLiteral("insufficient_data");
        r.verification.checks[0].samples = 12;
        QVERIFY2(client::ServiceListModel::verificationText(r, 0).contains(
                     QStringLiteral("health: 12 of 30 samples")),
                 qPrintable(client::ServiceListModel::verificationText(r, 0)));
        r.verification.state = QStringLiteral("rule_fired");
        r.verification.rule = QStringLiteral("errors");
        QCOMPARE(client::ServiceListModel::verificationText(r, 0),
                 QStringLiteral("Not verified: rule errors fired"));
        // A verified release needs no explanation.
        r.state = ReleaseState::Verified;
        QCOMPARE(client::ServiceListModel::verificationText(r, 0), QString());
    }

    void servicesFollowSnapshotAndEvents()
    {
        client::DashboardState state;
        client::ServiceListModel model(&state);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        protocol::Snapshot snapshot;
        snapshot.services = {service(QStringLiteral("web"), Health::Healthy, QStringLiteral("v1")),
                             service(QStringLiteral("api"), Health::Unknown, {})};
        state.reset(snapshot, 10);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(client::ServiceListModel::NameRole).toString(),
                 QStringLiteral("web"));
        QCOMPARE(model.index(0).data(client::ServiceListModel::CurrentVersionRole).toString(),
                 QStringLiteral("v1"));
        QCOMPARE(model.index(1).data(client::ServiceListModel::HealthRole).toString(),
                 QStringLiteral("unknown"));
        QCOMPARE(model.index(1).data(client::ServiceListModel::CurrentVersionRole).toString(),
                 QString());

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        auto failing = service(QStringLiteral("api"), Health::Failing, QStringLiteral("v2"));
        protocol::FiringInfo f;
        f.rule = QStringLiteral("errors");
        f.severity = QStringLiteral("critical");
        failing.firings = {f};
        state.apply(makeEvent(11, protocol::event::ServiceUpdated, failing.toJson()));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
        QCOMPARE(model.index(1).data(client::ServiceListModel::HealthRole).toString(),
                 QStringLiteral("failing"));
        QCOMPARE(model.index(1).data(client::ServiceListModel::FiringSummaryRole).toString(),
                 QStringLiteral("errors (critical)"));
        // Old or repeated events are ignored.
        state.apply(makeEvent(
            11, protocol::event::ServiceUpdated,
            service(QStringLiteral("api"), Health::Healthy, QStringLiteral("v9")).toJson()));
        QCOMPARE(model.index(1).data(client::ServiceListModel::CurrentVersionRole).toString(),
                 QStringLiteral("v2"));
        QCOMPARE(state.lastSeq(), qint64(11));
    }

    void rollbacksGrowAndProgressLive()
    {
        client::DashboardState state;
        client::RollbackListModel model(&state);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        state.reset({}, 0);
        QCOMPARE(model.rowCount(), 0);

        protocol::RollbackInfo r;
        r.id = 3;
        r.state = PlanState::Running;
        r.createdAtMs = 1'700'000'000'000;
        r.targets = {{QStringLiteral("api"),
                      QStringLiteral("v2"),
                      QStringLiteral("v1"),
                      2,
                      1,
                      QStringLiteral("blue_green"),
                      {}}};
        protocol::StepInfo sw;
        sw.index = 0;
        sw.kind = QStringLiteral("switch_traffic");
        sw.description = QStringLiteral("Route api traffic to green (v1)");
        protocol::StepInfo verify;
        verify.index = 1;
        verify.kind = QStringLiteral("verify_health");
        verify.description = QStringLiteral("Verify api");
        r.steps = {sw, verify};
        state.apply(makeEvent(1, protocol::event::RollbackStarted, r.toJson()));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(client::RollbackListModel::SummaryRole).toString(),
                 QStringLiteral("api v2 → v1"));
        QCOMPARE(model.index(0).data(client::RollbackListModel::StepsDoneRole).toInt(), 0);

        sw.state = StepState::Running;
        sw.startedAtMs = r.createdAtMs + 5;
        state.apply(makeEvent(2, protocol::event::StepStarted,
                              {{"rollback_id", 3}, {"step", sw.toJson()}}));
        QCOMPARE(model.index(0).data(client::RollbackListModel::CurrentStepRole).toString(),
                 sw.description);
        sw.state = StepState::Succeeded;
        sw.finishedAtMs = r.createdAtMs + 25;
        state.apply(makeEvent(3, protocol::event::StepFinished,
                              {{"rollback_id", 3}, {"step", sw.toJson()}}));
        verify.state = StepState::Running;
        verify.startedAtMs = r.createdAtMs + 26;
        state.apply(makeEvent(4, protocol::event::StepStarted,
                              {{"rollback_id", 3}, {"step", verify.toJson()}}));
        QCOMPARE(model.index(0).data(client::RollbackListModel::StateRole).toString(),
                 QStringLiteral("verifying"));
        QCOMPARE(model.index(0).data(client::RollbackListModel::StepsDoneRole).toInt(), 1);
        const auto steps = model.index(0).data(client::RollbackListModel::StepsRole).toList();
        QCOMPARE(steps.first().toMap().value(QStringLiteral("durationMs")).toLongLong(),
                 qint64(20));

        r.state = PlanState::Succeeded;
        r.finishedAtMs = r.createdAtMs + 400;
        sw.state = StepState::Succeeded;
        verify.state = StepState::Succeeded;
        r.steps = {sw, verify};
        state.apply(makeEvent(5, protocol::event::RollbackFinished, {{"rollback", r.toJson()}}));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0).data(client::RollbackListModel::FinishedRole).toBool());
        QCOMPARE(model.index(0).data(client::RollbackListModel::DurationMsRole).toLongLong(),
                 qint64(400));

        // A second rollback goes on top.
        r.id = 4;
        r.state = PlanState::Running;
        state.apply(makeEvent(6, protocol::event::RollbackStarted, r.toJson()));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(client::RollbackListModel::IdRole).toLongLong(), qint64(4));
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
