#include "postgresexecutor.h"

#include "logging/logging.h"
#include "process/process.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <QUrl>

#include <climits>

namespace rwd::executors {

namespace {

auto log()
{
    return logging::get("executor.postgres");
}

QString quoted(const QString &identifier)
{
    return u'"' + identifier + u'"';
}

} // namespace

struct PostgresExecutor::Run
{
    QString action;
    QString snapshot;
    QJsonObject params;
    QList<QPair<QString, QString>> environment;
    std::unique_ptr<process::ProcessRunner> runner;
    QString file;
    Done done;
};

PostgresExecutor::PostgresExecutor(Options options)
    : m_options(std::move(options))
{}

PostgresExecutor::~PostgresExecutor() = default;

std::unique_ptr<Executor> PostgresExecutor::create(config::MapReader &r, const QString &name,
                                                   const config::Config &config)
{
    Options o;
    o.name = name;
    o.url = r.string(QStringLiteral("url"), config::Need::Required).value_or(QString());
    const QUrl url(o.url);
    if (!o.url.isEmpty() &&
        (!url.isValid() || (url.scheme() != u"postgresql" && url.scheme() != u"postgres")))
        r.errorAt(
            QStringLiteral("url"),
            QStringLiteral("'url' of %1 must be postgresql://USER@HOST:PORT/DB").arg(r.what()));
    if (!url.password().isEmpty())
        r.errorAt(QStringLiteral("url"),
                  QStringLiteral("'url' of %1 contains a password; write it as 'password: "
                                 "env:NAME' instead")
                      .arg(r.what()));
    if (const auto password = r.string(QStringLiteral("password"))) {
        if (auto secret = config::Secret::parse(*password, config.baseDirectory))
            o.password = *secret;
        else
            r.errorAt(QStringLiteral("password"), secret.error().message);
    }
    o.pgDump = r.string(QStringLiteral("pg_dump"), o.pgDump);
    o.pgRestore = r.string(QStringLiteral("pg_restore"), o.pgRestore);
    o.psql = r.string(QStringLiteral("psql"), o.psql);
    o.retention = database::readRetention(r, config);
    o.timeoutMs = r.durationMs(QStringLiteral("timeout"), o.timeoutMs);
    return std::make_unique<PostgresExecutor>(std::move(o));
}

QStringList PostgresExecutor::actions() const
{
    return {QStringLiteral("integrity_check"), QStringLiteral("restore_snapshot"),
            QStringLiteral("snapshot")};
}

void PostgresExecutor::execute(const QString &action, const QJsonObject &params, Done done)
{
    const QString name = stepVariables(params).value(QLatin1String("snapshot")).toString();
    if (!actions().contains(action) || !database::isSnapshotName(name)) {
        done({false,
              false,
              actions().contains(action)
                  ? QStringLiteral("'%1' is not a valid snapshot name").arg(name)
                  : QStringLiteral("the postgres executor cannot '%1'").arg(action),
              {},
              {}});
        return;
    }
    auto run = std::make_unique<Run>();
    run->action = action;
    run->snapshot = name;
    run->params = params;
    run->done = std::move(done);
    run->environment.append({QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10")});
    if (!m_options.password.isEmpty()) {
        const auto password = m_options.password.resolve();
        if (!password) {
            run->done(
                {false,
                 false,
                 QStringLiteral("password of executor '%1' (%2): %3")
                     .arg(m_options.name, m_options.password.redacted(), password.error().message),
                 {},
                 {}});
            return;
        }
        run->environment.append({QStringLiteral("PGPASSWORD"), *password});
    }
    const quint64 id = m_runs.add(std::move(run));
    log()->info("{}: {} {}", m_options.name, action, name);
    if (action == u"snapshot")
        snapshot(id);
    else if (action == u"integrity_check")
        integrity(id);
    else
        restore(id);
}

void PostgresExecutor::tool(quint64 id, const QString &program, const QStringList &arguments,
                            const QString &what,
                            std::function<void(Run &, const QByteArray &)> then)
{
    auto *found = m_runs.find(id);
    if (!found)
        return;
    auto &run = *found;
    if (!run.runner)
        run.runner = std::make_unique<process::ProcessRunner>();
    process::LaunchOptions launch;
    launch.environment = run.environment;
    launch.separateErrorOutput = true;
    run.runner->run(
        program, arguments, launch, int(std::min<qint64>(m_options.timeoutMs, INT_MAX)),
        [this, id, what, then = std::move(then)](const process::ProcessResult &result) {
            QTimer::singleShot(0, &m_context, [this, id, what, then, result] {
                auto *current = m_runs.find(id);
                if (!current)
                    return;
                if (!result.succeeded()) {
                    const QString err = QString::fromUtf8(result.errorOutput).trimmed();
                    finish(id, {false,
                                result.timedOut || !result.started,
                                QStringLiteral("%1 failed: %2")
                                    .arg(what, err.isEmpty() ? result.summary() : err.left(500)),
                                err,
                                {}});
                    return;
                }
                then(*current, result.output);
            });
        },
        1024 * 1024);
}

void PostgresExecutor::stats(
    quint64 id, const QJsonObject &limits,
    std::function<void(Run &, const QHash<QString, database::TableStats> &)> then)
{
    auto *job = m_runs.find(id);
    if (!job)
        return;
    const auto declared = job->params.value(QLatin1String("tables")).toArray();
    if (declared.isEmpty()) {
        then(*job, {});
        return;
    }
    // One statement, so that every table is read in the same snapshot of the database.
    QStringList selects;
    for (const auto &d : declared) {
        const auto t = d.toObject();
        const QString name = t.value(QLatin1String("name")).toString();
        const QString key = t.value(QLatin1String("key")).toString();
        QStringList columns;
        for (const auto &c : t.value(QLatin1String("checksum")).toArray())
            columns.append(quoted(c.toString()) + QStringLiteral("::text"));
        const auto limit = limits.value(name).toObject();
        const bool limited = !key.isEmpty() && limit.contains(QLatin1String("max_key"));
        const QString where = limited ? QStringLiteral(" WHERE %1 <= %2")
                                            .arg(quoted(key))
                                            .arg(limit.value(QLatin1String("max_key")).toInteger())
                                      : QString();
        selects.append(
            QStringLiteral("SELECT '%1', (SELECT count(*) FROM %2%3)::text, (SELECT count(*) FROM "
                           "%2)::text, %4, %5")
                .arg(name, quoted(name), where,
                     key.isEmpty() ? QStringLiteral("''")
                                   : QStringLiteral("coalesce((SELECT max(%1) FROM %2)::text, '')")
                                         .arg(quoted(key), quoted(name)),
                     columns.isEmpty()
                         ? QStringLiteral("''")
                         : QStringLiteral("coalesce((SELECT md5(string_agg(concat_ws('|', %1), "
                                          "E'\\n' ORDER BY %2)) FROM %3%4), md5(''))")
                               .arg(columns.join(u','), quoted(key), quoted(name), where)));
    }
    tool(id, m_options.psql,
         {QStringLiteral("--no-psqlrc"), QStringLiteral("--no-align"),
          QStringLiteral("--tuples-only"), QStringLiteral("--field-separator=|"),
          QStringLiteral("--set=ON_ERROR_STOP=1"), QStringLiteral("--dbname"), m_options.url,
          QStringLiteral("--command"), selects.join(QStringLiteral(" UNION ALL "))},
         QStringLiteral("psql (table statistics)"),
         [then = std::move(then)](Run &run, const QByteArray &output) {
             QHash<QString, database::TableStats> stats;
             for (const auto &line : QString::fromUtf8(output).split(u'\n', Qt::SkipEmptyParts)) {
                 const auto f = line.split(u'|');
                 if (f.size() < 5)
                     continue;
                 database::TableStats s;
                 s.rows = f.at(1).toLongLong();
                 s.totalRows = f.at(2).toLongLong();
                 s.hasMaxKey = true;
                 s.maxKey = f.at(3).toLongLong();
                 s.hasMaxKey = !f.at(3).isEmpty() || s.totalRows == 0;
                 s.checksum = f.at(4).trimmed();
                 stats.insert(f.at(0), s);
             }
             then(run, stats);
         });
}

void PostgresExecutor::snapshot(quint64 id)
{
    auto &job = *m_runs.find(id);
    if (!QDir().mkpath(m_options.retention.dir)) {
        finish(id, {false,
                    false,
                    QStringLiteral("cannot create %1").arg(m_options.retention.dir),
                    {},
                    {}});
        return;
    }
    job.file = QDir(m_options.retention.dir).filePath(job.snapshot + QStringLiteral(".dump"));
    const QString partial = job.file + QStringLiteral(".partial");
    QFile::remove(partial);
    tool(id, m_options.pgDump,
         {QStringLiteral("--format=custom"), QStringLiteral("--no-owner"), QStringLiteral("--file"),
          partial, QStringLiteral("--dbname"), m_options.url},
         QStringLiteral("pg_dump"), [this, id, partial](Run &, const QByteArray &) {
             stats(
                 id, {},
                 [this, id, partial](Run &run, const QHash<QString, database::TableStats> &s) {
                     QFile::remove(run.file);
                     if (!QFile::rename(partial, run.file)) {
                         finish(id, {false,
                                     false,
                                     QStringLiteral("cannot move the dump into %1").arg(run.file),
                                     {},
                                     {}});
                         return;
                     }
                     const auto sha = database::sha256File(run.file);
                     if (!sha) {
                         finish(id, {false, false, sha.error().message, {}, {}});
                         return;
                     }
                     QJsonObject tables;
                     QStringList counts;
                     for (auto it = s.cbegin(); it != s.cend(); ++it) {
                         auto stats = *it;
                         stats.rows = stats.totalRows;
                         tables.insert(it.key(), database::statsJson(stats));
                         counts.append(QStringLiteral("%1: %2 rows").arg(it.key()).arg(stats.rows));
                     }
                     const qint64 now = QDateTime::currentMSecsSinceEpoch();
                     const QJsonObject sidecar{
                         {"name", run.snapshot},
                         {"file", QFileInfo(run.file).fileName()},
                         {"database", m_options.url},
                         {"executor", m_options.name},
                         {"reason", run.params.value(QLatin1String("reason")).toString()},
                         {"created_at_ms", now},
                         {"size_bytes", QFileInfo(run.file).size()},
                         {"sha256", *sha},
                         {"tables", tables}};
                     if (const auto written = database::writeSidecar(
                             database::sidecarPath(m_options.retention.dir, run.snapshot), sidecar);
                         !written) {
                         finish(id, {false, false, written.error().message, {}, {}});
                         return;
                     }
                     const QString prefix = run.snapshot.left(run.snapshot.indexOf(u'-') + 1);
                     const auto pruned =
                         database::prune(m_options.retention, prefix, run.snapshot, now);
                     QJsonObject data = sidecar;
                     data.insert(QStringLiteral("path"), run.file);
                     data.insert(QStringLiteral("pruned"), QJsonArray::fromStringList(pruned));
                     finish(id, {true,
                                 false,
                                 QStringLiteral("snapshot %1 taken with pg_dump (%2 bytes, sha256 "
                                                "%3…)%4")
                                     .arg(run.snapshot)
                                     .arg(QFileInfo(run.file).size())
                                     .arg(sha->left(12))
                                     .arg(counts.isEmpty() ? QString()
                                                           : QStringLiteral("; ") +
                                                                 counts.join(QStringLiteral(", "))),
                                 {},
                                 data});
                 });
         });
}

std::optional<QJsonObject> PostgresExecutor::sidecarOf(quint64 id, Run &run)
{
    auto sidecar =
        database::readSidecar(database::sidecarPath(m_options.retention.dir, run.snapshot));
    if (!sidecar) {
        finish(id, {false, false, sidecar.error().message, {}, {}});
        return std::nullopt;
    }
    return *std::move(sidecar);
}

void PostgresExecutor::integrity(quint64 id)
{
    auto &job = *m_runs.find(id);
    const auto sidecar = sidecarOf(id, job);
    if (!sidecar)
        return;
    const auto atSnapshot = sidecar->value(QLatin1String("tables")).toObject();
    stats(
        id, atSnapshot,
        [this, id, atSnapshot](Run &run, const QHash<QString, database::TableStats> &now) {
            QString report;
            const auto declared = run.params.value(QLatin1String("tables")).toArray();
            const auto problems = database::compareTables(declared, atSnapshot, now, &report);
            const QString query = run.params.value(QLatin1String("query")).toString();
            const auto conclude = [this, id, report](const QStringList &all, const QString &extra) {
                const QString full = report + extra;
                if (!all.isEmpty())
                    finish(id, {false,
                                false,
                                QStringLiteral("integrity check failed: %1")
                                    .arg(all.join(QStringLiteral("; "))),
                                full,
                                {}});
                else
                    finish(id, {true, false, QStringLiteral("data kept: %1").arg(full), {}, {}});
            };
            if (query.isEmpty()) {
                conclude(problems, {});
                return;
            }
            tool(id, m_options.psql,
                 {QStringLiteral("--no-psqlrc"), QStringLiteral("--no-align"),
                  QStringLiteral("--tuples-only"), QStringLiteral("--set=ON_ERROR_STOP=1"),
                  QStringLiteral("--dbname"), m_options.url, QStringLiteral("--command"), query},
                 QStringLiteral("the integrity query"),
                 [conclude, found = problems](Run &, const QByteArray &output) {
                     const QString value = QString::fromUtf8(output)
                                               .split(u'\n', Qt::SkipEmptyParts)
                                               .value(0)
                                               .trimmed();
                     auto all = found;
                     if (!database::isTruthy(value))
                         all.append(QStringLiteral("the integrity query returned '%1'").arg(value));
                     conclude(all, all.size() > found.size()
                                       ? QString()
                                       : QStringLiteral("; integrity query holds"));
                 });
        });
}

void PostgresExecutor::restore(quint64 id)
{
    auto &job = *m_runs.find(id);
    const auto sidecar = sidecarOf(id, job);
    if (!sidecar)
        return;
    job.file =
        QDir(m_options.retention.dir).filePath(sidecar->value(QLatin1String("file")).toString());
    const auto sha = database::sha256File(job.file);
    if (!sha || *sha != sidecar->value(QLatin1String("sha256")).toString()) {
        finish(id, {false,
                    false,
                    !sha ? sha.error().message
                         : QStringLiteral("snapshot %1 is damaged: its SHA-256 differs "
                                          "from when it was taken; not restoring it")
                               .arg(job.snapshot),
                    {},
                    {}});
        return;
    }
    tool(id, m_options.pgRestore,
         {QStringLiteral("--clean"), QStringLiteral("--if-exists"), QStringLiteral("--no-owner"),
          QStringLiteral("--single-transaction"), QStringLiteral("--exit-on-error"),
          QStringLiteral("--dbname"), m_options.url, job.file},
         QStringLiteral("pg_restore"), [this, id](Run &r, const QByteArray &) {
             finish(id, {true,
                         false,
                         QStringLiteral("restored the database from snapshot %1 (sha256 verified)")
                             .arg(r.snapshot),
                         {},
                         {}});
         });
}

void PostgresExecutor::finish(quint64 id, const ActionResult &result)
{
    m_runs.finish(id, result, [this](const ActionResult &r) {
        log()->log(r.ok ? spdlog::level::info : spdlog::level::warn, "{}: {}", m_options.name,
                   r.message);
    });
}

} // namespace rwd::executors
