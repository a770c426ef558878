// The http check and the HTTP client under it, against real servers: a rewind-fleet instance
// (whose faults turn answers into 500s and slow ones), raw loopback servers for what real
// servers rarely do (never answer, answer too much, count connections), and a TLS server with a
// self-signed certificate.
#include "common/clock.h"
#include "config/configloader.h"
#include "fleetprocess.h"
#include "http/client.h"
#include "httptestserver.h"
#include "monitor/check.h"
#include "monitor/checks/http/httpcheck.h"
#include "processes.h"
#include "selfsigned.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;
using testing::CannedHttpServer;
using testing::closedPort;
using testing::httpResponse;

namespace {

// What one request or probe did: its result, how often `done` ran, whether it ran inside the
// call that started it.
template<typename T>
struct Outcome
{
    std::optional<T> result;
    int calls = 0;
    bool synchronous = false;
};

Outcome<http::Response> fetch(http::Client &client, const http::Request &request)
{
    Outcome<http::Response> o;
    bool starting = true;
    client.start(request, [&](const http::Response &r) {
        o.result = r;
        ++o.calls;
        o.synchronous = starting;
    });
    starting = false;
    drill::waitUntil([&] { return o.calls > 0; }, int(request.timeoutMs) + 10'000);
    return o;
}

Outcome<monitor::Sample> probe(monitor::Check &check)
{
    Outcome<monitor::Sample> o;
    bool starting = true;
    check.probe([&](const monitor::Sample &s) {
        o.result = s;
        ++o.calls;
        o.synchronous = starting;
    });
    starting = false;
    drill::waitUntil([&] { return o.calls > 0; }, 20'000);
    return o;
}

} // namespace

class TestHttpCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    http::Client m_http;
    const monitor::CheckRegistry m_registry = monitor::builtinChecks();
    testing::FleetProcess m_fleet{m_dir.path()};
    QString m_version;
    QString m_blue;

    // Builds an http check from the YAML of its map, as the daemon does; diagnostics land in
    // `errors`.
    std::unique_ptr<monitor::Check> build(const QString &options, QStringList *errors = nullptr,
                                          qint64 timeoutMs = 2000)
    {
        config::Diagnostics diagnostics;
        const auto node = config::ConfigNode::parse(
                              QStringLiteral("name: c\ntype: http\n%1").arg(options).toUtf8(),
                              QStringLiteral("test.yaml"), diagnostics)
                              .value_or(config::ConfigNode{});
        config::MapReader reader(node, diagnostics, QStringLiteral("check 'c'"));
        (void)reader.value(QStringLiteral("name"));
        (void)reader.value(QStringLiteral("type"));
        config::CheckConfig common;
        common.name = QStringLiteral("c");
        common.type = QStringLiteral("http");
        common.timeoutMs = timeoutMs;
        common.node = node;
        const auto *make = m_registry.factory(QStringLiteral("http"));
        auto check = (*make)(reader, common, monitor::CheckRuntime{&m_http, &m_clock});
        reader.finish();
        if (errors)
            *errors = diagnostics.format().split(u'\n', Qt::SkipEmptyParts);
        return diagnostics.hasErrors() ? nullptr : std::move(check);
    }

    bool setFault(const QJsonObject &fault)
    {
        return m_fleet.call(fault.isEmpty() ? "DELETE" : "PUT",
                            QStringLiteral("/services/api/versions/%1/fault").arg(m_version),
                            fault) == 200;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        REWIND_VERIFY_OK(m_fleet.start({QStringLiteral("--service"), QStringLiteral("api"),
                                        QStringLiteral("--load-rps"), QStringLiteral("0")}));
        const auto blue = m_fleet.instance(QStringLiteral("api"), QStringLiteral("blue"));
        m_blue = blue.value(QLatin1String("address")).toString();
        m_version = blue.value(QLatin1String("version")).toString();
        QVERIFY(!m_blue.isEmpty() && !m_version.isEmpty());
    }

    void cleanupTestCase() { m_fleet.stop(); }

    void healthyInstancePasses()
    {
        auto check = build(
            QStringLiteral("url: http://%1/version\nbody_contains: '%2'\n").arg(m_blue, m_version));
        QVERIFY(check);
        const auto o = probe(*check);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QVERIFY2(o.result->ok, qPrintable(o.result->error));
        QCOMPARE(o.result->status, 200);
        QVERIFY(o.result->latency >= 0 && o.result->latency < 2);
        QVERIFY(o.result->field(QStringLiteral("status")));
        QCOMPARE(o.result->field(QStringLiteral("status"))->value, 200.0);
    }

    void bodyMismatchFails()
    {
        auto check = build(
            QStringLiteral("url: http://%1/version\nbody_contains: not-a-version\n").arg(m_blue));
        QVERIFY(check);
        auto o = probe(*check);
        QVERIFY(!o.result->ok);
        QCOMPARE(o.result->status, 200);
        QCOMPARE(o.result->error, QStringLiteral("body does not contain the expected text"));

        check = build(
            QStringLiteral("url: http://%1/version\nbody_regex: '^v?[0-9]+\\.x$'\n").arg(m_blue));
        QVERIFY(check);
        o = probe(*check);
        QVERIFY(!o.result->ok);
        QVERIFY2(o.result->error.startsWith(QStringLiteral("body does not match /")),
                 qPrintable(o.result->error));
    }

    void faultyReleaseFailsWithItsStatus()
    {
        auto check = build(QStringLiteral("url: http://%1/\n").arg(m_blue));
        QVERIFY(check);
        QVERIFY(setFault({{"error_rate", 1.0}}));
        const auto failing = probe(*check);
        QVERIFY(setFault({}));
        QVERIFY(!failing.result->ok);
        QCOMPARE(failing.result->status, 500);
        QCOMPARE(failing.result->error, QStringLiteral("HTTP status 500"));
        // 500 can be what a check expects.
        auto expecting =
            build(QStringLiteral("url: http://%1/\nexpect_status: [5xx]\n").arg(m_blue));
        QVERIFY(expecting);
        QVERIFY(!probe(*expecting).result->ok); // healthy again: 200 is not 5xx
        const auto healthy = probe(*check);
        QVERIFY2(healthy.result->ok, qPrintable(healthy.result->error));
    }

    void slowAnswerTimesOut()
    {
        auto check = build(QStringLiteral("url: http://%1/\n").arg(m_blue), nullptr, 300);
        QVERIFY(check);
        QVERIFY(setFault({{"latency_ms", 2000}}));
        const auto o = probe(*check);
        QVERIFY(setFault({}));
        QVERIFY(!o.result->ok);
        QCOMPARE(o.result->status, 0);
        QCOMPARE(o.result->error, QStringLiteral("no answer within 300 ms"));
        QVERIFY2(o.result->latency >= 0.29 && o.result->latency < 1.5,
                 qPrintable(QString::number(o.result->latency)));
    }

    void methodHeadersAndBodyAreSent()
    {
        CannedHttpServer server(httpResponse("created", "201 Created"));
        const auto yaml = QStringLiteral("url: %1\nmethod: POST\nbody: '{\"probe\": 1}'\n"
                                         "headers: {X-Probe: rewind, Content-Type: "
                                         "application/json}\nexpect_status: [201]\n")
                              .arg(server.url(QStringLiteral("/hook")));
        auto check = build(yaml);
        QVERIFY(check);
        const auto o = probe(*check);
        QVERIFY2(o.result->ok, qPrintable(o.result->error));
        QCOMPARE(o.result->status, 201);
        QCOMPARE(server.requests().size(), 1);
        const auto &request = server.requests().first();
        QVERIFY2(request.startsWith("POST /hook HTTP/1.1\r\n"), request.constData());
        QVERIFY(request.contains("\r\nX-Probe: rewind\r\n"));
        QVERIFY(request.contains("\r\nContent-Type: application/json\r\n"));
        QVERIFY(request.contains("\r\nUser-Agent: rewind-check/1\r\n"));
        QVERIFY(!request.contains("Expect:"));
        QVERIFY(request.endsWith("\r\n\r\n{\"probe\": 1}"));
    }

    void redirectsAreNotFollowed()
    {
        CannedHttpServer server(
            "HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");
        auto check = build(
            QStringLiteral("url: %1\nexpect_status: [200]\n").arg(server.url(QStringLiteral("/"))));
        QVERIFY(check);
        const auto o = probe(*check);
        QVERIFY(!o.result->ok);
        QCOMPARE(o.result->status, 302);
        QCOMPARE(server.requests().size(), 1);
    }

    void connectionsAreKeptAlive()
    {
        CannedHttpServer server(httpResponse("ok"));
        http::Request request;
        request.url = QUrl(server.url(QStringLiteral("/")));
        for (int i = 0; i < 20; ++i) {
            const auto o = fetch(m_http, request);
            QCOMPARE(o.calls, 1);
            QCOMPARE(o.result->status, 200);
            QCOMPARE(o.result->body, QByteArray("ok"));
        }
        QCOMPARE(server.requests().size(), 20);
        QCOMPARE(server.connections(), 1);
    }

    void manyConcurrentRequestsShareFewConnections()
    {
        CannedHttpServer server(httpResponse("ok"));
        http::Request request;
        request.url = QUrl(server.url(QStringLiteral("/")));
        int done = 0;
        int ok = 0;
        for (int i = 0; i < 500; ++i) {
            m_http.start(request, [&](const http::Response &r) {
                ++done;
                ok += r.status == 200 && r.body == "ok";
            });
        }
        QVERIFY(drill::waitUntil([&] { return done == 500; }, 30'000));
        QCOMPARE(ok, 500);
        QCOMPARE(server.requests().size(), 500);
        QVERIFY2(server.connections() <= 32, qPrintable(QString::number(server.connections())));
    }

    void refusedConnectionIsAFailureWithAReason()
    {
        http::Request request;
        request.url = QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(closedPort()));
        const auto o = fetch(m_http, request);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QCOMPARE(o.result->status, 0);
        QVERIFY(!o.result->timedOut);
        QCOMPARE(o.result->error, QStringLiteral("cannot connect to %1:%2: Connection refused")
                                      .arg(request.url.host())
                                      .arg(request.url.port()));
    }

    void oversizedAnswerIsRefused()
    {
        CannedHttpServer announced(httpResponse(QByteArray(2 * 1024 * 1024, 'x')));
        http::Request request;
        request.url = QUrl(announced.url(QStringLiteral("/")));
        request.maxBytes = 1024 * 1024;
        auto o = fetch(m_http, request);
        QVERIFY(o.result->tooLarge);
        QCOMPARE(o.result->status, 0);
        QCOMPARE(o.result->error, QStringLiteral("the answer is larger than 1 MiB"));
        QVERIFY(o.result->body.isEmpty());

        // No length announced: the body is counted as it arrives.
        CannedHttpServer unannounced("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" +
                                     QByteArray(2 * 1024 * 1024, 'y'));
        request.url = QUrl(unannounced.url(QStringLiteral("/")));
        o = fetch(m_http, request);
        QVERIFY(o.result->tooLarge);
        QCOMPARE(o.result->error, QStringLiteral("the answer is larger than 1 MiB"));
    }

    void cancelledRequestNeverReports()
    {
        CannedHttpServer silent{QByteArray()};
        http::Request request;
        request.url = QUrl(silent.url(QStringLiteral("/")));
        request.timeoutMs = 100;
        int cancelledCalls = 0;
        const auto id = m_http.start(request, [&](const http::Response &) { ++cancelledCalls; });
        m_http.cancel(id);
        m_http.cancel(id); // twice is harmless
        // A later request with a longer timeout ends after the cancelled one would have.
        request.timeoutMs = 400;
        const auto o = fetch(m_http, request);
        QVERIFY(o.result->timedOut);
        QCOMPARE(o.result->error, QStringLiteral("no answer within 400 ms"));
        QCOMPARE(cancelledCalls, 0);
        QCOMPARE(m_http.running(), 0);
    }

    void tlsIsVerifiedByDefault()
    {
        // A self-signed certificate for localhost, made by openssl for this test.
        const auto made = testing::makeSelfSigned(m_dir.path(), QStringLiteral("localhost"));
        QVERIFY2(made.error.isEmpty(), qPrintable(made.error));
        QFile keyFile(made.key);
        QFile certFile(made.certificate);
        QVERIFY(keyFile.open(QIODevice::ReadOnly) && certFile.open(QIODevice::ReadOnly));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        QSslServer server;
        server.setSslConfiguration(tls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&server] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                socket->setParent(&server);
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    if (socket->readAll().contains("\r\n\r\n"))
                        socket->write(httpResponse("secure"));
                });
            }
        });
        const QString url = QStringLiteral("https://localhost:%1/").arg(server.serverPort());

        auto verifying = build(QStringLiteral("url: %1\n").arg(url));
        QVERIFY(verifying);
        auto o = probe(*verifying);
        QVERIFY(!o.result->ok);
        QCOMPARE(o.result->status, 0);
        QVERIFY2(o.result->error.contains(QStringLiteral("certificate")),
                 qPrintable(o.result->error));

        auto trusting =
            build(QStringLiteral("url: %1\ntls_verify: false\nbody_contains: secure\n").arg(url));
        QVERIFY(trusting);
        o = probe(*trusting);
        QVERIFY2(o.result->ok, qPrintable(o.result->error));
        QCOMPARE(o.result->status, 200);
    }

    void badOptionsAreReportedWhereTheyAre()
    {
        QStringList errors;
        QVERIFY(!build(QStringLiteral("url: ftp://example.org/\n"), &errors));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(QStringLiteral("test.yaml:3:")),
                 qPrintable(errors.first()));
        QVERIFY(errors.first().contains(QStringLiteral("must be an http:// or https:// URL")));

        errors.clear();
        QVERIFY(
            !build(QStringLiteral("url: http://127.0.0.1/\nexpect_status: [2xx, 7xx]\n"), &errors));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("found '7xx'")),
                 qPrintable(errors.first()));

        errors.clear();
        QVERIFY(
            !build(QStringLiteral("url: http://127.0.0.1/\nbody_regex: '(unclosed'\n"), &errors));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("not a valid regular expression")),
                 qPrintable(errors.first()));
    }
};

QTEST_GUILESS_MAIN(TestHttpCheck)
#include "tst_httpcheck.moc"
