#include "confignode.h"

#include "common/duration.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rwd::config {

ConfigNode::ConfigNode(const YAML::Node &node, QString file)
    : m_node(node)
    , m_file(std::move(file))
{}

bool ConfigNode::isQuoted() const
{
    // yaml-cpp tags plain scalars "?" and quoted ones "!".
    return m_node.IsScalar() && m_node.Tag() == "!";
}

Position ConfigNode::position() const
{
    if (!m_node.IsDefined())
        return {m_file, 0, 0};
    const auto mark = m_node.Mark();
    if (mark.line < 0)
        return {m_file, 0, 0};
    return {m_file, mark.line + 1, mark.column + 1};
}

QString ConfigNode::scalar() const
{
    if (!m_node.IsScalar())
        return {};
    return QString::fromStdString(m_node.Scalar());
}

QList<ConfigNode> ConfigNode::items() const
{
    QList<ConfigNode> out;
    if (!m_node.IsSequence())
        return out;
    for (const auto &item : m_node)
        out.append(ConfigNode(item, m_file));
    return out;
}

QString ConfigNode::kindName() const
{
    if (!m_node.IsDefined() || m_node.IsNull())
        return QStringLiteral("nothing");
    if (m_node.IsMap())
        return QStringLiteral("a map");
    if (m_node.IsSequence())
        return QStringLiteral("a list");
    return QStringLiteral("'%1'").arg(scalar());
}

MapReader::MapReader(const ConfigNode &node, Diagnostics &diagnostics, QString what)
    : m_node(node)
    , m_diagnostics(diagnostics)
    , m_what(std::move(what))
{
    if (!node.isMap()) {
        m_diagnostics.error(
            node.position(),
            QStringLiteral("%1 must be a map of keys, found %2").arg(m_what, node.kindName()));
        return;
    }
    m_isMap = true;
    for (auto it = node.yaml().begin(); it != node.yaml().end(); ++it) {
        const ConfigNode key(it->first, node.file());
        if (!key.isScalar()) {
            m_diagnostics.error(key.position(),
                                QStringLiteral("keys in %1 must be plain names").arg(m_what));
            continue;
        }
        const QString name = key.scalar();
        if (m_values.contains(name)) {
            m_diagnostics.error(key.position(), QStringLiteral("duplicate key '%1' in %2 (first "
                                                               "given on line %3)")
                                                    .arg(name, m_what)
                                                    .arg(m_keyPositions.value(name).line));
            continue;
        }
        m_values.insert(name, ConfigNode(it->second, node.file()));
        m_keyPositions.insert(name, key.position());
        m_order.append(name);
    }
}

bool MapReader::has(const QString &key) const
{
    return m_values.contains(key) && !m_values.value(key).isNull();
}

ConfigNode MapReader::value(const QString &key)
{
    m_known.insert(key);
    return m_values.value(key);
}

Position MapReader::keyPosition(const QString &key) const
{
    return m_keyPositions.contains(key) ? m_keyPositions.value(key) : m_node.position();
}

void MapReader::errorAt(const QString &key, const QString &message)
{
    const auto v = m_values.value(key);
    m_diagnostics.error(v.isDefined() ? v.position() : keyPosition(key), message);
}

void MapReader::missing(const QString &key)
{
    m_diagnostics.error(m_node.position(),
                        QStringLiteral("%1 is missing required key '%2'").arg(m_what, key));
}

bool MapReader::present(const QString &key, Need need)
{
    m_known.insert(key);
    if (!m_isMap)
        return false;
    if (has(key))
        return true;
    if (need == Need::Required)
        missing(key);
    return false;
}

std::optional<QString> MapReader::string(const QString &key, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    if (!v.isScalar()) {
        errorAt(key,
                QStringLiteral("'%1' in %2 must be text, found %3").arg(key, m_what, v.kindName()));
        return std::nullopt;
    }
    return v.scalar();
}

QString MapReader::string(const QString &key, const QString &fallback)
{
    return string(key, Need::Optional).value_or(fallback);
}

std::optional<QString> MapReader::choice(const QString &key, const QStringList &allowed, Need need)
{
    auto text = string(key, need);
    if (!text)
        return std::nullopt;
    if (!allowed.contains(*text)) {
        const auto hint = closestMatch(*text, allowed);
        errorAt(key, QStringLiteral("'%1' in %2 must be one of %3, found '%4'%5")
                         .arg(key, m_what, allowed.join(QStringLiteral(", ")), *text,
                              hint.isEmpty() ? QString()
                                             : QStringLiteral(" (did you mean '%1'?)").arg(hint)));
        return std::nullopt;
    }
    return text;
}

std::optional<qint64> MapReader::durationMs(const QString &key, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    const auto parsed = v.isScalar() ? parseDurationMs(v.scalar()) : std::nullopt;
    if (!parsed || *parsed < 0) {
        errorAt(key, QStringLiteral("'%1' in %2 must be a duration such as 500ms, 10s, 5m or 1h, "
                                    "found %3")
                         .arg(key, m_what, v.kindName()));
        return std::nullopt;
    }
    return parsed;
}

qint64 MapReader::durationMs(const QString &key, qint64 fallback)
{
    return durationMs(key, Need::Optional).value_or(fallback);
}

