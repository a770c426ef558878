// rewindctl's access commands: login, whoami, users and tokens, and verifying the audit log.
#include "auth/passwords.h"
#include "client/sync/syncrest.h"
#include "commands.h"
#include "common/audit.h"
#include "common/protocol.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace rwd::ctl {

namespace {

int fail(Context &ctx, const client::RestResult &r)
{
    *ctx.err << "rewindctl: " << r.error->message << " (" << r.error->code << ")\n";
    return r.status == 0 ? Unreachable : Failed;
}

// A line from standard input; without echo when it is a terminal.
QString readSecret(const char *prompt)
{
    const bool terminal = ::isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::fputs(prompt, stderr);
        std::fflush(stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QFile in;
    in.open(stdin, QIODevice::ReadOnly);
    QString line = QString::fromUtf8(in.readLine()).trimmed();
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    return line;
}

} // namespace

int login(Context &ctx, const QStringList &args, const QString &tokenFile)
{
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("user"), QStringLiteral("Who signs in."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("password-stdin"),
                      QStringLiteral("Read the password from standard input (else a prompt).")});
    if (!parser.parse(QStringList{QStringLiteral("login")} + args) ||
        !parser.isSet(QStringLiteral("user"))) {
        *ctx.err << "rewindctl login: --user NAME is required\n";
        return Usage;
    }
    const QString password = readSecret("Password: ");
    const auto r = client::callAndWait(
        *ctx.rest, "POST", QStringLiteral("/api/v1/login"),
        {{"name", parser.value(QStringLiteral("user"))}, {"password", password}});
    if (!r.ok())
        return fail(ctx, r);
    const QString token = r.body.object().value(QLatin1String("token")).toString();
    QDir().mkpath(QFileInfo(tokenFile).absolutePath());
    QFile file(tokenFile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(token.toUtf8() + '\n') < 0) {
        *ctx.err << "rewindctl login: cannot write " << tokenFile << ": " << file.errorString()
                 << "\n";
        return Failed;
    }
    if (ctx.json)
        *ctx.out << QJsonDocument(
                        QJsonObject{
                            {"user", r.body.object().value(QLatin1String("user"))},
                            {"expires_at", r.body.object().value(QLatin1String("expires_at"))},
                            {"token_file", tokenFile}})
                        .toJson(QJsonDocument::Indented);
    else
        *ctx.out << "signed in as " << parser.value(QStringLiteral("user")) << " until "
                 << r.body.object().value(QLatin1String("expires_at")).toString()
                 << "; the session token is in " << tokenFile << "\n";
    return Ok;
}

int whoami(Context &ctx)
{
    const auto r = client::callAndWait(*ctx.rest, "GET", QStringLiteral("/api/v1/me"));
    if (!r.ok())
        return fail(ctx, r);
    if (ctx.json) {
        *ctx.out << r.body.toJson(QJsonDocument::Indented);
        return Ok;
    }
    const auto me = r.body.object();
    *ctx.out << me.value(QLatin1String("name")).toString() << " ("
             << me.value(QLatin1String("token_kind")).toString() << " token)\n";
    const auto roles = me.value(QLatin1String("roles")).toObject();
    for (auto it = roles.begin(); it != roles.end(); ++it) {
        QStringList list;
        for (const auto &v : it.value().toArray())
            list.append(v.toString());
        *ctx.out << "  " << it.key() << ": " << list.join(QStringLiteral(", ")) << "\n";
    }
    return Ok;
}

