#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::fleet {

// Helpers for the strict JSON handling of the control API: anything unexpected is rejected with
// a message that names the offending field, never silently ignored.

// Parses body as a JSON object; on failure returns false and sets *error.
bool parseJsonObject(const QByteArray &body, QJsonObject *out, QString *error);

// Returns false and names the first key of object that is not in allowed.
bool rejectUnknownKeys(const QJsonObject &object, const QStringList &allowed, QString *error);

// The value as an integer if it is a JSON number with no fractional part inside [min, max].
[[nodiscard]] std::optional<qint64> integerValue(const QJsonValue &value, qint64 min, qint64 max);

[[nodiscard]] QByteArray toCompactJson(const QJsonObject &object);

// {"code": code, "message": message}: the error body of every fleet HTTP endpoint.
[[nodiscard]] QByteArray errorJson(const QString &code, const QString &message);

} // namespace rwd::fleet
