#include "httpclientpool.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace rwd::fleet {

namespace {
// QNetworkAccessManager's fixed limit of parallel HTTP/1.1 connections per host.
constexpr int kConnectionsPerManager = 6;
} // namespace

HttpClientPool::HttpClientPool(int maxManagers, QObject *parent)
    : QObject(parent)
    , m_maxManagers(std::max(1, maxManagers))
{}

HttpClientPool::~HttpClientPool() = default;

HttpClientPool::Slot &HttpClientPool::leastBusySlot()
{
    auto best =
        std::min_element(m_managers.begin(), m_managers.end(),
                         [](const Slot &a, const Slot &b) { return a.inFlight < b.inFlight; });
    if (best != m_managers.end() && (best->inFlight < kConnectionsPerManager ||
                                     static_cast<int>(m_managers.size()) >= m_maxManagers))
        return *best;

    auto *manager = new QNetworkAccessManager(this);
    manager->setProxy(QNetworkProxy::NoProxy);
    manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_managers.push_back(Slot{manager, 0});
    return m_managers.back();
}

QNetworkReply *HttpClientPool::get(const QUrl &url, int transferTimeoutMs)
{
    return send(url, transferTimeoutMs, nullptr, {});
}

QNetworkReply *HttpClientPool::post(const QUrl &url, const QByteArray &body,
                                    const QByteArray &contentType, int transferTimeoutMs)
{
    return send(url, transferTimeoutMs, &body, contentType);
}

QNetworkReply *HttpClientPool::send(const QUrl &url, int transferTimeoutMs, const QByteArray *body,
                                    const QByteArray &contentType)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(transferTimeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    Slot &slot = leastBusySlot();
    ++slot.inFlight;
    QNetworkAccessManager *manager = slot.manager;
    if (body)
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = body ? manager->post(request, *body) : manager->get(request);
    // Slots are looked up by manager because m_managers may reallocate while the request runs.
    connect(reply, &QNetworkReply::finished, this, [this, manager] {
        auto it = std::find_if(m_managers.begin(), m_managers.end(),
                               [manager](const Slot &s) { return s.manager == manager; });
        if (it != m_managers.end())
            --it->inFlight;
    });
    return reply;
}

} // namespace rwd::fleet