int user(Context &ctx, const QStringList &args)
{
    const QString verb = args.value(0);
    QCommandLineParser parser;
    parser.addOptions({
        {QStringLiteral("role"),
         QStringLiteral("ENVIRONMENT=ROLE (repeatable; * for every environment)."),
         QStringLiteral("env=role")},
        {QStringLiteral("password-stdin"), QStringLiteral("Read a password from standard input.")},
        {QStringLiteral("name"), QStringLiteral("A name for the token."), QStringLiteral("name")},
        {QStringLiteral("expires-in"), QStringLiteral("Token lifetime in seconds (default: none)."),
         QStringLiteral("seconds")},
        {QStringLiteral("iterations"), QStringLiteral("PBKDF2 iterations for `user hash`."),
         QStringLiteral("n"), QStringLiteral("200000")},
    });
    parser.addPositionalArgument(QStringLiteral("user"), QStringLiteral("The user."));
    if (!parser.parse(QStringList{QStringLiteral("user")} + args.mid(1))) {
        *ctx.err << "rewindctl user: " << parser.errorText() << "\n";
        return Usage;
    }
    const QString name = parser.positionalArguments().value(0);
    if (verb == u"hash") {
        // For `password_hash` in the configuration: nothing is sent anywhere.
        bool ok = false;
        const int iterations = parser.value(QStringLiteral("iterations")).toInt(&ok);
        if (!ok || iterations < 1000) {
            *ctx.err << "rewindctl user hash: --iterations must be at least 1000\n";
            return Usage;
        }
        *ctx.out << auth::hashPassword(readSecret("Password: "), iterations) << "\n";
        return Ok;
    }
    if (verb == u"list") {
        const auto r = client::callAndWait(*ctx.rest, "GET", QStringLiteral("/api/v1/users"));
        if (!r.ok())
            return fail(ctx, r);
        if (ctx.json) {
            *ctx.out << r.body.toJson(QJsonDocument::Indented);
            return Ok;
        }
        for (const auto &v : r.body.object().value(QLatin1String("users")).toArray()) {
            const auto u = v.toObject();
            *ctx.out << u.value(QLatin1String("name")).toString() << "  "
                     << QJsonDocument(u.value(QLatin1String("roles")).toObject())
                            .toJson(QJsonDocument::Compact)
                     << "\n";
        }
        return Ok;
    }
    if (name.isEmpty() || (verb != u"add" && verb != u"token")) {
        *ctx.err << "rewindctl user: use `user add NAME --role ENV=ROLE… [--password-stdin]`, "
                    "`user token NAME [--name N] [--expires-in S]`, `user list` or `user hash`\n";
        return Usage;
    }
    if (verb == u"add") {
        QJsonObject roles;
        for (const auto &pair : parser.values(QStringLiteral("role"))) {
            const auto eq = pair.indexOf(u'=');
            if (eq <= 0) {
                *ctx.err << "rewindctl user add: --role takes ENVIRONMENT=ROLE, not '" << pair
                         << "'\n";
                return Usage;
            }
            auto list = roles.value(pair.left(eq)).toArray();
            list.append(pair.mid(eq + 1));
            roles.insert(pair.left(eq), list);
        }
        QJsonObject body{{"name", name}, {"roles", roles}};
        if (parser.isSet(QStringLiteral("password-stdin")))
            body.insert(QStringLiteral("password"), readSecret("Password for the new user: "));
        const auto r =
            client::callAndWait(*ctx.rest, "POST", QStringLiteral("/api/v1/users"), body);
        if (!r.ok())
            return fail(ctx, r);
        *ctx.out << (ctx.json ? QString::fromUtf8(r.body.toJson(QJsonDocument::Indented))
                              : QStringLiteral("added user %1\n").arg(name));
        return Ok;
    }
    QJsonObject body{{"name", parser.value(QStringLiteral("name")).isEmpty()
                                  ? QStringLiteral("rewindctl")
                                  : parser.value(QStringLiteral("name"))}};
    if (parser.isSet(QStringLiteral("expires-in")))
        body.insert(QStringLiteral("expires_in_seconds"),
                    parser.value(QStringLiteral("expires-in")).toDouble());
    const auto r = client::callAndWait(*ctx.rest, "POST",
                                       QStringLiteral("/api/v1/users/%1/tokens").arg(name), body);
    if (!r.ok())
        return fail(ctx, r);
    if (ctx.json) {
        *ctx.out << r.body.toJson(QJsonDocument::Indented);
        return Ok;
    }
    // The token is shown this once; the server keeps only its hash.
    *ctx.out << r.body.object().value(QLatin1String("token")).toString() << "\n";
    *ctx.err << "token #" << r.body.object().value(QLatin1String("id")).toInteger() << " for "
             << name << ": store it now, it cannot be shown again\n";
    return Ok;
}

