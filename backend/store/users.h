#pragma once

#include "database.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace rwd::store {

struct User
{
    qint64 id = 0;
    QString name;
    QString passwordHash; // empty: no password login
    QJsonObject roles;    // environment (or "*") -> [role…]
    bool fromConfig = false;
    qint64 createdAtMs = 0;
    qint64 disabledAtMs = 0;
};

// An API token or a session.
struct Token
{
    qint64 id = 0;
    qint64 userId = 0;
    QString kind; // api, session
    QString name;
    QString hash; // SHA-256 of the token, hex
    qint64 createdAtMs = 0;
    qint64 expiresAtMs = 0; // 0: never
    qint64 revokedAtMs = 0;
    qint64 lastUsedAtMs = 0;
};

// Users (`users`: roles, password hash) and their API tokens and sessions (`tokens`, kept only
// as SHA-256 hashes).
class Users final : public Aggregate
{
public:
    explicit Users(Database &db)
        : Aggregate(db)
    {}

    [[nodiscard]] std::optional<User> find(const QString &name) const;
    [[nodiscard]] std::optional<User> find(qint64 id) const;
    // By name.
    [[nodiscard]] QList<User> list() const;
    // Inserts or updates by name; returns the id, 0 when it was not written.
    [[nodiscard]] qint64 save(const User &user);

    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 insertToken(const Token &token);
    [[nodiscard]] std::optional<Token> tokenByHash(const QString &hash) const;
    [[nodiscard]] std::optional<Token> token(qint64 id) const;
    // A user's tokens, oldest first.
    [[nodiscard]] QList<Token> tokens(qint64 userId) const;
    [[nodiscard]] bool revokeToken(qint64 id, qint64 atMs);
    // Notes the token's last use.
    [[nodiscard]] bool touchToken(qint64 id, qint64 atMs);
};

} // namespace rwd::store
