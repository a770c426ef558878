#pragma once

#include "restclient.h"

#include <QObject>
#include <QStringList>
#include <QVariantMap>

namespace rwd::client {

// The commands a release manager gives, each one REST call: a dry-run plan, a rollback request,
// approve / reject with a comment, abort, a note on an incident. One command at a time per
// object (`busy`); the outcome arrives as a signal and as `lastError`. What changed on the
// server reaches the views through the event stream, not through these answers.
class Commands final : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY finished)
    Q_PROPERTY(QVariantMap plan READ plan NOTIFY planChanged)

public:
    explicit Commands(RestClient *rest, QObject *parent = nullptr);

    // The plan a rollback of `services` would run, without acting (`plan`, then planChanged).
    // `rollbackClass`: fast (default), immediate or gradual.
    Q_INVOKABLE void planRollback(const QStringList &services, const QString &reason,
                                  const QString &rollbackClass = {});
    Q_INVOKABLE void requestRollback(const QStringList &services, const QString &reason,
                                     const QString &rollbackClass = {});
    Q_INVOKABLE void approve(qint64 rollbackId, const QString &comment);
    Q_INVOKABLE void reject(qint64 rollbackId, const QString &comment);
    Q_INVOKABLE void abort(qint64 rollbackId, const QString &reason);
    Q_INVOKABLE void addNote(qint64 incidentId, const QString &text);
    Q_INVOKABLE void clearPlan();

    [[nodiscard]] bool busy() const { return m_busy; }
    [[nodiscard]] const QString &lastError() const { return m_lastError; }
    // The dry-run plan as QML reads it: targets [{service, fromVersion, toVersion, strategy}],
    // steps [{index, service, kind, description, executor}], class, approvalsNeeded. Empty
    // until a plan arrives.
    [[nodiscard]] const QVariantMap &plan() const { return m_plan; }

    // The plan of a Rollback JSON object, in the form `plan` has.
    [[nodiscard]] static QVariantMap planOf(const QJsonObject &rollback);

signals:
    void busyChanged();
    void planChanged();
    // A command ended: `ok`, the command's name (plan, request, approve, reject, abort, note),
    // the id it concerned or created, and the server's message when it failed.
    void finished(bool ok, const QString &command, qint64 id, const QString &error);

private:
    void run(const QString &command, const QString &path, const QJsonObject &body, qint64 id);

    RestClient *m_rest;
    bool m_busy = false;
    QString m_lastError;
    QVariantMap m_plan;
};

} // namespace rwd::client