int auditVerify(Context &ctx, const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("file"),
         QStringLiteral("Verify an exported log (JSON from GET /api/v1/audit) instead."),
         QStringLiteral("path")});
    parser.addOption(
        {QStringLiteral("anchor"),
         QStringLiteral("The last row an earlier verification saw: it must still be in the log, "
                        "unchanged (rows removed from the end or a chain rewritten from an "
                        "earlier row fail); created, then moved on to the newest row."),
         QStringLiteral("path")});
    if (!parser.parse(QStringList{QStringLiteral("audit verify")} + args)) {
        *ctx.err << "rewindctl audit verify: " << parser.errorText() << "\n";
        return Usage;
    }
    QList<audit::Entry> entries;
    if (parser.isSet(QStringLiteral("file"))) {
        QFile file(parser.value(QStringLiteral("file")));
        if (!file.open(QIODevice::ReadOnly)) {
            *ctx.err << "rewindctl audit verify: cannot read " << file.fileName() << "\n";
            return Failed;
        }
        for (const auto &v : QJsonDocument::fromJson(file.readAll())
                                 .object()
                                 .value(QLatin1String("entries"))
                                 .toArray())
            entries.append(audit::Entry::fromJson(v.toObject()));
    } else {
        qint64 after = 0;
        while (true) {
            const auto r = client::callAndWait(
                *ctx.rest, "GET",
                QStringLiteral("/api/v1/audit?after_id=%1&limit=5000").arg(after));
            if (!r.ok())
                return fail(ctx, r);
            const auto page = r.body.object().value(QLatin1String("entries")).toArray();
            for (const auto &v : page)
                entries.append(audit::Entry::fromJson(v.toObject()));
            if (page.isEmpty())
                break;
            after = entries.last().id;
        }
    }
    const auto verified = audit::verify(entries, {});
    qint64 bad = verified ? 0 : verified.error().id;
    QString problem = verified ? QString() : verified.error().problem;
    // The anchor: {"id", "hash"} of the newest row the last verification saw.
    const QString anchorPath = parser.value(QStringLiteral("anchor"));
    if (bad == 0 && !anchorPath.isEmpty()) {
        QFile anchor(anchorPath);
        if (anchor.exists()) {
            if (!anchor.open(QIODevice::ReadOnly)) {
                *ctx.err << "rewindctl audit verify: cannot read the anchor " << anchorPath << "\n";
                return Failed;
            }
            const auto seen = QJsonDocument::fromJson(anchor.readAll()).object();
            const qint64 id = seen.value(QLatin1String("id")).toInteger();
            const QString hash = seen.value(QLatin1String("hash")).toString();
            if (id <= 0 || hash.isEmpty()) {
                *ctx.err << "rewindctl audit verify: " << anchorPath
                         << " is not an anchor written by audit verify\n";
                return Failed;
            }
            const auto it = std::find_if(entries.cbegin(), entries.cend(),
                                         [id](const audit::Entry &e) { return e.id == id; });
            if (it == entries.cend()) {
                bad = id;
                problem = QStringLiteral("row %1, the newest an earlier verification saw, is no "
                                         "longer in the log: rows were removed from its end")
                              .arg(id);
            } else if (it->hash != hash) {
                bad = id;
                problem = QStringLiteral("row %1 is not the row an earlier verification saw: "
                                         "the chain was rewritten from it or before it")
                              .arg(id);
            }
        }
        if (bad == 0 && !entries.isEmpty()) {
            QSaveFile out(anchorPath);
            if (!out.open(QIODevice::WriteOnly) ||
                out.write(QJsonDocument(
                              QJsonObject{{"id", entries.last().id}, {"hash", entries.last().hash}})
                              .toJson(QJsonDocument::Compact)) < 0 ||
                !out.commit()) {
                *ctx.err << "rewindctl audit verify: cannot write the anchor " << anchorPath
                         << "\n";
                return Failed;
            }
        }
    }
    if (ctx.json) {
        *ctx.out << QJsonDocument(
                        QJsonObject{{"entries", qint64(entries.size())},
                                    {"ok", bad == 0},
                                    {"first_bad_id", bad > 0 ? QJsonValue(bad) : QJsonValue()},
                                    {"problem", problem}})
                        .toJson(QJsonDocument::Indented);
    } else if (bad == 0) {
        *ctx.out << "audit log intact: " << entries.size() << " entries, chain verified"
                 << (entries.isEmpty() ? QString()
                                       : QStringLiteral(" up to #%1").arg(entries.last().id))
                 << "\n";
    } else {
        *ctx.out << "audit log TAMPERED: " << problem << "\n";
    }
    return bad == 0 ? Ok : Tampered;
}

} // namespace rwd::ctl
