#include "daemonfixture.h"

#include "client/restclient.h"
#include "processes.h"

#include <QFile>

namespace rwd::testing {

DaemonFixture::DaemonFixture(const Clock &clock)
    : m_clock(clock)
{}

DaemonFixture::~DaemonFixture() = default;

QString DaemonFixture::path(const QString &name) const
{
    return m_dir.filePath(name);
}

Result<void> DaemonFixture::start(const QString &yaml)
{
    QFile file(configPath());
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml.toUtf8()) < 0)
        return failure(QStringLiteral("cannot write %1: %2").arg(configPath(), file.errorString()));
    file.close();
    m_daemon = std::make_unique<daemon::Daemon>(m_clock);
    return m_daemon->start(configPath());
}

void DaemonFixture::stop()
{
    m_daemon.reset();
}

QUrl DaemonFixture::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_daemon->port()));
}

QUrl DaemonFixture::wsUrl(const QString &query) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws/v1%2").arg(m_daemon->port()).arg(query));
}

void DaemonFixture::connect(client::RestClient &rest, const QString &token) const
{
    rest.setBaseUrl(url());
    rest.setToken(token);
}

ProgramRun DaemonFixture::ctl(const QString &token, const QStringList &arguments) const
{
    return rewindctl(url().toString(), token, arguments);
}

QString DaemonFixture::admin(const QString &name, const char *variable, QString *token)
{
    const QString fresh = drill::randomToken();
    qputenv(variable, fresh.toUtf8());
    if (token)
        *token = fresh;
    return drill::sandboxUsers(name, QString::fromLatin1(variable));
}

} // namespace rwd::testing
