#include "template.h"

#include "config/confignode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace rwd::executors {

const QStringList &knownVariables()
{
    static const QStringList names{
        QStringLiteral("service"),
        QStringLiteral("environment"),
        QStringLiteral("kind"),
        QStringLiteral("version"),
        QStringLiteral("previous_version"),
        QStringLiteral("artifact"),
        QStringLiteral("previous_artifact"),
        QStringLiteral("target"),
        QStringLiteral("previous_target"),
        QStringLiteral("colour"),
        QStringLiteral("previous_colour"),
        QStringLiteral("release_id"),
        QStringLiteral("previous_release_id"),
        QStringLiteral("rollback_id"),
        QStringLiteral("class"),
        QStringLiteral("instance"),
        QStringLiteral("address"),
        QStringLiteral("weight"),
        QStringLiteral("snapshot"),
        QStringLiteral("weight_target"),
        QStringLiteral("weight_previous"),
    };
    return names;
}

std::optional<Template> Template::parse(const QString &text, QString *error)
{
    static const QRegularExpression metaName(QStringLiteral("^meta\\.[A-Za-z0-9_.-]{1,64}$"));
    Template t;
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
                *error = QStringLiteral("'{{' at character %1 of \"%2\" is not closed with '}}'")
                             .arg(open + 1)
                             .arg(text);
            return std::nullopt;
        }
        const QString name = text.mid(open + 2, close - open - 2).trimmed();
        if (!knownVariables().contains(name) && !metaName.match(name).hasMatch()) {
            if (error) {
                const auto hint = config::closestMatch(name, knownVariables());
                *error =
                    QStringLiteral("unknown variable {{%1}} in \"%2\"%3")
                        .arg(name, text,
                             hint.isEmpty() ? QStringLiteral(" (known: %1, meta.NAME)")
                                                  .arg(knownVariables().join(QStringLiteral(", ")))
                                            : QStringLiteral(" (did you mean {{%1}}?)").arg(hint));
            }
            return std::nullopt;
        }
        t.m_parts.append({true, name});
        at = close + 2;
    }
    return t;
}

QString Template::render(const QJsonObject &vars, Escape escape, QStringList *missing) const
{
    QString out;
    for (const auto &part : m_parts) {
        if (!part.variable) {
            out += part.text;
            continue;
        }
        const auto value = vars.value(part.text);
        if (value.isUndefined() || value.isNull()) {
            if (missing && !missing->contains(part.text))
                missing->append(part.text);
            continue;
        }
        const QString text = value.isString() ? value.toString() : value.toVariant().toString();
        switch (escape) {
        case Escape::None:
            out += text;
            break;
        case Escape::UrlComponent:
            out += QString::fromLatin1(QUrl::toPercentEncoding(text));
            break;
        case Escape::JsonString: {
            // A JSON string of the value, without its enclosing quotes.
            const auto quoted = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
            out += QString::fromUtf8(quoted.mid(2, quoted.size() - 4));
            break;
        }
        }
    }
    return out;
}

QStringList Template::variables() const
{
    QStringList out;
    for (const auto &part : m_parts) {
        if (part.variable && !out.contains(part.text))
            out.append(part.text);
    }
    return out;
}

void Redactor::add(const QString &secret)
{
    // Very short values would redact ordinary words; they are not worth hiding this way.
    if (secret.size() >= 4 && !m_secrets.contains(secret))
        m_secrets.append(secret);
}

QString Redactor::apply(QString text) const
{
    for (const auto &s : m_secrets)
        text.replace(s, QStringLiteral("[redacted]"));
    return text;
}

} // namespace rwd::executors
