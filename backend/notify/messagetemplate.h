#pragma once

#include "config/placeholders.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::notify {

// Variables a notification template may name (docs/notifications.md, "Templates").
[[nodiscard]] const QStringList &templateVariables();

// The text of a notification with {{name}} placeholders, as written under `templates:`. The
// syntax is that of every template (config/placeholders.h), but the vocabulary differs from an
// executor's (an
// event's trigger, approver, duration… rather than a step's colour and address), and so does a
// missing value: a template may serve several events, so a variable an event does not have (the
// approver of a failed rollback) renders as nothing instead of being an error. Values are
// inserted as they are: every channel builds its payload as a JSON tree or a MIME part, never by
// pasting text into markup.
class MessageTemplate
{
public:
    MessageTemplate() = default;

    // Fails on an unclosed "{{" or a name not in templateVariables().
    [[nodiscard]] static Result<MessageTemplate> parse(const QString &text);

    [[nodiscard]] QString render(const QJsonObject &vars) const;
    [[nodiscard]] const QString &text() const { return m_text.text(); }

private:
    config::Placeholders m_text;
};

} // namespace rwd::notify
