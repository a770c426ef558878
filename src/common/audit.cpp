#include "audit.h"

#include "protocol.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace rwd::audit {

QJsonObject Entry::toJson() const
{
    return {{"id", id},
            {"at", protocol::isoTime(atMs)},
            {"at_ms", atMs},
            {"actor", actor},
            {"source", source},
            {"action", action},
            {"target", target},
            {"details", details},
            {"prev_hash", prevHash},
            {"hash", hash}};
}

Entry Entry::fromJson(const QJsonObject &o)
{
    Entry e;
    e.id = o.value(QLatin1String("id")).toInteger();
    e.atMs = o.value(QLatin1String("at_ms")).toInteger();
    e.actor = o.value(QLatin1String("actor")).toString();
    e.source = o.value(QLatin1String("source")).toString();
    e.action = o.value(QLatin1String("action")).toString();
    e.target = o.value(QLatin1String("target")).toString();
    e.details = o.value(QLatin1String("details")).toObject();
    e.prevHash = o.value(QLatin1String("prev_hash")).toString();
    e.hash = o.value(QLatin1String("hash")).toString();
    return e;
}

QString genesis()
{
    return QString(64, u'0');
}

QString hashOf(const Entry &e)
{
    // QJsonDocument writes object keys sorted, so the details encode the same way every time.
    const QJsonArray fields{e.prevHash,
                            QString::number(e.id),
                            QString::number(e.atMs),
                            e.actor,
                            e.source,
                            e.action,
                            e.target,
                            e.details};
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(fields).toJson(QJsonDocument::Compact),
                                 QCryptographicHash::Sha256)
            .toHex());
}

Result<void, Break> verify(const QList<Entry> &entries, const QString &before)
{
    QString previous = before.isEmpty() ? genesis() : before;
    qint64 lastId = 0;
    for (const auto &e : entries) {
        if (lastId > 0 && e.id != lastId + 1)
            return Break{
                e.id,
                QStringLiteral("row %1 follows row %2: rows are missing").arg(e.id).arg(lastId)};
        if (e.prevHash != previous)
            return Break{
                e.id, QStringLiteral("row %1 does not continue the chain (its previous hash is not "
                                     "the hash of the row before it)")
                          .arg(e.id)};
        if (hashOf(e) != e.hash)
            return Break{
                e.id, QStringLiteral("row %1 was changed after it was written (its hash does not "
                                     "match its contents)")
                          .arg(e.id)};
        previous = e.hash;
        lastId = e.id;
    }
    return {};
}

} // namespace rwd::audit
