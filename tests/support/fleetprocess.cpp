#include "fleetprocess.h"

#include "programs.h"

#include <QDir>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace rwd::testing {

FleetProcess::FleetProcess(QString dir)
    : m_dir(std::move(dir))
    , m_process(std::make_unique<drill::ManagedProcess>(
          QStringLiteral("rewind-fleet"), QDir(m_dir).filePath(QStringLiteral("fleet.log"))))
{}

FleetProcess::~FleetProcess() = default;

Result<void> FleetProcess::start(const QStringList &arguments)
{
    return m_process->start(
        binary(QStringLiteral("rewind-fleet")),
        QStringList{QStringLiteral("--dir"), QDir(m_dir).filePath(QStringLiteral("fleet"))} +
            arguments,
        30'000);
}

int FleetProcess::stop()
{
    return m_process->stop();
}

const QJsonObject &FleetProcess::ready() const
{
    return m_process->ready();
}

QString FleetProcess::control() const
{
    return ready().value(QLatin1String("control")).toString();
}

QJsonObject FleetProcess::service(const QString &name) const
{
    return ready().value(QLatin1String("services")).toObject().value(name).toObject();
}

QJsonObject FleetProcess::instance(const QString &service, const QString &instance) const
{
    return this->service(service)
        .value(QLatin1String("instances"))
        .toObject()
        .value(instance)
        .toObject();
}

int FleetProcess::call(const QByteArray &method, const QString &path, const QJsonObject &body)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(control() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.sendCustomRequest(
        request, method, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
    drill::waitUntil([&] { return reply->isFinished(); }, 10'000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

} // namespace rwd::testing
