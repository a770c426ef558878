#pragma once

#include "client/connection.h"
#include "client/dashboardstate.h"
#include "client/rollbackmodel.h"
#include "client/servicemodel.h"

#include <QObject>
#include <QUrl>

namespace rwd::dashboard {

// What the QML views see: the connection to one rewindd and the models over its state. Holds
// no logic of its own beyond wiring; QML holds layout only.
class DashboardApp final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY connectionChanged)
    Q_PROPERTY(QString status READ status NOTIFY connectionChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY connectionChanged)
    Q_PROPERTY(bool connected READ connected NOTIFY connectionChanged)
    Q_PROPERTY(rwd::client::ServiceListModel *services READ services CONSTANT)
    Q_PROPERTY(rwd::client::RollbackListModel *rollbacks READ rollbacks CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)

public:
    explicit DashboardApp(QObject *parent = nullptr);

    // Accepts "host:port" as well as a full http(s) URL; `token` signs the session in (a session
    // token from sign-in, or an API token).
    Q_INVOKABLE void connectToServer(const QString &url, const QString &token = {});

    [[nodiscard]] QString serverUrl() const { return m_connection->serverUrl().toString(); }
    [[nodiscard]] QString status() const;
    [[nodiscard]] QString errorString() const { return m_connection->errorString(); }
    [[nodiscard]] bool connected() const;
    [[nodiscard]] client::ServiceListModel *services() { return &m_services; }
    [[nodiscard]] client::RollbackListModel *rollbacks() { return &m_rollbacks; }
    [[nodiscard]] client::Connection &connection() { return *m_connection; }
    [[nodiscard]] static QString version();

    // The URL a user typed, normalised: "127.0.0.1:8470" -> "http://127.0.0.1:8470".
    [[nodiscard]] static QUrl normalizeServerUrl(const QString &text);

signals:
    void connectionChanged();

private:
    client::DashboardState m_state;
    client::Connection *m_connection;
    client::ServiceListModel m_services;
    client::RollbackListModel m_rollbacks;
};

} // namespace rwd::dashboard
