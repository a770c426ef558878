// A probe Rewind itself cannot make is a check error, not a failure of the service: a command
// check whose program does not exist, against an in-process rewindd. It is announced once, shown
// in the service's status and /healthz, counted as outcome "error" — and never as a failed
// sample, so no rule fires and the service's health is not judged by it.
#include "client/sync/syncrest.h"
#include "common/clock.h"
#include "daemonfixture.h"
#include "events/eventhub.h"
#include "processes.h"

#include <QTest>

using namespace rwd;

class TestCheckErrors : public QObject
{
    Q_OBJECT

private slots:
    void aProbeRewindCannotMakeIsACheckError()
    {
        SystemClock clock;
        testing::DaemonFixture rewind(clock);
        QString token;
        const QString config =
            QStringLiteral("server: {listen: \"127.0.0.1:0\", store: \"sqlite:errors.db\"}\n"
                           "services:\n  - name: api\n"
                           "    checks: [{name: probe, type: command, argv: [%1], interval: "
                           "50ms, timeout: 1s}]\n"
                           "rules:\n  - {name: down, when: \"consecutive_failures(probe) >= 1\", "
                           "severity: critical}\n"
                           "auth: {pbkdf2_iterations: 1000}\n")
                .arg(rewind.path(QStringLiteral("no-such-program"))) +
            testing::DaemonFixture::admin(QStringLiteral("root"), "TST_CHECK_ERRORS_TOKEN", &token);
        QStringList types;
        const auto started = rewind.start(config);
        QVERIFY2(started, qPrintable(testing::why(started)));
        auto &daemon = rewind.daemon();
        connect(daemon.eventHub(), &events::EventHub::published, this,
                [&](const protocol::Event &e) { types.append(e.type); });
        client::RestClient rest;
        rewind.connect(rest, token);

        bool serving = false;
        QVERIFY(drill::waitUntil(
            [&] {
                return daemon.health(&serving).value(QLatin1String("status")).toString() ==
                       u"degraded";
            },
            10'000));
        QVERIFY(serving); // Rewind's own trouble does not stop it from acting
        const auto health = daemon.health(&serving);
        const auto impaired = health.value(QLatin1String("check_errors")).toArray();
        QCOMPARE(impaired.size(), 1);
        QCOMPARE(impaired.at(0).toObject().value(QLatin1String("check")).toString(),
                 QStringLiteral("probe"));
        // Several probes later: announced once, never failed, no rule fired.
        QVERIFY(drill::waitUntil(
            [&] {
                return daemon.health(&serving)
                           .value(QLatin1String("check_errors"))
                           .toArray()
                           .at(0)
                           .toObject()
                           .value(QLatin1String("count"))
                           .toInt() >= 5;
            },
            10'000));
        QCOMPARE(types.count(QStringLiteral("check_error")), 1);
        QVERIFY(!types.contains(QStringLiteral("rule_fired")));
        const auto metrics = daemon.metrics();
        QVERIFY2(metrics.contains("rewind_checks_total{service=\"api\",check=\"probe\","
                                  "outcome=\"error\"}"),
                 metrics.constData());
        QVERIFY(!metrics.contains("check=\"probe\",outcome=\"failed\""));
        QVERIFY(metrics.contains("rewind_check_errors_active 1"));

        const auto status = client::callAndWait(rest, "GET", QStringLiteral("/api/v1/status"));
        QVERIFY(status.ok());
        const auto api = protocol::ServiceStatus::fromJson(
            status.body.object().value(QLatin1String("services")).toArray().at(0).toObject());
        QCOMPARE(api.checkErrors.size(), 1);
        QVERIFY2(api.checkErrors.first().error.contains(QStringLiteral("could not start")),
                 qPrintable(api.checkErrors.first().error));
        QVERIFY(api.firings.isEmpty());
        QVERIFY(api.health != Health::Degraded && api.health != Health::Failing);
    }
};

QTEST_GUILESS_MAIN(TestCheckErrors)
#include "tst_checkerrors.moc"
