#pragma once

#include <QString>

namespace rwd {

// A refusal or failure that crosses a boundary (API response, CLI exit). `code` is stable and
// machine-readable (errorcodes.h lists every one, as docs/api/errors.md does); `message` is for
// people.
struct Error
{
    QString code;
    QString message;
};

} // namespace rwd
