#pragma once

#include "client.h"
#include "orchestrator/ports.h"

namespace rwd::http {

// The orchestrator's UrlProber over the HTTP client: a GET that keeps no body.
class UrlProber final : public orchestrator::UrlProber
{
public:
    explicit UrlProber(Client &client)
        : m_client(client)
    {}

    Id probe(const QUrl &url, qint64 timeoutMs, Done done) override;
    void cancel(Id id) override;

private:
    Client &m_client;
};

} // namespace rwd::http
