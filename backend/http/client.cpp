#include "client.h"

#include <QPointer>
#include <QSocketNotifier>

#include <algorithm>
#include <climits>
#include <cstring>
#include <curl/curl.h>
#include <mutex>

namespace rwd::http {

namespace {

constexpr const char *kUserAgent = "rewind-check/1";
constexpr std::size_t kMaxIdleHandles = 256;

void initialiseCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

struct Client::Transfer
{
    Id id = 0;
    CURL *easy = nullptr;
    QString host; // scheme://host:port, the queue it belongs to
    QDeadlineTimer deadline;
    bool inFlight = false;
    curl_slist *headers = nullptr;
    Done done;
    Response response;
    qint64 timeoutMs = 0;
    qint64 maxBytes = 0;
    bool keepBody = true;
    char error[CURL_ERROR_SIZE] = {};

    static std::size_t write(char *data, std::size_t size, std::size_t count, void *self)
    {
        auto *t = static_cast<Transfer *>(self);
        const std::size_t bytes = size * count;
        t->received += qint64(bytes);
        if (t->received > t->maxBytes) {
            t->response.tooLarge = true;
            return 0; // stops the transfer with CURLE_WRITE_ERROR
        }
        if (t->keepBody)
            t->response.body.append(data, qsizetype(bytes));
        return bytes;
    }
    qint64 received = 0;
};

// The notifiers of one socket. Kept (disabled) after curl stops watching the socket, and reused
// when a later connection gets the same descriptor: no QObject churn per connection.
struct Client::Watch
{
    std::unique_ptr<QSocketNotifier> read;
    std::unique_ptr<QSocketNotifier> write;
};

Client::Client(QObject *parent)
    : QObject(parent)
{
    initialiseCurl();
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &Client::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &Client::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    // Requests to one host share a few kept-alive connections; more wait for one to be free.
    // Without a limit, a burst of due checks opens a connection each, and every connection
    // makes each turn of the event loop (poll(2) over all of them) slower: the burst grows.
    curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(kMaxHostConnections));
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, 1024L);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        int running = 0;
        curl_multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
        collectFinished();
    });
}

Client::~Client()
{
    for (auto *t : std::as_const(m_transfers)) {
        curl_multi_remove_handle(m_multi, t->easy);
        curl_easy_cleanup(t->easy);
        curl_slist_free_all(t->headers);
        delete t;
    }
    m_transfers.clear();
    for (auto *easy : m_idleHandles)
        curl_easy_cleanup(easy);
    // Cleaning up the multi handle closes its cached connections, which calls onSocket.
    curl_multi_cleanup(m_multi);
    qDeleteAll(m_watches);
}

Client::Id Client::start(const Request &request, Done done)
{
    auto *t = new Transfer;
    t->id = m_nextId++;
    t->done = std::move(done);
    t->timeoutMs = std::max<qint64>(1, request.timeoutMs);
    t->deadline = QDeadlineTimer(t->timeoutMs);
    t->host = request.url.scheme() + u':' + request.url.host() + u':' +
              QString::number(request.url.port(request.url.scheme() == u"https" ? 443 : 80));
    t->maxBytes = request.maxBytes;
    t->keepBody = request.keepBody;
    if (!m_idleHandles.empty()) {
        t->easy = m_idleHandles.back();
        m_idleHandles.pop_back();
        curl_easy_reset(t->easy);
    } else {
        t->easy = curl_easy_init();
    }
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_URL, request.url.toEncoded().constData());
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, kUserAgent);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    // An announced length over the limit is refused before the body arrives.
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBytes));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, request.tlsVerify ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, request.tlsVerify ? 2L : 0L);

    const QByteArray method = request.method.toUpper();
    const bool sendsBody = !request.body.isEmpty() || method == "POST" || method == "PUT";
    if (method == "HEAD") {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (sendsBody) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.size()));
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, request.body.constData());
        if (method != "POST")
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.constData());
    } else if (method != "GET") {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method.constData());
    }
    // No "Expect: 100-continue" round trip before a body.
    t->headers = curl_slist_append(t->headers, "Expect:");
    for (const auto &[name, value] : request.headers) {
        const QByteArray line = value.isEmpty() ? name + ';' : name + ": " + value;
        t->headers = curl_slist_append(t->headers, line.constData());
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);

    m_transfers.insert(t->id, t);
    auto &host = m_hosts[t->host];
    if (host.inFlight < kMaxHostConnections)
        launch(t);
    else
        host.waiting.push_back(t);
    return t->id;
}

void Client::launch(Transfer *t)
{
    // Time spent waiting for the host counts against the request's own timeout; one whose time
    // ran out while waiting still goes through curl, which reports the timeout.
    const qint64 remaining = std::max<qint64>(1, t->deadline.remainingTime());
    curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, long(remaining));
    t->inFlight = true;
    ++m_hosts[t->host].inFlight;
    // Adding only schedules the transfer (through onTimer): `done` cannot run from here.
    curl_multi_add_handle(m_multi, t->easy);
}

