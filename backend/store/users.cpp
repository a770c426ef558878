#include "users.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

const QString kUserColumns =
    QStringLiteral("id, name, password_hash, roles_json, from_config, created_at, disabled_at");

User userFrom(const QSqlQuery &q)
{
    User u;
    u.id = q.value(0).toLongLong();
    u.name = q.value(1).toString();
    u.passwordHash = q.value(2).toString();
    u.roles = jsonObject(q.value(3));
    u.fromConfig = q.value(4).toInt() != 0;
    u.createdAtMs = q.value(5).toLongLong();
    u.disabledAtMs = q.value(6).toLongLong();
    return u;
}

const QString kTokenColumns = QStringLiteral(
    "id, user_id, kind, name, hash, created_at, expires_at, revoked_at, last_used_at");

Token tokenFrom(const QSqlQuery &q)
{
    Token t;
    t.id = q.value(0).toLongLong();
    t.userId = q.value(1).toLongLong();
    t.kind = q.value(2).toString();
    t.name = q.value(3).toString();
    t.hash = q.value(4).toString();
    t.createdAtMs = q.value(5).toLongLong();
    t.expiresAtMs = q.value(6).toLongLong();
    t.revokedAtMs = q.value(7).toLongLong();
    t.lastUsedAtMs = q.value(8).toLongLong();
    return t;
}

} // namespace

std::optional<User> Users::find(const QString &name) const
{
    return one(db(), QStringLiteral("SELECT %1 FROM users WHERE name = ?").arg(kUserColumns),
               {name}, userFrom);
}

std::optional<User> Users::find(qint64 id) const
{
    return one(db(), QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(kUserColumns), {id},
               userFrom);
}

QList<User> Users::list() const
{
    return all(db(), QStringLiteral("SELECT %1 FROM users ORDER BY name").arg(kUserColumns), {},
               userFrom);
}

qint64 Users::save(const User &u)
{
    if (!db().run(QStringLiteral("INSERT INTO users (name, password_hash, roles_json, "
                                 "from_config, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?) "
                                 "ON CONFLICT(name) DO UPDATE SET password_hash = "
                                 "excluded.password_hash, roles_json = excluded.roles_json, "
                                 "from_config = excluded.from_config, "
                                 "disabled_at = excluded.disabled_at"),
                  {text(u.name), text(u.passwordHash), compactJson(u.roles), u.fromConfig ? 1 : 0,
                   u.createdAtMs, nullableTime(u.disabledAtMs)}))
        return 0;
    const auto saved = find(u.name);
    return saved ? saved->id : 0;
}

qint64 Users::insertToken(const Token &t)
{
    return insertedId(db(),
                      QStringLiteral("INSERT INTO tokens (user_id, kind, name, hash, created_at, "
                                     "expires_at) VALUES (?, ?, ?, ?, ?, ?)"),
                      {t.userId, text(t.kind), text(t.name), text(t.hash), t.createdAtMs,
                       nullableTime(t.expiresAtMs)});
}

std::optional<Token> Users::tokenByHash(const QString &hash) const
{
    return one(db(), QStringLiteral("SELECT %1 FROM tokens WHERE hash = ?").arg(kTokenColumns),
               {hash}, tokenFrom);
}

std::optional<Token> Users::token(qint64 id) const
{
    return one(db(), QStringLiteral("SELECT %1 FROM tokens WHERE id = ?").arg(kTokenColumns), {id},
               tokenFrom);
}

QList<Token> Users::tokens(qint64 userId) const
{
    return all(
        db(),
        QStringLiteral("SELECT %1 FROM tokens WHERE user_id = ? ORDER BY id").arg(kTokenColumns),
        {userId}, tokenFrom);
}

bool Users::revokeToken(qint64 id, qint64 atMs)
{
    return db().run(
        QStringLiteral("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
        {atMs, id});
}

bool Users::touchToken(qint64 id, qint64 atMs)
{
    return db().run(QStringLiteral("UPDATE tokens SET last_used_at = ? WHERE id = ?"), {atMs, id});
}

} // namespace rwd::store
