#pragma once

#include <QString>

#include <vector>

namespace rwd {

// One stable error code of the API: what `Error::code` may be, the HTTP status it answers with
// (0: sent only over the WebSocket, in an {"type": "error"} message), and what it means.
// docs/api/errors.md lists exactly these (tst_errors checks it, and that the backend uses no
// code missing here).
struct ErrorCode
{
    const char *code;
    int httpStatus;
    const char *meaning;
};

// Every error code, in the order of docs/api/errors.md.
[[nodiscard]] const std::vector<ErrorCode> &errorCodes();

// The HTTP status of `code`; 400 for a code that is not listed.
[[nodiscard]] int httpStatusOf(const QString &code);

} // namespace rwd
