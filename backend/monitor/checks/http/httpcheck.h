#pragma once

#include "http/client.h"
#include "monitor/check.h"

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QUrl>

namespace rwd::monitor {

// `type: http` — requests a URL and passes when the status is expected and the body matches
// (`body_contains`, `body_regex`). Fields: latency, status.
// Redirects are not followed (a 302 to a login page is not "healthy" unless expected); TLS
// certificates are verified unless `tls_verify: false`.
class HttpCheck final : public Check
{
public:
    struct Options
    {
        QUrl url;
        QByteArray method = "GET";
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QList<QPair<int, int>> expectStatus{{200, 399}}; // inclusive ranges
        QByteArray bodyContains;
        QRegularExpression bodyRegex; // invalid (empty pattern) when not set
        bool tlsVerify = true;
        qint64 timeoutMs = 5000;
    };

    HttpCheck(Options options, const CheckRuntime &runtime);
    ~HttpCheck() override;

    void probe(Done done) override;
    void cancel() override;
    [[nodiscard]] QList<FieldSpec> fields() const override;

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    void finish(const http::Response &response, qint64 startedMs);

    Options m_options;
    CheckRuntime m_runtime;
    http::Client::Id m_request = 0;
    Done m_done;
};

} // namespace rwd::monitor
