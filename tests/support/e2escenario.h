#pragma once

// End-to-end scenarios in a Given/When/Then style, over the drill's sandbox (rewind-fleet behind
// a real nginx and a real rewindd, see fleet/drill/scenario.h):
//
//     testing::Scenario s;
//     QVERIFY2(s.given().theSandbox(options).aVerifiedRelease("api", "green", "v1.1"),
//              s.failure());
//     QVERIFY2(s.when().deploys("api", "blue", "v1.2"), s.failure());
//     const auto rollback = s.then().aRollbackFinishes();
//
// Given and When steps act and wait; the first one that fails says why in failure(), and every
// later step does nothing, so a chain is checked once, at its end. Then steps wait for what
// Rewind does and return it, for the test's own checks.

#include "scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace rwd::testing {

class Scenario
{
public:
    class Given;
    class When;
    class Then;

    // How long a step waits for Rewind at most.
    static constexpr int kWaitMs = 60'000;

    Scenario();
    ~Scenario();
    Q_DISABLE_COPY_MOVE(Scenario)

    Given &given() { return *m_given; }
    When &when() { return *m_when; }
    Then &then() { return *m_then; }

    // Stops every process the sandbox started.
    void stop() { m_sandbox.reset(); }

    [[nodiscard]] bool ok() const { return m_failure.isEmpty(); }
    // Why a step failed, for QVERIFY2; empty while none has.
    [[nodiscard]] const char *failure() const { return m_failure.constData(); }
    // The running sandbox (after given().theSandbox()).
    [[nodiscard]] drill::Scenario &sandbox() { return *m_sandbox; }
    [[nodiscard]] drill::Scenario *operator->() { return m_sandbox.get(); }

    class Given
    {
    public:
        // rewind-fleet and rewindd started as `options` say (their binaries: this build's).
        Given &theSandbox(drill::ScenarioOptions options = {});
        // `version` of `service` deployed to `colour`, routed to, recorded and verified.
        Given &aVerifiedRelease(const QString &service, const QString &colour,
                                const QString &version);
        // `version` of `service` misbehaves as `profile` says (the fleet's fault injection).
        Given &aFault(const QString &service, const QString &version, const QJsonObject &profile);
        // A user `name` who signs in with `password` and has `roles` ({"production": [...]}).
        Given &aUser(const QString &name, const QString &password, const QJsonObject &roles);
        explicit operator bool() const { return m_s.ok(); }

    private:
        friend class Scenario;
        explicit Given(Scenario &s)
            : m_s(s)
        {}
        Scenario &m_s;
    };

    class When
    {
    public:
        // `version` of `service` deployed to `colour`, routed to and recorded, as CI does.
        When &deploys(const QString &service, const QString &colour, const QString &version);
        // The demo: a good api release verified, then a faulty one deployed; returns once Rewind
        // rolled it back (or gave up), with the timeline logged.
        When &theDemoRuns();
        explicit operator bool() const { return m_s.ok(); }

        // The release the last deploys() recorded.
        [[nodiscard]] const protocol::ReleaseInfo &release() const { return m_release; }
        // What the demo saw.
        [[nodiscard]] const drill::Scenario::Outcome &outcome() const { return m_outcome; }
        // The index in the sandbox's events() before the last When step.
        [[nodiscard]] std::size_t mark() const { return m_s.m_mark; }

    private:
        friend class Scenario;
        explicit When(Scenario &s)
            : m_s(s)
        {}
        Scenario &m_s;
        protocol::ReleaseInfo m_release;
        drill::Scenario::Outcome m_outcome;
    };

    class Then
    {
    public:
        // The first rollback that finished after the last When step.
        std::optional<protocol::RollbackInfo> aRollbackFinishes();
        // The first event of `type` (for which `match` holds) after the last When step.
        const drill::EventRecorder::Received *
        anEvent(const char *type, const std::function<bool(const protocol::Event &)> &match = {});
        // Whether the release the last deploys() recorded reaches `state`.
        bool theReleaseBecomes(ReleaseState state);

    private:
        friend class Scenario;
        explicit Then(Scenario &s)
            : m_s(s)
        {}
        Scenario &m_s;
    };

private:
    bool fail(const QString &why);

    std::unique_ptr<drill::Scenario> m_sandbox;
    std::unique_ptr<Given> m_given;
    std::unique_ptr<When> m_when;
    std::unique_ptr<Then> m_then;
    QByteArray m_failure;
    std::size_t m_mark = 0; // events() index before the last When step
};

} // namespace rwd::testing
