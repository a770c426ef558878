#include "connection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace rwd::client {

Connection::Connection(EventTransport *transport, DashboardState *state, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_state(state)
{
    m_transport->setParent(this);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &Connection::openStream);
    // The stream speaks once authenticated: the first message is the token.
    connect(m_transport, &EventTransport::opened, this, [this] {
        m_failures = 0;
        m_transport->sendText(
            QString::fromUtf8(QJsonDocument(QJsonObject{{"type", "auth"}, {"token", m_token}})
                                  .toJson(QJsonDocument::Compact)));
    });
    connect(m_transport, &EventTransport::textReceived, this, &Connection::onText);
    connect(m_transport, &EventTransport::closed, this, &Connection::onClosed);
}

QUrl Connection::eventStreamUrl(const QUrl &base, qint64 seq, const QString &stream)
{
    QUrl url = base;
    url.setScheme(base.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    QString path = base.path();
    if (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + QStringLiteral("/ws/v1"));
    QUrlQuery query;
    if (seq > 0)
        query.addQueryItem(QStringLiteral("after_seq"), QString::number(seq));
    if (seq > 0 && !stream.isEmpty())
        query.addQueryItem(QStringLiteral("stream"), stream);
    url.setQuery(query);
    return url;
}

void Connection::connectTo(const QUrl &url, const QString &token)
{
    m_retry.stop();
    m_transport->close();
    m_url = url;
    m_token = token;
    m_rest.setBaseUrl(url);
    m_rest.setToken(token);
    m_failures = 0;
    m_haveSnapshot = false;
    setStatus(Status::Connecting);
    openStream();
}

void Connection::disconnectFromServer()
{
    m_retry.stop();
    m_url = QUrl();
    m_transport->close();
    setStatus(Status::Disconnected);
}

void Connection::openStream()
{
    if (m_url.isEmpty())
        return;
    m_transport->open(eventStreamUrl(m_url, m_haveSnapshot ? m_state->lastSeq() : 0, m_stream));
}

void Connection::onText(const QString &text)
{
    const auto message = QJsonDocument::fromJson(text.toUtf8()).object();
    const auto type = message.value(QLatin1String("type")).toString();
    if (type == QLatin1String(protocol::event::Snapshot)) {
        m_state->reset(
            protocol::Snapshot::fromJson(message.value(QLatin1String("data")).toObject()),
            message.value(QLatin1String("seq")).toInteger());
        m_stream = message.value(QLatin1String("stream")).toString();
        m_haveSnapshot = true;
        setStatus(Status::Connected);
        emit streamReady();
        return;
    }
    if (type == u"resume") {
        setStatus(Status::Connected);
        emit streamReady();
        return;
    }
    if (type == u"metrics") {
        emit metricsReceived(message.value(QLatin1String("service")).toString(),
                             protocol::parseIsoTime(message.value(QLatin1String("time"))),
                             message.value(QLatin1String("points")).toObject());
        return;
    }
    if (type == u"authenticated") {
        m_authenticated = true;
        // An empty subscription is the server's default: nothing to say on a fresh stream.
        if (!m_metricServices.isEmpty())
            sendSubscription();
        return;
    }
    if (type == u"error") {
        m_error = message.value(QLatin1String("message")).toString();
        emit statusChanged();
        return;
    }
    if (type == u"pong" || type == u"metrics_subscribed" || type.isEmpty() || !m_haveSnapshot)
        return;
    const auto event = protocol::Event::fromJson(message);
    // Gaps are events this user may not see (the server filters per client); anything lost
    // with a connection is replayed on resume. What was applied already is ignored.
    if (event.seq <= m_state->lastSeq())
        return;
    m_state->apply(event);
}

void Connection::subscribeMetrics(const QStringList &services)
{
    if (services == m_metricServices)
        return;
    m_metricServices = services;
    if (m_authenticated)
        sendSubscription();
}

void Connection::sendSubscription()
{
    m_transport->sendText(QString::fromUtf8(
        QJsonDocument(QJsonObject{{"type", "subscribe_metrics"},
                                  {"services", QJsonArray::fromStringList(m_metricServices)}})
            .toJson(QJsonDocument::Compact)));
}

void Connection::onClosed(const QString &reason)
{
    m_authenticated = false;
    if (m_url.isEmpty())
        return;
    ++m_failures;
    // 0.5 s, 1 s, 2 s … up to 10 s between attempts.
    const int delay = std::min(10'000, 500 * (1 << std::min(m_failures - 1, 5)));
    setStatus(m_status == Status::Connecting ? Status::Connecting : Status::Reconnecting, reason);
    m_retry.start(delay);
}

void Connection::setStatus(Status status, const QString &error)
{
    if (status == m_status && error == m_error)
        return;
    m_status = status;
    m_error = error;
    emit statusChanged();
}

} // namespace rwd::client
