#pragma once

// How the aggregates read and write their rows: values bound as SQL, JSON columns, WHERE clauses
// built from optional filters, and the one-row / every-row shape of their SELECTs. Internal to
// backend/store: callers see the aggregates' structs, never a QSqlQuery.

#include "database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantList>

#include <optional>
#include <utility>

namespace rwd::store::sql {

// A null QString binds as SQL NULL; text columns are NOT NULL, so bind "" instead.
inline QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

// 0 (not happened, none) binds as SQL NULL.
inline QVariant nullableTime(qint64 ms)
{
    return ms > 0 ? QVariant(ms) : QVariant(QMetaType::fromType<qint64>());
}
inline QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

inline QString compactJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
inline QString compactJson(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

inline QJsonObject jsonObject(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}
inline QJsonArray jsonArray(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).array();
}

// "WHERE a AND b", or nothing when there is no condition.
inline QString where(const QStringList &conditions)
{
    return conditions.isEmpty()
               ? QString()
               : QStringLiteral("WHERE ") + conditions.join(QStringLiteral(" AND "));
}

// Runs an INSERT; the id of the row it inserted, 0 when it failed.
inline qint64 insertedId(const Database &db, const QString &sql, const QVariantList &bindings)
{
    auto q = db.query();
    if (!db.run(q, sql, bindings))
        return 0;
    return q.lastInsertId().toLongLong();
}

// The first row of a SELECT as `from` maps it (a function of the query on that row), if any.
template<typename From>
auto one(const Database &db, const QString &sql, const QVariantList &bindings, From from)
    -> std::optional<decltype(from(std::declval<const QSqlQuery &>()))>
{
    auto q = db.query();
    if (!db.run(q, sql, bindings) || !q.next())
        return std::nullopt;
    return from(q);
}

// Every row of a SELECT as `from` maps it, in the query's order; none when it failed.
template<typename From>
auto all(const Database &db, const QString &sql, const QVariantList &bindings, From from)
    -> QList<decltype(from(std::declval<const QSqlQuery &>()))>
{
    QList<decltype(from(std::declval<const QSqlQuery &>()))> out;
    auto q = db.query();
    if (!db.run(q, sql, bindings))
        return out;
    while (q.next())
        out.append(from(q));
    return out;
}

} // namespace rwd::store::sql
