#include "email/emailnotifier.h"
#include "messagetemplate.h"
#include "notifier.h"
#include "slack/slacknotifier.h"
#include "webhook/webhooknotifier.h"

namespace rwd::notify {

namespace {

// The loader reads `templates:` (an event → text map) as text only; the variables a text may
// name are a notifier matter, so every factory checks them.
void checkTemplates(config::MapReader &r)
{
    const auto node = r.value(QStringLiteral("templates"));
    if (!node.isMap())
        return;
    for (const auto &[key, value] : node.entries()) {
        if (!value.isScalar())
            continue; // reported by the loader
        const QString event = key.scalar();
        const QString text = value.scalar();
        if (const auto parsed = MessageTemplate::parse(text); !parsed)
            r.errorAt(QStringLiteral("templates"),
                      QStringLiteral("template '%1' of %2: %3")
                          .arg(event, r.what(), parsed.error().message));
    }
}

NotifierRegistry::Factory withTemplates(NotifierRegistry::Factory make)
{
    return [make = std::move(make)](config::MapReader &r, const QString &name,
                                    const config::Config &config) {
        checkTemplates(r);
        return make(r, name, config);
    };
}

} // namespace

NotifierRegistry builtinNotifiers()
{
    NotifierRegistry registry;
    registry.add(QStringLiteral("slack"), withTemplates(&SlackNotifier::create));
    registry.add(QStringLiteral("webhook"), withTemplates(&WebhookNotifier::create));
    registry.add(QStringLiteral("email"), withTemplates(&EmailNotifier::create));
    return registry;
}

void addNotifierReaders(config::Catalog &catalog, const NotifierRegistry &registry)
{
    for (const auto &type : registry.types()) {
        const auto *make = registry.factory(type);
        catalog.notifiers.insert(type,
                                 [make](config::MapReader &options, const config::Config &config) {
                                     (void)(*make)(options, QStringLiteral("notification"), config);
                                 });
    }
}

} // namespace rwd::notify
