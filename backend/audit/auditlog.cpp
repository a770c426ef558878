#include "auditlog.h"

#include "logging/logging.h"
#include "store/auditentries.h"

namespace rwd::audit {

AuditLog::AuditLog(store::AuditEntries &entries, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_entries(entries)
    , m_clock(clock)
{
    const auto last = m_entries.last();
    m_lastHash = last ? last->hash : genesis();
    m_lastId = last ? last->id : 0;
}

void AuditLog::record(const QString &actor, const QString &source, const QString &action,
                      const QString &target, const QJsonObject &details)
{
    Entry e;
    e.id = m_lastId + 1;
    e.atMs = m_clock.nowMs();
    e.actor = actor;
    e.source = source;
    e.action = action;
    e.target = target;
    e.details = details;
    e.prevHash = m_lastHash;
    e.hash = hashOf(e);
    if (!m_entries.insert(e)) {
        logging::get("audit")->error("audit entry {} ({}) could not be written", e.id, action);
        return;
    }
    m_lastHash = e.hash;
    m_lastId = e.id;
}

QString AuditLog::verifyTail(int rows) const
{
    const qint64 after = std::max<qint64>(m_lastId - rows, 0);
    const auto entries = m_entries.after(after, rows + 1);
    if (entries.isEmpty())
        return m_lastId > 0
                   ? QStringLiteral("the audit log's rows up to #%1 are missing").arg(m_lastId)
                   : QString();
    // The first row read is trusted as the link to what comes before it; the rest must follow.
    const QString before = after == 0 ? genesis() : entries.first().prevHash;
    if (const auto verified = verify(entries, before); !verified)
        return QStringLiteral("audit row #%1: %2")
            .arg(verified.error().id)
            .arg(verified.error().problem);
    if (entries.last().hash != m_lastHash)
        return QStringLiteral("the newest audit row #%1 is not the one the chain ends with")
            .arg(entries.last().id);
    return {};
}

void AuditLog::onEvent(const events::Published &event)
{
    // Its wire form is what is kept: the record says what clients were told.
    const auto &type = event.type;
    if (event.as<events::ServiceUpdated>())
        return;
    const auto &d = event.data;
    QString target;
    QJsonObject details = d;
    if (d.contains(QLatin1String("rollback_id"))) {
        target =
            QStringLiteral("rollback #%1").arg(d.value(QLatin1String("rollback_id")).toInteger());
    } else if (d.value(QLatin1String("rollback")).isObject()) {
        const auto r = d.value(QLatin1String("rollback")).toObject();
        target = QStringLiteral("rollback #%1").arg(r.value(QLatin1String("id")).toInteger());
        // The steps are audited one by one as they change.
        auto slim = r;
        slim.remove(QStringLiteral("steps"));
        details.insert(QStringLiteral("rollback"), slim);
    } else if (event.as<events::RollbackStarted>()) {
        target = QStringLiteral("rollback #%1").arg(d.value(QLatin1String("id")).toInteger());
        details.remove(QStringLiteral("steps"));
    } else if (d.contains(QLatin1String("service"))) {
        target = d.value(QLatin1String("service")).toString();
    }
    record(QStringLiteral("rewind"), {}, type, target, details);
}

} // namespace rwd::audit
