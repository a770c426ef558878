#pragma once

#include "config/secret.h"
#include "monitor/check.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>

class QThread;

namespace rwd::monitor {

namespace sql {
class Worker;
struct Mailbox;
} // namespace sql

// `type: sql` — runs a query against PostgreSQL, MySQL/MariaDB or SQLite and reads the first
// column of the first row as the field `value` (a number; NULL, text or no rows fail the probe).
//
// QSql blocks, so each check owns a worker thread that opens the connection, keeps it open
// between probes and reopens it after any failure; the event loop only posts work and waits for
// an answer. The timeout is enforced on the event-loop side: when the worker has not answered in
// time the probe fails and the late answer is dropped. PostgreSQL also gets connect_timeout and
// statement_timeout so that the server gives up at the same time; MySQL gets the client's
// connect/read/write timeouts; SQLite opens the file read-only (a mistyped path is never created).
// Destroying the check never waits for a running query: the worker is detached, finishes the
// query (bounded by the server-side timeouts above), closes its connection and deletes itself.
class SqlCheck final : public Check
{
public:
    struct Options
    {
        QString driver; // QPSQL, QMYSQL or QSQLITE
        QString host;
        int port = -1; // -1: the driver's default
        QString user;
        QString database; // SQLite: the absolute path of the file
        // libpq connection parameters from the URL's query (e.g. sslmode=verify-full).
        QList<QPair<QString, QString>> parameters;
        config::Secret password;
        QString query;
        rules::Dimension dimension = rules::Dimension::Scalar;
        qint64 timeoutMs = 5000;
        QString target; // the URL as written (it never holds a password), for messages
    };

    SqlCheck(Options options, const CheckRuntime &runtime);
    ~SqlCheck() override;
    Q_DISABLE_COPY_MOVE(SqlCheck)

    void probe(Done done) override;
    void cancel() override;
    [[nodiscard]] QList<FieldSpec> fields() const override;
    [[nodiscard]] QString defaultField() const override { return QStringLiteral("value"); }

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

    [[nodiscard]] const Options &options() const { return m_options; }

    // Worker threads alive in this process, including those detached from destroyed checks that
    // are still finishing a query. For tests and diagnostics.
    [[nodiscard]] static int workerThreads();

    // What a worker reports for one probe.
    struct Answer
    {
        quint64 probe = 0;
        bool ok = false;
        double value = 0;
        QString error;
    };

private:
    friend struct sql::Mailbox;

    void startWorker();
    void answered(const Answer &answer);
    void timedOut();
    void finish(Sample sample);

    Options m_options;
    CheckRuntime m_runtime;
    // Receives the worker's answers in the event loop's thread; destroyed first, so that an
    // answer still queued when the check goes away is dropped with it.
    std::unique_ptr<QObject> m_context;
    QTimer m_timer;
    std::shared_ptr<sql::Mailbox> m_mailbox;
    QThread *m_thread = nullptr; // owned until detached; see ~SqlCheck
    sql::Worker *m_worker = nullptr;
    Done m_done;
    quint64 m_lastProbe = 0;
    quint64 m_pending = 0; // the probe whose answer is awaited; 0 when none
    qint64 m_startedMs = 0;
};

} // namespace rwd::monitor
