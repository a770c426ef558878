#include "requestform.h"

#include "client/commands.h"
#include "client/servicemodel.h"
#include "client/session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rwd::web {

RequestForm::RequestForm(dashboard::DashboardApp *app, QWidget *parent)
    : QWidget(parent)
    , m_app(app)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Request a rollback</b>")));
    m_targets = new QGridLayout;
    layout->addLayout(m_targets);
    auto *form = new QFormLayout;
    m_class = new QComboBox;
    m_class->setObjectName(QStringLiteral("rollbackClass"));
    m_class->addItem(tr("fast: these services"), QStringLiteral("fast"));
    m_class->addItem(tr("immediate: with unverified neighbours"), QStringLiteral("immediate"));
    m_class->addItem(tr("gradual: traffic back in steps"), QStringLiteral("gradual"));
    form->addRow(tr("Class"), m_class);
    m_reason = new QLineEdit;
    m_reason->setObjectName(QStringLiteral("rollbackReason"));
    m_reason->setPlaceholderText(tr("Reason (required)"));
    form->addRow(tr("Reason"), m_reason);
    layout->addLayout(form);
    auto *buttons = new QHBoxLayout;
    m_plan = new QPushButton(tr("Show plan"));
    m_plan->setObjectName(QStringLiteral("planButton"));
    m_request = new QPushButton(tr("Request"));
    m_request->setObjectName(QStringLiteral("requestButton"));
    buttons->addWidget(m_plan);
    buttons->addWidget(m_request);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("requestResult"));
    m_result->setWordWrap(true);
    m_result->setStyleSheet(QStringLiteral("color: #c62828"));
    layout->addWidget(m_result);
    m_planText = new QLabel;
    m_planText->setObjectName(QStringLiteral("planView"));
    m_planText->setWordWrap(true);
    m_planText->setTextFormat(Qt::RichText);
    m_planText->setFrameShape(QFrame::StyledPanel);
    m_planText->setMargin(8);
    m_planText->hide();
    layout->addWidget(m_planText);
    layout->addStretch();

    auto *commands = app->commands();
    connect(m_plan, &QPushButton::clicked, this, [this] {
        m_app->commands()->planRollback(selected(), m_reason->text(),
                                        m_class->currentData().toString());
    });
    connect(m_request, &QPushButton::clicked, this, [this] {
        m_app->commands()->requestRollback(selected(), m_reason->text(),
                                           m_class->currentData().toString());
    });
    connect(m_reason, &QLineEdit::textChanged, this, &RequestForm::updateButtons);
    connect(m_class, &QComboBox::currentIndexChanged, this, &RequestForm::discardPlan);
    connect(commands, &client::Commands::planChanged, this, &RequestForm::showPlan);
    connect(commands, &client::Commands::busyChanged, this, &RequestForm::updateButtons);
    connect(commands, &client::Commands::finished, this,
            [this](bool ok, const QString &command, qint64, const QString &error) {
                if (command != u"plan" && command != u"request")
                    return;
                m_result->setText(ok ? QString() : error);
                if (ok && command == u"request") {
                    for (auto *box : std::as_const(m_boxes))
                        box->setChecked(false);
                    m_reason->clear();
                    discardPlan();
                }
            });
    auto *services = app->services();
    connect(services, &QAbstractItemModel::modelReset, this, &RequestForm::updateServices);
    connect(services, &QAbstractItemModel::rowsInserted, this, &RequestForm::updateServices);
    connect(services, &QAbstractItemModel::rowsRemoved, this, &RequestForm::updateServices);
    connect(app->session(), &client::Session::changed, this, &RequestForm::updateServices);
    updateServices();
}

void RequestForm::preselect(const QString &service)
{
    for (auto *box : std::as_const(m_boxes))
        box->setChecked(box->text() == service && box->isEnabled());
    m_reason->setFocus();
}

QStringList RequestForm::selected() const
{
    QStringList names;
    for (const auto *box : m_boxes) {
        if (box->isChecked())
            names.append(box->text());
    }
    return names;
}

void RequestForm::updateServices()
{
    const QStringList before = selected();
    qDeleteAll(m_boxes);
    m_boxes.clear();
    auto *services = m_app->services();
    for (int row = 0; row < services->rowCount(); ++row) {
        const auto index = services->index(row);
        const QString name = index.data(client::ServiceListModel::NameRole).toString();
        const QString environment =
            index.data(client::ServiceListModel::EnvironmentRole).toString();
        auto *box = new QCheckBox(name);
        box->setObjectName(QStringLiteral("target-%1").arg(name));
        const bool may = m_app->session()->may(QStringLiteral("operate"), environment);
        box->setEnabled(may);
        box->setChecked(may && before.contains(name));
        box->setToolTip(may ? QString() : tr("Needs the operator role in %1").arg(environment));
        connect(box, &QCheckBox::toggled, this, &RequestForm::discardPlan);
        m_targets->addWidget(box, int(m_boxes.size()) / 4, int(m_boxes.size()) % 4);
        m_boxes.append(box);
    }
    updateButtons();
}

void RequestForm::discardPlan()
{
    m_app->commands()->clearPlan();
    updateButtons();
}

void RequestForm::updateButtons()
{
    const bool any = !selected().isEmpty();
    const bool idle = !m_app->commands()->busy();
    const bool planned = m_app->commands()->plan().contains(QStringLiteral("steps"));
    m_plan->setEnabled(any && idle);
    // The plan is shown before anything is asked for.
    m_request->setEnabled(any && idle && planned && !m_reason->text().trimmed().isEmpty());
}

void RequestForm::showPlan()
{
    const auto &plan = m_app->commands()->plan();
    if (!plan.contains(QStringLiteral("steps"))) {
        m_planText->hide();
        updateButtons();
        return;
    }
    QString html = tr("<b>Plan (%1)</b>").arg(plan.value(QStringLiteral("class")).toString());
    const int approvals = plan.value(QStringLiteral("approvalsNeeded")).toInt();
    if (approvals > 0)
        html += QStringLiteral("<br><span style='color:#8a5a00'>%1</span>")
                    .arg(tr("Needs %1 approval(s) before it runs").arg(approvals));
    for (const auto &t : plan.value(QStringLiteral("targets")).toList()) {
        const auto target = t.toMap();
        html += QStringLiteral("<br><b>%1</b>")
                    .arg(tr("%1: %2 → %3 (%4)")
                             .arg(target.value(QStringLiteral("service")).toString(),
                                  target.value(QStringLiteral("fromVersion")).toString(),
                                  target.value(QStringLiteral("toVersion")).toString(),
                                  target.value(QStringLiteral("strategy")).toString())
                             .toHtmlEscaped());
    }
    html += QStringLiteral("<ol>");
    for (const auto &s : plan.value(QStringLiteral("steps")).toList()) {
        const auto step = s.toMap();
        QString line = step.value(QStringLiteral("description")).toString().toHtmlEscaped();
        if (step.value(QStringLiteral("onFailure")).toBool())
            line += QStringLiteral(" <i>%1</i>").arg(tr("(only if a step fails)"));
        html += QStringLiteral("<li>%1</li>").arg(line);
    }
    html += QStringLiteral("</ol>");
    m_planText->setText(html);
    m_planText->show();
    updateButtons();
}

} // namespace rwd::web
