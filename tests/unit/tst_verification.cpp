// The verification policy as a table: when a release has earned `verified`, when it never will,
// and when it waits — judged at given times, at the deadline and a millisecond either side.
#include "releases/verification.h"

#include <QTest>

using namespace rwd;
using releases::CheckEvidence;
using releases::VerificationInput;

namespace {

constexpr qint64 kLive = 1'700'000'000'000; // the release went live
constexpr qint64 kPeriod = 60'000;          // verify_after: 1m
constexpr qint64 kDue = kLive + kPeriod;

// One probed check, 1 s interval, no grace period.
CheckEvidence check(const QString &name, qint64 ok, qint64 failed, qint64 intervalMs = 1000)
{
    CheckEvidence e;
    e.check = name;
    e.intervalMs = intervalMs;
    e.countFromMs = kLive;
    e.ok = ok;
    e.failed = failed;
    return e;
}

VerificationInput input(qint64 nowMs, QList<CheckEvidence> checks)
{
    VerificationInput in;
    in.releaseId = 7;
    in.liveSinceMs = kLive;
    in.nowMs = nowMs;
    in.policy.verifyAfterMs = kPeriod;
    in.policy.errorBudget = 0.01;
    in.checks = std::move(checks);
    return in;
}

} // namespace

Q_DECLARE_METATYPE(rwd::releases::VerificationInput)

