#pragma once

#include "diagnostics.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>

namespace rwd::config {

// A node of a configuration document together with the file it came from, so every value can
// be traced back to file:line:col. The loader parses YAML once (parse()) into this tree; nothing
// past it sees yaml-cpp. Cheap to copy (nodes share the tree).
class ConfigNode
{
public:
    using Entry = std::pair<ConfigNode, ConfigNode>; // key, value

    ConfigNode() = default;

    // Parses YAML `text` (of `file`) into a tree. Null, with the problem in `diagnostics`, when
    // the text is not YAML or expands (through aliases) to more than a configuration can hold.
    // An empty document is a defined null node.
    [[nodiscard]] static std::optional<ConfigNode>
    parse(const QByteArray &text, const QString &file, Diagnostics &diagnostics);

    [[nodiscard]] bool isDefined() const { return m_data != nullptr; }
    [[nodiscard]] bool isNull() const;
    [[nodiscard]] bool isMap() const;
    [[nodiscard]] bool isSequence() const;
    [[nodiscard]] bool isScalar() const;
    // True for a scalar written in quotes; quoted scalars are never numbers or booleans.
    [[nodiscard]] bool isQuoted() const;
    // A tag written in the document (`!secret x`, or `!=500` read by YAML as the tag `!=500`);
    // empty for untagged and quoted values.
    [[nodiscard]] QString explicitTag() const;

    [[nodiscard]] Position position() const;
    // Byte offset of the node in the source text; -1 when unknown.
    [[nodiscard]] qint64 offset() const;
    [[nodiscard]] QString scalar() const;
    // The items of a sequence, the entries of a map in the order written; empty otherwise.
    [[nodiscard]] QList<ConfigNode> items() const;
    [[nodiscard]] QList<Entry> entries() const;
    // Items of a sequence or entries of a map; 0 for anything else.
    [[nodiscard]] qsizetype size() const;
    // The value of the first entry whose key is the text `key`; undefined when there is none.
    [[nodiscard]] ConfigNode value(const QString &key) const;
    [[nodiscard]] const QString &file() const { return m_file; }
    // A short name of what the node is ("a map", "a list", "text"), for error messages.
    [[nodiscard]] QString kindName() const;

    // The tree's node type, defined with the parser; make() is how the parser builds nodes.
    struct Data;
    [[nodiscard]] static ConfigNode make(std::shared_ptr<const Data> data, const QString &file);

private:
    ConfigNode(std::shared_ptr<const Data> data, QString file);

    std::shared_ptr<const Data> m_data;
    QString m_file;
};

enum class Need
{
    Optional,
    Required
};

// Reads the keys of one YAML map with typed accessors that record a diagnostic (never throw) when
// a value is missing or has the wrong type, and reports every key nobody asked for as unknown,
// with a suggestion when it looks like a typo of a known key.
class MapReader
{
public:
    // `what` names the map in messages ("service", "check 'health'").
    MapReader(const ConfigNode &node, Diagnostics &diagnostics, QString what);

    [[nodiscard]] bool isMap() const { return m_isMap; }
    [[nodiscard]] const ConfigNode &node() const { return m_node; }
    [[nodiscard]] const QString &what() const { return m_what; }
    [[nodiscard]] Diagnostics &diagnostics() const { return m_diagnostics; }
    [[nodiscard]] bool has(const QString &key) const;
    // The raw value of `key` (undefined when absent); marks the key as known.
    [[nodiscard]] ConfigNode value(const QString &key);
    [[nodiscard]] Position keyPosition(const QString &key) const;

    std::optional<QString> string(const QString &key, Need need = Need::Optional);
    QString string(const QString &key, const QString &fallback);
    // One of `allowed`; anything else is an error listing the allowed spellings.
    std::optional<QString> choice(const QString &key, const QStringList &allowed,
                                  Need need = Need::Optional);
    std::optional<qint64> durationMs(const QString &key, Need need = Need::Optional);
    qint64 durationMs(const QString &key, qint64 fallback);
    std::optional<double> number(const QString &key, double min, double max,
                                 Need need = Need::Optional);
    std::optional<qint64> integer(const QString &key, qint64 min, qint64 max,
                                  Need need = Need::Optional);
    std::optional<bool> boolean(const QString &key, Need need = Need::Optional);
    // A list of text values; a single text value is accepted as a list of one.
    std::optional<QStringList> stringList(const QString &key, Need need = Need::Optional);
    // A map whose values are all text (e.g. HTTP headers, targets).
    std::optional<QList<QPair<QString, QString>>> stringMap(const QString &key,
                                                            Need need = Need::Optional);

    // Records an error at the value of `key` (or at the map when the key is absent).
    void errorAt(const QString &key, const QString &message);
    // Reports keys that no accessor asked for. Call once, after reading everything.
    void finish();

private:
    void missing(const QString &key);
    bool present(const QString &key, Need need);

    ConfigNode m_node;
    Diagnostics &m_diagnostics;
    QString m_what;
    bool m_isMap = false;
    QHash<QString, ConfigNode> m_values;
    QHash<QString, Position> m_keyPositions;
    QStringList m_order;
    QSet<QString> m_known;
};

// The closest of `candidates` to `word` if it is within a small edit distance, for
// "did you mean" hints; empty otherwise.
[[nodiscard]] QString closestMatch(const QString &word, const QStringList &candidates);

} // namespace rwd::config
