#include "requests.h"

#include "jsonbody.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace rwd::api {

Result<releases::DeploymentRequest> parseDeploymentRequest(const QByteArray &raw)
{
    JsonBody body(raw);
    releases::DeploymentRequest d;
    d.service = body.string(QStringLiteral("service"), true, 64).value_or(QString());
    d.version = body.string(QStringLiteral("version"), true, 128).value_or(QString());
    d.artifact = body.string(QStringLiteral("artifact"), false).value_or(QString());
    d.target = body.string(QStringLiteral("target"), false, 64).value_or(QString());
    d.pipeline = body.string(QStringLiteral("pipeline"), false).value_or(QString());
    d.deployedBy = body.string(QStringLiteral("deployed_by"), false, 128).value_or(QString());
    const auto metadata = body.value(QStringLiteral("metadata"));
    d.freezeOverride =
        body.string(QStringLiteral("override_freeze"), false, 2000).value_or(QString());
    if (const auto finished = body.finish(); !finished)
        return finished.error();
    if (metadata) {
        if (!metadata->isObject())
            return Error{QStringLiteral("invalid_request"),
                         QStringLiteral("'metadata' must be an object of text values")};
        const auto object = metadata->toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString() || it.key().size() > 64 ||
                it.value().toString().size() > 1024)
                return Error{QStringLiteral("invalid_request"),
                             QStringLiteral("'metadata.%1' must be text (keys up to 64 "
                                            "characters, values up to 1024)")
                                 .arg(it.key().left(64))};
        }
        d.metadata = object;
    }
    return d;
}

Result<orchestrator::RollbackRequest> parseRollbackRequest(const QByteArray &raw)
{
    JsonBody body(raw);
    orchestrator::RollbackRequest request;
    request.services = body.stringList(QStringLiteral("services"), true).value_or(QStringList{});
    request.reason = body.string(QStringLiteral("reason"), true, 2000).value_or(QString());
    request.requestedBy =
        body.string(QStringLiteral("requested_by"), false, 128).value_or(QString());
    request.dryRun = body.boolean(QStringLiteral("dry_run")).value_or(false);
    request.rollbackClass =
        body.string(QStringLiteral("class"), false, 16).value_or(QStringLiteral("fast"));
    request.trigger = QStringLiteral("api");
    const auto versions = body.value(QStringLiteral("versions"));
    if (const auto finished = body.finish(); !finished)
        return finished.error();
    if (versions) {
        if (!versions->isObject())
            return Error{QStringLiteral("invalid_request"),
                         QStringLiteral("'versions' must map services to versions")};
        const auto object = versions->toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString())
                return Error{QStringLiteral("invalid_request"),
                             QStringLiteral("'versions.%1' must be a version (text)")
                                 .arg(it.key().left(64))};
            request.versions.insert(it.key(), it.value().toString());
        }
    }
    return request;
}

Result<std::optional<qint64>> parseTimeParam(const QString &name, const QString &text)
{
    if (text.isEmpty())
        return std::optional<qint64>{};
    bool isNumber = false;
    const qint64 ms = text.toLongLong(&isNumber);
    if (isNumber && ms >= 0)
        return std::optional<qint64>(ms);
    auto time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!isNumber && time.isValid()) {
        if (time.timeSpec() == Qt::LocalTime)
            time.setTimeSpec(Qt::UTC);
        return std::optional<qint64>(time.toMSecsSinceEpoch());
    }
    return Error{QStringLiteral("invalid_request"),
                 QStringLiteral("'%1' must be an ISO 8601 time (such as 2026-05-01T12:00:00Z) "
                                "or milliseconds since the epoch")
                     .arg(name)};
}

QStringList parseSeriesPrefixes(const QString &text)
{
    QStringList out;
    int depth = 0;
    qsizetype start = 0;
    const auto take = [&](qsizetype end) {
        const auto item = text.mid(start, end - start).trimmed();
        if (!item.isEmpty() && !out.contains(item))
            out.append(item);
        start = end + 1;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'(')
            ++depth;
        else if (c == u')' && depth > 0)
            --depth;
        else if (c == u',' && depth == 0)
            take(i);
    }
    take(text.size());
    return out;
}

Result<ClientMessage> parseClientMessage(const QByteArray &text)
{
    QJsonParseError parse{};
    const auto doc = QJsonDocument::fromJson(text, &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject())
        return Error{QStringLiteral("invalid_json"),
                     QStringLiteral("messages must be JSON objects")};
    const auto o = doc.object();
    ClientMessage m;
    m.type = o.value(QLatin1String("type")).toString();
    if (m.type == u"auth") {
        if (!o.value(QLatin1String("token")).isString())
            return Error{QStringLiteral("invalid_request"),
                         QStringLiteral("an auth message needs 'token' (text)")};
        m.token = o.value(QLatin1String("token")).toString();
        return m;
    }
    if (m.type == u"ping")
        return m;
    if (m.type == u"subscribe_metrics") {
        // Bounded: a subscription names services one by one, never thousands.
        constexpr qsizetype kMaxServices = 1000;
        const auto services = o.value(QLatin1String("services"));
        const auto list = services.toArray();
        const bool valid = services.isArray() && list.size() <= kMaxServices &&
                           std::all_of(list.begin(), list.end(), [](const QJsonValue &v) {
                               return v.isString() && v.toString().size() <= 64;
                           });
        if (!valid)
            return Error{QStringLiteral("invalid_request"),
                         QStringLiteral("a subscribe_metrics message needs 'services': a list "
                                        "of up to %1 service names")
                             .arg(kMaxServices)};
        for (const auto &v : list)
            m.services.append(v.toString());
        m.services.removeDuplicates();
        return m;
    }
    return Error{QStringLiteral("unknown_message_type"),
                 QStringLiteral("unknown message type '%1'").arg(m.type.left(64))};
}

} // namespace rwd::api
