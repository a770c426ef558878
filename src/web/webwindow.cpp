#include "webwindow.h"

#include "graphwidget.h"
#include "modeltable.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace rwd::web {

using Columns = QList<ModelTable::Column>;

WebWindow::WebWindow(dashboard::DashboardApp *app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
{
    setObjectName(QStringLiteral("window"));
    setWindowTitle(tr("Rewind"));
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(makeSignIn());
    m_pages->addWidget(makeMain());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
    connect(app, &dashboard::DashboardApp::connectionChanged, this, &WebWindow::updateSession);
    updateSession();
}

void WebWindow::setServer(const QString &url)
{
    m_server = url;
}

QWidget *WebWindow::makeSignIn()
{
    auto *page = new QWidget;
    auto *box = new QWidget(page);
    box->setMaximumWidth(420);
    auto *form = new QFormLayout(box);
    auto *title = new QLabel(tr("Sign in to Rewind"));
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title->setFont(big);
    form->addRow(title);
    m_user = new QLineEdit;
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setText(m_app->lastUser());
    m_password = new QLineEdit;
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    m_signIn = new QPushButton(tr("Sign in"));
    m_signIn->setObjectName(QStringLiteral("signIn"));
    m_signIn->setDefault(true);
    form->addRow(m_signIn);
    m_signInError = new QLabel;
    m_signInError->setObjectName(QStringLiteral("signInError"));
    m_signInError->setWordWrap(true);
    m_signInError->setStyleSheet(QStringLiteral("color: #b3261e"));
    form->addRow(m_signInError);
    auto *outer = new QVBoxLayout(page);
    outer->addStretch();
    outer->addWidget(box, 0, Qt::AlignHCenter);
    outer->addStretch(2);
    const auto submit = [this] {
        m_signInError->clear();
        m_app->signIn(m_server, m_user->text(), m_password->text());
        m_password->clear();
    };
    connect(m_signIn, &QPushButton::clicked, this, submit);
    connect(m_password, &QLineEdit::returnPressed, this, submit);
    return page;
}

QWidget *WebWindow::makeMain()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    auto *bar = new QHBoxLayout;
    auto *brand = new QLabel(QStringLiteral("<b>Rewind</b>"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("status"));
    auto *signOut = new QPushButton(tr("Sign out"));
    signOut->setObjectName(QStringLiteral("signOut"));
    connect(signOut, &QPushButton::clicked, m_app, &dashboard::DashboardApp::signOut);
    bar->addWidget(brand);
    bar->addStretch();
    bar->addWidget(m_status);
    bar->addWidget(signOut);
    layout->addLayout(bar);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("tabs"));
    auto *overview = new ModelTable(m_app->overview(), Columns{{tr("Service"), "name"},
                                                               {tr("Environment"), "environment"},
                                                               {tr("Health"), "health"},
                                                               {tr("Version"), "currentVersion"},
                                                               {tr("State"), "currentState"},
                                                               {tr("Last good"), "lastGoodVersion"},
                                                               {tr("Firing"), "firingSummary"},
                                                               {tr("Frozen"), "frozen"}});
    overview->setObjectName(QStringLiteral("overview"));
    m_tabs->addTab(overview, tr("Overview"));
    m_tabs->addTab(makeRollbacks(), tr("Rollbacks"));
    auto *graph = new GraphWidget(m_app->graph());
    graph->setObjectName(QStringLiteral("graph"));
    m_tabs->addTab(graph, tr("Graph"));
    m_tabs->addTab(makeHistory(), tr("History"));
    auto *audit = new ModelTable(m_app->audit(), Columns{{tr("Time"), "at"},
                                                         {tr("Actor"), "actor"},
                                                         {tr("Action"), "action"},
                                                         {tr("Target"), "target"},
                                                         {tr("Details"), "details"}});
    audit->setObjectName(QStringLiteral("audit"));
    m_auditPage = audit;
    m_tabs->addTab(audit, tr("Audit"));
    layout->addWidget(m_tabs);
    return page;
}

