// `rewindctl deploy gate` as a CI pipeline uses it: a scripted deploy job
// (tests/e2e/pipeline/ci-deploy.sh) against the sandbox fleet behind nginx, with its own API
// token of the operator role. A good release passes the gate (exit 0); a bad one is rolled back
// by Rewind and fails the job (exit 4); a release that is never verified times out (exit 5).
#include "processes.h"
#include "programs.h"
#include "results.h"
#include "sandbox.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>

using namespace rwd;

namespace {

struct Job
{
    int exitCode = -1;
    QString output;
};

} // namespace

class TestPipeline : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<drill::Sandbox> m_sandbox;
    QString m_ciToken = drill::randomToken();

    Job run(const QStringList &args, const QHash<QString, QString> &extra = {})
    {
        testing::RunOptions options;
        options.mergeChannels = true;
        options.timeoutMs = 240'000;
        auto &env = options.environment;
        env.insert(QStringLiteral("FLEET_CONTROL"),
                   m_sandbox->fleetInfo().value(QLatin1String("control")).toString());
        env.insert(QStringLiteral("REWIND_SERVER"), m_sandbox->rewindUrl().toString());
        env.insert(QStringLiteral("REWIND_TOKEN"), m_ciToken);
        env.insert(QStringLiteral("REWINDCTL"), QStringLiteral(REWIND_BIN_DIR "/rewindctl"));
        for (auto it = extra.begin(); it != extra.end(); ++it)
            env.insert(it.key(), it.value());
        const auto job = testing::runProgram(args.first(), args.mid(1), options);
        return {job.exitCode, job.out};
    }
    Job ciDeploy(const QString &colour, const QString &version,
                 const QHash<QString, QString> &extra = {})
    {
        return run({QStringLiteral("bash"),
                    QStringLiteral(REWIND_SOURCE_DIR "/tests/e2e/pipeline/ci-deploy.sh"),
                    QStringLiteral("api"), colour, version},
                   extra);
    }

private slots:
    void initTestCase()
    {
        m_sandbox = std::make_unique<drill::Sandbox>(QStringLiteral(REWIND_BIN_DIR));
        REWIND_VERIFY_OK(m_sandbox->startFleet(
            {QStringLiteral("--service"), QStringLiteral("api"), QStringLiteral("--load-rps"),
             QStringLiteral("50"), QStringLiteral("--write-rps"), QStringLiteral("0")}));
        qputenv("TST_PIPELINE_CI_TOKEN", m_ciToken.toUtf8());
        const QString url = m_sandbox->url(QStringLiteral("api")) + QStringLiteral("/health");
        const QString yaml =
            QStringLiteral(
                "server: {listen: \"127.0.0.1:0\", store: \"sqlite:rewind.db\"}\n"
                "environments:\n  staging: {auto_rollback: true, verify_after: 2s}\n"
                "services:\n"
                "  - name: api\n    environment: staging\n"
                "    checks: [{name: health, type: http, url: %1, interval: 100ms, timeout: 1s}]\n"
                "    strategy: {type: blue_green, executor: nginx-api}\n"
                "  - name: batch\n    environment: staging\n"
                "    checks: [{name: heartbeat, type: signal, fields: {jobs: gauge}}]\n"
                "rules:\n"
                "  - name: errors\n"
                "    services: [api]\n"
                "    when: \"error_rate(health, 5s) > 5% and count(health, 5s) >= 10\"\n"
                "    severity: critical\n    action: rollback\n"
                "users:\n"
                "  - {name: sandbox, roles: {\"*\": [admin]}, tokens: {main: "
                "\"env:REWIND_SANDBOX_TOKEN\"}}\n"
                "  - {name: ci, roles: {staging: [operator]}, tokens: {pipeline: "
                "\"env:TST_PIPELINE_CI_TOKEN\"}}\n"
                "executors:\n")
                .arg(drill::yamlQuote(url)) +
            m_sandbox->nginxExecutor(QStringLiteral("api"),
                                     {QStringLiteral("blue"), QStringLiteral("green")});
        REWIND_VERIFY_OK(m_sandbox->startRewind(yaml));
    }

    void cleanupTestCase() { m_sandbox.reset(); }

private:
    // Newest first.
    QJsonArray releasesOfApi()
    {
        return m_sandbox->api("GET", QStringLiteral("/api/v1/releases?service=api"))
            .body.object()
            .value(QLatin1String("releases"))
            .toArray();
    }
    QJsonArray rollbacksOfApi()
    {
        return m_sandbox->api("GET", QStringLiteral("/api/v1/rollbacks?service=api"))
            .body.object()
            .value(QLatin1String("rollbacks"))
            .toArray();
    }

