#pragma once

#include "connection.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

namespace rwd::client {

// Signing in to one rewindd and what the signed-in user may do there. Sign-in is a REST call
// (POST /api/v1/login with a password, or GET /api/v1/me with a token); on success the
// Connection opens the event stream with the token. The permissions come from the server (the
// `permissions` of /me): views mirror them to enable or disable controls, and the server still
// checks every call.
class Session final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY changed)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY changed)
    Q_PROPERTY(bool busy READ busy NOTIFY changed)
    Q_PROPERTY(QString user READ user NOTIFY changed)
    Q_PROPERTY(QString errorString READ errorString NOTIFY changed)
    Q_PROPERTY(ErrorKind errorKind READ errorKind NOTIFY changed)
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY changed)
    Q_PROPERTY(QStringList environments READ environments NOTIFY changed)
    Q_PROPERTY(bool admin READ admin NOTIFY changed)

public:
    enum class State
    {
        SignedOut, // no server, or signed out
        SigningIn, // a sign-in call is on its way
        SignedIn,  // the server accepted the credentials; the Connection runs
    };
    Q_ENUM(State)

    // Why the last sign-in failed (None while it has not).
    enum class ErrorKind
    {
        None,
        BadAddress,     // the server address cannot be used
        Unreachable,    // no answer (nothing listening, DNS, timeout)
        Tls,            // the TLS handshake failed (untrusted certificate, wrong name…)
        BadCredentials, // wrong user name, password or token
        Locked,         // too many failed attempts; try again later
        Server,         // anything else the server said
    };
    Q_ENUM(ErrorKind)

    explicit Session(Connection *connection, QObject *parent = nullptr);

    // "host:port" or a full http(s) URL, a user name and a password.
    Q_INVOKABLE void signIn(const QString &server, const QString &user, const QString &password);
    // An API token or a session token instead of a password.
    Q_INVOKABLE void signInWithToken(const QString &server, const QString &token);
    // Ends a session token's session on the server (API tokens stay valid) and disconnects.
    Q_INVOKABLE void signOut();

    // Whether the user may `permission` (read, deploy, operate, approve, admin) in `environment`.
    [[nodiscard]] Q_INVOKABLE bool may(const QString &permission, const QString &environment) const;
    // `permission` in every one of `environments` (false for an empty list).
    [[nodiscard]] Q_INVOKABLE bool mayInAll(const QString &permission,
                                            const QStringList &environments) const;

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool signedIn() const { return m_state == State::SignedIn; }
    [[nodiscard]] bool busy() const { return m_state == State::SigningIn; }
    [[nodiscard]] const QString &user() const { return m_user; }
    [[nodiscard]] const QString &errorString() const { return m_error; }
    [[nodiscard]] ErrorKind errorKind() const { return m_errorKind; }
    [[nodiscard]] QUrl serverUrl() const { return m_url; }
    // Environments where the user has some permission, by name.
    [[nodiscard]] const QStringList &environments() const { return m_environments; }
    // Admin of the whole installation (roles {"*": [admin]}): the audit log, users.
    [[nodiscard]] bool admin() const { return m_admin; }
    [[nodiscard]] Connection &connection() { return *m_connection; }

    // Takes the answer of /me (or a login's `user`): the user is signed in as that principal,
    // with its permissions. Sign-in calls it; tests and offline views call it directly.
    void setPrincipal(const QJsonObject &me);

    // The URL a user typed, normalised: "127.0.0.1:8470" -> "http://127.0.0.1:8470". Invalid
    // when it cannot name a server.
    [[nodiscard]] static QUrl normalizeServerUrl(const QString &text);

signals:
    void changed();
    // Sign-in succeeded (after `changed`).
    void signedInNow();

private:
    bool begin(const QString &server);
    void fail(const RestResult &result);
    void finish(const QString &token, const QJsonObject &me);

    Connection *m_connection;
    State m_state = State::SignedOut;
    QUrl m_url;
    QString m_user;
    QString m_tokenKind;
    QString m_error;
    ErrorKind m_errorKind = ErrorKind::None;
    QHash<QString, QStringList> m_permissions;
    QStringList m_environments;
    bool m_admin = false;
    quint64 m_attempt = 0; // answers of older attempts are ignored
};

} // namespace rwd::client
