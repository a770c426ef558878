#include "reloadwatch.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace rwd::executors::nginx {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Children of `parent`, from the fourth field of /proc/<pid>/stat.
QSet<qint64> childrenOf(qint64 parent)
{
    QSet<qint64> out;
    const auto entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const auto &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const auto stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
        // The command name is in parentheses and may contain spaces: parse after the last ')'.
        const auto close = stat.lastIndexOf(')');
        if (close < 0)
            continue;
        const auto fields = stat.mid(close + 2).split(' ');
        if (fields.size() > 1 && fields.at(1).toLongLong() == parent)
            out.insert(pid);
    }
    return out;
}

bool isShuttingDown(qint64 pid)
{
    const auto cmdline = readFile(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return cmdline.isEmpty() || cmdline.contains("shutting down");
}

} // namespace

ReloadWatch::ReloadWatch(const QString &pidFile)
{
    bool ok = false;
    const qint64 master = readFile(pidFile).trimmed().toLongLong(&ok);
    if (!ok || master <= 0 || !QFile::exists(QStringLiteral("/proc/%1/stat").arg(master)))
        return;
    m_master = master;
    m_oldWorkers = childrenOf(master);
}

bool ReloadWatch::reloaded() const
{
    if (!canWatch())
        return true;
    const auto workers = childrenOf(m_master);
    bool fresh = false;
    for (const auto pid : workers) {
        if (!m_oldWorkers.contains(pid))
            fresh = true;
        else if (!isShuttingDown(pid))
            return false;
    }
    return fresh;
}

QString ReloadWatch::pidFileFromConfig(const QString &configFile, const QString &prefix)
{
    static const QRegularExpression directive(QStringLiteral(R"re(^\s*pid\s+"?([^;\s"]+)"?\s*;)re"),
                                              QRegularExpression::MultilineOption);
    const auto match = directive.match(QString::fromUtf8(readFile(configFile)));
    if (!match.hasMatch())
        return {};
    const auto path = match.captured(1);
    return QDir::isAbsolutePath(path) || prefix.isEmpty() ? path : QDir(prefix).filePath(path);
}

} // namespace rwd::executors::nginx
