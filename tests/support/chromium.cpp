#include "chromium.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>

namespace rwd::testing {

namespace {

constexpr int kStartTimeoutMs = 60'000;

// Runs `loop` until `done()` holds or `timeoutMs` pass; `done` is checked whenever one of the
// signals that were connected to the loop's quit fires.
template<typename Done>
bool waitFor(QEventLoop &loop, int timeoutMs, Done done)
{
    if (done())
        return true;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    while (!done() && timer.isActive())
        loop.exec();
    return done();
}

// The DevTools key description of one character: what a US keyboard sends for it.
QJsonObject keyOf(QChar c)
{
    const QString text(c);
    QJsonObject key{{"key", text}, {"text", text}, {"unmodifiedText", text}};
    if (c.isLetter() && c.unicode() < 128) {
        const QChar upper = c.toUpper();
        key.insert("code", QStringLiteral("Key%1").arg(upper));
        key.insert("windowsVirtualKeyCode", int(upper.unicode()));
        if (c.isUpper())
            key.insert("modifiers", 8); // Shift
    } else if (c.isDigit() && c.unicode() < 128) {
        key.insert("code", QStringLiteral("Digit%1").arg(c));
        key.insert("windowsVirtualKeyCode", int(c.unicode()));
    } else if (c == QLatin1Char(' ')) {
        key.insert("code", QStringLiteral("Space"));
        key.insert("windowsVirtualKeyCode", 32);
    }
    return key;
}

} // namespace

Chromium::Chromium()
{
    QObject::connect(&m_browser, &QWebSocket::textMessageReceived,
                     [this](const QString &m) { onMessage(m); });
    QObject::connect(&m_page, &QWebSocket::textMessageReceived,
                     [this](const QString &m) { onMessage(m); });
}

Chromium::~Chromium()
{
    close();
}

Result<void> Chromium::openSocket(QWebSocket &socket, const QUrl &url)
{
    QEventLoop loop;
    QObject::connect(&socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    socket.open(url);
    const bool ok = waitFor(loop, kStartTimeoutMs,
                            [&] {
                                return socket.state() == QAbstractSocket::ConnectedState ||
                                       socket.state() == QAbstractSocket::UnconnectedState;
                            }) &&
                    socket.state() == QAbstractSocket::ConnectedState;
    if (!ok)
        return failure(
            QStringLiteral("cannot connect to %1: %2").arg(url.toString(), socket.errorString()));
    return {};
}

Result<void> Chromium::start(int width, int height)
{
    if (!QFileInfo(QString::fromLatin1(kExecutable)).isExecutable())
        return failure(QStringLiteral("%1 is missing: scripts/setup installs Debian's chromium")
                           .arg(QString::fromLatin1(kExecutable)));
    if (!m_profile.isValid())
        return failure(QStringLiteral("no temporary directory for the browser's profile"));
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(QString::fromLatin1(kExecutable));
    m_process->setArguments({
        QStringLiteral("--headless"),
        QStringLiteral("--no-sandbox"),
        QStringLiteral("--disable-gpu"),
        QStringLiteral("--enable-unsafe-swiftshader"),
        QStringLiteral("--disable-quic"),
        QStringLiteral("--no-first-run"),
        QStringLiteral("--no-default-browser-check"),
        QStringLiteral("--disable-background-networking"),
        QStringLiteral("--disable-component-update"),
        QStringLiteral("--disable-sync"),
        QStringLiteral("--disable-extensions"),
        QStringLiteral("--user-data-dir=%1").arg(m_profile.path()),
        QStringLiteral("--remote-debugging-address=127.0.0.1"),
        QStringLiteral("--remote-debugging-port=0"),
        QStringLiteral("--window-size=%1,%2").arg(width).arg(height),
        QStringLiteral("about:blank"),
    });
    // Chromium says where its DevTools endpoint is on stderr.
    QEventLoop loop;
    QString log;
    QUrl endpoint;
    QObject::connect(m_process.get(), &QProcess::readyReadStandardError, &loop, [&] {
        log += QString::fromLocal8Bit(m_process->readAllStandardError());
        static const QRegularExpression listening(QStringLiteral("DevTools listening on (\\S+)"));
        if (const auto match = listening.match(log); match.hasMatch()) {
            endpoint = QUrl(match.captured(1));
            loop.quit();
        }
    });
    QObject::connect(m_process.get(), &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(m_process.get(), &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    m_process->start();
    waitFor(loop, kStartTimeoutMs,
            [&] { return endpoint.isValid() || m_process->state() == QProcess::NotRunning; });
    if (!endpoint.isValid())
        return failure(QStringLiteral("Chromium did not start: %1").arg(log.right(2000)));
    // Keep reading its stderr so that the pipe never fills.
    QObject::disconnect(m_process.get(), nullptr, &loop, nullptr);
    QObject::connect(m_process.get(), &QProcess::readyReadStandardError, m_process.get(),
                     [p = m_process.get()] { p->readAllStandardError(); });
    if (auto opened = openSocket(m_browser, endpoint); !opened)
        return opened;

    const auto targets = call(m_browser, QStringLiteral("Target.getTargets"));
    if (!targets)
        return targets.error();
    QString pageId;
    for (const auto &t : targets->value(QLatin1String("targetInfos")).toArray()) {
        if (t.toObject().value(QLatin1String("type")).toString() == QLatin1String("page"))
            pageId = t.toObject().value(QLatin1String("targetId")).toString();
    }
    if (pageId.isEmpty())
        return failure(QStringLiteral("Chromium opened no page"));
    QUrl page = endpoint;
    page.setPath(QStringLiteral("/devtools/page/%1").arg(pageId));
    if (auto opened = openSocket(m_page, page); !opened)
        return opened;
    for (const char *domain : {"Page.enable", "Runtime.enable"}) {
        if (const auto enabled = call(m_page, QString::fromLatin1(domain)); !enabled)
            return enabled.error();
    }
    const auto sized =
        call(m_page, QStringLiteral("Emulation.setDeviceMetricsOverride"),
             {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}});
    if (!sized)
        return sized.error();
    return {};
}

void Chromium::close()
{
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        m_process.reset();
        return;
    }
    if (m_browser.state() == QAbstractSocket::ConnectedState)
        m_browser.sendTextMessage(QStringLiteral(R"({"id":0,"method":"Browser.close"})"));
    if (!m_process->waitForFinished(15'000)) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
    m_process.reset();
}

Result<QJsonObject> Chromium::call(QWebSocket &socket, const QString &method,
                                   const QJsonObject &params, int timeoutMs)
{
    const int id = m_nextId++;
    QJsonObject message{{"id", id}, {"method", method}};
    if (!params.isEmpty())
        message.insert("params", params);
    QEventLoop loop;
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    const bool answered = waitFor(loop, timeoutMs, [&] {
        return m_replies.contains(id) || socket.state() != QAbstractSocket::ConnectedState;
    });
    const auto reply = m_replies.take(id);
    if (!answered || reply.isEmpty())
        return failure(QStringLiteral("%1: no answer from Chromium").arg(method));
    if (reply.contains(QLatin1String("error")))
        return failure(QStringLiteral("%1: %2").arg(method, reply.value(QLatin1String("error"))
                                                                .toObject()
                                                                .value(QLatin1String("message"))
                                                                .toString()));
    return reply.value(QLatin1String("result")).toObject();
}

void Chromium::onMessage(const QString &text)
{
    const auto message = QJsonDocument::fromJson(text.toUtf8()).object();
    if (message.contains(QLatin1String("id"))) {
        m_replies.insert(message.value(QLatin1String("id")).toInt(), message);
        return;
    }
    const auto method = message.value(QLatin1String("method")).toString();
    const auto params = message.value(QLatin1String("params")).toObject();
    if (method == QLatin1String("Page.loadEventFired")) {
        ++m_loadEvents;
    } else if (method == QLatin1String("Runtime.consoleAPICalled")) {
        QStringList parts;
        for (const auto &arg : params.value(QLatin1String("args")).toArray()) {
            const auto a = arg.toObject();
            parts.append(a.contains(QLatin1String("value"))
                             ? a.value(QLatin1String("value")).toVariant().toString()
                             : a.value(QLatin1String("description")).toString());
        }
        m_console.append(QStringLiteral("%1: %2").arg(
            params.value(QLatin1String("type")).toString(), parts.join(QLatin1Char(' '))));
    } else if (method == QLatin1String("Runtime.exceptionThrown")) {
        const auto details = params.value(QLatin1String("exceptionDetails")).toObject();
        const auto exception = details.value(QLatin1String("exception")).toObject();
        m_console.append(QStringLiteral("exception: %1 %2")
                             .arg(details.value(QLatin1String("text")).toString(),
                                  exception.value(QLatin1String("description")).toString()));
    }
}

Result<void> Chromium::navigate(const QUrl &url)
{
    const int before = m_loadEvents;
    const auto result = call(m_page, QStringLiteral("Page.navigate"), {{"url", url.toString()}});
    if (!result)
        return result.error();
    if (result->contains(QLatin1String("errorText")))
        return failure(
            QStringLiteral("cannot open %1: %2")
                .arg(url.toString(), result->value(QLatin1String("errorText")).toString()));
    QEventLoop loop;
    QObject::connect(&m_page, &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit);
    if (!waitFor(loop, kStartTimeoutMs, [&] { return m_loadEvents > before; }))
        return failure(QStringLiteral("%1 did not finish loading").arg(url.toString()));
    return {};
}

Result<QJsonValue> Chromium::evaluate(const QString &expression)
{
    const auto result =
        call(m_page, QStringLiteral("Runtime.evaluate"),
             {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
    if (!result)
        return result.error();
    if (result->contains(QLatin1String("exceptionDetails"))) {
        const auto details = result->value(QLatin1String("exceptionDetails")).toObject();
        QString problem = details.value(QLatin1String("exception"))
                              .toObject()
                              .value(QLatin1String("description"))
                              .toString();
        if (problem.isEmpty())
            problem = details.value(QLatin1String("text")).toString();
        return failure(problem);
    }
    return result->value(QLatin1String("result")).toObject().value(QLatin1String("value"));
}

Result<void> Chromium::click(double x, double y)
{
    const QJsonObject at{{"x", x}, {"y", y}};
    QJsonObject move = at;
    move.insert("type", QStringLiteral("mouseMoved"));
    if (const auto moved = call(m_page, QStringLiteral("Input.dispatchMouseEvent"), move); !moved)
        return moved.error();
    for (const auto &[type, buttons] :
         {std::pair{"mousePressed", 1}, std::pair{"mouseReleased", 0}}) {
        QJsonObject params = at;
        params.insert("type", QString::fromLatin1(type));
        params.insert("button", QStringLiteral("left"));
        params.insert("buttons", buttons);
        params.insert("clickCount", 1);
        if (const auto sent = call(m_page, QStringLiteral("Input.dispatchMouseEvent"), params);
            !sent)
            return sent.error();
    }
    return {};
}

Result<void> Chromium::type(const QString &text)
{
    for (const QChar c : text) {
        auto key = keyOf(c);
        key.insert("type", QStringLiteral("keyDown"));
        if (const auto down = call(m_page, QStringLiteral("Input.dispatchKeyEvent"), key); !down)
            return down.error();
        key.insert("type", QStringLiteral("keyUp"));
        key.remove(QLatin1String("text"));
        key.remove(QLatin1String("unmodifiedText"));
        if (const auto up = call(m_page, QStringLiteral("Input.dispatchKeyEvent"), key); !up)
            return up.error();
    }
    return {};
}

Result<void> Chromium::press(const QString &key)
{
    static const QHash<QString, int> codes{
        {QStringLiteral("Enter"), 13},    {QStringLiteral("Tab"), 9},
        {QStringLiteral("Backspace"), 8}, {QStringLiteral("Escape"), 27},
        {QStringLiteral("ArrowUp"), 38},  {QStringLiteral("ArrowDown"), 40}};
    QJsonObject params{{"key", key}, {"code", key}, {"windowsVirtualKeyCode", codes.value(key)}};
    if (key == QLatin1String("Enter"))
        params.insert("text", QStringLiteral("\r"));
    params.insert("type", QStringLiteral("keyDown"));
    if (const auto down = call(m_page, QStringLiteral("Input.dispatchKeyEvent"), params); !down)
        return down.error();
    params.insert("type", QStringLiteral("keyUp"));
    params.remove(QLatin1String("text"));
    if (const auto up = call(m_page, QStringLiteral("Input.dispatchKeyEvent"), params); !up)
        return up.error();
    return {};
}

Result<QByteArray> Chromium::screenshot()
{
    const auto result = call(m_page, QStringLiteral("Page.captureScreenshot"), {{"format", "png"}});
    if (!result)
        return result.error();
    return QByteArray::fromBase64(result->value(QLatin1String("data")).toString().toLatin1());
}

Result<void> Chromium::setNetwork(bool cacheDisabled, const QJsonObject &extraHeaders)
{
    for (const auto &[method, params] : {std::pair{QStringLiteral("Network.enable"), QJsonObject{}},
                                         std::pair{QStringLiteral("Network.setCacheDisabled"),
                                                   QJsonObject{{"cacheDisabled", cacheDisabled}}},
                                         std::pair{QStringLiteral("Network.setExtraHTTPHeaders"),
                                                   QJsonObject{{"headers", extraHeaders}}}}) {
        if (const auto done = call(m_page, method, params); !done)
            return done.error();
    }
    return {};
}

Result<void> Chromium::allowDownloads(const QString &dir)
{
    const auto done = call(m_browser, QStringLiteral("Browser.setDownloadBehavior"),
                           {{"behavior", "allow"}, {"downloadPath", dir}, {"eventsEnabled", true}});
    if (!done)
        return done.error();
    return {};
}

} // namespace rwd::testing
