#pragma once

#include "app/dashboardapp.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;

namespace rwd::web {

class ChartsPage;
class GraphWidget;
class ModelTable;
class RequestForm;

// The browser dashboard's one window, over the same DashboardApp and models as the desktop's
// QML views: sign in, then the overview, a service's charts, rollbacks (approvals, the request
// form with its dry-run plan, live progress), the dependency graph, history (with the PDF
// report as a download) and the audit log (admins); notifications, light or dark, and the
// language, which rebuilds the pages in it (right to left in Arabic).
class WebWindow final : public QWidget
{
    Q_OBJECT

public:
    explicit WebWindow(dashboard::DashboardApp *app, QWidget *parent = nullptr);

    // The page's origin (the rewindd that served it): where REST and the event stream go.
    void setServer(const QString &url);

private:
    void build();
    QWidget *makeSignIn();
    QWidget *makeMain();
    QWidget *makeBar();
    QWidget *makeRollbacks();
    QWidget *makeHistory();
    void updateSession();
    void updateApprovalButtons();
    void updateNotifications();
    void applyTheme();
    void toast(const QString &title, const QString &text, bool urgent);
    void decide(bool approve);

    dashboard::DashboardApp *m_app;
    QString m_server;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QPushButton *m_signIn = nullptr;
    QLabel *m_signInError = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_bell = nullptr;
    QListWidget *m_notifications = nullptr;
    QLabel *m_toast = nullptr;
    QTimer *m_toastTimer = nullptr;
    QTabWidget *m_tabs = nullptr;
    ChartsPage *m_charts = nullptr;
    RequestForm *m_request = nullptr;
    GraphWidget *m_graph = nullptr;
    ModelTable *m_approvals = nullptr;
    QLineEdit *m_comment = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_reject = nullptr;
    QLabel *m_whyNot = nullptr;
    ModelTable *m_incidents = nullptr;
    QPushButton *m_report = nullptr;
    QWidget *m_auditPage = nullptr;
};

} // namespace rwd::web
