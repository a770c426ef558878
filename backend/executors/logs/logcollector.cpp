#include "logcollector.h"

#include "logging/logging.h"
#include "process/process.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimer>

#include <climits>
#include <zlib.h>

namespace rwd::executors {

namespace {

auto log()
{
    return logging::get("logs");
}

// A file name made of the source: letters, digits, '.', '-' and '_' only.
QString slug(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        out += (c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_') ? c : QChar(u'_');
        if (out.size() >= 60)
            break;
    }
    return out;
}

} // namespace

struct LogCollector::Run
{
    QString service;
    config::LogCollectionConfig logs;
    QString dir;
    qint64 rollbackId = 0;
    int command = 0;
    Collected result;
    std::unique_ptr<process::ProcessRunner> runner;
    Done done;
};

LogCollector::LogCollector() = default;
LogCollector::~LogCollector() = default;

Result<void> LogCollector::writeGzip(const QString &path, const QByteArray &data)
{
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return failure(QStringLiteral("cannot start compression"));
    }
    QByteArray out;
    out.resize(qsizetype(deflateBound(&z, uLong(data.size()))) + 64);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = deflate(&z, Z_FINISH);
    const auto written = qsizetype(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        return failure(QStringLiteral("compression failed"));
    out.truncate(written);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(out) != out.size() || !file.commit())
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Result<LogCollector::Tail> LogCollector::readGzipTail(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return failure(QStringLiteral("cannot start decompression"));
    constexpr qint64 kChunk = 64 * 1024;
    QByteArray tail;
    bool dropped = false;
    QByteArray in;
    QByteArray out(kChunk, Qt::Uninitialized);
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (z.avail_in == 0) {
            in = file.read(kChunk);
            if (in.isEmpty())
                break; // truncated archive: keep what was decompressed
            z.next_in = reinterpret_cast<Bytef *>(in.data());
            z.avail_in = uInt(in.size());
        }
        z.next_out = reinterpret_cast<Bytef *>(out.data());
        z.avail_out = uInt(out.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            inflateEnd(&z);
            return failure(QStringLiteral("%1 is not a readable gzip file").arg(path));
        }
        tail.append(out.constData(), out.size() - qsizetype(z.avail_out));
        // Keep at most twice the tail, so trimming is rare and memory stays bounded.
        if (tail.size() > 2 * maxBytes) {
            tail.remove(0, tail.size() - maxBytes);
            dropped = true;
        }
    }
    inflateEnd(&z);
    if (tail.size() > maxBytes) {
        tail.remove(0, tail.size() - maxBytes);
        dropped = true;
    }
    return Tail{tail, dropped};
}

QString LogCollector::maskSecrets(QString line)
{
    static const QRegularExpression scheme(QStringLiteral("(?i)\\b(bearer|basic)\\s+[^\\s\"']+"));
    static const QRegularExpression assignment(
        QStringLiteral("(?i)\\b([a-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|credential|"
                       "authorization|cookie)[a-z0-9_.-]*)(\"?\\s*[=:]\\s*\"?)(?!\\[masked\\])"
                       "[^\\s\"',;&]+"));
    static const QRegularExpression rewindToken(QStringLiteral("\\brwd_[A-Za-z0-9_-]{8,}"));
    line.replace(scheme, QStringLiteral("\\1 [masked]"));
    line.replace(assignment, QStringLiteral("\\1\\2[masked]"));
    line.replace(rewindToken, QStringLiteral("rwd_[masked]"));
    return line;
}

void LogCollector::collect(const QString &service, const config::LogCollectionConfig &logs,
                           const QString &dir, qint64 rollbackId, Done done)
{
    auto run = std::make_unique<Run>();
    run->service = service;
    run->logs = logs;
    run->dir = dir;
    run->rollbackId = rollbackId;
    run->done = std::move(done);
    if (!QDir().mkpath(dir)) {
        run->result.problems.append(QStringLiteral("cannot create %1").arg(dir));
        const auto result = run->result;
        QTimer::singleShot(0, &m_context, [d = std::move(run->done), result] { d(result); });
        return;
    }
    nextCommand(m_runs.add(std::move(run)));
}

