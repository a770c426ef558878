#include "orderstore.h"

#include "db/migrations.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <memory>
#include <optional>
#include <spdlog/spdlog.h>
#include <utility>

namespace rwd::fleet {

// Owns the worker thread's connection; every method runs on that thread.
class OrderStore::Worker : public QObject
{
public:
    Worker(db::DatabaseUrl url, QString password)
        : m_url(std::move(url))
        , m_password(std::move(password))
    {}

    Inserted insert(const QString &version, qint64 amount)
    {
        Inserted result;
        if (!ensureOpen(&result.error))
            return result;
        std::optional<QSqlError> failed;
        {
            QSqlQuery query(m_connection->database());
            const bool returning = m_url.backend == db::Backend::Postgres;
            // Prepared for every order: the schema may have changed since the last one (the
            // migration tool runs while the fleet writes), and a failure to prepare (no table
            // orders below schema 1) is reported as what it is.
            const bool prepared =
                query.prepare(returning ? QStringLiteral("INSERT INTO orders (created_at, version, "
                                                         "amount) VALUES (?, ?, ?) RETURNING id")
                                        : QStringLiteral("INSERT INTO orders (created_at, version, "
                                                         "amount) VALUES (?, ?, ?)"));
            query.addBindValue(QDateTime::currentMSecsSinceEpoch());
            query.addBindValue(version);
            query.addBindValue(amount);
            if (!prepared || !query.exec() || (returning && !query.next()))
                failed = query.lastError();
            else
                result.id =
                    returning ? query.value(0).toLongLong() : query.lastInsertId().toLongLong();
        }
        if (failed) {
            result.error = failure(*failed);
            return result;
        }
        result.ok = true;
        return result;
    }

    Stats stats()
    {
        Stats result;
        if (!ensureOpen(&result.error))
            return result;
        std::optional<QSqlError> failed;
        {
            QSqlQuery query(m_connection->database());
            if (!query.exec(QStringLiteral("SELECT count(*), COALESCE(max(id), 0) FROM orders")) ||
                !query.next()) {
                failed = query.lastError();
            } else {
                result.count = query.value(0).toLongLong();
                result.maxId = query.value(1).toLongLong();
            }
        }
        if (failed) {
            result.error = failure(*failed);
            return result;
        }
        result.ok = true;
        return result;
    }

    void close() { m_connection.reset(); }

private:
    bool ensureOpen(QString *error)
    {
        if (m_connection && m_connection->isOpen())
            return true;
        m_connection = std::make_unique<db::Connection>(m_url, m_password);
        if (m_connection->open(error))
            return true;
        m_connection.reset();
        return false;
    }

    // The message for a failed statement. The connection is dropped, to be reopened by the next
    // request, when it may be broken: QPSQL reports a server that went away as an ordinary
    // statement error, so any PostgreSQL failure counts (reconnecting costs milliseconds).
    QString failure(const QSqlError &error)
    {
        if (error.type() == QSqlError::ConnectionError || m_url.backend == db::Backend::Postgres ||
            !m_connection->isOpen())
            m_connection.reset();
        const QString text = error.text().trimmed();
        return text.isEmpty() ? QStringLiteral("unknown database error") : text;
    }

    db::DatabaseUrl m_url;
    QString m_password;
    std::unique_ptr<db::Connection> m_connection;
};

OrderStore::OrderStore(db::DatabaseUrl url, QString password, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_password(std::move(password))
    , m_worker(new Worker(m_url, m_password))
{
    m_thread.setObjectName(QStringLiteral("fleet-orders"));
    m_worker->moveToThread(&m_thread);
}

OrderStore::~OrderStore()
{
    stop();
}

bool OrderStore::prepare(int *schema, QString *error)
{
    db::Connection connection(m_url, m_password);
    if (!connection.open(error))
        return false;
    int current = 0;
    if (!db::readSchemaVersion(connection, &current, error))
        return false;
    if (current < db::kFleetSchema) {
        int from = 0;
        if (!db::migrateTo(
                connection, db::kFleetSchema,
                [&](const db::MigrationStep &step) {
                    spdlog::info("database {}: migration {} up ({}): schema {} -> {}",
                                 qUtf8Printable(m_url.toString()), step.migration->number,
                                 qUtf8Printable(step.migration->upSummary), step.from, step.to);
                },
                &from, error))
            return false;
        current = db::kFleetSchema;
    }
    *schema = current;
    return true;
}

void OrderStore::start()
{
    if (!m_stopped && !m_thread.isRunning())
        m_thread.start();
}

void OrderStore::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_thread.isRunning()) {
        // The connection belongs to the worker thread and is closed there.
        Worker *worker = m_worker;
        QMetaObject::invokeMethod(
            worker, [worker] { worker->close(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    delete m_worker;
    m_worker = nullptr;
}

void OrderStore::insert(const QString &version, qint64 amount,
                        std::function<void(const Inserted &)> done)
{
    if (m_stopped) {
        done(Inserted{false, 0, QStringLiteral("the order store is stopped")});
        return;
    }
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [this, worker, version, amount, done = std::move(done)] {
            const Inserted result = worker->insert(version, amount);
            // Posted to the store's thread; dropped if the store is destroyed first.
            QMetaObject::invokeMethod(
                this, [done, result] { done(result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void OrderStore::stats(std::function<void(const Stats &)> done)
{
    if (m_stopped) {
        done(Stats{false, 0, 0, QStringLiteral("the order store is stopped")});
        return;
    }
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [this, worker, done = std::move(done)] {
            const Stats result = worker->stats();
            QMetaObject::invokeMethod(
                this, [done, result] { done(result); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace rwd::fleet
