#pragma once

#include <QObject>

class QSocketNotifier;

namespace rwd::daemon {

// Turns SIGINT, SIGTERM (stop) and SIGHUP (reload the configuration) into a Qt signal delivered
// on the event loop (a self-pipe: the handler only writes a byte), so what they trigger runs as
// ordinary code, never inside a handler.
class ProcessSignals final : public QObject
{
    Q_OBJECT

public:
    explicit ProcessSignals(QObject *parent = nullptr);
    ~ProcessSignals() override;

signals:
    void received(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace rwd::daemon
