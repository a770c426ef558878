// The metric history through the real API of an in-process rewindd driven by a manual clock:
// signals pushed over REST land in the steps of their series, rule terms carry their
// thresholds, GET /api/v1/services/{name}/metrics serves ranges and filters and refuses bad
// parameters and services the caller may not see; a real WebSocket subscribes and receives one
// `metrics` message per closed step, only for services its user may see.
#include "client/restclient.h"
#include "client/sync/syncrest.h"
#include "common/clock.h"
#include "daemonfixture.h"
#include "monitor/metrichistory.h"
#include "processes.h"
#include "wsclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrl>

#include <algorithm>
#include <cmath>

using namespace rwd;

namespace {

// A step boundary: step k starts at kT0 + k seconds.
constexpr qint64 kT0 = 1'800'000'000'000;

// The event stream of a metrics subscriber.
struct MetricsClient : testing::WsClient
{
    using WsClient::WsClient;

    // The `metrics` message of `service` for the step starting at `stepMs`.
    [[nodiscard]] const QJsonObject *metrics(const QString &service, qint64 stepMs) const
    {
        for (const auto &m : messages) {
            if (m.value(QLatin1String("type")).toString() == u"metrics" &&
                m.value(QLatin1String("service")).toString() == service &&
                protocol::parseIsoTime(m.value(QLatin1String("time"))) == stepMs)
                return &m;
        }
        return nullptr;
    }
};

QString encoded(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

const QJsonObject *seriesNamed(const QJsonArray &series, const QString &name, QJsonObject &storage)
{
    for (const auto &s : series) {
        if (s.toObject().value(QLatin1String("name")).toString() == name) {
            storage = s.toObject();
            return &storage;
        }
    }
    return nullptr;
}

} // namespace

class TestMetricsApi : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock{kT0 + 100};
    testing::DaemonFixture m_daemon{m_clock};
    client::RestClient m_root;
    client::RestClient m_sven; // a viewer of staging only: pay is in production
    QString m_rootToken = drill::randomToken();
    QString m_svenToken = drill::randomToken();

    QUrl ws() const { return m_daemon.wsUrl(); }

    void push(const QString &service, const QString &check, const QJsonObject &signal)
    {
        QJsonObject body = signal;
        body.insert(QStringLiteral("service"), service);
        body.insert(QStringLiteral("check"), check);
        const auto r = client::callAndWait(m_root, "POST", QStringLiteral("/api/v1/signals"), body);
        QVERIFY2(r.status == 202, r.raw.constData());
    }

    client::RestResult history(client::RestClient &rest, const QString &service,
                               const QString &query = {})
    {
        return client::callAndWait(
            rest, "GET", QStringLiteral("/api/v1/services/%1/metrics%2").arg(service, query));
    }

    // The series of `service` in [since, until), by name, as root sees them.
    QJsonArray seriesOf(const QString &service, qint64 since, qint64 until)
    {
        const auto r =
            history(m_root, service, QStringLiteral("?since=%1&until=%2").arg(since).arg(until));
        return r.body.object().value(QLatin1String("series")).toArray();
    }

