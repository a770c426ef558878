// rewind-fleet against real parts: named instances behind a real nginx (deploys per instance,
// routes by weights read back from the upstream file, traffic split across instances), orders
// written through nginx into SQLite and PostgreSQL while rewind-fleet-migrate moves the schema
// 2 -> 3 -> 2, and static assets behind the CDN edge (MISS, HIT, Cloudflare-style purges,
// re-pointing the "current" symlink as Rewind does).
#include "fleetprocess.h"
#include "peers.h"
#include "postgresserver.h"
#include "processes.h"
#include "programs.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSaveFile>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace rwd;
using testing::ProgramRun;
using testing::runProgram;

namespace {

const QString kFleet = QStringLiteral(REWIND_BIN_DIR "/rewind-fleet");
const QString kMigrate = QStringLiteral(REWIND_BIN_DIR "/rewind-fleet-migrate");
const QString kToken = QStringLiteral("fleet-cdn-token");
const QByteArray kPgPasswordVariable = "REWIND_TST_FLEET_PG_PASSWORD";
const QString kPgPassword = QStringLiteral("Fleet-Orders-93");
constexpr int kRequestTimeoutMs = 15'000;
constexpr int kWaitMs = 20'000;

struct Answer
{
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    QMap<QByteArray, QByteArray> headers; // lower-case names
    QString error;

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QByteArray header(const char *name) const { return headers.value(name); }
    [[nodiscard]] QByteArray describe() const
    {
        return QByteArray::number(status) + ' ' + body + ' ' + error.toUtf8();
    }
};

QString fileText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QJsonObject object(const QJsonObject &parent, const char *key)
{
    return parent.value(QLatin1String(key)).toObject();
}

} // namespace

