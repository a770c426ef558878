#pragma once

#include <QObject>

class QSocketNotifier;

namespace rwd::daemon {

// Turns SIGINT and SIGTERM into a Qt signal delivered on the event loop (a self-pipe: the
// handler only writes a byte), so shutdown runs as ordinary code, never inside a handler.
class TerminationSignals final : public QObject
{
    Q_OBJECT

public:
    explicit TerminationSignals(QObject *parent = nullptr);
    ~TerminationSignals() override;

signals:
    void received(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace rwd::daemon
