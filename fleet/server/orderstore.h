#pragma once

#include "db/database.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <functional>

namespace rwd::fleet {

// The orders of the db service, kept in its database (see db/migrations.h for the schema).
//
// SQL runs on a worker thread with its own connection, so that a slow statement (SQLite
// waiting out another process's write lock, a PostgreSQL round trip) never stalls the fleet's
// event loop. Requests are executed one at a time in the order they were made; each callback is
// invoked on the thread that owns the store. A connection that broke is reopened by the next
// request. Callbacks still pending when the store is destroyed are never invoked.
class OrderStore : public QObject
{
    Q_OBJECT

public:
    struct Inserted
    {
        bool ok = false;
        qint64 id = 0;
        QString error;
    };
    struct Stats
    {
        bool ok = false;
        qint64 count = 0;
        qint64 maxId = 0; // 0 when there are no orders
        QString error;
    };

    OrderStore(db::DatabaseUrl url, QString password, QObject *parent = nullptr);
    ~OrderStore() override; // stop()

    // On the calling thread, before start(): opens the database and migrates it up to
    // db::kFleetSchema if it is below (never down). *schema receives the schema afterwards.
    bool prepare(int *schema, QString *error);

    // Starts the worker thread. Requests made before are queued until then.
    void start();
    // Finishes the statement running, drops the queued ones, closes the connection and joins
    // the worker thread. Idempotent.
    void stop();

    // INSERT INTO orders (created_at = now in ms since the epoch, version, amount).
    void insert(const QString &version, qint64 amount, std::function<void(const Inserted &)> done);
    // count(*) and max(id) of orders.
    void stats(std::function<void(const Stats &)> done);

    [[nodiscard]] const db::DatabaseUrl &url() const { return m_url; }

private:
    class Worker;

    db::DatabaseUrl m_url;
    QString m_password;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives on m_thread
    bool m_stopped = false;
};

} // namespace rwd::fleet