    // Points of a series as (time, value).
    static QList<QPair<qint64, double>> points(const QJsonObject &series)
    {
        QList<QPair<qint64, double>> out;
        for (const auto &p : series.value(QLatin1String("points")).toArray())
            out.append({p.toArray().at(0).toInteger(), p.toArray().at(1).toDouble()});
        return out;
    }

private slots:
    void initTestCase()
    {
        qputenv("TST_METRICS_ROOT_TOKEN", m_rootToken.toUtf8());
        qputenv("TST_METRICS_SVEN_TOKEN", m_svenToken.toUtf8());
        const QByteArray config =
            "server: {listen: \"127.0.0.1:0\", store: \"sqlite:metrics.db\", "
            "metrics_history: {step: 1s, retention: 10m}}\n"
            "auth: {pbkdf2_iterations: 1000}\n"
            "environments:\n  staging: {}\n  production: {}\n"
            "services:\n"
            "  - name: api\n    environment: staging\n"
            "    checks: [{name: app, type: signal, fields: {queue: gauge, requests: counter, "
            "duration: histogram}}]\n"
            "  - name: pay\n    environment: production\n"
            "    checks: [{name: probe, type: signal, fields: {bad: gauge}}]\n"
            "rules:\n"
            "  - {name: backlog, services: [api], when: \"value(app.queue) > 100\", severity: "
            "warning, action: alert}\n"
            "  - {name: errors, services: [api], when: \"error_rate(app, 1m) > 5%\", severity: "
            "critical, action: alert}\n"
            "users:\n"
            "  - {name: root, roles: {\"*\": [admin]}, tokens: {main: "
            "\"env:TST_METRICS_ROOT_TOKEN\"}}\n"
            "  - {name: sven, roles: {staging: [viewer]}, tokens: {main: "
            "\"env:TST_METRICS_SVEN_TOKEN\"}}\n";
        const auto started = m_daemon.start(QString::fromUtf8(config));
        QVERIFY2(started, qPrintable(testing::why(started)));
        m_daemon.connect(m_root, m_rootToken);
        m_daemon.connect(m_sven, m_svenToken);
    }

    void cleanupTestCase() { m_daemon.stop(); }

