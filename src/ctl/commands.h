#pragma once

#include "client/restclient.h"

#include <QJsonObject>
#include <QStringList>
#include <QTextStream>

namespace rwd::ctl {

// Exit codes of rewindctl (docs/cli.md).
enum ExitCode
{
    Ok = 0,
    Failed = 1,      // the server refused or reported a failure
    Usage = 2,       // bad command line
    Unreachable = 3, // no answer from the server
};

struct Context
{
    client::RestClient *rest = nullptr;
    bool json = false;
    QTextStream *out = nullptr;
    QTextStream *err = nullptr;
};

int status(Context &ctx, const QStringList &args);
int deployRecord(Context &ctx, const QStringList &args);
// `rollback plan` (dry run, nothing executed) and `rollback request`.
int rollback(Context &ctx, const QStringList &args, bool dryRun);

} // namespace rwd::ctl