QWidget *WebWindow::makeRollbacks()
{
    auto *split = new QSplitter(Qt::Vertical);
    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->addWidget(new QLabel(tr("<b>Waiting for approval</b>")));
    m_approvals = new ModelTable(m_app->approvals(), Columns{{tr("Rollback"), "rollbackId"},
                                                             {tr("Services"), "summary"},
                                                             {tr("Reason"), "reason"},
                                                             {tr("Requested by"), "requestedBy"},
                                                             {tr("Approvals"), "approvals"},
                                                             {tr("Needed"), "needed"}});
    m_approvals->setObjectName(QStringLiteral("approvals"));
    topLayout->addWidget(m_approvals);
    auto *decide = new QHBoxLayout;
    m_comment = new QLineEdit;
    m_comment->setObjectName(QStringLiteral("comment"));
    m_comment->setPlaceholderText(tr("Comment (optional)"));
    m_approve = new QPushButton(tr("Approve"));
    m_approve->setObjectName(QStringLiteral("approve"));
    m_reject = new QPushButton(tr("Reject"));
    m_reject->setObjectName(QStringLiteral("reject"));
    decide->addWidget(m_comment, 1);
    decide->addWidget(m_approve);
    decide->addWidget(m_reject);
    topLayout->addLayout(decide);
    m_whyNot = new QLabel;
    m_whyNot->setObjectName(QStringLiteral("whyNot"));
    topLayout->addWidget(m_whyNot);
    connect(m_approvals, &ModelTable::selectionMoved, this, &WebWindow::updateApprovalButtons);
    connect(m_app->session(), &client::Session::changed, this, &WebWindow::updateApprovalButtons);
    connect(m_app->commands(), &client::Commands::busyChanged, this,
            &WebWindow::updateApprovalButtons);
    connect(m_approve, &QPushButton::clicked, this, [this] { this->decide(true); });
    connect(m_reject, &QPushButton::clicked, this, [this] { this->decide(false); });
    split->addWidget(top);

    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->addWidget(new QLabel(tr("<b>Rollbacks</b>")));
    auto *rollbacks =
        new ModelTable(m_app->rollbacks(), Columns{{tr("Rollback"), "rollbackId"},
                                                   {tr("State"), "state"},
                                                   {tr("Services"), "summary"},
                                                   {tr("Steps done"), "stepsDone"},
                                                   {tr("Steps"), "stepCount"},
                                                   {tr("Current step"), "currentStep"},
                                                   {tr("Reason"), "reason"}});
    rollbacks->setObjectName(QStringLiteral("rollbacks"));
    bottomLayout->addWidget(rollbacks);
    split->addWidget(bottom);
    updateApprovalButtons();
    return split;
}

QWidget *WebWindow::makeHistory()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(new QLabel(tr("<b>Incidents</b>")));
    m_incidents = new ModelTable(m_app->incidents(), Columns{{tr("Incident"), "id"},
                                                             {tr("Title"), "title"},
                                                             {tr("Services"), "services"},
                                                             {tr("Severity"), "severity"},
                                                             {tr("Opened"), "openedAt"},
                                                             {tr("Closed"), "closedAt"}});
    m_incidents->setObjectName(QStringLiteral("incidents"));
    layout->addWidget(m_incidents);
    m_report = new QPushButton(tr("Download PDF report"));
    m_report->setObjectName(QStringLiteral("report"));
    connect(m_incidents, &ModelTable::selectionMoved, this,
            [this] { m_report->setEnabled(m_incidents->selectedValue("id").isValid()); });
    m_report->setEnabled(false);
    connect(m_report, &QPushButton::clicked, this, [this] {
        const qint64 id = m_incidents->selectedValue("id").toLongLong();
        m_app->fetchReport(id, [this, id](const QByteArray &pdf, const QString &error) {
            if (pdf.isEmpty()) {
                m_status->setText(tr("Report failed: %1").arg(error));
                return;
            }
            // In the browser this is a download of the file.
            QFileDialog::saveFileContent(pdf, dashboard::DashboardApp::reportFileName(id));
        });
    });
    layout->addWidget(m_report, 0, Qt::AlignLeft);
    layout->addWidget(new QLabel(tr("<b>Rollback history</b>")));
    auto *history = new ModelTable(m_app->history(), Columns{{tr("Rollback"), "id"},
                                                             {tr("State"), "state"},
                                                             {tr("Services"), "summary"},
                                                             {tr("Trigger"), "trigger"},
                                                             {tr("Requested by"), "requestedBy"},
                                                             {tr("Started"), "createdAt"},
                                                             {tr("Finished"), "finishedAt"}});
    history->setObjectName(QStringLiteral("history"));
    layout->addWidget(history);
    return page;
}

void WebWindow::updateSession()
{
    auto *session = m_app->session();
    const bool in = session->signedIn();
    m_pages->setCurrentIndex(in ? 1 : 0);
    m_signIn->setEnabled(!session->busy());
    if (!in)
        m_signInError->setText(m_app->errorString());
    m_status->setText(in ? tr("%1 · %2").arg(session->user(), m_app->status()) : m_app->status());
    m_tabs->setTabVisible(m_tabs->indexOf(m_auditPage), session->admin());
}

void WebWindow::updateApprovalButtons()
{
    const QVariant id = m_approvals->selectedValue("rollbackId");
    const bool can = id.isValid() && m_approvals->selectedValue("canDecide").toBool() &&
                     !m_app->commands()->busy();
    m_approve->setEnabled(can);
    m_reject->setEnabled(can);
    m_whyNot->setText(id.isValid() ? m_approvals->selectedValue("whyNot").toString()
                                   : tr("Select a rollback to approve or reject it."));
}

void WebWindow::decide(bool approve)
{
    const qint64 id = m_approvals->selectedValue("rollbackId").toLongLong();
    if (id <= 0)
        return;
    if (approve)
        m_app->commands()->approve(id, m_comment->text());
    else
        m_app->commands()->reject(id, m_comment->text());
    m_comment->clear();
}

} // namespace rwd::web
