// The plan machine (orchestrator/planmachine.*): every (state, event) pair against a table
// written out here independently of the one in the code, the commands of each transition, and
// how a plan settles from its facts.
#include "orchestrator/planmachine.h"

#include <QMetaEnum>
#include <QTest>

#include <set>

using namespace rwd;
using namespace rwd::orchestrator;

namespace {

using C = PlanCommand;
using E = PlanEvent;
using S = PlanState;

const QList<S> kStates{S::Planned, S::AwaitingApproval, S::Approved,
                       S::Running, S::Verifying,        S::Succeeded,
                       S::Failed,  S::Aborted,          S::NeedsAttention};
const QList<E> kEvents{E::AwaitApproval, E::Start, E::Approve,      E::Reject, E::Expire,
                       E::Abort,         E::Work,  E::Verify,       E::Resume, E::Succeed,
                       E::Fail,          E::Stop,  E::NeedAttention};

struct Expected
{
    S from;
    E event;
    S to;
};

// The specification: every legal move. Any pair not listed must be refused.
const QList<Expected> kLegal{
    {S::Planned, E::AwaitApproval, S::AwaitingApproval},
    {S::Planned, E::Start, S::Running},
    {S::Planned, E::NeedAttention, S::NeedsAttention},
    {S::AwaitingApproval, E::Approve, S::Approved},
    {S::AwaitingApproval, E::Reject, S::Aborted},
    {S::AwaitingApproval, E::Expire, S::Aborted},
    {S::AwaitingApproval, E::Abort, S::Aborted},
    {S::AwaitingApproval, E::NeedAttention, S::NeedsAttention},
    {S::Approved, E::Start, S::Running},
    {S::Approved, E::Expire, S::Aborted},
    {S::Approved, E::NeedAttention, S::NeedsAttention},
    {S::Running, E::Verify, S::Verifying},
    {S::Running, E::Abort, S::Running},
    {S::Running, E::Resume, S::Running},
    {S::Running, E::Succeed, S::Succeeded},
    {S::Running, E::Fail, S::Failed},
    {S::Running, E::Stop, S::Aborted},
    {S::Running, E::NeedAttention, S::NeedsAttention},
    {S::Verifying, E::Work, S::Running},
    {S::Verifying, E::Abort, S::Verifying},
    {S::Verifying, E::Resume, S::Verifying},
    {S::Verifying, E::Succeed, S::Succeeded},
    {S::Verifying, E::Fail, S::Failed},
    {S::Verifying, E::Stop, S::Aborted},
    {S::Verifying, E::NeedAttention, S::NeedsAttention},
};

std::optional<S> expectedTarget(S from, E event)
{
    for (const auto &e : kLegal) {
        if (e.from == from && e.event == event)
            return e.to;
    }
    return std::nullopt;
}

QStringList names(const QList<C> &commands)
{
    QStringList out;
    for (const auto c : commands)
        out.append(wireName(c));
    return out;
}

QByteArray name(S state)
{
    return wireName(state).toUtf8();
}

} // namespace

