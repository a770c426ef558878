#include "webhooknotifier.h"

#include "common/protocol.h"
#include "http/client.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace rwd::notify {

namespace {

// Headers Rewind sets itself; configuration may not replace them.
const QStringList &reservedHeaders()
{
    static const QStringList names{QStringLiteral("content-type"),
                                   QStringLiteral("content-length"),
                                   QStringLiteral("host"),
                                   QStringLiteral("x-rewind-event"),
                                   QStringLiteral("x-rewind-timestamp"),
                                   QStringLiteral("x-rewind-signature")};
    return names;
}

} // namespace

WebhookNotifier::WebhookNotifier(Options options)
    : m_options(std::move(options))
{}

WebhookNotifier::~WebhookNotifier() = default;

std::unique_ptr<Notifier> WebhookNotifier::create(config::MapReader &r, const QString &name,
                                                  const config::Config &config)
{
    Options o;
    o.name = name;
    const auto format =
        r.choice(QStringLiteral("format"), {QStringLiteral("rewind"), QStringLiteral("pagerduty")});
    o.format = format == u"pagerduty" ? Format::PagerDuty : Format::Rewind;
    const bool pagerDuty = o.format == Format::PagerDuty;
    if (auto url = httpnotify::readUrl(r, QStringLiteral("url"), config,
                                       pagerDuty ? config::Need::Optional : config::Need::Required))
        o.url = *url;
    else if (pagerDuty && !r.has(QStringLiteral("url")))
        o.url = *config::Secret::parse(QString::fromLatin1(kPagerDutyUrl), {});
    const auto readSecret = [&](const QString &key) -> std::optional<config::Secret> {
        const auto text = r.string(key);
        if (!text)
            return std::nullopt;
        auto secret = config::Secret::parse(*text, config.baseDirectory);
        if (!secret) {
            r.errorAt(key,
                      QStringLiteral("'%1' of %2: %3").arg(key, r.what(), secret.error().message));
            return std::nullopt;
        }
        if (secret->isEmpty())
            r.errorAt(key, QStringLiteral("'%1' of %2 is empty").arg(key, r.what()));
        return *std::move(secret);
    };
    o.secret = readSecret(QStringLiteral("secret"));
    const auto routingKey = readSecret(QStringLiteral("routing_key"));
    if (pagerDuty && !routingKey && !r.has(QStringLiteral("routing_key")))
        r.errorAt(QStringLiteral("routing_key"),
                  QStringLiteral("%1 has 'format: pagerduty', so it needs 'routing_key' (the "
                                 "integration key, e.g. env:PAGERDUTY_ROUTING_KEY)")
                      .arg(r.what()));
    if (!pagerDuty && r.has(QStringLiteral("routing_key")))
        r.errorAt(QStringLiteral("routing_key"),
                  QStringLiteral("'routing_key' of %1 is only used with 'format: pagerduty'")
                      .arg(r.what()));
    if (routingKey)
        o.routingKey = *routingKey;
    if (const auto headers = r.stringMap(QStringLiteral("headers"))) {
        for (const auto &[header, value] : *headers) {
            const auto secret = config::Secret::parse(value, config.baseDirectory);
            if (reservedHeaders().contains(header.toLower()))
                r.errorAt(QStringLiteral("headers"),
                          QStringLiteral("%1 may not set header '%2': Rewind sets it")
                              .arg(r.what(), header));
            else if (!secret)
                r.errorAt(QStringLiteral("headers"),
                          QStringLiteral("header '%1' of %2: %3")
                              .arg(header, r.what(), secret.error().message));
            else
                o.headers.append({header, *secret});
        }
    }
    o.transport = httpnotify::readTransport(r);
    return std::make_unique<WebhookNotifier>(std::move(o));
}

QJsonObject WebhookNotifier::rewindBody(const Message &message, qint64 sentAtMs)
{
    return QJsonObject{{"event", message.event},   {"title", message.title},
                       {"text", message.text},     {"severity", message.severity},
                       {"fields", message.fields}, {"sent_at", protocol::isoTime(sentAtMs)}};
}

