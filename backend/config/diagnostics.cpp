#include "diagnostics.h"

#include <algorithm>
#include <tuple>

namespace rwd::config {

QString Diagnostic::format() const
{
    QString where = position.file.isEmpty() ? QStringLiteral("<config>") : position.file;
    if (position.line > 0) {
        where += u':' + QString::number(position.line);
        if (position.column > 0)
            where += u':' + QString::number(position.column);
    }
    return where + QStringLiteral(": error: ") + message;
}

void Diagnostics::error(const Position &where, const QString &message)
{
    m_items.append({where, message});
}

QList<Diagnostic> Diagnostics::items() const
{
    auto sorted = m_items;
    const auto key = [](const Diagnostic &d) {
        return std::make_tuple(d.position.file, d.position.line, d.position.column, d.message);
    };
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](const Diagnostic &a, const Diagnostic &b) { return key(a) < key(b); });
    sorted.erase(
        std::unique(sorted.begin(), sorted.end(),
                    [&](const Diagnostic &a, const Diagnostic &b) { return key(a) == key(b); }),
        sorted.end());
    return sorted;
}

QString Diagnostics::format() const
{
    QString out;
    for (const auto &d : items())
        out += d.format() + u'\n';
    return out;
}

} // namespace rwd::config
