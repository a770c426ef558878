#include "session.h"

#include <QJsonArray>

namespace rwd::client {

Session::Session(Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{}

QUrl Session::normalizeServerUrl(const QString &text)
{
    const auto trimmed = text.trimmed();
    const bool hasScheme = trimmed.startsWith(QLatin1String("http://")) ||
                           trimmed.startsWith(QLatin1String("https://"));
    QUrl url(hasScheme ? trimmed : QStringLiteral("http://") + trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    return url;
}

bool Session::begin(const QString &server)
{
    ++m_attempt;
    m_connection->disconnectFromServer();
    m_url = normalizeServerUrl(server);
    m_user.clear();
    m_permissions.clear();
    m_environments.clear();
    m_admin = false;
    if (m_url.isEmpty()) {
        m_state = State::SignedOut;
        m_errorKind = ErrorKind::BadAddress;
        m_error = tr("“%1” is not a server address (try host:port or https://host:port)")
                      .arg(server.trimmed());
        emit changed();
        return false;
    }
    m_state = State::SigningIn;
    m_errorKind = ErrorKind::None;
    m_error.clear();
    m_connection->rest().setBaseUrl(m_url);
    m_connection->rest().setToken({});
    emit changed();
    return true;
}

void Session::signIn(const QString &server, const QString &user, const QString &password)
{
    if (!begin(server))
        return;
    const auto attempt = m_attempt;
    m_connection->rest().post(QStringLiteral("/api/v1/login"),
                              QJsonObject{{"name", user}, {"password", password}},
                              [this, attempt](const RestResult &r) {
                                  if (attempt != m_attempt)
                                      return;
                                  if (!r.ok()) {
                                      fail(r);
                                      return;
                                  }
                                  const auto o = r.body.object();
                                  finish(o.value(QLatin1String("token")).toString(),
                                         o.value(QLatin1String("user")).toObject());
                              });
}

void Session::signInWithToken(const QString &server, const QString &token)
{
    if (!begin(server))
        return;
    const auto attempt = m_attempt;
    const auto trimmed = token.trimmed();
    m_connection->rest().setToken(trimmed);
    m_connection->rest().get(QStringLiteral("/api/v1/me"),
                             [this, attempt, trimmed](const RestResult &r) {
                                 if (attempt != m_attempt)
                                     return;
                                 if (!r.ok()) {
                                     fail(r);
                                     return;
                                 }
                                 finish(trimmed, r.body.object());
                             });
}

void Session::signOut()
{
    ++m_attempt;
    if (m_state == State::SignedIn && m_tokenKind == u"session")
        m_connection->rest().post(QStringLiteral("/api/v1/logout"), {}, [](const RestResult &) {});
    m_connection->disconnectFromServer();
    m_connection->rest().setToken({});
    m_state = State::SignedOut;
    m_user.clear();
    m_permissions.clear();
    m_environments.clear();
    m_admin = false;
    m_errorKind = ErrorKind::None;
    m_error.clear();
    emit changed();
}

void Session::fail(const RestResult &r)
{
    const QString code = r.error ? r.error->code : QString();
    const QString message = r.error ? r.error->message : QString();
    if (code == u"tls_error") {
        m_errorKind = ErrorKind::Tls;
        m_error = tr("Secure connection to %1 failed: %2").arg(m_url.authority(), message);
    } else if (code == u"unreachable") {
        m_errorKind = ErrorKind::Unreachable;
        m_error = tr("Cannot reach %1: %2").arg(m_url.authority(), message);
    } else if (r.status == 401) {
        m_errorKind = ErrorKind::BadCredentials;
        m_error = code == u"session_expired" ? tr("The session has expired; sign in again")
                                             : tr("Wrong user name, password or token");
    } else if (r.status == 429) {
        m_errorKind = ErrorKind::Locked;
        m_error = tr("Too many failed sign-ins: %1").arg(message);
    } else {
        m_errorKind = ErrorKind::Server;
        m_error = tr("The server refused: %1").arg(message);
    }
    m_state = State::SignedOut;
    m_connection->rest().setToken({});
    emit changed();
}

void Session::setPrincipal(const QJsonObject &me)
{
    m_user = me.value(QLatin1String("name")).toString();
    m_tokenKind = me.value(QLatin1String("token_kind")).toString();
    m_permissions.clear();
    m_environments.clear();
    const auto permissions = me.value(QLatin1String("permissions")).toObject();
    for (auto it = permissions.begin(); it != permissions.end(); ++it) {
        QStringList list;
        for (const auto &p : it.value().toArray())
            list.append(p.toString());
        m_permissions.insert(it.key(), list);
        m_environments.append(it.key());
    }
    // The audit log and users need admin of every environment: roles {"*": [admin]}.
    m_admin = me.value(QLatin1String("roles"))
                  .toObject()
                  .value(QLatin1String("*"))
                  .toArray()
                  .contains(QLatin1String("admin"));
    m_state = State::SignedIn;
    m_errorKind = ErrorKind::None;
    m_error.clear();
    emit changed();
}

void Session::finish(const QString &token, const QJsonObject &me)
{
    m_connection->connectTo(m_url, token);
    setPrincipal(me);
    emit signedInNow();
}

bool Session::may(const QString &permission, const QString &environment) const
{
    return m_permissions.value(environment).contains(permission);
}

bool Session::mayInAll(const QString &permission, const QStringList &environments) const
{
    if (environments.isEmpty())
        return false;
    for (const auto &env : environments) {
        if (!may(permission, env))
            return false;
    }
    return true;
}

} // namespace rwd::client
