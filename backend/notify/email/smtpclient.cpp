#include "smtpclient.h"

#include "http/curlmulti.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace rwd::notify {

struct SmtpClient::Transfer
{
    CURL *easy = nullptr;
    curl_slist *recipients = nullptr;
    QByteArray message;
    qsizetype sent = 0;
    Request request; // keeps the strings libcurl points to alive
    Done done;
    char error[CURL_ERROR_SIZE] = {};

    ~Transfer()
    {
        curl_easy_cleanup(easy);
        curl_slist_free_all(recipients);
    }

    static std::size_t read(char *buffer, std::size_t size, std::size_t count, void *self)
    {
        auto *t = static_cast<Transfer *>(self);
        const auto n = std::min<qsizetype>(qsizetype(size * count), t->message.size() - t->sent);
        std::memcpy(buffer, t->message.constData() + t->sent, std::size_t(n));
        t->sent += n;
        return std::size_t(n);
    }
};

SmtpClient::SmtpClient(QObject *parent)
    : QObject(parent)
    , m_curl(std::make_unique<http::CurlMulti>(
          [this](CURL *easy, CURLcode result) { finished(easy, result); }))
{}

SmtpClient::~SmtpClient()
{
    for (auto *t : std::as_const(m_transfers)) {
        m_curl->remove(t->easy);
        delete t;
    }
    m_transfers.clear();
    // m_curl, destroyed after this, cleans up the multi handle and its cached connections.
}

void SmtpClient::send(const Request &request, Done done)
{
    auto *t = new Transfer;
    t->request = request;
    t->message = request.message;
    t->done = std::move(done);
    t->easy = curl_easy_init();
    CURL *e = t->easy;
    const Request &r = t->request;
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_URL, r.url.constData());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    // Mail is rare: each message gets its own session, ended with QUIT.
    curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(std::clamp<qint64>(r.timeoutMs, 1, LONG_MAX)));
    curl_easy_setopt(e, CURLOPT_MAIL_FROM, QByteArray('<' + r.mailFrom + '>').constData());
    for (const auto &to : r.recipients)
        t->recipients = curl_slist_append(t->recipients, QByteArray('<' + to + '>').constData());
    curl_easy_setopt(e, CURLOPT_MAIL_RCPT, t->recipients);
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, curl_off_t(t->message.size()));
    curl_easy_setopt(e, CURLOPT_READFUNCTION, &Transfer::read);
    curl_easy_setopt(e, CURLOPT_READDATA, t);
    if (r.requireStartTls)
        curl_easy_setopt(e, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r.tlsVerify ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, r.tlsVerify ? 2L : 0L);
    if (!r.caFile.isEmpty())
        curl_easy_setopt(e, CURLOPT_CAINFO, r.caFile.constData());
    if (!r.username.isEmpty()) {
        curl_easy_setopt(e, CURLOPT_USERNAME, r.username.constData());
        curl_easy_setopt(e, CURLOPT_PASSWORD, r.password.constData());
    }
    m_transfers.insert(e, t);
    // Adding only schedules the transfer: `done` cannot run from here.
    m_curl->add(e);
}

void SmtpClient::finished(CURL *easy, int result)
{
    // A `done` may send more mail or destroy this client: CurlMulti allows for it.
    const auto code = static_cast<CURLcode>(result);
    Transfer *t = m_transfers.take(easy);
    if (!t)
        return;
    Response r;
    long reply = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply);
    r.smtpCode = int(reply);
    r.ok = code == CURLE_OK;
    switch (code) {
    case CURLE_OK:
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
        // The session failed or broke; a reply code, if any, says more (libcurl reports a
        // refused RCPT or DATA as a send error too).
        r.broken = true;
        break;
    case CURLE_LOGIN_DENIED:
        r.loginDenied = true;
        break;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        r.tlsFailed = true;
        break;
    default:
        break;
    }
    if (!r.ok)
        r.error = QString::fromUtf8(t->error[0] ? t->error : curl_easy_strerror(code));
    Done done = std::move(t->done);
    delete t;
    if (done)
        done(r);
}

} // namespace rwd::notify
