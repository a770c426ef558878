#include "instanceserver.h"

#include "faultprofile.h"
#include "httpclientpool.h"
#include "jsonutil.h"
#include "orderstore.h"

#include <QHttpServerRequest>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

#include <optional>
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
const QString kOrdersPath = QStringLiteral("/orders");
const QString kOrderStatsPath = QStringLiteral("/orders/stats");

constexpr qint64 kMaxOrderAmount = 1'000'000'000;
constexpr qint64 kOrderErrorLogMs = 5000;

} // namespace

// One request to /, /health or /orders, possibly answered after a delay, after dependency
// calls or after a database statement.
struct InstanceServer::Exchange
{
    Exchange(QHttpServerResponder &&responder, const QHttpServerRequest &request,
             QTcpSocket *socket, QString requestPath)
        : response(std::move(responder), request, socket)
        , path(std::move(requestPath))
        , body(request.body())
    {
        timer.start();
    }

    DeferredResponse response;
    QString path;
    QByteArray body; // of POST /orders
    QElapsedTimer timer;
};

InstanceServer::InstanceServer(QString service, QString instance, QString version,
                               InstanceEnvironment environment, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_service(std::move(service))
    , m_name(std::move(instance))
    , m_version(std::move(version))
    , m_environment(environment)
    , m_metrics(m_service, m_name)
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

void InstanceServer::setOrderStore(OrderStore *orders)
{
    m_orders = orders;
    if (m_orders)
        m_metrics.track(kOrdersPath);
}

void InstanceServer::deploy(const QString &version)
{
    const QString previous = m_version;
    m_version = version;
    m_sinceDeploy.restart();
    m_healthRequests = 0;
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
    using Method = QHttpServerRequest::Method;
    const QString path = request.url().path();
    const bool orders = m_orders && (path == kOrdersPath || path == kOrderStatsPath);
    const bool known = orders || path == kRootPath || path == kHealthPath || path == kVersionPath ||
                       path == kMetricsPath;

    if (!known) {
        DeferredResponse(makeResponder(request, socket), request, socket)
            .sendJson(404, errorJson(QStringLiteral("not_found"),
                                     QStringLiteral("no such path: %1").arg(path)));
        return true;
    }
    const Method allowed = path == kOrdersPath ? Method::Post : Method::Get;
    if (request.method() != allowed) {
        const QByteArray name = allowed == Method::Post ? "POST" : "GET";
        DeferredResponse(makeResponder(request, socket), request, socket)
            .sendJson(
                405,
                errorJson(
                    QStringLiteral("method_not_allowed"),
                    QStringLiteral("%1 only supports %2").arg(path, QString::fromLatin1(name))),
                {{QByteArrayLiteral("Allow"), name}});
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
    if (path == kOrderStatsPath) {
        sendOrderStats(request, socket);
        return true;
    }

    auto exchange =
        std::make_shared<Exchange>(makeResponder(request, socket), request, socket, path);
    const FaultProfile profile = m_environment.faults->profile(m_service, m_version);
    spdlog::trace("instance {} {} {} (latency {} ms)", qUtf8Printable(label()),
                  path == kOrdersPath ? "POST" : "GET", qUtf8Printable(path), profile.latencyMs);
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
    // Every Nth health request fails: failures that are regular, never several in a row.
    if (exchange->path == kHealthPath && profile.healthFailEvery > 0 &&
        ++m_healthRequests % quint64(profile.healthFailEvery) == 0) {
        finish(*exchange, 500,
               QJsonObject{
                   {QStringLiteral("error"),
                    QStringLiteral("injected fault (every %1)").arg(profile.healthFailEvery)}});
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
    if (exchange->path == kOrdersPath) {
        createOrder(exchange);
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

void InstanceServer::createOrder(const std::shared_ptr<Exchange> &exchange)
{
    QJsonObject body;
    QString message;
    std::optional<qint64> amount;
    if (!parseJsonObject(exchange->body, &body, &message) ||
        !rejectUnknownKeys(body, {QStringLiteral("amount")}, &message)) {
        finish(*exchange, 400, QJsonObject{{QStringLiteral("error"), message}});
        return;
    }
    amount = integerValue(body.value(QStringLiteral("amount")), 0, kMaxOrderAmount);
    if (!amount) {
        finish(*exchange, 400,
               QJsonObject{{QStringLiteral("error"),
                            QStringLiteral("\"amount\" must be an integer between 0 and %1")
                                .arg(kMaxOrderAmount)}});
        return;
    }
    // The row records the version that took the order, even if a deploy happens meanwhile.
    QPointer<InstanceServer> self(this);
    QJsonObject answerBody = identity();
    m_orders->insert(m_version, *amount,
                     [self, exchange, answerBody](const OrderStore::Inserted &inserted) mutable {
                         if (!self)
                             return;
                         if (!inserted.ok) {
                             self->logOrderFailure(inserted.error);
                             self->finish(
                                 *exchange, 500,
                                 QJsonObject{{QStringLiteral("error"),
                                              QStringLiteral("database: ") + inserted.error}});
                             return;
                         }
                         answerBody.insert(QStringLiteral("id"), inserted.id);
                         self->finish(*exchange, 201, answerBody);
                     });
}

void InstanceServer::logOrderFailure(const QString &error)
{
    if (error == m_lastOrderError && m_orderErrorLog.isValid() &&
        m_orderErrorLog.elapsed() < kOrderErrorLogMs) {
        spdlog::debug("instance {}: order not stored: {}", qUtf8Printable(label()),
                      qUtf8Printable(error));
        return;
    }
    m_lastOrderError = error;
    m_orderErrorLog.start();
    spdlog::warn("instance {}: order not stored: {}", qUtf8Printable(label()),
                 qUtf8Printable(error));
}

void InstanceServer::sendOrderStats(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto response =
        std::make_shared<DeferredResponse>(makeResponder(request, socket), request, socket);
    m_orders->stats([response](const OrderStore::Stats &stats) {
        if (!stats.ok) {
            response->sendJson(500, errorJson(QStringLiteral("database_error"), stats.error));
            return;
        }
        response->sendJson(200,
                           toCompactJson(QJsonObject{{QStringLiteral("count"), stats.count},
                                                     {QStringLiteral("max_id"), stats.maxId}}));
    });
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
                       {QStringLiteral("colour"), m_name},
                       {QStringLiteral("instance"), m_name},
                       {QStringLiteral("version"), m_version}};
}

HttpHeaders InstanceServer::fleetHeaders() const
{
    return {{QByteArrayLiteral("X-Fleet-Service"), m_service.toUtf8()},
            {QByteArrayLiteral("X-Fleet-Colour"), m_name.toUtf8()},
            {QByteArrayLiteral("X-Fleet-Version"), m_version.toUtf8()}};
}

QString InstanceServer::label() const
{
    return m_service + QLatin1Char('/') + m_name;
}

} // namespace rwd::fleet
