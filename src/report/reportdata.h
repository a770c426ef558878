#pragma once

#include "common/protocol.h"
#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Everything an incident report is made of, as GET /api/v1/incidents/{id}/report?format=json
// sends it (schema ReportData in docs/api/openapi.yaml). rewindd fills it from its store and
// serialises it with toJson(); the dashboard and rewindd's own PDF rendering parse or take it
// and hand it to the renderer (incidentreport.h), so every PDF is drawn from the same data by
// the same code (rewindctl downloads rewindd's, and prints this data with --json). Qt Core only.
namespace rwd::client {

// A rule firing of one of the incident's services, with the values that made it fire.
struct ReportFiring
{
    qint64 id = 0;
    protocol::FiringInfo firing; // firing.sinceMs: when it fired
    qint64 resolvedAtMs = 0;     // 0: still firing when the report was made

    [[nodiscard]] QJsonObject toJson() const;
    static ReportFiring fromJson(const QJsonObject &o);
};

// The end of one preserved log archive, decompressed by rewindd.
struct ReportLog
{
    protocol::PreservedLog log;
    QString excerpt;         // its last lines, '\n'-separated, secrets masked
    int lines = 0;           // lines in `excerpt`
    bool excerptCut = false; // the archive holds more than the excerpt shows
    QString error;           // why there is no excerpt (archive gone, unreadable)

    [[nodiscard]] QJsonObject toJson() const;
    static ReportLog fromJson(const QJsonObject &o);
};

// Someone who took part, and how. Roles: "deployer", "requester", "approver", "rejecter",
// "note_author"; "rewind" is Rewind itself (rule-triggered rollbacks, its own notes).
struct ReportPerson
{
    QString name;
    QStringList roles;

    [[nodiscard]] QJsonObject toJson() const;
    static ReportPerson fromJson(const QJsonObject &o);
};

// The metric series of one service over the report's window.
struct ReportSeries
{
    QString service;
    QList<protocol::SeriesInfo> series;

    [[nodiscard]] QJsonObject toJson() const;
    static ReportSeries fromJson(const QJsonObject &o);
};

// One line of the report's timeline, for people: what happened when.
struct TimelineEntry
{
    enum class Kind
    {
        Deploy,           // a release was recorded
        Verified,         // a release became verified
        Firing,           // a rule fired (detail: the values)
        Resolved,         // the rule stopped firing
        IncidentOpened,   // the incident was opened
        RollbackStarted,  // a rollback was planned (requested by…, trigger)
        Approval,         // someone approved or rejected it
        StepStarted,      // a step of a rollback started
        StepFinished,     // it ended (state, duration)
        RollbackFinished, // the rollback ended (state, duration)
        Note,             // a note of the incident
        IncidentClosed,   // the incident was closed
    };
    qint64 atMs = 0;
    Kind kind = Kind::Note;
    QString service; // empty: not about one service
    QString text;    // headline, translated
    QString detail;  // values, messages, translated where it is Rewind's own text
};

struct ReportData
{
    // The version of the report data format this build writes; a newer one is still read
    // (unknown fields are ignored).
    static constexpr int kFormat = 1;

    int format = kFormat;
    qint64 generatedAtMs = 0;
    // The time span the report covers: from a little before the first deploy or firing to a
    // little after the incident closed (or the report was made, while it is open).
    qint64 fromMs = 0;
    qint64 toMs = 0;
    protocol::IncidentInfo incident; // its notes are the report's notes
    QList<protocol::RollbackInfo> rollbacks;
    QList<protocol::ReleaseInfo> releases; // every release the incident involves, oldest first
    QList<ReportFiring> firings;           // oldest first
    QList<ReportLog> logs;
    QList<ReportPerson> people;
    // Absent when the daemon keeps no metric history; present but possibly empty otherwise.
    std::optional<QList<ReportSeries>> series;

    [[nodiscard]] QJsonObject toJson() const;
    // Never fails on missing fields or wrong types (they read as empty); fails only when `json`
    // is not an object with an `incident` object.
    static Result<ReportData> fromJson(const QJsonObject &json);
    static Result<ReportData> fromJson(const QByteArray &json);

    // The release with `id`, or null.
    [[nodiscard]] const protocol::ReleaseInfo *release(qint64 id) const;
    // Deploys, firings, approvals, steps, notes…, oldest first (ties keep that order).
    [[nodiscard]] QList<TimelineEntry> timeline() const;
    // "incident-ID.pdf" (or .md, .json): the name downloads are saved under.
    [[nodiscard]] QString fileName(const QString &extension) const;
};

// Texts the report shows for data values, translated (context "IncidentReport").
[[nodiscard]] QString formatDurationMs(qint64 ms);
// A value a rule fired with: ratios (error_rate, success_rate, ratio) as percentages.
[[nodiscard]] QString formatFiringValue(const QString &term, const QJsonValue &value);
// "term = value" for each value, joined with "; ".
[[nodiscard]] QString formatFiringValues(const QJsonObject &values);
[[nodiscard]] QString personRoleText(const QString &role);

} // namespace rwd::client
