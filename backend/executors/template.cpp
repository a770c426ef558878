#include "template.h"

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

Result<Template> Template::parse(const QString &text)
{
    static const QRegularExpression metaName(QStringLiteral("^meta\\.[A-Za-z0-9_.-]{1,64}$"));
    auto parsed = config::Placeholders::parse(
        text,
        [](const QString &name) {
            return knownVariables().contains(name) || metaName.match(name).hasMatch();
        },
        knownVariables(), {true, QStringLiteral(", meta.NAME")});
    if (!parsed)
        return std::move(parsed).error();
    Template t;
    t.m_text = std::move(*parsed);
    return t;
}

QString Template::render(const QJsonObject &vars, Escape escape, QStringList *missing) const
{
    return m_text.render([&](const QString &name) -> QString {
        const auto value = vars.value(name);
        if (value.isUndefined() || value.isNull()) {
            if (missing && !missing->contains(name))
                missing->append(name);
            return {};
        }
        QString text = value.isString() ? value.toString() : value.toVariant().toString();
        switch (escape) {
        case Escape::None:
            return text;
        case Escape::UrlComponent:
            return QString::fromLatin1(QUrl::toPercentEncoding(text));
        case Escape::JsonString: {
            // A JSON string of the value, without its enclosing quotes.
            const auto quoted = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
            return QString::fromUtf8(quoted.mid(2, quoted.size() - 4));
        }
        }
        return text;
    });
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
