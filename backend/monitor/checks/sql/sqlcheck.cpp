#include "sqlcheck.h"

#include "common/clock.h"
#include "http/client.h"

#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>
#include <QVariant>

#include <atomic>
#include <climits>
#include <cmath>

namespace rwd::monitor {

namespace {

constexpr qsizetype kQuotedValueChars = 60;
// How long destroying a check waits for an idle worker to close its connection. A worker inside
// a query is not waited for at all.
constexpr int kIdleShutdownMs = 1000;

std::atomic<int> s_workerThreads{0};

struct Scheme
{
    QString driver;
    QString package; // the Debian package that installs the driver
    int defaultPort;
};

const Scheme kPostgres{QStringLiteral("QPSQL"), QStringLiteral("libqt6sql6-psql"), 5432};
const Scheme kMysql{QStringLiteral("QMYSQL"), QStringLiteral("libqt6sql6-mysql"), 3306};
const Scheme kSqlite{QStringLiteral("QSQLITE"), QStringLiteral("libqt6sql6-sqlite"), -1};

// libpq connection parameters that the URL or the check itself sets.
const QStringList kReservedParameters{QStringLiteral("password"), QStringLiteral("passfile"),
                                      QStringLiteral("host"),     QStringLiteral("hostaddr"),
                                      QStringLiteral("port"),     QStringLiteral("dbname"),
                                      QStringLiteral("user"),     QStringLiteral("options")};

// Whole seconds, at least `minimum`: libpq and MySQL take their timeouts in seconds.
qint64 seconds(qint64 ms, qint64 minimum)
{
    return std::max<qint64>(minimum, (ms + 999) / 1000);
}

// A value quoted for a libpq connection string.
QString quotedParameter(QString value)
{
    value.replace(u'\\', QStringLiteral("\\\\"));
    value.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + value + u'\'';
}

QString shortened(const QString &text)
{
    const auto simple = text.simplified();
    return simple.size() > kQuotedValueChars ? simple.left(kQuotedValueChars) + u'…' : simple;
}

// A URL for a message, with anything that may be a password (`user:secret@`) masked, even when
// the URL is otherwise invalid.
QString withoutPassword(const QString &url)
{
    static const QRegularExpression credentials(QStringLiteral("^([^:/]*://[^/:@]*):[^/@]*@"));
    QString out = url;
    out.replace(credentials, QStringLiteral("\\1:***@"));
    return out;
}

// The driver's explanation, on one line.
QString describe(const QSqlError &error)
{
    auto text = error.databaseText().simplified();
    if (text.isEmpty())
        text = error.driverText().simplified();
    return text.isEmpty() ? QStringLiteral("unknown error") : text;
}

// The first column of the first row as a number, or why it is not one.
Result<double> numberFrom(const QVariant &value)
{
    if (value.isNull())
        return failure(QStringLiteral("the query returned NULL, not a number"));
    bool ok = false;
    double number = 0;
    switch (value.typeId()) {
    case QMetaType::Bool:
        // `SELECT pg_is_in_recovery()` and friends: true is 1, false is 0.
        return value.toBool() ? 1.0 : 0.0;
    case QMetaType::QString:
    case QMetaType::QByteArray:
        number = value.toString().trimmed().toDouble(&ok);
        break;
    default:
        number = value.toDouble(&ok);
        break;
    }
    if (!ok)
        return failure(QStringLiteral("the query returned '%1', which is not a number")
                           .arg(shortened(value.toString())));
    if (!std::isfinite(number))
        return failure(QStringLiteral("the query returned '%1', which is not a finite number")
                           .arg(shortened(value.toString())));
    return number;
}

} // namespace

namespace sql {

// Shared by a check and its worker, and outliving both: the check may be destroyed while the
// worker is inside a query, and the worker must then find nobody to answer to.
struct Mailbox
{
    // The probe the check still waits for (0: none). A worker skips queued probes that are no
    // longer wanted instead of running them late.
    std::atomic<quint64> wanted{0};
    // The probe the worker is running (0: idle).
    std::atomic<quint64> running{0};

