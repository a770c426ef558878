#include "httpexecutor.h"

#include "http/client.h"
#include "logging/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace rwd::executors {

namespace {

auto log()
{
    return logging::get("executor.http");
}

constexpr qsizetype kKeptBody = 4096;

// Parses "2xx", "204", "200-299" into inclusive ranges.
bool parseStatus(const QString &text, QPair<int, int> *range)
{
    bool ok = false;
    if (text.size() == 3 && text.endsWith(QStringLiteral("xx"))) {
        const int hundred = text.left(1).toInt(&ok);
        *range = {hundred * 100, hundred * 100 + 99};
        return ok && hundred >= 1 && hundred <= 5;
    }
    if (text.contains(u'-')) {
        const auto parts = text.split(u'-');
        bool ok2 = false;
        *range = {parts.value(0).toInt(&ok), parts.value(1).toInt(&ok2)};
        return ok && ok2 && range->first >= 100 && range->second <= 599 &&
               range->first <= range->second;
    }
    const int code = text.toInt(&ok);
    *range = {code, code};
    return ok && code >= 100 && code <= 599;
}

// A YAML tree as JSON: strings become templates (checked here), everything else keeps its type.
std::optional<QJsonValue> jsonTemplate(const config::ConfigNode &node, config::MapReader &r)
{
    if (node.isMap()) {
        QJsonObject o;
        for (const auto &[key, item] : node.entries()) {
            auto value = jsonTemplate(item, r);
            if (!value)
                return std::nullopt;
            o.insert(key.scalar(), *value);
        }
        return o;
    }
    if (node.isSequence()) {
        QJsonArray a;
        for (const auto &item : node.items()) {
            auto value = jsonTemplate(item, r);
            if (!value)
                return std::nullopt;
            a.append(*value);
        }
        return a;
    }
    if (node.isNull())
        return QJsonValue();
    const QString text = node.scalar();
    if (!node.isQuoted()) {
        if (text == u"true" || text == u"false")
            return QJsonValue(text == u"true");
        bool ok = false;
        const double number = text.toDouble(&ok);
        if (ok)
            return QJsonValue(number);
    }
    if (const auto parsed = Template::parse(text); !parsed) {
        r.errorAt(QStringLiteral("json"),
                  QStringLiteral("in 'json' of %1: %2").arg(r.what(), parsed.error().message));
        return std::nullopt;
    }
    return QJsonValue(text);
}

QJsonValue renderJson(const QJsonValue &value, const QJsonObject &vars, QStringList *missing)
{
    if (value.isObject()) {
        QJsonObject o;
        const auto in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it)
            o.insert(it.key(), renderJson(it.value(), vars, missing));
        return o;
    }
    if (value.isArray()) {
        QJsonArray a;
        for (const auto &item : value.toArray())
            a.append(renderJson(item, vars, missing));
        return a;
    }
    if (value.isString())
        return Template::parse(value.toString())
            .valueOr(Template())
            .render(vars, Escape::None, missing);
    return value;
}

} // namespace

HttpExecutor::HttpExecutor(Options options, std::unique_ptr<http::Client> client)
    : m_options(std::move(options))
    , m_client(std::move(client))
{}

HttpExecutor::~HttpExecutor() = default;

