#include "commands.h"

#include "common/protocol.h"

#include <QJsonArray>

namespace rwd::client {

Commands::Commands(RestClient *rest, QObject *parent)
    : QObject(parent)
    , m_rest(rest)
{}

QVariantMap Commands::planOf(const QJsonObject &rollback)
{
    const auto info = protocol::RollbackInfo::fromJson(rollback);
    QVariantList targets;
    for (const auto &t : info.targets) {
        targets.append(QVariantMap{{"service", t.service},
                                   {"fromVersion", t.fromVersion},
                                   {"toVersion", t.toVersion},
                                   {"strategy", t.strategy},
                                   {"after", t.after}});
    }
    QVariantList steps;
    for (const auto &s : info.steps) {
        steps.append(QVariantMap{{"index", s.index},
                                 {"service", s.service},
                                 {"kind", s.kind},
                                 {"description", s.description},
                                 {"executor", s.executor},
                                 {"onFailure", s.onFailure}});
    }
    return {{"targets", targets},
            {"steps", steps},
            {"class", info.rollbackClass},
            {"approvalsNeeded", info.approvalsNeeded}};
}

void Commands::run(const QString &command, const QString &path, const QJsonObject &body, qint64 id)
{
    if (m_busy) {
        // The views disable their buttons while busy; a second command is refused, not queued.
        emit finished(false, command, id, tr("another command is still running"));
        return;
    }
    m_busy = true;
    emit busyChanged();
    m_rest->post(path, body, [this, command, id](const RestResult &r) {
        m_busy = false;
        m_lastError = r.ok() ? QString() : r.error->message;
        qint64 resultId = id;
        if (r.ok() && command == u"plan") {
            m_plan = planOf(r.body.object());
            emit planChanged();
        } else if (r.ok() && command == u"request") {
            resultId = r.body.object().value(QLatin1String("id")).toInteger();
        }
        emit busyChanged();
        emit finished(r.ok(), command, resultId, m_lastError);
    });
}

void Commands::planRollback(const QStringList &services, const QString &reason,
                            const QString &rollbackClass)
{
    QJsonObject body{{"services", QJsonArray::fromStringList(services)},
                     {"reason", reason.isEmpty() ? tr("dry run") : reason},
                     {"dry_run", true}};
    if (!rollbackClass.isEmpty())
        body.insert(QStringLiteral("class"), rollbackClass);
    run(QStringLiteral("plan"), QStringLiteral("/api/v1/rollbacks"), body, 0);
}

void Commands::requestRollback(const QStringList &services, const QString &reason,
                               const QString &rollbackClass)
{
    QJsonObject body{{"services", QJsonArray::fromStringList(services)}, {"reason", reason}};
    if (!rollbackClass.isEmpty())
        body.insert(QStringLiteral("class"), rollbackClass);
    run(QStringLiteral("request"), QStringLiteral("/api/v1/rollbacks"), body, 0);
}

void Commands::approve(qint64 rollbackId, const QString &comment)
{
    run(QStringLiteral("approve"), QStringLiteral("/api/v1/rollbacks/%1/approve").arg(rollbackId),
        QJsonObject{{"comment", comment}}, rollbackId);
}

void Commands::reject(qint64 rollbackId, const QString &comment)
{
    run(QStringLiteral("reject"), QStringLiteral("/api/v1/rollbacks/%1/reject").arg(rollbackId),
        QJsonObject{{"comment", comment}}, rollbackId);
}

void Commands::abort(qint64 rollbackId, const QString &reason)
{
    QJsonObject body;
    if (!reason.isEmpty())
        body.insert(QStringLiteral("reason"), reason);
    run(QStringLiteral("abort"), QStringLiteral("/api/v1/rollbacks/%1/abort").arg(rollbackId), body,
        rollbackId);
}

void Commands::addNote(qint64 incidentId, const QString &text)
{
    run(QStringLiteral("note"), QStringLiteral("/api/v1/incidents/%1/notes").arg(incidentId),
        QJsonObject{{"text", text}}, incidentId);
}

void Commands::clearPlan()
{
    if (m_plan.isEmpty())
        return;
    m_plan.clear();
    emit planChanged();
}

} // namespace rwd::client
