#include "httpfetch.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <memory>

namespace rwd::monitor {

HttpFetch::~HttpFetch()
{
    cancel();
}

void HttpFetch::start(QNetworkAccessManager &network, QNetworkRequest request, qint64 timeoutMs,
                      qint64 maxBytes, Done done)
{
    cancel();
    const int timeout = int(std::clamp<qint64>(timeoutMs, 1, INT_MAX));
    request.setTransferTimeout(timeout);
    QNetworkReply *reply = network.get(request);
    m_reply = reply;
    m_done = std::move(done);

    // Why the reply was aborted, if it was; shared by the handlers below, which all live (and
    // die) with the reply.
    auto stop = std::make_shared<Stop>(Stop::None);
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, reply, [reply, stop] {
        *stop = Stop::Deadline;
        reply->abort();
    });
    deadline->start(timeout);
    const auto refuseIfTooLarge = [reply, stop, maxBytes](qint64 size) {
        if (*stop == Stop::None && size > maxBytes) {
            *stop = Stop::TooLarge;
            reply->abort();
        }
    };
    // The announced length refuses a large answer before its body arrives; what is buffered
    // (nothing is read before the end) catches one that announces nothing. downloadProgress
    // would not: Qt does not emit it for answers without a length.
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, refuseIfTooLarge] {
        refuseIfTooLarge(reply->header(QNetworkRequest::ContentLengthHeader).toLongLong());
    });
    QObject::connect(reply, &QNetworkReply::readyRead, reply,
                     [reply, refuseIfTooLarge] { refuseIfTooLarge(reply->bytesAvailable()); });
    QObject::connect(
        reply, &QNetworkReply::finished, reply,
        [this, reply, stop, timeoutMs, maxBytes] { finished(reply, *stop, timeoutMs, maxBytes); });
}

void HttpFetch::finished(QNetworkReply *reply, Stop stop, qint64 timeoutMs, qint64 maxBytes)
{
    reply->deleteLater();
    if (reply != m_reply)
        return;
    m_reply = nullptr;
    FetchResult result;
    if (stop == Stop::TooLarge) {
        result.error = QStringLiteral("the answer is larger than %1 MiB")
                           .arg(double(maxBytes) / (1024 * 1024));
    } else if (stop == Stop::Deadline || reply->error() == QNetworkReply::OperationCanceledError) {
        // OperationCanceledError without our own abort is the transfer timeout.
        result.error = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
    } else {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (result.status == 0)
            result.error = reply->errorString();
        else
            result.body = reply->readAll();
    }
    // Last: `done` may destroy this object.
    const auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(result);
}

void HttpFetch::cancel()
{
    m_done = nullptr;
    if (m_reply) {
        QNetworkReply *reply = m_reply.data();
        m_reply = nullptr;
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace rwd::monitor