    // Two signals in the first step, then the step closes when the clock moves past it.
    void servesTheStepsOfEverySeries()
    {
        push(QStringLiteral("api"), QStringLiteral("app"),
             {{"fields",
               QJsonObject{{"queue", 150},
                           {"requests", QJsonObject{{"increment", 50}, {"seconds", 1}}},
                           {"duration",
                            QJsonObject{{"distribution",
                                         QJsonArray{QJsonArray{0.2, 99}, QJsonArray{1.5, 1}}}}}}}});
        push(QStringLiteral("api"), QStringLiteral("app"),
             {{"ok", false}, {"fields", QJsonObject{{"queue", 120}}}});
        // Nothing is served while the step is in progress.
        QJsonObject s;
        QVERIFY(seriesNamed(seriesOf(QStringLiteral("api"), kT0, kT0 + 1000),
                            QStringLiteral("app.queue"), s));
        QVERIFY(points(s).isEmpty());
        m_clock.set(kT0 + 1100); // the daemon's tick closes step 0
        QTRY_VERIFY_WITH_TIMEOUT(seriesNamed(seriesOf(QStringLiteral("api"), kT0, kT0 + 1000),
                                             QStringLiteral("app.queue"), s) &&
                                     !points(s).isEmpty(),
                                 10'000);

        const auto r = history(m_root, QStringLiteral("api"),
                               QStringLiteral("?since=%1&until=%2").arg(kT0).arg(kT0 + 1000));
        QCOMPARE(r.status, 200);
        const auto body = r.body.object();
        QCOMPARE(body.value(QLatin1String("service")).toString(), QStringLiteral("api"));
        QCOMPARE(body.value(QLatin1String("step_ms")).toInteger(), 1000);
        const auto all = body.value(QLatin1String("series")).toArray();
        QStringList names;
        for (const auto &v : all)
            names.append(v.toObject().value(QLatin1String("name")).toString());
        QCOMPARE(names, (QStringList{"app.failures", "app.queue", "app.requests",
                                     "app.duration.p50", "app.duration.p95", "app.duration.p99",
                                     "value(app.queue)", "error_rate(app, 1m)"}));
        const auto one = [&](const QString &name) {
            QJsonObject found;
            seriesNamed(all, name, found);
            const auto p = points(found);
            return p.size() == 1 && p.first().first == kT0 ? p.first().second : std::nan("");
        };
        QCOMPARE(one(QStringLiteral("app.queue")), 120.0);   // a gauge's last value
        QCOMPARE(one(QStringLiteral("app.failures")), 0.5);  // 1 of 2 signals failed
        QCOMPARE(one(QStringLiteral("app.requests")), 50.0); // 50 over 1 s
        QVERIFY(std::abs(one(QStringLiteral("app.duration.p50")) - 0.2) < 0.002);
        QVERIFY(std::abs(one(QStringLiteral("app.duration.p99")) - 1.5) < 0.015);
        QCOMPARE(one(QStringLiteral("value(app.queue)")), 120.0); // what the rule last saw
        QCOMPARE(one(QStringLiteral("error_rate(app, 1m)")), 0.5);
        QJsonObject term;
        QVERIFY(seriesNamed(all, QStringLiteral("error_rate(app, 1m)"), term));
        const auto info = protocol::SeriesInfo::fromJson(term);
        QCOMPARE(info.unit, QStringLiteral("ratio"));
        QCOMPARE(info.stepMs, qint64(1000));
        QCOMPARE(info.thresholds.size(), 1);
        QCOMPARE(info.thresholds.first().rule, QStringLiteral("errors"));
        QCOMPARE(info.thresholds.first().op, QStringLiteral(">"));
        QCOMPARE(info.thresholds.first().value, 0.05);
        QCOMPARE(info.thresholds.first().severity, QStringLiteral("critical"));

        // The same through the in-process interface the incident report uses.
        const auto direct =
            m_daemon->metricHistory()->series(QStringLiteral("api"), kT0, kT0 + 1000);
        QCOMPARE(direct.size(), all.size());
        for (const auto &series : direct) {
            QJsonObject served;
            QVERIFY(seriesNamed(all, series.name, served));
            const auto decoded = protocol::SeriesInfo::fromJson(served);
            QCOMPARE(series.points, decoded.points);
            QCOMPARE(series.unit, decoded.unit);
            QCOMPARE(series.thresholds.size(), decoded.thresholds.size());
        }
    }

    void filtersAndDefaults()
    {
        // Prefixes, split at commas outside parentheses.
        const auto filtered =
            history(m_root, QStringLiteral("api"),
                    QStringLiteral("?series=%1")
                        .arg(encoded(QStringLiteral("app.duration.p9, error_rate(app, 1m)"))));
        QCOMPARE(filtered.status, 200);
        QStringList names;
        for (const auto &v : filtered.body.object().value(QLatin1String("series")).toArray())
            names.append(v.toObject().value(QLatin1String("name")).toString());
        QCOMPARE(names,
                 (QStringList{"app.duration.p95", "app.duration.p99", "error_rate(app, 1m)"}));
        // No range: the last 15 minutes, which hold step 0. ISO 8601 times work as well.
        QJsonObject s;
        QVERIFY(seriesNamed(
            history(m_root, QStringLiteral("api")).body.object().value("series").toArray(),
            QStringLiteral("app.queue"), s));
        QCOMPARE(points(s).size(), 1);
        const auto iso = history(
            m_root, QStringLiteral("api"),
            QStringLiteral("?since=%1&series=app.queue").arg(encoded(protocol::isoTime(kT0 + 1))));
        QVERIFY(seriesNamed(iso.body.object().value("series").toArray(),
                            QStringLiteral("app.queue"), s));
        QVERIFY(points(s).isEmpty()); // step 0 starts before `since`
        const auto offset = history(m_root, QStringLiteral("api"),
                                    QStringLiteral("?since=%1&series=app.queue")
                                        .arg(encoded(QDateTime::fromMSecsSinceEpoch(kT0, Qt::UTC)
                                                         .toOffsetFromUtc(7200)
                                                         .toString(Qt::ISODateWithMs))));
        QVERIFY(seriesNamed(offset.body.object().value("series").toArray(),
                            QStringLiteral("app.queue"), s));
        QCOMPARE(points(s).size(), 1);
    }

    void refusesBadParametersAndHiddenServices_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("since not a time")
            << "root"
            << "/api/v1/services/api/metrics?since=yesterday" << 400 << "invalid_request";
        QTest::newRow("until not a time")
            << "root"
            << "/api/v1/services/api/metrics?until=-5" << 400 << "invalid_request";
        QTest::newRow("empty range")
            << "root" << QStringLiteral("/api/v1/services/api/metrics?since=%1&until=%1").arg(kT0)
            << 400 << "invalid_request";
        QTest::newRow("unknown service")
            << "root"
            << "/api/v1/services/nope/metrics" << 404 << "unknown_service";
        // As if it did not exist, word for word.
        QTest::newRow("another environment's service")
            << "sven"
            << "/api/v1/services/pay/metrics" << 404 << "unknown_service";
        QTest::newRow("own environment") << "sven"
                                         << "/api/v1/services/api/metrics" << 200 << "";
        QTest::newRow("no token") << ""
                                  << "/api/v1/services/api/metrics" << 401 << "unauthenticated";
    }
    void refusesBadParametersAndHiddenServices()
    {
        QFETCH(QString, user);
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, code);
        client::RestClient rest;
        rest.setBaseUrl(m_daemon.url());
        rest.setToken(user == u"root" ? m_rootToken : user == u"sven" ? m_svenToken : QString());
        const auto r = client::callAndWait(rest, "GET", path);
        QCOMPARE(r.status, status);
        if (status >= 400) {
            QVERIFY(r.error);
            QCOMPARE(r.error->code, code);
            QVERIFY(!r.error->message.isEmpty());
        }
        if (code == u"unknown_service")
            QCOMPARE(r.error->message,
                     QStringLiteral("no service named '%1'").arg(path.section(u'/', 4, 4)));
    }

    // Subscriptions over a real WebSocket: one message per closed step and service, without a
    // sequence number, only for what the user may see.
    void pushesEveryClosedStepToSubscribers()
    {
        MetricsClient early(ws(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(early.socket.state() == QAbstractSocket::ConnectedState, 10'000);
        early.send({{"type", "subscribe_metrics"}, {"services", QJsonArray{"api"}}});
        QTRY_VERIFY_WITH_TIMEOUT(early.last(QStringLiteral("error")), 10'000);
        QCOMPARE(early.last(QStringLiteral("error"))->value("code").toString(),
                 QStringLiteral("unauthenticated"));

        MetricsClient sven(ws(), m_svenToken);
        MetricsClient root(ws(), m_rootToken);
        QTRY_VERIFY_WITH_TIMEOUT(
            sven.last(QStringLiteral("snapshot")) && root.last(QStringLiteral("snapshot")), 10'000);
        sven.send({{"type", "subscribe_metrics"}, {"services", "api"}});
        QTRY_VERIFY_WITH_TIMEOUT(sven.last(QStringLiteral("error")), 10'000);
        QCOMPARE(sven.last(QStringLiteral("error"))->value("code").toString(),
                 QStringLiteral("invalid_request"));
        sven.send({{"type", "subscribe_metrics"}, {"services", QJsonArray{"api", "api"}}});
        QTRY_VERIFY_WITH_TIMEOUT(sven.last(QStringLiteral("metrics_subscribed")), 10'000);
        QCOMPARE(sven.last(QStringLiteral("metrics_subscribed"))->value("services").toArray(),
                 QJsonArray{"api"});
        QCOMPARE(sven.last(QStringLiteral("metrics_subscribed"))->value("step_ms").toInteger(),
                 1000);
        // A service of another environment: refused as a whole, the subscription unchanged.
        const auto errors = sven.messages.size();
        sven.send({{"type", "subscribe_metrics"}, {"services", QJsonArray{"api", "pay"}}});
        QTRY_VERIFY_WITH_TIMEOUT(sven.messages.size() > errors, 10'000);
        QCOMPARE(sven.messages.last().value("code").toString(), QStringLiteral("unknown_service"));
        QVERIFY2(sven.messages.last().value("message").toString().contains(u"'pay'"),
                 qPrintable(sven.messages.last().value("message").toString()));
        root.send({{"type", "subscribe_metrics"}, {"services", QJsonArray{"api", "pay"}}});
        QTRY_VERIFY_WITH_TIMEOUT(root.last(QStringLiteral("metrics_subscribed")), 10'000);

        // Step 2: values pushed, then the clock moves past it.
        m_clock.set(kT0 + 2100);
        push(QStringLiteral("api"), QStringLiteral("app"),
             {{"fields", QJsonObject{{"queue", 42}}}});
        push(QStringLiteral("pay"), QStringLiteral("probe"), {{"fields", QJsonObject{{"bad", 1}}}});
        m_clock.set(kT0 + 3050);
        QTRY_VERIFY_WITH_TIMEOUT(sven.metrics(QStringLiteral("api"), kT0 + 2000) &&
                                     root.metrics(QStringLiteral("api"), kT0 + 2000) &&
                                     root.metrics(QStringLiteral("pay"), kT0 + 2000),
                                 10'000);
        const auto *api = sven.metrics(QStringLiteral("api"), kT0 + 2000);
        QVERIFY(!api->contains(QLatin1String("seq")));
        QCOMPARE(api->value("time").toString(), protocol::isoTime(kT0 + 2000));
        const auto values = api->value("points").toObject();
        QCOMPARE(values.value("app.queue").toDouble(), 42.0);
        QCOMPARE(values.value("value(app.queue)").toDouble(), 42.0);
        QCOMPARE(values.value("app.failures").toDouble(), 0.0);
        QVERIFY(!values.contains(QLatin1String("app.requests"))); // no data in the step
        QCOMPARE(root.metrics(QStringLiteral("pay"), kT0 + 2000)
                     ->value("points")
                     .toObject()
                     .value("probe.bad")
                     .toDouble(),
                 1.0);
        // The step before (1: nothing happened in it) was pushed too, with no points.
        QTRY_VERIFY_WITH_TIMEOUT(sven.metrics(QStringLiteral("api"), kT0 + 1000), 10'000);
        QVERIFY(
            sven.metrics(QStringLiteral("api"), kT0 + 1000)->value("points").toObject().isEmpty());

        // Unsubscribed: step 3 reaches root but not sven. The pong answers a ping sven sent
        // after root had step 3, so anything sent to sven for step 3 would have come before it.
        sven.send({{"type", "subscribe_metrics"}, {"services", QJsonArray{}}});
        const auto acks =
            std::count_if(sven.messages.cbegin(), sven.messages.cend(), [](const auto &m) {
                return m.value("type").toString() == u"metrics_subscribed";
            });
        QTRY_VERIFY_WITH_TIMEOUT(std::count_if(sven.messages.cbegin(), sven.messages.cend(),
                                               [](const auto &m) {
                                                   return m.value("type").toString() ==
                                                          u"metrics_subscribed";
                                               }) > acks,
                                 10'000);
        m_clock.set(kT0 + 4050);
        QTRY_VERIFY_WITH_TIMEOUT(root.metrics(QStringLiteral("api"), kT0 + 3000), 10'000);
        sven.send({{"type", "ping"}});
        QTRY_VERIFY_WITH_TIMEOUT(sven.last(QStringLiteral("pong")), 10'000);
        QVERIFY(!sven.metrics(QStringLiteral("api"), kT0 + 3000));
        // No service of production ever reached sven.
        for (const auto &m : sven.messages)
            QVERIFY(m.value("service").toString() != u"pay");
    }

    // The memory the history holds is fixed by the configuration and shown on /metrics.
    void statesItsMemory()
    {
        QByteArray page;
        const auto r = client::fetchAndWait(m_root, QStringLiteral("/metrics"), &page);
        QCOMPARE(r.status, 200);
        // api: failures, queue, requests, duration ×3, two rule terms; pay: failures, bad.
        const QByteArray expected =
            "rewind_metric_history_bytes " + QByteArray::number(10 * 601 * 4) + '\n';
        QVERIFY2(page.contains(expected), page.constData());
        QCOMPARE(m_daemon->metricHistory()->memoryBytes(), std::size_t(10 * 601 * 4));
    }
};

QTEST_GUILESS_MAIN(TestMetricsApi)
#include "tst_metricsapi.moc"
