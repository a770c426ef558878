#pragma once

#include <QObject>

#include <initializer_list>
#include <vector>

class QSocketNotifier;

namespace rwd::fleet {

// Turns POSIX signals into a Qt signal delivered by the event loop (self-pipe trick), so that
// SIGINT/SIGTERM lead to the same orderly shutdown as POST /shutdown. Only one watcher may
// exist per process.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(std::initializer_list<int> signalNumbers, QObject *parent = nullptr);
    ~SignalWatcher() override;

    [[nodiscard]] bool isValid() const { return m_notifier != nullptr; }

signals:
    void received(int signalNumber);

private:
    void readSignals();

    QSocketNotifier *m_notifier = nullptr;
    std::vector<int> m_signals; // handled by this watcher, restored to default on destruction
};

} // namespace rwd::fleet
