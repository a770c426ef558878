#include "names.h"

#include <QRegularExpression>

namespace rwd::fleet {

QStringList defaultInstanceNames()
{
    return {QStringLiteral("blue"), QStringLiteral("green")};
}

bool isValidInstanceName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"));
    return pattern.match(name).hasMatch();
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
