#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::api {

// Reads a JSON request body strictly: it must be an object, required keys must be present,
// every value must have the expected type, and keys nobody asked for are an error. The first
// problem is kept as an Error with code `invalid_json` or `invalid_request`.
class JsonBody
{
public:
    explicit JsonBody(const QByteArray &body);

    std::optional<QString> string(const QString &key, bool required, qsizetype maxLength = 1024);
    std::optional<QStringList> stringList(const QString &key, bool required);
    std::optional<bool> boolean(const QString &key);
    // Any JSON value (marking the key known); nothing when absent or null.
    std::optional<QJsonValue> value(const QString &key) { return take(key, false); }
    // Reports unknown keys; fails with the first error found, if any.
    [[nodiscard]] Result<void> finish();

private:
    // The value of `key` (marking it known); nothing when absent or null, which is an error
    // when `required`.
    std::optional<QJsonValue> take(const QString &key, bool required);
    void fail(const QString &code, const QString &message);

    QJsonObject m_object;
    QSet<QString> m_known;
    std::optional<Error> m_error;
};

} // namespace rwd::api
