// Notifications against real peers: the slack and webhook notifiers post to a real HTTP server
// in this process that records every request byte for byte; the email notifier talks to a real
// SMTP server (aiosmtpd, tests/support/smtpserver.py) that requires STARTTLS and a login; the
// Dispatcher turns daemon-shaped events into deliveries recorded in a real SQLite store, with a
// ManualClock driving retries and the slow-rollback check.
#include "common/clock.h"
#include "common/protocol.h"
#include "config/configloader.h"
#include "httptestserver.h"
#include "notify/dispatcher.h"
#include "notify/notifier.h"
#include "notify/webhook/webhooknotifier.h"
#include "peers.h"
#include "processes.h"
#include "results.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace rwd;
using notify::Message;
using notify::Outcome;
using testing::closedPort;

namespace {

const QByteArray kServices = "environments:\n"
                             "  production: {}\n"
                             "  staging: {}\n"
                             "services:\n"
                             "  - {name: api, environment: production}\n"
                             "  - {name: web, environment: staging}\n"
                             "  - {name: db, environment: production}\n";

protocol::StepInfo step(int index, const QString &service, const QString &kind, StepState state,
                        const QString &message = {})
{
    protocol::StepInfo s;
    s.id = 100 + index;
    s.index = index;
    s.service = service;
    s.kind = kind;
    s.executor = QStringLiteral("nginx-") + service;
    s.state = state;
    s.attempts = state == StepState::Pending ? 0 : 1;
    s.message = message;
    return s;
}

protocol::RollbackInfo rollback(qint64 id, PlanState state, const QString &service,
                                qint64 createdAtMs)
{
    protocol::RollbackInfo r;
    r.id = id;
    r.state = state;
    r.trigger = QStringLiteral("rule:errors");
    r.reason = QStringLiteral("error_rate(traffic, 1m) = 7.2% > 5%");
    r.strategy = QStringLiteral("blue_green");
    r.createdAtMs = createdAtMs;
    protocol::TargetInfo t;
    t.service = service;
    t.fromVersion = QStringLiteral("1.4.2");
    t.toVersion = QStringLiteral("1.4.1");
    t.strategy = r.strategy;
    r.targets = {t};
    r.steps = {step(0, service, QStringLiteral("switch_traffic"), StepState::Pending),
               step(1, service, QStringLiteral("verify_health"), StepState::Pending)};
    return r;
}

// The daemon's rollback_finished: the final rollback and why it ended.
QJsonObject finished(protocol::RollbackInfo r, PlanState state, qint64 atMs, const QString &why)
{
    r.state = state;
    r.finishedAtMs = atMs;
    r.message = why;
    r.steps[0].state = StepState::Succeeded;
    r.steps[0].message = QStringLiteral("traffic on blue (1.4.1)");
    r.steps[1].state = state == PlanState::Succeeded ? StepState::Succeeded : StepState::Failed;
    r.steps[1].message = state == PlanState::Succeeded
                             ? QStringLiteral("3 consecutive healthy samples")
                             : QStringLiteral("health check failed 2 times in a row");
    return QJsonObject{{"rollback", r.toJson()}, {"message", why}};
}

bool aiosmtpdInstalled()
{
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"), QStringLiteral("import aiosmtpd")});
    return python.waitForFinished(30'000) && python.exitStatus() == QProcess::NormalExit &&
           python.exitCode() == 0;
}

} // namespace

class TestNotify : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    notify::NotifierRegistry m_registry = notify::builtinNotifiers();
    ManualClock m_clock;
    qint64 m_seq = 0;

    config::LoadResult load(const QByteArray &notifications)
    {
        config::Catalog catalog;
        notify::addNotifierReaders(catalog, m_registry);
        return config::loadConfigText(kServices + "notifications:\n" + notifications,
                                      m_dir.filePath(QStringLiteral("rewind.yaml")), catalog);
    }

    // The notifier of the configuration's only notification.
    std::unique_ptr<notify::Notifier> notifierOf(const QByteArray &notification)
    {
        const auto r = load("  - " + notification + "\n");
        if (!r.ok()) {
            qWarning().noquote() << r.diagnostics.format();
            return nullptr;
        }
        const auto &n = r.config->notifications.first();
        config::Diagnostics diagnostics;
        return m_registry.create(n.type, n.node, n.name, diagnostics, n.name, *r.config);
    }

    static std::optional<Outcome> sendAndWait(notify::Notifier &notifier, const Message &message)
    {
        std::optional<Outcome> result;
        bool calledInside = true;
        notifier.send(message, [&](const Outcome &r) {
            if (result)
                qFatal("done called twice");
            result = r;
        });
        calledInside = result.has_value();
        if (calledInside)
            qWarning("done was called from inside send()");
        drill::waitUntil([&] { return result.has_value(); }, 20'000);
        return calledInside ? std::nullopt : result;
    }

    static Message failedMessage()
    {
        Message m;
        m.event = QStringLiteral("rollback_failed");
        m.title = QStringLiteral("Rollback #7 of api failed");
        m.text = QStringLiteral("Rollback failed: api 1.4.2 → 1.4.1 in production\n"
                                "Next steps: check the failed step's message <here> & there.");
        m.severity = QStringLiteral("critical");
        m.fields = QJsonObject{{"rollback_id", 7},
                               {"service", "api"},
                               {"environment", "production"},
                               {"trigger", "rule:errors"},
                               {"severity", "critical"},
                               {"time", "2026-11-22T11:47:58.612Z"},
                               {"duration", "4m12s"},
                               {"next_steps", "check the failed step's message"}};
        m.sentAtMs = 1'795'000'000'123;
        return m;
    }

    events::Published published(const char *type, const QJsonObject &data)
    {
        protocol::Event e;
        e.seq = ++m_seq;
        e.type = QString::fromLatin1(type);
        e.timeMs = m_clock.nowMs();
        e.data = data;
        return events::fromWire(e);
    }

    std::unique_ptr<store::Store> openStore(const QString &name)
    {
        auto store = store::Store::open(QStringLiteral("sqlite:") + m_dir.filePath(name));
        if (!store) {
            qWarning().noquote() << store.error().message;
            return nullptr;
        }
        return *std::move(store);
    }

    // Deliveries oldest first.
    static QList<protocol::DeliveryInfo> deliveries(const store::Store &store)
    {
        auto all = store.deliveries().list(1000);
        std::reverse(all.begin(), all.end());
        return all;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("REWIND_TEST_SLACK_TOKEN_PART", "T000/B000/XyzSecretToken42");
    }

    void factoriesValidateWithoutTouchingTheNetwork()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        const QByteArray url = server.url(QStringLiteral("/hook")).toUtf8();
        QVERIFY(load("  - {type: slack, url: \"" + url +
                     "\"}\n"
                     "  - {name: hook, type: webhook, url: \"" +
                     url +
                     "\", secret: \"env:HMAC\", headers: {X-Team: ops}}\n"
                     "  - {name: pd, type: webhook, format: pagerduty, routing_key: "
                     "\"env:PD_KEY\"}\n"
                     "  - {name: mail, type: email, url: \"smtp://127.0.0.1:1\", from: "
                     "\"Rewind <rewind@example.test>\", to: [ops@example.test], "
                     "username: u, password: \"env:SMTP_PASSWORD\"}\n")
                    .ok());
        QVERIFY(server.requests.isEmpty());

        // rollback_finished is short for the three ways a rollback ends; a misspelt event is
        // refused with a suggestion.
        const auto finished = load("  - {name: f, type: webhook, url: \"" + url +
                                   "\", events: [rollback_finished, approval_requested]}\n");
        QVERIFY2(finished.ok(), qPrintable(finished.diagnostics.format()));
        QCOMPARE(
            finished.config->notifications.first().events,
            (QStringList{QStringLiteral("rollback_succeeded"), QStringLiteral("rollback_failed"),
                         QStringLiteral("rollback_needs_attention"),
                         QStringLiteral("approval_requested")}));
        const auto misspelt =
            load("  - {name: f, type: webhook, url: \"" + url + "\", events: [freeze_endd]}\n");
        QVERIFY(!misspelt.ok());
        QVERIFY2(
            misspelt.diagnostics.format().contains(QStringLiteral("did you mean 'freeze_ended'?")),
            qPrintable(misspelt.diagnostics.format()));

        const auto bad = load(
            "  - {name: s, type: slack}\n"
            "  - {name: w, type: webhook, url: \"ftp://x\", format: pagerduty, routing_key: k, "
            "headers: {X-Rewind-Signature: forged}}\n"
            "  - {name: p, type: webhook, format: pagerduty}\n"
            "  - {name: r, type: webhook, url: \"" +
            url +
            "\", routing_key: k}\n"
            "  - {name: e, type: email, url: \"smtp://h:25\", tls: tls, from: nobody, to: []}\n"
            "  - {name: t, type: webhook, url: \"" +
            url + "\", templates: {rollback_failed: \"{{rollback}} {{servce}}\"}}\n");
        QVERIFY(!bad.ok());
        const QString text = bad.diagnostics.format();
        for (const auto *expected :
             {"'url'", "must be an http:// or https:// URL", "Rewind sets it",
              "needs 'routing_key'", "only used with 'format: pagerduty'",
              "'tls: tls' of notification 'e' needs an smtps:// URL", "'from' of notification 'e'",
              "names no recipient", "unknown variable {{rollback}}"})
            QVERIFY2(text.contains(QLatin1String(expected)),
                     qPrintable(QStringLiteral("no '%1' in:\n%2").arg(expected, text)));
    }

