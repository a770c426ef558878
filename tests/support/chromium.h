#pragma once

// Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket with JSON
// commands, https://chromedevtools.github.io/devtools-protocol/) for the browser dashboard's
// test: open a page, run JavaScript in it, click and type as a user's mouse and keyboard would,
// take screenshots and collect what the page logged. It starts with a fresh profile, listens
// on loopback only and is closed (Browser.close, then SIGKILL if it lingers) when destroyed.

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
    // that page. False, with the reason in `error`, when Chromium is missing or does not start.
    bool start(int width, int height, QString *error);
    void close();

    // Page.navigate; returns once the page's load event fired.
    bool navigate(const QUrl &url, QString *error);
    // Runtime.evaluate of an expression (a promise is awaited); the value, or an undefined
    // QJsonValue with the exception in `error`.
    QJsonValue evaluate(const QString &expression, QString *error = nullptr);
    // A left click at page coordinates (CSS pixels), as press and release events.
    bool click(double x, double y);
    // Types `text` one key at a time (keyDown with the character, keyUp), as a keyboard would.
    bool type(const QString &text);
    // A key without text: "Enter", "Tab", "Backspace", "Escape", "ArrowUp", "ArrowDown".
    bool press(const QString &key);
    // A PNG of the page's viewport.
    QByteArray screenshot();
    // Network conditions of the page's next loads: the browser's cache off or on, and headers
    // added to every request (e.g. Accept-Encoding: identity, for an uncompressed baseline).
    bool setNetwork(bool cacheDisabled, const QJsonObject &extraHeaders);
    // Files the page downloads go to `dir` (Browser.setDownloadBehavior).
    bool allowDownloads(const QString &dir);

    // What the page printed to its console and any uncaught exceptions, oldest first.
    [[nodiscard]] const QStringList &console() const { return m_console; }

private:
    // One command on the page's (or the browser's) connection; waits for its answer.
    QJsonObject call(QWebSocket &socket, const QString &method, const QJsonObject &params = {},
                     QString *error = nullptr, int timeoutMs = 60'000);
    void onMessage(const QString &message);
    bool openSocket(QWebSocket &socket, const QUrl &url, QString *error);

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
