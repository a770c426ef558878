#include "e2escenario.h"

#include "client/sync/syncrest.h"

#include <QDebug>

namespace rwd::testing {

Scenario::Scenario()
    : m_given(new Given(*this))
    , m_when(new When(*this))
    , m_then(new Then(*this))
{}

Scenario::~Scenario() = default;

bool Scenario::fail(const QString &why)
{
    if (m_failure.isEmpty())
        m_failure = why.toUtf8();
    return false;
}

Scenario::Given &Scenario::Given::theSandbox(drill::ScenarioOptions options)
{
    if (!m_s.ok())
        return *this;
    options.binDir = QStringLiteral(REWIND_BIN_DIR);
    m_s.m_sandbox = std::make_unique<drill::Scenario>(options);
    if (const auto started = m_s.m_sandbox->start(); !started)
        m_s.fail(QStringLiteral("the sandbox did not start: ") + started.error().message);
    return *this;
}

Scenario::Given &Scenario::Given::aVerifiedRelease(const QString &service, const QString &colour,
                                                   const QString &version)
{
    if (!m_s.ok())
        return *this;
    const auto release = m_s.m_sandbox->release(service, colour, version);
    if (!release)
        m_s.fail(QStringLiteral("%1 %2 was not released: %3")
                     .arg(service, version, release.error().message));
    else if (!m_s.m_sandbox->waitForReleaseState(release->id, ReleaseState::Verified, kWaitMs))
        m_s.fail(QStringLiteral("%1 %2 was not verified").arg(service, version));
    return *this;
}

Scenario::Given &Scenario::Given::aFault(const QString &service, const QString &version,
                                         const QJsonObject &profile)
{
    if (!m_s.ok())
        return *this;
    if (const auto faulty = m_s.m_sandbox->setFault(service, version, profile); !faulty)
        m_s.fail(
            QStringLiteral("no fault for %1 %2: %3").arg(service, version, faulty.error().message));
    return *this;
}

Scenario::Given &Scenario::Given::aUser(const QString &name, const QString &password,
                                        const QJsonObject &roles)
{
    if (!m_s.ok())
        return *this;
    const auto r =
        client::callAndWait(m_s.m_sandbox->rewind(), "POST", QStringLiteral("/api/v1/users"),
                            {{"name", name}, {"password", password}, {"roles", roles}});
    if (!r.ok())
        m_s.fail(QStringLiteral("cannot add %1: %2").arg(name, r.error->message));
    return *this;
}

Scenario::When &Scenario::When::deploys(const QString &service, const QString &colour,
                                        const QString &version)
{
    if (!m_s.ok())
        return *this;
    m_s.m_mark = m_s.m_sandbox->events().events().size();
    const auto release = m_s.m_sandbox->release(service, colour, version);
    if (!release)
        m_s.fail(QStringLiteral("%1 %2 was not released: %3")
                     .arg(service, version, release.error().message));
    else
        m_release = *release;
    return *this;
}

Scenario::When &Scenario::When::theDemoRuns()
{
    if (!m_s.ok())
        return *this;
    m_s.m_mark = m_s.m_sandbox->events().events().size();
    m_outcome =
        m_s.m_sandbox->runBadDeploy([](const QString &line) { qInfo("%s", qPrintable(line)); });
    for (const auto &entry : m_outcome.timeline)
        qInfo("%+8.3fs  %s", double(entry.offsetMs) / 1000.0, qPrintable(entry.text));
    return *this;
}

std::optional<protocol::RollbackInfo> Scenario::Then::aRollbackFinishes()
{
    const auto *finished = anEvent(protocol::event::RollbackFinished);
    if (!finished)
        return std::nullopt;
    return protocol::RollbackInfo::fromJson(
        finished->event.data.value(QLatin1String("rollback")).toObject());
}

const drill::EventRecorder::Received *
Scenario::Then::anEvent(const char *type, const std::function<bool(const protocol::Event &)> &match)
{
    if (!m_s.ok())
        return nullptr;
    return m_s.m_sandbox->events().waitFor(QString::fromLatin1(type), match, kWaitMs, m_s.m_mark);
}

bool Scenario::Then::theReleaseBecomes(ReleaseState state)
{
    return m_s.ok() && m_s.m_sandbox->waitForReleaseState(m_s.m_when->release().id, state, kWaitMs);
}

} // namespace rwd::testing
