#pragma once

#include "client/approvalmodel.h"
#include "client/commands.h"
#include "client/connection.h"
#include "client/dashboardstate.h"
#include "client/graph/dependencygraph.h"
#include "client/notificationmodel.h"
#include "client/restlistmodel.h"
#include "client/rollbackmodel.h"
#include "client/servicefiltermodel.h"
#include "client/servicemetrics.h"
#include "client/servicemodel.h"
#include "client/session.h"

#include <QObject>
#include <QTimer>
#include <QTranslator>
#include <QUrl>

#include <functional>

namespace rwd::dashboard {

// What the views of both shells see (QML on the desktop, Qt Widgets in the browser): the session
// with one rewindd and the models over its state, the commands, and the app's settings (server,
// theme, language). Holds no logic of its own beyond wiring and settings; the models in
// rewind_client hold the logic, QML the layout.
class DashboardApp final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY connectionChanged)
    Q_PROPERTY(QString status READ status NOTIFY connectionChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY connectionChanged)
    Q_PROPERTY(bool connected READ connected NOTIFY connectionChanged)
    Q_PROPERTY(rwd::client::Session *session READ session CONSTANT)
    Q_PROPERTY(rwd::client::ServiceListModel *services READ services CONSTANT)
    Q_PROPERTY(rwd::client::ServiceFilterModel *overview READ overview CONSTANT)
    Q_PROPERTY(rwd::client::RollbackListModel *rollbacks READ rollbacks CONSTANT)
    Q_PROPERTY(rwd::client::PendingApprovalModel *approvals READ approvals CONSTANT)
    Q_PROPERTY(rwd::client::NotificationModel *notifications READ notifications CONSTANT)
    Q_PROPERTY(rwd::client::ServiceMetrics *metrics READ metrics CONSTANT)
    Q_PROPERTY(rwd::client::Commands *commands READ commands CONSTANT)
    Q_PROPERTY(rwd::client::RestListModel *incidents READ incidents CONSTANT)
    Q_PROPERTY(rwd::client::RestListModel *history READ history CONSTANT)
    Q_PROPERTY(rwd::client::RestListModel *audit READ audit CONSTANT)
    Q_PROPERTY(rwd::client::DependencyGraph *graph READ graph CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    // Settings, remembered between runs.
    Q_PROPERTY(QString lastServer READ lastServer NOTIFY settingsChanged)
    Q_PROPERTY(QString lastUser READ lastUser NOTIFY settingsChanged)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY settingsChanged)
    // "" follows the system; otherwise en, it or ar.
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QStringList languages READ languages CONSTANT)
    Q_PROPERTY(bool rightToLeft READ rightToLeft NOTIFY languageChanged)

public:
    explicit DashboardApp(QObject *parent = nullptr);
    ~DashboardApp() override;

    // Signs in with a token (a session token or an API token); the address may be "host:port".
    Q_INVOKABLE void connectToServer(const QString &url, const QString &token = {});
    // Signs in with a user name and password, and remembers the server and user.
    Q_INVOKABLE void signIn(const QString &url, const QString &user, const QString &password);
    Q_INVOKABLE void signOut();

    // Writes the PDF report of an incident to `file` (a local file URL or path). The outcome
    // arrives as reportSaved.
    Q_INVOKABLE void saveReport(qint64 incidentId, const QUrl &file);
    // The PDF report of an incident, made from the server's report data (`done` gets the PDF,
    // or an empty one and why).
    void fetchReport(qint64 incidentId,
                     std::function<void(const QByteArray &pdf, const QString &error)> done);
    // The file name a save dialog proposes for an incident's report.
    [[nodiscard]] Q_INVOKABLE static QString reportFileName(qint64 incidentId);

    // Re-reads what the event stream does not carry (freezes, incidents, history, audit).
    Q_INVOKABLE void refreshLists();

    [[nodiscard]] QString serverUrl() const { return m_connection->serverUrl().toString(); }
    [[nodiscard]] QString status() const;
    [[nodiscard]] QString errorString() const;
    [[nodiscard]] bool connected() const;
    [[nodiscard]] client::Session *session() { return &m_session; }
    [[nodiscard]] client::ServiceListModel *services() { return &m_services; }
    [[nodiscard]] client::ServiceFilterModel *overview() { return &m_overview; }
    [[nodiscard]] client::RollbackListModel *rollbacks() { return &m_rollbacks; }
    [[nodiscard]] client::PendingApprovalModel *approvals() { return &m_approvals; }
    [[nodiscard]] client::NotificationModel *notifications() { return &m_notifications; }
    [[nodiscard]] client::ServiceMetrics *metrics() { return &m_metrics; }
    [[nodiscard]] client::Commands *commands() { return &m_commands; }
    [[nodiscard]] client::RestListModel *incidents() { return &m_incidents; }
    [[nodiscard]] client::RestListModel *history() { return &m_history; }
    [[nodiscard]] client::RestListModel *audit() { return &m_audit; }
    [[nodiscard]] client::DependencyGraph *graph() { return &m_graph; }
    [[nodiscard]] client::Connection &connection() { return *m_connection; }
    [[nodiscard]] client::DashboardState &state() { return m_state; }
    [[nodiscard]] static QString version();

    [[nodiscard]] QString lastServer() const;
    [[nodiscard]] QString lastUser() const;
    [[nodiscard]] bool dark() const { return m_dark; }
    void setDark(bool dark);
    [[nodiscard]] const QString &language() const { return m_language; }
    void setLanguage(const QString &language);
    [[nodiscard]] static QStringList languages();
    [[nodiscard]] bool rightToLeft() const;

    // The URL a user typed, normalised: "127.0.0.1:8470" -> "http://127.0.0.1:8470".
    [[nodiscard]] static QUrl normalizeServerUrl(const QString &text);

signals:
    void connectionChanged();
    void settingsChanged();
    void languageChanged();
    // A report was written (ok) or could not be (error says why).
    void reportSaved(bool ok, const QString &path, const QString &error);

private:
    void onEvent(const protocol::Event &event);
    void fetchFreezes();
    void applyLanguage();

    client::DashboardState m_state;
    client::Connection *m_connection;
    client::Session m_session;
    client::ServiceListModel m_services;
    client::ServiceFilterModel m_overview;
    client::RollbackListModel m_rollbacks;
    client::PendingApprovalModel m_approvals;
    client::NotificationModel m_notifications;
    client::ServiceMetrics m_metrics;
    client::Commands m_commands;
    client::RestListModel m_incidents;
    client::RestListModel m_history;
    client::RestListModel m_audit;
    client::DependencyGraph m_graph;
    QTimer m_listRefresh;  // coalesces the refreshes a burst of events asks for
    QTimer m_freezeExpiry; // re-evaluates freezes when the next one ends
    bool m_dark = false;
    QString m_language;
    QTranslator m_translator;
};

} // namespace rwd::dashboard
