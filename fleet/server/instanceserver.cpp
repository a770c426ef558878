#include "instanceserver.h"

#include "faultprofile.h"
#include "httpclientpool.h"
#include "jsonutil.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

#include <spdlog/spdlog.h>
#include <utility>
#include <vector>

namespace rwd::fleet {

namespace {

constexpr int kRelistenIntervalMs = 500;

const QString kRootPath = QStringLiteral("/");
const QString kHealthPath = QStringLiteral("/health");
const QString kVersionPath = QStringLiteral("/version");
const QString kMetricsPath = QStringLiteral("/metrics");

} // namespace

// One request to / or /health, possibly answered after a delay or after dependency calls.
struct InstanceServer::Exchange
{
    Exchange(QHttpServerResponder &&responder, const QHttpServerRequest &request,
             QTcpSocket *socket, QString requestPath)
        : response(std::move(responder), request, socket)
        , path(std::move(requestPath))
    {
        timer.start();
    }

    DeferredResponse response;
    QString path;
    QElapsedTimer timer;
};

InstanceServer::InstanceServer(QString service, Colour colour, QString version,
                               InstanceEnvironment environment, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_service(std::move(service))
    , m_colour(colour)
    , m_version(std::move(version))
    , m_environment(environment)
    , m_metrics(m_service, colourName(colour))
{
    m_sinceDeploy.start();
    m_relistenTimer.setInterval(kRelistenIntervalMs);
    connect(&m_relistenTimer, &QTimer::timeout, this, &InstanceServer::updateAvailability);
    connect(m_environment.faults, &FaultRegistry::changed, this,
            [this](const QString &changedService, const QString &changedVersion) {
                if (changedService == m_service && changedVersion == m_version)
                    updateAvailability();
            });
}

InstanceServer::~InstanceServer() = default;

bool InstanceServer::start(QString *error)
{
    m_listener = new QTcpServer(this);
    if (!m_listener->listen(QHostAddress::LocalHost, 0)) {
        *error = QStringLiteral("instance %1 cannot listen on 127.0.0.1: %2")
                     .arg(label(), m_listener->errorString());
        return false;
    }
    m_port = m_listener->serverPort();
    bind(m_listener);
    spdlog::debug("instance {} listening on {} running {}", qUtf8Printable(label()),
                  qUtf8Printable(address()), qUtf8Printable(m_version));
    updateAvailability();
    return true;
}

void InstanceServer::deploy(const QString &version)
{
    const QString previous = m_version;
    m_version = version;
    m_sinceDeploy.restart();
    const FaultProfile profile = m_environment.faults->profile(m_service, m_version);
    if (profile.slowStartMs > 0)
        spdlog::info("deploy {}: {} -> {} (slow start {} ms)", qUtf8Printable(label()),
                     qUtf8Printable(previous), qUtf8Printable(version), profile.slowStartMs);
    else
        spdlog::info("deploy {}: {} -> {}", qUtf8Printable(label()), qUtf8Printable(previous),
                     qUtf8Printable(version));
    updateAvailability();
}

void InstanceServer::shutdown()
{
    m_shutdown = true;
    m_relistenTimer.stop();
    if (m_listener)
        m_listener->close();
    dropConnections();
}

QString InstanceServer::address() const
{
    return QStringLiteral("127.0.0.1:%1").arg(m_port);
}

bool InstanceServer::isListening() const
{
    return m_listener && m_listener->isListening();
}

QJsonObject InstanceServer::toJson() const
{
    return QJsonObject{{QStringLiteral("address"), address()},
                       {QStringLiteral("version"), m_version}};
}

bool InstanceServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QString path = request.url().path();
    const bool faultable = path == kRootPath || path == kHealthPath;
    const bool known = faultable || path == kVersionPath || path == kMetricsPath;

    if (!known) {
        DeferredResponse(makeResponder(request, socket), request, socket)
            .sendJson(404, errorJson(QStringLiteral("not_found"),
                                     QStringLiteral("no such path: %1").arg(path)));
        return true;
    }
    if (request.method() != QHttpServerRequest::Method::Get) {
        DeferredResponse(makeResponder(request, socket), request, socket)
            .sendJson(405,
                      errorJson(QStringLiteral("method_not_allowed"),
                                QStringLiteral("%1 only supports GET").arg(path)),
                      {{QByteArrayLiteral("Allow"), QByteArrayLiteral("GET")}});
        return true;
    }
    if (path == kVersionPath) {
        DeferredResponse(makeResponder(request, socket), request, socket)
            .sendJson(200, toCompactJson(identity()));
        return true;
    }
    if (path == kMetricsPath) {
        DeferredResponse(makeResponder(request, socket), request, socket)
            .send(200, InstanceMetrics::kContentType, m_metrics.render(m_version, isListening()));
        return true;
    }

    auto exchange =
        std::make_shared<Exchange>(makeResponder(request, socket), request, socket, path);
    const FaultProfile profile = m_environment.faults->profile(m_service, m_version);
    spdlog::trace("instance {} GET {} (latency {} ms)", qUtf8Printable(label()),
                  qUtf8Printable(path), profile.latencyMs);
    if (profile.latencyMs > 0)
        QTimer::singleShot(profile.latencyMs, this, [this, exchange] { answer(exchange); });
    else
        answer(exchange);
    return true;
}

void InstanceServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    DeferredResponse(makeResponder(request, socket), request, socket)
        .sendJson(404, errorJson(QStringLiteral("not_found"),
                                 QStringLiteral("no such path: %1").arg(request.url().path())));
}