    QMutex mutex;
    QObject *context = nullptr; // guarded by `mutex`; null once the check is gone
    SqlCheck *check = nullptr;

    void deliver(const SqlCheck::Answer &answer)
    {
        const QMutexLocker lock(&mutex);
        if (context == nullptr)
            return;
        // Posted while the check cannot be destroyed (it clears `context` under this mutex
        // first); an answer still queued when `context` is deleted is deleted with it.
        QMetaObject::invokeMethod(
            context, [target = check, answer] { target->answered(answer); }, Qt::QueuedConnection);
    }
};

// Lives in the check's thread and does everything that touches the database, so the connection
// is only ever used by the thread that opened it (as QSqlDatabase requires).
class Worker final : public QObject
{
public:
    Worker(SqlCheck::Options options, std::shared_ptr<Mailbox> mailbox)
        : m_options(std::move(options))
        , m_mailbox(std::move(mailbox))
        , m_connection(QStringLiteral("rewind-sqlcheck-") +
                       QUuid::createUuid().toString(QUuid::Id128))
    {
        ++s_workerThreads;
    }

    // Runs in the worker thread, when it finishes.
    ~Worker() override
    {
        if (m_database.isValid()) {
            m_database.close();
            m_database = QSqlDatabase();
            QSqlDatabase::removeDatabase(m_connection);
        }
        --s_workerThreads;
    }
    Q_DISABLE_COPY_MOVE(Worker)

    void run(quint64 probe)
    {
        // Announce first, then look: the check reads `running` to decide whether to wait.
        m_mailbox->running = probe;
        if (m_mailbox->wanted != probe) {
            m_mailbox->running = 0;
            return;
        }
        auto answer = execute();
        answer.probe = probe;
        m_mailbox->running = 0;
        m_mailbox->deliver(answer);
    }

private:
    SqlCheck::Answer failedWith(const QString &error)
    {
        SqlCheck::Answer answer;
        answer.error = error;
        // No driver is known to quote the password in a message; this makes sure none ever does.
        if (!m_password.isEmpty())
            answer.error.replace(m_password, QStringLiteral("***"));
        return answer;
    }

    SqlCheck::Answer execute()
    {
        if (const auto opened = open(); !opened)
            return failedWith(opened.error().message);
        QSqlQuery query(m_database);
        query.setForwardOnly(true);
        if (!query.exec(m_options.query)) {
            auto answer =
                failedWith(QStringLiteral("the query failed: ") + describe(query.lastError()));
            // The connection may be what failed; a fresh one costs little next time.
            reset();
            return answer;
        }
        if (!query.next()) {
            if (query.lastError().isValid()) {
                auto answer =
                    failedWith(QStringLiteral("the query failed: ") + describe(query.lastError()));
                reset();
                return answer;
            }
            return failedWith(QStringLiteral("the query returned no rows"));
        }
        const QVariant first = query.value(0);
        query.finish();
        const auto number = numberFrom(first);
        if (!number)
            return failedWith(number.error().message);
        SqlCheck::Answer answer;
        answer.ok = true;
        answer.value = *number;
        return answer;
    }

    Result<void> open()
    {
        if (m_database.isOpen())
            return {};
        if (!m_database.isValid()) {
            m_database = QSqlDatabase::addDatabase(m_options.driver, m_connection);
            m_database.setHostName(m_options.host);
            m_database.setPort(m_options.port);
            m_database.setUserName(m_options.user);
            m_database.setDatabaseName(m_options.database);
            m_database.setConnectOptions(connectOptions());
        }
        if (!m_options.password.isEmpty()) {
            const auto password = m_options.password.resolve();
            if (!password)
                return failure(QStringLiteral("cannot read the password (%1): %2")
                                   .arg(m_options.password.redacted(), password.error().message));
            m_password = *password;
        }
        m_database.setPassword(m_password);
        const bool opened = m_database.open();
        // The driver has used it; no need to keep a second copy in the connection's settings.
        m_database.setPassword(QString());
        if (!opened) {
            const QString why = QStringLiteral("cannot connect to %1: %2")
                                    .arg(m_options.target, describe(m_database.lastError()));
            m_database.close();
            return failure(why);
        }
        return {};
    }

