#pragma once

#include "auth/principal.h"
#include "common/result.h"
#include "config/config.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::server {

// Who may do what, in one place: a caller's roles per environment against the environment of
// each service concerned. Every application service asks here before it acts or reads; nothing
// else decides permissions (approvals are the orchestrator's, by the plan's approval policy).
class Access
{
public:
    explicit Access(const config::Config &config)
        : m_config(config)
    {}

    // The environment of `service`, empty when it is not configured.
    [[nodiscard]] QString environmentOf(const QString &service) const;
    // Reading a service's state and history: the read role in its environment (a service no
    // longer configured: an admin of every environment).
    [[nodiscard]] bool mayRead(const auth::Principal &who, const QString &service) const;
    // Something about `services` (none: anyone with a role anywhere).
    [[nodiscard]] bool mayReadAny(const auth::Principal &who, const QStringList &services) const;
    // forbidden (with what is missing where) unless `who` holds `permission` in the environment
    // of every one of `services`; Admin: in every environment.
    [[nodiscard]] Result<void> require(const auth::Principal &who, auth::Permission permission,
                                       const QStringList &services) const;
    // forbidden unless `who` holds `permission` in the environment of at least one of `services`
    // (`whose`: how the message names them, e.g. "incident's").
    [[nodiscard]] Result<void> requireInAny(const auth::Principal &who, auth::Permission permission,
                                            const QStringList &services,
                                            const QString &whose) const;
    // Recording a deployment despite a freeze: an admin of the service's environment only.
    [[nodiscard]] Result<void> requireFreezeOverride(const auth::Principal &who,
                                                     const QString &service) const;
    // What `who` may do per environment (GET /api/v1/me), as the server decides it.
    [[nodiscard]] QJsonObject permissions(const auth::Principal &who) const;

private:
    const config::Config &m_config;
};

} // namespace rwd::server
