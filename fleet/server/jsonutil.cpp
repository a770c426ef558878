#include "jsonutil.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace rwd::fleet {

bool parseJsonObject(const QByteArray &body, QJsonObject *out, QString *error)
{
    if (body.trimmed().isEmpty()) {
        *error = QStringLiteral("request body must be a JSON object");
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("malformed JSON at offset %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return false;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("request body must be a JSON object");
        return false;
    }
    *out = document.object();
    return true;
}

bool rejectUnknownKeys(const QJsonObject &object, const QStringList &allowed, QString *error)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!allowed.contains(it.key())) {
            *error = QStringLiteral("unknown key \"%1\" (allowed: %2)")
                         .arg(it.key(), allowed.join(QStringLiteral(", ")));
            return false;
        }
    }
    return true;
}

std::optional<qint64> integerValue(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::floor(number) != number)
        return std::nullopt;
    if (number < static_cast<double>(min) || number > static_cast<double>(max))
        return std::nullopt;
    return static_cast<qint64>(number);
}

QByteArray toCompactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray errorJson(const QString &code, const QString &message)
{
    return toCompactJson(
        QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}});
}

} // namespace rwd::fleet
