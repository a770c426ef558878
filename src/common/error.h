#pragma once

#include <QString>

namespace rwd {

// A refusal or failure that crosses a boundary (API response, CLI exit). `code` is stable and
// machine-readable (see docs/api/errors.md); `message` is for people.
struct Error
{
    QString code;
    QString message;
};

} // namespace rwd
