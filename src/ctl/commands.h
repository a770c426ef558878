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
    RolledBack = 4,  // deploy gate: the release failed, was rolled back, or was not verified
    TimedOut = 5,    // deploy gate: neither verified nor rolled back within --timeout
    Tampered = 6,    // audit verify: the chain is broken
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
// Blocks until the release is verified (Ok) or failed / rolled back (RolledBack), or --timeout.
int deployGate(Context &ctx, const QStringList &args);
int rollbackDecision(Context &ctx, const QString &verb, const QStringList &args);
int incidents(Context &ctx, const QStringList &args);
// `report ID [-o FILE] [--format pdf|md|json]`: the report as rewindd writes or draws it.
int report(Context &ctx, const QStringList &args);
// access.cpp
int login(Context &ctx, const QStringList &args, const QString &tokenFile);
int whoami(Context &ctx);
int user(Context &ctx, const QStringList &args);
int auditVerify(Context &ctx, const QStringList &args);
// `rollback plan` (dry run, nothing executed) and `rollback request`.
int rollback(Context &ctx, const QStringList &args, bool dryRun);

} // namespace rwd::ctl
