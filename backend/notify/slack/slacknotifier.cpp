#include "slacknotifier.h"

#include "http/client.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rwd::notify {

namespace {

// Slack's limits: a header's text, a section's text, a field's text, fields per section.
constexpr qsizetype kHeaderChars = 150;
constexpr qsizetype kSectionChars = 3000;
constexpr qsizetype kFieldChars = 2000;
constexpr qsizetype kMaxFields = 10;

// The fields shown, in this order, when the message has them.
const QList<QPair<QString, QString>> &shownFields()
{
    static const QList<QPair<QString, QString>> fields{
        {QStringLiteral("service"), QStringLiteral("Service")},
        {QStringLiteral("environment"), QStringLiteral("Environment")},
        {QStringLiteral("trigger"), QStringLiteral("Trigger")},
        {QStringLiteral("severity"), QStringLiteral("Severity")},
        {QStringLiteral("state"), QStringLiteral("State")},
        {QStringLiteral("duration"), QStringLiteral("Duration")},
        {QStringLiteral("versions"), QStringLiteral("Versions")},
        {QStringLiteral("by"), QStringLiteral("By")},
        {QStringLiteral("until"), QStringLiteral("Frozen until")},
    };
    return fields;
}

QString clip(const QString &text, qsizetype max)
{
    return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026);
}

// mrkdwn gives &, < and > a meaning (entities, links, mentions): the text is shown as written.
QString escaped(QString text)
{
    text.replace(u'&', QStringLiteral("&amp;"));
    text.replace(u'<', QStringLiteral("&lt;"));
    text.replace(u'>', QStringLiteral("&gt;"));
    return text;
}

QString fieldText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger(qint64(value.toDouble())));
    return {};
}

QJsonObject mrkdwn(const QString &text)
{
    return QJsonObject{{"type", "mrkdwn"}, {"text", text}};
}

} // namespace

SlackNotifier::SlackNotifier(Options options)
    : m_options(std::move(options))
{}

SlackNotifier::~SlackNotifier() = default;

std::unique_ptr<Notifier> SlackNotifier::create(config::MapReader &r, const QString &name,
                                                const config::Config &config)
{
    Options o;
    o.name = name;
    if (auto url = httpnotify::readUrl(r, QStringLiteral("url"), config, config::Need::Required))
        o.url = *url;
    o.username = r.string(QStringLiteral("username"), QString());
    o.channel = r.string(QStringLiteral("channel"), QString());
    o.transport = httpnotify::readTransport(r);
    return std::make_unique<SlackNotifier>(std::move(o));
}

QJsonObject SlackNotifier::payload(const Message &message)
{
    QJsonArray blocks;
    blocks.append(QJsonObject{{"type", "header"},
                              {"text", QJsonObject{{"type", "plain_text"},
                                                   {"text", clip(message.title, kHeaderChars)}}}});
    if (!message.text.isEmpty())
        blocks.append(QJsonObject{{"type", "section"},
                                  {"text", mrkdwn(clip(escaped(message.text), kSectionChars))}});
    QJsonArray fields;
    for (const auto &[key, label] : shownFields()) {
        const QString value = key == u"severity" && !message.severity.isEmpty()
                                  ? message.severity
                                  : fieldText(message.fields.value(key));
        if (value.isEmpty() || fields.size() >= kMaxFields)
            continue;
        fields.append(
            mrkdwn(clip(QStringLiteral("*%1*\n%2").arg(label, escaped(value)), kFieldChars)));
    }
    if (!fields.isEmpty())
        blocks.append(QJsonObject{{"type", "section"}, {"fields", fields}});
    QStringList context;
    const QString time = fieldText(message.fields.value(QLatin1String("time")));
    if (!time.isEmpty())
        context.append(time);
    const QString rollback = fieldText(message.fields.value(QLatin1String("rollback_id")));
    if (!rollback.isEmpty())
        context.append(QStringLiteral("rollback #") + rollback);
    context.append(QStringLiteral("Rewind: ") + message.event);
    blocks.append(QJsonObject{
        {"type", "context"},
        {"elements", QJsonArray{mrkdwn(escaped(context.join(QStringLiteral(" · "))))}}});
    // `text` is what Slack shows in notifications and where blocks cannot be displayed.
    return QJsonObject{{"text", clip(escaped(message.title), kSectionChars)}, {"blocks", blocks}};
}

void SlackNotifier::send(const Message &message, Done done)
{
    if (!m_client)
        m_client = std::make_unique<http::Client>();
    const QString what = QStringLiteral("slack '%1'").arg(m_options.name);
    executors::Redactor redactor;
    const auto url = httpnotify::resolveUrl(m_options.url, what, redactor);
    if (!url) {
        // Reported from the event loop, like every other outcome.
        QMetaObject::invokeMethod(
            m_client.get(),
            [done = std::move(done), error = url.error().message] {
                done({false, false, error});
            },
            Qt::QueuedConnection);
        return;
    }
    auto body = payload(message);
    if (!m_options.username.isEmpty())
        body.insert(QLatin1String("username"), m_options.username);
    if (!m_options.channel.isEmpty())
        body.insert(QLatin1String("channel"), m_options.channel);
    http::Request request;
    request.method = "POST";
    request.url = *url;
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    request.headers = {{"Content-Type", "application/json; charset=utf-8"},
                       {"User-Agent", "rewind-notify/1"}};
    request.timeoutMs = m_options.transport.timeoutMs;
    request.tlsVerify = m_options.transport.tlsVerify;
    request.maxBytes = 64 * 1024;
    const QString target = QStringLiteral("%1 (%2)").arg(what, httpnotify::origin(*url));
    m_client->start(
        request, [done = std::move(done), target, redactor](const http::Response &response) {
            // Slack's own success answer is the body "ok"; anything else explains a refusal.
            const bool accepted = response.status == 200 && response.body.trimmed() == "ok";
            done(httpnotify::result(response, target, accepted, redactor));
        });
}

} // namespace rwd::notify