void InstanceServer::answer(const std::shared_ptr<Exchange> &exchange)
{
    if (!exchange->response.canSend())
        return;

    // Read again after the latency: a fault set meanwhile already applies.
    const FaultProfile profile = m_environment.faults->profile(m_service, m_version);
    const qint64 sinceDeploy = m_sinceDeploy.elapsed();
    if (sinceDeploy < profile.slowStartMs) {
        finish(*exchange, 503,
               QJsonObject{{QStringLiteral("error"), QStringLiteral("starting")},
                           {QStringLiteral("ready_in_ms"), profile.slowStartMs - sinceDeploy}});
        return;
    }
    if (profile.errorRate > 0.0 && m_environment.random->generateDouble() < profile.errorRate) {
        finish(*exchange, 500,
               QJsonObject{{QStringLiteral("error"), QStringLiteral("injected fault")}});
        return;
    }
    if (exchange->path == kHealthPath) {
        QJsonObject body = identity();
        body.insert(QStringLiteral("status"), QStringLiteral("ok"));
        finish(*exchange, 200, body);
        return;
    }
    if (m_dependencies.isEmpty()) {
        finish(*exchange, 200, identity());
        return;
    }
    callDependencies(exchange);
}

void InstanceServer::callDependencies(const std::shared_ptr<Exchange> &exchange)
{
    struct Calls
    {
        qsizetype remaining = 0;
        std::vector<QString> failures; // per dependency; empty = succeeded
        std::vector<QString> versions;
    };
    auto calls = std::make_shared<Calls>();
    calls->remaining = m_dependencies.size();
    calls->failures.resize(static_cast<size_t>(m_dependencies.size()));
    calls->versions.resize(static_cast<size_t>(m_dependencies.size()));

    for (qsizetype i = 0; i < m_dependencies.size(); ++i) {
        QNetworkReply *reply =
            m_environment.http->get(m_dependencies.at(i).url, kDependencyTimeoutMs);
        const auto index = static_cast<size_t>(i);
        connect(reply, &QNetworkReply::finished, this, [this, exchange, calls, index, reply] {
            reply->deleteLater();
            const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
            if (!status.isValid()) {
                calls->failures[index] =
                    reply->error() == QNetworkReply::OperationCanceledError
                        ? QStringLiteral("timed out after %1 ms").arg(kDependencyTimeoutMs)
                        : reply->errorString();
            } else if (status.toInt() != 200) {
                calls->failures[index] = QStringLiteral("status %1").arg(status.toInt());
            } else {
                const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
                calls->versions[index] =
                    body.value(QStringLiteral("version")).toString(QStringLiteral("unknown"));
            }
            if (--calls->remaining > 0)
                return;

            for (size_t d = 0; d < calls->failures.size(); ++d) {
                if (!calls->failures[d].isEmpty()) {
                    const QString message =
                        QStringLiteral("dependency %1 failed: %2")
                            .arg(m_dependencies.at(static_cast<qsizetype>(d)).service,
                                 calls->failures[d]);
                    finish(*exchange, 502, QJsonObject{{QStringLiteral("error"), message}});
                    return;
                }
            }
            QJsonObject versions;
            for (size_t d = 0; d < calls->versions.size(); ++d)
                versions.insert(m_dependencies.at(static_cast<qsizetype>(d)).service,
                                calls->versions[d]);
            QJsonObject body = identity();
            body.insert(QStringLiteral("dependencies"), versions);
            finish(*exchange, 200, body);
        });
    }
}

void InstanceServer::finish(Exchange &exchange, int status, const QJsonObject &body)
{
    if (!exchange.response.sendJson(status, toCompactJson(body), fleetHeaders()))
        return;
    const double seconds = static_cast<double>(exchange.timer.nsecsElapsed()) / 1e9;
    m_metrics.observe(m_version, exchange.path, status, seconds);
}

void InstanceServer::updateAvailability()
{
    if (m_shutdown || !m_listener)
        return;
    const bool down = m_environment.faults->profile(m_service, m_version).down;
    if (down) {
        m_relistenTimer.stop();
        if (m_listener->isListening()) {
            m_listener->close();
            dropConnections();
            spdlog::info("instance {} down ({} of {} has fault down): {} refuses connections",
                         qUtf8Printable(label()), qUtf8Printable(m_version),
                         qUtf8Printable(m_service), qUtf8Printable(address()));
        }
        return;
    }
    if (m_listener->isListening())
        return;
    if (m_listener->listen(QHostAddress::LocalHost, m_port)) {
        m_relistenTimer.stop();
        spdlog::info("instance {} up again on {} running {}", qUtf8Printable(label()),
                     qUtf8Printable(address()), qUtf8Printable(m_version));
    } else if (!m_relistenTimer.isActive()) {
        spdlog::warn("instance {} cannot listen on {} again ({}); retrying every {} ms",
                     qUtf8Printable(label()), qUtf8Printable(address()),
                     qUtf8Printable(m_listener->errorString()), kRelistenIntervalMs);
        m_relistenTimer.start();
    }
}

void InstanceServer::dropConnections()
{
    if (!m_listener)
        return;
    const auto sockets = m_listener->findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets)
        socket->abort();
}

QJsonObject InstanceServer::identity() const
{
    return QJsonObject{{QStringLiteral("service"), m_service},
                       {QStringLiteral("colour"), colourName(m_colour)},
                       {QStringLiteral("version"), m_version}};
}

HttpHeaders InstanceServer::fleetHeaders() const
{
    return {{QByteArrayLiteral("X-Fleet-Service"), m_service.toUtf8()},
            {QByteArrayLiteral("X-Fleet-Colour"), colourName(m_colour).toUtf8()},
            {QByteArrayLiteral("X-Fleet-Version"), m_version.toUtf8()}};
}

QString InstanceServer::label() const
{
    return m_service + QLatin1Char('/') + colourName(m_colour);
}

} // namespace rwd::fleet
