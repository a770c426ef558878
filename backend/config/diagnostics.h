#pragma once

#include <QList>
#include <QString>

namespace rwd::config {

// Where something is in a configuration file. Lines and columns are 1-based; 0 means unknown.
struct Position
{
    QString file;
    int line = 0;
    int column = 0;

    [[nodiscard]] Position shifted(int columns) const { return {file, line, column + columns}; }
};

// One problem found while loading configuration, printed as `file:line:col: error: message`.
struct Diagnostic
{
    Position position;
    QString message;

    [[nodiscard]] QString format() const;
};

// Collects every problem in a file so that all of them are reported at once.
class Diagnostics
{
public:
    void error(const Position &where, const QString &message);
    [[nodiscard]] bool hasErrors() const { return !m_items.isEmpty(); }
    [[nodiscard]] qsizetype count() const { return m_items.size(); }
    // Sorted by file, line and column, duplicates removed.
    [[nodiscard]] QList<Diagnostic> items() const;
    // One formatted line per diagnostic, newline-terminated.
    [[nodiscard]] QString format() const;

private:
    QList<Diagnostic> m_items;
};

} // namespace rwd::config
