#pragma once

#include "common/result.h"
#include "monitor/check.h"

#include <QElapsedTimer>
#include <QString>
#include <QTimer>

#include <optional>

namespace rwd::monitor {

// `type: system` — the host's own load: CPU, memory and disk use, and the load average, read
// from procfs and statvfs. Fields: cpu (busy share of all CPUs since the previous probe), memory
// (share not available to new programs), disk (used share of the filesystem holding `path`, as
// df counts it) — all ratios — and load1 (the 1-minute load average). Fails when a source cannot
// be read. The first probe (and one following another within the same kernel tick) has nothing
// to compare CPU times with, so it takes a second reading a little later, on a timer.
class SystemCheck final : public Check
{
public:
    struct Options
    {
        QString path = QStringLiteral("/");
        // Where procfs is mounted; not a configuration key (tests point it at fake files).
        QString procDirectory = QStringLiteral("/proc");
        qint64 timeoutMs = 5000;
    };

    SystemCheck(Options options, const CheckRuntime &runtime);
    ~SystemCheck() override;
    Q_DISABLE_COPY_MOVE(SystemCheck)

    void probe(Done done) override;
    void cancel() override;
    [[nodiscard]] QList<FieldSpec> fields() const override;
    [[nodiscard]] QString defaultField() const override { return QStringLiteral("cpu"); }

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }

private:
    // Jiffies summed over all CPUs, from the first line of /proc/stat.
    struct CpuTimes
    {
        quint64 busy = 0;
        quint64 total = 0;
    };

    [[nodiscard]] Result<CpuTimes> readCpu() const;
    // Completes the probe with `cpu` as the current reading: measures the rest and hands the
    // sample to `done` from the event loop.
    void complete(const Result<CpuTimes> &cpu);

    Options m_options;
    CheckRuntime m_runtime;
    std::optional<CpuTimes> m_previousCpu;
    QTimer m_secondReading;
    QTimer m_deliver;
    QElapsedTimer m_elapsed;
    Sample m_pending;
    Done m_done;
};

} // namespace rwd::monitor
