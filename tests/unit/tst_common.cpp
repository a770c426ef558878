// Durations, state names and the wire protocol's JSON round trips.
#include "common/duration.h"
#include "common/protocol.h"
#include "common/states.h"

#include <QJsonDocument>
#include <QTest>

using namespace rwd;

class TestCommon : public QObject
{
    Q_OBJECT

private slots:
    void parsesDurations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("ms") << "500ms" << qint64(500);
        QTest::newRow("s") << "2s" << qint64(2000);
        QTest::newRow("decimal") << "1.5m" << qint64(90'000);
        QTest::newRow("h") << "1h" << qint64(3'600'000);
        QTest::newRow("d") << "1d" << qint64(86'400'000);
        QTest::newRow("compound") << "1m30s" << qint64(90'000);
        QTest::newRow("spaces") << " 10s " << qint64(10'000);
        QTest::newRow("zero") << "0s" << qint64(0);
    }
    void parsesDurations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = parseDurationMs(text);
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, ms);
    }

    void rejectsNonDurations_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *bad :
             {"", "10", "s", "10 s", "10sec", "1..5s", "-1s", "ten seconds", "99999999999999999d"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }
    void rejectsNonDurations()
    {
        QFETCH(QString, text);
        QVERIFY(!parseDurationMs(text).has_value());
    }

    void formatsDurations()
    {
        QCOMPARE(formatDuration(0), QStringLiteral("0s"));
        QCOMPARE(formatDuration(250), QStringLiteral("250ms"));
        QCOMPARE(formatDuration(90'000), QStringLiteral("1m30s"));
        QCOMPARE(formatDuration(3'600'000), QStringLiteral("1h"));
        QCOMPARE(*parseDurationMs(formatDuration(93'784'005)), qint64(93'784'005));
    }

    void stateNamesRoundTrip()
    {
        for (auto s : {PlanState::Planned, PlanState::AwaitingApproval, PlanState::Approved,
                       PlanState::Running, PlanState::Verifying, PlanState::Succeeded,
                       PlanState::Failed, PlanState::Aborted, PlanState::NeedsAttention})
            QCOMPARE(planStateFromString(wireName(s)), std::optional(s));
        QCOMPARE(wireName(PlanState::NeedsAttention), QStringLiteral("needs_attention"));
        QCOMPARE(wireName(ReleaseState::RolledBack), QStringLiteral("rolled_back"));
        QVERIFY(!planStateFromString(QStringLiteral("Succeeded")).has_value());
        QVERIFY(isTerminal(PlanState::Aborted));
        QVERIFY(!isTerminal(PlanState::Verifying));
    }

    void rollbackJsonRoundTrip()
    {
        protocol::RollbackInfo r;
        r.id = 7;
        r.state = PlanState::Verifying;
        r.trigger = QStringLiteral("rule:errors");
        r.reason = QStringLiteral("error rate");
        r.createdAtMs = 1'700'000'000'123;
        r.targets = {{QStringLiteral("api"),
                      QStringLiteral("v2"),
                      QStringLiteral("v1"),
                      3,
                      2,
                      QStringLiteral("blue_green"),
                      {QStringLiteral("web")}}};
        protocol::StepInfo step;
        step.id = 11;
        step.index = 0;
        step.service = QStringLiteral("api");
        step.kind = QStringLiteral("switch_traffic");
        step.state = StepState::Succeeded;
        step.startedAtMs = 1'700'000'000'200;
        step.finishedAtMs = 1'700'000'000'250;
        r.steps = {step};
        // Through text, as on the wire.
        const auto text = QJsonDocument(r.toJson()).toJson();
        const auto back = protocol::RollbackInfo::fromJson(QJsonDocument::fromJson(text).object());
        QCOMPARE(back.id, r.id);
        QCOMPARE(back.state, r.state);
        QCOMPARE(back.createdAtMs, r.createdAtMs);
        QCOMPARE(back.finishedAtMs, qint64(0));
        QCOMPARE(back.targets.size(), 1);
        QCOMPARE(back.targets.first().toVersion, QStringLiteral("v1"));
        QCOMPARE(back.steps.size(), 1);
        QCOMPARE(back.steps.first().finishedAtMs - back.steps.first().startedAtMs, qint64(50));
        QCOMPARE(back.steps.first().state, StepState::Succeeded);
    }

    void serviceStatusKeepsMissingReleasesMissing()
    {
        protocol::ServiceStatus s;
        s.name = QStringLiteral("web");
        s.health = Health::Degraded;
        const auto back = protocol::ServiceStatus::fromJson(s.toJson());
        QCOMPARE(back.health, Health::Degraded);
        QVERIFY(!back.current.has_value());
        QVERIFY(!back.lastGood.has_value());
        QVERIFY(s.toJson().value(QLatin1String("current")).isNull());
    }
};

QTEST_GUILESS_MAIN(TestCommon)
#include "tst_common.moc"
