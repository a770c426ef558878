#pragma once

#include "dashboardstate.h"
#include "restclient.h"
#include "transport.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

namespace rwd::client {

// A session with one rewindd: REST for commands, the /ws/v1 event stream for state. Keeps the
// DashboardState current, and reconnects by itself (with backoff), resuming from the last
// sequence number so no event is lost; when the server can no longer replay, it starts over
// from a fresh snapshot.
class Connection final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY statusChanged)
    Q_PROPERTY(QUrl serverUrl READ serverUrl NOTIFY statusChanged)

public:
    enum class Status
    {
        Disconnected, // not connected and not trying
        Connecting,   // first connection attempt in progress
        Connected,    // the event stream is open and the state is current
        Reconnecting, // lost the stream; trying again after a delay
    };
    Q_ENUM(Status)

    // Takes ownership of `transport`.
    Connection(EventTransport *transport, DashboardState *state, QObject *parent = nullptr);

    // `url` is the server's base URL, e.g. http://127.0.0.1:8470; `token` a session or API
    // token, used for REST and to authenticate the event stream.
    void connectTo(const QUrl &url, const QString &token = {});
    void disconnectFromServer();
    // Asks for the live `metrics` messages of these services (replacing the previous set; empty:
    // none). Kept across reconnects: sent again whenever the stream is authenticated.
    void subscribeMetrics(const QStringList &services);

    [[nodiscard]] Status status() const { return m_status; }
    [[nodiscard]] const QString &errorString() const { return m_error; }
    [[nodiscard]] const QUrl &serverUrl() const { return m_url; }
    [[nodiscard]] RestClient &rest() { return m_rest; }
    [[nodiscard]] DashboardState &state() { return *m_state; }

    // The /ws/v1 URL for a server base URL (http -> ws, https -> wss), resuming after `seq`
    // when it is positive.
    [[nodiscard]] static QUrl eventStreamUrl(const QUrl &base, qint64 seq,
                                             const QString &stream = {});

signals:
    void statusChanged();
    // One `metrics` message: the newest value of each series of `service` at `timeMs`. Not
    // sequenced and not replayed after a reconnect (refetch the history then).
    void metricsReceived(const QString &service, qint64 timeMs, const QJsonObject &points);
    // The stream was (re)established from a snapshot or a resume.
    void streamReady();

private:
    void openStream();
    void onText(const QString &text);
    void onClosed(const QString &reason);
    void setStatus(Status status, const QString &error = {});
    void sendSubscription();

    EventTransport *m_transport;
    DashboardState *m_state;
    RestClient m_rest;
    QUrl m_url;
    QString m_token;
    Status m_status = Status::Disconnected;
    QString m_error;
    QTimer m_retry;
    int m_failures = 0;
    bool m_haveSnapshot = false;
    QString m_stream; // the server run the state belongs to (see eventStreamUrl)
    QStringList m_metricServices;
    bool m_authenticated = false;
};

} // namespace rwd::client
