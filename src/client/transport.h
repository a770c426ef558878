#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

namespace rwd::client {

// A WebSocket-like message channel to /ws/v1. The desktop implements it with QWebSocket, the
// browser build with emscripten's WebSocket API; the core only ever sees this interface.
class EventTransport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~EventTransport() override = default;

    virtual void open(const QUrl &url) = 0;
    virtual void close() = 0;
    virtual void sendText(const QString &message) = 0;

signals:
    void opened();
    void textReceived(const QString &message);
    // The channel closed or could not be opened; `reason` is for people.
    void closed(const QString &reason);
};

} // namespace rwd::client
