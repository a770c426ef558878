#pragma once

#include "common/protocol.h"
#include "common/result.h"
#include "config/config.h"
#include "executors/runs.h"

#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace rwd::executors {

// Collects a service's logs before a rollback acts on it (the `preserve_logs` step): runs the
// configured commands (argv, never a shell; the first `max_bytes` of their output) and reads the
// configured files (their last `max_bytes`), and writes each source gzip-compressed into `dir`.
// Sources that fail are reported, never fatal: a rollback must not wait on a broken log command.
class LogCollector final
{
public:
    struct Collected
    {
        QList<protocol::PreservedLog> logs; // rollbackId and service set; id not yet
        QStringList problems;
    };
    using Done = std::function<void(const Collected &)>;

    LogCollector();
    ~LogCollector();
    Q_DISABLE_COPY_MOVE(LogCollector)

    void collect(const QString &service, const config::LogCollectionConfig &logs,
                 const QString &dir, qint64 rollbackId, Done done);

    // Writes `data` gzip-compressed to `path`.
    [[nodiscard]] static Result<void> writeGzip(const QString &path, const QByteArray &data);
    struct Tail
    {
        QByteArray data;
        bool cut = false; // something came before `data`
    };
    // The last `maxBytes` of the decompressed contents of the gzip file `path` (streamed: an
    // archive of any size needs only about 2 × maxBytes of memory). Fails when the file cannot
    // be read or is not gzip.
    [[nodiscard]] static Result<Tail> readGzipTail(const QString &path, qint64 maxBytes);
    // `line` with what looks like a credential masked — the value of `password=…`,
    // `token: …`, `api_key=…`, `Authorization: Bearer …`, and Rewind's own `rwd_…` tokens —
    // for excerpts shown more widely than the logs themselves (incident reports).
    [[nodiscard]] static QString maskSecrets(QString line);

private:
    struct Run;
    void nextCommand(quint64 id);
    void readFiles(Run &run);

    Runs<Run> m_runs;
    QObject m_context;
};

} // namespace rwd::executors
