#pragma once

#include "common/audit.h"
#include "common/clock.h"
#include "common/events.h"
#include "common/protocol.h"

#include <QObject>

namespace rwd::store {
class AuditEntries;
}

namespace rwd::audit {

// Appends to the hash-chained audit log: every command (who, when, what, from where) and every
// change of state the daemon publishes. Rows are only ever appended; each carries the hash of the
// one before, so that changing, removing or reordering a row breaks the chain
// (`rewindctl audit verify`).
class AuditLog final : public QObject
{
    Q_OBJECT

public:
    AuditLog(store::AuditEntries &entries, const Clock &clock, QObject *parent = nullptr);

    // A command: `actor` did `action` to `target` from `source`.
    void record(const QString &actor, const QString &source, const QString &action,
                const QString &target, const QJsonObject &details = {});
    // A change of state the daemon published (its events, but for the service summaries that only
    // repeat what other events said).
    void onEvent(const events::Published &event);
    // Checks the newest `rows` rows of the chain (each links to the one before and matches its
    // hash, the last is the one this log continues): empty when they are intact, else what is
    // wrong. rewindd does this when it starts; `rewindctl audit verify` checks all of it.
    [[nodiscard]] QString verifyTail(int rows) const;

private:
    store::AuditEntries &m_entries;
    const Clock &m_clock;
    QString m_lastHash;
    qint64 m_lastId = 0;
};

} // namespace rwd::audit
