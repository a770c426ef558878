#include "urlprober.h"

namespace rwd::http {

UrlProber::Id UrlProber::probe(const QUrl &url, qint64 timeoutMs, Done done)
{
    Request request;
    request.url = url;
    request.timeoutMs = timeoutMs;
    request.keepBody = false;
    return m_client.start(request,
                          [done = std::move(done)](const Response &r) { done(r.status, r.error); });
}

void UrlProber::cancel(Id id)
{
    m_client.cancel(id);
}

} // namespace rwd::http
