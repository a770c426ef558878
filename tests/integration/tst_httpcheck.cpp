// The http check and the HTTP client under it, against real servers: a rewind-fleet instance
// (whose faults turn answers into 500s and slow ones), raw loopback servers for what real
// servers rarely do (never answer, answer too much, count connections), and a TLS server with a
// self-signed certificate.
#include "common/clock.h"
#include "config/configloader.h"
#include "http/client.h"
#include "monitor/check.h"
#include "monitor/checks/http/httpcheck.h"
#include "processes.h"
#include "selfsigned.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace rwd;

namespace {

// A loopback HTTP/1.1 server that keeps connections alive and answers every request with
// `answer` (or never, when it is empty). It counts connections and keeps the requests it read.
class RawServer : public QTcpServer
{
public:
    explicit RawServer(QByteArray answer)
        : m_answer(std::move(answer))
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                ++m_connections;
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_buffer += socket->readAll();
                    // A request is complete at the end of its headers plus its announced body.
                    for (;;) {
                        const auto end = m_buffer.indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        qsizetype length = 0;
                        for (const auto &line : m_buffer.left(end).split('\n')) {
                            if (line.toLower().startsWith("content-length:"))
                                length = line.mid(15).trimmed().toLongLong();
                        }
                        if (m_buffer.size() < end + 4 + length)
                            return;
                        m_requests.append(m_buffer.left(end + 4 + length));
                        m_buffer.remove(0, end + 4 + length);
                        if (!m_answer.isEmpty())
                            socket->write(m_answer);
                    }
                });
            }
        });
    }

    [[nodiscard]] QUrl url(const QString &path = QStringLiteral("/")) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(serverPort()).arg(path));
    }
    [[nodiscard]] int connections() const { return m_connections; }
    [[nodiscard]] const QList<QByteArray> &requests() const { return m_requests; }

private:
    QByteArray m_answer;
    QByteArray m_buffer;
    QList<QByteArray> m_requests;
    int m_connections = 0;
};

QByteArray answer(const QByteArray &body, const QByteArray &status = "200 OK")
{
    return "HTTP/1.1 " + status + "\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n" + body;
}

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    const auto port = server.serverPort();
    server.close();
    return port;
}

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
    QNetworkAccessManager m_network;
    const monitor::CheckRegistry m_registry = monitor::builtinChecks();
    std::unique_ptr<drill::ManagedProcess> m_fleet;
    QString m_control;
    QString m_version;
    QString m_blue;

    // Builds an http check from the YAML of its map, as the daemon does; diagnostics land in
    // `errors`.
    std::unique_ptr<monitor::Check> build(const QString &options, QStringList *errors = nullptr,
                                          qint64 timeoutMs = 2000)
    {
        const auto yaml =
            YAML::Load(QStringLiteral("name: c\ntype: http\n%1").arg(options).toStdString());
        const config::ConfigNode node(yaml, QStringLiteral("test.yaml"));
        config::Diagnostics diagnostics;
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
        QNetworkRequest request(
            QUrl(m_control + QStringLiteral("/services/api/versions/%1/fault").arg(m_version)));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        QNetworkReply *reply = fault.isEmpty()
                                   ? m_network.deleteResource(request)
                                   : m_network.put(request, QJsonDocument(fault).toJson());
        drill::waitUntil([&] { return reply->isFinished(); }, 10'000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status == 200;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fleet = std::make_unique<drill::ManagedProcess>(
            QStringLiteral("rewind-fleet"), m_dir.filePath(QStringLiteral("fleet.log")));
        QString error;
        QVERIFY2(m_fleet->start(QStringLiteral(REWIND_BIN_DIR "/rewind-fleet"),
                                {QStringLiteral("--dir"), m_dir.filePath(QStringLiteral("fleet")),
                                 QStringLiteral("--service"), QStringLiteral("api"),
                                 QStringLiteral("--load-rps"), QStringLiteral("0")},
                                30'000, &error),
                 qPrintable(error));
        const auto ready = m_fleet->ready();
        m_control = ready.value(QLatin1String("control")).toString();
        const auto blue = ready.value(QLatin1String("services"))
                              .toObject()
                              .value(QLatin1String("api"))
                              .toObject()
                              .value(QLatin1String("instances"))
                              .toObject()
                              .value(QLatin1String("blue"))
                              .toObject();
        m_blue = blue.value(QLatin1String("address")).toString();
        m_version = blue.value(QLatin1String("version")).toString();
        QVERIFY(!m_blue.isEmpty() && !m_version.isEmpty());
    }

    void cleanupTestCase() { m_fleet.reset(); }

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
        RawServer server(answer("created", "201 Created"));
        const auto yaml = QStringLiteral("url: %1\nmethod: POST\nbody: '{\"probe\": 1}'\n"
                                         "headers: {X-Probe: rewind, Content-Type: "
                                         "application/json}\nexpect_status: [201]\n")
                              .arg(server.url(QStringLiteral("/hook")).toString());
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
        RawServer server("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");
        auto check =
            build(QStringLiteral("url: %1\nexpect_status: [200]\n").arg(server.url().toString()));
        QVERIFY(check);
        const auto o = probe(*check);
        QVERIFY(!o.result->ok);
        QCOMPARE(o.result->status, 302);
        QCOMPARE(server.requests().size(), 1);
    }

    void connectionsAreKeptAlive()
    {
        RawServer server(answer("ok"));
        http::Request request;
        request.url = server.url();
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
        RawServer server(answer("ok"));
        http::Request request;
        request.url = server.url();
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
        RawServer announced(answer(QByteArray(2 * 1024 * 1024, 'x')));
        http::Request request;
        request.url = announced.url();
        request.maxBytes = 1024 * 1024;
        auto o = fetch(m_http, request);
        QVERIFY(o.result->tooLarge);
        QCOMPARE(o.result->status, 0);
        QCOMPARE(o.result->error, QStringLiteral("the answer is larger than 1 MiB"));
        QVERIFY(o.result->body.isEmpty());

        // No length announced: the body is counted as it arrives.
        RawServer unannounced("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" +
                              QByteArray(2 * 1024 * 1024, 'y'));
        request.url = unannounced.url();
        o = fetch(m_http, request);
        QVERIFY(o.result->tooLarge);
        QCOMPARE(o.result->error, QStringLiteral("the answer is larger than 1 MiB"));
    }

    void cancelledRequestNeverReports()
    {
        RawServer silent{QByteArray()};
        http::Request request;
        request.url = silent.url();
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
                        socket->write(answer("secure"));
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