    void reset()
    {
        if (m_database.isOpen())
            m_database.close();
    }

    QString connectOptions() const
    {
        QStringList options;
        if (m_options.driver == kPostgres.driver) {
            // The server abandons a statement when the probe's time is up, so a slow query does
            // not keep running (and holding locks) for nobody. libpq's minimum is 2 s.
            options << QStringLiteral("connect_timeout=%1").arg(seconds(m_options.timeoutMs, 2))
                    << QStringLiteral("options=%1")
                           .arg(quotedParameter(
                               QStringLiteral("-c statement_timeout=%1").arg(m_options.timeoutMs)))
                    << QStringLiteral("application_name=rewind");
            for (const auto &[key, value] : m_options.parameters)
                options << key + u'=' + quotedParameter(value);
        } else if (m_options.driver == kMysql.driver) {
            const auto s = seconds(m_options.timeoutMs, 1);
            options << QStringLiteral("MYSQL_OPT_CONNECT_TIMEOUT=%1").arg(s)
                    << QStringLiteral("MYSQL_OPT_READ_TIMEOUT=%1").arg(s)
                    << QStringLiteral("MYSQL_OPT_WRITE_TIMEOUT=%1").arg(s);
        } else if (m_options.driver == kSqlite.driver) {
            options << QStringLiteral("QSQLITE_OPEN_READONLY")
                    << QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1")
                           .arg(std::min<qint64>(m_options.timeoutMs, INT_MAX));
        }
        return options.join(u';');
    }

