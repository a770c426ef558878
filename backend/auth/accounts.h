#pragma once

#include "common/clock.h"
#include "common/error.h"
#include "common/result.h"
#include "config/config.h"
#include "principal.h"
#include "store/users.h"

#include <QHash>

#include <deque>
#include <functional>
#include <optional>
#include <variant>

namespace rwd::auth {

// Users, their API tokens and sessions, in the store. Users declared in configuration are created
// or updated at every start (their passwords and tokens read from secrets and stored hashed);
// others are added through the API. Failed logins are rate-limited per user name and per source
// address: after `max_failed_logins` failures within `lockout`, logins are refused until the
// oldest failure is `lockout` old.
class Accounts
{
public:
    Accounts(const config::AuthConfig &config, store::Users &users, const Clock &clock);

    // Applies the configured users. Problems (a secret that cannot be read) are returned, one
    // per line, and the rest is still applied.
    QStringList bootstrap(const QList<config::UserConfig> &users, const QString &baseDirectory);

    // The principal a bearer token stands for; an error (unauthenticated, invalid_token,
    // session_expired) otherwise.
    [[nodiscard]] Result<Principal> authenticate(const QString &token);

    struct Session
    {
        QString token;
        qint64 expiresAtMs = 0;
        Principal principal;
    };
    // Checks the password and opens a session. Error codes: invalid_credentials (401),
    // too_many_attempts (429, `retryAfterMs` set).
    [[nodiscard]] Result<Session> login(const QString &name, const QString &password,
                                        const QString &source, qint64 *retryAfterMs = nullptr);
    bool logout(const Principal &principal);

    // Administration (the API checks the caller is an admin).
    [[nodiscard]] Result<store::User> addUser(const QString &name, const QString &password,
                                              const QJsonObject &roles);
    // A new API token for `user`: the token itself is in the result, and only there.
    [[nodiscard]] Result<QPair<store::Token, QString>>
    createToken(const QString &user, const QString &name, qint64 ttlMs);
    [[nodiscard]] Result<store::Token> revokeToken(qint64 id, const Principal &by);
    [[nodiscard]] QList<store::User> users() const { return m_users.list(); }

    // Told of what a security team should hear of: `kind` is repeated_failed_logins (an address
    // reached max_failed_logins) or revoked_token_used (at most once per token and lockout).
    using SecurityAlert =
        std::function<void(const QString &kind, const QString &message, const QJsonObject &data)>;
    void setSecurityAlert(SecurityAlert alert) { m_alert = std::move(alert); }

    [[nodiscard]] static Principal principalOf(const store::User &user);
    [[nodiscard]] static QJsonObject userJson(const store::User &user);
    [[nodiscard]] static QJsonObject tokenJson(const store::Token &token);
    [[nodiscard]] static Result<void> validRoles(const QJsonObject &roles);

private:
    // Whether `key` (a user or an address) is locked out now; prunes old failures.
    [[nodiscard]] qint64 lockedFor(const QString &key);
    void failed(const QString &key);
    void revokedTokenUsed(const store::Token &token);

    const config::AuthConfig &m_config;
    store::Users &m_users;
    const Clock &m_clock;
    QHash<QString, std::deque<qint64>> m_failures;
    QHash<qint64, qint64> m_revokedAlerts; // token id -> when its use was last alerted
    SecurityAlert m_alert;
};

} // namespace rwd::auth
