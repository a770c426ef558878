#include "webapp.h"

#include "common/result.h"
#include "logging/logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <memory>
#include <optional>
#include <variant>

namespace rwd::api {

namespace {

auto log()
{
    return logging::get("api.web");
}

// Contents kept in memory at most; past it the cache starts over.
constexpr qint64 kCacheBytes = 256 * 1024 * 1024;

struct Accepted
{
    bool br = false;
    bool gzip = false;
};

// What Accept-Encoding allows: a coding listed with q > 0, or `*` with q > 0 and the coding
// not listed. No header: neither (identity only).
Accepted acceptedEncodings(const QByteArray &header)
{
    std::optional<bool> br;
    std::optional<bool> gzip;
    bool any = false;
    for (const auto &part : header.split(',')) {
        const auto items = part.split(';');
        const QByteArray coding = items.first().trimmed().toLower();
        double q = 1;
        for (qsizetype i = 1; i < items.size(); ++i) {
            const QByteArray param = items.at(i).trimmed().toLower();
            if (param.startsWith("q=")) {
                bool ok = false;
                q = param.mid(2).toDouble(&ok);
                if (!ok)
                    q = 0;
            }
        }
        const bool acceptable = q > 0;
        if (coding == "br")
            br = acceptable;
        else if (coding == "gzip" || coding == "x-gzip")
            gzip = acceptable;
        else if (coding == "*")
            any = acceptable;
    }
    return {br.value_or(any), gzip.value_or(any)};
}

// If-None-Match against `etag`: `*`, or one of its (weak or strong) tags.
bool noneMatchHits(const QByteArray &header, const QByteArray &etag)
{
    if (header.trimmed() == "*")
        return true;
    for (auto tag : header.split(',')) {
        tag = tag.trimmed();
        if (tag.startsWith("W/"))
            tag = tag.mid(2);
        if (tag == etag)
            return true;
    }
    return false;
}

// A plain file name: no separators, NUL or control characters, and no leading dot (which
// also refuses `.` and `..`).
bool plainName(const QString &name)
{
    if (name.isEmpty() || name.startsWith(u'.'))
        return false;
    for (const QChar c : name) {
        if (c == u'/' || c == u'\\' || c.unicode() < 0x20 || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

bool isHtml(const QString &name)
{
    const auto suffix = QFileInfo(name).suffix().toLower();
    return suffix == u"html" || suffix == u"htm";
}

HttpResponse notFound(const QString &path)
{
    return HttpResponse::error(404, QStringLiteral("not_found"),
                               QStringLiteral("no such resource: %1").arg(path));
}

class WebRoot
{
public:
    explicit WebRoot(QString dir)
        : m_dir(std::move(dir))
    {}

    [[nodiscard]] bool enabled() const { return !m_dir.isEmpty(); }

    // `name` empty: the index.
    HttpResponse serve(const HttpRequest &r, const QString &name)
    {
        if (!enabled())
            return HttpResponse::error(
                404, QStringLiteral("not_found"),
                QStringLiteral("the dashboard's browser build is not served here: set "
                               "server.web_root (or rewindd --web-root) to its directory"));
        QString file = name;
        if (file.isEmpty()) {
            auto index = indexFile();
            if (!index)
                return index.error();
            file = *index;
        }
        const auto plain = resolve(file);
        if (!plain)
            return notFound(r.path);

        const auto accepted = acceptedEncodings(r.header("Accept-Encoding"));
        QFileInfo chosen = *plain;
        QByteArray encoding;
        // A compressed sibling older than the file is from an earlier build: never served.
        // Whole seconds: gzip and brotli give their output the input's time, which some file
        // systems and tools keep only to the second.
        const auto fresh = [&](const std::optional<QFileInfo> &sibling) {
            return sibling && sibling->lastModified().toSecsSinceEpoch() >=
                                  plain->lastModified().toSecsSinceEpoch();
        };
        if (accepted.br) {
            if (const auto br = resolve(file + QStringLiteral(".br")); fresh(br)) {
                chosen = *br;
                encoding = "br";
            }
        }
        if (encoding.isEmpty() && accepted.gzip) {
            if (const auto gz = resolve(file + QStringLiteral(".gz")); fresh(gz)) {
                chosen = *gz;
                encoding = "gzip";
            }
        }

        HttpResponse response;
        response.cacheControl = isHtml(file) ? "no-cache" : "public, max-age=3600";
        QByteArray etag = '"' + QByteArray::number(chosen.size(), 16) + '-' +
                          QByteArray::number(chosen.lastModified().toMSecsSinceEpoch(), 16);
        if (!encoding.isEmpty())
            etag += '-' + encoding;
        etag += '"';
        response.headers = {
            {"ETag", etag}, {"Vary", "Accept-Encoding"}, {"X-Content-Type-Options", "nosniff"}};
        if (noneMatchHits(r.header("If-None-Match"), etag)) {
            response.status = 304;
            return response;
        }
        const auto data = contents(chosen);
        if (!data)
            return HttpResponse::error(
                404, QStringLiteral("not_found"),
                QStringLiteral("%1 cannot be read").arg(r.path.isEmpty() ? file : r.path));
        if (!encoding.isEmpty())
            response.headers.append({"Content-Encoding", encoding});
        response.contentType = webContentType(file);
        response.body = *data;
        return response;
    }

private:
    // The file `name` directly in the web root, as a regular file whose real path (links
    // followed) is inside the root; nothing otherwise.
    [[nodiscard]] std::optional<QFileInfo> resolve(const QString &name) const
    {
        if (!plainName(name))
            return std::nullopt;
        QString root = QFileInfo(m_dir).canonicalFilePath();
        if (root.isEmpty())
            return std::nullopt;
        const QString real = QFileInfo(root + u'/' + name).canonicalFilePath();
        if (!root.endsWith(u'/'))
            root += u'/';
        if (real.isEmpty() || !real.startsWith(root))
            return std::nullopt;
        QFileInfo target(real);
        if (!target.isFile())
            return std::nullopt;
        return target;
    }

    // index.html, or else the only *.html file.
    [[nodiscard]] Result<QString, HttpResponse> indexFile() const
    {
        const QString index = QStringLiteral("index.html");
        if (resolve(index))
            return index;
        QStringList pages;
        for (const auto &page : QDir(m_dir).entryList({QStringLiteral("*.html")}, QDir::Files)) {
            if (resolve(page))
                pages.append(page);
        }
        if (pages.size() == 1)
            return pages.first();
        return HttpResponse::error(
            404, QStringLiteral("not_found"),
            pages.isEmpty()
                ? QStringLiteral("the web root has no index.html and no other .html file")
                : QStringLiteral("the web root has no index.html and %1 other .html files (%2): "
                                 "which one is the index is unclear")
                      .arg(pages.size())
                      .arg(pages.join(QStringLiteral(", "))));
    }

    // The contents of `file`, from memory while its size and modification time are unchanged.
    std::optional<QByteArray> contents(const QFileInfo &file)
    {
        const QString key = file.filePath();
        const qint64 size = file.size();
        const qint64 mtime = file.lastModified().toMSecsSinceEpoch();
        const auto it = m_cache.constFind(key);
        if (it != m_cache.constEnd() && it->size == size && it->mtimeMs == mtime)
            return it->data;
        QFile f(key);
        if (!f.open(QIODevice::ReadOnly)) {
            log()->warn("cannot read {}: {}", key, f.errorString());
            return std::nullopt;
        }
        const QByteArray data = f.readAll();
        if (it != m_cache.constEnd()) {
            m_cachedBytes -= it->data.size();
            m_cache.remove(key);
        }
        // A file being rewritten is sent as read, and read again next time.
        if (data.size() == size && data.size() <= kCacheBytes) {
            if (m_cachedBytes + data.size() > kCacheBytes) {
                m_cache.clear();
                m_cachedBytes = 0;
            }
            m_cache.insert(key, {size, mtime, data});
            m_cachedBytes += data.size();
        }
        return data;
    }

    struct Cached
    {
        qint64 size = 0;
        qint64 mtimeMs = 0;
        QByteArray data;
    };

    QString m_dir;
    QHash<QString, Cached> m_cache; // by real path
    qint64 m_cachedBytes = 0;
};

} // namespace

QByteArray webContentType(const QString &fileName)
{
    static const QHash<QString, QByteArray> types{
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("htm"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript"},
        {QStringLiteral("mjs"), "text/javascript"},
        {QStringLiteral("wasm"), "application/wasm"},
        {QStringLiteral("css"), "text/css"},
        {QStringLiteral("json"), "application/json"},
        {QStringLiteral("map"), "application/json"},
        {QStringLiteral("txt"), "text/plain; charset=utf-8"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("ico"), "image/x-icon"},
        {QStringLiteral("woff"), "font/woff"},
        {QStringLiteral("woff2"), "font/woff2"},
    };
    return types.value(QFileInfo(fileName).suffix().toLower(), "application/octet-stream");
}

void registerWebAppRoutes(HttpServer &server, const QString &webRoot)
{
    const auto root = std::make_shared<WebRoot>(webRoot);
    if (root->enabled())
        log()->info("the dashboard's browser build is served at /app/ from {}", webRoot);
    const auto index = [root](const HttpRequest &r) {
        // The router sees /app and /app/ alike; relative URLs in the page need the slash.
        if (root->enabled() && !r.path.endsWith(u'/')) {
            auto response = HttpResponse::error(308, QStringLiteral("moved"),
                                                QStringLiteral("the dashboard is at /app/"));
            const auto query = r.query.toString(QUrl::FullyEncoded);
            response.headers.append(
                {"Location", query.isEmpty() ? QByteArray("/app/") : "/app/?" + query.toUtf8()});
            return response;
        }
        return root->serve(r, QString());
    };
    const auto file = [root](const HttpRequest &r) {
        // Exactly /app/NAME: the router also matches /app//NAME (an encoded absolute path,
        // /app/%2FNAME) and /app/NAME/.
        const QString name = r.params.value(QStringLiteral("path"));
        if (r.path != QStringLiteral("/app/") + name)
            return notFound(r.path);
        return root->serve(r, name);
    };
    for (const char *method : {"GET", "HEAD"}) {
        server.route(method, QStringLiteral("/app/"), index, true);
        server.route(method, QStringLiteral("/app/{path}"), file, true);
    }
}

} // namespace rwd::api
