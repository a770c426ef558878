#pragma once

#include "config/config.h"
#include "config/configloader.h"
#include "config/typeregistry.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>

namespace rwd::notify {

// What is sent: rendered already; notifiers only format it for their channel.
struct Message
{
    QString event;      // one of config::kNotificationEvents
    QString title;      // one line: "Rollback #7 of api started"
    QString text;       // the body, plain text (from the template)
    QString severity;   // info, warning, critical
    QJsonObject fields; // service, environment, trigger, severity, time, actions, duration,
                        // verification, next_steps, rollback_id … (whatever the event gives)
    // When this attempt is sent, from the dispatcher's clock (webhook timestamps and signatures,
    // the email's Date). 0: the notifier reads the system clock.
    qint64 sentAtMs = 0;
};

// The outcome of one attempt. `message` is one line for people and never contains a secret (a
// webhook URL's path, a password, a signing key, a routing key).
struct Outcome
{
    bool ok = false;
    bool retryable =
        false; // worth another attempt later (a refused connection, 429, 5xx, 4xx SMTP)
    QString message;
};

// One notification channel. send() never blocks: it starts the work and reports through `done`,
// exactly once, from the event loop of the thread that owns the notifier — unless the notifier
// is destroyed first, in which case `done` is never called.
class Notifier
{
public:
    using Done = std::function<void(const Outcome &)>;

    virtual ~Notifier() = default;
    virtual void send(const Message &message, Done done) = 0;
};

// Notifier types by their YAML `type:`. A factory reads the type's own keys (the loader reads
// name, type, events, environments and templates) and must not touch the network: it also runs
// at config validation. Arguments: the notification's name and the whole configuration.
using NotifierRegistry =
    config::TypeRegistry<Notifier, const QString & /*name*/, const config::Config &>;

// slack, webhook and email. Every factory also validates the notification's `templates:` (each
// text may only name the variables of templateVariables()).
[[nodiscard]] NotifierRegistry builtinNotifiers();

// Fills `catalog.notifiers` from `registry` so that the loader validates every notification's
// own keys. `registry` must outlive the catalog's use.
void addNotifierReaders(config::Catalog &catalog, const NotifierRegistry &registry);

} // namespace rwd::notify
