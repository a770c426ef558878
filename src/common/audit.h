#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// The audit log's hash chain, shared by rewindd (which writes it) and rewindctl (which verifies
// an export without trusting the server's word for it).
namespace rwd::audit {

// One row of the audit log.
struct Entry
{
    qint64 id = 0;
    qint64 atMs = 0;
    QString actor;  // a user name, or "rewind" for what the daemon did by itself
    QString source; // where the command came from (an IP address), or empty
    QString action; // deployment_recorded, rollback_approved, login_failed, …
    QString target; // what it concerns: "rollback #7", "api", "user alice"
    QJsonObject details;
    QString prevHash; // the previous row's hash (64 zeros for the first)
    QString hash;     // SHA-256 over prevHash and every field above, hex

    [[nodiscard]] QJsonObject toJson() const;
    static Entry fromJson(const QJsonObject &o);
};

// The hash of a row in the chain: SHA-256 of the previous row's hash and the row's fields in a
// fixed, unambiguous encoding (compact JSON of a fixed-order array).
[[nodiscard]] QString hashOf(const Entry &entry);

// The previous hash of the first row.
[[nodiscard]] QString genesis();

// Where a chain breaks: the first bad row, and why.
struct Break
{
    qint64 id = 0;
    QString problem;
};

// Checks a sequence of rows (oldest first, starting at the first row of the log or after a row
// whose hash is `before`): every row's prevHash is the hash of the row before it, its hash
// matches its fields, and ids follow one another. Fails with the first row that does not.
[[nodiscard]] Result<void, Break> verify(const QList<Entry> &entries, const QString &before);

} // namespace rwd::audit
