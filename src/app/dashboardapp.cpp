#include "dashboardapp.h"

#include "client/historysources.h"
#include "platformtransport.h"
#include "report/incidentreport.h"

#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QSaveFile>
#include <QSettings>

namespace rwd::dashboard {

namespace {

const QString kServerKey = QStringLiteral("session/server");
const QString kUserKey = QStringLiteral("session/user");
const QString kDarkKey = QStringLiteral("appearance/dark");
const QString kLanguageKey = QStringLiteral("appearance/language");

} // namespace

DashboardApp::DashboardApp(QObject *parent)
    : QObject(parent)
    , m_connection(new client::Connection(createPlatformTransport(), &m_state, this))
    , m_session(m_connection)
    , m_services(&m_state)
    , m_overview(&m_services)
    , m_rollbacks(&m_state)
    , m_approvals(&m_state, &m_session)
    , m_notifications(&m_state)
    , m_metrics(m_connection, &m_state)
    , m_commands(&m_connection->rest())
    , m_incidents(&m_connection->rest(), client::incidentsSource())
    , m_history(&m_connection->rest(), client::rollbackHistorySource())
    , m_audit(&m_connection->rest(), client::auditSource())
    , m_graph(&m_state)
{
    QSettings settings;
    m_dark = settings.value(kDarkKey, false).toBool();
    m_language = settings.value(kLanguageKey).toString();
    applyLanguage();

    connect(m_connection, &client::Connection::statusChanged, this,
            &DashboardApp::connectionChanged);
    connect(&m_session, &client::Session::changed, this, &DashboardApp::connectionChanged);
    connect(&m_session, &client::Session::signedInNow, this, [this] {
        QSettings().setValue(kServerKey, m_session.serverUrl().toString());
        emit settingsChanged();
    });
    connect(m_connection, &client::Connection::streamReady, this, &DashboardApp::refreshLists);
    connect(&m_state, &client::DashboardState::eventApplied, this, &DashboardApp::onEvent);
    connect(&m_state, &client::DashboardState::freezesChanged, this, [this] {
        // The overview's "frozen" flags change by themselves when a freeze ends.
        qint64 next = 0;
        for (const auto &f : m_state.freezes()) {
            if (f.untilMs > m_state.nowMs() && (next == 0 || f.untilMs < next))
                next = f.untilMs;
        }
        if (next > 0)
            m_freezeExpiry.start(int(std::min<qint64>(next - m_state.nowMs() + 1, 1 << 30)));
    });
    m_freezeExpiry.setSingleShot(true);
    connect(&m_freezeExpiry, &QTimer::timeout, this,
            [this] { m_state.setFreezes(m_state.freezes()); });
    m_listRefresh.setSingleShot(true);
    m_listRefresh.setInterval(250);
    connect(&m_listRefresh, &QTimer::timeout, this, &DashboardApp::refreshLists);
    connect(&m_commands, &client::Commands::finished, this,
            [this](bool ok, const QString &command) {
                if (ok && command == u"note")
                    m_listRefresh.start();
            });
}

DashboardApp::~DashboardApp()
{
    QCoreApplication::removeTranslator(&m_translator);
}

QUrl DashboardApp::normalizeServerUrl(const QString &text)
{
    return client::Session::normalizeServerUrl(text);
}

void DashboardApp::connectToServer(const QString &url, const QString &token)
{
    m_session.signInWithToken(url, token);
}

void DashboardApp::signIn(const QString &url, const QString &user, const QString &password)
{
    QSettings().setValue(kUserKey, user.trimmed());
    emit settingsChanged();
    m_session.signIn(url, user.trimmed(), password);
}

void DashboardApp::signOut()
{
    m_session.signOut();
    m_incidents.clear();
    m_history.clear();
    m_audit.clear();
    m_notifications.clear();
    m_commands.clearPlan();
}

void DashboardApp::onEvent(const protocol::Event &event)
{
    namespace ev = protocol::event;
    const auto &type = event.type;
    if (type == QLatin1String(ev::IncidentOpened) || type == QLatin1String(ev::IncidentUpdated) ||
        type == QLatin1String(ev::RollbackStarted) || type == QLatin1String(ev::RollbackFinished) ||
        type == QLatin1String(ev::ApprovalGranted) || type == QLatin1String(ev::ApprovalRejected))
        m_listRefresh.start();
}

void DashboardApp::refreshLists()
{
    if (!m_session.signedIn())
        return;
    fetchFreezes();
    m_incidents.refresh();
    m_history.refresh();
    if (m_session.admin())
        m_audit.refresh();
}

void DashboardApp::fetchFreezes()
{
    m_connection->rest().get(
        QStringLiteral("/api/v1/freezes"), [this](const client::RestResult &r) {
            if (!r.ok())
                return;
            QList<protocol::FreezeInfo> freezes;
            for (const auto &f : r.body.object().value(QLatin1String("freezes")).toArray())
                freezes.append(protocol::FreezeInfo::fromJson(f.toObject()));
            m_state.setFreezes(freezes);
        });
}

QString DashboardApp::reportFileName(qint64 incidentId)
{
    return QStringLiteral("incident-%1.pdf").arg(incidentId);
}

void DashboardApp::fetchReport(
    qint64 incidentId, std::function<void(const QByteArray &pdf, const QString &error)> done)
{
    m_connection->rest().get(
        QStringLiteral("/api/v1/incidents/%1/report?format=json").arg(incidentId),
        [done = std::move(done)](const client::RestResult &r) {
            if (!r.ok()) {
                done({}, r.error->message);
                return;
            }
            const auto data = client::ReportData::fromJson(r.body.object());
            if (!data) {
                done({}, data.error().message);
                return;
            }
            client::ReportOptions options;
            options.producer = tr("Rewind dashboard");
            const auto pdf = client::incidentReportPdf(*data, options);
            if (pdf)
                done(*pdf, QString());
            else
                done({}, pdf.error().message);
        });
}

void DashboardApp::saveReport(qint64 incidentId, const QUrl &file)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    fetchReport(incidentId, [this, path](const QByteArray &pdf, const QString &error) {
        if (pdf.isEmpty()) {
            emit reportSaved(false, path, error);
            return;
        }
        // Written whole or not at all: a half-written report is never left behind.
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(pdf) != pdf.size() || !out.commit()) {
            emit reportSaved(false, path, out.errorString());
            return;
        }
        emit reportSaved(true, path, {});
    });
}

