#include "assetstore.h"

#include "atomicfile.h"
#include "names.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <utility>

namespace rwd::fleet {

namespace {

QString errnoText(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

} // namespace

AssetStore::AssetStore(QString dir)
    : m_dir(std::move(dir))
{}

QString AssetStore::currentLink() const
{
    return m_dir + QLatin1String("/current");
}

QString AssetStore::appJsPath(const QString &version) const
{
    return m_dir + QLatin1Char('/') + version + QLatin1String("/app.js");
}

QByteArray AssetStore::appJs(const QString &version, bool broken)
{
    const QString text = broken ? QStringLiteral("window.APP_VERSION = \"%1\"; window.APP_OK = "
                                                 "false; /* BROKEN */\n")
                                : QStringLiteral("window.APP_VERSION = \"%1\"; window.APP_OK = "
                                                 "true;\n");
    return text.arg(version).toUtf8();
}

bool AssetStore::setUp(const QString &initialVersion, QString *error)
{
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("cannot create directory %1").arg(m_dir);
        return false;
    }
    QString previous;
    return write(initialVersion, false, error) && activate(initialVersion, &previous, error);
}

bool AssetStore::write(const QString &version, bool broken, QString *error)
{
    if (!isValidVersion(version)) {
        *error = QStringLiteral("invalid version \"%1\"").arg(version);
        return false;
    }
    const QString directory = m_dir + QLatin1Char('/') + version;
    if (!QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot create directory %1").arg(directory);
        return false;
    }
    if (!writeFileAtomically(appJsPath(version), appJs(version, broken), error))
        return false;
    spdlog::info("assets {} written{}", qUtf8Printable(version), broken ? " (broken)" : "");
    return true;
}

bool AssetStore::hasVersion(const QString &version) const
{
    return isValidVersion(version) && QFileInfo(appJsPath(version)).isFile();
}

bool AssetStore::activate(const QString &version, QString *previous, QString *error)
{
    if (!hasVersion(version)) {
        *error = QStringLiteral("no assets for version \"%1\" in %2").arg(version, m_dir);
        return false;
    }
    *previous = currentVersion();
    const QByteArray target = QFile::encodeName(version);
    const QByteArray link = QFile::encodeName(currentLink());
    const QByteArray temporary = QFile::encodeName(
        QStringLiteral("%1/.current.tmp-%2-%3")
            .arg(m_dir)
            .arg(::getpid())
            .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0')));
    if (::symlink(target.constData(), temporary.constData()) != 0) {
        *error = QStringLiteral("cannot create a symlink next to %1: %2")
                     .arg(currentLink(), errnoText(errno));
        return false;
    }
    if (::rename(temporary.constData(), link.constData()) != 0) {
        const int code = errno;
        ::unlink(temporary.constData());
        *error = QStringLiteral("cannot replace %1: %2").arg(currentLink(), errnoText(code));
        return false;
    }
    const int dirFd =
        ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    spdlog::info("assets: current -> {} (was {})", qUtf8Printable(version),
                 previous->isEmpty() ? "none" : qUtf8Printable(*previous));
    return true;
}

QString AssetStore::currentVersion() const
{
    const QFileInfo link(currentLink());
    if (!link.isSymLink())
        return {};
    // symLinkTarget() is absolute whether the link's own target is relative or not.
    const QFileInfo target(link.symLinkTarget());
    return target.fileName();
}

QStringList AssetStore::versions() const
{
    QStringList result;
    const QFileInfoList entries =
        QDir(m_dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name);
    for (const QFileInfo &entry : entries) {
        if (hasVersion(entry.fileName()))
            result.append(entry.fileName());
    }
    return result;
}

QJsonObject AssetStore::stateJson() const
{
    return QJsonObject{{QStringLiteral("dir"), m_dir},
                       {QStringLiteral("current"), currentLink()},
                       {QStringLiteral("version"), currentVersion()},
                       {QStringLiteral("versions"), QJsonArray::fromStringList(versions())}};
}

} // namespace rwd::fleet
