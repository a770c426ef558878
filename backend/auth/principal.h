#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace rwd::auth {

// What a request may do, per environment.
enum class Permission
{
    Read,    // see services, releases, rollbacks, incidents (viewer and up)
    Deploy,  // record deployments, push signals (operator)
    Operate, // request and abort rollbacks, add incident notes (operator)
    Approve, // approve or reject rollbacks, with the roles the environment's policy names
    Admin,   // users, tokens, the audit log (admin of every environment: roles {"*": [admin]})
};

// Who a request comes from, once its token was checked.
struct Principal
{
    qint64 userId = 0;
    QString name;
    QHash<QString, QStringList> roles; // environment or "*" -> roles
    qint64 tokenId = 0;
    QString tokenKind; // api, session
    qint64 expiresAtMs = 0;

    // The roles the user holds in `environment` (those of "*" included).
    [[nodiscard]] QStringList rolesIn(const QString &environment) const;
    [[nodiscard]] bool hasRole(const QString &role, const QString &environment) const;
    // Whether `permission` is granted in `environment`; for Read and Admin an empty environment
    // means "anywhere" (Read: some role somewhere; Admin: admin of "*").
    [[nodiscard]] bool may(Permission permission, const QString &environment = {}) const;
};

[[nodiscard]] QString permissionName(Permission permission);

} // namespace rwd::auth