    SqlCheck::Options m_options;
    std::shared_ptr<Mailbox> m_mailbox;
    QString m_connection;
    QSqlDatabase m_database;
    QString m_password; // as last resolved, to scrub it from messages
};

} // namespace sql

namespace {

// Reads `url` into `o`, or records why it is not usable.
void readUrl(config::MapReader &r, const QString &text, const QString &baseDirectory,
             SqlCheck::Options &o)
{
    const QString key = QStringLiteral("url");
    if (text.startsWith(QLatin1String("sqlite:"))) {
        const QString path = text.mid(7);
        if (path.isEmpty()) {
            r.errorAt(key, QStringLiteral("'url' of %1 names no database file: write "
                                          "sqlite:PATH")
                               .arg(r.what()));
            return;
        }
        o.driver = kSqlite.driver;
        o.database = QDir::cleanPath(QDir::isAbsolutePath(path) || baseDirectory.isEmpty()
                                         ? path
                                         : QDir(baseDirectory).absoluteFilePath(path));
        o.target = QStringLiteral("sqlite:") + o.database;
        return;
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme();
    const Scheme *known = nullptr;
    if (scheme == u"postgresql" || scheme == u"postgres")
        known = &kPostgres;
    else if (scheme == u"mysql")
        known = &kMysql;
    if (url.isValid() && url.userInfo().contains(u':')) {
        // Not echoed: the point is that it holds a password.
        r.errorAt(key, QStringLiteral("'url' of %1 must not contain a password: remove it from the "
                                      "URL and write it as `password: env:NAME` (or file:PATH)")
                           .arg(r.what()));
        return;
    }
    if (!url.isValid() || known == nullptr) {
        r.errorAt(key, QStringLiteral("'url' of %1 must be a postgresql://, mysql:// or sqlite: "
                                      "URL, found '%2'")
                           .arg(r.what(), withoutPassword(text)));
        return;
    }
    o.driver = known->driver;
    o.host = url.host();
    o.port = url.port(known->defaultPort);
    o.user = url.userName();
    o.database = url.path().mid(1);
    if (o.host.isEmpty())
        r.errorAt(key, QStringLiteral("'url' of %1 names no host: write %2://USER@HOST:PORT/DB")
                           .arg(r.what(), scheme));
    if (o.database.contains(u'/') || (!url.path().isEmpty() && !url.path().startsWith(u'/')))
        r.errorAt(key, QStringLiteral("'url' of %1 must end with a single database name: write "
                                      "%2://USER@HOST:PORT/DB")
                           .arg(r.what(), scheme));
    if (url.hasFragment())
        r.errorAt(key, QStringLiteral("'url' of %1 must not have a #fragment").arg(r.what()));
    if (url.hasQuery()) {
        if (known != &kPostgres) {
            r.errorAt(key, QStringLiteral("'url' of %1 must not have ?parameters: they are only "
                                          "understood in postgresql:// URLs")
                               .arg(r.what()));
            return;
        }
        static const QRegularExpression name(QStringLiteral("^[a-z_]+$"));
        const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
        for (const auto &[param, value] : items) {
            if (!name.match(param).hasMatch() || kReservedParameters.contains(param)) {
                r.errorAt(key, QStringLiteral("'url' of %1 cannot set the connection parameter "
                                              "'%2'")
                                   .arg(r.what(), param));
                continue;
            }
            // The Qt driver turns ';' into a separator, so such a value would be cut in two.
            if (value.contains(u';')) {
                r.errorAt(key, QStringLiteral("'url' of %1: the value of '%2' must not contain "
                                              "';'")
                                   .arg(r.what(), param));
                continue;
            }
            o.parameters.append({param, value});
        }
    }
    o.target = url.toDisplayString(QUrl::RemovePassword | QUrl::RemoveQuery);
}

} // namespace

std::unique_ptr<Check> SqlCheck::create(config::MapReader &r, const config::CheckConfig &common,
                                        const CheckRuntime &runtime)
{
    Options o;
    o.timeoutMs = common.timeoutMs;
    // Relative paths in the file are relative to the file, like every other path in it.
    const QString file = r.node().file().isEmpty() ? common.node.file() : r.node().file();
    const QString baseDirectory = file.isEmpty() ? QString() : QFileInfo(file).absolutePath();
    if (const auto url = r.string(QStringLiteral("url"), config::Need::Required)) {
        readUrl(r, url->trimmed(), baseDirectory, o);
        if (!o.driver.isEmpty() && !QSqlDatabase::isDriverAvailable(o.driver)) {
            const Scheme &scheme = o.driver == kPostgres.driver ? kPostgres
                                   : o.driver == kMysql.driver  ? kMysql
                                                                : kSqlite;
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 needs the Qt SQL driver %2, which is not "
                                     "installed (Debian package %3)")
                          .arg(r.what(), scheme.driver, scheme.package));
        }
    }
    if (const auto password = r.string(QStringLiteral("password"))) {
        if (const auto secret = config::Secret::parse(*password, baseDirectory))
            o.password = *secret;
        else
            r.errorAt(QStringLiteral("password"),
                      QStringLiteral("'password' of %1: %2").arg(r.what(), secret.error().message));
        if (o.driver == kSqlite.driver)
            r.errorAt(QStringLiteral("password"),
                      QStringLiteral("'password' of %1 has no meaning for an sqlite: database")
                          .arg(r.what()));
    }
    if (const auto query = r.string(QStringLiteral("query"), config::Need::Required)) {
        if (query->trimmed().isEmpty())
            r.errorAt(QStringLiteral("query"),
                      QStringLiteral("'query' of %1 must not be empty").arg(r.what()));
        o.query = *query;
    }
    if (const auto dimension = r.choice(
            QStringLiteral("dimension"),
            {QStringLiteral("number"), QStringLiteral("ratio"), QStringLiteral("duration")})) {
        o.dimension = *dimension == u"ratio"      ? rules::Dimension::Ratio
                      : *dimension == u"duration" ? rules::Dimension::Time
                                                  : rules::Dimension::Scalar;
    }
    return std::make_unique<SqlCheck>(std::move(o), runtime);
}