private slots:

    void aHealthyReleasePassesTheGate()
    {
        const auto job = ciDeploy(QStringLiteral("blue"), QStringLiteral("v1"));
        QVERIFY2(job.exitCode == 0, qPrintable(job.output));
        QVERIFY2(job.output.contains(QStringLiteral("api v1: live")), qPrintable(job.output));
        QVERIFY2(job.output.contains(QStringLiteral("api v1: verified")), qPrintable(job.output));
        // Recorded as the pipeline's user, with the pipeline's name.
        const auto releases = releasesOfApi();
        const auto v1 = protocol::ReleaseInfo::fromJson(releases.first().toObject());
        QCOMPARE(v1.version, QStringLiteral("v1"));
        QCOMPARE(v1.deployedBy, QStringLiteral("ci"));
        QCOMPARE(v1.pipeline, QStringLiteral("ci-v1"));
    }

    void aBadReleaseIsRolledBackAndFailsTheJob()
    {
        // A verified release to go back to, of its own when no earlier test left one: the test
        // does not rely on the order in which the tests run.
        const auto newest = releasesOfApi();
        if (newest.isEmpty() || protocol::ReleaseInfo::fromJson(newest.first().toObject()).state !=
                                    ReleaseState::Verified) {
            const auto good = ciDeploy(QStringLiteral("blue"), QStringLiteral("v1"));
            QVERIFY2(good.exitCode == 0, qPrintable(good.output));
        }
        const auto before = rollbacksOfApi().size();
        REWIND_VERIFY_OK(m_sandbox->fault(QStringLiteral("api"), QStringLiteral("v2"), 0.5));
        const auto job = ciDeploy(QStringLiteral("green"), QStringLiteral("v2"));
        QVERIFY2(job.exitCode == 4, qPrintable(job.output));
        QVERIFY2(job.output.contains(QStringLiteral("api v2 is rolled_back")) ||
                     job.output.contains(QStringLiteral("api v2 is failed")),
                 qPrintable(job.output));
        // Rewind put traffic back on v1.
        const auto route =
            m_sandbox->control("GET", QStringLiteral("/services/api/route")).body.object();
        QCOMPARE(route.value(QLatin1String("live")).toString(), QStringLiteral("blue"));
        const auto rollbacks = rollbacksOfApi();
        QCOMPARE(rollbacks.size(), before + 1); // newest first
        QCOMPARE(rollbacks.first().toObject().value(QLatin1String("trigger")).toString(),
                 QStringLiteral("rule:errors"));
    }

    void anUnverifiedReleaseTimesOut()
    {
        // batch's heartbeat is never pushed: its release stays live, never verified.
        const auto recorded =
            run({QStringLiteral(REWIND_BIN_DIR "/rewindctl"), QStringLiteral("deploy"),
                 QStringLiteral("record"), QStringLiteral("--service"), QStringLiteral("batch"),
                 QStringLiteral("--version"), QStringLiteral("b1")});
        QVERIFY2(recorded.exitCode == 0, qPrintable(recorded.output));
        const auto gate =
            run({QStringLiteral(REWIND_BIN_DIR "/rewindctl"), QStringLiteral("deploy"),
                 QStringLiteral("gate"), QStringLiteral("--service"), QStringLiteral("batch"),
                 QStringLiteral("--version"), QStringLiteral("b1"), QStringLiteral("--timeout"),
                 QStringLiteral("1"), QStringLiteral("--interval"), QStringLiteral("0.2")});
        QVERIFY2(gate.exitCode == 5, qPrintable(gate.output));
        QVERIFY2(gate.output.contains(QStringLiteral("is still live after 1 s")),
                 qPrintable(gate.output));
        // A version that was never recorded is an error of the job, not a wait.
        const auto unknown =
            run({QStringLiteral(REWIND_BIN_DIR "/rewindctl"), QStringLiteral("deploy"),
                 QStringLiteral("gate"), QStringLiteral("--service"), QStringLiteral("api"),
                 QStringLiteral("--version"), QStringLiteral("v9")});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.output.contains(QStringLiteral("no deployment of api v9")),
                 qPrintable(unknown.output));
    }

    // The pipeline's token may deploy, but not approve or administer.
    void thePipelineTokenCannotAdminister()
    {
        const auto users = run({QStringLiteral(REWIND_BIN_DIR "/rewindctl"), QStringLiteral("user"),
                                QStringLiteral("list")});
        QCOMPARE(users.exitCode, 1);
        QVERIFY2(users.output.contains(QStringLiteral("(forbidden)")), qPrintable(users.output));
        const auto me =
            run({QStringLiteral(REWIND_BIN_DIR "/rewindctl"), QStringLiteral("whoami")});
        QCOMPARE(me.exitCode, 0);
        QVERIFY2(me.output.contains(QStringLiteral("ci (config token)")) &&
                     me.output.contains(QStringLiteral("staging: operator")),
                 qPrintable(me.output));
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
