#include "atomicfile.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rwd::fleet {

namespace {

QString errnoText(int code)
{
    return QString::fromLocal8Bit(std::strerror(code));
}

bool writeAll(int fd, const QByteArray &contents)
{
    const char *data = contents.constData();
    qsizetype remaining = contents.size();
    while (remaining > 0) {
        const ssize_t written = ::write(fd, data, static_cast<size_t>(remaining));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        remaining -= written;
    }
    return true;
}

} // namespace

bool writeFileAtomically(const QString &path, const QByteArray &contents, QString *error)
{
    const QFileInfo info(path);
    const QByteArray directory = QFile::encodeName(info.absolutePath());
    QByteArray temporary =
        QFile::encodeName(info.absolutePath() + QLatin1String("/.") + info.fileName()) +
        ".tmp-XXXXXX";

    const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    if (fd < 0) {
        *error = QStringLiteral("cannot create a temporary file next to %1: %2")
                     .arg(path, errnoText(errno));
        return false;
    }
    const auto fail = [&](const QString &what) {
        const int code = errno;
        ::close(fd);
        ::unlink(temporary.constData());
        *error = QStringLiteral("%1 %2: %3").arg(what, path, errnoText(code));
        return false;
    };
    if (!writeAll(fd, contents))
        return fail(QStringLiteral("cannot write the new contents of"));
    if (::fchmod(fd, 0644) != 0)
        return fail(QStringLiteral("cannot set permissions for"));
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("cannot flush the new contents of"));
    if (::close(fd) != 0) {
        const int code = errno;
        ::unlink(temporary.constData());
        *error =
            QStringLiteral("cannot close the new contents of %1: %2").arg(path, errnoText(code));
        return false;
    }
    if (::rename(temporary.constData(), QFile::encodeName(info.absoluteFilePath()).constData()) !=
        0) {
        const int code = errno;
        ::unlink(temporary.constData());
        *error = QStringLiteral("cannot replace %1: %2").arg(path, errnoText(code));
        return false;
    }
    // Persist the rename itself; without this a crash could bring the old file back.
    const int dirFd = ::open(directory.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return true;
}

bool readWholeFile(const QString &path, QByteArray *contents, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *contents = file.readAll();
    return true;
}

} // namespace rwd::fleet
