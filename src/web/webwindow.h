#pragma once

#include "app/dashboardapp.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace rwd::web {

class GraphWidget;
class ModelTable;

// The browser dashboard's one window: sign in, then the overview, rollbacks and approvals,
// the dependency graph, history (with report download) and the audit log, over the same
// DashboardApp and models as the desktop's QML views.
class WebWindow final : public QWidget
{
    Q_OBJECT

public:
    explicit WebWindow(dashboard::DashboardApp *app, QWidget *parent = nullptr);

    // The page's origin (the rewindd that served it): where REST and the event stream go.
    void setServer(const QString &url);

private:
    QWidget *makeSignIn();
    QWidget *makeMain();
    QWidget *makeRollbacks();
    QWidget *makeHistory();
    void updateSession();
    void updateApprovalButtons();
    void decide(bool approve);

    dashboard::DashboardApp *m_app;
    QString m_server;
    QStackedWidget *m_pages = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QPushButton *m_signIn = nullptr;
    QLabel *m_signInError = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
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
