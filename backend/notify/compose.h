#pragma once

#include "common/protocol.h"
#include "config/config.h"
#include "notifier.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::notify {

// Something worth telling people about, gathered from a daemon event (or, for rollback_slow,
// from time passing): what the messages are made from.
struct Notice
{
    QString event;       // one of config::kNotificationEvents
    qint64 eventSeq = 0; // the daemon event behind it; 0 for rollback_slow
    qint64 atMs = 0;     // when it happened
    std::optional<protocol::RollbackInfo> rollback;
    std::optional<protocol::FreezeInfo> freeze;
    QStringList services;    // what it concerns: the rollback's targets, the frozen service…
    QString by;              // approval_*: who decided
    QString comment;         // approval_*: what they said
    QString message;         // why it ended (rollback_finished), or the alert's text
    int approvals = 0;       // approval_*: approvals given so far …
    int approvalsNeeded = 0; // … of those the policy asks for (0: not known)
    qint64 runningForMs = 0; // rollback_slow
};

// What composing needs besides the notice: the services' environments, the freezes in force
// (so that next steps can say until when deployments are refused), and where Rewind's API is.
struct ComposeContext
{
    const config::Config *config = nullptr;
    QHash<QString, protocol::FreezeInfo> freezes; // by service
    QString apiBase;                              // http://HOST:PORT
};

struct Composed
{
    Message message;  // the built-in title and text
    QJsonObject vars; // every template variable the notice has, as text
};

// The severity of notifications about `event`: critical when someone must act now, warning
// while a rollback is underway or waits, info when it is over and well.
[[nodiscard]] QString severityOf(const QString &event);

// The environments of `services` in `config`, each once, in order.
[[nodiscard]] QStringList environmentsOf(const QStringList &services, const config::Config &config);

// The built-in message of `notice`: a title, a text with the parity fields (service, trigger,
// severity, time, actions taken, duration, verification results, next steps) and the same
// fields as JSON; and the template variables (templateVariables()).
[[nodiscard]] Composed compose(const Notice &notice, const ComposeContext &context);

} // namespace rwd::notify
