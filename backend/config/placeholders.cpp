#include "placeholders.h"

#include "confignode.h"

namespace rwd::config {

Result<Placeholders> Placeholders::parse(const QString &text,
                                         const std::function<bool(const QString &)> &known,
                                         const QStringList &vocabulary, const Wording &wording)
{
    const QString in = wording.quoteText ? QStringLiteral(" in \"%1\"").arg(text) : QString();
    Placeholders t;
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
        if (close < 0)
            return failure(
                QStringLiteral("'{{' at character %1%2 is not closed with '}}'")
                    .arg(open + 1)
                    .arg(wording.quoteText ? QStringLiteral(" of \"%1\"").arg(text) : QString()));
        const QString name = text.mid(open + 2, close - open - 2).trimmed();
        if (!known(name)) {
            const auto hint = closestMatch(name, vocabulary);
            return failure(
                QStringLiteral("unknown variable {{%1}}%2%3")
                    .arg(name, in,
                         hint.isEmpty()
                             ? QStringLiteral(" (known: %1%2)")
                                   .arg(vocabulary.join(QStringLiteral(", ")), wording.moreKnown)
                             : QStringLiteral(" (did you mean {{%1}}?)").arg(hint)));
        }
        t.m_parts.append({true, name});
        at = close + 2;
    }
    return t;
}

QString Placeholders::render(const std::function<QString(const QString &)> &valueOf) const
{
    QString out;
    for (const auto &part : m_parts)
        out += part.variable ? valueOf(part.text) : part.text;
    return out;
}

QStringList Placeholders::variables() const
{
    QStringList out;
    for (const auto &part : m_parts) {
        if (part.variable && !out.contains(part.text))
            out.append(part.text);
    }
    return out;
}

} // namespace rwd::config
