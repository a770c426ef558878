#pragma once

#include "common/protocol.h"
#include "restlistmodel.h"

namespace rwd::client {

// The REST lists of the History and Audit views, with the roles their rows have.

// GET /api/v1/incidents: id, title, services (QStringList), severity, open (bool), openedAt,
// closedAt (QDateTime, UTC), rollbacks (list of ids), notes (list of {at, author, kind, text}),
// logs (list of {service, source, bytes, truncated}).
[[nodiscard]] RestListModel::Source incidentsSource();
// GET /api/v1/rollbacks: id, state, trigger, reason, requestedBy, summary, services
// (QStringList), createdAt, finishedAt, durationMs, incidentId, steps (list of {index, service,
// kind, description, state, message, startedAt, durationMs}), approvals (list of {user,
// decision, comment, at}), message.
[[nodiscard]] RestListModel::Source rollbackHistorySource();
// GET /api/v1/audit (every page, newest first): id, at, actor, source, action, target, details
// (compact JSON text).
[[nodiscard]] RestListModel::Source auditSource();

// A rollback's targets for people: "api v1.2 → v1.1, web v3 → v2".
[[nodiscard]] QString rollbackSummary(const protocol::RollbackInfo &rollback);

// A step of a Rollback as the views read it (see rollbackHistorySource).
[[nodiscard]] QVariantMap stepMap(const protocol::StepInfo &step);

} // namespace rwd::client
