#include "protocol.h"

#include <QDateTime>

namespace rwd::protocol {

QString isoTime(qint64 ms)
{
    if (ms <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 parseIsoTime(const QJsonValue &value)
{
    if (!value.isString())
        return 0;
    const auto dt = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return dt.isValid() ? dt.toMSecsSinceEpoch() : 0;
}

namespace {

void putTime(QJsonObject &o, const char *key, qint64 ms)
{
    if (ms > 0)
        o.insert(QLatin1String(key), isoTime(ms));
    else
        o.insert(QLatin1String(key), QJsonValue::Null);
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

template<typename T>
QList<T> fromArray(const QJsonValue &value)
{
    QList<T> out;
    const auto array = value.toArray();
    out.reserve(array.size());
    for (const auto &item : array)
        out.append(T::fromJson(item.toObject()));
    return out;
}

QJsonArray intArray(const QList<int> &values)
{
    QJsonArray a;
    for (const int v : values)
        a.append(v);
    return a;
}

QList<int> intList(const QJsonValue &value)
{
    QList<int> out;
    for (const auto &v : value.toArray())
        out.append(v.toInt());
    return out;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const auto &v : value.toArray())
        out.append(v.toString());
    return out;
}

} // namespace

QJsonObject VerificationCheck::toJson() const
{
    QJsonObject o{{"check", check},          {"samples", samples},
                  {"failed", failed},        {"needed", needed},
                  {"in_grace", inGrace},     {"check_errors", checkErrors},
                  {"error_rate", errorRate}, {"over_budget", overBudget}};
    if (!lastFailure.isEmpty())
        o.insert(QLatin1String("last_failure"), lastFailure);
    if (!lastCheckError.isEmpty())
        o.insert(QLatin1String("last_check_error"), lastCheckError);
    return o;
}

VerificationCheck VerificationCheck::fromJson(const QJsonObject &o)
{
    VerificationCheck c;
    c.check = str(o, "check");
    c.samples = o.value(QLatin1String("samples")).toInteger();
    c.failed = o.value(QLatin1String("failed")).toInteger();
    c.needed = o.value(QLatin1String("needed")).toInteger();
    c.inGrace = o.value(QLatin1String("in_grace")).toInteger();
    c.checkErrors = o.value(QLatin1String("check_errors")).toInteger();
    c.errorRate = o.value(QLatin1String("error_rate")).toDouble();
    c.overBudget = o.value(QLatin1String("over_budget")).toBool();
    c.lastFailure = str(o, "last_failure");
    c.lastCheckError = str(o, "last_check_error");
    return c;
}

QJsonObject VerificationInfo::toJson() const
{
    QJsonObject o{{"state", state},
                  {"final", final},
                  {"release_id", releaseId},
                  {"remaining_ms", remainingMs},
                  {"error_budget", errorBudget},
                  {"checks", toJsonArray(checks)},
                  {"missing", QJsonArray::fromStringList(missing)},
                  {"summary", summary}};
    putTime(o, "started_at", startedAtMs);
    putTime(o, "grace_until", graceUntilMs);
    putTime(o, "due_at", dueAtMs);
    putTime(o, "judged_at", judgedAtMs);
    if (!rule.isEmpty()) {
        o.insert(QLatin1String("rule"), rule);
        putTime(o, "rule_fired_at", ruleFiredAtMs);
    }
    return o;
}

VerificationInfo VerificationInfo::fromJson(const QJsonObject &o)
{
    VerificationInfo v;
    v.state = str(o, "state");
    v.final = o.value(QLatin1String("final")).toBool();
    v.releaseId = o.value(QLatin1String("release_id")).toInteger();
    v.remainingMs = o.value(QLatin1String("remaining_ms")).toInteger();
    v.errorBudget = o.value(QLatin1String("error_budget")).toDouble();
    v.checks = fromArray<VerificationCheck>(o.value(QLatin1String("checks")));
    v.missing = stringList(o.value(QLatin1String("missing")));
    v.summary = str(o, "summary");
    v.startedAtMs = parseIsoTime(o.value(QLatin1String("started_at")));
    v.graceUntilMs = parseIsoTime(o.value(QLatin1String("grace_until")));
    v.dueAtMs = parseIsoTime(o.value(QLatin1String("due_at")));
    v.judgedAtMs = parseIsoTime(o.value(QLatin1String("judged_at")));
    v.rule = str(o, "rule");
    v.ruleFiredAtMs = parseIsoTime(o.value(QLatin1String("rule_fired_at")));
    return v;
}

QJsonObject ReleaseInfo::toJson() const
{
    QJsonObject o{{"id", id},
                  {"service", service},
                  {"version", version},
                  {"artifact", artifact},
                  {"target", target},
                  {"state", rwd::wireName(state)},
                  {"deployed_by", deployedBy},
                  {"pipeline", pipeline},
                  {"previous_id", previousId > 0 ? QJsonValue(previousId) : QJsonValue()},
                  {"metadata", metadata}};
    if (!freezeOverride.isEmpty())
        o.insert(QLatin1String("freeze_override"), freezeOverride);
    putTime(o, "deployed_at", deployedAtMs);
    putTime(o, "verified_at", verifiedAtMs);
    if (!verification.isEmpty())
        o.insert(QLatin1String("verification"), verification.toJson());
    return o;
}

ReleaseInfo ReleaseInfo::fromJson(const QJsonObject &o)
{
    ReleaseInfo r;
    r.id = o.value(QLatin1String("id")).toInteger();
    r.service = str(o, "service");
    r.version = str(o, "version");
    r.artifact = str(o, "artifact");
    r.target = str(o, "target");
    r.state = releaseStateFromString(str(o, "state")).value_or(ReleaseState::Live);
    r.deployedBy = str(o, "deployed_by");
    r.pipeline = str(o, "pipeline");
    r.previousId = o.value(QLatin1String("previous_id")).toInteger();
    r.metadata = o.value(QLatin1String("metadata")).toObject();
    r.freezeOverride = str(o, "freeze_override");
    r.deployedAtMs = parseIsoTime(o.value(QLatin1String("deployed_at")));
    r.verifiedAtMs = parseIsoTime(o.value(QLatin1String("verified_at")));
    if (o.value(QLatin1String("verification")).isObject())
        r.verification =
            VerificationInfo::fromJson(o.value(QLatin1String("verification")).toObject());
    return r;
}

QJsonObject FiringInfo::toJson() const
{
    QJsonObject o{{"rule", rule},     {"service", service},       {"severity", severity},
                  {"action", action}, {"expression", expression}, {"values", values}};
    putTime(o, "since", sinceMs);
    return o;
}

FiringInfo FiringInfo::fromJson(const QJsonObject &o)
{
    FiringInfo f;
    f.rule = str(o, "rule");
    f.service = str(o, "service");
    f.severity = str(o, "severity");
    f.action = str(o, "action");
    f.expression = str(o, "expression");
    f.values = o.value(QLatin1String("values")).toObject();
    f.sinceMs = parseIsoTime(o.value(QLatin1String("since")));
    return f;
}

QJsonObject RuleState::toJson() const
{
    return {{"rule", rule}, {"phase", phase}};
}

RuleState RuleState::fromJson(const QJsonObject &o)
{
    return {str(o, "rule"), str(o, "phase")};
}

QJsonObject CheckErrorInfo::toJson() const
{
    QJsonObject o{{"check", check}, {"error", error}, {"count", count}};
    putTime(o, "since", sinceMs);
    return o;
}

CheckErrorInfo CheckErrorInfo::fromJson(const QJsonObject &o)
{
    return {str(o, "check"), str(o, "error"), parseIsoTime(o.value(QLatin1String("since"))),
            o.value(QLatin1String("count")).toInteger()};
}

QJsonObject ServiceStatus::toJson() const
{
    return QJsonObject{{"name", name},
                       {"environment", environment},
                       {"kind", kind},
                       {"depends_on", QJsonArray::fromStringList(dependsOn)},
                       {"health", rwd::wireName(health)},
                       {"strategy", strategy},
                       {"current", current ? QJsonValue(current->toJson()) : QJsonValue()},
                       {"last_good", lastGood ? QJsonValue(lastGood->toJson()) : QJsonValue()},
                       {"firings", toJsonArray(firings)},
                       {"rules", toJsonArray(rules)},
                       {"check_errors", toJsonArray(checkErrors)}};
}

ServiceStatus ServiceStatus::fromJson(const QJsonObject &o)
{
    ServiceStatus s;
    s.name = str(o, "name");
    s.environment = str(o, "environment");
    s.kind = str(o, "kind");
    for (const auto &d : o.value(QLatin1String("depends_on")).toArray())
        s.dependsOn.append(d.toString());
    s.health = healthFromString(str(o, "health")).value_or(Health::Unknown);
    s.strategy = str(o, "strategy");
    if (o.value(QLatin1String("current")).isObject())
        s.current = ReleaseInfo::fromJson(o.value(QLatin1String("current")).toObject());
    if (o.value(QLatin1String("last_good")).isObject())
        s.lastGood = ReleaseInfo::fromJson(o.value(QLatin1String("last_good")).toObject());
    s.firings = fromArray<FiringInfo>(o.value(QLatin1String("firings")));
    s.rules = fromArray<RuleState>(o.value(QLatin1String("rules")));
    s.checkErrors = fromArray<CheckErrorInfo>(o.value(QLatin1String("check_errors")));
    return s;
}

QJsonObject StepInfo::toJson() const
{
    QJsonObject o{{"id", id},
                  {"index", index},
                  {"service", service},
                  {"kind", kind},
                  {"description", description},
                  {"executor", executor},
                  {"after", intArray(after)},
                  {"on_failure", onFailure},
                  {"state", rwd::wireName(state)},
                  {"attempts", attempts},
                  {"message", message}};
    putTime(o, "started_at", startedAtMs);
    putTime(o, "finished_at", finishedAtMs);
    return o;
}

StepInfo StepInfo::fromJson(const QJsonObject &o)
{
    StepInfo s;
    s.id = o.value(QLatin1String("id")).toInteger();
    s.index = o.value(QLatin1String("index")).toInt();
    s.service = str(o, "service");
    s.kind = str(o, "kind");
    s.description = str(o, "description");
    s.executor = str(o, "executor");
    s.after = intList(o.value(QLatin1String("after")));
    s.onFailure = o.value(QLatin1String("on_failure")).toBool();
    s.state = stepStateFromString(str(o, "state")).value_or(StepState::Pending);
    s.attempts = o.value(QLatin1String("attempts")).toInt();
    s.message = str(o, "message");
    s.startedAtMs = parseIsoTime(o.value(QLatin1String("started_at")));
    s.finishedAtMs = parseIsoTime(o.value(QLatin1String("finished_at")));
    return s;
}

QJsonObject TargetInfo::toJson() const
{
    return QJsonObject{{"service", service},
                       {"from_version", fromVersion},
                       {"to_version", toVersion},
                       {"from_release_id", fromReleaseId},
                       {"to_release_id", toReleaseId},
                       {"strategy", strategy},
                       {"after", QJsonArray::fromStringList(after)}};
}

TargetInfo TargetInfo::fromJson(const QJsonObject &o)
{
    TargetInfo t;
    t.service = str(o, "service");
    t.fromVersion = str(o, "from_version");
    t.toVersion = str(o, "to_version");
    t.fromReleaseId = o.value(QLatin1String("from_release_id")).toInteger();
    t.toReleaseId = o.value(QLatin1String("to_release_id")).toInteger();
    t.strategy = str(o, "strategy");
    t.after = stringList(o.value(QLatin1String("after")));
    return t;
}

QJsonObject ApprovalInfo::toJson() const
{
    QJsonObject o{{"user", user}, {"decision", decision}, {"comment", comment}};
    putTime(o, "at", atMs);
    return o;
}

ApprovalInfo ApprovalInfo::fromJson(const QJsonObject &o)
{
    return {str(o, "user"), str(o, "decision"), str(o, "comment"),
            parseIsoTime(o.value(QLatin1String("at")))};
}

QStringList RollbackInfo::services() const
{
    QStringList out;
    for (const auto &t : targets)
        out.append(t.service);
    return out;
}

QJsonObject RollbackInfo::toJson() const
{
    QJsonObject o{{"id", id},
                  {"state", rwd::wireName(state)},
                  {"trigger", trigger},
                  {"reason", reason},
                  {"requested_by", requestedBy},
                  {"strategy", strategy},
                  {"class", rollbackClass},
                  {"message", message},
                  {"dry_run", dryRun},
                  {"incident_id", incidentId > 0 ? QJsonValue(incidentId) : QJsonValue()},
                  {"targets", toJsonArray(targets)},
                  {"steps", toJsonArray(steps)},
                  {"approvals_needed", approvalsNeeded},
                  {"approvals", toJsonArray(approvals)}};
    putTime(o, "created_at", createdAtMs);
    putTime(o, "finished_at", finishedAtMs);
    putTime(o, "approval_expires_at", approvalExpiresAtMs);
    return o;
}

RollbackInfo RollbackInfo::fromJson(const QJsonObject &o)
{
    RollbackInfo r;
    r.id = o.value(QLatin1String("id")).toInteger();
    r.state = planStateFromString(str(o, "state")).value_or(PlanState::Planned);
    r.trigger = str(o, "trigger");
    r.reason = str(o, "reason");
    r.requestedBy = str(o, "requested_by");
    r.strategy = str(o, "strategy");
    r.rollbackClass = str(o, "class");
    r.message = str(o, "message");
    r.dryRun = o.value(QLatin1String("dry_run")).toBool();
    r.incidentId = o.value(QLatin1String("incident_id")).toInteger();
    r.targets = fromArray<TargetInfo>(o.value(QLatin1String("targets")));
    r.steps = fromArray<StepInfo>(o.value(QLatin1String("steps")));
    r.approvalsNeeded = o.value(QLatin1String("approvals_needed")).toInt();
    r.approvals = fromArray<ApprovalInfo>(o.value(QLatin1String("approvals")));
    r.approvalExpiresAtMs = parseIsoTime(o.value(QLatin1String("approval_expires_at")));
    r.createdAtMs = parseIsoTime(o.value(QLatin1String("created_at")));
    r.finishedAtMs = parseIsoTime(o.value(QLatin1String("finished_at")));
    return r;
}

QJsonObject SnapshotInfo::toJson() const
{
    QJsonObject o{{"id", id},
                  {"name", name},
                  {"service", service},
                  {"executor", executor},
                  {"reason", reason},
                  {"path", path},
                  {"size_bytes", sizeBytes},
                  {"sha256", sha256},
                  {"tables", tables},
                  {"rollback_id", rollbackId > 0 ? QJsonValue(rollbackId) : QJsonValue()},
                  {"release_id", releaseId > 0 ? QJsonValue(releaseId) : QJsonValue()}};
    putTime(o, "created_at", createdAtMs);
    putTime(o, "pruned_at", prunedAtMs);
    return o;
}

SnapshotInfo SnapshotInfo::fromJson(const QJsonObject &o)
{
    SnapshotInfo s;
    s.id = o.value(QLatin1String("id")).toInteger();
    s.name = str(o, "name");
    s.service = str(o, "service");
    s.executor = str(o, "executor");
    s.reason = str(o, "reason");
    s.path = str(o, "path");
    s.sizeBytes = o.value(QLatin1String("size_bytes")).toInteger();
    s.sha256 = str(o, "sha256");
    s.tables = o.value(QLatin1String("tables")).toObject();
    s.rollbackId = o.value(QLatin1String("rollback_id")).toInteger();
    s.releaseId = o.value(QLatin1String("release_id")).toInteger();
    s.createdAtMs = parseIsoTime(o.value(QLatin1String("created_at")));
    s.prunedAtMs = parseIsoTime(o.value(QLatin1String("pruned_at")));
    return s;
}

QJsonObject FreezeInfo::toJson() const
{
    QJsonObject o{{"id", id},
                  {"service", service},
                  {"reason", reason},
                  {"rollback_id", rollbackId > 0 ? QJsonValue(rollbackId) : QJsonValue()}};
    putTime(o, "started_at", startedAtMs);
    putTime(o, "until", untilMs);
    return o;
}

FreezeInfo FreezeInfo::fromJson(const QJsonObject &o)
{
    FreezeInfo f;
    f.id = o.value(QLatin1String("id")).toInteger();
    f.service = str(o, "service");
    f.reason = str(o, "reason");
    f.rollbackId = o.value(QLatin1String("rollback_id")).toInteger();
    f.startedAtMs = parseIsoTime(o.value(QLatin1String("started_at")));
    f.untilMs = parseIsoTime(o.value(QLatin1String("until")));
    return f;
}

QJsonObject IncidentNote::toJson() const
{
    QJsonObject o{{"author", author}, {"kind", kind}, {"text", text}};
    putTime(o, "at", atMs);
    return o;
}

IncidentNote IncidentNote::fromJson(const QJsonObject &o)
{
    IncidentNote n;
    n.atMs = parseIsoTime(o.value(QLatin1String("at")));
    n.author = str(o, "author");
    n.kind = str(o, "kind");
    n.text = str(o, "text");
    return n;
}

QJsonObject PreservedLog::toJson() const
{
    return QJsonObject{{"id", id},
                       {"rollback_id", rollbackId},
                       {"service", service},
                       {"source", source},
                       {"path", path},
                       {"bytes", bytes},
                       {"truncated", truncated}};
}

PreservedLog PreservedLog::fromJson(const QJsonObject &o)
{
    PreservedLog l;
    l.id = o.value(QLatin1String("id")).toInteger();
    l.rollbackId = o.value(QLatin1String("rollback_id")).toInteger();
    l.service = str(o, "service");
    l.source = str(o, "source");
    l.path = str(o, "path");
    l.bytes = o.value(QLatin1String("bytes")).toInteger();
    l.truncated = o.value(QLatin1String("truncated")).toBool();
    return l;
}

QJsonObject IncidentInfo::toJson() const
{
    QJsonArray ids;
    for (const auto rollbackId : rollbacks)
        ids.append(rollbackId);
    QJsonObject o{{"id", id},
                  {"title", title},
                  {"services", QJsonArray::fromStringList(services)},
                  {"severity", severity},
                  {"state", open ? QStringLiteral("open") : QStringLiteral("closed")},
                  {"rollbacks", ids},
                  {"notes", toJsonArray(notes)},
                  {"logs", toJsonArray(logs)}};
    putTime(o, "opened_at", openedAtMs);
    putTime(o, "closed_at", closedAtMs);
    return o;
}

IncidentInfo IncidentInfo::fromJson(const QJsonObject &o)
{
    IncidentInfo i;
    i.id = o.value(QLatin1String("id")).toInteger();
    i.title = str(o, "title");
    i.services = stringList(o.value(QLatin1String("services")));
    i.severity = str(o, "severity");
    i.open = str(o, "state") != u"closed";
    for (const auto &v : o.value(QLatin1String("rollbacks")).toArray())
        i.rollbacks.append(v.toInteger());
    i.notes = fromArray<IncidentNote>(o.value(QLatin1String("notes")));
    i.logs = fromArray<PreservedLog>(o.value(QLatin1String("logs")));
    i.openedAtMs = parseIsoTime(o.value(QLatin1String("opened_at")));
    i.closedAtMs = parseIsoTime(o.value(QLatin1String("closed_at")));
    return i;
}

QJsonObject DeliveryInfo::toJson() const
{
    QJsonObject o{{"id", id},
                  {"notifier", notifier},
                  {"type", type},
                  {"event", event},
                  {"event_seq", eventSeq},
                  {"rollback_id", rollbackId > 0 ? QJsonValue(rollbackId) : QJsonValue()},
                  {"state", state},
                  {"attempts", attempts},
                  {"message", message}};
    putTime(o, "created_at", createdAtMs);
    putTime(o, "finished_at", finishedAtMs);
    return o;
}

DeliveryInfo DeliveryInfo::fromJson(const QJsonObject &o)
{
    DeliveryInfo d;
    d.id = o.value(QLatin1String("id")).toInteger();
    d.notifier = str(o, "notifier");
    d.type = str(o, "type");
    d.event = str(o, "event");
    d.eventSeq = o.value(QLatin1String("event_seq")).toInteger();
    d.rollbackId = o.value(QLatin1String("rollback_id")).toInteger();
    d.state = str(o, "state");
    d.attempts = o.value(QLatin1String("attempts")).toInt();
    d.message = str(o, "message");
    d.createdAtMs = parseIsoTime(o.value(QLatin1String("created_at")));
    d.finishedAtMs = parseIsoTime(o.value(QLatin1String("finished_at")));
    return d;
}

QJsonObject ThresholdInfo::toJson() const
{
    return QJsonObject{{"rule", rule}, {"op", op}, {"value", value}, {"severity", severity}};
}

ThresholdInfo ThresholdInfo::fromJson(const QJsonObject &o)
{
    ThresholdInfo t;
    t.rule = str(o, "rule");
    t.op = str(o, "op");
    t.value = o.value(QLatin1String("value")).toDouble();
    t.severity = str(o, "severity");
    return t;
}

QJsonObject SeriesInfo::toJson() const
{
    QJsonArray array;
    for (const auto &[timeMs, value] : points)
        array.append(QJsonArray{timeMs, value});
    return QJsonObject{{"name", name},    {"label", label},
                       {"unit", unit},    {"step_ms", stepMs},
                       {"points", array}, {"thresholds", toJsonArray(thresholds)}};
}

SeriesInfo SeriesInfo::fromJson(const QJsonObject &o)
{
    SeriesInfo s;
    s.name = str(o, "name");
    s.label = str(o, "label");
    s.unit = str(o, "unit");
    s.stepMs = o.value(QLatin1String("step_ms")).toInteger();
    for (const auto &point : o.value(QLatin1String("points")).toArray()) {
        const auto pair = point.toArray();
        if (pair.size() == 2 && pair.at(0).isDouble() && pair.at(1).isDouble())
            s.points.append({pair.at(0).toInteger(), pair.at(1).toDouble()});
    }
    for (const auto &t : o.value(QLatin1String("thresholds")).toArray())
        s.thresholds.append(ThresholdInfo::fromJson(t.toObject()));
    return s;
}

QJsonObject Event::toJson() const
{
    return QJsonObject{{"type", type}, {"seq", seq}, {"time", isoTime(timeMs)}, {"data", data}};
}

Event Event::fromJson(const QJsonObject &o)
{
    Event e;
    e.type = str(o, "type");
    e.seq = o.value(QLatin1String("seq")).toInteger();
    e.timeMs = parseIsoTime(o.value(QLatin1String("time")));
    e.data = o.value(QLatin1String("data")).toObject();
    return e;
}

QJsonObject Snapshot::toJson() const
{
    return QJsonObject{{"services", toJsonArray(services)}, {"rollbacks", toJsonArray(rollbacks)}};
}

Snapshot Snapshot::fromJson(const QJsonObject &o)
{
    Snapshot s;
    s.services = fromArray<ServiceStatus>(o.value(QLatin1String("services")));
    s.rollbacks = fromArray<RollbackInfo>(o.value(QLatin1String("rollbacks")));
    return s;
}

} // namespace rwd::protocol