class TestPlanMachine : public QObject
{
    Q_OBJECT

private slots:
    void everyPair_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("event");
        for (const auto s : kStates) {
            for (const auto e : kEvents)
                QTest::newRow(name(s) + " + " + wireName(e).toUtf8()) << int(s) << int(e);
        }
    }
    // Each of the 9 × 13 pairs: the legal ones go where the specification says, every other
    // one is refused — including everything from a finished plan.
    void everyPair()
    {
        QFETCH(int, from);
        QFETCH(int, event);
        const auto s = S(from);
        const auto e = E(event);
        const auto got = planTransition(s, e);
        const auto want = expectedTarget(s, e);
        QCOMPARE(got.has_value(), want.has_value());
        if (want) {
            QCOMPARE(got->from, s);
            QCOMPARE(got->event, e);
            QCOMPARE(name(got->to), name(*want));
        }
        if (isTerminal(s))
            QVERIFY(!got);
    }

    void tableHasNothingElse()
    {
        QCOMPARE(planTransitions().size(), kLegal.size());
        std::set<std::pair<int, int>> seen;
        for (const auto &t : planTransitions())
            QVERIFY2(seen.insert({int(t.from), int(t.event)}).second,
                     qPrintable(
                         QStringLiteral("%1 + %2 twice").arg(wireName(t.from), wireName(t.event))));
    }

    // What a plan does on each move.
    void commands_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("event");
        QTest::addColumn<QStringList>("commands");
        const QList<C> quietEnd{C::SkipPending, C::RecordEnd,    C::FreezeServices,
                                C::AnnounceEnd, C::NoteIncident, C::Retire};
        const QList<C> escalatingEnd{C::SkipPending, C::RecordEnd, C::FreezeServices,
                                     C::AnnounceEnd, C::Escalate,  C::Retire};
        QList<C> haltedEnd{C::Halt};
        haltedEnd += quietEnd;
        QTest::newRow("waits for approval")
            << int(S::Planned) << int(E::AwaitApproval)
            << names({C::Journal, C::AnnounceStart, C::RequestApproval});
        QTest::newRow("starts") << int(S::Planned) << int(E::Start)
                                << names({C::Journal, C::AnnounceStart, C::Advance});
        QTest::newRow("approved") << int(S::AwaitingApproval) << int(E::Approve)
                                  << names({C::Journal});
        QTest::newRow("starts once approved") << int(S::Approved) << int(E::Start)
                                              << names({C::Journal, C::AnnounceStart, C::Advance});
        QTest::newRow("rejected") << int(S::AwaitingApproval) << int(E::Reject) << names(haltedEnd);
        QTest::newRow("expires") << int(S::AwaitingApproval) << int(E::Expire) << names(haltedEnd);
        QTest::newRow("expires before it starts")
            << int(S::Approved) << int(E::Expire) << names(haltedEnd);
        QTest::newRow("aborted before approval")
            << int(S::AwaitingApproval) << int(E::Abort) << names(haltedEnd);
        QTest::newRow("aborted while running")
            << int(S::Running) << int(E::Abort) << names({C::Halt, C::Advance});
        QTest::newRow("aborted while verifying")
            << int(S::Verifying) << int(E::Abort) << names({C::Halt, C::Advance});
        QTest::newRow("only verifications run")
            << int(S::Running) << int(E::Verify) << names({C::Journal});
        QTest::newRow("a step runs again")
            << int(S::Verifying) << int(E::Work) << names({C::Journal});
        QTest::newRow("resumed") << int(S::Running) << int(E::Resume)
                                 << names({C::AnnounceStart, C::Advance});
        QTest::newRow("succeeds") << int(S::Verifying) << int(E::Succeed) << names(quietEnd);
        QTest::newRow("fails") << int(S::Running) << int(E::Fail) << names(escalatingEnd);
        QTest::newRow("stopped") << int(S::Running) << int(E::Stop) << names(quietEnd);
        QTest::newRow("needs attention")
            << int(S::Planned) << int(E::NeedAttention) << names(escalatingEnd);
    }
    void commands()
    {
        QFETCH(int, from);
        QFETCH(int, event);
        QFETCH(QStringList, commands);
        const auto t = planTransition(S(from), E(event));
        QVERIFY(t);
        QCOMPARE(names(t->commands), commands);
    }

    // Rules every transition keeps: a change of unfinished state is journaled before anything
    // else happens; a plan that ends is retired last, and nothing follows Advance; a plan ends
    // only through the end commands, and always announces its end.
    void invariants()
    {
        for (const auto &t : planTransitions()) {
            const QString what = wireName(t.from) + QStringLiteral(" + ") + wireName(t.event);
            const auto &c = t.commands;
            QVERIFY2(!c.isEmpty(), qPrintable(what));
            if (!isTerminal(t.to) && t.to != t.from)
                QVERIFY2(c.first() == C::Journal, qPrintable(what));
            if (isTerminal(t.to)) {
                QVERIFY2(c.last() == C::Retire, qPrintable(what));
                QVERIFY2(c.contains(C::RecordEnd) && c.contains(C::AnnounceEnd) &&
                             c.contains(C::SkipPending),
                         qPrintable(what));
                QVERIFY2(c.contains(C::NoteIncident) != c.contains(C::Escalate), qPrintable(what));
                // A person must act on these two.
                QCOMPARE(c.contains(C::Escalate), t.to == S::Failed || t.to == S::NeedsAttention);
                QVERIFY2(!c.contains(C::Journal), qPrintable(what));
            } else {
                QVERIFY2(!c.contains(C::Retire) && !c.contains(C::RecordEnd), qPrintable(what));
            }
            if (c.contains(C::Advance))
                QVERIFY2(c.last() == C::Advance, qPrintable(what));
        }
    }

    // Every state can be reached from a new plan, and from every unfinished state a plan can
    // end (needs_attention is always possible: the store may refuse any write).
    void reachability()
    {
        std::set<int> reached{int(S::Planned)};
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto &t : planTransitions()) {
                if (reached.count(int(t.from)) && reached.insert(int(t.to)).second)
                    grew = true;
            }
        }
        for (const auto s : kStates)
            QVERIFY2(reached.count(int(s)), name(s).constData());
        for (const auto s : kStates) {
            if (!isTerminal(s))
                QVERIFY2(planTransition(s, E::NeedAttention), name(s).constData());
        }
    }

    void settles_data()
    {
        QTest::addColumn<bool>("interrupted");
        QTest::addColumn<bool>("journalFailed");
        QTest::addColumn<bool>("aborted");
        QTest::addColumn<bool>("halted");
        QTest::addColumn<bool>("compensated");
        QTest::addColumn<bool>("compensationFailed");
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("message");
        const QString why = QStringLiteral("step 2 failed");
        QTest::newRow("all good") << false << false << false << false << false << false << "succeed"
                                  << "every step succeeded";
        QTest::newRow("a step failed")
            << false << false << false << true << false << false << "fail" << why;
        QTest::newRow("stopped by a person")
            << false << false << true << true << false << false << "stop" << why;
        QTest::newRow("stopped, then undone")
            << false << false << true << true << true << false << "need_attention"
            << why + "; what the failed steps changed was undone (a snapshot restored): a person "
                     "must decide what happens next";
        QTest::newRow("failed, undone")
            << false << false << false << true << true << false << "need_attention"
            << why + "; what the failed steps changed was undone (a snapshot restored): a person "
                     "must decide what happens next";
        QTest::newRow("failed, undoing failed")
            << false << false << false << true << false << true << "need_attention"
            << why + "; undoing it failed too: a person must repair the service";
        QTest::newRow("undoing failed beats undone")
            << false << false << false << true << true << true << "need_attention"
            << why + "; undoing it failed too: a person must repair the service";
        QTest::newRow("interrupted")
            << true << false << false << true << false << false << "need_attention" << why;
        QTest::newRow("store refused")
            << false << true << false << true << false << false << "need_attention" << why;
        // The store's refusal wins over a person's stop: the journal cannot be trusted.
        QTest::newRow("store refused after an abort")
            << false << true << true << true << false << false << "need_attention" << why;
    }
    void settles()
    {
        QFETCH(bool, interrupted);
        QFETCH(bool, journalFailed);
        QFETCH(bool, aborted);
        QFETCH(bool, halted);
        QFETCH(bool, compensated);
        QFETCH(bool, compensationFailed);
        QFETCH(QString, event);
        QFETCH(QString, message);
        PlanFacts f;
        f.interrupted = interrupted;
        f.journalFailed = journalFailed;
        f.aborted = aborted;
        f.halted = halted;
        f.compensated = compensated;
        f.compensationFailed = compensationFailed;
        f.haltReason = QStringLiteral("step 2 failed");
        const auto s = settle(f);
        QCOMPARE(wireName(s.event), event);
        QCOMPARE(s.message, message);
        // Whatever the facts, settling is a legal end from a running plan.
        const auto t = planTransition(S::Running, s.event);
        QVERIFY(t);
        QVERIFY(isTerminal(t->to));
    }
};

QTEST_GUILESS_MAIN(TestPlanMachine)
#include "tst_planmachine.moc"
