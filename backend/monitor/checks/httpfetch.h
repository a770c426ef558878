#pragma once

#include "http/client.h"

namespace rwd::monitor {

using FetchResult = http::Response;

// One running request of a check that reads a document (a metrics page, a query result): a
// handle that cancels the request when the check cancels or goes away. Bounded in time (the
// whole transfer, so a server that trickles cannot hold a probe past its timeout) and in size
// (so a runaway endpoint cannot exhaust memory) by the request itself.
class HttpFetch
{
public:
    using Done = std::function<void(const FetchResult &)>;

    HttpFetch() = default;
    ~HttpFetch() { cancel(); }
    Q_DISABLE_COPY_MOVE(HttpFetch)

    // Starts the request (cancelling one still running). `done` is called exactly once, from the
    // event loop, unless cancel() comes first; it may destroy this object.
    void start(http::Client &client, const http::Request &request, Done done)
    {
        cancel();
        m_client = &client;
        m_id = client.start(request, [this, done = std::move(done)](const FetchResult &result) {
            m_client = nullptr;
            done(result);
        });
    }
    // Abandons the running request; its `done` is not called.
    void cancel()
    {
        if (m_client)
            m_client->cancel(m_id);
        m_client = nullptr;
    }

private:
    http::Client *m_client = nullptr;
    http::Client::Id m_id = 0;
};

} // namespace rwd::monitor