void Client::leave(Transfer *t)
{
    const auto it = m_hosts.find(t->host);
    if (it == m_hosts.end())
        return;
    --it->inFlight;
    if (!it->waiting.empty()) {
        Transfer *next = it->waiting.front();
        it->waiting.pop_front();
        launch(next);
    } else if (it->inFlight == 0) {
        m_hosts.erase(it);
    }
}

void Client::cancel(Id id)
{
    const auto it = m_transfers.find(id);
    if (it == m_transfers.end())
        return;
    Transfer *t = *it;
    m_transfers.erase(it);
    if (t->inFlight) {
        curl_multi_remove_handle(m_multi, t->easy);
        leave(t);
    } else {
        auto &waiting = m_hosts[t->host].waiting;
        waiting.erase(std::find(waiting.begin(), waiting.end(), t));
    }
    release(t);
}

void Client::release(Transfer *t)
{
    curl_slist_free_all(t->headers);
    if (m_idleHandles.size() < kMaxIdleHandles)
        m_idleHandles.push_back(t->easy);
    else
        curl_easy_cleanup(t->easy);
    delete t;
}

int Client::onSocket(void *, int socket, int what, void *client, void *)
{
    auto *self = static_cast<Client *>(client);
    Watch *&watch = self->m_watches[socket];
    if (!watch) {
        if (what == CURL_POLL_REMOVE)
            return 0;
        watch = new Watch;
    }
    const auto arm = [self, socket](std::unique_ptr<QSocketNotifier> &notifier,
                                    QSocketNotifier::Type type, bool on) {
        if (!notifier) {
            if (!on)
                return;
            notifier = std::make_unique<QSocketNotifier>(qintptr(socket), type);
            QObject::connect(
                notifier.get(), &QSocketNotifier::activated, self, [self, socket, type] {
                    self->socketActivity(socket, type == QSocketNotifier::Read ? CURL_CSELECT_IN
                                                                               : CURL_CSELECT_OUT);
                });
        }
        if (notifier->isEnabled() != on)
            notifier->setEnabled(on);
    };
    const bool read = what == CURL_POLL_IN || what == CURL_POLL_INOUT;
    const bool write = what == CURL_POLL_OUT || what == CURL_POLL_INOUT;
    arm(watch->read, QSocketNotifier::Read, read);
    arm(watch->write, QSocketNotifier::Write, write);
    return 0;
}

int Client::onTimer(void *, long timeoutMs, void *client)
{
    auto *self = static_cast<Client *>(client);
    if (timeoutMs < 0)
        self->m_timer.stop();
    else
        self->m_timer.start(int(std::min<long>(timeoutMs, INT_MAX)));
    return 0;
}

void Client::socketActivity(int socket, int events)
{
    int running = 0;
    curl_multi_socket_action(m_multi, socket, events, &running);
    collectFinished();
}

void Client::collectFinished()
{
    // A `done` may start or cancel requests, or destroy this client.
    if (m_collecting)
        return;
    m_collecting = true;
    QPointer<Client> alive(this);
    CURLMsg *message = nullptr;
    int left = 0;
    while (alive && (message = curl_multi_info_read(m_multi, &left)) != nullptr) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *easy = message->easy_handle;
        const CURLcode code = message->data.result;
        Transfer *t = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
        curl_multi_remove_handle(m_multi, easy);
        if (!t || m_transfers.take(t->id) != t)
            continue;
        leave(t);
        Response &r = t->response;
        if (code == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            r.status = int(status);
        } else if (code == CURLE_OPERATION_TIMEDOUT) {
            r.timedOut = true;
            r.error = QStringLiteral("no answer within %1 ms").arg(t->timeoutMs);
        } else if (r.tooLarge || code == CURLE_FILESIZE_EXCEEDED) {
            r.tooLarge = true;
            r.error = QStringLiteral("the answer is larger than %1 MiB")
                          .arg(double(t->maxBytes) / (1024 * 1024));
        } else if (code == CURLE_COULDNT_CONNECT) {
            long osError = 0;
            curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &osError);
            r.error = QStringLiteral("cannot connect to %1: %2")
                          .arg(t->host.section(u':', 1),
                               osError != 0 ? QString::fromLocal8Bit(std::strerror(int(osError)))
                                            : QString::fromUtf8(t->error));
        } else if (code == CURLE_COULDNT_RESOLVE_HOST) {
            r.error = QStringLiteral("cannot resolve the host name of %1")
                          .arg(t->host.section(u':', 1, 1));
        } else {
            r.error = QString::fromUtf8(t->error[0] ? t->error : curl_easy_strerror(code));
        }
        if (!r.error.isEmpty())
            r.body.clear();
        Done done = std::move(t->done);
        Response response = std::move(t->response);
        release(t);
        if (done)
            done(response);
    }
    if (alive)
        m_collecting = false;
}

} // namespace rwd::http
