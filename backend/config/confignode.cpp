#include "confignode.h"

#include "common/duration.h"

#include <algorithm>
#include <cmath>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace rwd::config {

struct ConfigNode::Data
{
    enum class Kind
    {
        Null,
        Scalar,
        Sequence,
        Map
    };
    Kind kind = Kind::Null;
    QString scalar;
    QString tag;    // as yaml-cpp reports it: "?" plain, "!" quoted, else written in the document
    int line = 0;   // 1-based; 0: unknown
    int column = 0; // 1-based
    qint64 offset = -1;
    QList<ConfigNode> items;
    QList<Entry> entries;
};

namespace {

// What one configuration may expand to. Aliases let a small document name a node many times
// ("billion laughs"); the tree copies what an alias names, so the count is bounded here.
constexpr qsizetype kMaxNodes = 200'000;
constexpr int kMaxDepth = 200;

class Converter
{
public:
    Converter(QString file, Diagnostics &diagnostics)
        : m_file(std::move(file))
        , m_diagnostics(diagnostics)
    {}

    // Null when a limit was hit (reported once).
    std::shared_ptr<ConfigNode::Data> convert(const YAML::Node &node, int depth)
    {
        if (m_failed)
            return nullptr;
        if (++m_nodes > kMaxNodes || depth > kMaxDepth) {
            fail(node,
                 m_nodes > kMaxNodes
                     ? QStringLiteral("the document expands to more than %1 values: "
                                      "its aliases (*name) repeat too much")
                           .arg(kMaxNodes)
                     : QStringLiteral("the document nests deeper than %1 levels").arg(kMaxDepth));
            return nullptr;
        }
        auto data = std::make_shared<ConfigNode::Data>();
        const auto mark = node.Mark();
        if (mark.line >= 0) {
            data->line = mark.line + 1;
            data->column = mark.column + 1;
            data->offset = mark.pos;
        }
        data->tag = QString::fromStdString(node.Tag());
        switch (node.Type()) {
        case YAML::NodeType::Scalar:
            data->kind = ConfigNode::Data::Kind::Scalar;
            data->scalar = QString::fromStdString(node.Scalar());
            break;
        case YAML::NodeType::Sequence:
            data->kind = ConfigNode::Data::Kind::Sequence;
            for (const auto &item : node) {
                auto child = convert(item, depth + 1);
                if (!child)
                    return nullptr;
                data->items.append(ConfigNode::make(std::move(child), m_file));
            }
            break;
        case YAML::NodeType::Map:
            data->kind = ConfigNode::Data::Kind::Map;
            for (auto it = node.begin(); it != node.end(); ++it) {
                auto key = convert(it->first, depth + 1);
                auto value = key ? convert(it->second, depth + 1) : nullptr;
                if (!value)
                    return nullptr;
                data->entries.append({ConfigNode::make(std::move(key), m_file),
                                      ConfigNode::make(std::move(value), m_file)});
            }
            break;
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            break;
        }
        return data;
    }

private:
    void fail(const YAML::Node &node, const QString &message)
    {
        m_failed = true;
        const auto mark = node.Mark();
        m_diagnostics.error(mark.line < 0 ? Position{m_file, 1, 1}
                                          : Position{m_file, mark.line + 1, mark.column + 1},
                            message);
    }

    QString m_file;
    Diagnostics &m_diagnostics;
    qsizetype m_nodes = 0;
    bool m_failed = false;
};

} // namespace

ConfigNode::ConfigNode(std::shared_ptr<const Data> data, QString file)
    : m_data(std::move(data))
    , m_file(std::move(file))
{}

ConfigNode ConfigNode::make(std::shared_ptr<const Data> data, const QString &file)
{
    return {std::move(data), file};
}

std::optional<ConfigNode> ConfigNode::parse(const QByteArray &text, const QString &file,
                                            Diagnostics &diagnostics)
{
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        Converter converter(file, diagnostics);
        auto data = converter.convert(root, 0);
        if (!data)
            return std::nullopt;
        return make(std::move(data), file);
    } catch (const YAML::Exception &e) {
        // Thrown while parsing, and for some malformed documents only when nodes are visited.
        diagnostics.error(e.mark.line < 0 ? Position{file, 1, 1}
                                          : Position{file, e.mark.line + 1, e.mark.column + 1},
                          QStringLiteral("invalid YAML: %1").arg(QString::fromStdString(e.msg)));
        return std::nullopt;
    }
}

bool ConfigNode::isNull() const
{
    return !m_data || m_data->kind == Data::Kind::Null;
}

bool ConfigNode::isMap() const
{
    return m_data && m_data->kind == Data::Kind::Map;
}

bool ConfigNode::isSequence() const
{
    return m_data && m_data->kind == Data::Kind::Sequence;
}

bool ConfigNode::isScalar() const
{
    return m_data && m_data->kind == Data::Kind::Scalar;
}

bool ConfigNode::isQuoted() const
{
    // yaml-cpp tags plain scalars "?" and quoted ones "!".
    return isScalar() && m_data->tag == u"!";
}

QString ConfigNode::explicitTag() const
{
    if (!m_data || m_data->tag.isEmpty() || m_data->tag == u"?" || m_data->tag == u"!")
        return {};
    return m_data->tag;
}

Position ConfigNode::position() const
{
    if (!m_data)
        return {m_file, 0, 0};
    return {m_file, m_data->line, m_data->column};
}

qint64 ConfigNode::offset() const
{
    return m_data ? m_data->offset : -1;
}

QString ConfigNode::scalar() const
{
    return isScalar() ? m_data->scalar : QString();
}

QList<ConfigNode> ConfigNode::items() const
{
    return isSequence() ? m_data->items : QList<ConfigNode>{};
}

QList<ConfigNode::Entry> ConfigNode::entries() const
{
    return isMap() ? m_data->entries : QList<Entry>{};
}

qsizetype ConfigNode::size() const
{
    if (isSequence())
        return m_data->items.size();
    if (isMap())
        return m_data->entries.size();
    return 0;
}

ConfigNode ConfigNode::value(const QString &key) const
{
    if (!isMap())
        return {};
    for (const auto &[k, v] : m_data->entries) {
        if (k.isScalar() && k.scalar() == key)
            return v;
    }
    return {};
}

QString ConfigNode::kindName() const
{
    if (isNull())
        return QStringLiteral("nothing");
    if (isMap())
        return QStringLiteral("a map");
    if (isSequence())
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
    for (const auto &[key, value] : node.entries()) {
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
        m_values.insert(name, value);
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
    for (const auto &[name, value] : v.entries()) {
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