class TestVerification : public QObject
{
    Q_OBJECT

private slots:
    void judge_data()
    {
        QTest::addColumn<VerificationInput>("in");
        QTest::addColumn<QString>("state");
        QTest::addColumn<bool>("final");

        const auto row = [](const char *name, const VerificationInput &in, const char *state,
                            bool final) {
            QTest::newRow(name) << in << QString::fromLatin1(state) << final;
        };
        // The deadline, at the moment of the decision.
        row("healthy, 1 ms before the end of the period", input(kDue - 1, {check("health", 59, 0)}),
            "pending", false);
        row("healthy, at the end of the period", input(kDue, {check("health", 60, 0)}), "verified",
            true);
        row("healthy, 1 ms after the end", input(kDue + 1, {check("health", 60, 0)}), "verified",
            true);
        // The budget: at most 1 % of the samples may fail (strictly above is over).
        row("1 failure in 100 samples is within 1 %", input(kDue, {check("health", 99, 1, 500)}),
            "verified", true);
        row("2 failures in 100 samples are over 1 %", input(kDue, {check("health", 98, 2, 500)}),
            "over_budget", true);
        // What today's latest-probe verification would have let through: a third of the probes
        // failed, never three in a row, and the last one passed.
        row("a third of the probes failed, scattered", input(kDue, {check("health", 40, 20)}),
            "over_budget", true);
        row("over budget so far, period still running", input(kDue - 1, {check("health", 5, 5)}),
            "pending", false);
        row("every check must keep its budget",
            input(kDue, {check("health", 60, 0), check("traffic", 55, 5)}), "over_budget", true);
        // No data is not healthy.
        row("too few samples: waits", input(kDue, {check("health", 29, 0)}), "insufficient_data",
            false);
        row("exactly enough samples (half the interval's)", input(kDue, {check("health", 30, 0)}),
            "verified", true);
        row("no samples at all", input(kDue + 10'000, {check("health", 0, 0)}), "insufficient_data",
            false);
        row("a service without checks is never verified", input(kDue + 1, {}), "insufficient_data",
            false);
        {
            auto in = input(kDue, {check("health", 60, 0)});
            in.checks[0].checkErrors = 1000; // Rewind could not probe: neither ok nor failed
            row("check errors count neither way", in, "verified", true);
            in.checks[0].ok = 10;
            row("check errors do not make up for missing samples", in, "insufficient_data", false);
        }
        {
            auto in = input(kDue, {check("health", 12, 0)});
            in.policy.minSamples = 12;
            row("min_samples set: 12 of 12", in, "verified", true);
            in.policy.minSamples = 13;
            row("min_samples set: 12 of 13", in, "insufficient_data", false);
        }
        {
            // A passive check owes no sample unless min_samples asks for one; the probed one does.
            auto passive = check("signal", 0, 0, 0);
            passive.passive = true;
            row("a silent passive check beside a healthy probed one",
                input(kDue, {check("health", 60, 0), passive}), "verified", true);
            row("only a silent passive check", input(kDue, {passive}), "insufficient_data", false);
        }
        {
            // A grace period of 20 s: 40 s are judged, so 20 samples are needed.
            auto graced = check("health", 20, 0);
            graced.countFromMs = kLive + 20'000;
            graced.inGrace = 20;
            row("after a grace period, half of what the rest schedules", input(kDue, {graced}),
                "verified", true);
            graced.ok = 19;
            row("after a grace period, one sample short", input(kDue, {graced}),
                "insufficient_data", false);
        }
        {
            auto in = input(kDue - 30'000, {check("health", 30, 0)});
            in.firedRule = QStringLiteral("errors");
            in.firedAtMs = kLive + 10'000;
            row("a rule fired: never verified, even before the end", in, "rule_fired", true);
            in.nowMs = kDue;
            in.checks[0].ok = 60;
            row("a rule fired, the budget held", in, "rule_fired", true);
        }
    }

    void judge()
    {
        QFETCH(VerificationInput, in);
        QFETCH(QString, state);
        QFETCH(bool, final);
        const auto verdict = releases::judge(in);
        QVERIFY2(verdict.state == state,
                 qPrintable(verdict.state + QStringLiteral(": ") + verdict.summary));
        QCOMPARE(verdict.final, final);
        QCOMPARE(verdict.releaseId, in.releaseId);
        QCOMPARE(verdict.dueAtMs, kDue);
        QCOMPARE(verdict.remainingMs, std::max<qint64>(kDue - in.nowMs, 0));
        QVERIFY(!verdict.summary.isEmpty());
        QCOMPARE(verdict.checks.size(), in.checks.size());
        for (int i = 0; i < in.checks.size(); ++i) {
            const auto &c = verdict.checks.at(i);
            QCOMPARE(c.samples, in.checks.at(i).ok + in.checks.at(i).failed);
            QCOMPARE(c.failed, in.checks.at(i).failed);
            QCOMPARE(c.checkErrors, in.checks.at(i).checkErrors);
        }
        if (state == u"insufficient_data" || state == u"pending")
            QVERIFY(!verdict.missing.isEmpty());
    }

    // What a person reads: the numbers against the budget, and what is still missing.
    void explainsItself()
    {
        const auto over = releases::judge(input(kDue, {check("health", 40, 20)}));
        QVERIFY2(over.summary.contains(QStringLiteral("health: 20 of 60 sample(s) failed (33%)")),
                 qPrintable(over.summary));
        QVERIFY2(over.summary.contains(QStringLiteral("1.0% error budget")),
                 qPrintable(over.summary));
        QVERIFY(over.checks.at(0).overBudget);
        QCOMPARE(over.checks.at(0).needed, qint64(30));

        const auto waiting = releases::judge(input(kLive + 20'000, {check("health", 20, 0)}));
        QCOMPARE(waiting.state, QStringLiteral("pending"));
        QCOMPARE(waiting.remainingMs, qint64(40'000));
        QVERIFY2(waiting.summary.contains(QStringLiteral("40s left")), qPrintable(waiting.summary));
        QVERIFY2(waiting.missing.contains(QStringLiteral("health: 20 of 30 sample(s)")),
                 qPrintable(waiting.missing.join(u'|')));

        auto errors = input(kDue, {check("health", 10, 0)});
        errors.checks[0].checkErrors = 50;
        errors.checks[0].lastCheckError = QStringLiteral("Too many open files");
        const auto starved = releases::judge(errors);
        QVERIFY2(starved.summary.contains(QStringLiteral("50 probe(s) could not be made by Rewind "
                                                         "(Too many open files)")),
                 qPrintable(starved.summary));
        const auto json = protocol::VerificationInfo::fromJson(starved.toJson());
        QCOMPARE(json.state, starved.state);
        QCOMPARE(json.checks.at(0).checkErrors, qint64(50));
        QCOMPARE(json.dueAtMs, kDue);
        QCOMPARE(json.missing, starved.missing);
    }

    void samplesNeeded()
    {
        releases::VerificationPolicy policy;
        policy.verifyAfterMs = kPeriod;
        QCOMPARE(releases::samplesNeeded(policy, check("a", 0, 0, 1000), kDue), qint64(30));
        QCOMPARE(releases::samplesNeeded(policy, check("a", 0, 0, 100), kDue), qint64(300));
        // Long intervals still need a few samples.
        QCOMPARE(releases::samplesNeeded(policy, check("a", 0, 0, 30'000), kDue), qint64(3));
        policy.minSamples = 5;
        QCOMPARE(releases::samplesNeeded(policy, check("a", 0, 0, 100), kDue), qint64(5));
    }
};

QTEST_GUILESS_MAIN(TestVerification)
#include "tst_verification.moc"
