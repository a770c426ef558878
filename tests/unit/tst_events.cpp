// The typed events (common/events.*): every kind has its wire name, is documented in
// docs/api/websocket.md, reads back from its own JSON as it was written, and names the services
// it concerns.
#include "common/events.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace rwd;

namespace {

protocol::RollbackInfo rollback()
{
    protocol::RollbackInfo r;
    r.id = 7;
    r.state = PlanState::Running;
    r.strategy = QStringLiteral("blue_green");
    r.reason = QStringLiteral("error rate");
    protocol::TargetInfo a;
    a.service = QStringLiteral("api");
    a.fromVersion = QStringLiteral("v2");
    a.toVersion = QStringLiteral("v1");
    protocol::TargetInfo b = a;
    b.service = QStringLiteral("worker");
    r.targets = {a, b};
    protocol::StepInfo s;
    s.id = 3;
    s.index = 0;
    s.service = QStringLiteral("api");
    s.kind = QStringLiteral("switch_traffic");
    s.state = StepState::Running;
    r.steps = {s};
    return r;
}

protocol::ReleaseInfo release()
{
    protocol::ReleaseInfo r;
    r.id = 4;
    r.service = QStringLiteral("api");
    r.version = QStringLiteral("v2");
    r.state = ReleaseState::Live;
    return r;
}

protocol::FiringInfo firing()
{
    protocol::FiringInfo f;
    f.rule = QStringLiteral("errors");
    f.service = QStringLiteral("api");
    f.severity = QStringLiteral("critical");
    f.expression = QStringLiteral("error_rate(health, 1m) > 0.05");
    f.sinceMs = 1'700'000'000'000;
    return f;
}

protocol::FreezeInfo freezeOf(const QString &service)
{
    protocol::FreezeInfo f;
    f.id = 2;
    f.service = service;
    f.reason = QStringLiteral("after rollback #7");
    f.startedAtMs = 1'700'000'000'000;
    f.untilMs = f.startedAtMs + 60'000;
    return f;
}

// One of every kind, with the services it concerns.
QList<std::pair<events::Body, QStringList>> samples()
{
    const auto r = rollback();
    const QStringList both{QStringLiteral("api"), QStringLiteral("worker")};
    const QStringList api{QStringLiteral("api")};
    protocol::SnapshotInfo snap;
    snap.name = QStringLiteral("db-7");
    snap.service = QStringLiteral("db");
    protocol::ServiceStatus status;
    status.name = QStringLiteral("web");
    status.health = Health::Degraded;
    events::StepStarted started{{7, r.steps.first(), both}};
    events::StepFinished finished{{7, r.steps.first(), both}};
    events::StepRetrying retrying{{7, r.steps.first(), both}, 2000};
    return {
        {events::DeploymentRecorded{release()}, api},
        {events::ReleaseStateChanged{release()}, api},
        {events::ReleaseNotVerified{release()}, api},
        {events::CheckError{QStringLiteral("api"), QStringLiteral("health"),
                            QStringLiteral("no descriptor"), 1},
         api},
        {events::CheckRecovered{QStringLiteral("api"), QStringLiteral("health"), 12}, api},
        {events::SecurityAlert{QStringLiteral("revoked_token_used"), QStringLiteral("token reused"),
                               QJsonObject{{"user", "ann"}, {"token_id", 3}}},
         {}},
        {events::SecurityAlert{
             QStringLiteral("x"), QStringLiteral("y"),
             QJsonObject{{"service", "db"}, {"services", QJsonArray{"db", "api"}}}},
         {QStringLiteral("db"), QStringLiteral("api")}},
        {events::StoreFailing{QStringLiteral("disk full"), 7, QStringLiteral("a step"), both},
         both},
        {events::HealthChanged{QStringLiteral("api"), Health::Failing, Health::Healthy}, api},
        {events::RuleFired{firing(), 9}, api},
        {events::RuleResolved{firing(), 9, QStringLiteral("release replaced")}, api},
        {events::RuleResolved{firing(), 9, {}}, api},
        {events::RollbackStarted{r}, both},
        {started, both},
        {finished, both},
        {retrying, both},
        {events::RollbackFinished{r, QStringLiteral("every step succeeded")}, both},
        {events::RollbackEscalated{r, QStringLiteral("step 2 failed")}, both},
        {events::RollbackRefused{QStringLiteral("api"), QStringLiteral("errors"),
                                 QStringLiteral("max_attempts_reached"), QStringLiteral("no")},
         api},
        {events::FreezeStarted{freezeOf(QStringLiteral("api"))}, api},
        {events::FreezeOverridden{QStringLiteral("api"), QStringLiteral("v3"), QStringLiteral("ci"),
                                  QStringLiteral("hotfix"), freezeOf(QStringLiteral("api"))},
         api},
        {events::SnapshotTaken{snap}, {QStringLiteral("db")}},
        {events::IncidentOpened{5, QStringLiteral("api rolled back"), both,
                                QStringLiteral("critical")},
         both},
        {events::IncidentUpdated{5, QStringLiteral("note"), QStringLiteral("looking"), {}, both},
         both},
        {events::IncidentUpdated{5, QStringLiteral("closed"), {}, QStringLiteral("closed"), api},
         api},
        {events::ApprovalRequested{r, 2}, both},
        {events::ApprovalGranted{r, QStringLiteral("ann"), QStringLiteral("ok"), false, 1, 2},
         both},
        {events::ApprovalGranted{r, QStringLiteral("rewind"), QStringLiteral("auto"), true, 0, 0},
         both},
        {events::ApprovalRejected{r, QStringLiteral("bob"), QStringLiteral("no")}, both},
        {events::ServiceUpdated{status}, {QStringLiteral("web")}},
    };
}

} // namespace

