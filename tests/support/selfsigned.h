#pragma once

// A self-signed certificate and its key, made by openssl (run as argv) for a test's TLS server.
#include <QDir>
#include <QProcess>
#include <QString>

namespace rwd::testing {

struct SelfSigned
{
    QString certificate; // PEM file
    QString key;         // PEM file, unencrypted RSA
    QString error;       // why it could not be made ("" on success)
};

// Writes cert.pem and key.pem into `dir` for the common name `cn`; `altName`, when given, is a
// subjectAltName entry such as "IP:127.0.0.1".
inline SelfSigned makeSelfSigned(const QString &dir, const QString &cn, const QString &altName = {})
{
    SelfSigned out{QDir(dir).filePath(QStringLiteral("cert.pem")),
                   QDir(dir).filePath(QStringLiteral("key.pem")),
                   {}};
    QStringList args{QStringLiteral("req"),
                     QStringLiteral("-x509"),
                     QStringLiteral("-newkey"),
                     QStringLiteral("rsa:2048"),
                     QStringLiteral("-nodes"),
                     QStringLiteral("-keyout"),
                     out.key,
                     QStringLiteral("-out"),
                     out.certificate,
                     QStringLiteral("-days"),
                     QStringLiteral("2"),
                     QStringLiteral("-subj"),
                     QStringLiteral("/CN=") + cn};
    if (!altName.isEmpty())
        args << QStringLiteral("-addext") << QStringLiteral("subjectAltName=") + altName;
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"), args);
    if (!openssl.waitForFinished(60'000) || openssl.exitCode() != 0)
        out.error = QStringLiteral("openssl req failed: ") +
                    QString::fromLocal8Bit(openssl.readAllStandardError());
    return out;
}

} // namespace rwd::testing
