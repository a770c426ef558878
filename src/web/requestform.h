#pragma once

#include "app/dashboardapp.h"

#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QCheckBox;

namespace rwd::web {

// Asking for a rollback, as on the desktop: the services (those the user may operate), the
// rollback class and a reason; "Show plan" asks the server for the dry-run plan, which is shown
// before "Request" can be pressed. Changing anything discards the plan.
class RequestForm final : public QWidget
{
    Q_OBJECT

public:
    explicit RequestForm(dashboard::DashboardApp *app, QWidget *parent = nullptr);

    // Checks only `service` (from the charts page's "Request rollback…").
    void preselect(const QString &service);

private:
    void updateServices();
    void updateButtons();
    void showPlan();
    [[nodiscard]] QStringList selected() const;
    void discardPlan();

    dashboard::DashboardApp *m_app;
    QGridLayout *m_targets = nullptr;
    QList<QCheckBox *> m_boxes;
    QComboBox *m_class = nullptr;
    QLineEdit *m_reason = nullptr;
    QPushButton *m_plan = nullptr;
    QPushButton *m_request = nullptr;
    QLabel *m_result = nullptr;
    QLabel *m_planText = nullptr;
};

} // namespace rwd::web
