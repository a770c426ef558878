#include "releases.h"

#include "sql.h"

namespace rwd::store {

using namespace sql;

namespace {

const QString kColumns = QStringLiteral(
    "id, service, version, artifact, target, state, deployed_by, pipeline, deployed_at, "
    "verified_at, previous_id, metadata_json, freeze_override, verification_json");

protocol::ReleaseInfo releaseFrom(const QSqlQuery &q)
{
    protocol::ReleaseInfo r;
    r.id = q.value(0).toLongLong();
    r.service = q.value(1).toString();
    r.version = q.value(2).toString();
    r.artifact = q.value(3).toString();
    r.target = q.value(4).toString();
    r.state = releaseStateFromString(q.value(5).toString()).value_or(ReleaseState::Live);
    r.deployedBy = q.value(6).toString();
    r.pipeline = q.value(7).toString();
    r.deployedAtMs = q.value(8).toLongLong();
    r.verifiedAtMs = q.value(9).toLongLong();
    r.previousId = q.value(10).toLongLong();
    r.metadata = jsonObject(q.value(11));
    r.freezeOverride = q.value(12).toString();
    if (const auto verdict = jsonObject(q.value(13)); !verdict.isEmpty())
        r.verification = protocol::VerificationInfo::fromJson(verdict);
    return r;
}

} // namespace

std::optional<protocol::ReleaseInfo> Releases::insert(protocol::ReleaseInfo r, qint64 nowMs)
{
    const qint64 id = insertedId(
        db(),
        QStringLiteral("INSERT INTO releases (service, version, artifact, target, state, "
                       "deployed_by, pipeline, deployed_at, verified_at, previous_id, "
                       "updated_at, metadata_json, freeze_override) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {text(r.service), text(r.version), text(r.artifact), text(r.target), wireName(r.state),
         text(r.deployedBy), text(r.pipeline), r.deployedAtMs, nullableTime(r.verifiedAtMs),
         nullableId(r.previousId), nowMs, compactJson(r.metadata), text(r.freezeOverride)});
    if (id == 0)
        return std::nullopt;
    r.id = id;
    return r;
}

bool Releases::setState(qint64 id, ReleaseState state, qint64 nowMs)
{
    if (state == ReleaseState::Verified)
        return db().run(QStringLiteral("UPDATE releases SET state = ?, verified_at = ?, "
                                       "updated_at = ? WHERE id = ?"),
                        {wireName(state), nowMs, nowMs, id});
    return db().run(QStringLiteral("UPDATE releases SET state = ?, updated_at = ? WHERE id = ?"),
                    {wireName(state), nowMs, id});
}

bool Releases::setVerification(qint64 id, const protocol::VerificationInfo &verdict, qint64 nowMs)
{
    return db().run(
        QStringLiteral("UPDATE releases SET verification_json = ?, updated_at = ? WHERE id = ?"),
        {compactJson(verdict.toJson()), nowMs, id});
}

std::optional<protocol::ReleaseInfo> Releases::find(qint64 id) const
{
    return one(db(), QStringLiteral("SELECT %1 FROM releases WHERE id = ?").arg(kColumns), {id},
               releaseFrom);
}

QList<protocol::ReleaseInfo> Releases::list(const QString &service, int limit) const
{
    const bool every = service.isEmpty();
    return all(db(),
               QStringLiteral("SELECT %1 FROM releases %2 ORDER BY id DESC LIMIT ?")
                   .arg(kColumns, every ? QString() : QStringLiteral("WHERE service = ?")),
               every ? QVariantList{limit} : QVariantList{service, limit}, releaseFrom);
}

std::optional<protocol::ReleaseInfo> Releases::lastVerified(const QString &service,
                                                            qint64 excludeId) const
{
    return one(db(),
               QStringLiteral("SELECT %1 FROM releases WHERE service = ? AND state = ? AND "
                              "id != ? ORDER BY id DESC LIMIT 1")
                   .arg(kColumns),
               {service, wireName(ReleaseState::Verified), excludeId}, releaseFrom);
}

std::optional<qint64> Releases::currentId(const QString &service) const
{
    auto q = db().query();
    if (!db().run(q,
                  QStringLiteral("SELECT current_release_id FROM service_state WHERE service = ?"),
                  {service}) ||
        !q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool Releases::setCurrent(const QString &service, qint64 releaseId)
{
    return db().run(QStringLiteral("INSERT INTO service_state (service, current_release_id) "
                                   "VALUES (?, ?) ON CONFLICT(service) DO UPDATE SET "
                                   "current_release_id = excluded.current_release_id"),
                    {service, releaseId});
}

} // namespace rwd::store
