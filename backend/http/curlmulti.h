#pragma once

#include <QHash>
#include <QTimer>

#include <curl/curl.h>
#include <functional>

namespace rwd::http {

// A libcurl multi handle driven by the event loop of the thread that owns it: one
// QSocketNotifier per socket and direction curl wants watched, and one QTimer for curl's
// timeouts. No thread of its own. What it knows nothing about is the transfers themselves: the
// owner builds its easy handles, adds them, and is called back with each one that finished.
// http::Client (HTTP) and notify::SmtpClient (SMTP) are built on it.
//
// This header includes libcurl's: include it only from sources of targets that link libcurl,
// and keep it out of headers (hold a CurlMulti through std::unique_ptr and a declaration).
class CurlMulti final
{
public:
    // Called once for each easy handle whose transfer ended, with how it ended. The handle has
    // already been removed from the multi handle; it belongs to the owner again (to read its
    // information, reset, reuse or clean it up). The callback may add and remove handles, and may
    // destroy the CurlMulti (its owner): it is never called from inside add() or remove().
    using Finished = std::function<void(CURL *easy, CURLcode result)>;

    explicit CurlMulti(Finished finished);
    ~CurlMulti();
    CurlMulti(const CurlMulti &) = delete;
    CurlMulti &operator=(const CurlMulti &) = delete;

    // The multi handle, for options of the owner's own (CURLMOPT_MAX_HOST_CONNECTIONS, ...).
    [[nodiscard]] CURLM *handle() const { return m_multi; }

    // Starts a transfer. Adding only schedules it (through the timer): `finished` cannot run
    // from here.
    void add(CURL *easy);
    // Abandons a running transfer; `finished` is not called for it.
    void remove(CURL *easy);

private:
    struct Watch;

    static int onSocket(CURL *easy, curl_socket_t socket, int what, void *self, void *socketData);
    static int onTimer(CURLM *multi, long timeoutMs, void *self);
    void drive(curl_socket_t socket, int events);
    void collectFinished();

    CURLM *m_multi = nullptr;
    Finished m_finished;
    QTimer m_timer;
    QHash<curl_socket_t, Watch *> m_watches;
    bool m_collecting = false;
    bool *m_destroyed = nullptr; // set while collectFinished runs: tells it the callback deleted us
};

} // namespace rwd::http
