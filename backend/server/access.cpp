#include "access.h"

#include <QJsonArray>

namespace rwd::server {

namespace {

Error forbidden(const QString &message)
{
    return {QStringLiteral("forbidden"), message};
}

} // namespace

QJsonObject Access::permissions(const auth::Principal &who) const
{
    QJsonObject out;
    for (const auto &env : m_config.environments) {
        const bool admin = who.hasRole(QStringLiteral("admin"), env.name);
        // Who may approve follows the policy's roles, as the orchestrator decides (approvals).
        bool approve = admin;
        for (const auto &role : env.approval.roles)
            approve = approve || who.hasRole(role, env.name);
        QJsonArray may;
        if (who.may(auth::Permission::Read, env.name))
            may.append(QStringLiteral("read"));
        if (who.may(auth::Permission::Deploy, env.name))
            may.append(QStringLiteral("deploy"));
        if (who.may(auth::Permission::Operate, env.name))
            may.append(QStringLiteral("operate"));
        if (approve)
            may.append(QStringLiteral("approve"));
        if (admin)
            may.append(QStringLiteral("admin"));
        if (!may.isEmpty())
            out.insert(env.name, may);
    }
    return out;
}

QString Access::environmentOf(const QString &service) const
{
    const auto *s = m_config.service(service);
    return s ? s->environment : QString();
}

bool Access::mayRead(const auth::Principal &who, const QString &service) const
{
    const QString env = environmentOf(service);
    // A service no longer configured: only admins of every environment see its history.
    return env.isEmpty() ? who.may(auth::Permission::Admin) : who.may(auth::Permission::Read, env);
}

bool Access::mayReadAny(const auth::Principal &who, const QStringList &services) const
{
    if (services.isEmpty())
        return who.may(auth::Permission::Read);
    for (const auto &s : services) {
        if (mayRead(who, s))
            return true;
    }
    return false;
}

Result<void> Access::require(const auth::Principal &who, auth::Permission permission,
                             const QStringList &services) const
{
    if (permission == auth::Permission::Admin) {
        if (!who.may(permission))
            return forbidden(
                QStringLiteral("%1 is not an admin of every environment").arg(who.name));
        return {};
    }
    for (const auto &service : services) {
        const QString env = environmentOf(service);
        if (env.isEmpty())
            continue; // unknown services are refused by what comes next, with their own code
        if (!who.may(permission, env))
            return forbidden(QStringLiteral("%1 needs the %2 role in %3 (for %4)")
                                 .arg(who.name, auth::permissionName(permission), env, service));
    }
    return {};
}

Result<void> Access::requireInAny(const auth::Principal &who, auth::Permission permission,
                                  const QStringList &services, const QString &whose) const
{
    for (const auto &s : services) {
        if (who.may(permission, environmentOf(s)))
            return {};
    }
    return forbidden(QStringLiteral("%1 needs the %2 role in an environment of the %3 services")
                         .arg(who.name, auth::permissionName(permission), whose));
}

Result<void> Access::requireFreezeOverride(const auth::Principal &who, const QString &service) const
{
    const QString env = environmentOf(service);
    if (who.hasRole(QStringLiteral("admin"), env))
        return {};
    return forbidden(
        QStringLiteral("only an admin of %1 may override a deployment freeze").arg(env));
}

} // namespace rwd::server
