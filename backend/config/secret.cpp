#include "secret.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace rwd::config {

namespace {

const QString kEnvPrefix = QStringLiteral("env:");
const QString kFilePrefix = QStringLiteral("file:");

// Secrets are short; a large file is almost certainly the wrong path, and reading it whole on
// every connection would be wasteful.
constexpr qint64 kMaxFileBytes = 64 * 1024;

bool isEnvironmentName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(name).hasMatch();
}

} // namespace

Result<Secret> Secret::parse(const QString &text, const QString &baseDirectory)
{
    Secret secret;
    if (text.startsWith(kEnvPrefix)) {
        const QString name = text.mid(kEnvPrefix.size());
        if (!isEnvironmentName(name)) {
            // The text is not echoed: it might be a literal secret that happens to start with
            // "env:".
            return failure(QStringLiteral("'env:' must be followed by the name of an environment "
                                          "variable (letters, digits and '_')"));
        }
        secret.m_source = Source::Environment;
        secret.m_text = name;
    } else if (text.startsWith(kFilePrefix)) {
        const QString path = text.mid(kFilePrefix.size());
        if (path.isEmpty())
            return failure(QStringLiteral("'file:' names no file: write file:PATH"));
        secret.m_source = Source::File;
        secret.m_text = QDir::isAbsolutePath(path) || baseDirectory.isEmpty()
                            ? path
                            : QDir(baseDirectory).absoluteFilePath(path);
    } else {
        secret.m_source = Source::Literal;
        secret.m_text = text;
    }
    return secret;
}

Result<QString> Secret::resolve() const
{
    switch (m_source) {
    case Source::Literal:
        return m_text;
    case Source::Environment:
        if (!qEnvironmentVariableIsSet(m_text.toLocal8Bit().constData()))
            return failure(QStringLiteral("the environment variable %1 is not set").arg(m_text));
        return qEnvironmentVariable(m_text.toLocal8Bit().constData());
    case Source::File: {
        QFile file(m_text);
        if (!file.open(QIODevice::ReadOnly))
            return failure(QStringLiteral("cannot read the secret file %1: %2")
                               .arg(m_text, file.errorString()));
        QByteArray content = file.read(kMaxFileBytes + 1);
        if (content.size() > kMaxFileBytes)
            return failure(QStringLiteral("the secret file %1 is larger than %2 KiB")
                               .arg(m_text)
                               .arg(kMaxFileBytes / 1024));
        // Files written with `echo` or an editor end with a newline that is not part of the
        // secret.
        while (content.endsWith('\n') || content.endsWith('\r'))
            content.chop(1);
        return QString::fromUtf8(content);
    }
    }
    return failure(QStringLiteral("unknown secret source"));
}

QString Secret::redacted() const
{
    switch (m_source) {
    case Source::Environment:
        return kEnvPrefix + m_text;
    case Source::File:
        return kFilePrefix + m_text;
    case Source::Literal:
        break;
    }
    return QStringLiteral("an inline value");
}

} // namespace rwd::config