class TestFleet : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    testing::FleetProcess m_fleet{m_dir.path()};
    QJsonObject m_ready;
    QString m_control;
    QString m_apiUrl;
    QString m_webUrl;
    QString m_cdnUrl;
    QString m_sqlitePath;
    QNetworkAccessManager m_network;

    Answer call(const QByteArray &method, const QString &url, const QByteArray &body = {},
                const QList<std::pair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest request{QUrl(url)};
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                             QNetworkRequest::AlwaysNetwork);
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArrayLiteral("application/json"));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        QNetworkReply *reply = body.isEmpty() && method != "POST"
                                   ? m_network.sendCustomRequest(request, method)
                                   : m_network.sendCustomRequest(request, method, body);
        Answer answer;
        if (!drill::waitUntil([&] { return reply->isFinished(); }, kRequestTimeoutMs)) {
            reply->abort();
            answer.error = QStringLiteral("no answer within %1 ms").arg(kRequestTimeoutMs);
        }
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        answer.status = status.isValid() ? status.toInt() : 0;
        answer.body = reply->readAll();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            answer.headers.insert(name.toLower(), value);
        if (answer.error.isEmpty() && reply->error() != QNetworkReply::NoError && !status.isValid())
            answer.error = reply->errorString();
        reply->deleteLater();
        return answer;
    }

    Answer control(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return call(method, m_control + path,
                    body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
    }

    QJsonObject apiService() { return control("GET", QStringLiteral("/services/api")).json(); }

    QString address(const QString &instance)
    {
        return object(object(apiService(), "instances"), instance.toUtf8().constData())
            .value(QLatin1String("address"))
            .toString();
    }

    // Which instance answered each of `count` sequential requests to the api frontend, and with
    // which version.
    struct Served
    {
        QMap<QString, int> byInstance;
        QMap<QString, int> byVersion;
        int failures = 0;
    };
    Served serve(int count)
    {
        Served served;
        for (int i = 0; i < count; ++i) {
            const Answer a = call("GET", m_apiUrl + QStringLiteral("/"));
            if (a.status != 200) {
                ++served.failures;
                continue;
            }
            ++served.byInstance[QString::fromUtf8(a.header("x-fleet-colour"))];
            ++served.byVersion[QString::fromUtf8(a.header("x-fleet-version"))];
        }
        return served;
    }

    // Waits until nginx's workers run the last route: after "nginx -s reload" returns, an old
    // worker may still answer for a moment.
    bool waitForInstance(const QString &instance)
    {
        return drill::waitUntil([&] { return serve(4).byInstance.contains(instance); }, kWaitMs);
    }

    QVariant sqliteValue(const QString &sql)
    {
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("fleet-sqlite"));
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next()) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
            return {};
        }
        QVariant value = query.value(0);
        query.finish();
        return value;
    }

    QStringList sqliteColumns(const QString &table)
    {
        QSqlQuery query(QSqlDatabase::database(QStringLiteral("fleet-sqlite")));
        QStringList columns;
        if (query.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table))) {
            while (query.next())
                columns.append(query.value(1).toString());
        }
        return columns;
    }

    qint64 writesOf(const QString &controlUrl, const char *key)
    {
        const QJsonObject load = call("GET", controlUrl + QStringLiteral("/load")).json();
        return object(object(load, "writes"), "api").value(QLatin1String(key)).toInteger();
    }

    Answer purge(const QByteArray &body, const QString &token = kToken,
                 const QString &zone = QStringLiteral("fleet"))
    {
        return call("POST", m_cdnUrl + QStringLiteral("/client/v4/zones/%1/purge_cache").arg(zone),
                    body, {{"Authorization", "Bearer " + token.toUtf8()}});
    }

    QJsonObject cdnState()
    {
        return object(control("GET", QStringLiteral("/state")).json(), "cdn");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_network.setProxy(QNetworkProxy::NoProxy);
        // No load at first: the traffic the tests count is their own.
        REWIND_VERIFY_OK(m_fleet.start(
            {QStringLiteral("--service"), QStringLiteral("web:api"), QStringLiteral("--service"),
             QStringLiteral("api"), QStringLiteral("--instances"),
             QStringLiteral("api=a1,a2,a3,a4"), QStringLiteral("--load-rps"), QStringLiteral("0"),
             QStringLiteral("--write-rps"), QStringLiteral("0")}));
        m_ready = m_fleet.ready();
        m_control = m_ready.value(QLatin1String("control")).toString();
        const QJsonObject services = object(m_ready, "services");
        m_apiUrl = object(services, "api").value(QLatin1String("url")).toString();
        m_webUrl = object(services, "web").value(QLatin1String("url")).toString();
        m_cdnUrl = object(m_ready, "cdn").value(QLatin1String("url")).toString();
        QVERIFY(!m_control.isEmpty() && !m_apiUrl.isEmpty() && !m_webUrl.isEmpty());
        QVERIFY(m_cdnUrl.startsWith(QLatin1String("http://127.0.0.1:")));

        const QJsonObject db = object(m_ready, "db");
        QCOMPARE(db.value(QLatin1String("service")).toString(), QStringLiteral("api"));
        const QString url = db.value(QLatin1String("url")).toString();
        QCOMPARE(url, QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("fleet/api.db")));
        m_sqlitePath = url.mid(7);
        auto sqlite =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fleet-sqlite"));
        sqlite.setDatabaseName(m_sqlitePath);
        sqlite.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        QVERIFY2(sqlite.open(), qPrintable(sqlite.lastError().text()));
    }

    void cleanupTestCase()
    {
        QSqlDatabase::database(QStringLiteral("fleet-sqlite")).close();
        QSqlDatabase::removeDatabase(QStringLiteral("fleet-sqlite"));
        QCOMPARE(m_fleet.stop(), 0);
    }

    // ---- options ----

    void rejectsBadOptions_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad instance name")
            << QStringList{QStringLiteral("--instances"), QStringLiteral("api=ok,bad/name")}
            << QStringLiteral("invalid instance name \"bad/name\"");
        QTest::newRow("duplicate instance")
            << QStringList{QStringLiteral("--instances"), QStringLiteral("api=a,b,a")}
            << QStringLiteral("instance \"a\" listed twice");
        QTest::newRow("no instance")
            << QStringList{QStringLiteral("--instances"), QStringLiteral("api=")}
            << QStringLiteral("invalid instance name \"\"");
        QTest::newRow("no equals sign")
            << QStringList{QStringLiteral("--instances"), QStringLiteral("api")}
            << QStringLiteral("expected SERVICE=NAME[,NAME...]");
        QTest::newRow("undeclared service")
            << QStringList{QStringLiteral("--instances"), QStringLiteral("db=a")}
            << QStringLiteral("service \"db\" is not declared");
        QTest::newRow("twice for one service")
            << QStringList{QStringLiteral("--instances"), QStringLiteral("api=a"),
                           QStringLiteral("--instances"), QStringLiteral("api=b")}
            << QStringLiteral("--instances given twice for service \"api\"");
        QTest::newRow("writes without db service")
            << QStringList{QStringLiteral("--db-service="), QStringLiteral("--write-rps"),
                           QStringLiteral("5")}
            << QStringLiteral("--write-rps needs a db service");
        QTest::newRow("password for sqlite")
            << QStringList{QStringLiteral("--db-password-env"), QStringLiteral("HOME")}
            << QStringLiteral("--db-password-env applies to a postgresql:// --db only");
        QTest::newRow("password in the URL")
            << QStringList{QStringLiteral("--db"), QStringLiteral("postgresql://u:secret@h/db")}
            << QStringLiteral("a password does not belong in the URL");
        QTest::newRow("unset token variable")
            << QStringList{QStringLiteral("--cdn-token-env"),
                           QStringLiteral("REWIND_TST_FLEET_NO_SUCH_VARIABLE")}
            << QStringLiteral("environment variable REWIND_TST_FLEET_NO_SUCH_VARIABLE (from "
                              "--cdn-token-env) is not set");
    }

    void rejectsBadOptions()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const ProgramRun run = runProgram(
            kFleet, QStringList{QStringLiteral("--dir"), m_dir.filePath(QStringLiteral("bad"))} +
                        arguments);
        QVERIFY2(run.exitCode == 1, run.describe());
        QVERIFY2(run.err.contains(message), run.describe());
        QVERIFY2(!run.err.contains(QLatin1String("secret")), run.describe());
        // Nothing was started: no directory, no nginx.
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("bad/nginx"))));
    }

    // ---- instances ----

    void startsNamedInstances()
    {
        const QJsonObject api = apiService();
        QCOMPARE(api.value(QLatin1String("instance_order")).toArray(),
                 QJsonArray({"a1", "a2", "a3", "a4"}));
        const QJsonObject instances = object(api, "instances");
        QCOMPARE(instances.keys(), QStringList({"a1", "a2", "a3", "a4"}));
        QStringList addresses;
        for (const QString &name : instances.keys()) {
            const QJsonObject instance = object(instances, name.toUtf8().constData());
            QCOMPARE(instance.value(QLatin1String("version")).toString(), QStringLiteral("v1.0"));
            addresses.append(instance.value(QLatin1String("address")).toString());
            // Each instance answers on its own port with its own name.
            const Answer a = call("GET", QStringLiteral("http://%1/version").arg(addresses.last()));
            QCOMPARE(a.status, 200);
            QCOMPARE(a.json().value(QLatin1String("colour")).toString(), name);
            QCOMPARE(a.json().value(QLatin1String("instance")).toString(), name);
        }
        addresses.removeDuplicates();
        QCOMPARE(addresses.size(), 4);
        // Only the first instance gets traffic at start; the other service keeps blue/green.
        QCOMPARE(api.value(QLatin1String("live")).toString(), QStringLiteral("a1"));
        QCOMPARE(object(api, "weights"), QJsonObject({{"a1", 1}, {"a2", 0}, {"a3", 0}, {"a4", 0}}));
        QCOMPARE(object(object(object(m_ready, "services"), "web"), "instances").keys(),
                 QStringList({"blue", "green"}));
        const Served served = serve(8);
        QCOMPARE(served.byInstance, (QMap<QString, int>{{QStringLiteral("a1"), 8}}));
        // The metrics label keeps its name and carries the instance name.
        const Answer metrics = control("GET", QStringLiteral("/metrics"));
        QVERIFY(metrics.body.contains(
            R"(fleet_instance_info{service="api",colour="a3",version="v1.0"} 1)"));
    }

    void deploysPerInstance()
    {
        Answer a = control("POST", QStringLiteral("/services/api/deploy"),
                           {{"instance", "a2"}, {"version", "v2"}});
        QVERIFY2(a.status == 200, a.describe());
        a = control("POST", QStringLiteral("/services/api/deploy"),
                    {{"colour", "a3"}, {"version", "v3"}});
        QVERIFY2(a.status == 200, a.describe());
        const QJsonObject instances = object(a.json(), "instances");
        QCOMPARE(object(instances, "a1").value(QLatin1String("version")).toString(),
                 QStringLiteral("v1.0"));
        QCOMPARE(object(instances, "a2").value(QLatin1String("version")).toString(),
                 QStringLiteral("v2"));
        QCOMPARE(object(instances, "a3").value(QLatin1String("version")).toString(),
                 QStringLiteral("v3"));
        QCOMPARE(object(instances, "a4").value(QLatin1String("version")).toString(),
                 QStringLiteral("v1.0"));
        const Answer direct = call("GET", QStringLiteral("http://%1/version").arg(address("a2")));
        QCOMPARE(direct.json().value(QLatin1String("version")).toString(), QStringLiteral("v2"));
        QCOMPARE(serve(3).byVersion, (QMap<QString, int>{{QStringLiteral("v1.0"), 3}}));
    }

    void rejectsBadDeploys_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown instance") << QByteArray(R"({"instance": "a9", "version": "v2"})")
                                          << 404 << QStringLiteral("unknown_instance");
        QTest::newRow("unknown colour") << QByteArray(R"({"colour": "blue", "version": "v2"})")
                                        << 404 << QStringLiteral("unknown_instance");
        QTest::newRow("both names")
            << QByteArray(R"({"colour": "a1", "instance": "a1", "version": "v2"})") << 400
            << QStringLiteral("invalid_request");
        QTest::newRow("no name") << QByteArray(R"({"version": "v2"})") << 400
                                 << QStringLiteral("invalid_request");
        QTest::newRow("bad version") << QByteArray(R"({"instance": "a1", "version": "../x"})")
                                     << 400 << QStringLiteral("invalid_request");
        QTest::newRow("malformed") << QByteArray("{") << 400 << QStringLiteral("invalid_json");
    }

    void rejectsBadDeploys()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const Answer a = call("POST", m_control + QStringLiteral("/services/api/deploy"), body);
        QVERIFY2(a.status == status, a.describe());
        QCOMPARE(a.json().value(QLatin1String("code")).toString(), code);
        QCOMPARE(object(object(apiService(), "instances"), "a1")
                     .value(QLatin1String("version"))
                     .toString(),
                 QStringLiteral("v1.0"));
    }

    // ---- routes ----

    void routesByWeights()
    {
        const Answer a = control("POST", QStringLiteral("/services/api/route"),
                                 {{"weights", QJsonObject{{"a1", 3}, {"a2", 1}, {"a3", 0}}}});
        QVERIFY2(a.status == 200, a.describe());
        const QJsonObject expected{
            {"live", "a1"}, {"weights", QJsonObject{{"a1", 3}, {"a2", 1}, {"a3", 0}, {"a4", 0}}}};
        QCOMPARE(a.json(), expected);
        QCOMPARE(control("GET", QStringLiteral("/services/api/route")).json(), expected);
        // The file nginx reads: weighted lines, weight 0 left out.
        const QString upstream =
            fileText(apiService().value(QLatin1String("upstream_file")).toString());
        QVERIFY2(upstream.contains(QStringLiteral("server %1 weight=3;").arg(address("a1"))),
                 qPrintable(upstream));
        QVERIFY2(upstream.contains(QStringLiteral("server %1 weight=1;").arg(address("a2"))),
                 qPrintable(upstream));
        QVERIFY(!upstream.contains(address("a3")));

        QVERIFY(waitForInstance(QStringLiteral("a2")));
        const Served served = serve(80);
        QCOMPARE(served.failures, 0);
        QCOMPARE(served.byInstance.keys(), QStringList({"a1", "a2"}));
        const int a1 = served.byInstance.value(QStringLiteral("a1"));
        const int a2 = served.byInstance.value(QStringLiteral("a2"));
        // nginx's weighted round robin gives 3:1 over any run of sequential requests.
        QVERIFY2(a1 >= 54 && a1 <= 66 && a2 >= 14 && a2 <= 26,
                 qPrintable(QStringLiteral("a1 %1, a2 %2").arg(a1).arg(a2)));
        QCOMPARE(served.byVersion.value(QStringLiteral("v2")), a2);
    }

    void routesToAListOfInstances()
    {
        const Answer a = control("POST", QStringLiteral("/services/api/route"),
                                 {{"instances", QJsonArray{"a4", "a3"}}});
        QVERIFY2(a.status == 200, a.describe());
        QCOMPARE(a.json().value(QLatin1String("live")).toString(), QStringLiteral("a4"));
        QCOMPARE(object(a.json(), "weights"),
                 QJsonObject({{"a1", 0}, {"a2", 0}, {"a3", 1}, {"a4", 1}}));
        QVERIFY(waitForInstance(QStringLiteral("a3")));
        QVERIFY(waitForInstance(QStringLiteral("a4")));
        const Served served = serve(40);
        QCOMPARE(served.byInstance.keys(), QStringList({"a3", "a4"}));
        QVERIFY(served.byInstance.value(QStringLiteral("a3")) >= 15);
        QVERIFY(served.byInstance.value(QStringLiteral("a4")) >= 15);
        QCOMPARE(served.byVersion.value(QStringLiteral("v3")),
                 served.byInstance.value(QStringLiteral("a3")));
    }

    void readsBackAnUpstreamFileRewindWrote()
    {
        // Rewind's nginx executor rewrites the file itself when it shifts canary weight.
        const QString path = apiService().value(QLatin1String("upstream_file")).toString();
        QSaveFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("# written by rewind\nupstream api {\n"
                                  "    server %1 weight=1;\n    server %2 weight=9;\n}\n")
                       .arg(address("a1"), address("a2"))
                       .toUtf8());
        QVERIFY(file.commit());
        const QJsonObject expected{
            {"live", "a2"}, {"weights", QJsonObject{{"a1", 1}, {"a2", 9}, {"a3", 0}, {"a4", 0}}}};
        QCOMPARE(control("GET", QStringLiteral("/services/api/route")).json(), expected);
        QCOMPARE(apiService().value(QLatin1String("live")).toString(), QStringLiteral("a2"));
        // A colour route puts it back to one plain line.
        const Answer a = control("POST", QStringLiteral("/services/api/route"), {{"colour", "a1"}});
        QVERIFY2(a.status == 200, a.describe());
        QCOMPARE(
            a.json(),
            QJsonObject({{"live", "a1"},
                         {"weights", QJsonObject{{"a1", 1}, {"a2", 0}, {"a3", 0}, {"a4", 0}}}}));
        QVERIFY(fileText(path).contains(QStringLiteral("server %1;").arg(address("a1"))));
        QVERIFY(drill::waitUntil(
            [&] { return serve(4).byInstance.keys() == QStringList{QStringLiteral("a1")}; },
            kWaitMs));
    }

    void rejectsBadRoutes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown colour")
            << QByteArray(R"({"colour": "green"})") << 404 << QStringLiteral("unknown_instance");
        QTest::newRow("unknown in list") << QByteArray(R"({"instances": ["a1", "a9"]})") << 404
                                         << QStringLiteral("unknown_instance");
        QTest::newRow("unknown weight") << QByteArray(R"({"weights": {"a1": 1, "zz": 0}})") << 404
                                        << QStringLiteral("unknown_instance");
        QTest::newRow("all weights 0") << QByteArray(R"({"weights": {"a1": 0, "a2": 0}})") << 400
                                       << QStringLiteral("invalid_request");
        QTest::newRow("weight above 100") << QByteArray(R"({"weights": {"a1": 101}})") << 400
                                          << QStringLiteral("invalid_request");
        QTest::newRow("fractional weight") << QByteArray(R"({"weights": {"a1": 1.5}})") << 400
                                           << QStringLiteral("invalid_request");
        QTest::newRow("negative weight") << QByteArray(R"({"weights": {"a1": -1, "a2": 1}})") << 400
                                         << QStringLiteral("invalid_request");
        QTest::newRow("empty weights")
            << QByteArray(R"({"weights": {}})") << 400 << QStringLiteral("invalid_request");
        QTest::newRow("empty list")
            << QByteArray(R"({"instances": []})") << 400 << QStringLiteral("invalid_request");
        QTest::newRow("duplicate in list") << QByteArray(R"({"instances": ["a1", "a1"]})") << 400
                                           << QStringLiteral("invalid_request");
        QTest::newRow("two forms") << QByteArray(R"({"colour": "a1", "instances": ["a2"]})") << 400
                                   << QStringLiteral("invalid_request");
        QTest::newRow("unknown key") << QByteArray(R"({"colour": "a1", "canary": 5})") << 400
                                     << QStringLiteral("invalid_request");
        QTest::newRow("not an object")
            << QByteArray("[1]") << 400 << QStringLiteral("invalid_json");
    }

    void rejectsBadRoutes()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QString path = apiService().value(QLatin1String("upstream_file")).toString();
        const QString before = fileText(path);
        const Answer a = call("POST", m_control + QStringLiteral("/services/api/route"), body);
        QVERIFY2(a.status == status, a.describe());
        QCOMPARE(a.json().value(QLatin1String("code")).toString(), code);
        QCOMPARE(fileText(path), before);
    }

    // ---- orders in SQLite ----

    void writesOrdersThroughNginx()
    {
        QVERIFY(control("POST", QStringLiteral("/services/api/route"),
                        {{"instances", QJsonArray{"a1", "a2"}}})
                    .status == 200);
        QVERIFY(waitForInstance(QStringLiteral("a2")));
        QCOMPARE(sqliteValue(QStringLiteral("SELECT version FROM schema_version")).toInt(), 2);
        const qint64 before =
            sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong();
        qint64 lastId = 0;
        QSet<QString> versions;
        for (int i = 1; i <= 10; ++i) {
            const Answer a = call("POST", m_apiUrl + QStringLiteral("/orders"),
                                  QByteArray(R"({"amount": )") + QByteArray::number(i) + '}');
            QVERIFY2(a.status == 201, a.describe());
            const qint64 id = a.json().value(QLatin1String("id")).toInteger();
            QVERIFY2(id > lastId, a.describe());
            lastId = id;
            versions.insert(a.json().value(QLatin1String("version")).toString());
            QCOMPARE(QString::fromUtf8(a.header("x-fleet-version")),
                     a.json().value(QLatin1String("version")).toString());
        }
        QCOMPARE(versions, (QSet<QString>{QStringLiteral("v1.0"), QStringLiteral("v2")}));
        // The rows are in the file, each with the version of the instance that took it.
        QCOMPARE(sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(),
                 before + 10);
        QCOMPARE(sqliteValue(QStringLiteral("SELECT amount FROM orders WHERE id = %1").arg(lastId))
                     .toInt(),
                 10);
        QVERIFY(sqliteValue(QStringLiteral("SELECT count(*) FROM orders WHERE version = 'v2'"))
                    .toInt() > 0);
        const Answer stats = call("GET", m_apiUrl + QStringLiteral("/orders/stats"));
        QCOMPARE(stats.status, 200);
        QCOMPARE(stats.json(), QJsonObject({{"count", before + 10}, {"max_id", lastId}}));
    }

    void faultsApplyToOrders()
    {
        QVERIFY(control("POST", QStringLiteral("/services/api/route"), {{"colour", "a2"}}).status ==
                200);
        QVERIFY(drill::waitUntil(
            [&] { return serve(4).byInstance.keys() == QStringList{QStringLiteral("a2")}; },
            kWaitMs));
        QVERIFY(
            control("PUT", QStringLiteral("/services/api/versions/v2/fault"), {{"error_rate", 1.0}})
                .status == 200);
        const qint64 before =
            sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong();
        for (int i = 0; i < 3; ++i) {
            const Answer a =
                call("POST", m_apiUrl + QStringLiteral("/orders"), QByteArray(R"({"amount": 1})"));
            QVERIFY2(a.status == 500, a.describe());
        }
        QCOMPARE(sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(), before);
        // The statistics are not affected by faults.
        const Answer stats = call("GET", m_apiUrl + QStringLiteral("/orders/stats"));
        QVERIFY2(stats.status == 200, stats.describe());
        QCOMPARE(stats.json().value(QLatin1String("count")).toInteger(), before);
        QVERIFY(control("DELETE", QStringLiteral("/services/api/versions/v2/fault")).status == 200);
        const Answer a =
            call("POST", m_apiUrl + QStringLiteral("/orders"), QByteArray(R"({"amount": 1})"));
        QVERIFY2(a.status == 201, a.describe());
        // Bad bodies and methods.
        QCOMPARE(
            call("POST", m_apiUrl + QStringLiteral("/orders"), QByteArray(R"({"amount": "x"})"))
                .status,
            400);
        QCOMPARE(
            call("POST", m_apiUrl + QStringLiteral("/orders"), QByteArray(R"({"n": 1})")).status,
            400);
        QCOMPARE(call("GET", m_apiUrl + QStringLiteral("/orders")).status, 405);
        // Only the db service takes orders.
        QCOMPARE(call("POST", m_webUrl + QStringLiteral("/orders"), QByteArray(R"({"amount": 1})"))
                     .status,
                 404);
        QCOMPARE(sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(),
                 before + 1);
    }

    void migratesSqliteWhileOrdersAreWritten()
    {
        const QString url = QStringLiteral("sqlite:") + m_sqlitePath;
        QVERIFY(control("POST", QStringLiteral("/services/api/route"),
                        {{"instances", QJsonArray{"a1", "a2"}}})
                    .status == 200);
        const Answer load = control("PUT", QStringLiteral("/load"), {{"write_rps", 25}});
        QCOMPARE(load.json(), QJsonObject({{"rps", 0}, {"write_rps", 25}}));
        const qint64 writesBefore = writesOf(m_control, "requests");
        QVERIFY(drill::waitUntil(
            [&] { return writesOf(m_control, "requests") >= writesBefore + 10; }, kWaitMs));

        ProgramRun status =
            runProgram(kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--status")});
        QVERIFY2(status.exitCode == 0, status.describe());
        QCOMPARE(status.out, QStringLiteral("2\n"));

        const qint64 countBefore =
            sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong();
        QVERIFY(!sqliteColumns(QStringLiteral("orders")).contains(QLatin1String("coupon")));
        ProgramRun up = runProgram(
            kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--to"), QStringLiteral("3")});
        QVERIFY2(up.exitCode == 0, up.describe());
        QCOMPARE(up.out, QStringLiteral("up 3: add column orders.coupon, create table coupons\n"
                                        "schema 2 -> 3\n"));
        QVERIFY(sqliteColumns(QStringLiteral("orders")).contains(QLatin1String("coupon")));
        QCOMPARE(sqliteValue(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = "
                                            "'coupons'"))
                     .toInt(),
                 1);
        QCOMPARE(sqliteValue(QStringLiteral("SELECT version FROM schema_version")).toInt(), 3);
        const qint64 countAtThree =
            sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong();
        QVERIFY2(countAtThree >= countBefore,
                 qPrintable(QStringLiteral("%1 < %2").arg(countAtThree).arg(countBefore)));
        // The fleet keeps writing on the new schema.
        QVERIFY(drill::waitUntil(
            [&] {
                return sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong() >
                       countAtThree + 5;
            },
            kWaitMs));

        ProgramRun down = runProgram(
            kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--to"), QStringLiteral("2")});
        QVERIFY2(down.exitCode == 0, down.describe());
        QCOMPARE(down.out, QStringLiteral("down 3: drop table coupons and column orders.coupon\n"
                                          "schema 3 -> 2\n"));
        QVERIFY(!sqliteColumns(QStringLiteral("orders")).contains(QLatin1String("coupon")));
        QCOMPARE(sqliteValue(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = "
                                            "'coupons'"))
                     .toInt(),
                 0);
        const qint64 countAtTwo =
            sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong();
        QVERIFY2(countAtTwo > countAtThree,
                 qPrintable(QStringLiteral("%1 <= %2").arg(countAtTwo).arg(countAtThree)));
        QVERIFY(drill::waitUntil(
            [&] {
                return sqliteValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong() >
                       countAtTwo + 5;
            },
            kWaitMs));
        status = runProgram(kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--status")});
        QCOMPARE(status.out, QStringLiteral("2\n"));

        QCOMPARE(control("PUT", QStringLiteral("/load"), {{"write_rps", 0}}).status, 200);
        // No write failed while the schema moved: writers waited for the migration's lock.
        QCOMPARE(writesOf(m_control, "errors"), 0);
    }

    void migrationToolRejectsBadInput_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString url = QStringLiteral("sqlite:") + m_sqlitePath;
        QTest::newRow("unknown target")
            << QStringList{QStringLiteral("--db"), url, QStringLiteral("--to"), QStringLiteral("4")}
            << 2 << QStringLiteral("unknown target schema \"4\" (known: 0 to 3)");
        QTest::newRow("not a number")
            << QStringList{QStringLiteral("--db"), url, QStringLiteral("--to"), QStringLiteral("x")}
            << 2 << QStringLiteral("unknown target schema \"x\"");
        QTest::newRow("bad URL") << QStringList{QStringLiteral("--db"), QStringLiteral("mysql://x"),
                                                QStringLiteral("--status")}
                                 << 2 << QStringLiteral("invalid database URL");
        QTest::newRow("no action") << QStringList{QStringLiteral("--db"), url} << 2
                                   << QStringLiteral("give exactly one of --to N and --status");
        QTest::newRow("unreachable server")
            << QStringList{QStringLiteral("--db"), QStringLiteral("postgresql://u@127.0.0.1:1/db"),
                           QStringLiteral("--status")}
            << 1 << QStringLiteral("cannot open postgresql://u@127.0.0.1:1/db");
    }

    void migrationToolRejectsBadInput()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const ProgramRun run = runProgram(kMigrate, arguments);
        QVERIFY2(run.exitCode == exitCode, run.describe());
        QVERIFY2(run.err.startsWith(QLatin1String("rewind-fleet-migrate: ")), run.describe());
        QVERIFY2(run.err.contains(message), run.describe());
        QVERIFY2(run.out.isEmpty(), run.describe());
    }

    void failedMigrationLeavesTheSchema()
    {
        // A table in the way makes migration 3 fail halfway; its transaction is rolled back.
        QSqlQuery query(QSqlDatabase::database(QStringLiteral("fleet-sqlite")));
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE coupons (x INTEGER)")));
        const ProgramRun run =
            runProgram(kMigrate, {QStringLiteral("--db"), QStringLiteral("sqlite:") + m_sqlitePath,
                                  QStringLiteral("--to"), QStringLiteral("3")});
        QVERIFY2(run.exitCode == 1, run.describe());
        QVERIFY2(run.err.contains(QLatin1String("migration 3 up failed: CREATE TABLE coupons")),
                 run.describe());
        QVERIFY(!sqliteColumns(QStringLiteral("orders")).contains(QLatin1String("coupon")));
        QCOMPARE(sqliteValue(QStringLiteral("SELECT version FROM schema_version")).toInt(), 2);
        QVERIFY(query.exec(QStringLiteral("DROP TABLE coupons")));
    }

    // ---- assets and the CDN edge ----

    void servesAssetsThroughTheCdn()
    {
        const QJsonObject assets = object(m_ready, "assets");
        const QString dir = m_dir.filePath(QStringLiteral("fleet/assets"));
        QCOMPARE(assets, QJsonObject({{"service", "web"},
                                      {"dir", dir},
                                      {"current", dir + QStringLiteral("/current")}}));
        QCOMPARE(object(m_ready, "cdn").value(QLatin1String("zone")).toString(),
                 QStringLiteral("fleet"));
        const QJsonObject before = cdnState();
        const QString asset = m_cdnUrl + QStringLiteral("/assets/app.js");
        const QByteArray v1 = R"(window.APP_VERSION = "v1.0"; window.APP_OK = true;)";
        const QByteArray v2 = R"(window.APP_VERSION = "v2"; window.APP_OK = true;)";

        Answer a = call("GET", asset);
        QVERIFY2(a.status == 200, a.describe());
        QCOMPARE(a.header("x-cache"), QByteArray("MISS"));
        QCOMPARE(a.body.trimmed(), v1);
        QCOMPARE(a.header("content-type"), QByteArray("application/javascript"));
        a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("HIT"));
        QCOMPARE(a.body.trimmed(), v1);

        // A frontend deploy: write v2, re-point current.
        a = control("POST", QStringLiteral("/assets"), {{"version", "v2"}, {"broken", false}});
        QVERIFY2(a.status == 200, a.describe());
        QCOMPARE(fileText(dir + QStringLiteral("/v2/app.js")).trimmed().toUtf8(), v2);
        a = control("POST", QStringLiteral("/assets/activate"), {{"version", "v2"}});
        QVERIFY2(a.status == 200, a.describe());
        QCOMPARE(a.json(), QJsonObject({{"version", "v2"}, {"previous", "v1.0"}}));
        const QFileInfo current(dir + QStringLiteral("/current"));
        QVERIFY(current.isSymLink());
        QCOMPARE(current.symLinkTarget(), dir + QStringLiteral("/v2"));
        // nginx serves the new version at once; the edge keeps the old one until purged.
        QCOMPARE(call("GET", m_webUrl + QStringLiteral("/assets/app.js")).body.trimmed(), v2);
        a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("HIT"));
        QCOMPARE(a.body.trimmed(), v1);

        // Purges: a wrong token and an unknown zone change nothing.
        a = purge(R"({"purge_everything": true})", QStringLiteral("not-the-token"));
        QCOMPARE(a.status, 403);
        QCOMPARE(a.json().value(QLatin1String("success")).toBool(true), false);
        QCOMPARE(a.json().value(QLatin1String("errors")).toArray(),
                 QJsonArray({QJsonObject{{"code", 10000}, {"message", "Authentication error"}}}));
        QCOMPARE(call("POST", m_cdnUrl + QStringLiteral("/client/v4/zones/fleet/purge_cache"),
                      R"({"purge_everything": true})")
                     .status,
                 403);
        QCOMPARE(purge(R"({"purge_everything": true})", kToken, QStringLiteral("elsewhere")).status,
                 404);
        QCOMPARE(purge(R"({"tags": ["x"]})").status, 400);
        a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("HIT"));
        QCOMPARE(a.body.trimmed(), v1);

        a = purge(QJsonDocument(QJsonObject{{"files", QJsonArray{asset}}}).toJson());
        QVERIFY2(a.status == 200, a.describe());
        QCOMPARE(a.json(), QJsonObject({{"success", true},
                                        {"errors", QJsonArray{}},
                                        {"messages", QJsonArray{}},
                                        {"result", QJsonObject{{"id", "fleet"}}}}));
        a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("MISS"));
        QCOMPARE(a.body.trimmed(), v2);
        a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("HIT"));
        QCOMPARE(a.body.trimmed(), v2);

        const QJsonObject after = cdnState();
        const auto delta = [&](const char *key) {
            return after.value(QLatin1String(key)).toInteger() -
                   before.value(QLatin1String(key)).toInteger();
        };
        QCOMPARE(delta("misses"), 2);
        QCOMPARE(delta("hits"), 4);
        QCOMPARE(delta("purges"), 1);
        QCOMPARE(delta("purged_objects"), 1);
    }

    void rollsBackAssetsLikeRewind()
    {
        const QString dir = m_dir.filePath(QStringLiteral("fleet/assets"));
        const QString asset = m_cdnUrl + QStringLiteral("/assets/app.js");
        // A broken release goes out...
        QVERIFY(control("POST", QStringLiteral("/assets"), {{"version", "v3"}, {"broken", true}})
                    .status == 200);
        QVERIFY(control("POST", QStringLiteral("/assets/activate"), {{"version", "v3"}}).status ==
                200);
        QVERIFY(purge(R"({"purge_everything": true})").status == 200);
        Answer a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("MISS"));
        QCOMPARE(a.body.trimmed(),
                 QByteArray(R"(window.APP_VERSION = "v3"; window.APP_OK = false; /* BROKEN */)"));

        // ...and is rolled back the way Rewind's commands do it (ln -s v2 tmp; mv -T tmp current):
        // a new relative symlink renamed over the old one, then a purge.
        const QString temporary = dir + QStringLiteral("/.rollback-tmp");
        QVERIFY(::symlink("v2", QFile::encodeName(temporary).constData()) == 0);
        QVERIFY(::rename(QFile::encodeName(temporary).constData(),
                         QFile::encodeName(dir + QStringLiteral("/current")).constData()) == 0);
        QCOMPARE(control("GET", QStringLiteral("/assets")).json().value(QLatin1String("version")),
                 QJsonValue(QStringLiteral("v2")));
        QVERIFY(purge(R"({"files": [{"url": "/assets/app.js"}]})").status == 200);
        a = call("GET", asset);
        QCOMPARE(a.header("x-cache"), QByteArray("MISS"));
        QCOMPARE(a.body.trimmed(),
                 QByteArray(R"(window.APP_VERSION = "v2"; window.APP_OK = true;)"));

        const QJsonObject state = control("GET", QStringLiteral("/assets")).json();
        QCOMPARE(state.value(QLatin1String("versions")).toArray(),
                 QJsonArray({"v1.0", "v2", "v3"}));
        QCOMPARE(control("POST", QStringLiteral("/assets/activate"), {{"version", "v9"}})
                     .json()
                     .value(QLatin1String("code"))
                     .toString(),
                 QStringLiteral("unknown_asset_version"));
        QCOMPARE(control("POST", QStringLiteral("/assets"), {{"version", "../x"}}).status, 400);
        QCOMPARE(
            control("POST", QStringLiteral("/assets"), {{"version", "v4"}, {"broken", 1}}).status,
            400);
        QCOMPARE(call("GET", m_cdnUrl + QStringLiteral("/other")).status, 404);
    }

    // ---- PostgreSQL ----

    void migratesPostgresWhileOrdersAreWritten()
    {
        testing::PostgresServer pg;
        REWIND_REQUIRE_PEER(pg.available(), "PostgreSQL 15 (Debian package postgresql-15)");
        REWIND_VERIFY_OK(pg.start());
        REWIND_VERIFY_OK(
            pg.execute(QStringLiteral("CREATE ROLE shop LOGIN PASSWORD '%1'").arg(kPgPassword)));
        REWIND_VERIFY_OK(pg.execute(QStringLiteral("CREATE DATABASE shop OWNER shop")));
        const QString url = QStringLiteral("postgresql://shop@127.0.0.1:%1/shop").arg(pg.port());
        const auto shopValue = [&](const QString &sql) {
            const auto v = pg.value(sql, QStringLiteral("shop"));
            if (!v)
                qWarning("%s: %s", qPrintable(sql), qPrintable(v.error().message));
            return v.valueOr(QVariant());
        };
        const auto hasCoupon = [&] {
            return shopValue(QStringLiteral("SELECT count(*) FROM information_schema.columns "
                                            "WHERE table_name = 'orders' AND column_name = "
                                            "'coupon'"))
                       .toInt() == 1;
        };
        const auto orders = [&] {
            return shopValue(QStringLiteral("SELECT count(*) FROM orders")).toLongLong();
        };

        qputenv(kPgPasswordVariable.constData(), kPgPassword.toUtf8());
        QTemporaryDir dir;
        testing::FleetProcess fleet(dir.path());
        REWIND_VERIFY_OK(fleet.start(
            {QStringLiteral("--service"), QStringLiteral("api"), QStringLiteral("--db"), url,
             QStringLiteral("--db-password-env"), QString::fromLatin1(kPgPasswordVariable),
             QStringLiteral("--load-rps"), QStringLiteral("0"), QStringLiteral("--write-rps"),
             QStringLiteral("25")}));
        const QString controlUrl = fleet.ready().value(QLatin1String("control")).toString();
        QCOMPARE(object(fleet.ready(), "db"), QJsonObject({{"service", "api"}, {"url", url}}));
        QVERIFY(!fleet.ready().contains(QLatin1String("assets")));
        QCOMPARE(shopValue(QStringLiteral("SELECT version FROM schema_version")).toInt(), 2);
        QVERIFY(drill::waitUntil([&] { return orders() >= 10; }, kWaitMs));
        QCOMPARE(shopValue(QStringLiteral("SELECT count(DISTINCT version) FROM orders")).toInt(),
                 1);

        const qint64 countBefore = orders();
        ProgramRun up =
            runProgram(kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--password-env"),
                                  QString::fromLatin1(kPgPasswordVariable), QStringLiteral("--to"),
                                  QStringLiteral("3")});
        QVERIFY2(up.exitCode == 0, up.describe());
        QVERIFY2(up.out.endsWith(QLatin1String("schema 2 -> 3\n")), up.describe());
        QVERIFY(hasCoupon());
        QCOMPARE(shopValue(QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = "
                                          "'coupons'"))
                     .toInt(),
                 1);
        QCOMPARE(shopValue(QStringLiteral("SELECT version FROM schema_version")).toInt(), 3);
        QVERIFY(orders() >= countBefore);
        QVERIFY(drill::waitUntil([&] { return orders() > countBefore + 5; }, kWaitMs));
        const qint64 countAtThree = orders();

        ProgramRun down =
            runProgram(kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--password-env"),
                                  QString::fromLatin1(kPgPasswordVariable), QStringLiteral("--to"),
                                  QStringLiteral("2")});
        QVERIFY2(down.exitCode == 0, down.describe());
        QVERIFY2(down.out.endsWith(QLatin1String("schema 3 -> 2\n")), down.describe());
        QVERIFY(!hasCoupon());
        QCOMPARE(shopValue(QStringLiteral("SELECT count(*) FROM pg_tables WHERE tablename = "
                                          "'coupons'"))
                     .toInt(),
                 0);
        QCOMPARE(shopValue(QStringLiteral("SELECT version FROM schema_version")).toInt(), 2);
        QVERIFY(orders() >= countAtThree);
        QVERIFY(drill::waitUntil([&] { return orders() > countAtThree + 5; }, kWaitMs));
        QCOMPARE(writesOf(controlUrl, "errors"), 0);

        // A wrong password fails clearly and is not echoed.
        QProcessEnvironment wrong = QProcessEnvironment::systemEnvironment();
        wrong.insert(QString::fromLatin1(kPgPasswordVariable), QStringLiteral("Wrong-Password-5"));
        const ProgramRun refused =
            runProgram(kMigrate,
                       {QStringLiteral("--db"), url, QStringLiteral("--password-env"),
                        QString::fromLatin1(kPgPasswordVariable), QStringLiteral("--status")},
                       {.environment = wrong});
        QVERIFY2(refused.exitCode == 1, refused.describe());
        QVERIFY2(refused.err.contains(QLatin1String("password authentication failed")),
                 refused.describe());
        QVERIFY(!refused.err.contains(QLatin1String("Wrong-Password-5")));
        // Without the password the server refuses the fleet's user too.
        const ProgramRun anonymous =
            runProgram(kMigrate, {QStringLiteral("--db"), url, QStringLiteral("--status")});
        QVERIFY2(anonymous.exitCode == 1, anonymous.describe());

        QCOMPARE(fleet.stop(), 0);
        qunsetenv(kPgPasswordVariable.constData());
        // The password appears nowhere the fleet writes.
        for (const QString &file : {dir.filePath(QStringLiteral("fleet.log")),
                                    dir.filePath(QStringLiteral("fleet/fleet.json"))}) {
            const QString text = fileText(file);
            QVERIFY2(!text.isEmpty(), qPrintable(file));
            QVERIFY2(!text.contains(kPgPassword), qPrintable(file));
        }
        QVERIFY(!QJsonDocument(fleet.ready()).toJson().contains(kPgPassword.toUtf8()));
        QVERIFY(pg.stop());
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
