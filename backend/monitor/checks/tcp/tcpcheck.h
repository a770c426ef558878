#pragma once

#include "monitor/check.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QString>
#include <QTimer>

class QTcpSocket;

namespace rwd::monitor {

// `type: tcp` — passes when a TCP connection to `address` (HOST:PORT, IPv6 as [::1]:PORT) is
// established within the timeout; the connection is then closed without sending anything.
// Fields: latency only (the time to connect, including the host name lookup).
class TcpCheck final : public Check
{
public:
    struct Options
    {
        QString host; // a name or an IP address, without brackets
        quint16 port = 0;
        qint64 timeoutMs = 5000;
    };

    TcpCheck(Options options, const CheckRuntime &runtime);
    ~TcpCheck() override;
    Q_DISABLE_COPY_MOVE(TcpCheck)

    void probe(Done done) override;
    void cancel() override;

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    // `checkError`: the probe could not be made because of Rewind itself.
    void finish(bool ok, const QString &error, bool checkError = false);
    // Stops the timer and closes the socket of the running probe, if any.
    void stop();

    Options m_options;
    CheckRuntime m_runtime;
    QPointer<QTcpSocket> m_socket;
    QTimer m_timeout;
    QElapsedTimer m_elapsed;
    Done m_done;
};

} // namespace rwd::monitor
