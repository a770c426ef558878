#pragma once

// Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket with JSON
// commands, https://chromedevtools.github.io/devtools-protocol/) for the browser dashboard's
// test: open a page, run JavaScript in it, click and type as a user's mouse and keyboard would,
// take screenshots and collect what the page logged. It starts with a fresh profile, listens
// on loopback only and is closed (Browser.close, then SIGKILL if it lingers) when destroyed.

#include "results.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace rwd::testing {

class Chromium
{
public:
    static constexpr const char *kExecutable = "/usr/bin/chromium";

    Chromium();
    ~Chromium();
    Q_DISABLE_COPY_MOVE(Chromium)

    // Starts the browser with one blank page of `width`×`height` CSS pixels and connects to
    // that page. Fails when Chromium is missing or does not start.
    [[nodiscard]] Result<void> start(int width, int height);
    void close();

    // Page.navigate; returns once the page's load event fired.
    [[nodiscard]] Result<void> navigate(const QUrl &url);
    // Runtime.evaluate of an expression (a promise is awaited): its value, or the exception.
    [[nodiscard]] Result<QJsonValue> evaluate(const QString &expression);
    // A left click at page coordinates (CSS pixels), as press and release events.
    [[nodiscard]] Result<void> click(double x, double y);
    // Types `text` one key at a time (keyDown with the character, keyUp), as a keyboard would.
    [[nodiscard]] Result<void> type(const QString &text);
    // A key without text: "Enter", "Tab", "Backspace", "Escape", "ArrowUp", "ArrowDown".
    [[nodiscard]] Result<void> press(const QString &key);
    // A PNG of the page's viewport.
    [[nodiscard]] Result<QByteArray> screenshot();
    // Network conditions of the page's next loads: the browser's cache off or on, and headers
    // added to every request (e.g. Accept-Encoding: identity, for an uncompressed baseline).
    [[nodiscard]] Result<void> setNetwork(bool cacheDisabled, const QJsonObject &extraHeaders);
    // Files the page downloads go to `dir` (Browser.setDownloadBehavior).
    [[nodiscard]] Result<void> allowDownloads(const QString &dir);

    // What the page printed to its console and any uncaught exceptions, oldest first.
    [[nodiscard]] const QStringList &console() const { return m_console; }

private:
    // One command on the page's (or the browser's) connection; waits for its answer.
    [[nodiscard]] Result<QJsonObject> call(QWebSocket &socket, const QString &method,
                                           const QJsonObject &params = {}, int timeoutMs = 60'000);
    void onMessage(const QString &message);
    [[nodiscard]] Result<void> openSocket(QWebSocket &socket, const QUrl &url);

    QTemporaryDir m_profile;
    std::unique_ptr<QProcess> m_process;
    QWebSocket m_browser;
    QWebSocket m_page;
    int m_nextId = 1;
    QHash<int, QJsonObject> m_replies;
    int m_loadEvents = 0;
    QStringList m_console;
};

} // namespace rwd::testing
