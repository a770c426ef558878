#include "database.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <atomic>
#include <utility>

namespace rwd::fleet::db {

namespace {

std::atomic<quint64> s_connectionCounter{0};

QString sqlError(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? QStringLiteral("unknown database error") : text;
}

} // namespace

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    DatabaseUrl url;
    if (text.startsWith(QLatin1String("sqlite:"))) {
        const QString path = text.mid(7);
        if (path.isEmpty() || path.startsWith(QLatin1String("//"))) {
            *error = QStringLiteral("invalid database URL \"%1\": expected sqlite:PATH").arg(text);
            return std::nullopt;
        }
        url.backend = Backend::Sqlite;
        url.path = QDir::cleanPath(QDir(path).absolutePath());
        return url;
    }
    if (text.startsWith(QLatin1String("postgresql://")) ||
        text.startsWith(QLatin1String("postgres://"))) {
        const QUrl parsed(text, QUrl::StrictMode);
        const auto fail = [&](const QString &why) {
            *error = QStringLiteral("invalid database URL \"%1\": %2 (expected "
                                    "postgresql://USER@HOST[:PORT]/DB)")
                         .arg(parsed.isValid() ? parsed.toString(QUrl::RemovePassword) : text, why);
            return std::nullopt;
        };
        if (!parsed.isValid())
            return fail(parsed.errorString());
        if (!parsed.password().isEmpty())
            return fail(QStringLiteral("a password does not belong in the URL; name an "
                                       "environment variable that holds it instead"));
        if (parsed.userName().isEmpty())
            return fail(QStringLiteral("no user name"));
        if (parsed.host().isEmpty())
            return fail(QStringLiteral("no host"));
        const QString path = parsed.path();
        if (path.size() < 2 || path.indexOf(QLatin1Char('/'), 1) >= 0)
            return fail(QStringLiteral("the path must be exactly one database name"));
        if (parsed.hasQuery() || parsed.hasFragment())
            return fail(QStringLiteral("query parameters and fragments are not supported"));
        url.backend = Backend::Postgres;
        url.user = parsed.userName();
        url.host = parsed.host();
        url.port = parsed.port(kDefaultPostgresPort);
        url.database = path.mid(1);
        return url;
    }
    *error = QStringLiteral("invalid database URL \"%1\": expected sqlite:PATH or "
                            "postgresql://USER@HOST[:PORT]/DB")
                 .arg(text);
    return std::nullopt;
}

QString DatabaseUrl::toString() const
{
    if (backend == Backend::Sqlite)
        return QStringLiteral("sqlite:") + path;
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setUserName(user);
    url.setHost(host);
    url.setPort(port);
    url.setPath(QLatin1Char('/') + database);
    return url.toString();
}

Connection::Connection(DatabaseUrl url, QString password)
    : m_url(std::move(url))
    , m_password(std::move(password))
    , m_name(QStringLiteral("rewind-fleet-db-%1").arg(s_connectionCounter.fetch_add(1)))
{}

Connection::~Connection()
{
    close();
    m_db = QSqlDatabase();
    if (QSqlDatabase::contains(m_name))
        QSqlDatabase::removeDatabase(m_name);
}

bool Connection::open(QString *error)
{
    if (m_db.isOpen())
        return true;
    if (!m_db.isValid()) {
        m_db = QSqlDatabase::addDatabase(
            m_url.backend == Backend::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"),
            m_name);
        if (!m_db.isValid()) {
            *error = QStringLiteral("the Qt SQL driver for %1 is not installed (Debian package %2)")
                         .arg(m_url.backend == Backend::Sqlite ? QStringLiteral("SQLite")
                                                               : QStringLiteral("PostgreSQL"),
                              m_url.backend == Backend::Sqlite ? QStringLiteral("libqt6sql6-sqlite")
                                                               : QStringLiteral("libqt6sql6-psql"));
            return false;
        }
        if (m_url.backend == Backend::Sqlite) {
            m_db.setDatabaseName(m_url.path);
            m_db.setConnectOptions(
                QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kSqliteBusyTimeoutMs));
        } else {
            m_db.setHostName(m_url.host);
            m_db.setPort(m_url.port);
            m_db.setUserName(m_url.user);
            m_db.setPassword(m_password);
            m_db.setDatabaseName(m_url.database);
            m_db.setConnectOptions(
                QStringLiteral("connect_timeout=%1;application_name=rewind-fleet")
                    .arg(kPostgresConnectTimeoutSeconds));
        }
    }
    if (!m_db.open()) {
        *error =
            QStringLiteral("cannot open %1: %2").arg(m_url.toString(), sqlError(m_db.lastError()));
        return false;
    }
    if (m_url.backend == Backend::Sqlite) {
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next()) {
            *error = QStringLiteral("cannot switch %1 to WAL mode: %2")
                         .arg(m_url.toString(), sqlError(query.lastError()));
            query.finish();
            close();
            return false;
        }
        const QString mode = query.value(0).toString();
        query.finish();
        if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            *error = QStringLiteral("cannot switch %1 to WAL mode (journal mode stays %2)")
                         .arg(m_url.toString(), mode);
            close();
            return false;
        }
    } else if (!exec(QStringLiteral("SET client_min_messages TO warning"), error)) {
        close();
        return false;
    }
    return true;
}

void Connection::close()
{
    if (m_db.isOpen())
        m_db.close();
}

bool Connection::exec(const QString &sql, QString *error)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql)) {
        *error = QStringLiteral("%1: %2").arg(sql, sqlError(query.lastError()));
        return false;
    }
    return true;
}

} // namespace rwd::fleet::db
