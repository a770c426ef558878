#pragma once

#include <QString>

namespace rwd {

// Why something failed: the error side of every Result (result.h). `code` is stable and
// machine-readable where a program branches on it — an API response, a CLI exit (errorcodes.h
// lists every one, as docs/api/errors.md does) — and empty for failures told to people only
// (failure()); `message` is for people.
struct Error
{
    QString code;
    QString message;
};

} // namespace rwd