std::unique_ptr<Executor> HttpExecutor::create(config::MapReader &r, const QString &name,
                                               const config::Config &config)
{
    Options o;
    o.name = name;
    o.baseUrl = r.string(QStringLiteral("base_url"), QString());
    if (!o.baseUrl.isEmpty()) {
        const QUrl base(o.baseUrl);
        if (!base.isValid() || (base.scheme() != u"http" && base.scheme() != u"https"))
            r.errorAt(QStringLiteral("base_url"),
                      QStringLiteral("'base_url' of %1 must be an http:// or https:// URL")
                          .arg(r.what()));
        while (o.baseUrl.endsWith(u'/'))
            o.baseUrl.chop(1);
    }
    o.tlsVerify = r.boolean(QStringLiteral("tls_verify")).value_or(true);
    const qint64 defaultTimeout = r.durationMs(QStringLiteral("timeout"), qint64(10'000));
    if (const auto headers = r.stringMap(QStringLiteral("headers"))) {
        for (const auto &[header, value] : *headers) {
            const auto secret = config::Secret::parse(value, config.baseDirectory);
            if (!secret)
                r.errorAt(QStringLiteral("headers"),
                          QStringLiteral("header '%1' of %2: %3")
                              .arg(header, r.what(), secret.error().message));
            else
                o.headers.append({header, *secret});
        }
    }
    const auto actions = r.value(QStringLiteral("actions"));
    if (actions.isNull() || !actions.isMap()) {
        r.errorAt(QStringLiteral("actions"),
                  QStringLiteral("%1 needs 'actions': a map of action name to the request it "
                                 "sends")
                      .arg(r.what()));
        return nullptr;
    }
    config::MapReader all(actions, r.diagnostics(), QStringLiteral("actions of ") + r.what());
    for (const auto &[key, spec] : actions.entries()) {
        const QString actionName = key.scalar();
        (void)all.value(actionName);
        config::MapReader a(spec, r.diagnostics(),
                            QStringLiteral("action '%1' of %2").arg(actionName, r.what()));
        if (!a.isMap())
            continue;
        Action action;
        if (const auto method =
                a.choice(QStringLiteral("method"),
                         {QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                          QStringLiteral("PATCH"), QStringLiteral("DELETE")}))
            action.method = method->toLatin1();
        if (const auto url = a.string(QStringLiteral("url"), config::Need::Required)) {
            if (auto t = Template::parse(*url)) {
                action.url = *t;
                const QString sample = (url->startsWith(u'/') ? o.baseUrl : QString()) +
                                       t->render({}, Escape::None, nullptr);
                const QUrl probe(sample);
                if (url->startsWith(u'/') && o.baseUrl.isEmpty())
                    a.errorAt(QStringLiteral("url"),
                              QStringLiteral("'url' of %1 is a path, so %2 needs 'base_url'")
                                  .arg(a.what(), r.what()));
                else if (!probe.isValid() ||
                         (probe.scheme() != u"http" && probe.scheme() != u"https"))
                    a.errorAt(QStringLiteral("url"),
                              QStringLiteral("'url' of %1 must be an http:// or https:// URL "
                                             "(or a path after 'base_url'), found '%2'")
                                  .arg(a.what(), *url));
            } else {
                a.errorAt(QStringLiteral("url"),
                          QStringLiteral("in %1: %2").arg(a.what(), t.error().message));
            }
        }
        if (const auto headers = a.stringMap(QStringLiteral("headers"))) {
            for (const auto &[header, value] : *headers) {
                if (auto t = Template::parse(value))
                    action.headers.append({header, *t});
                else
                    a.errorAt(QStringLiteral("headers"),
                              QStringLiteral("in %1: %2").arg(a.what(), t.error().message));
            }
        }
        const auto json = a.value(QStringLiteral("json"));
        const auto body = a.string(QStringLiteral("body"));
        if (!json.isNull() && body)
            a.errorAt(QStringLiteral("body"),
                      QStringLiteral("%1 has both 'json' and 'body'; use one").arg(a.what()));
        if (!json.isNull())
            action.json = jsonTemplate(json, a);
        if (body) {
            if (auto t = Template::parse(*body))
                action.body = *t;
            else
                a.errorAt(QStringLiteral("body"),
                          QStringLiteral("in %1: %2").arg(a.what(), t.error().message));
        }
        action.contentType = a.string(QStringLiteral("content_type"),
                                      action.json ? QStringLiteral("application/json")
                                                  : QStringLiteral("text/plain; charset=utf-8"));
        if (const auto statuses = a.stringList(QStringLiteral("expect_status"))) {
            action.expectStatus.clear();
            for (const auto &s : *statuses) {
                QPair<int, int> range;
                if (!parseStatus(s.trimmed(), &range))
                    a.errorAt(QStringLiteral("expect_status"),
                              QStringLiteral("'%1' in 'expect_status' of %2 is not a status code "
                                             "(204), class (2xx) or range (200-299)")
                                  .arg(s, a.what()));
                else
                    action.expectStatus.append(range);
            }
        }
        action.timeoutMs = a.durationMs(QStringLiteral("timeout"), defaultTimeout);
        action.idempotent = a.boolean(QStringLiteral("idempotent")).value_or(false);
        a.finish();
        o.actions.insert(actionName, action);
    }
    all.finish();
    return std::make_unique<HttpExecutor>(std::move(o), nullptr);
}

QStringList HttpExecutor::actions() const
{
    auto names = m_options.actions.keys();
    names.sort();
    return names;
}

bool HttpExecutor::idempotent(const QString &action) const
{
    return m_options.actions.value(action).idempotent;
}

void HttpExecutor::execute(const QString &actionName, const QJsonObject &params, Done done)
{
    const auto it = m_options.actions.constFind(actionName);
    if (it == m_options.actions.cend()) {
        done({false,
              false,
              QStringLiteral("executor '%1' has no action '%2'").arg(m_options.name, actionName),
              {},
              {}});
        return;
    }
    const auto &action = *it;
    const auto vars = stepVariables(params);
    QStringList missing;
    Redactor redactor;
    http::Request request;
    request.method = action.method;
    const QString path = action.url.render(vars, Escape::UrlComponent, &missing);
    request.url = QUrl(action.url.text().startsWith(u'/') ? m_options.baseUrl + path : path);
    request.timeoutMs = stepTimeoutMs(params, action.timeoutMs);
    request.tlsVerify = m_options.tlsVerify;
    request.maxBytes = 1024 * 1024;
    for (const auto &[name, secret] : m_options.headers) {
        const auto value = secret.resolve();
        if (!value) {
            done({false,
                  false,
                  QStringLiteral("header %1 of executor '%2': %3")
                      .arg(name, m_options.name, value.error().message),
                  {},
                  {}});
            return;
        }
        if (secret.source() != config::Secret::Source::Literal)
            redactor.add(*value);
        request.headers.append({name.toUtf8(), value->toUtf8()});
    }
    for (const auto &[name, value] : action.headers)
        request.headers.append(
            {name.toUtf8(), value.render(vars, Escape::None, &missing).toUtf8()});
    if (action.json) {
        const auto rendered = renderJson(*action.json, vars, &missing);
        request.body = rendered.isArray()
                           ? QJsonDocument(rendered.toArray()).toJson(QJsonDocument::Compact)
                           : QJsonDocument(rendered.toObject()).toJson(QJsonDocument::Compact);
    } else if (!action.body.isEmpty()) {
        request.body = action.body.render(vars, Escape::None, &missing).toUtf8();
    }
    if (!request.body.isEmpty())
        request.headers.append({"Content-Type", action.contentType.toUtf8()});
    if (!missing.isEmpty()) {
        done({false,
              false,
              QStringLiteral("action '%1' of executor '%2' needs {{%3}}, which this step does not "
                             "have")
                  .arg(actionName, m_options.name, missing.join(QStringLiteral("}}, {{"))),
              {},
              {}});
        return;
    }
    if (!m_client)
        m_client = std::make_unique<http::Client>();
    const QString what = QStringLiteral("%1 %2").arg(QString::fromLatin1(request.method),
                                                     request.url.toString(QUrl::RemoveQuery));
    log()->info("{}: {} -> {}", m_options.name, actionName, redactor.apply(what));
    const auto expect = action.expectStatus;
    m_client->start(request, [done = std::move(done), redactor, what,
                              expect](const http::Response &response) {
        const QString body =
            redactor.apply(QString::fromUtf8(response.body.left(kKeptBody))).trimmed();
        if (response.status == 0) {
            done({false,
                  true,
                  redactor.apply(QStringLiteral("%1: %2").arg(what, response.error)),
                  {},
                  {}});
            return;
        }
        bool expected = false;
        for (const auto &[low, high] : expect)
            expected = expected || (response.status >= low && response.status <= high);
        if (!expected) {
            const bool retryable = response.status == 429 || response.status >= 500;
            done({false,
                  retryable,
                  redactor.apply(
                      QStringLiteral("%1 answered HTTP %2%3")
                          .arg(what)
                          .arg(response.status)
                          .arg(body.isEmpty() ? QString() : QStringLiteral(": ") + body.left(300))),
                  body,
                  {}});
            return;
        }
        done({true,
              false,
              redactor.apply(QStringLiteral("%1: HTTP %2").arg(what).arg(response.status)),
              body,
              {}});
    });
}

} // namespace rwd::executors