QString DashboardApp::status() const
{
    if (m_session.busy())
        return tr("Signing in…");
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

QString DashboardApp::errorString() const
{
    return m_session.errorString().isEmpty() ? m_connection->errorString()
                                             : m_session.errorString();
}

bool DashboardApp::connected() const
{
    return m_connection->status() == client::Connection::Status::Connected;
}

QString DashboardApp::version()
{
    return QStringLiteral("0.1.0");
}

QString DashboardApp::lastServer() const
{
    return QSettings().value(kServerKey).toString();
}

QString DashboardApp::lastUser() const
{
    return QSettings().value(kUserKey).toString();
}

void DashboardApp::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    QSettings().setValue(kDarkKey, dark);
    emit settingsChanged();
}

QStringList DashboardApp::languages()
{
    return {QStringLiteral("en"), QStringLiteral("it"), QStringLiteral("ar")};
}

void DashboardApp::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    QSettings().setValue(kLanguageKey, language);
    applyLanguage();
    emit languageChanged();
    emit connectionChanged(); // status texts come from C++
}

void DashboardApp::applyLanguage()
{
    QCoreApplication::removeTranslator(&m_translator);
    const QLocale locale = m_language.isEmpty() ? QLocale() : QLocale(m_language);
    if (m_translator.load(locale, QStringLiteral("rewind"), QStringLiteral("_"),
                          QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&m_translator);
    // Qt reads the direction from the translation of QT_LAYOUT_DIRECTION ("RTL" in Arabic).
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        QGuiApplication::setLayoutDirection(rightToLeft() ? Qt::RightToLeft : Qt::LeftToRight);
}

bool DashboardApp::rightToLeft() const
{
    const QLocale locale = m_language.isEmpty() ? QLocale() : QLocale(m_language);
    return locale.textDirection() == Qt::RightToLeft;
}

} // namespace rwd::dashboard