SqlCheck::SqlCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
    , m_context(std::make_unique<QObject>())
    , m_mailbox(std::make_shared<sql::Mailbox>())
{
    m_mailbox->context = m_context.get();
    m_mailbox->check = this;
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, m_context.get(), [this] { timedOut(); });
}

SqlCheck::~SqlCheck()
{
    cancel();
    {
        const QMutexLocker lock(&m_mailbox->mutex);
        m_mailbox->context = nullptr;
        m_mailbox->check = nullptr;
    }
    m_context.reset();
    if (m_thread == nullptr)
        return;
    m_thread->quit();
    // An idle worker ends at once, closing its connection; wait for that so that the connection
    // is closed when the check is gone. A worker inside a query is left to finish it: the thread
    // and the worker delete themselves when it ends (see startWorker).
    const bool busy = m_mailbox->running != 0;
    if (m_thread->wait(QDeadlineTimer(busy ? 0 : kIdleShutdownMs)))
        delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr;
}

int SqlCheck::workerThreads()
{
    return s_workerThreads;
}

void SqlCheck::startWorker()
{
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("sql-check"));
    m_worker = new sql::Worker(m_options, m_mailbox);
    m_worker->moveToThread(m_thread);
    // The worker is deleted in its own thread (closing the connection there), and the thread by
    // the event loop once it has ended — which is what keeps a detached worker from leaking.
    QObject::connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    QObject::connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    m_thread->start();
}

void SqlCheck::probe(Done done)
{
    if (m_thread == nullptr)
        startWorker();
    m_done = std::move(done);
    const quint64 id = ++m_lastProbe;
    m_pending = id;
    m_mailbox->wanted = id;
    m_startedMs = m_runtime.clock->nowMs();
    m_timer.start(int(std::min<qint64>(m_options.timeoutMs, INT_MAX)));
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id] { worker->run(id); }, Qt::QueuedConnection);
}

void SqlCheck::answered(const Answer &answer)
{
    if (answer.probe != m_pending)
        return; // the answer to a probe that timed out or was cancelled
    Sample s;
    s.ok = answer.ok;
    s.error = answer.error;
    // A connection that could not be opened because Rewind has no descriptor left is not the
    // database's failure.
    s.checkError = !s.ok && http::outOfDescriptors();
    if (answer.ok) {
        FieldValue value;
        value.name = QStringLiteral("value");
        value.value = answer.value;
        s.fields.append(std::move(value));
    }
    finish(std::move(s));
}

void SqlCheck::timedOut()
{
    if (m_pending == 0)
        return;
    const quint64 running = m_mailbox->running;
    Sample s;
    s.ok = false;
    s.error = QStringLiteral("no result within %1 ms").arg(m_options.timeoutMs);
    if (running != 0 && running != m_pending)
        s.error += QStringLiteral(" (an earlier query has not finished yet)");
    finish(std::move(s));
}

void SqlCheck::finish(Sample sample)
{
    m_timer.stop();
    m_pending = 0;
    m_mailbox->wanted = 0;
    sample.timeMs = m_runtime.clock->nowMs();
    sample.latency = double(sample.timeMs - m_startedMs) / 1000.0;
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(sample);
}

void SqlCheck::cancel()
{
    m_done = nullptr;
    m_pending = 0;
    m_mailbox->wanted = 0;
    m_timer.stop();
}

QList<FieldSpec> SqlCheck::fields() const
{
    FieldSpec value;
    value.name = QStringLiteral("value");
    value.dimension = m_options.dimension;
    return {value};
}

} // namespace rwd::monitor
