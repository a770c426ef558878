#include "accounts.h"

#include "auth/passwords.h"
#include "common/protocol.h"
#include "config/secret.h"
#include "logging/logging.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace rwd::auth {

namespace {

auto log()
{
    return logging::get("auth");
}

Error err(const char *code, const QString &message)
{
    return {QString::fromLatin1(code), message};
}

} // namespace

Accounts::Accounts(const config::AuthConfig &config, store::Users &users, const Clock &clock)
    : m_config(config)
    , m_users(users)
    , m_clock(clock)
{}

Result<void> Accounts::validRoles(const QJsonObject &roles)
{
    for (auto it = roles.begin(); it != roles.end(); ++it) {
        if (!it.value().isArray())
            return failure(QStringLiteral("roles of '%1' must be a list").arg(it.key()));
        for (const auto &r : it.value().toArray()) {
            if (!config::kRoles.contains(r.toString()))
                return failure(QStringLiteral("unknown role '%1' (roles: %2)")
                                   .arg(r.toString(), config::kRoles.join(QStringLiteral(", "))));
        }
    }
    return {};
}

QStringList Accounts::bootstrap(const QList<config::UserConfig> &users,
                                const QString &baseDirectory)
{
    QStringList problems;
    const qint64 now = m_clock.nowMs();
    for (const auto &u : users) {
        store::User user = m_users.find(u.name).value_or(store::User{});
        user.name = u.name;
        user.fromConfig = true;
        user.disabledAtMs = 0; // back in the configuration: enabled again
        if (user.createdAtMs == 0)
            user.createdAtMs = now;
        QJsonObject roles;
        for (const auto &[env, list] : u.roles)
            roles.insert(env, QJsonArray::fromStringList(list));
        user.roles = roles;
        if (!u.passwordHash.isEmpty())
            user.passwordHash = u.passwordHash;
        if (!u.password.isEmpty()) {
            const auto secret = config::Secret::parse(u.password, baseDirectory);
            const auto value = secret ? secret->resolve() : Result<QString>(secret.error());
            if (!value) {
                problems.append(QStringLiteral("password of user '%1' (%2): %3")
                                    .arg(u.name, secret ? secret->redacted() : u.password,
                                         value.error().message));
            } else if (!verifyPassword(*value, user.passwordHash)) {
                // Hashed again only when it changed: hashing is deliberately slow.
                user.passwordHash = hashPassword(*value, m_config.pbkdf2Iterations);
            }
        }
        const qint64 id = m_users.save(user);
        if (id == 0) {
            problems.append(QStringLiteral("user '%1' could not be stored").arg(u.name));
            continue;
        }
        QSet<QString> declared; // hashes of the tokens the configuration gives this user
        for (const auto &[name, reference] : u.tokens) {
            const auto secret = config::Secret::parse(reference, baseDirectory);
            const auto value = secret ? secret->resolve() : Result<QString>(secret.error());
            if (!value || value->size() < 16) {
                problems.append(QStringLiteral("token '%1' of user '%2' (%3): %4")
                                    .arg(name, u.name, secret ? secret->redacted() : reference,
                                         value ? QStringLiteral("at least 16 characters are "
                                                                "needed")
                                               : value.error().message));
                continue;
            }
            const QString hash = hashToken(*value);
            declared.insert(hash);
            if (const auto known = m_users.tokenByHash(hash)) {
                if (known->revokedAtMs > 0 || known->userId != id)
                    problems.append(QStringLiteral("token '%1' of user '%2' was revoked or belongs "
                                                   "to another user; give it a new value")
                                        .arg(name, u.name));
                continue;
            }
            store::Token token;
            token.userId = id;
            token.kind = QStringLiteral("config");
            token.name = name;
            token.hash = hash;
            token.createdAtMs = now;
            (void)m_users.insertToken(token);
        }
        // A token taken out of the configuration (or given a new value) stops working.
        for (const auto &t : m_users.tokens(id)) {
            if (t.kind == u"config" && t.revokedAtMs == 0 && !declared.contains(t.hash)) {
                if (!m_users.revokeToken(t.id, now)) {
                    problems.append(QStringLiteral("token '%1' of user '%2' is no longer in the "
                                                   "configuration, but revoking it failed: %3")
                                        .arg(t.name, u.name, m_users.writeError()));
                    continue;
                }
                log()->warn("token '{}' of user '{}' is no longer in the configuration: revoked",
                            t.name, u.name);
            }
        }
        log()->info("user '{}' from the configuration ({} role entr{})", u.name, u.roles.size(),
                    u.roles.size() == 1 ? "y" : "ies");
    }
    // A user taken out of the configuration is disabled (kept, for the audit log's sake).
    for (auto stored : m_users.list()) {
        const bool declared = std::any_of(users.begin(), users.end(),
                                          [&](const auto &u) { return u.name == stored.name; });
        if (!stored.fromConfig || declared || stored.disabledAtMs > 0)
            continue;
        stored.disabledAtMs = now;
        (void)m_users.save(stored);
        log()->warn("user '{}' is no longer in the configuration: disabled", stored.name);
    }
    return problems;
}

