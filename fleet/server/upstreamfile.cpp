#include "upstreamfile.h"

#include <QRegularExpression>

#include <algorithm>

namespace rwd::fleet {

QByteArray renderUpstreamFile(const QString &upstreamName, const QString &address)
{
    return renderUpstreamFile(upstreamName, {UpstreamServer{address, 1}}, false);
}

QByteArray renderUpstreamFile(const QString &upstreamName, const QList<UpstreamServer> &servers,
                              bool weighted)
{
    QString text = QStringLiteral("# managed by rewind-fleet\nupstream %1 {\n").arg(upstreamName);
    for (const UpstreamServer &server : servers) {
        if (weighted)
            text +=
                QStringLiteral("    server %1 weight=%2;\n").arg(server.address).arg(server.weight);
        else
            text += QStringLiteral("    server %1;\n").arg(server.address);
    }
    text += QStringLiteral("}\n");
    return text.toUtf8();
}

QList<UpstreamServer> parseUpstreamServers(const QByteArray &contents)
{
    static const QRegularExpression comment(QStringLiteral("#[^\n]*"));
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));

    QString text = QString::fromUtf8(contents);
    text.remove(comment);
    // Blocks open and close statements just like ';' does, so "upstream x { server a;" splits
    // into "upstream x" and "server a".
    text.replace(QLatin1Char('{'), QLatin1Char(';')).replace(QLatin1Char('}'), QLatin1Char(';'));

    QList<UpstreamServer> servers;
    const QStringList statements = text.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &statement : statements) {
        const QStringList tokens = statement.split(whitespace, Qt::SkipEmptyParts);
        if (tokens.size() < 2 || tokens.first() != QLatin1String("server"))
            continue;
        UpstreamServer server{tokens.at(1), 1};
        bool receivesTraffic = true;
        for (qsizetype i = 2; i < tokens.size(); ++i) {
            const QString &parameter = tokens.at(i);
            if (parameter == QLatin1String("down") || parameter == QLatin1String("backup")) {
                receivesTraffic = false;
            } else if (parameter.startsWith(QLatin1String("weight="))) {
                bool ok = false;
                const int weight = parameter.mid(7).toInt(&ok);
                if (ok && weight > 0)
                    server.weight = weight;
            }
        }
        if (receivesTraffic)
            servers.append(server);
    }
    return servers;
}

QString dominantAddress(const QList<UpstreamServer> &servers)
{
    QList<UpstreamServer> totals;
    for (const UpstreamServer &server : servers) {
        auto it = std::find_if(totals.begin(), totals.end(), [&](const UpstreamServer &total) {
            return total.address == server.address;
        });
        if (it == totals.end())
            totals.append(server);
        else
            it->weight += server.weight;
    }
    QString best;
    int bestWeight = 0;
    for (const UpstreamServer &total : totals) {
        if (total.weight > bestWeight) {
            best = total.address;
            bestWeight = total.weight;
        }
    }
    return best;
}

} // namespace rwd::fleet
