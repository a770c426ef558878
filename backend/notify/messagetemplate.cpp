#include "messagetemplate.h"

#include "config/confignode.h"

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

std::optional<MessageTemplate> MessageTemplate::parse(const QString &text, QString *error)
{
    MessageTemplate t;
    t.m_text = text;
    qsizetype at = 0;
    while (at < text.size()) {
        const auto open = text.indexOf(QStringLiteral("{{"), at);
        if (open < 0) {
            t.m_parts.append({false, text.mid(at)});
            break;
        }
        if (open > at)
            t.m_parts.append({false, text.mid(at, open - at)});
        const auto close = text.indexOf(QStringLiteral("}}"), open + 2);
        if (close < 0) {
            if (error)
                *error =
                    QStringLiteral("'{{' at character %1 is not closed with '}}'").arg(open + 1);
            return std::nullopt;
        }
        const QString name = text.mid(open + 2, close - open - 2).trimmed();
        if (!templateVariables().contains(name)) {
            if (error) {
                const auto hint = config::closestMatch(name, templateVariables());
                *error =
                    QStringLiteral("unknown variable {{%1}}%2")
                        .arg(name, hint.isEmpty()
                                       ? QStringLiteral(" (known: %1)")
                                             .arg(templateVariables().join(QStringLiteral(", ")))
                                       : QStringLiteral(" (did you mean {{%1}}?)").arg(hint));
            }
            return std::nullopt;
        }
        t.m_parts.append({true, name});
        at = close + 2;
    }
    return t;
}

QString MessageTemplate::render(const QJsonObject &vars) const
{
    QString out;
    for (const auto &part : m_parts) {
        if (!part.variable) {
            out += part.text;
            continue;
        }
        const auto value = vars.value(part.text);
        if (value.isString())
            out += value.toString();
        else if (value.isDouble())
            out += QString::number(value.toInteger(qint64(value.toDouble())));
        else if (value.isBool())
            out += value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    }
    return out;
}

} // namespace rwd::notify