Principal Accounts::principalOf(const store::User &user)
{
    Principal p;
    p.userId = user.id;
    p.name = user.name;
    for (auto it = user.roles.begin(); it != user.roles.end(); ++it) {
        QStringList list;
        for (const auto &r : it.value().toArray())
            list.append(r.toString());
        p.roles.insert(it.key(), list);
    }
    return p;
}

Result<Principal> Accounts::authenticate(const QString &token)
{
    if (token.isEmpty())
        return err("unauthenticated",
                   QStringLiteral("sign in first: send 'Authorization: Bearer TOKEN' (POST "
                                  "/api/v1/login gives a session token)"));
    const auto stored = m_users.tokenByHash(hashToken(token));
    const qint64 now = m_clock.nowMs();
    if (stored && stored->revokedAtMs > 0)
        revokedTokenUsed(*stored);
    if (!stored || stored->revokedAtMs > 0)
        return err("invalid_token", QStringLiteral("the token is not valid (unknown or revoked)"));
    if (stored->expiresAtMs > 0 && now >= stored->expiresAtMs)
        return err(stored->kind == u"session" ? "session_expired" : "invalid_token",
                   stored->kind == u"session" ? QStringLiteral("the session expired; sign in again")
                                              : QStringLiteral("the token expired"));
    const auto user = m_users.find(stored->userId);
    if (!user || user->disabledAtMs > 0)
        return err("invalid_token", QStringLiteral("the token's user is disabled"));
    // Last use, at most once a minute per token: an audit aid, not worth a write per request.
    // Not being able to note it does not make the token less valid.
    if (now - stored->lastUsedAtMs > 60'000 && !m_users.touchToken(stored->id, now))
        log()->warn("cannot note the last use of token #{}: {}", stored->id, m_users.writeError());
    auto principal = principalOf(*user);
    principal.tokenId = stored->id;
    principal.tokenKind = stored->kind;
    principal.expiresAtMs = stored->expiresAtMs;
    return principal;
}

qint64 Accounts::lockedFor(const QString &key)
{
    auto &failures = m_failures[key];
    const qint64 now = m_clock.nowMs();
    while (!failures.empty() && now - failures.front() >= m_config.lockoutMs)
        failures.pop_front();
    if (int(failures.size()) < m_config.maxFailedLogins)
        return 0;
    return failures.front() + m_config.lockoutMs - now;
}

void Accounts::failed(const QString &key)
{
    m_failures[key].push_back(m_clock.nowMs());
}

Result<Accounts::Session> Accounts::login(const QString &name, const QString &password,
                                          const QString &source, qint64 *retryAfterMs)
{
    const QString userKey = QStringLiteral("user:") + name;
    const QString sourceKey = QStringLiteral("source:") + source;
    const qint64 locked = std::max(lockedFor(userKey), lockedFor(sourceKey));
    if (locked > 0) {
        if (retryAfterMs)
            *retryAfterMs = locked;
        return err("too_many_attempts",
                   QStringLiteral("too many failed sign-ins; try again in %1 s")
                       .arg((locked + 999) / 1000));
    }
    const auto user = m_users.find(name);
    // The same answer, and the same work, for an unknown user as for a wrong password.
    const QString hash = user ? user->passwordHash
                              : QStringLiteral("pbkdf2-sha256$%1$AAAAAAAAAAAAAAAAAAAAAA==$"
                                               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                                    .arg(m_config.pbkdf2Iterations);
    const bool ok = verifyPassword(password, hash) && user && user->disabledAtMs == 0 &&
                    !user->passwordHash.isEmpty();
    if (!ok) {
        failed(userKey);
        failed(sourceKey);
        // The attempt that locks an address out is worth a security team's attention.
        if (int(m_failures.value(sourceKey).size()) == m_config.maxFailedLogins && m_alert)
            m_alert(QStringLiteral("repeated_failed_logins"),
                    QStringLiteral("%1 failed sign-ins from %2 within %3 s (the last as '%4'); "
                                   "sign-ins from there are refused for a while")
                        .arg(m_config.maxFailedLogins)
                        .arg(source)
                        .arg(m_config.lockoutMs / 1000)
                        .arg(name.left(64)),
                    QJsonObject{{"source", source},
                                {"user", name.left(64)},
                                {"failures", m_config.maxFailedLogins}});
        return err("invalid_credentials", QStringLiteral("wrong user name or password"));
    }
    m_failures.remove(userKey);
    Session session;
    session.token = newToken();
    session.expiresAtMs = m_clock.nowMs() + m_config.sessionTtlMs;
    store::Token token;
    token.userId = user->id;
    token.kind = QStringLiteral("session");
    token.name = QStringLiteral("session from %1").arg(source);
    token.hash = hashToken(session.token);
    token.createdAtMs = m_clock.nowMs();
    token.expiresAtMs = session.expiresAtMs;
    token.id = m_users.insertToken(token);
    if (token.id <= 0)
        return err("store_failed", QStringLiteral("the session could not be recorded; try again"));
    session.principal = principalOf(*user);
    session.principal.tokenId = token.id;
    session.principal.tokenKind = token.kind;
    session.principal.expiresAtMs = token.expiresAtMs;
    return session;
}

bool Accounts::logout(const Principal &principal)
{
    return principal.tokenKind == u"session" &&
           m_users.revokeToken(principal.tokenId, m_clock.nowMs());
}

Result<store::User> Accounts::addUser(const QString &name, const QString &password,
                                      const QJsonObject &roles)
{
    static const QRegularExpression kName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"));
    if (name == u"rewind")
        return err("invalid_request",
                   QStringLiteral("'rewind' is the name the daemon acts under; choose another"));
    if (!kName.match(name).hasMatch())
        return err("invalid_request",
                   QStringLiteral("a user name is 1 to 64 letters, digits and . _ @ - (starting "
                                  "with a letter or digit), not '%1'")
                       .arg(name));
    if (m_users.find(name))
        return err("conflict", QStringLiteral("a user named '%1' exists already").arg(name));
    if (const auto valid = validRoles(roles); !valid)
        return err("invalid_request", valid.error().message);
    if (!password.isEmpty() && password.size() < 12)
        return err("invalid_request", QStringLiteral("passwords need at least 12 characters"));
    store::User user;
    user.name = name;
    user.roles = roles;
    user.createdAtMs = m_clock.nowMs();
    if (!password.isEmpty())
        user.passwordHash = hashPassword(password, m_config.pbkdf2Iterations);
    user.id = m_users.save(user);
    if (user.id == 0)
        return err("store_failed", QStringLiteral("the user could not be stored"));
    return user;
}

Result<QPair<store::Token, QString>> Accounts::createToken(const QString &userName,
                                                           const QString &name, qint64 ttlMs)
{
    const auto user = m_users.find(userName);
    if (!user)
        return err("not_found", QStringLiteral("no user named '%1'").arg(userName));
    const QString value = newToken();
    store::Token token;
    token.userId = user->id;
    token.kind = QStringLiteral("api");
    token.name = name;
    token.hash = hashToken(value);
    token.createdAtMs = m_clock.nowMs();
    token.expiresAtMs = ttlMs > 0 ? token.createdAtMs + ttlMs : 0;
    token.id = m_users.insertToken(token);
    if (token.id == 0)
        return err("store_failed", QStringLiteral("the token could not be stored"));
    return QPair<store::Token, QString>{token, value};
}

Result<store::Token> Accounts::revokeToken(qint64 id, const Principal &by)
{
    const auto token = m_users.token(id);
    // Someone else's token is "not found" too: a caller learns nothing about other users' ids.
    if (!token || (token->userId != by.userId && !by.may(Permission::Admin)))
        return err("not_found", QStringLiteral("you have no token #%1").arg(id));
    if (!m_users.revokeToken(id, m_clock.nowMs()))
        return err("store_failed",
                   QStringLiteral("the token could not be revoked: %1").arg(m_users.writeError()));
    return *m_users.token(id);
}

void Accounts::revokedTokenUsed(const store::Token &token)
{
    // Once per token and lockout period: a client retrying in a loop is one alert.
    const qint64 now = m_clock.nowMs();
    auto &last = m_revokedAlerts[token.id];
    if (last > 0 && now - last < m_config.lockoutMs)
        return;
    last = now;
    const auto user = m_users.find(token.userId);
    const QString who = user ? user->name : QStringLiteral("#%1").arg(token.userId);
    log()->warn("revoked token '{}' of user '{}' was used", token.name, who);
    if (m_alert)
        m_alert(QStringLiteral("revoked_token_used"),
                QStringLiteral("the revoked %1 token '%2' of user '%3' was used")
                    .arg(token.kind, token.name, who),
                QJsonObject{{"user", who}, {"token", token.name}, {"token_id", token.id}});
}

QJsonObject Accounts::userJson(const store::User &user)
{
    return {{"id", user.id},
            {"name", user.name},
            {"roles", user.roles},
            {"password", !user.passwordHash.isEmpty()},
            {"from_config", user.fromConfig},
            {"disabled", user.disabledAtMs > 0}};
}

QJsonObject Accounts::tokenJson(const store::Token &token)
{
    QJsonObject o{{"id", token.id},
                  {"kind", token.kind},
                  {"name", token.name},
                  {"revoked", token.revokedAtMs > 0}};
    o.insert(QStringLiteral("created_at"), protocol::isoTime(token.createdAtMs));
    o.insert(QStringLiteral("expires_at"), token.expiresAtMs > 0
                                               ? QJsonValue(protocol::isoTime(token.expiresAtMs))
                                               : QJsonValue());
    o.insert(QStringLiteral("last_used_at"), token.lastUsedAtMs > 0
                                                 ? QJsonValue(protocol::isoTime(token.lastUsedAtMs))
                                                 : QJsonValue());
    return o;
}

} // namespace rwd::auth
