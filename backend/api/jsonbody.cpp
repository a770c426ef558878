#include "jsonbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace rwd::api {

JsonBody::JsonBody(const QByteArray &body)
{
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        fail(QStringLiteral("invalid_json"), QStringLiteral("the body is not valid JSON: %1 at "
                                                            "offset %2")
                                                 .arg(error.errorString())
                                                 .arg(error.offset));
        return;
    }
    if (!doc.isObject()) {
        fail(QStringLiteral("invalid_json"), QStringLiteral("the body must be a JSON object"));
        return;
    }
    m_object = doc.object();
}

void JsonBody::fail(const QString &code, const QString &message)
{
    if (!m_error)
        m_error = Error{code, message};
}

std::optional<QJsonValue> JsonBody::take(const QString &key, bool required)
{
    m_known.insert(key);
    const auto v = m_object.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(QStringLiteral("invalid_request"), QStringLiteral("'%1' is required").arg(key));
        return std::nullopt;
    }
    return v;
}

std::optional<QString> JsonBody::string(const QString &key, bool required, qsizetype maxLength)
{
    const auto value = take(key, required);
    if (!value)
        return std::nullopt;
    const auto &v = *value;
    if (!v.isString()) {
        fail(QStringLiteral("invalid_request"), QStringLiteral("'%1' must be a string").arg(key));
        return std::nullopt;
    }
    if (v.toString().size() > maxLength) {
        fail(QStringLiteral("invalid_request"),
             QStringLiteral("'%1' is longer than %2 characters").arg(key).arg(maxLength));
        return std::nullopt;
    }
    return v.toString();
}

std::optional<QStringList> JsonBody::stringList(const QString &key, bool required)
{
    const auto value = take(key, required);
    if (!value)
        return std::nullopt;
    const auto &v = *value;
    if (!v.isArray()) {
        fail(QStringLiteral("invalid_request"),
             QStringLiteral("'%1' must be an array of strings").arg(key));
        return std::nullopt;
    }
    QStringList out;
    for (const auto &item : v.toArray()) {
        if (!item.isString()) {
            fail(QStringLiteral("invalid_request"),
                 QStringLiteral("'%1' must contain only strings").arg(key));
            return std::nullopt;
        }
        out.append(item.toString());
    }
    return out;
}

std::optional<bool> JsonBody::boolean(const QString &key)
{
    const auto value = take(key, false);
    if (!value)
        return std::nullopt;
    const auto &v = *value;
    if (!v.isBool()) {
        fail(QStringLiteral("invalid_request"),
             QStringLiteral("'%1' must be true or false").arg(key));
        return std::nullopt;
    }
    return v.toBool();
}

Result<void> JsonBody::finish()
{
    if (!m_error) {
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (!m_known.contains(it.key())) {
                QStringList known(m_known.begin(), m_known.end());
                known.sort();
                fail(QStringLiteral("invalid_request"),
                     QStringLiteral("unknown key '%1' (known: %2)")
                         .arg(it.key(), known.join(QStringLiteral(", "))));
                break;
            }
        }
    }
    if (m_error)
        return *m_error;
    return {};
}

} // namespace rwd::api