std::optional<double> MapReader::number(const QString &key, double min, double max, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    bool ok = false;
    double value = 0;
    if (v.isScalar() && !v.isQuoted()) {
        QString text = v.scalar();
        const bool percent = text.endsWith(u'%');
        if (percent)
            text.chop(1);
        value = text.toDouble(&ok);
        if (percent)
            value /= 100.0;
        ok = ok && std::isfinite(value);
    }
    if (!ok) {
        errorAt(
            key,
            QStringLiteral("'%1' in %2 must be a number, found %3").arg(key, m_what, v.kindName()));
        return std::nullopt;
    }
    if (value < min || value > max) {
        errorAt(key, QStringLiteral("'%1' in %2 must be between %3 and %4, found %5")
                         .arg(key, m_what)
                         .arg(min)
                         .arg(max)
                         .arg(value));
        return std::nullopt;
    }
    return value;
}

std::optional<qint64> MapReader::integer(const QString &key, qint64 min, qint64 max, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    bool ok = false;
    const qint64 value = (v.isScalar() && !v.isQuoted()) ? v.scalar().toLongLong(&ok) : 0;
    if (!ok) {
        errorAt(key, QStringLiteral("'%1' in %2 must be a whole number, found %3")
                         .arg(key, m_what, v.kindName()));
        return std::nullopt;
    }
    if (value < min || value > max) {
        errorAt(key, QStringLiteral("'%1' in %2 must be between %3 and %4, found %5")
                         .arg(key, m_what)
                         .arg(min)
                         .arg(max)
                         .arg(value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> MapReader::boolean(const QString &key, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    if (v.isScalar() && !v.isQuoted()) {
        const auto text = v.scalar();
        if (text == u"true")
            return true;
        if (text == u"false")
            return false;
    }
    errorAt(key, QStringLiteral("'%1' in %2 must be true or false, found %3")
                     .arg(key, m_what, v.kindName()));
    return std::nullopt;
}

std::optional<QStringList> MapReader::stringList(const QString &key, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    if (v.isScalar())
        return QStringList{v.scalar()};
    if (!v.isSequence()) {
        errorAt(key, QStringLiteral("'%1' in %2 must be a list of text values, found %3")
                         .arg(key, m_what, v.kindName()));
        return std::nullopt;
    }
    QStringList out;
    bool ok = true;
    for (const auto &item : v.items()) {
        if (!item.isScalar()) {
            m_diagnostics.error(item.position(),
                                QStringLiteral("'%1' in %2 must contain only text values, found %3")
                                    .arg(key, m_what, item.kindName()));
            ok = false;
            continue;
        }
        out.append(item.scalar());
    }
    return ok ? std::optional(out) : std::nullopt;
}

std::optional<QList<QPair<QString, QString>>> MapReader::stringMap(const QString &key, Need need)
{
    if (!present(key, need))
        return std::nullopt;
    const auto v = m_values.value(key);
    if (!v.isMap()) {
        errorAt(key, QStringLiteral("'%1' in %2 must be a map of names to text values, found %3")
                         .arg(key, m_what, v.kindName()));
        return std::nullopt;
    }
    QList<QPair<QString, QString>> out;
    bool ok = true;
    for (auto it = v.yaml().begin(); it != v.yaml().end(); ++it) {
        const ConfigNode name(it->first, v.file());
        const ConfigNode value(it->second, v.file());
        if (!name.isScalar() || !value.isScalar()) {
            m_diagnostics.error(
                value.position(),
                QStringLiteral("'%1' in %2 must map names to text values").arg(key, m_what));
            ok = false;
            continue;
        }
        out.append({name.scalar(), value.scalar()});
    }
    return ok ? std::optional(out) : std::nullopt;
}

void MapReader::finish()
{
    if (!m_isMap)
        return;
    QStringList known(m_known.begin(), m_known.end());
    known.sort();
    for (const auto &key : std::as_const(m_order)) {
        if (m_known.contains(key))
            continue;
        const auto hint = closestMatch(key, known);
        m_diagnostics.error(
            m_keyPositions.value(key),
            QStringLiteral("unknown key '%1' in %2%3")
                .arg(key, m_what,
                     hint.isEmpty()
                         ? QStringLiteral(" (known keys: %1)").arg(known.join(QStringLiteral(", ")))
                         : QStringLiteral(" (did you mean '%1'?)").arg(hint)));
    }
}

QString closestMatch(const QString &word, const QStringList &candidates)
{
    const auto distance = [](const QString &a, const QString &b) {
        std::vector<qsizetype> row(std::size_t(b.size()) + 1);
        for (qsizetype j = 0; j <= b.size(); ++j)
            row[std::size_t(j)] = j;
        for (qsizetype i = 1; i <= a.size(); ++i) {
            qsizetype diagonal = row[0];
            row[0] = i;
            for (qsizetype j = 1; j <= b.size(); ++j) {
                const qsizetype above = row[std::size_t(j)];
                const qsizetype cost = a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1;
                row[std::size_t(j)] =
                    std::min({above + 1, row[std::size_t(j - 1)] + 1, diagonal + cost});
                diagonal = above;
            }
        }
        return row[std::size_t(b.size())];
    };
    // At most a third of the word may differ (at least one character), and never all of it.
    QString best;
    qsizetype bestDistance = std::max<qsizetype>(1, word.size() / 3) + 1;
    for (const auto &candidate : candidates) {
        const auto d = distance(word, candidate);
        if (d < bestDistance && d < word.size()) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace rwd::config
