// The dashboard's browser build served by an in-process rewindd under /app/: content types,
// precompressed .br and .gz siblings chosen by Accept-Encoding, caching headers with ETag and
// 304, the index and the /app redirect, HEAD, 404 without a web root, path traversal refused,
// server.web_root validated with positions, and rewindd --web-root.
#include "api/httpserver.h"
#include "common/clock.h"
#include "daemon/catalog.h"
#include "daemon/daemon.h"
#include "processes.h"
#include "results.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

namespace {

const QByteArray kSecret = "TOP-SECRET-NOT-FOR-THE-WEB";
// The rest of a configuration: one service, with a passive check (nothing to probe).
const QString kServices = QStringLiteral(
    "auth: {pbkdf2_iterations: 1000}\n"
    "services:\n  - name: api\n    checks: [{name: s, type: signal, fields: {x: gauge}}]\n");

struct Reply
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case
    QByteArray body;

    [[nodiscard]] QList<QByteArray> values(const QByteArray &name) const
    {
        QList<QByteArray> out;
        for (const auto &[key, value] : headers) {
            if (key == name.toLower())
                out.append(value);
        }
        return out;
    }
    [[nodiscard]] QByteArray header(const QByteArray &name) const
    {
        const auto all = values(name);
        return all.isEmpty() ? QByteArray() : all.first();
    }
    [[nodiscard]] bool has(const QByteArray &name) const { return !values(name).isEmpty(); }
    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QString describe() const
    {
        return QStringLiteral("%1 %2").arg(status).arg(QString::fromUtf8(body.left(300)));
    }
};