void LogCollector::nextCommand(quint64 id)
{
    auto *found = m_runs.find(id);
    if (!found)
        return;
    auto &run = *found;
    if (run.command >= run.logs.commands.size()) {
        readFiles(run);
        const auto result = run.result;
        m_runs.finish(id, result, [](const Collected &) {});
        return;
    }
    const auto argv = run.logs.commands.at(run.command);
    if (!run.runner)
        run.runner = std::make_unique<process::ProcessRunner>();
    process::LaunchOptions launch;
    launch.separateErrorOutput = true;
    run.runner->run(
        argv.first(), argv.mid(1), launch, int(std::min<qint64>(run.logs.timeoutMs, INT_MAX)),
        [this, id, argv](const process::ProcessResult &r) {
            QTimer::singleShot(0, &m_context, [this, id, argv, r] {
                auto *running = m_runs.find(id);
                if (!running)
                    return;
                auto &current = *running;
                const QString source = argv.join(u' ');
                if (!r.started) {
                    current.result.problems.append(
                        QStringLiteral("%1: %2").arg(source, r.summary()));
                } else {
                    QByteArray data = r.output;
                    const bool truncated = data.endsWith("[output truncated]");
                    if (r.timedOut || r.exitCode != 0)
                        current.result.problems.append(
                            QStringLiteral("%1: %2 (its output so far is kept)")
                                .arg(source, r.timedOut
                                                 ? r.error
                                                 : QStringLiteral("exit %1").arg(r.exitCode)));
                    const QString path =
                        QDir(current.dir)
                            .filePath(QStringLiteral("%1-%2-%3.log.gz")
                                          .arg(current.service)
                                          .arg(current.command + 1)
                                          .arg(slug(QFileInfo(argv.first()).fileName())));
                    if (const auto written = writeGzip(path, data))
                        current.result.logs.append({0, current.rollbackId, current.service, source,
                                                    path, data.size(), truncated});
                    else
                        current.result.problems.append(written.error().message);
                }
                ++current.command;
                nextCommand(id);
            });
        },
        run.logs.maxBytes);
}

void LogCollector::readFiles(Run &run)
{
    QStringList files;
    for (const auto &pattern : std::as_const(run.logs.files)) {
        const QFileInfo info(pattern);
        if (info.fileName().contains(u'*') || info.fileName().contains(u'?')) {
            const QDir dir = info.dir();
            const auto matches = dir.entryList({info.fileName()}, QDir::Files, QDir::Name);
            if (matches.isEmpty())
                run.result.problems.append(QStringLiteral("%1 matches no file").arg(pattern));
            for (const auto &name : matches)
                files.append(dir.filePath(name));
        } else {
            files.append(pattern);
        }
    }
    int n = 0;
    for (const auto &path : std::as_const(files)) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            run.result.problems.append(QStringLiteral("%1: %2").arg(path, file.errorString()));
            continue;
        }
        const qint64 size = file.size();
        const bool truncated = size > run.logs.maxBytes;
        if (truncated)
            file.seek(size - run.logs.maxBytes);
        const QByteArray data = file.read(run.logs.maxBytes);
        const QString out = QDir(run.dir).filePath(QStringLiteral("%1-file%2-%3.gz")
                                                       .arg(run.service)
                                                       .arg(++n)
                                                       .arg(slug(QFileInfo(path).fileName())));
        if (const auto written = writeGzip(out, data))
            run.result.logs.append(
                {0, run.rollbackId, run.service, path, out, data.size(), truncated});
        else
            run.result.problems.append(written.error().message);
    }
    log()->info("{}: preserved {} log source(s), {} problem(s)", run.service,
                run.result.logs.size(), run.result.problems.size());
}

} // namespace rwd::executors
