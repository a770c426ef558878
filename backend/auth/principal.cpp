#include "principal.h"

namespace rwd::auth {

QStringList Principal::rolesIn(const QString &environment) const
{
    QStringList out = roles.value(QStringLiteral("*"));
    for (const auto &r : roles.value(environment)) {
        if (!out.contains(r))
            out.append(r);
    }
    return out;
}

bool Principal::hasRole(const QString &role, const QString &environment) const
{
    const auto held = rolesIn(environment);
    return held.contains(role) || held.contains(QStringLiteral("admin"));
}

bool Principal::may(Permission permission, const QString &environment) const
{
    switch (permission) {
    case Permission::Read:
        if (environment.isEmpty()) {
            for (const auto &list : roles) {
                if (!list.isEmpty())
                    return true;
            }
            return false;
        }
        return !rolesIn(environment).isEmpty();
    case Permission::Deploy:
    case Permission::Operate:
        return hasRole(QStringLiteral("operator"), environment);
    case Permission::Approve:
        return hasRole(QStringLiteral("approver"), environment);
    case Permission::Admin:
        return roles.value(QStringLiteral("*")).contains(QStringLiteral("admin"));
    }
    return false;
}

QString permissionName(Permission permission)
{
    switch (permission) {
    case Permission::Read:
        return QStringLiteral("viewer");
    case Permission::Deploy:
    case Permission::Operate:
        return QStringLiteral("operator");
    case Permission::Approve:
        return QStringLiteral("approver");
    case Permission::Admin:
        return QStringLiteral("admin of every environment");
    }
    return {};
}

} // namespace rwd::auth