// A raw HTTP/1.1 client: sends exactly the request target given (no normalisation of `..` or
// percent escapes, as QNetworkAccessManager would do) and reads replies by Content-Length, so
// that several requests can share one connection.
class RawClient
{
public:
    explicit RawClient(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    // Sends one request and reads its reply; status 0 when none came.
    Reply send(const QByteArray &method, const QByteArray &target,
               const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QByteArray request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto &[name, value] : headers)
            request += name + ": " + value + "\r\n";
        request += "\r\n";
        m_socket.write(request);
        Reply reply;
        qsizetype headerEnd = -1;
        qint64 length = -1;
        const bool done = drill::waitUntil(
            [&] {
                m_buffer += m_socket.readAll();
                if (headerEnd < 0) {
                    headerEnd = m_buffer.indexOf("\r\n\r\n");
                    if (headerEnd < 0)
                        return false;
                    const auto lines = m_buffer.left(headerEnd).split('\n');
                    reply.status = lines.first().split(' ').value(1).toInt();
                    for (qsizetype i = 1; i < lines.size(); ++i) {
                        const auto line = lines.at(i).trimmed();
                        const auto colon = line.indexOf(':');
                        reply.headers.append(
                            {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
                    }
                    const bool bodyless =
                        method == "HEAD" || reply.status == 304 || reply.status == 204;
                    length = bodyless ? 0 : reply.header("Content-Length").toLongLong();
                }
                if (m_buffer.size() - headerEnd - 4 < length)
                    return false;
                reply.body = m_buffer.mid(headerEnd + 4, length);
                m_buffer.remove(0, headerEnd + 4 + length);
                return true;
            },
            10'000);
        if (!done)
            reply.status = 0;
        return reply;
    }

    // Bytes that came after the last reply (none, for a server that sent what it announced).
    QByteArray leftover()
    {
        drill::waitUntil([] { return false; }, 200);
        m_buffer += m_socket.readAll();
        return m_buffer;
    }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

bool run(const QString &program, const QStringList &arguments, QByteArray *output = nullptr)
{
    QProcess p;
    p.start(program, arguments);
    if (!p.waitForFinished(60'000))
        return false;
    if (output)
        *output = p.readAllStandardOutput();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Something that compresses well and differs from file to file.
QByteArray filler(const QByteArray &seed, int lines)
{
    QByteArray out;
    for (int i = 0; i < lines; ++i)
        out += "function " + seed + QByteArray::number(i) + "() { return " + QByteArray::number(i) +
               " * 7; } // " + seed + "\n";
    return out;
}

} // namespace

class TestWebApp : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    std::unique_ptr<daemon::Daemon> m_daemon;    // serves m_dir/web
    std::unique_ptr<daemon::Daemon> m_noWebRoot; // no server.web_root

    QString web(const QString &name) const { return m_dir.filePath(QStringLiteral("web/") + name); }

    Reply get(const QByteArray &target, const QList<QPair<QByteArray, QByteArray>> &headers = {},
              const QByteArray &method = "GET")
    {
        RawClient client(m_daemon->port());
        return client.send(method, target, headers);
    }

    QString writeConfig(const QString &name, const QString &server)
    {
        QString path = m_dir.filePath(name);
        [&] { QVERIFY(writeFile(path, ("server: " + server + "\n" + kServices).toUtf8())); }();
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("web/sub")));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("config")), kSecret));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("secret.txt")), kSecret));
        QVERIFY(writeFile(web(QStringLiteral("rewind-web.html")),
                          "<!doctype html><title>Rewind</title><script src=\"rewind-web.js\">"
                          "</script>\n"));
        QVERIFY(writeFile(web(QStringLiteral("rewind-web.js")), filler("rewindWeb", 3000)));
        QVERIFY(writeFile(web(QStringLiteral("qtloader.js")), filler("qtLoader", 200)));
        QVERIFY(writeFile(web(QStringLiteral("rewind-web.wasm")),
                          QByteArray("\0asm\x01\0\0\0", 8) + filler("wasm", 2000)));
        QVERIFY(writeFile(web(QStringLiteral("style.css")), "body { margin: 0 }\n"));
        QVERIFY(writeFile(web(QStringLiteral("data.json")), "{\"a\": 1}\n"));
        QVERIFY(writeFile(web(QStringLiteral("logo.png")), "\x89PNG\r\n\x1a\n-not-really"));
        QVERIFY(writeFile(web(QStringLiteral("icon.svg")), "<svg xmlns=\"x\"/>\n"));
        QVERIFY(writeFile(web(QStringLiteral("favicon.ico")), QByteArray("\0\0\1\0", 4)));
        QVERIFY(writeFile(web(QStringLiteral("font.woff2")), "wOF2-not-really"));
        QVERIFY(writeFile(web(QStringLiteral("blob.bin")), "binary?"));
        QVERIFY(writeFile(web(QStringLiteral(".hidden.js")), "hidden"));
        QVERIFY(writeFile(web(QStringLiteral("sub/inner.js")), "inner"));
        // Links: one out of the root (refused), one to a directory, one inside (served).
        QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("secret.txt")),
                            web(QStringLiteral("escape.js"))));
        QVERIFY(QFile::link(m_dir.path(), web(QStringLiteral("linkdir"))));
        QVERIFY(QFile::link(web(QStringLiteral("qtloader.js")), web(QStringLiteral("alias.js"))));

        // Precompressed siblings, as a deployment makes them: real gzip and brotli files.
        const QString gzip = QStandardPaths::findExecutable(QStringLiteral("gzip"));
        const QString brotli = QStandardPaths::findExecutable(QStringLiteral("brotli"));
        QVERIFY2(!gzip.isEmpty(), "gzip is not installed");
        QVERIFY2(!brotli.isEmpty(),
                 "brotli is not installed (Debian package brotli, in scripts/packages.txt)");
        for (const auto *name : {"rewind-web.js", "rewind-web.wasm", "rewind-web.html"})
            QVERIFY(run(gzip, {QStringLiteral("-9"), QStringLiteral("-n"), QStringLiteral("-k"),
                               QStringLiteral("-f"), web(QLatin1String(name))}));
        QVERIFY(run(brotli, {QStringLiteral("-f"), QStringLiteral("-o"),
                             web(QStringLiteral("rewind-web.js.br")),
                             web(QStringLiteral("rewind-web.js"))}));
        // They are what they claim: gzip's magic, and both decompress to the original.
        QVERIFY(readFile(web(QStringLiteral("rewind-web.js.gz"))).startsWith("\x1f\x8b"));
        for (const auto &[program, suffix] :
             {QPair<QString, QString>{gzip, QStringLiteral(".gz")},
              QPair<QString, QString>{brotli, QStringLiteral(".br")}}) {
            QByteArray plain;
            QVERIFY(run(program,
                        {QStringLiteral("-d"), QStringLiteral("-c"),
                         web(QStringLiteral("rewind-web.js") + suffix)},
                        &plain));
            QCOMPARE(plain, readFile(web(QStringLiteral("rewind-web.js"))));
            QVERIFY(readFile(web(QStringLiteral("rewind-web.js") + suffix)).size() <
                    plain.size() / 4);
        }

        // web_root relative to the configuration file.
        m_daemon = std::make_unique<daemon::Daemon>(m_clock);
        const auto started = m_daemon->start(writeConfig(
            QStringLiteral("web.yaml"), QStringLiteral("{listen: \"127.0.0.1:0\", store: "
                                                       "\"sqlite:web.db\", web_root: web}")));
        QVERIFY2(started, qPrintable(testing::why(started)));
        QCOMPARE(m_daemon->config().server.webRoot, m_dir.filePath(QStringLiteral("web")));
        m_noWebRoot = std::make_unique<daemon::Daemon>(m_clock);
        const auto alsoStarted = m_noWebRoot->start(
            writeConfig(QStringLiteral("noweb.yaml"),
                        QStringLiteral("{listen: \"127.0.0.1:0\", store: \"sqlite:noweb.db\"}")));
        QVERIFY2(alsoStarted, qPrintable(testing::why(alsoStarted)));
        QVERIFY(m_noWebRoot->config().server.webRoot.isEmpty());
    }

    void cleanupTestCase()
    {
        m_daemon.reset();
        m_noWebRoot.reset();
    }

    // GET and HEAD of /app/ and /app/{path}, public, with or without a web root (the OpenAPI
    // document lists them: tst_api checks it against the routes).
    void routesAreListedAndPublic()
    {
        for (const auto *d : {m_daemon.get(), m_noWebRoot.get()}) {
            QSet<QString> app;
            for (const auto &route : d->routes()) {
                if (!route.pattern.startsWith(QLatin1String("/app")))
                    continue;
                QVERIFY2(route.isPublic, qPrintable(route.pattern));
                app.insert(QString::fromLatin1(route.method) + u' ' + route.pattern);
            }
            QCOMPARE(app, (QSet<QString>{QStringLiteral("GET /app/"), QStringLiteral("HEAD /app/"),
                                         QStringLiteral("GET /app/{path}"),
                                         QStringLiteral("HEAD /app/{path}")}));
        }
    }

    void contentTypes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<QByteArray>("cacheControl");
        const QByteArray cached = "public, max-age=3600";
        QTest::newRow("html") << "rewind-web.html" << QByteArray("text/html; charset=utf-8")
                              << QByteArray("no-cache");
        QTest::newRow("js") << "rewind-web.js" << QByteArray("text/javascript") << cached;
        QTest::newRow("qtloader") << "qtloader.js" << QByteArray("text/javascript") << cached;
        QTest::newRow("wasm") << "rewind-web.wasm" << QByteArray("application/wasm") << cached;
        QTest::newRow("css") << "style.css" << QByteArray("text/css") << cached;
        QTest::newRow("json") << "data.json" << QByteArray("application/json") << cached;
        QTest::newRow("png") << "logo.png" << QByteArray("image/png") << cached;
        QTest::newRow("svg") << "icon.svg" << QByteArray("image/svg+xml") << cached;
        QTest::newRow("ico") << "favicon.ico" << QByteArray("image/x-icon") << cached;
        QTest::newRow("woff2") << "font.woff2" << QByteArray("font/woff2") << cached;
        QTest::newRow("other") << "blob.bin" << QByteArray("application/octet-stream") << cached;
        QTest::newRow("link inside the root")
            << "alias.js" << QByteArray("text/javascript") << cached;
    }
    // Without Accept-Encoding: the plain file, its type, its length, and the caching headers,
    // all without a token.
    void contentTypes()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, type);
        QFETCH(QByteArray, cacheControl);
        const auto r = get("/app/" + name.toUtf8());
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.header("Content-Type"), type);
        QCOMPARE(r.body, readFile(web(name)));
        QCOMPARE(r.header("Content-Length"), QByteArray::number(r.body.size()));
        QVERIFY(!r.has("Content-Encoding"));
        QCOMPARE(r.values("Cache-Control"), QList<QByteArray>{cacheControl});
        QCOMPARE(r.values("Vary"), QList<QByteArray>{"Accept-Encoding"});
        QCOMPARE(r.header("X-Content-Type-Options"), QByteArray("nosniff"));
        QVERIFY(r.header("ETag").startsWith('"'));
    }

    void encodings_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("acceptEncoding");
        QTest::addColumn<QByteArray>("encoding"); // empty: the plain file
        QTest::newRow("js br,gzip")
            << "rewind-web.js" << QByteArray("gzip, deflate, br") << QByteArray("br");
        QTest::newRow("js BR upper case")
            << "rewind-web.js" << QByteArray("BR") << QByteArray("br");
        QTest::newRow("js gzip") << "rewind-web.js" << QByteArray("gzip") << QByteArray("gzip");
        QTest::newRow("js br refused")
            << "rewind-web.js" << QByteArray("br;q=0, gzip;q=0.5") << QByteArray("gzip");
        QTest::newRow("js both refused")
            << "rewind-web.js" << QByteArray("br;q=0, gzip;q=0") << QByteArray();
        QTest::newRow("js star") << "rewind-web.js" << QByteArray("*") << QByteArray("br");
        QTest::newRow("js star but br")
            << "rewind-web.js" << QByteArray("br;q=0, *") << QByteArray("gzip");
        QTest::newRow("js identity") << "rewind-web.js" << QByteArray("identity") << QByteArray();
        QTest::newRow("js deflate") << "rewind-web.js" << QByteArray("deflate") << QByteArray();
        QTest::newRow("js none") << "rewind-web.js" << QByteArray() << QByteArray();
        QTest::newRow("wasm br,gzip (no .br)")
            << "rewind-web.wasm" << QByteArray("gzip, br") << QByteArray("gzip");
        QTest::newRow("wasm br only") << "rewind-web.wasm" << QByteArray("br") << QByteArray();
        QTest::newRow("html gzip")
            << "rewind-web.html" << QByteArray("br, gzip") << QByteArray("gzip");
        QTest::newRow("css (no siblings)") << "style.css" << QByteArray("br, gzip") << QByteArray();
    }
    // The sibling Accept-Encoding allows, br before gzip; the type stays that of the file.
    void encodings()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, acceptEncoding);
        QFETCH(QByteArray, encoding);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!acceptEncoding.isEmpty())
            headers.append({"Accept-Encoding", acceptEncoding});
        const auto r = get("/app/" + name.toUtf8(), headers);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        const QString sent = encoding.isEmpty() ? name
                             : encoding == "br" ? name + QStringLiteral(".br")
                                                : name + QStringLiteral(".gz");
        QCOMPARE(r.body, readFile(web(sent)));
        QCOMPARE(r.header("Content-Length"), QByteArray::number(readFile(web(sent)).size()));
        QCOMPARE(r.header("Content-Encoding"), encoding);
        QCOMPARE(r.has("Content-Encoding"), !encoding.isEmpty());
        QCOMPARE(r.header("Content-Type"), get("/app/" + name.toUtf8()).header("Content-Type"));
        QCOMPARE(r.values("Vary"), QList<QByteArray>{"Accept-Encoding"});
    }

    // ETags per representation; If-None-Match answers 304 with the caching headers, no body.
    void etagsAndNotModified()
    {
        const auto plain = get("/app/rewind-web.js");
        const auto br = get("/app/rewind-web.js", {{"Accept-Encoding", "br"}});
        const auto gz = get("/app/rewind-web.js", {{"Accept-Encoding", "gzip"}});
        const QByteArray etag = plain.header("ETag");
        QVERIFY(etag.size() > 2 && etag.startsWith('"') && etag.endsWith('"'));
        QVERIFY(br.header("ETag") != etag);
        QVERIFY(gz.header("ETag") != etag);
        QVERIFY(gz.header("ETag") != br.header("ETag"));
        QCOMPARE(get("/app/rewind-web.js").header("ETag"), etag); // stable

        for (const QByteArray &match : {etag, "W/" + etag, "\"other\", " + etag, QByteArray("*")}) {
            const auto r = get("/app/rewind-web.js", {{"If-None-Match", match}});
            QVERIFY2(r.status == 304, qPrintable(match + ": " + r.describe().toUtf8()));
            QVERIFY(r.body.isEmpty());
            QCOMPARE(r.header("ETag"), etag);
            QCOMPARE(r.values("Cache-Control"), QList<QByteArray>{"public, max-age=3600"});
            QCOMPARE(r.values("Vary"), QList<QByteArray>{"Accept-Encoding"});
            QVERIFY(!r.has("Content-Length") || r.header("Content-Length") == "0");
        }
        // Another tag, or the tag of another representation: the whole file.
        const auto other = get("/app/rewind-web.js", {{"If-None-Match", "\"nope\""}});
        QCOMPARE(other.status, 200);
        QCOMPARE(other.body, plain.body);
        const auto brAgainstPlain =
            get("/app/rewind-web.js", {{"Accept-Encoding", "br"}, {"If-None-Match", etag}});
        QCOMPARE(brAgainstPlain.status, 200);
        QCOMPARE(brAgainstPlain.header("Content-Encoding"), QByteArray("br"));
        QCOMPARE(get("/app/rewind-web.js",
                     {{"Accept-Encoding", "br"}, {"If-None-Match", br.header("ETag")}})
                     .status,
                 304);
        // HTML revalidates with its tag too.
        const auto html = get("/app/rewind-web.html");
        const auto revalidated =
            get("/app/rewind-web.html", {{"If-None-Match", html.header("ETag")}});
        QCOMPARE(revalidated.status, 304);
        QCOMPARE(revalidated.values("Cache-Control"), QList<QByteArray>{"no-cache"});
    }

    // A file replaced on disk is served anew (the cache is keyed by size and time), with a
    // new ETag.
    void aChangedFileIsServedAnew()
    {
        const QString path = web(QStringLiteral("qtloader.js"));
        const auto before = get("/app/qtloader.js");
        QCOMPARE(before.body, readFile(path));
        const QByteArray changed = filler("qtLoaderTwo", 250);
        QVERIFY(changed != before.body);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(f.write(changed), changed.size());
            QVERIFY(f.flush()); // before the time is set: writing sets it
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60),
                                  QFileDevice::FileModificationTime));
        }
        const auto after = get("/app/qtloader.js");
        QCOMPARE(after.status, 200);
        QCOMPARE(after.body, changed);
        QVERIFY(after.header("ETag") != before.header("ETag"));
        QCOMPARE(get("/app/qtloader.js", {{"If-None-Match", before.header("ETag")}}).status, 200);
        // The same size, only a newer time: still read again.
        QByteArray sameSize = changed;
        sameSize[0] = 'X';
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(f.write(sameSize), sameSize.size());
            QVERIFY(f.flush()); // before the time is set: writing sets it
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(120),
                                  QFileDevice::FileModificationTime));
        }
        QCOMPARE(get("/app/qtloader.js").body, sameSize);
    }

    // A .br or .gz older than its file was made from an earlier build: the file is served
    // plain rather than the stale sibling.
    void aStaleSiblingIsNotServed()
    {
        const QString path = web(QStringLiteral("stale.js"));
        QVERIFY(writeFile(path + QStringLiteral(".gz"), "old compressed"));
        QVERIFY(writeFile(path, "the new build"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(30),
                                  QFileDevice::FileModificationTime));
        }
        const auto stale = get("/app/stale.js", {{"Accept-Encoding", "gzip"}});
        QCOMPARE(stale.status, 200);
        QVERIFY(stale.header("content-encoding").isEmpty());
        QCOMPARE(stale.body, QByteArray("the new build"));
        // Once remade (newer than the file) it is served again.
        {
            QFile f(path + QStringLiteral(".gz"));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60),
                                  QFileDevice::FileModificationTime));
        }
        const auto fresh = get("/app/stale.js", {{"Accept-Encoding", "gzip"}});
        QCOMPARE(fresh.header("Content-Encoding"), QByteArray("gzip"));
        QCOMPARE(fresh.body, QByteArray("old compressed"));
    }

    // /app/ is index.html, or else the only .html file; two candidates and no index.html: 404.
    void theIndex()
    {
        auto r = get("/app/");
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        QCOMPARE(r.body, readFile(web(QStringLiteral("rewind-web.html"))));
        QCOMPARE(r.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
        QCOMPARE(r.values("Cache-Control"), QList<QByteArray>{"no-cache"});
        QCOMPARE(get("/app/", {{"Accept-Encoding", "gzip"}}).body,
                 readFile(web(QStringLiteral("rewind-web.html.gz"))));

        QVERIFY(writeFile(web(QStringLiteral("other.html")), "<p>other</p>"));
        r = get("/app/");
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json().value(QLatin1String("code")).toString(), QStringLiteral("not_found"));
        QVERIFY2(r.json().value(QLatin1String("message")).toString().contains(u"index.html"),
                 qPrintable(r.describe()));

        QVERIFY(writeFile(web(QStringLiteral("index.html")), "<p>index</p>"));
        r = get("/app/");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("<p>index</p>"));
        QCOMPARE(get("/app/index.html").body, QByteArray("<p>index</p>"));
        QVERIFY(QFile::remove(web(QStringLiteral("index.html"))));
        QVERIFY(QFile::remove(web(QStringLiteral("other.html"))));
        QCOMPARE(get("/app/").body, readFile(web(QStringLiteral("rewind-web.html"))));
    }

    // /app redirects to /app/ (relative URLs in the page need the slash), keeping the query.
    void appRedirectsToTheSlash()
    {
        for (const QByteArray &method : {QByteArray("GET"), QByteArray("HEAD")}) {
            const auto r = get("/app", {}, method);
            QVERIFY2(r.status == 308 || r.status == 301, qPrintable(r.describe()));
            QCOMPARE(r.header("Location"), QByteArray("/app/"));
        }
        QCOMPARE(get("/app?lang=de").header("Location"), QByteArray("/app/?lang=de"));
    }

    // HEAD: the headers of GET, Content-Length of the body, and no body (a GET on the same
    // connection afterwards reads cleanly).
    void headSendsNoBody()
    {
        RawClient client(m_daemon->port());
        const QList<QPair<QByteArray, QByteArray>> br{{"Accept-Encoding", "br"}};
        const auto head = client.send("HEAD", "/app/rewind-web.js", br);
        QVERIFY2(head.status == 200, qPrintable(head.describe()));
        QCOMPARE(head.header("Content-Length"),
                 QByteArray::number(readFile(web(QStringLiteral("rewind-web.js.br"))).size()));
        QCOMPARE(head.header("Content-Encoding"), QByteArray("br"));
        QCOMPARE(head.header("Content-Type"), QByteArray("text/javascript"));
        QCOMPARE(head.values("Vary"), QList<QByteArray>{"Accept-Encoding"});
        QVERIFY(head.has("ETag"));
        const auto headIndex = client.send("HEAD", "/app/");
        QCOMPARE(headIndex.status, 200);
        QCOMPARE(headIndex.header("Content-Length"),
                 QByteArray::number(readFile(web(QStringLiteral("rewind-web.html"))).size()));
        const auto then = client.send("GET", "/app/rewind-web.js", br);
        QVERIFY2(then.status == 200, qPrintable(then.describe()));
        QCOMPARE(then.body, readFile(web(QStringLiteral("rewind-web.js.br"))));
        QCOMPARE(then.header("ETag"), head.header("ETag"));
        QCOMPARE(client.leftover(), QByteArray());
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("target");
        for (const auto *target : {"/app/../config",
                                   "/app/..%2Fconfig",
                                   "/app/%2e%2e",
                                   "/app/%2E%2E/config",
                                   "/app/%2e%2e%2fconfig",
                                   "/app/..",
                                   "/app/.",
                                   "/app/%2e",
                                   "/app/..%2f..%2fsecret.txt",
                                   "/app/%2fetc%2fpasswd",
                                   "/app//etc/passwd",
                                   "/app/%2Fconfig",
                                   "/app/..%5Csecret.txt",
                                   "/app/escape.js",
                                   "/app/linkdir",
                                   "/app/sub",
                                   "/app/sub/inner.js",
                                   "/app/sub%2Finner.js",
                                   "/app/.hidden.js",
                                   "/app/rewind-web.js%00",
                                   "/app/rewind-web.js%00.png",
                                   "/app/missing.js",
                                   "/app/rewind-web.js/",
                                   "/app/%2Frewind-web.js",
                                   "/app//rewind-web.js",
                                   "/app/./rewind-web.js",
                                   "/app/sub/../rewind-web.js",
                                   "/app/linkdir%2Fsecret.txt"})
            QTest::newRow(target) << QByteArray(target);
    }
    // Traversal, links out of the root, directories, hidden files, NUL and missing files: 404
    // as JSON, and nothing of what is outside the web root.
    void refused()
    {
        QFETCH(QByteArray, target);
        const auto r = get(target);
        QVERIFY2(r.status == 404, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QLatin1String("code")).toString(), QStringLiteral("not_found"));
        QVERIFY(!r.body.contains(kSecret));
        QVERIFY(!r.body.contains("function rewindWeb"));
        // HEAD too, without a body: the next request on the connection reads cleanly.
        RawClient client(m_daemon->port());
        QCOMPARE(client.send("HEAD", target).status, 404);
        QCOMPARE(client.send("GET", "/app/style.css").status, 200);
        QCOMPARE(client.leftover(), QByteArray());
    }

    void otherMethodsAreNotAllowed()
    {
        const auto r = get("/app/rewind-web.js", {{"Content-Length", "0"}}, "POST");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("Allow"), QByteArray("GET, HEAD"));
    }

    // Without server.web_root the routes answer 404 with an error that says what to set.
    void noWebRootAnswers404()
    {
        for (const QByteArray &target :
             {QByteArray("/app/"), QByteArray("/app"), QByteArray("/app/rewind-web.js")}) {
            RawClient client(m_noWebRoot->port());
            const auto r = client.send("GET", target);
            QVERIFY2(r.status == 404, qPrintable(r.describe()));
            QCOMPARE(r.json().value(QLatin1String("code")).toString(), QStringLiteral("not_found"));
            QVERIFY2(r.json().value(QLatin1String("message")).toString().contains(u"web_root"),
                     qPrintable(r.describe()));
            QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        }
    }

    // server.web_root must be an existing directory, reported at the value's position.
    void webRootIsValidated_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << "nowhere"
                                 << "bad.yaml:2:13: error: 'web_root' must be a directory: " +
                                        m_dir.filePath(QStringLiteral("nowhere")) +
                                        " does not exist";
        QTest::newRow("a file") << "secret.txt"
                                << "bad.yaml:2:13: error: 'web_root' must be a directory: " +
                                       m_dir.filePath(QStringLiteral("secret.txt")) +
                                       " is not a directory";
        QTest::newRow("empty") << "\"\""
                               << QStringLiteral("bad.yaml:2:13: error: 'web_root' must name the "
                                                 "directory");
        QTest::newRow("not text") << "[a, b]"
                                  << QStringLiteral("bad.yaml:2:13: error: 'web_root' in server "
                                                    "must be text");
    }
    void webRootIsValidated()
    {
        QFETCH(QString, value);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(QStringLiteral("bad.yaml"));
        QVERIFY(writeFile(path, ("server:\n  web_root: " + value + "\n").toUtf8()));
        const auto result = daemon::loadConfig(path);
        QVERIFY(!result.ok());
        const auto text = result.diagnostics.format();
        QVERIFY2(text.contains(m_dir.filePath(message)), qPrintable(text));
        // An absolute path is taken as it is.
        QVERIFY(writeFile(path, ("server:\n  web_root: " + m_dir.filePath(QStringLiteral("web")) +
                                 "\n" + kServices)
                                    .toUtf8()));
        const auto good = daemon::loadConfig(path);
        QVERIFY2(good.ok(), qPrintable(good.diagnostics.format()));
        QCOMPARE(good.config->server.webRoot, m_dir.filePath(QStringLiteral("web")));
    }

    // rewindd --web-root DIR serves DIR (instead of server.web_root); a DIR that is not a
    // directory stops rewindd with exit code 2.
    void commandLineFlag()
    {
        const QString rewindd = QStringLiteral(REWIND_BIN_DIR "/rewindd");
        const QString config =
            writeConfig(QStringLiteral("flag.yaml"),
                        QStringLiteral("{listen: \"127.0.0.1:0\", store: \"sqlite:flag.db\"}"));
        {
            drill::ManagedProcess p(QStringLiteral("rewindd"),
                                    m_dir.filePath(QStringLiteral("rewindd-flag.log")));
            REWIND_VERIFY_OK(
                p.start(rewindd,
                        {QStringLiteral("--config"), config, QStringLiteral("--web-root"),
                         m_dir.filePath(QStringLiteral("web"))},
                        30'000));
            const QUrl url(p.ready().value(QLatin1String("rewindd")).toString());
            QVERIFY(url.port() > 0);
            RawClient client(quint16(url.port()));
            const auto r =
                client.send("GET", "/app/rewind-web.wasm", {{"Accept-Encoding", "gzip"}});
            QVERIFY2(r.status == 200, qPrintable(r.describe()));
            QCOMPARE(r.header("Content-Type"), QByteArray("application/wasm"));
            QCOMPARE(r.body, readFile(web(QStringLiteral("rewind-web.wasm.gz"))));
            QCOMPARE(p.stop(), 0);
        }
        QProcess bad;
        bad.start(rewindd, {QStringLiteral("--config"), config, QStringLiteral("--web-root"),
                            m_dir.filePath(QStringLiteral("secret.txt"))});
        QVERIFY(bad.waitForFinished(30'000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY2(bad.readAllStandardError().contains("--web-root"), "no message on stderr");
    }
};

QTEST_GUILESS_MAIN(TestWebApp)
#include "tst_webapp.moc"
