#include "httpcheck.h"

#include "common/clock.h"

namespace rwd::monitor {

namespace {

// Bodies are judged in memory; a health page larger than this is a failure, not an outage of
// the daemon's memory.
constexpr qint64 kMaxBodyBytes = 4 * 1024 * 1024;

// Accepts 200, "2xx", or "200-299".
std::optional<QPair<int, int>> parseStatus(const QString &text)
{
    bool ok = false;
    if (text.size() == 3 && text.endsWith(QLatin1String("xx"))) {
        const int hundreds = text.left(1).toInt(&ok);
        if (ok && hundreds >= 1 && hundreds <= 5)
            return QPair<int, int>{hundreds * 100, hundreds * 100 + 99};
        return std::nullopt;
    }
    const auto dash = text.indexOf(u'-');
    if (dash > 0) {
        bool ok2 = false;
        const int low = text.left(dash).trimmed().toInt(&ok);
        const int high = text.mid(dash + 1).trimmed().toInt(&ok2);
        if (ok && ok2 && low >= 100 && high <= 599 && low <= high)
            return QPair<int, int>{low, high};
        return std::nullopt;
    }
    const int code = text.toInt(&ok);
    if (ok && code >= 100 && code <= 599)
        return QPair<int, int>{code, code};
    return std::nullopt;
}

} // namespace

std::unique_ptr<Check> HttpCheck::create(config::MapReader &r, const config::CheckConfig &common,
                                         const CheckRuntime &runtime)
{
    Options o;
    o.timeoutMs = common.timeoutMs;
    if (const auto url = r.string(QStringLiteral("url"), config::Need::Required)) {
        o.url = QUrl(*url, QUrl::StrictMode);
        const auto scheme = o.url.scheme();
        if (!o.url.isValid() || (scheme != u"http" && scheme != u"https") || o.url.host().isEmpty())
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 must be an http:// or https:// URL, found '%2'")
                          .arg(r.what(), *url));
    }
    if (const auto method =
            r.choice(QStringLiteral("method"), {QStringLiteral("GET"), QStringLiteral("HEAD"),
                                                QStringLiteral("POST"), QStringLiteral("PUT")}))
        o.method = method->toLatin1();
    if (const auto headers = r.stringMap(QStringLiteral("headers"))) {
        for (const auto &[name, value] : *headers)
            o.headers.append({name.toLatin1(), value.toUtf8()});
    }
    o.body = r.string(QStringLiteral("body"), QString()).toUtf8();
    o.bodyContains = r.string(QStringLiteral("body_contains"), QString()).toUtf8();
    if (const auto pattern = r.string(QStringLiteral("body_regex"))) {
        o.bodyRegex = QRegularExpression(*pattern);
        if (!o.bodyRegex.isValid())
            r.errorAt(QStringLiteral("body_regex"),
                      QStringLiteral("'body_regex' of %1 is not a valid regular expression: %2 "
                                     "at offset %3")
                          .arg(r.what(), o.bodyRegex.errorString())
                          .arg(o.bodyRegex.patternErrorOffset()));
    }
    o.tlsVerify = r.boolean(QStringLiteral("tls_verify")).value_or(true);
    if (const auto statuses = r.stringList(QStringLiteral("expect_status"))) {
        o.expectStatus.clear();
        for (const auto &s : *statuses) {
            const auto range = parseStatus(s.trimmed());
            if (!range) {
                r.errorAt(QStringLiteral("expect_status"),
                          QStringLiteral("'expect_status' of %1 must list codes such as 200, 2xx "
                                         "or 200-299, found '%2'")
                              .arg(r.what(), s));
                continue;
            }
            o.expectStatus.append(*range);
        }
    }
    return std::make_unique<HttpCheck>(std::move(o), runtime);
}

HttpCheck::HttpCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
{}

HttpCheck::~HttpCheck()
{
    cancel();
}

void HttpCheck::probe(Done done)
{
    m_done = std::move(done);
    http::Request request;
    request.method = m_options.method;
    request.url = m_options.url;
    request.headers = m_options.headers;
    request.body = m_options.body;
    request.timeoutMs = m_options.timeoutMs;
    request.tlsVerify = m_options.tlsVerify;
    // The body is only kept when it is judged.
    request.keepBody =
        !m_options.bodyContains.isEmpty() || !m_options.bodyRegex.pattern().isEmpty();
    request.maxBytes = kMaxBodyBytes;
    const qint64 started = m_runtime.clock->nowMs();
    m_request = m_runtime.http->start(
        request, [this, started](const http::Response &response) { finish(response, started); });
}

void HttpCheck::finish(const http::Response &response, qint64 startedMs)
{
    m_request = 0;
    Sample s;
    s.timeMs = m_runtime.clock->nowMs();
    s.latency = double(s.timeMs - startedMs) / 1000.0;
    s.status = response.status;
    if (s.status > 0)
        s.fields.append(FieldValue::of(QStringLiteral("status"), double(s.status)));
    if (!response.error.isEmpty()) {
        s.ok = false;
        s.checkError = response.local;
        s.error = response.error;
    } else {
        s.ok = false;
        for (const auto &[low, high] : m_options.expectStatus)
            s.ok = s.ok || (s.status >= low && s.status <= high);
        const auto &body = response.body;
        if (!s.ok) {
            s.error = QStringLiteral("HTTP status %1").arg(s.status);
        } else if (!m_options.bodyContains.isEmpty() && !body.contains(m_options.bodyContains)) {
            s.ok = false;
            s.error = QStringLiteral("body does not contain the expected text");
        } else if (!m_options.bodyRegex.pattern().isEmpty() &&
                   !m_options.bodyRegex.match(QString::fromUtf8(body)).hasMatch()) {
            s.ok = false;
            s.error = QStringLiteral("body does not match /%1/").arg(m_options.bodyRegex.pattern());
        }
    }
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(s);
}

QList<FieldSpec> HttpCheck::fields() const
{
    return {{QStringLiteral("status"), rules::Dimension::Scalar, false, false}};
}

void HttpCheck::cancel()
{
    m_done = nullptr;
    if (m_request != 0 && m_runtime.http)
        m_runtime.http->cancel(m_request);
    m_request = 0;
}

} // namespace rwd::monitor
