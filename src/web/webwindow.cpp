#include "webwindow.h"

#include "chartspage.h"
#include "client/notificationmodel.h"
#include "graphwidget.h"
#include "modeltable.h"
#include "requestform.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace rwd::web {

using Columns = QList<ModelTable::Column>;

WebWindow::WebWindow(dashboard::DashboardApp *app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
{
    setObjectName(QStringLiteral("window"));
    m_pages = new QStackedWidget(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
    m_toastTimer = new QTimer(this);
    m_toastTimer->setSingleShot(true);
    m_toastTimer->setInterval(6000);
    build();
    applyTheme();
    connect(app, &dashboard::DashboardApp::connectionChanged, this, &WebWindow::updateSession);
    connect(app, &dashboard::DashboardApp::settingsChanged, this, &WebWindow::applyTheme);
    // Widgets take their texts when made: a new language makes the pages again (queued, as the
    // language box that asked is one of them).
    connect(
        app, &dashboard::DashboardApp::languageChanged, this,
        [this] {
            const int tab = m_tabs->currentIndex();
            build();
            m_tabs->setCurrentIndex(tab);
        },
        Qt::QueuedConnection);
    connect(app->notifications(), &client::NotificationModel::posted, this, &WebWindow::toast);
}

void WebWindow::setServer(const QString &url)
{
    m_server = url;
}

void WebWindow::build()
{
    setWindowTitle(tr("Rewind"));
    while (m_pages->count() > 0) {
        auto *page = m_pages->widget(0);
        m_pages->removeWidget(page);
        page->setParent(nullptr); // out of findChild's sight at once
        page->deleteLater();
    }
    m_pages->addWidget(makeSignIn());
    m_pages->addWidget(makeMain());
    updateSession();
    updateNotifications();
}

QWidget *WebWindow::makeSignIn()
{
    auto *page = new QWidget;
    // A card in the middle of the page: the title, the fields, the button and the reason of a
    // refusal, which wraps below them.
    auto *box = new QFrame(page);
    box->setFrameShape(QFrame::StyledPanel);
    box->setFixedWidth(420);
    box->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Maximum);
    auto *card = new QVBoxLayout(box);
    card->setContentsMargins(24, 20, 24, 20);
    card->setSpacing(12);
    auto *title = new QLabel(tr("Sign in to Rewind"));
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title->setFont(big);
    card->addWidget(title);
    auto *form = new QFormLayout;
    card->addLayout(form);
    m_user = new QLineEdit;
    m_user->setObjectName(QStringLiteral("user"));
    m_user->setText(m_app->lastUser());
    m_password = new QLineEdit;
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    auto *secretLabel = new QLabel(tr("Password"));
    auto *useToken = new QCheckBox(tr("Sign in with an API token"));
    useToken->setObjectName(QStringLiteral("useToken"));
    connect(useToken, &QCheckBox::toggled, page, [this, secretLabel](bool token) {
        secretLabel->setText(token ? tr("API token") : tr("Password"));
        m_user->setEnabled(!token);
    });
    form->addRow(tr("User"), m_user);
    form->addRow(secretLabel, m_password);
    form->addRow(useToken);
    m_signIn = new QPushButton(tr("Sign in"));
    m_signIn->setObjectName(QStringLiteral("signIn"));
    m_signIn->setDefault(true);
    card->addWidget(m_signIn);
    m_signInError = new QLabel;
    m_signInError->setObjectName(QStringLiteral("signInError"));
    m_signInError->setWordWrap(true);
    m_signInError->setStyleSheet(QStringLiteral("color: #b3261e"));
    card->addWidget(m_signInError);
    auto *outer = new QVBoxLayout(page);
    outer->addWidget(box, 0, Qt::AlignCenter);
    const auto submit = [this, useToken] {
        m_signInError->clear();
        if (useToken->isChecked())
            m_app->connectToServer(m_server, m_password->text());
        else
            m_app->signIn(m_server, m_user->text(), m_password->text());
        m_password->clear();
    };
    connect(m_signIn, &QPushButton::clicked, this, submit);
    connect(m_password, &QLineEdit::returnPressed, this, submit);
    return page;
}

QWidget *WebWindow::makeBar()
{
    auto *bar = new QWidget;
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    auto *brand = new QLabel(QStringLiteral("<b>Rewind</b>"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("status"));
    m_bell = new QPushButton;
    m_bell->setObjectName(QStringLiteral("notificationsButton"));
    m_bell->setCheckable(true);
    auto *dark = new QCheckBox(tr("Dark"));
    dark->setObjectName(QStringLiteral("darkMode"));
    dark->setChecked(m_app->dark());
    connect(dark, &QCheckBox::toggled, m_app, &dashboard::DashboardApp::setDark);
    auto *language = new QComboBox;
    language->setObjectName(QStringLiteral("language"));
    // Each language by its own name, as language menus do.
    for (const auto &code : dashboard::DashboardApp::languages()) {
        const QLocale locale(code);
        QString name = locale.nativeLanguageName();
        if (locale.language() == QLocale::English)
            name = QStringLiteral("English"); // not "American English"
        name[0] = name.at(0).toUpper();
        language->addItem(name, code);
    }
    language->setCurrentIndex(std::max(0, language->findData(m_app->language())));
    connect(language, &QComboBox::activated, this,
            [this, language] { m_app->setLanguage(language->currentData().toString()); });
    auto *signOut = new QPushButton(tr("Sign out"));
    signOut->setObjectName(QStringLiteral("signOut"));
    connect(signOut, &QPushButton::clicked, m_app, &dashboard::DashboardApp::signOut);
    row->addWidget(brand);
    row->addStretch();
    row->addWidget(m_status);
    row->addWidget(m_bell);
    row->addWidget(dark);
    row->addWidget(language);
    row->addWidget(signOut);
    return bar;
}

QWidget *WebWindow::makeMain()
{
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(makeBar());

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("tabs"));
    auto *overview = new ModelTable(m_app->overview(), Columns{{tr("Service"), "name"},
                                                               {tr("Environment"), "environment"},
                                                               {tr("Health"), "health"},
                                                               {tr("Version"), "currentVersion"},
                                                               {tr("State"), "currentState"},
                                                               {tr("Last good"), "lastGoodVersion"},
                                                               {tr("Firing"), "firingSummary"},
                                                               {tr("Verification"), "verification"},
                                                               {tr("Frozen"), "frozen"}});
    overview->setObjectName(QStringLiteral("overview"));
    m_tabs->addTab(overview, tr("Overview"));
    m_charts = new ChartsPage(m_app);
    m_tabs->addTab(m_charts, tr("Service"));
    // Double-clicking a service opens its charts.
    connect(overview, &QTableWidget::cellDoubleClicked, this, [this, overview](int row) {
        m_charts->showService(overview->value(row, "name").toString());
        m_tabs->setCurrentWidget(m_charts);
    });
    auto *rollbacks = makeRollbacks();
    m_tabs->addTab(rollbacks, tr("Rollbacks"));
    connect(m_charts, &ChartsPage::rollbackRequested, this, [this, rollbacks](const QString &s) {
        m_request->preselect(s);
        m_tabs->setCurrentWidget(rollbacks);
    });
    m_graph = new GraphWidget(m_app->graph());
    m_graph->setObjectName(QStringLiteral("graph"));
    m_tabs->addTab(m_graph, tr("Graph"));
    m_tabs->addTab(makeHistory(), tr("History"));
    auto *audit = new ModelTable(m_app->audit(), Columns{{tr("Time"), "at"},
                                                         {tr("Actor"), "actor"},
                                                         {tr("Action"), "action"},
                                                         {tr("Target"), "target"},
                                                         {tr("Details"), "details"}});
    audit->setObjectName(QStringLiteral("audit"));
    m_auditPage = audit;
    m_tabs->addTab(audit, tr("Audit"));

    // Notifications: a panel beside the tabs, opened with the bell; reading them marks them.
    m_notifications = new QListWidget;
    m_notifications->setObjectName(QStringLiteral("notifications"));
    m_notifications->setWordWrap(true);
    m_notifications->setMaximumWidth(340);
    m_notifications->hide();
    connect(m_bell, &QPushButton::toggled, this, [this](bool open) {
        m_notifications->setVisible(open);
        if (open)
            m_app->notifications()->markAllRead();
    });
    auto *notifications = m_app->notifications();
    const auto refresh = [this] { updateNotifications(); };
    connect(notifications, &QAbstractItemModel::modelReset, page, refresh);
    connect(notifications, &QAbstractItemModel::rowsInserted, page, refresh);
    connect(notifications, &QAbstractItemModel::rowsRemoved, page, refresh);
    connect(notifications, &QAbstractItemModel::dataChanged, page, refresh);
    auto *middle = new QHBoxLayout;
    middle->addWidget(m_tabs, 1);
    middle->addWidget(m_notifications);
    layout->addLayout(middle, 1);

    m_toast = new QLabel;
    m_toast->setObjectName(QStringLiteral("toast"));
    m_toast->setWordWrap(true);
    m_toast->hide();
    connect(m_toastTimer, &QTimer::timeout, m_toast, &QWidget::hide);
    layout->addWidget(m_toast);
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
    connect(m_app->session(), &client::Session::changed, m_approvals,
            [this] { updateApprovalButtons(); });
    connect(m_app->commands(), &client::Commands::busyChanged, m_approvals,
            [this] { updateApprovalButtons(); });
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

    auto *page = new QSplitter(Qt::Horizontal);
    page->addWidget(split);
    m_request = new RequestForm(m_app);
    page->addWidget(m_request);
    page->setStretchFactor(0, 3);
    page->setStretchFactor(1, 2);
    return page;
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

void WebWindow::updateNotifications()
{
    auto *model = m_app->notifications();
    const int unread = model->unread();
    m_bell->setText(unread > 0 ? tr("Notifications (%1)").arg(unread) : tr("Notifications"));
    m_notifications->clear();
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto index = model->index(row);
        const auto time =
            index.data(client::NotificationModel::TimeRole).toDateTime().toLocalTime();
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  %2\n%3")
                .arg(QLocale().toString(time.time(), QLocale::ShortFormat),
                     index.data(client::NotificationModel::TitleRole).toString(),
                     index.data(client::NotificationModel::TextRole).toString()));
        if (index.data(client::NotificationModel::UrgentRole).toBool())
            item->setForeground(QColor(0xc6, 0x28, 0x28));
        m_notifications->addItem(item);
    }
}

