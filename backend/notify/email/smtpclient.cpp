#include "smtpclient.h"

#include <QPointer>
#include <QSocketNotifier>

#include <algorithm>
#include <climits>
#include <cstring>
#include <curl/curl.h>
#include <mutex>

namespace rwd::notify {

namespace {

void initialiseCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

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

struct SmtpClient::Watch
{
    std::unique_ptr<QSocketNotifier> read;
    std::unique_ptr<QSocketNotifier> write;
};

SmtpClient::SmtpClient(QObject *parent)
    : QObject(parent)
{
    initialiseCurl();
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &SmtpClient::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &SmtpClient::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { drive(CURL_SOCKET_TIMEOUT, 0); });
}

SmtpClient::~SmtpClient()
{
    for (auto *t : std::as_const(m_transfers)) {
        curl_multi_remove_handle(m_multi, t->easy);
        delete t;
    }
    m_transfers.clear();
    // Cleaning up the multi handle closes its cached connections, which calls onSocket.
    curl_multi_cleanup(m_multi);
    qDeleteAll(m_watches);
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
    // Adding only schedules the transfer (through onTimer): `done` cannot run from here.
    curl_multi_add_handle(m_multi, e);
}

int SmtpClient::onSocket(void *, int socket, int what, void *client, void *)
{
    auto *self = static_cast<SmtpClient *>(client);
    Watch *&watch = self->m_watches[socket];
    if (!watch) {
        if (what == CURL_POLL_REMOVE)
            return 0;
        watch = new Watch;
    }
    // Notifiers are kept (disabled) when curl stops watching a socket, and reused when a later
    // connection gets the same descriptor.
    const auto arm = [self, socket](std::unique_ptr<QSocketNotifier> &notifier,
                                    QSocketNotifier::Type type, bool on) {
        if (!notifier) {
            if (!on)
                return;
            notifier = std::make_unique<QSocketNotifier>(qintptr(socket), type);
            QObject::connect(
                notifier.get(), &QSocketNotifier::activated, self, [self, socket, type] {
                    self->drive(socket,
                                type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
                });
        }
        if (notifier->isEnabled() != on)
            notifier->setEnabled(on);
    };
    arm(watch->read, QSocketNotifier::Read, what == CURL_POLL_IN || what == CURL_POLL_INOUT);
    arm(watch->write, QSocketNotifier::Write, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
    return 0;
}

int SmtpClient::onTimer(void *, long timeoutMs, void *client)
{
    auto *self = static_cast<SmtpClient *>(client);
    if (timeoutMs < 0)
        self->m_timer.stop();
    else
        self->m_timer.start(int(std::min<long>(timeoutMs, INT_MAX)));
    return 0;
}

void SmtpClient::drive(int socket, int events)
{
    int running = 0;
    curl_multi_socket_action(m_multi, socket, events, &running);
    collectFinished();
}

void SmtpClient::collectFinished()
{
    // A `done` may send more mail or destroy this client.
    if (m_collecting)
        return;
    m_collecting = true;
    QPointer<SmtpClient> alive(this);
    CURLMsg *message = nullptr;
    int left = 0;
    while (alive && (message = curl_multi_info_read(m_multi, &left)) != nullptr) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *easy = message->easy_handle;
        const CURLcode code = message->data.result;
        curl_multi_remove_handle(m_multi, easy);
        Transfer *t = m_transfers.take(easy);
        if (!t)
            continue;
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
    if (alive)
        m_collecting = false;
}

} // namespace rwd::notify
