#include "messagetemplate.h"

namespace rwd::notify {

const QStringList &templateVariables()
{
    static const QStringList names{
        QStringLiteral("event"),        QStringLiteral("title"),
        QStringLiteral("severity"),     QStringLiteral("time"),
        QStringLiteral("rollback_id"),  QStringLiteral("service"),
        QStringLiteral("services"),     QStringLiteral("environment"),
        QStringLiteral("versions"),     QStringLiteral("trigger"),
        QStringLiteral("reason"),       QStringLiteral("requested_by"),
        QStringLiteral("class"),        QStringLiteral("strategy"),
        QStringLiteral("state"),        QStringLiteral("message"),
        QStringLiteral("duration"),     QStringLiteral("actions"),
        QStringLiteral("verification"), QStringLiteral("next_steps"),
        QStringLiteral("by"),           QStringLiteral("comment"),
        QStringLiteral("until"),        QStringLiteral("url"),
    };
    return names;
}

Result<MessageTemplate> MessageTemplate::parse(const QString &text)
{
    auto parsed = config::Placeholders::parse(
        text, [](const QString &name) { return templateVariables().contains(name); },
        templateVariables(), {});
    if (!parsed)
        return std::move(parsed).error();
    MessageTemplate t;
    t.m_text = std::move(*parsed);
    return t;
}

QString MessageTemplate::render(const QJsonObject &vars) const
{
    return m_text.render([&](const QString &name) -> QString {
        const auto value = vars.value(name);
        if (value.isString())
            return value.toString();
        if (value.isDouble())
            return QString::number(value.toInteger(qint64(value.toDouble())));
        if (value.isBool())
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return {}; // a template may serve events that do not have this variable
    });
}

} // namespace rwd::notify
