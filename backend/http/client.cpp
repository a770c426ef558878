#include "client.h"

#include "curlmulti.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace rwd::http {

namespace {

constexpr const char *kUserAgent = "rewind-check/1";
constexpr std::size_t kMaxIdleHandles = 256;
// A timeout noticed this much later than it was due (and at least half the timeout) was not
// the server's doing: the event loop was held up.
constexpr qint64 kLateTimeoutMs = 250;

bool isResourceErrno(int e)
{
    return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

} // namespace

bool outOfDescriptors()
{
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::close(fd);
        return false;
    }
    return errno == EMFILE || errno == ENFILE;
}

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
    int socketErrno = 0; // why libcurl could not open a socket, when it could not
    QElapsedTimer started;

    // libcurl's socket, opened here so that a failure for want of descriptors is known as such.
    static curl_socket_t openSocket(void *self, curlsocktype, curl_sockaddr *address)
    {
        const int fd =
            ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
        if (fd < 0)
            static_cast<Transfer *>(self)->socketErrno = errno;
        return fd < 0 ? CURL_SOCKET_BAD : fd;
    }

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

Client::Client(QObject *parent)
    : QObject(parent)
    , m_curl(std::make_unique<CurlMulti>(
          [this](CURL *easy, CURLcode result) { finished(easy, result); }))
{
    CURLM *multi = m_curl->handle();
    // Requests to one host share a few kept-alive connections; more wait for one to be free.
    // Without a limit, a burst of due checks opens a connection each, and every connection
    // makes each turn of the event loop (poll(2) over all of them) slower: the burst grows.
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(kMaxHostConnections));
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 1024L);
}

Client::~Client()
{
    for (auto *t : std::as_const(m_transfers)) {
        m_curl->remove(t->easy);
        curl_easy_cleanup(t->easy);
        curl_slist_free_all(t->headers);
        delete t;
    }
    m_transfers.clear();
    for (auto *easy : m_idleHandles)
        curl_easy_cleanup(easy);
    // m_curl, destroyed after this, cleans up the multi handle and its cached connections.
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
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::openSocket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
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
    // Adding only schedules the transfer: `done` cannot run from here.
    m_curl->add(t->easy);
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
    if (!t->easy) { // never started: no handle to give back
        delete t;
        return;
    }
    if (t->inFlight) {
        m_curl->remove(t->easy);
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

void Client::finished(CURL *easy, int result)
{
    // A `done` may start or cancel requests, or destroy this client: CurlMulti allows for it.
    const auto code = static_cast<CURLcode>(result);
    Transfer *t = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
    if (!t || m_transfers.take(t->id) != t)
        return;
    leave(t);
    Response &r = t->response;
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        r.status = int(status);
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        r.timedOut = true;
        r.error = QStringLiteral("no answer within %1 ms").arg(t->timeoutMs);
        const qint64 elapsed = t->started.elapsed();
        if (elapsed > t->timeoutMs + std::max(kLateTimeoutMs, t->timeoutMs / 2)) {
            r.local = true;
            r.error += QStringLiteral(", but Rewind only looked after %1 ms: its event loop was "
                                      "held up")
                           .arg(elapsed);
        }
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
        r.error =
            QStringLiteral("cannot resolve the host name of %1").arg(t->host.section(u':', 1, 1));
    } else {
        r.error = QString::fromUtf8(t->error[0] ? t->error : curl_easy_strerror(code));
    }
    if (t->socketErrno != 0 && isResourceErrno(t->socketErrno)) {
        r.local = true;
        r.error = QStringLiteral("Rewind could not open a socket to %1: %2")
                      .arg(t->host.section(u':', 1),
                           QString::fromLocal8Bit(std::strerror(t->socketErrno)));
    } else if (code == CURLE_OUT_OF_MEMORY || code == CURLE_FAILED_INIT) {
        r.local = true;
    } else if (code != CURLE_OK && !r.timedOut && !r.tooLarge && outOfDescriptors()) {
        // A failure before any answer while the process has no descriptor left (a resolver's
        // socket pair, a TLS library's file) is Rewind's, whatever libcurl called it.
        r.local = true;
        r.error += QStringLiteral(" (Rewind has no file descriptor left)");
    }
    if (!r.error.isEmpty())
        r.body.clear();
    Done done = std::move(t->done);
    Response response = std::move(t->response);
    release(t);
    if (done)
        done(response);
}

} // namespace rwd::http
