#include "names.h"

#include <QRegularExpression>

namespace rwd::fleet {

QString colourName(Colour colour)
{
    return colour == Colour::Blue ? QStringLiteral("blue") : QStringLiteral("green");
}

std::optional<Colour> parseColour(const QString &name)
{
    if (name == QLatin1String("blue"))
        return Colour::Blue;
    if (name == QLatin1String("green"))
        return Colour::Green;
    return std::nullopt;
}

bool isValidServiceName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z][A-Za-z0-9_-]{0,62}$"));
    return pattern.match(name).hasMatch();
}

bool isValidVersion(const QString &version)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$"));
    return pattern.match(version).hasMatch();
}

} // namespace rwd::fleet
