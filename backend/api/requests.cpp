#include "requests.h"

#include "jsonbody.h"

#include <QJsonDocument>

namespace rwd::api {

std::variant<releases::DeploymentRequest, Error> parseDeploymentRequest(const QByteArray &raw)
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
    if (const auto error = body.finish())
        return *error;
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

std::variant<orchestrator::RollbackRequest, Error> parseRollbackRequest(const QByteArray &raw)
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
    if (const auto error = body.finish())
        return *error;
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

std::variant<ClientMessage, Error> parseClientMessage(const QByteArray &text)
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
    return Error{QStringLiteral("unknown_message_type"),
                 QStringLiteral("unknown message type '%1'").arg(m.type.left(64))};
}

} // namespace rwd::api