void WebWindow::toast(const QString &title, const QString &text, bool urgent)
{
    m_toast->setText(
        QStringLiteral("<b>%1</b> %2").arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
    m_toast->setStyleSheet(urgent
                               ? QStringLiteral("background:#fdecea; color:#8c1d18; padding:8px")
                               : QStringLiteral("background:#e8f0fe; color:#1a3d8f; padding:8px"));
    m_toast->show();
    m_toastTimer->start();
}

// The desktop's look: Fusion, light or dark.
void WebWindow::applyTheme()
{
    const bool dark = m_app->dark();
    QPalette palette = QApplication::style()->standardPalette();
    if (dark) {
        const QColor window(0x2b, 0x2e, 0x33);
        const QColor base(0x1e, 0x21, 0x26);
        const QColor text(0xe6, 0xe8, 0xeb);
        palette.setColor(QPalette::Window, window);
        palette.setColor(QPalette::WindowText, text);
        palette.setColor(QPalette::Base, base);
        palette.setColor(QPalette::AlternateBase, window);
        palette.setColor(QPalette::Text, text);
        palette.setColor(QPalette::Button, window);
        palette.setColor(QPalette::ButtonText, text);
        palette.setColor(QPalette::ToolTipBase, base);
        palette.setColor(QPalette::ToolTipText, text);
        palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa4, 0xae));
        palette.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::Link, QColor(0x7a, 0xa7, 0xff));
        for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            palette.setColor(QPalette::Disabled, role, QColor(0x7d, 0x85, 0x90));
    }
    QApplication::setPalette(palette);
    if (m_graph)
        m_graph->setDark(dark);
    if (m_charts)
        m_charts->setDark(dark);
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
