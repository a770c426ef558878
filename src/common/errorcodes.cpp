#include "errorcodes.h"

#include <QHash>

namespace rwd {

const std::vector<ErrorCode> &errorCodes()
{
    static const std::vector<ErrorCode> all{
        {"invalid_json", 400, "the body (or WebSocket message) is not a JSON object"},
        {"invalid_request", 400,
         "a field is missing, has the wrong type or an impossible value; the message names it"},
        {"unknown_message_type", 0,
         "a WebSocket message whose type is not one of the client messages"},
        {"binary_not_supported", 0, "a binary WebSocket frame: the protocol is text (JSON) only"},
        {"unauthenticated", 401, "no bearer token (or none in the WebSocket's auth message)"},
        {"invalid_token", 401, "the token is unknown, revoked or expired, or its user is disabled"},
        {"session_expired", 401, "the session token has expired: sign in again"},
        {"invalid_credentials", 401, "wrong user name or password"},
        {"forbidden", 403, "the caller lacks the role this needs in an environment it concerns"},
        {"self_approval", 403, "the requester of a rollback cannot approve it"},
        {"not_found", 404, "no such resource, or one the caller may not read"},
        {"unknown_service", 404, "no service of that name is configured"},
        {"unknown_check", 404, "the service has no signal check of that name"},
        {"method_not_allowed", 405, "the path exists, not with this method (Allow lists those)"},
        {"moved", 308, "the browser dashboard is at /app/ (Location says where)"},
        {"body_too_large", 413, "the request body is over the server's limit"},
        {"rollback_in_progress", 409, "a rollback of the service is running already"},
        {"no_release", 409, "no release of the service has been recorded"},
        {"no_rollback_target", 409,
         "no verified release other than the current one (or not the version asked for)"},
        {"no_strategy", 409, "the service has no rollback strategy configured"},
        {"cannot_plan", 409, "the strategy cannot move this release (the message says why)"},
        {"deployment_frozen", 409,
         "deployments of the service are frozen; override_freeze to record anyway"},
        {"max_attempts_reached", 409,
         "the release was rolled back automatically max_attempts_per_release times"},
        {"not_awaiting_approval", 409, "the rollback does not wait for approval"},
        {"already_decided", 409, "the caller approved or rejected this rollback already"},
        {"approval_expired", 409,
         "the decision came at or after the approval deadline; the rollback ended aborted"},
        {"already_finished", 409, "the rollback has ended"},
        {"conflict", 409, "it exists already (e.g. a user of that name)"},
        {"too_many_attempts", 429,
         "too many failed sign-ins from this user or address (Retry-After)"},
        {"store_failed", 500, "the store refused the write: nothing was done (see /healthz)"},
        {"pdf_unavailable", 501, "this rewindd cannot draw PDF reports: ask for json or md"},
    };
    return all;
}

int httpStatusOf(const QString &code)
{
    static const QHash<QString, int> statuses = [] {
        QHash<QString, int> out;
        for (const auto &c : errorCodes())
            out.insert(QString::fromLatin1(c.code), c.httpStatus > 0 ? c.httpStatus : 400);
        return out;
    }();
    return statuses.value(code, 400);
}

} // namespace rwd