class TestEvents : public QObject
{
    Q_OBJECT

private slots:
    void everyKindIsSampledAndDocumented()
    {
        QSet<QString> kinds;
        for (const auto &[body, services] : samples())
            kinds.insert(events::typeOf(body));
        QCOMPARE(kinds.size(), int(std::variant_size_v<events::Body>));

        QFile doc(QStringLiteral(REWIND_SOURCE_DIR "/docs/api/websocket.md"));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(doc.readAll());
        QSet<QString> documented;
        static const QRegularExpression row(QStringLiteral("^\\| `([a-z_]+)` \\|"),
                                            QRegularExpression::MultilineOption);
        for (auto it = row.globalMatch(text); it.hasNext();)
            documented.insert(it.next().captured(1));
        for (const auto &kind : std::as_const(kinds))
            QVERIFY2(documented.contains(kind),
                     qPrintable(kind + QStringLiteral(" is not in websocket.md")));
    }

    // Written once, read back the same: the JSON of what fromJson reads is the JSON written.
    void roundTrip()
    {
        for (const auto &[body, services] : samples()) {
            const QString type = events::typeOf(body);
            const QJsonObject json = events::toJson(body);
            const auto back = events::fromJson(type, json);
            QVERIFY2(back, qPrintable(type));
            QCOMPARE(events::typeOf(*back), type);
            QCOMPARE(events::toJson(*back), json);
            QCOMPARE(back->index(), body.index());
        }
        QVERIFY(!events::fromJson(QStringLiteral("snapshot"), {}));
        QVERIFY(!events::fromJson(QStringLiteral("from_a_newer_rewind"), {}));
    }

    // A few shapes clients rely on, spelled out (docs/api/websocket.md).
    void wireShapes()
    {
        const auto r = rollback();
        const auto granted = events::toJson(
            events::ApprovalGranted{r, QStringLiteral("ann"), QStringLiteral("ok"), false, 1, 2});
        QCOMPARE(granted.value(QLatin1String("approvals")).toInt(), 1);
        QCOMPARE(granted.value(QLatin1String("needed")).toInt(), 2);
        QVERIFY(!granted.contains(QLatin1String("auto")));
        const auto automatic = events::toJson(
            events::ApprovalGranted{r, QStringLiteral("rewind"), QStringLiteral("c"), true, 0, 0});
        QVERIFY(automatic.value(QLatin1String("auto")).toBool());
        QVERIFY(!automatic.contains(QLatin1String("approvals")));
        QVERIFY(!automatic.contains(QLatin1String("needed")));
        const auto fired = events::toJson(events::RuleFired{firing(), 9});
        QCOMPARE(fired.value(QLatin1String("id")).toInteger(), 9);
        QCOMPARE(fired.value(QLatin1String("rule")).toString(), QStringLiteral("errors"));
        const auto closed = events::toJson(
            events::IncidentUpdated{5, QStringLiteral("closed"), {}, QStringLiteral("closed"), {}});
        QVERIFY(!closed.contains(QLatin1String("text")));
        QCOMPARE(closed.value(QLatin1String("state")).toString(), QStringLiteral("closed"));
        const auto alert = events::toJson(events::SecurityAlert{
            QStringLiteral("k"), QStringLiteral("m"), QJsonObject{{"user", "ann"}}});
        QCOMPARE(alert.value(QLatin1String("kind")).toString(), QStringLiteral("k"));
        QCOMPARE(alert.value(QLatin1String("user")).toString(), QStringLiteral("ann"));
        const auto retry = events::toJson(events::StepRetrying{{7, r.steps.first(), {}}, 2000});
        QCOMPARE(retry.value(QLatin1String("retry_in_ms")).toInteger(), 2000);
        QCOMPARE(retry.value(QLatin1String("rollback_id")).toInteger(), 7);
    }

    void services()
    {
        for (const auto &[body, services] : samples())
            QCOMPARE(events::servicesOf(body), services);
    }

    void fromWire()
    {
        protocol::Event e;
        e.seq = 12;
        e.type = QString::fromLatin1(protocol::event::HealthChanged);
        e.timeMs = 99;
        e.data = events::toJson(
            events::HealthChanged{QStringLiteral("api"), Health::Failing, Health::Healthy});
        const auto p = events::fromWire(e);
        QCOMPARE(p.seq, 12);
        QCOMPARE(p.timeMs, 99);
        const auto *h = p.as<events::HealthChanged>();
        QVERIFY(h);
        QCOMPARE(h->health, Health::Failing);
        QCOMPARE(h->previous, Health::Healthy);
        QVERIFY(!p.as<events::RuleFired>());
        e.type = QStringLiteral("from_a_newer_rewind");
        QVERIFY(!events::fromWire(e).body);
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "tst_events.moc"
