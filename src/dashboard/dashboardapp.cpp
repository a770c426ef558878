#include "dashboardapp.h"

#include "websockettransport.h"

namespace rwd::dashboard {

DashboardApp::DashboardApp(QObject *parent)
    : QObject(parent)
    , m_connection(new client::Connection(new WebSocketTransport, &m_state, this))
    , m_services(&m_state)
    , m_rollbacks(&m_state)
{
    connect(m_connection, &client::Connection::statusChanged, this,
            &DashboardApp::connectionChanged);
}

QUrl DashboardApp::normalizeServerUrl(const QString &text)
{
    const auto trimmed = text.trimmed();
    const bool hasScheme = trimmed.startsWith(QLatin1String("http://")) ||
                           trimmed.startsWith(QLatin1String("https://"));
    return QUrl(hasScheme ? trimmed : QStringLiteral("http://") + trimmed, QUrl::StrictMode);
}

void DashboardApp::connectToServer(const QString &url, const QString &token)
{
    const auto normalized = normalizeServerUrl(url);
    if (!normalized.isValid() || normalized.host().isEmpty()) {
        m_connection->disconnectFromServer();
        return;
    }
    m_connection->connectTo(normalized, token);
}

QString DashboardApp::status() const
{
    switch (m_connection->status()) {
    case client::Connection::Status::Disconnected:
        return tr("Disconnected");
    case client::Connection::Status::Connecting:
        return tr("Connecting…");
    case client::Connection::Status::Connected:
        return tr("Connected");
    case client::Connection::Status::Reconnecting:
        return tr("Reconnecting…");
    }
    return {};
}

bool DashboardApp::connected() const
{
    return m_connection->status() == client::Connection::Status::Connected;
}

QString DashboardApp::version()
{
    return QStringLiteral("0.1.0");
}

} // namespace rwd::dashboard
