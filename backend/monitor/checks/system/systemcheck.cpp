#include "systemcheck.h"

#include "common/clock.h"
#include "http/client.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <sys/statvfs.h>

namespace rwd::monitor {

namespace {

// How long the first probe waits between its two CPU readings: long enough for the kernel to
// count a few ticks on every CPU, short enough to stay well inside the check's timeout.
constexpr qint64 kCpuIntervalMs = 100;

Result<QByteArray> readProcFile(const QString &path)
{
    QFile file(path);
    // procfs files report a size of 0; readAll() reads them to the end all the same.
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return file.readAll();
}

// The value in kB of one "Name:   123 kB" line of /proc/meminfo.
std::optional<double> meminfoValue(const QByteArray &text, const char *name)
{
    for (const auto &line : text.split('\n')) {
        const auto colon = line.indexOf(':');
        if (colon < 0 || line.left(colon) != name)
            continue;
        bool ok = false;
        const double value = line.mid(colon + 1).trimmed().split(' ').value(0).toDouble(&ok);
        return ok ? std::optional(value) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace

std::unique_ptr<Check> SystemCheck::create(config::MapReader &r, const config::CheckConfig &common,
                                           const CheckRuntime &runtime)
{
    Options o;
    o.timeoutMs = common.timeoutMs;
    if (const auto path = r.string(QStringLiteral("path"))) {
        if (!QDir::isAbsolutePath(*path))
            r.errorAt(QStringLiteral("path"),
                      QStringLiteral("'path' of %1 must be an absolute path, found '%2'")
                          .arg(r.what(), *path));
        o.path = *path;
    }
    return std::make_unique<SystemCheck>(std::move(o), runtime);
}

SystemCheck::SystemCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
{
    m_secondReading.setSingleShot(true);
    m_secondReading.setTimerType(Qt::PreciseTimer);
    // Half the timeout when that is shorter, so the probe still ends in time.
    m_secondReading.setInterval(
        int(std::clamp<qint64>(m_options.timeoutMs / 2, 1, kCpuIntervalMs)));
    QObject::connect(&m_secondReading, &QTimer::timeout, &m_secondReading,
                     [this] { complete(readCpu()); });
    m_deliver.setSingleShot(true);
    m_deliver.setInterval(0);
    QObject::connect(&m_deliver, &QTimer::timeout, &m_deliver, [this] {
        auto done = std::move(m_done);
        m_done = nullptr;
        if (done)
            done(m_pending);
    });
}

SystemCheck::~SystemCheck()
{
    cancel();
}

void SystemCheck::probe(Done done)
{
    m_done = std::move(done);
    m_elapsed.start();
    const auto cpu = readCpu();
    if (cpu && (!m_previousCpu || cpu->total <= m_previousCpu->total)) {
        // Nothing to compare with yet (or no tick since): this reading becomes the baseline.
        m_previousCpu = *cpu;
        m_secondReading.start();
        return;
    }
    complete(cpu);
}

Result<SystemCheck::CpuTimes> SystemCheck::readCpu() const
{
    const QString path = m_options.procDirectory + QStringLiteral("/stat");
    const auto text = readProcFile(path);
    if (!text)
        return text.error();
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": guest time is
    // already counted in user and nice, so only the first eight columns make up the total.
    const auto line = text->left(text->indexOf('\n')).simplified();
    const auto columns = line.split(' ');
    if (columns.size() < 5 || columns.first() != "cpu") {
        return failure(QStringLiteral("no total 'cpu' line in %1").arg(path));
    }
    CpuTimes times;
    quint64 idle = 0;
    for (qsizetype i = 1; i < std::min<qsizetype>(columns.size(), 9); ++i) {
        bool ok = false;
        const quint64 jiffies = columns.at(i).toULongLong(&ok);
        if (!ok) {
            return failure(QStringLiteral("unreadable 'cpu' line in %1").arg(path));
        }
        times.total += jiffies;
        if (i == 4 || i == 5) // idle, iowait
            idle += jiffies;
    }
    times.busy = times.total - idle;
    return times;
}

void SystemCheck::complete(const Result<CpuTimes> &cpu)
{
    Sample s;
    QStringList errors;
    if (!cpu) {
        errors.append(cpu.error().message);
    } else {
        if (m_previousCpu && cpu->total > m_previousCpu->total) {
            const quint64 busy =
                cpu->busy > m_previousCpu->busy ? cpu->busy - m_previousCpu->busy : 0;
            const double share = double(busy) / double(cpu->total - m_previousCpu->total);
            s.fields.append(FieldValue::of(QStringLiteral("cpu"), std::clamp(share, 0.0, 1.0)));
        }
        m_previousCpu = *cpu;
    }

    const QString meminfoPath = m_options.procDirectory + QStringLiteral("/meminfo");
    if (const auto meminfo = readProcFile(meminfoPath)) {
        const auto total = meminfoValue(*meminfo, "MemTotal");
        const auto available = meminfoValue(*meminfo, "MemAvailable");
        if (total && available && *total > 0)
            s.fields.append(FieldValue::of(QStringLiteral("memory"),
                                           std::clamp(1.0 - *available / *total, 0.0, 1.0)));
        else
            errors.append(QStringLiteral("no MemTotal and MemAvailable in %1").arg(meminfoPath));
    } else {
        errors.append(meminfo.error().message);
    }

    struct statvfs fs = {};
    if (::statvfs(QFile::encodeName(m_options.path).constData(), &fs) == 0) {
        // As df: blocks reserved for root count neither as used nor as available.
        const double used = double(fs.f_blocks - fs.f_bfree);
        const double usable = used + double(fs.f_bavail);
        s.fields.append(FieldValue::of(QStringLiteral("disk"), usable > 0 ? used / usable : 0.0));
    } else {
        errors.append(QStringLiteral("cannot read the filesystem of %1: %2")
                          .arg(m_options.path, qt_error_string(errno)));
    }

    const QString loadavgPath = m_options.procDirectory + QStringLiteral("/loadavg");
    if (const auto loadavg = readProcFile(loadavgPath)) {
        bool ok = false;
        const double load1 = loadavg->simplified().split(' ').value(0).toDouble(&ok);
        if (ok)
            s.fields.append(FieldValue::of(QStringLiteral("load1"), load1));
        else
            errors.append(QStringLiteral("unreadable %1").arg(loadavgPath));
    } else {
        errors.append(loadavg.error().message);
    }

    s.ok = errors.isEmpty();
    s.error = errors.join(QStringLiteral("; "));
    // Not being able to open /proc for want of descriptors says nothing about the host.
    s.checkError = !s.ok && http::outOfDescriptors();
    s.latency = double(m_elapsed.nsecsElapsed()) / 1e9;
    s.timeMs = m_runtime.clock->nowMs();
    m_pending = s;
    m_deliver.start();
}

QList<FieldSpec> SystemCheck::fields() const
{
    return {{QStringLiteral("cpu"), rules::Dimension::Ratio, false, false},
            {QStringLiteral("memory"), rules::Dimension::Ratio, false, false},
            {QStringLiteral("disk"), rules::Dimension::Ratio, false, false},
            {QStringLiteral("load1"), rules::Dimension::Scalar, false, false}};
}

void SystemCheck::cancel()
{
    m_done = nullptr;
    m_secondReading.stop();
    m_deliver.stop();
}

} // namespace rwd::monitor
