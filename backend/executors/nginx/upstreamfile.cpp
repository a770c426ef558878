#include "upstreamfile.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace rwd::executors::nginx {

QString renderUpstream(const QString &name, const QList<UpstreamServer> &servers)
{
    QString out = QStringLiteral("# managed by rewind\nupstream %1 {\n").arg(name);
    for (const auto &s : servers) {
        out += QStringLiteral("    server %1").arg(s.address);
        if (s.weight != 1)
            out += QStringLiteral(" weight=%1").arg(s.weight);
        out += QStringLiteral(";\n");
    }
    out += QStringLiteral("}\n");
    return out;
}

QList<UpstreamServer> parseUpstream(const QString &text)
{
    static const QRegularExpression line(
        QStringLiteral(R"(^\s*server\s+([^\s;]+)(?:\s+weight=(\d+))?[^;]*;)"),
        QRegularExpression::MultilineOption);
    QList<UpstreamServer> out;
    auto it = line.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        UpstreamServer s;
        s.address = m.captured(1);
        if (m.hasCaptured(2))
            s.weight = m.captured(2).toInt();
        out.append(s);
    }
    return out;
}

Result<void> writeFileAtomically(const QString &path, const QByteArray &content)
{
    // QSaveFile writes a temporary file next to the target, fsyncs it, and renames it over the
    // target on commit.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(content) != content.size() || !file.commit())
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace rwd::executors::nginx