    void slackPostsBlocks()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        const QString url = server.url(QStringLiteral("/services/") +
                                       qEnvironmentVariable("REWIND_TEST_SLACK_TOKEN_PART"));
        qputenv("REWIND_TEST_SLACK_URL", url.toUtf8());
        auto slack = notifierOf(
            "{name: ops, type: slack, url: \"env:REWIND_TEST_SLACK_URL\", username: Rewind, "
            "channel: \"#ops\"}");
        QVERIFY(slack);
        const auto result = sendAndWait(*slack, failedMessage());
        QVERIFY(result);
        QVERIFY2(result->ok, qPrintable(result->message));
        QCOMPARE(server.requests.size(), 1);
        const auto &request = server.requests.first();
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(QString::fromUtf8(request.target), QUrl(url).path());
        QVERIFY(request.headers.value("content-type").startsWith("application/json"));

        const auto body = request.json();
        QCOMPARE(body.value(QLatin1String("username")).toString(), QStringLiteral("Rewind"));
        QCOMPARE(body.value(QLatin1String("channel")).toString(), QStringLiteral("#ops"));
        QCOMPARE(body.value(QLatin1String("text")).toString(), failedMessage().title);
        const auto blocks = body.value(QLatin1String("blocks")).toArray();
        QCOMPARE(blocks.size(), 4);
        const auto header = blocks.at(0).toObject();
        QCOMPARE(header.value(QLatin1String("type")).toString(), QStringLiteral("header"));
        QCOMPARE(header.value(QLatin1String("text")).toObject().value(QLatin1String("text")),
                 QJsonValue(failedMessage().title));
        const auto section = blocks.at(1).toObject();
        QCOMPARE(section.value(QLatin1String("type")).toString(), QStringLiteral("section"));
        // mrkdwn: &, < and > are escaped, so text can never become a link or a mention.
        QCOMPARE(section.value(QLatin1String("text")).toObject().value(QLatin1String("text")),
                 QJsonValue(QStringLiteral("Rollback failed: api 1.4.2 → 1.4.1 in production\n"
                                           "Next steps: check the failed step's message "
                                           "&lt;here&gt; &amp; there.")));
        QStringList fields;
        for (const auto &f : blocks.at(2).toObject().value(QLatin1String("fields")).toArray())
            fields.append(f.toObject().value(QLatin1String("text")).toString());
        QCOMPARE(fields, (QStringList{QStringLiteral("*Service*\napi"),
                                      QStringLiteral("*Environment*\nproduction"),
                                      QStringLiteral("*Trigger*\nrule:errors"),
                                      QStringLiteral("*Severity*\ncritical"),
                                      QStringLiteral("*Duration*\n4m12s")}));
        const auto context = blocks.at(3).toObject();
        QCOMPARE(context.value(QLatin1String("type")).toString(), QStringLiteral("context"));
        const QString contextText = context.value(QLatin1String("elements"))
                                        .toArray()
                                        .at(0)
                                        .toObject()
                                        .value(QLatin1String("text"))
                                        .toString();
        QVERIFY2(contextText.contains(QLatin1String("2026-11-22T11:47:58.612Z")) &&
                     contextText.contains(QLatin1String("rollback #7")),
                 qPrintable(contextText));
        QVERIFY(!result->message.contains(QLatin1String("XyzSecretToken42")));
    }

    void slackAnswers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<bool>("retryable");
        QTest::newRow("200 ok") << 200 << QByteArray("ok") << true << false;
        QTest::newRow("200 but not ok") << 200 << QByteArray("invalid_token") << false << false;
        QTest::newRow("400 invalid_payload")
            << 400 << QByteArray("invalid_payload") << false << false;
        QTest::newRow("403 revoked") << 403 << QByteArray("action_prohibited") << false << false;
        QTest::newRow("404 no_service") << 404 << QByteArray("no_service") << false << false;
        QTest::newRow("429 rate_limited") << 429 << QByteArray("rate_limited") << false << true;
        QTest::newRow("503") << 503 << QByteArray("") << false << true;
    }

    void slackAnswers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, answer);
        QFETCH(bool, ok);
        QFETCH(bool, retryable);
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        server.answers = {{status, answer}};
        qputenv("REWIND_TEST_SLACK_URL",
                server.url(QStringLiteral("/services/T000/B000/XyzSecretToken42")).toUtf8());
        auto slack = notifierOf("{name: ops, type: slack, url: \"env:REWIND_TEST_SLACK_URL\"}");
        QVERIFY(slack);
        const auto result = sendAndWait(*slack, failedMessage());
        QVERIFY(result);
        QCOMPARE(result->ok, ok);
        QCOMPARE(result->retryable, retryable);
        QVERIFY2(result->message.contains(QString::number(status)), qPrintable(result->message));
        QVERIFY2(!result->message.contains(QLatin1String("XyzSecretToken42")) &&
                     !result->message.contains(QLatin1String("/services")),
                 qPrintable(result->message));
    }

    void aRefusedConnectionIsRetryable()
    {
        qputenv("REWIND_TEST_SLACK_URL",
                QStringLiteral("http://127.0.0.1:%1/services/T000/B000/XyzSecretToken42")
                    .arg(closedPort())
                    .toUtf8());
        auto slack = notifierOf("{name: ops, type: slack, url: \"env:REWIND_TEST_SLACK_URL\"}");
        QVERIFY(slack);
        const auto result = sendAndWait(*slack, failedMessage());
        QVERIFY(result);
        QVERIFY(!result->ok);
        QVERIFY2(result->retryable, qPrintable(result->message));
        QVERIFY(!result->message.contains(QLatin1String("XyzSecretToken42")));

        qunsetenv("REWIND_TEST_SLACK_URL");
        const auto unset = sendAndWait(*slack, failedMessage());
        QVERIFY(unset);
        QVERIFY(!unset->ok);
        QVERIFY(!unset->retryable);
        QVERIFY2(unset->message.contains(QLatin1String("REWIND_TEST_SLACK_URL is not set")),
                 qPrintable(unset->message));
    }

    void webhookSignsItsRequests()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        qputenv("REWIND_TEST_HMAC", "hmac-signing-secret-1");
        auto webhook = notifierOf("{name: hook, type: webhook, url: \"" +
                                  server.url(QStringLiteral("/rewind?team=ops")).toUtf8() +
                                  "\", secret: \"env:REWIND_TEST_HMAC\", headers: {X-Team: "
                                  "platform}}");
        QVERIFY(webhook);
        const Message message = failedMessage();
        const auto result = sendAndWait(*webhook, message);
        QVERIFY(result);
        QVERIFY2(result->ok, qPrintable(result->message));
        QCOMPARE(server.requests.size(), 1);
        const auto &r = server.requests.first();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.target, QByteArray("/rewind?team=ops"));
        QCOMPARE(r.headers.value("x-rewind-event"), QByteArray("rollback_failed"));
        QCOMPARE(r.headers.value("x-team"), QByteArray("platform"));
        const QByteArray timestamp = r.headers.value("x-rewind-timestamp");
        QCOMPARE(timestamp, QByteArray::number(message.sentAtMs / 1000));

        // What a receiver does: HMAC-SHA256 over "TIMESTAMP.BODY" with the shared secret.
        const auto expected = [&](const QByteArray &secret) {
            return "sha256=" + QMessageAuthenticationCode::hash(timestamp + '.' + r.body, secret,
                                                                QCryptographicHash::Sha256)
                                   .toHex();
        };
        QCOMPARE(r.headers.value("x-rewind-signature"), expected("hmac-signing-secret-1"));
        QVERIFY(r.headers.value("x-rewind-signature") != expected("hmac-signing-secret-2"));
        QCOMPARE(notify::WebhookNotifier::signature("hmac-signing-secret-1", timestamp.toLongLong(),
                                                    r.body),
                 expected("hmac-signing-secret-1"));

        const auto body = r.json();
        QCOMPARE(body.value(QLatin1String("event")).toString(), message.event);
        QCOMPARE(body.value(QLatin1String("title")).toString(), message.title);
        QCOMPARE(body.value(QLatin1String("text")).toString(), message.text);
        QCOMPARE(body.value(QLatin1String("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(body.value(QLatin1String("fields")).toObject(), message.fields);
        QCOMPARE(body.value(QLatin1String("sent_at")).toString(),
                 protocol::isoTime(message.sentAtMs));
        QCOMPARE(body.size(), 6);
        QVERIFY(!result->message.contains(QLatin1String("hmac-signing-secret-1")));

        // Without a secret there is nothing to sign with.
        auto unsigned_ = notifierOf("{name: plain, type: webhook, url: \"" +
                                    server.url(QStringLiteral("/plain")).toUtf8() + "\"}");
        QVERIFY(unsigned_);
        QVERIFY(sendAndWait(*unsigned_, message).value_or(Outcome{}).ok);
        QCOMPARE(server.requests.size(), 2);
        QVERIFY(!server.requests.at(1).headers.contains("x-rewind-signature"));
        QCOMPARE(server.requests.at(1).headers.value("x-rewind-event"),
                 QByteArray("rollback_failed"));
    }

    void webhookSpeaksPagerDuty()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        server.answers = {{202, "{\"status\":\"success\"}"}, {202, "{}"}, {400, "bad key"}};
        qputenv("REWIND_TEST_PD_KEY", "R0UT1NGKEY0123456789");
        auto pd = notifierOf("{name: pd, type: webhook, format: pagerduty, url: \"" +
                             server.url(QStringLiteral("/v2/enqueue")).toUtf8() +
                             "\", routing_key: \"env:REWIND_TEST_PD_KEY\"}");
        QVERIFY(pd);
        Message failed = failedMessage();
        QVERIFY(sendAndWait(*pd, failed).value_or(Outcome{}).ok);
        Message succeeded = failed;
        succeeded.event = QStringLiteral("rollback_succeeded");
        succeeded.severity = QStringLiteral("info");
        succeeded.title = QStringLiteral("Rollback #7 of api succeeded");
        QVERIFY(sendAndWait(*pd, succeeded).value_or(Outcome{}).ok);
        QCOMPARE(server.requests.size(), 2);

        const auto trigger = server.requests.at(0).json();
        QCOMPARE(server.requests.at(0).target, QByteArray("/v2/enqueue"));
        QCOMPARE(trigger.value(QLatin1String("routing_key")).toString(),
                 QStringLiteral("R0UT1NGKEY0123456789"));
        QCOMPARE(trigger.value(QLatin1String("event_action")).toString(),
                 QStringLiteral("trigger"));
        QCOMPARE(trigger.value(QLatin1String("dedup_key")).toString(),
                 QStringLiteral("rewind-rollback-7"));
        const auto payload = trigger.value(QLatin1String("payload")).toObject();
        QCOMPARE(payload.value(QLatin1String("summary")).toString(), failed.title);
        QCOMPARE(payload.value(QLatin1String("source")).toString(), QStringLiteral("rewind"));
        QCOMPARE(payload.value(QLatin1String("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(payload.value(QLatin1String("component")).toString(), QStringLiteral("api"));
        QCOMPARE(payload.value(QLatin1String("group")).toString(), QStringLiteral("production"));
        QCOMPARE(payload.value(QLatin1String("custom_details")).toObject(), failed.fields);

        const auto resolve = server.requests.at(1).json();
        QCOMPARE(resolve.value(QLatin1String("event_action")).toString(),
                 QStringLiteral("resolve"));
        QCOMPARE(resolve.value(QLatin1String("dedup_key")).toString(),
                 QStringLiteral("rewind-rollback-7"));
        QCOMPARE(resolve.value(QLatin1String("payload"))
                     .toObject()
                     .value(QLatin1String("severity"))
                     .toString(),
                 QStringLiteral("info"));

        const auto refused = sendAndWait(*pd, failed);
        QVERIFY(refused);
        QVERIFY(!refused->ok);
        QVERIFY(!refused->retryable);
        QVERIFY2(refused->message.contains(QLatin1String("HTTP 400: bad key")),
                 qPrintable(refused->message));
        QVERIFY(!refused->message.contains(QLatin1String("R0UT1NGKEY0123456789")));
    }

    void dispatcherRetriesWithBackoffUntilDelivered()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        server.answers = {{503, "busy"}, {503, "busy"}, {200, "ok"}};
        qputenv("REWIND_TEST_HOOK_URL",
                server.url(QStringLiteral("/hook/XyzSecretToken42")).toUtf8());
        const auto loaded =
            load("  - {name: hook, type: webhook, url: \"env:REWIND_TEST_HOOK_URL\"}\n");
        QVERIFY2(loaded.ok(), qPrintable(loaded.diagnostics.format()));
        auto store = openStore(QStringLiteral("retries.db"));
        QVERIFY(store);
        notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
        QCOMPARE(dispatcher.notifiers(), QStringList{QStringLiteral("hook")});
        int updates = 0;
        connect(&dispatcher, &notify::Dispatcher::deliveryUpdated, this, [&] { ++updates; });

        const auto r = rollback(7, PlanState::Running, QStringLiteral("api"), m_clock.nowMs());
        m_clock.advance(90'000);
        const auto e = published(protocol::event::RollbackFinished,
                                 finished(r, PlanState::Failed, m_clock.nowMs(),
                                          QStringLiteral("step 2 (verify_health) failed")));
        dispatcher.onEvent(e);
        const auto state = [&] { return deliveries(*store).value(0); };
        QCOMPARE(state().state, QStringLiteral("pending"));
        QVERIFY(drill::waitUntil([&] { return state().state == u"retrying"; }, 10'000));
        QCOMPARE(state().attempts, 1);
        QCOMPARE(server.requests.size(), 1);

        // 1 s, then 2 s: nothing is sent before a retry is due. The record counts an attempt
        // when it starts; each finished attempt is announced once.
        for (const qint64 backoff : {1000, 2000}) {
            const int before = state().attempts;
            const int announced = updates;
            m_clock.advance(backoff - 1);
            dispatcher.tick();
            QCOMPARE(state().attempts, before);
            m_clock.advance(1);
            dispatcher.tick();
            QCOMPARE(state().attempts, before + 1);
            QVERIFY(drill::waitUntil([&] { return updates == announced + 1; }, 10'000));
            QCOMPARE(int(server.requests.size()), before + 1);
        }
        QVERIFY(drill::waitUntil([&] { return state().state == u"delivered"; }, 10'000));
        const auto d = state();
        QCOMPARE(d.attempts, 3);
        QCOMPARE(d.notifier, QStringLiteral("hook"));
        QCOMPARE(d.type, QStringLiteral("webhook"));
        QCOMPARE(d.event, QStringLiteral("rollback_failed"));
        QCOMPARE(d.eventSeq, e.seq);
        QCOMPARE(d.rollbackId, qint64(7));
        QCOMPARE(d.finishedAtMs, m_clock.nowMs());
        QVERIFY2(d.message.contains(QLatin1String("HTTP 200")), qPrintable(d.message));
        QCOMPARE(server.requests.size(), 3);
        QCOMPARE(dispatcher.unfinished(), 0);
        // Every attempt was the same message.
        QCOMPARE(server.requests.at(0).json().value(QLatin1String("title")),
                 server.requests.at(2).json().value(QLatin1String("title")));
        for (const auto &delivery : deliveries(*store))
            QVERIFY(!delivery.message.contains(QLatin1String("XyzSecretToken42")));
    }

    void dispatcherGivesUpAfterFiveAttempts()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        for (int i = 0; i < 6; ++i)
            server.answers.append({500, "down"});
        qputenv("REWIND_TEST_HOOK_URL", server.url(QStringLiteral("/hook")).toUtf8());
        const auto loaded =
            load("  - {name: hook, type: webhook, url: \"env:REWIND_TEST_HOOK_URL\"}\n");
        QVERIFY(loaded.ok());
        auto store = openStore(QStringLiteral("giveup.db"));
        QVERIFY(store);
        notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
        int updates = 0;
        connect(&dispatcher, &notify::Dispatcher::deliveryUpdated, this, [&] { ++updates; });
        dispatcher.onEvent(published(
            protocol::event::RollbackStarted,
            rollback(8, PlanState::Running, QStringLiteral("api"), m_clock.nowMs()).toJson()));
        const auto state = [&] { return deliveries(*store).value(0); };
        for (int attempt = 1; attempt <= 5; ++attempt) {
            // Recorded, then one announcement per finished attempt.
            QVERIFY2(drill::waitUntil([&] { return updates == 1 + attempt; }, 10'000),
                     qPrintable(QStringLiteral("attempt %1 did not finish").arg(attempt)));
            QCOMPARE(int(server.requests.size()), attempt);
            if (attempt == 5)
                break;
            QCOMPARE(state().state, QStringLiteral("retrying"));
            const qint64 backoff = 1000LL << (attempt - 1);
            m_clock.advance(backoff - 1);
            dispatcher.tick();
            QCOMPARE(state().attempts, attempt); // not due yet
            m_clock.advance(1);
            dispatcher.tick();
            QCOMPARE(state().attempts, attempt + 1); // recorded as the attempt starts
        }
        QVERIFY(drill::waitUntil([&] { return state().state == u"failed"; }, 10'000));
        QCOMPARE(state().attempts, 5);
        QCOMPARE(state().finishedAtMs, m_clock.nowMs());
        // Nothing is left to retry: a tick would start an attempt (and record it) at once.
        m_clock.advance(60'000);
        dispatcher.tick();
        QCOMPARE(dispatcher.unfinished(), 0);
        QCOMPARE(state().attempts, 5);
        QCOMPARE(server.requests.size(), 5);
    }

    void dispatcherDoesNotRetryARefusal()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        server.answers = {{400, "unknown event"}};
        qputenv("REWIND_TEST_HOOK_URL", server.url(QStringLiteral("/hook")).toUtf8());
        const auto loaded =
            load("  - {name: hook, type: webhook, url: \"env:REWIND_TEST_HOOK_URL\"}\n");
        QVERIFY(loaded.ok());
        auto store = openStore(QStringLiteral("refusal.db"));
        QVERIFY(store);
        notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
        dispatcher.onEvent(published(
            protocol::event::RollbackStarted,
            rollback(9, PlanState::Running, QStringLiteral("api"), m_clock.nowMs()).toJson()));
        QVERIFY(drill::waitUntil([&] { return dispatcher.unfinished() == 0; }, 10'000));
        const auto d = deliveries(*store).value(0);
        QCOMPARE(d.state, QStringLiteral("failed"));
        QCOMPARE(d.attempts, 1);
        QVERIFY2(d.message.contains(QLatin1String("HTTP 400: unknown event")),
                 qPrintable(d.message));
        // Never retried: a tick would start an attempt (and record it) at once.
        m_clock.advance(10'000);
        dispatcher.tick();
        QCOMPARE(dispatcher.unfinished(), 0);
        QCOMPARE(deliveries(*store).value(0).attempts, 1);
        QCOMPARE(server.requests.size(), 1);
    }

    void unfinishedDeliveriesAreAbandonedWithTheDispatcher()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        server.answers = {{503, "busy"}};
        qputenv("REWIND_TEST_HOOK_URL", server.url(QStringLiteral("/hook")).toUtf8());
        const auto loaded =
            load("  - {name: hook, type: webhook, url: \"env:REWIND_TEST_HOOK_URL\"}\n");
        QVERIFY(loaded.ok());
        auto store = openStore(QStringLiteral("abandoned.db"));
        QVERIFY(store);
        {
            notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
            dispatcher.onEvent(published(
                protocol::event::RollbackStarted,
                rollback(10, PlanState::Running, QStringLiteral("api"), m_clock.nowMs()).toJson()));
            QVERIFY(drill::waitUntil(
                [&] { return deliveries(*store).value(0).state == u"retrying"; }, 10'000));
            QCOMPARE(dispatcher.unfinished(), 1);
        }
        const auto d = deliveries(*store).value(0);
        QCOMPARE(d.state, QStringLiteral("failed"));
        QCOMPARE(d.attempts, 1);
        QCOMPARE(d.finishedAtMs, m_clock.nowMs());
        QVERIFY2(d.message.startsWith(QLatin1String("abandoned after 1 attempt(s)")) &&
                     d.message.contains(QLatin1String("HTTP 503")),
                 qPrintable(d.message));

        // A run that died (no destructor ran) leaves a delivery retrying: the next dispatcher
        // on that store closes it.
        protocol::DeliveryInfo crashed = d;
        crashed.id = 0;
        crashed.state = QStringLiteral("retrying");
        crashed.finishedAtMs = 0;
        const qint64 id = store->deliveries().insert(crashed);
        QVERIFY(id > 0);
        QCOMPARE(deliveries(*store).last().state, QStringLiteral("retrying"));
        notify::Dispatcher next(*loaded.config, store->deliveries(), m_clock, m_registry);
        for (const auto &row : deliveries(*store)) {
            QCOMPARE(row.state, QStringLiteral("failed"));
            if (row.id == id)
                QVERIFY2(row.message.contains(QLatin1String("rewindd stopped")),
                         qPrintable(row.message));
        }
        QCOMPARE(next.unfinished(), 0);
    }

    void dispatcherRoutesByEventAndEnvironment()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        const auto hook = [&](const char *path) {
            return QByteArray("url: \"") + server.url(QString::fromLatin1(path)).toUtf8() + '"';
        };
        const auto loaded =
            load("  - {name: all, type: webhook, " + hook("/all") +
                 ", templates: {rollback_started: \"R{{rollback_id}} {{service}} {{environment}} "
                 "{{versions}} {{trigger}} [{{by}}]\"}}\n"
                 "  - {name: prod-failures, type: webhook, " +
                 hook("/prod-failures") +
                 ", events: [rollback_failed], environments: [production]}\n"
                 "  - {name: staging, type: webhook, " +
                 hook("/staging") + ", environments: [staging]}\n");
        QVERIFY2(loaded.ok(), qPrintable(loaded.diagnostics.format()));
        auto store = openStore(QStringLiteral("routing.db"));
        QVERIFY(store);
        notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
        const auto sentTo = [&](int from) {
            QStringList paths;
            for (const auto &r : server.requests.mid(from))
                paths.append(QString::fromUtf8(r.target));
            paths.sort();
            return paths;
        };
        const auto settle = [&] {
            return drill::waitUntil([&] { return dispatcher.unfinished() == 0; }, 10'000);
        };

        // api is in production: the started event goes to `all` only (not a failure; not
        // staging), with its template.
        const auto api = rollback(11, PlanState::Running, QStringLiteral("api"), m_clock.nowMs());
        dispatcher.onEvent(published(protocol::event::RollbackStarted, api.toJson()));
        QVERIFY(settle());
        QCOMPARE(sentTo(0), QStringList{QStringLiteral("/all")});
        const auto started = server.requests.at(0).json();
        QCOMPARE(started.value(QLatin1String("text")).toString(),
                 QStringLiteral("R11 api production api 1.4.2 → 1.4.1 rule:errors []"));
        QCOMPARE(started.value(QLatin1String("title")).toString(),
                 QStringLiteral("Rollback #11 of api started"));
        QCOMPARE(started.value(QLatin1String("severity")).toString(), QStringLiteral("warning"));

        // Its failure goes to `all` (built-in text) and to `prod-failures`.
        m_clock.advance(252'000);
        dispatcher.onEvent(published(protocol::event::RollbackFinished,
                                     finished(api, PlanState::Failed, m_clock.nowMs(),
                                              QStringLiteral("step 2 (verify_health) failed"))));
        QVERIFY(settle());
        QCOMPARE(sentTo(1),
                 (QStringList{QStringLiteral("/all"), QStringLiteral("/prod-failures")}));
        const auto failed = server.requests.at(1).json();
        QCOMPARE(failed.value(QLatin1String("event")).toString(),
                 QStringLiteral("rollback_failed"));
        QCOMPARE(failed.value(QLatin1String("severity")).toString(), QStringLiteral("critical"));
        const QString text = failed.value(QLatin1String("text")).toString();
        for (const auto *part :
             {"Rollback failed: api 1.4.2 → 1.4.1 in production",
              "Trigger: rule:errors — error_rate(traffic, 1m) = 7.2% > 5%", "Severity: critical",
              "Actions:\n  1. switch_traffic (api): succeeded — traffic on blue (1.4.1)\n"
              "  2. verify_health (api): failed — health check failed 2 times in a row",
              "Duration: 4m12s",
              "Verification:\n  api: failed — health check failed 2 times in a row",
              "Next steps: Check the failed step's message (step 2, verify_health (api): health "
              "check failed 2 times in a row). The plan is halted",
              "Outcome: step 2 (verify_health) failed",
              "Details: http://127.0.0.1:8470/api/v1/"
              "rollbacks/11"})
            QVERIFY2(
                text.contains(QString::fromUtf8(part)),
                qPrintable(QStringLiteral("no '%1' in:\n%2").arg(QString::fromUtf8(part), text)));
        const auto fields = failed.value(QLatin1String("fields")).toObject();
        QCOMPARE(fields.value(QLatin1String("rollback_id")).toInteger(), 11);
        QCOMPARE(fields.value(QLatin1String("service")).toString(), QStringLiteral("api"));
        QCOMPARE(fields.value(QLatin1String("environment")).toString(),
                 QStringLiteral("production"));
        QCOMPARE(fields.value(QLatin1String("trigger")).toString(), QStringLiteral("rule:errors"));
        QCOMPARE(fields.value(QLatin1String("duration_ms")).toInteger(), 252'000);
        QCOMPARE(fields.value(QLatin1String("actions")).toArray().size(), 2);
        QCOMPARE(fields.value(QLatin1String("verification"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("state"))
                     .toString(),
                 QStringLiteral("failed"));
        QVERIFY(fields.value(QLatin1String("next_steps"))
                    .toString()
                    .startsWith(QLatin1String("Check the failed step's message")));

        // A freeze of web (staging): `all` and `staging`.
        protocol::FreezeInfo freeze;
        freeze.id = 3;
        freeze.service = QStringLiteral("web");
        freeze.reason = QStringLiteral("after rollback #12 (failed)");
        freeze.rollbackId = 12;
        freeze.startedAtMs = m_clock.nowMs();
        freeze.untilMs = freeze.startedAtMs + 3'600'000;
        dispatcher.onEvent(published(protocol::event::FreezeStarted, freeze.toJson()));
        QVERIFY(settle());
        QCOMPARE(sentTo(3), (QStringList{QStringLiteral("/all"), QStringLiteral("/staging")}));

        // An alert about no service reaches only notifiers without an environment filter.
        dispatcher.onEvent(published("security_alert", QJsonObject{{"message", "token leaked"}}));
        QVERIFY(settle());
        QCOMPARE(sentTo(5), QStringList{QStringLiteral("/all")});
        QCOMPARE(server.requests.at(5).json().value(QLatin1String("severity")).toString(),
                 QStringLiteral("critical"));

        // The freeze runs out: announced where it was, once.
        m_clock.advance(3'600'000 - 1);
        dispatcher.tick();
        QVERIFY(settle());
        QCOMPARE(server.requests.size(), 6);
        m_clock.advance(1);
        dispatcher.tick();
        dispatcher.tick();
        QVERIFY(settle());
        QCOMPARE(sentTo(6), (QStringList{QStringLiteral("/all"), QStringLiteral("/staging")}));
        QCOMPARE(server.requests.at(6).json().value(QLatin1String("severity")).toString(),
                 QStringLiteral("info"));

        // The records: one per notifier and event, in order, all delivered at the first attempt.
        QStringList records;
        for (const auto &d : deliveries(*store)) {
            records.append(QStringLiteral("%1 %2 #%3 seq%4 %5 %6")
                               .arg(d.notifier, d.event)
                               .arg(d.rollbackId)
                               .arg(int(d.eventSeq > 0))
                               .arg(d.state)
                               .arg(d.attempts));
        }
        QCOMPARE(records, (QStringList{
                              QStringLiteral("all rollback_started #11 seq1 delivered 1"),
                              QStringLiteral("all rollback_failed #11 seq1 delivered 1"),
                              QStringLiteral("prod-failures rollback_failed #11 seq1 delivered 1"),
                              QStringLiteral("all freeze_started #12 seq1 delivered 1"),
                              QStringLiteral("staging freeze_started #12 seq1 delivered 1"),
                              QStringLiteral("all security_alert #0 seq1 delivered 1"),
                              QStringLiteral("all freeze_ended #12 seq0 delivered 1"),
                              QStringLiteral("staging freeze_ended #12 seq0 delivered 1"),
                          }));
    }

    void dispatcherMapsTheDaemonsEvents()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        const auto loaded = load("  - {name: all, type: webhook, url: \"" +
                                 server.url(QStringLiteral("/all")).toUtf8() + "\"}\n");
        QVERIFY(loaded.ok());
        auto store = openStore(QStringLiteral("mapping.db"));
        QVERIFY(store);
        notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
        const auto sent = [&](int from) {
            drill::waitUntil([&] { return dispatcher.unfinished() == 0; }, 10'000);
            QStringList events;
            for (const auto &r : server.requests.mid(from))
                events.append(QString::fromUtf8(r.headers.value("x-rewind-event")));
            return events;
        };
        auto r = rollback(21, PlanState::AwaitingApproval, QStringLiteral("db"), m_clock.nowMs());
        // Awaiting approval: announced once as approval_requested, however the daemon says it.
        dispatcher.onEvent(published(protocol::event::RollbackStarted, r.toJson()));
        dispatcher.onEvent(published("approval_requested", QJsonObject{{"rollback", r.toJson()}}));
        QCOMPARE(sent(0), QStringList{QStringLiteral("approval_requested")});

        // Two approvals needed: the first leaves it waiting, the second lets it run.
        dispatcher.onEvent(published("approval_granted", QJsonObject{{"rollback", r.toJson()},
                                                                     {"by", "carol"},
                                                                     {"comment", "go ahead"},
                                                                     {"approvals", 1},
                                                                     {"needed", 2}}));
        QCOMPARE(sent(1), QStringList{QStringLiteral("approval_granted")});
        const auto granted = server.requests.at(1).json();
        QCOMPARE(granted.value(QLatin1String("title")).toString(),
                 QStringLiteral("Rollback #21 of db approved by carol"));
        const QString grantedText = granted.value(QLatin1String("text")).toString();
        QVERIFY2(grantedText.contains(QLatin1String("Decided by: carol (\"go ahead\")")) &&
                     grantedText.contains(QLatin1String("Approvals: 1 of 2")) &&
                     grantedText.contains(
                         QLatin1String("Next steps: It needs more approvals before it runs.")),
                 qPrintable(grantedText));
        QCOMPARE(granted.value(QLatin1String("fields")).toObject().value(QLatin1String("by")),
                 QJsonValue(QStringLiteral("carol")));
        r.state = PlanState::Approved;
        dispatcher.onEvent(published("approval_granted", QJsonObject{{"rollback", r.toJson()},
                                                                     {"by", "erin"},
                                                                     {"approvals", 2},
                                                                     {"needed", 2}}));
        QCOMPARE(sent(2), QStringList{QStringLiteral("approval_granted")});
        QVERIFY(server.requests.at(2)
                    .json()
                    .value(QLatin1String("text"))
                    .toString()
                    .contains(QLatin1String("Next steps: Nothing to do: the rollback runs now.")));

        // Started (again on resume: announced once), its steps, then success.
        r.state = PlanState::Running;
        dispatcher.onEvent(published(protocol::event::RollbackStarted, r.toJson()));
        dispatcher.onEvent(published(protocol::event::RollbackStarted, r.toJson()));
        dispatcher.onEvent(
            published(protocol::event::StepStarted,
                      QJsonObject{{"rollback_id", 21}, {"step", r.steps.at(0).toJson()}}));
        dispatcher.onEvent(published(protocol::event::RollbackEscalated,
                                     QJsonObject{{"rollback", r.toJson()}, {"reason", "x"}}));
        QCOMPARE(sent(3), QStringList{QStringLiteral("rollback_started")});
        dispatcher.onEvent(
            published(protocol::event::RollbackFinished,
                      finished(r, PlanState::Succeeded, m_clock.nowMs() + 5000,
                               QStringLiteral("every target restored and verified"))));
        QCOMPARE(sent(4), QStringList{QStringLiteral("rollback_succeeded")});
        QCOMPARE(server.requests.at(4).json().value(QLatin1String("severity")).toString(),
                 QStringLiteral("info"));

        // Deployments of api frozen (published before the rollback ends), then it needs
        // attention; one aborted (a person did it: nothing); one rejected. Sent concurrently, so
        // compared in any order.
        protocol::FreezeInfo freeze;
        freeze.service = QStringLiteral("api");
        freeze.reason = QStringLiteral("after rollback #22 (needs_attention)");
        freeze.rollbackId = 22;
        freeze.startedAtMs = m_clock.nowMs();
        freeze.untilMs = freeze.startedAtMs + 3'600'000;
        dispatcher.onEvent(published(protocol::event::FreezeStarted, freeze.toJson()));
        auto other = rollback(22, PlanState::Running, QStringLiteral("api"), m_clock.nowMs());
        dispatcher.onEvent(published(protocol::event::RollbackFinished,
                                     finished(other, PlanState::NeedsAttention, m_clock.nowMs(),
                                              QStringLiteral("blue and green both unhealthy"))));
        dispatcher.onEvent(published(
            protocol::event::RollbackFinished,
            finished(rollback(23, PlanState::Running, QStringLiteral("api"), m_clock.nowMs()),
                     PlanState::Aborted, m_clock.nowMs(), QStringLiteral("x"))));
        auto rejected =
            rollback(24, PlanState::AwaitingApproval, QStringLiteral("api"), m_clock.nowMs());
        rejected.state = PlanState::Aborted;
        dispatcher.onEvent(published("approval_rejected",
                                     QJsonObject{{"rollback", rejected.toJson()}, {"by", "dave"}}));
        auto last = sent(5);
        last.sort();
        QCOMPARE(last,
                 (QStringList{QStringLiteral("approval_rejected"), QStringLiteral("freeze_started"),
                              QStringLiteral("rollback_needs_attention")}));
        const auto body = [&](const char *name) {
            for (const auto &request : server.requests) {
                if (request.headers.value("x-rewind-event") == name)
                    return request.json();
            }
            return QJsonObject();
        };
        const auto attention = body("rollback_needs_attention");
        QCOMPARE(attention.value(QLatin1String("severity")).toString(), QStringLiteral("critical"));
        const QString next = attention.value(QLatin1String("fields"))
                                 .toObject()
                                 .value(QLatin1String("next_steps"))
                                 .toString();
        QCOMPARE(next,
                 QStringLiteral("A person must look at it now: blue and green both unhealthy. "
                                "The plan is halted; deployments of api are frozen until %1.")
                     .arg(protocol::isoTime(freeze.untilMs)));
        QCOMPARE(body("freeze_started").value(QLatin1String("title")).toString(),
                 QStringLiteral("Deployments of api frozen until %1")
                     .arg(protocol::isoTime(freeze.untilMs)));
        QCOMPARE(body("approval_rejected").value(QLatin1String("title")).toString(),
                 QStringLiteral("Rollback #24 of api rejected by dave"));
    }

    void rollbackSlowAfterFifteenMinutesOnce()
    {
        testing::RecordingHttpServer server;
        QVERIFY(server.isListening());
        const auto loaded =
            load("  - {name: slow, type: webhook, events: [rollback_slow], url: \"" +
                 server.url(QStringLiteral("/slow")).toUtf8() + "\"}\n");
        QVERIFY(loaded.ok());
        auto store = openStore(QStringLiteral("slow.db"));
        QVERIFY(store);
        notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
        const auto slowCount = [&] { return int(deliveries(*store).size()); };

        // One that waits for approval is not running: its wait does not count.
        auto waiting =
            rollback(31, PlanState::AwaitingApproval, QStringLiteral("api"), m_clock.nowMs());
        dispatcher.onEvent(published(protocol::event::RollbackStarted, waiting.toJson()));
        // One that finishes in time is never slow.
        auto quick = rollback(32, PlanState::Running, QStringLiteral("web"), m_clock.nowMs());
        dispatcher.onEvent(published(protocol::event::RollbackStarted, quick.toJson()));
        m_clock.advance(20 * 60'000);
        dispatcher.onEvent(published(protocol::event::RollbackFinished,
                                     finished(quick, PlanState::Succeeded, m_clock.nowMs(), {})));
        dispatcher.tick();
        QCOMPARE(slowCount(), 0);

        waiting.state = PlanState::Running;
        dispatcher.onEvent(published(protocol::event::RollbackStarted, waiting.toJson()));
        auto running = waiting.steps.at(0);
        running.state = StepState::Running;
        dispatcher.onEvent(published(protocol::event::StepStarted,
                                     QJsonObject{{"rollback_id", 31}, {"step", running.toJson()}}));
        m_clock.advance(notify::Dispatcher::kSlowRollbackMs - 1);
        dispatcher.tick();
        QCOMPARE(slowCount(), 0);
        m_clock.advance(1);
        dispatcher.tick();
        QCOMPARE(slowCount(), 1);
        for (int i = 0; i < 5; ++i) {
            m_clock.advance(60'000);
            dispatcher.tick();
        }
        QVERIFY(drill::waitUntil([&] { return dispatcher.unfinished() == 0; }, 10'000));
        QCOMPARE(slowCount(), 1);
        QCOMPARE(server.requests.size(), 1);
        const auto d = deliveries(*store).value(0);
        QCOMPARE(d.event, QStringLiteral("rollback_slow"));
        QCOMPARE(d.rollbackId, qint64(31));
        QCOMPARE(d.state, QStringLiteral("delivered"));
        const auto body = server.requests.at(0).json();
        QCOMPARE(body.value(QLatin1String("title")).toString(),
                 QStringLiteral("Rollback #31 of api still running after 15m"));
        QCOMPARE(body.value(QLatin1String("severity")).toString(), QStringLiteral("warning"));
        QVERIFY2(body.value(QLatin1String("text"))
                     .toString()
                     .contains(QLatin1String("Check the running step (1. switch_traffic (api))")),
                 qPrintable(body.value(QLatin1String("text")).toString()));
        QCOMPARE(body.value(QLatin1String("fields"))
                     .toObject()
                     .value(QLatin1String("duration_ms"))
                     .toInteger(),
                 notify::Dispatcher::kSlowRollbackMs);
    }

    void email()
    {
        REWIND_REQUIRE_PEER(aiosmtpdInstalled(),
                            "an SMTP receiver (Debian package python3-aiosmtpd, which "
                            "/usr/bin/python3 could not import)");
        // A throwaway certificate for 127.0.0.1, trusted by the notifier through ca_file only.
        const QString cert = m_dir.filePath(QStringLiteral("smtp-cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("smtp-key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"),
                       key, QStringLiteral("-out"), cert});
        QVERIFY(openssl.waitForFinished(60'000));
        QCOMPARE(openssl.exitCode(), 0);

        const QString mailDir = m_dir.filePath(QStringLiteral("mail"));
        QVERIFY(QDir().mkpath(mailDir));
        drill::ManagedProcess smtp(QStringLiteral("aiosmtpd"),
                                   m_dir.filePath(QStringLiteral("smtpserver.log")));
        REWIND_VERIFY_OK(smtp.start(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral(REWIND_SOURCE_DIR "/tests/support/smtpserver.py"),
             QStringLiteral("--dir"), mailDir, QStringLiteral("--cert"), cert,
             QStringLiteral("--key"), key, QStringLiteral("--user"), QStringLiteral("alice"),
             QStringLiteral("--password"), QStringLiteral("correct-horse-battery")},
            30'000));
        const int port = smtp.ready().value(QLatin1String("port")).toInt();
        QVERIFY(port > 0);
        const QByteArray url = "smtp://127.0.0.1:" + QByteArray::number(port);
        const QByteArray common =
            "from: \"Rewind <rewind@example.test>\", to: [ops@example.test, "
            "\"On Call <oncall@example.test>\", \"Doe, Jane <jane@example.test>\"], "
            "ca_file: \"" +
            cert.toUtf8() +
            "\", username: alice, password: "
            "\"env:REWIND_TEST_SMTP_PASSWORD\"";
        const auto record = [&](int n) {
            QFile f(mailDir + QStringLiteral("/%1.json").arg(n));
            return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                               : QJsonObject();
        };
        const auto received = [&] {
            return QDir(mailDir).entryList({QStringLiteral("*.json")}).size();
        };

        // Delivered over STARTTLS, logged in, with the right headers and body.
        qputenv("REWIND_TEST_SMTP_PASSWORD", "correct-horse-battery");
        auto mail = notifierOf("{name: mail, type: email, url: \"" + url + "\", " + common + "}");
        QVERIFY(mail);
        Message message = failedMessage();
        message.title = QStringLiteral("Rollback #7 of api failed — verify_health");
        message.text +=
            QStringLiteral("\n.\nA line that is only a dot, and one that ends in a space ");
        const auto sent = sendAndWait(*mail, message);
        QVERIFY(sent);
        QVERIFY2(sent->ok, qPrintable(sent->message));
        QVERIFY(sent->message.contains(QLatin1String("STARTTLS")));
        QVERIFY(drill::waitUntil([&] { return received() == 1; }, 10'000));
        const auto m = record(1);
        QCOMPARE(m.value(QLatin1String("tls")).toBool(), true);
        QCOMPARE(m.value(QLatin1String("auth_user")).toString(), QStringLiteral("alice"));
        QCOMPARE(m.value(QLatin1String("mail_from")).toString(),
                 QStringLiteral("rewind@example.test"));
        QCOMPARE(m.value(QLatin1String("rcpt_tos")).toArray(),
                 (QJsonArray{"ops@example.test", "oncall@example.test", "jane@example.test"}));
        QCOMPARE(m.value(QLatin1String("from")).toString(),
                 QStringLiteral("Rewind <rewind@example.test>"));
        QCOMPARE(m.value(QLatin1String("to")).toString(),
                 QStringLiteral("ops@example.test, On Call <oncall@example.test>, \"Doe, Jane\" "
                                "<jane@example.test>"));
        QCOMPARE(m.value(QLatin1String("subject")).toString(), message.title);
        QCOMPARE(m.value(QLatin1String("content_type")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(m.value(QLatin1String("charset")).toString(), QStringLiteral("utf-8"));
        // The Date header, as an RFC 5322 parser reads it.
        QCOMPARE(m.value(QLatin1String("date_epoch")).toInteger(), message.sentAtMs / 1000);
        QVERIFY(m.value(QLatin1String("message_id")).toString().endsWith(u"@example.test>"));
        QCOMPARE(m.value(QLatin1String("body"))
                     .toString()
                     .replace(QStringLiteral("\r\n"), QStringLiteral("\n")),
                 message.text + u'\n');

        // The server really requires STARTTLS: without it nothing is accepted, and that is final.
        auto clear = notifierOf("{name: clear, type: email, tls: none, url: \"" + url + "\", " +
                                common + "}");
        QVERIFY(clear);
        const auto refused = sendAndWait(*clear, message);
        QVERIFY(refused);
        QVERIFY(!refused->ok);
        QVERIFY2(!refused->retryable, qPrintable(refused->message));
        QVERIFY2(refused->message.contains(QLatin1String("SMTP 530")),
                 qPrintable(refused->message));

        // The certificate is verified: without ca_file it is not trusted.
        auto untrusted = notifierOf("{name: untrusted, type: email, url: \"" + url +
                                    "\", from: rewind@example.test, to: [ops@example.test]}");
        QVERIFY(untrusted);
        const auto distrusted = sendAndWait(*untrusted, message);
        QVERIFY(distrusted);
        QVERIFY(!distrusted->ok);
        QVERIFY2(distrusted->message.contains(QLatin1String("TLS failed")),
                 qPrintable(distrusted->message));
        QCOMPARE(received(), 1);

        // A wrong password: failed at once, never retried, and in no record or message.
        qputenv("REWIND_TEST_SMTP_PASSWORD", "wrong-password-123");
        const auto loaded =
            load("  - {name: mail, type: email, url: \"" + url + "\", " + common + "}\n");
        QVERIFY(loaded.ok());
        auto store = openStore(QStringLiteral("email.db"));
        QVERIFY(store);
        {
            notify::Dispatcher dispatcher(*loaded.config, store->deliveries(), m_clock, m_registry);
            dispatcher.onEvent(published(
                protocol::event::RollbackFinished,
                finished(rollback(41, PlanState::Running, QStringLiteral("api"), m_clock.nowMs()),
                         PlanState::Failed, m_clock.nowMs(), QStringLiteral("x"))));
            QVERIFY(drill::waitUntil([&] { return dispatcher.unfinished() == 0; }, 20'000));
            m_clock.advance(60'000);
            dispatcher.tick();
            QCOMPARE(dispatcher.unfinished(), 0);
        }
        const auto d = deliveries(*store).value(0);
        QCOMPARE(d.type, QStringLiteral("email"));
        QCOMPARE(d.state, QStringLiteral("failed"));
        QCOMPARE(d.attempts, 1);
        QVERIFY2(d.message.contains(QLatin1String("refused the login of 'alice'")) &&
                     d.message.contains(QLatin1String("SMTP 535")),
                 qPrintable(d.message));
        for (const auto &any : deliveries(*store)) {
            QVERIFY(!any.message.contains(QLatin1String("wrong-password-123")));
            QVERIFY(!any.message.contains(QLatin1String("correct-horse-battery")));
        }
        QCOMPARE(received(), 1);

        // A server that is down is worth trying again.
        smtp.stop();
        qputenv("REWIND_TEST_SMTP_PASSWORD", "correct-horse-battery");
        const auto down = sendAndWait(*mail, message);
        QVERIFY(down);
        QVERIFY(!down->ok);
        QVERIFY2(down->retryable, qPrintable(down->message));
        QVERIFY(!down->message.contains(QLatin1String("correct-horse-battery")));
    }
};

QTEST_GUILESS_MAIN(TestNotify)
#include "tst_notify.moc"
