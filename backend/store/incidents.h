#pragma once

#include "common/protocol.h"
#include "database.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::store {

// Incidents (`incidents`), their notes (`incident_notes`) and the logs preserved for them
// (`preserved_logs`). Read back whole: an IncidentInfo has its rollbacks, notes and logs.
class Incidents final : public Aggregate
{
public:
    explicit Incidents(Database &db)
        : Aggregate(db)
    {}

    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 open(const QString &title, const QStringList &services,
                              const QString &severity, qint64 atMs);
    [[nodiscard]] bool close(qint64 id, qint64 atMs);
    [[nodiscard]] bool addNote(qint64 incidentId, const protocol::IncidentNote &note);
    // Returns the new id, 0 when it was not written.
    [[nodiscard]] qint64 addPreservedLog(qint64 incidentId, const protocol::PreservedLog &log,
                                         qint64 atMs);

    [[nodiscard]] std::optional<protocol::IncidentInfo> find(qint64 id) const;
    // Newest first.
    [[nodiscard]] QList<protocol::IncidentInfo> list(int limit, int offset = 0) const;
    // The open incident that concerns any of `services`, if there is one.
    [[nodiscard]] std::optional<qint64> openFor(const QStringList &services) const;
    // The ids of the open incidents, oldest first.
    [[nodiscard]] QList<qint64> openIds() const;
};

} // namespace rwd::store
