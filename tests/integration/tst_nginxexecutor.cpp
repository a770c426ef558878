// The nginx executor against a real nginx (started by rewind-fleet): switching traffic by
// rewriting the upstream include, and refusing (and undoing) a change nginx rejects.
#include "config/config.h"
#include "executors/nginx/nginxexecutor.h"
#include "executors/nginx/upstreamfile.h"
#include "fleetprocess.h"
#include "processes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

class TestNginxExecutor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::FleetProcess m_fleet{m_dir.path()};
    QJsonObject m_api;
    QJsonObject m_nginx;

    executors::NginxExecutor::Options options(const QString &upstreamName) const
    {
        executors::NginxExecutor::Options o;
        o.upstreamFile = m_api.value(QLatin1String("upstream_file")).toString();
        o.upstreamName = upstreamName;
        const auto instances = m_api.value(QLatin1String("instances")).toObject();
        for (const auto *colour : {"blue", "green"})
            o.targets.append({QLatin1String(colour), instances.value(QLatin1String(colour))
                                                         .toObject()
                                                         .value(QLatin1String("address"))
                                                         .toString()});
        o.binary = m_nginx.value(QLatin1String("binary")).toString();
        o.prefix = m_nginx.value(QLatin1String("prefix")).toString();
        o.configFile = m_nginx.value(QLatin1String("config")).toString();
        o.errorLog = m_nginx.value(QLatin1String("error_log")).toString();
        return o;
    }

    executors::ActionResult run(executors::NginxExecutor &executor, const QJsonObject &params)
    {
        std::optional<executors::ActionResult> result;
        executor.execute(QStringLiteral("switch_traffic"), params,
                         [&](const executors::ActionResult &r) { result = r; });
        [&] { QVERIFY(drill::waitUntil([&] { return result.has_value(); }, 20'000)); }();
        return result.value_or(executors::ActionResult{});
    }

    // The colours that answered `count` requests through nginx.
    QStringList coloursServed(int count)
    {
        QNetworkAccessManager network;
        QStringList colours;
        for (int i = 0; i < count; ++i) {
            auto *reply = network.get(QNetworkRequest(
                QUrl(m_api.value(QLatin1String("url")).toString() + QStringLiteral("/version"))));
            drill::waitUntil([&] { return reply->isFinished(); }, 10'000);
            colours.append(QString::fromUtf8(reply->rawHeader("X-Fleet-Colour")).isEmpty()
                               ? QJsonDocument::fromJson(reply->readAll())
                                     .object()
                                     .value(QLatin1String("colour"))
                                     .toString()
                               : QString::fromUtf8(reply->rawHeader("X-Fleet-Colour")));
            reply->deleteLater();
        }
        colours.removeDuplicates();
        return colours;
    }

    QString upstreamText() const
    {
        QFile file(m_api.value(QLatin1String("upstream_file")).toString());
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private slots:
    void initTestCase()
    {
        REWIND_VERIFY_OK(m_fleet.start({QStringLiteral("--load-rps"), QStringLiteral("0")}));
        m_api = m_fleet.service(QStringLiteral("api"));
        m_nginx = m_fleet.ready().value(QLatin1String("nginx")).toObject();
        QCOMPARE(coloursServed(5), QStringList{QStringLiteral("blue")});
    }

    void cleanupTestCase() { QCOMPARE(m_fleet.stop(), 0); }

    void switchesTrafficThroughARealNginx()
    {
        executors::NginxExecutor executor(options(QStringLiteral("api")));
        QVERIFY(executor.idempotent(QStringLiteral("switch_traffic")));
        const auto r = run(executor, {{"target", "green"}});
        QVERIFY2(r.ok, qPrintable(r.message));
        const auto servers = executors::nginx::parseUpstream(upstreamText());
        QCOMPARE(servers.size(), 1);
        QCOMPARE(servers.first().address, m_api.value(QLatin1String("instances"))
                                              .toObject()
                                              .value(QLatin1String("green"))
                                              .toObject()
                                              .value(QLatin1String("address"))
                                              .toString());
        QCOMPARE(coloursServed(10), QStringList{QStringLiteral("green")});
        // Running it again changes nothing.
        QVERIFY(run(executor, {{"target", "green"}}).ok);
        QCOMPARE(coloursServed(5), QStringList{QStringLiteral("green")});
    }

    void undoesAChangeNginxRejects()
    {
        const QString before = upstreamText();
        // An upstream named like another service's makes the whole nginx config invalid.
        executors::NginxExecutor executor(options(QStringLiteral("web")));
        const auto r = run(executor, {{"target", "blue"}});
        QVERIFY(!r.ok);
        QVERIFY(!r.retryable);
        QVERIFY2(r.message.contains(QStringLiteral("nginx -t failed")), qPrintable(r.message));
        QVERIFY2(r.output.contains(QStringLiteral("duplicate upstream")), qPrintable(r.output));
        QCOMPARE(upstreamText(), before);
        QCOMPARE(coloursServed(5), QStringList{QStringLiteral("green")});
    }

    void refusesUnknownTargetsAndActions()
    {
        executors::NginxExecutor executor(options(QStringLiteral("api")));
        const auto unknown = run(executor, {{"target", "purple"}});
        QVERIFY(!unknown.ok);
        QCOMPARE(unknown.message,
                 QStringLiteral("the nginx executor has no target named 'purple'"));
        std::optional<executors::ActionResult> result;
        executor.execute(QStringLiteral("shift_weight"), {},
                         [&](const executors::ActionResult &a) { result = a; });
        QVERIFY(result && !result->ok);
    }

    void renderAndParseAgree()
    {
        const QList<executors::nginx::UpstreamServer> servers{{QStringLiteral("127.0.0.1:1"), 9},
                                                              {QStringLiteral("127.0.0.1:2"), 1}};
        const auto text = executors::nginx::renderUpstream(QStringLiteral("api"), servers);
        QVERIFY(text.contains(QStringLiteral("upstream api {")));
        QVERIFY(text.contains(QStringLiteral("server 127.0.0.1:1 weight=9;")));
        const auto parsed = executors::nginx::parseUpstream(text);
        QCOMPARE(parsed.size(), 2);
        QCOMPARE(parsed.at(0).weight, 9);
        QCOMPARE(parsed.at(1).weight, 1);
    }
};

QTEST_GUILESS_MAIN(TestNginxExecutor)
#include "tst_nginxexecutor.moc"