QJsonObject WebhookNotifier::pagerDutyBody(const Message &message, const QString &routingKey,
                                           qint64 sentAtMs)
{
    // PagerDuty's severities are critical, error, warning and info; Rewind's are a subset.
    const QString severity = message.severity == u"critical" || message.severity == u"warning"
                                 ? message.severity
                                 : QStringLiteral("info");
    QJsonObject payload{{"summary", message.title.left(1024)},
                        {"source", "rewind"},
                        {"severity", severity},
                        {"timestamp", protocol::isoTime(sentAtMs)},
                        {"class", message.event},
                        {"custom_details", message.fields}};
    const QString service = message.fields.value(QLatin1String("service")).toString();
    if (!service.isEmpty())
        payload.insert(QLatin1String("component"), service);
    const QString environment = message.fields.value(QLatin1String("environment")).toString();
    if (!environment.isEmpty())
        payload.insert(QLatin1String("group"), environment);
    // One PagerDuty alert per rollback: every event about it updates that alert, and success
    // resolves it.
    QJsonObject body{
        {"routing_key", routingKey},
        {"event_action", message.event == u"rollback_succeeded" ? "resolve" : "trigger"},
        {"payload", payload}};
    const qint64 rollbackId = message.fields.value(QLatin1String("rollback_id")).toInteger();
    if (rollbackId > 0)
        body.insert(QLatin1String("dedup_key"),
                    QStringLiteral("rewind-rollback-%1").arg(rollbackId));
    return body;
}

QByteArray WebhookNotifier::signature(const QByteArray &secret, qint64 timestamp,
                                      const QByteArray &body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(QByteArray::number(timestamp));
    mac.addData(".");
    mac.addData(body);
    return "sha256=" + mac.result().toHex();
}

void WebhookNotifier::send(const Message &message, Done done)
{
    if (!m_client)
        m_client = std::make_unique<http::Client>();
    const QString what = QStringLiteral("webhook '%1'").arg(m_options.name);
    const auto fail = [this, &done](const QString &error) {
        // Reported from the event loop, like every other outcome.
        QMetaObject::invokeMethod(
            m_client.get(),
            [done = std::move(done), error] {
                done({false, false, error});
            },
            Qt::QueuedConnection);
    };
    executors::Redactor redactor;
    const auto url = httpnotify::resolveUrl(m_options.url, what, redactor);
    if (!url)
        return fail(url.error().message);
    const qint64 sentAtMs =
        message.sentAtMs > 0 ? message.sentAtMs : QDateTime::currentMSecsSinceEpoch();
    const qint64 timestamp = sentAtMs / 1000;
    QJsonObject body;
    if (m_options.format == Format::PagerDuty) {
        const auto key = httpnotify::resolveSecret(
            m_options.routingKey, QStringLiteral("the routing_key of ") + what, redactor);
        if (!key)
            return fail(key.error().message);
        body = pagerDutyBody(message, *key, sentAtMs);
    } else {
        body = rewindBody(message, sentAtMs);
    }
    http::Request request;
    request.method = "POST";
    request.url = *url;
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.headers = {{"Content-Type", "application/json; charset=utf-8"},
                       {"User-Agent", "rewind-notify/1"},
                       {"X-Rewind-Event", message.event.toUtf8()},
                       {"X-Rewind-Timestamp", QByteArray::number(timestamp)}};
    if (m_options.secret) {
        const auto key = httpnotify::resolveSecret(
            *m_options.secret, QStringLiteral("the secret of ") + what, redactor);
        if (!key)
            return fail(key.error().message);
        request.headers.append(
            {"X-Rewind-Signature", signature(key->toUtf8(), timestamp, request.body)});
    }
    for (const auto &[name, secret] : m_options.headers) {
        const auto value = httpnotify::resolveSecret(
            secret, QStringLiteral("header %1 of %2").arg(name, what), redactor);
        if (!value)
            return fail(value.error().message);
        request.headers.append({name.toUtf8(), value->toUtf8()});
    }
    request.timeoutMs = m_options.transport.timeoutMs;
    request.tlsVerify = m_options.transport.tlsVerify;
    request.maxBytes = 64 * 1024;
    const QString target = QStringLiteral("%1 (%2)").arg(what, httpnotify::origin(*url));
    m_client->start(request,
                    [done = std::move(done), target, redactor](const http::Response &response) {
                        const bool accepted = response.status >= 200 && response.status <= 299;
                        done(httpnotify::result(response, target, accepted, redactor));
                    });
}

} // namespace rwd::notify
