#include "curlmulti.h"

#include <QSocketNotifier>

#include <algorithm>
#include <climits>
#include <memory>
#include <mutex>

namespace rwd::http {

namespace {

void initialiseCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

// The notifiers of one socket. Kept (disabled) after curl stops watching the socket, and reused
// when a later connection gets the same descriptor: no QObject churn per connection.
struct CurlMulti::Watch
{
    std::unique_ptr<QSocketNotifier> read;
    std::unique_ptr<QSocketNotifier> write;
};

CurlMulti::CurlMulti(Finished finished)
    : m_finished(std::move(finished))
{
    initialiseCurl();
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer,
                     [this] { drive(CURL_SOCKET_TIMEOUT, 0); });
}

CurlMulti::~CurlMulti()
{
    if (m_destroyed)
        *m_destroyed = true;
    // Cleaning up the multi handle closes its cached connections, which calls onSocket (and
    // onTimer): the watches and the timer must still be there.
    curl_multi_cleanup(m_multi);
    qDeleteAll(m_watches);
}

void CurlMulti::add(CURL *easy)
{
    curl_multi_add_handle(m_multi, easy);
}

void CurlMulti::remove(CURL *easy)
{
    curl_multi_remove_handle(m_multi, easy);
}

int CurlMulti::onSocket(CURL *, curl_socket_t socket, int what, void *multi, void *)
{
    auto *self = static_cast<CurlMulti *>(multi);
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
                notifier.get(), &QSocketNotifier::activated, notifier.get(), [self, socket, type] {
                    self->drive(socket,
                                type == QSocketNotifier::Read ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
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

int CurlMulti::onTimer(CURLM *, long timeoutMs, void *multi)
{
    auto *self = static_cast<CurlMulti *>(multi);
    if (timeoutMs < 0)
        self->m_timer.stop();
    else
        self->m_timer.start(int(std::min<long>(timeoutMs, INT_MAX)));
    return 0;
}

void CurlMulti::drive(curl_socket_t socket, int events)
{
    int running = 0;
    curl_multi_socket_action(m_multi, socket, events, &running);
    collectFinished();
}

void CurlMulti::collectFinished()
{
    // The callback may add or remove handles, run a nested event loop (whose socket activity
    // lands here again: the guard leaves the messages to this loop, which reads on after the
    // callback returns), or destroy this CurlMulti along with its owner (then the destructor
    // sets `destroyed`, and nothing of this object may be touched any more).
    if (m_collecting)
        return;
    m_collecting = true;
    bool destroyed = false;
    m_destroyed = &destroyed;
    CURLMsg *message = nullptr;
    int left = 0;
    while (!destroyed && (message = curl_multi_info_read(m_multi, &left)) != nullptr) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *easy = message->easy_handle;
        const CURLcode result = message->data.result;
        curl_multi_remove_handle(m_multi, easy);
        m_finished(easy, result);
    }
    if (destroyed)
        return;
    m_destroyed = nullptr;
    m_collecting = false;
}

} // namespace rwd::http
