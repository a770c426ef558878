#include "duration.h"

#include <array>
#include <cmath>

namespace rwd {

std::optional<qint64> durationUnitMs(QStringView unit)
{
    if (unit == u"ms")
        return 1;
    if (unit == u"s")
        return 1000;
    if (unit == u"m")
        return 60'000;
    if (unit == u"h")
        return 3'600'000;
    if (unit == u"d")
        return 86'400'000;
    return std::nullopt;
}

std::optional<qint64> parseDurationMs(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    double total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype numberStart = i;
        bool sawDigit = false;
        bool sawDot = false;
        while (i < text.size() && (text[i].isDigit() || (text[i] == u'.' && !sawDot))) {
            sawDot = sawDot || text[i] == u'.';
            sawDigit = sawDigit || text[i].isDigit();
            ++i;
        }
        if (!sawDigit)
            return std::nullopt;
        bool ok = false;
        const double number = text.mid(numberStart, i - numberStart).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < text.size() && text[i].isLetter())
            ++i;
        const auto unit = durationUnitMs(text.mid(unitStart, i - unitStart));
        if (!unit)
            return std::nullopt;
        total += number * double(*unit);
    }
    if (total > 1e15)
        return std::nullopt;
    return qint64(std::llround(total));
}

QString formatDuration(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("0s");
    QString out;
    if (ms < 0) {
        out += u'-';
        ms = -ms;
    }
    struct Unit
    {
        qint64 ms;
        const char *name;
    };
    static constexpr std::array<Unit, 5> units{
        {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}}};
    for (const auto &unit : units) {
        if (ms >= unit.ms) {
            out += QString::number(ms / unit.ms) + QLatin1String(unit.name);
            ms %= unit.ms;
        }
    }
    return out;
}

} // namespace rwd
