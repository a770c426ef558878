#include "events.h"

#include <QJsonArray>

namespace rwd::events {

namespace {

template<class... F>
struct Overloaded : F...
{
    using F::operator()...;
};
template<class... F>
Overloaded(F...) -> Overloaded<F...>;

QJsonArray array(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject stepJson(const StepEvent &e)
{
    return {
        {"rollback_id", e.rollbackId}, {"step", e.step.toJson()}, {"services", array(e.services)}};
}

QJsonObject firingJson(const protocol::FiringInfo &firing, qint64 id)
{
    auto data = firing.toJson();
    data.insert(QStringLiteral("id"), id);
    return data;
}

QStringList targets(const protocol::RollbackInfo &rollback)
{
    QStringList out;
    for (const auto &t : rollback.targets)
        out.append(t.service);
    return out;
}

} // namespace

QString typeOf(const Body &body)
{
    return std::visit([](const auto &b) { return QString::fromLatin1(b.kType); }, body);
}

QJsonObject toJson(const Body &body)
{
    return std::visit(
        Overloaded{
            [](const DeploymentRecorded &e) { return e.release.toJson(); },
            [](const ReleaseStateChanged &e) { return e.release.toJson(); },
            [](const ReleaseNotVerified &e) { return e.release.toJson(); },
            [](const CheckError &e) {
                return QJsonObject{{"service", e.service},
                                   {"check", e.check},
                                   {"error", e.error},
                                   {"count", e.count}};
            },
            [](const CheckRecovered &e) {
                return QJsonObject{{"service", e.service}, {"check", e.check}, {"count", e.count}};
            },
            [](const SecurityAlert &e) {
                auto data = e.details;
                data.insert(QStringLiteral("kind"), e.kind);
                data.insert(QStringLiteral("message"), e.message);
                return data;
            },
            [](const StoreFailing &e) {
                return QJsonObject{{"error", e.error},
                                   {"rollback_id", e.rollbackId},
                                   {"what", e.what},
                                   {"services", array(e.services)}};
            },
            [](const HealthChanged &e) {
                return QJsonObject{{"service", e.service},
                                   {"health", wireName(e.health)},
                                   {"previous", wireName(e.previous)}};
            },
            [](const RuleFired &e) { return firingJson(e.firing, e.id); },
            [](const RuleResolved &e) {
                auto data = firingJson(e.firing, e.id);
                if (!e.reason.isEmpty())
                    data.insert(QStringLiteral("reason"), e.reason);
                return data;
            },
            [](const RollbackStarted &e) { return e.rollback.toJson(); },
            [](const StepStarted &e) { return stepJson(e); },
            [](const StepFinished &e) { return stepJson(e); },
            [](const StepRetrying &e) {
                auto data = stepJson(e);
                data.insert(QStringLiteral("retry_in_ms"), e.retryInMs);
                return data;
            },
            [](const RollbackFinished &e) {
                return QJsonObject{{"rollback", e.rollback.toJson()}, {"message", e.message}};
            },
            [](const RollbackEscalated &e) {
                return QJsonObject{{"rollback", e.rollback.toJson()}, {"reason", e.reason}};
            },
            [](const RollbackRefused &e) {
                return QJsonObject{{"service", e.service},
                                   {"rule", e.rule},
                                   {"code", e.code},
                                   {"message", e.message}};
            },
            [](const FreezeStarted &e) { return e.freeze.toJson(); },
            [](const FreezeOverridden &e) {
                return QJsonObject{{"service", e.service},
                                   {"version", e.version},
                                   {"by", e.by},
                                   {"reason", e.reason},
                                   {"freeze", e.freeze.toJson()}};
            },
            [](const SnapshotTaken &e) { return e.snapshot.toJson(); },
            [](const IncidentOpened &e) {
                return QJsonObject{{"id", e.id},
                                   {"title", e.title},
                                   {"services", array(e.services)},
                                   {"severity", e.severity}};
            },
            [](const IncidentUpdated &e) {
                QJsonObject data{{"id", e.id}, {"kind", e.kind}, {"services", array(e.services)}};
                if (e.text)
                    data.insert(QStringLiteral("text"), *e.text);
                if (e.state)
                    data.insert(QStringLiteral("state"), *e.state);
                return data;
            },
            [](const ApprovalRequested &e) {
                return QJsonObject{{"rollback", e.rollback.toJson()}, {"needed", e.needed}};
            },
            [](const ApprovalGranted &e) {
                QJsonObject data{
                    {"rollback", e.rollback.toJson()}, {"by", e.by}, {"comment", e.comment}};
                if (e.automatic) {
                    data.insert(QStringLiteral("auto"), true);
                } else {
                    data.insert(QStringLiteral("approvals"), e.approvals);
                    data.insert(QStringLiteral("needed"), e.needed);
                }
                return data;
            },
            [](const ApprovalRejected &e) {
                return QJsonObject{
                    {"rollback", e.rollback.toJson()}, {"by", e.by}, {"comment", e.comment}};
            },
            [](const ServiceUpdated &e) { return e.status.toJson(); },
        },
        body);
}

QStringList servicesOf(const Body &body)
{
    QStringList out = std::visit(
        Overloaded{
            [](const DeploymentRecorded &e) { return QStringList{e.release.service}; },
            [](const ReleaseStateChanged &e) { return QStringList{e.release.service}; },
            [](const ReleaseNotVerified &e) { return QStringList{e.release.service}; },
            [](const CheckError &e) { return QStringList{e.service}; },
            [](const CheckRecovered &e) { return QStringList{e.service}; },
            [](const SecurityAlert &e) {
                QStringList s{e.details.value(QLatin1String("service")).toString()};
                for (const auto &v : e.details.value(QLatin1String("services")).toArray())
                    s.append(v.toString());
                return s;
            },
            [](const StoreFailing &e) { return e.services; },
            [](const HealthChanged &e) { return QStringList{e.service}; },
            [](const RuleFired &e) { return QStringList{e.firing.service}; },
            [](const RuleResolved &e) { return QStringList{e.firing.service}; },
            [](const RollbackStarted &e) { return targets(e.rollback); },
            [](const StepStarted &e) { return e.services; },
            [](const StepFinished &e) { return e.services; },
            [](const StepRetrying &e) { return e.services; },
            [](const RollbackFinished &e) { return targets(e.rollback); },
            [](const RollbackEscalated &e) { return targets(e.rollback); },
            [](const RollbackRefused &e) { return QStringList{e.service}; },
            [](const FreezeStarted &e) { return QStringList{e.freeze.service}; },
            [](const FreezeOverridden &e) {
                return QStringList{e.service, e.freeze.service};
            },
            [](const SnapshotTaken &e) { return QStringList{e.snapshot.service}; },
            [](const IncidentOpened &e) { return e.services; },
            [](const IncidentUpdated &e) { return e.services; },
            [](const ApprovalRequested &e) { return targets(e.rollback); },
            [](const ApprovalGranted &e) { return targets(e.rollback); },
            [](const ApprovalRejected &e) { return targets(e.rollback); },
            [](const ServiceUpdated &e) { return QStringList{e.status.name}; },
        },
        body);
    out.removeAll(QString());
    out.removeDuplicates();
    return out;
}

namespace {

QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QStringList texts(const QJsonObject &o, const char *key)
{
    QStringList out;
    for (const auto &v : o.value(QLatin1String(key)).toArray())
        out.append(v.toString());
    return out;
}

qint64 number(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInteger();
}

protocol::RollbackInfo rollbackIn(const QJsonObject &o)
{
    return protocol::RollbackInfo::fromJson(o.value(QLatin1String("rollback")).toObject());
}

template<class T>
T step(const QJsonObject &o)
{
    T e;
    e.rollbackId = number(o, "rollback_id");
    e.step = protocol::StepInfo::fromJson(o.value(QLatin1String("step")).toObject());
    e.services = texts(o, "services");
    return e;
}

using Parser = Body (*)(const QJsonObject &);

template<class T>
constexpr std::pair<const char *, Parser> parser(Parser p)
{
    return {T::kType, p};
}

const std::pair<const char *, Parser> kParsers[] = {
    parser<DeploymentRecorded>([](const QJsonObject &o) -> Body {
        return DeploymentRecorded{protocol::ReleaseInfo::fromJson(o)};
    }),
    parser<ReleaseStateChanged>([](const QJsonObject &o) -> Body {
        return ReleaseStateChanged{protocol::ReleaseInfo::fromJson(o)};
    }),
    parser<ReleaseNotVerified>([](const QJsonObject &o) -> Body {
        return ReleaseNotVerified{protocol::ReleaseInfo::fromJson(o)};
    }),
    parser<CheckError>([](const QJsonObject &o) -> Body {
        return CheckError{text(o, "service"), text(o, "check"), text(o, "error"),
                          number(o, "count")};
    }),
    parser<CheckRecovered>([](const QJsonObject &o) -> Body {
        return CheckRecovered{text(o, "service"), text(o, "check"), number(o, "count")};
    }),
    parser<SecurityAlert>([](const QJsonObject &o) -> Body {
        auto details = o;
        details.remove(QStringLiteral("kind"));
        details.remove(QStringLiteral("message"));
        return SecurityAlert{text(o, "kind"), text(o, "message"), details};
    }),
    parser<StoreFailing>([](const QJsonObject &o) -> Body {
        return StoreFailing{text(o, "error"), number(o, "rollback_id"), text(o, "what"),
                            texts(o, "services")};
    }),
    parser<HealthChanged>([](const QJsonObject &o) -> Body {
        return HealthChanged{text(o, "service"),
                             healthFromString(text(o, "health")).value_or(Health::Unknown),
                             healthFromString(text(o, "previous")).value_or(Health::Unknown)};
    }),
    parser<RuleFired>([](const QJsonObject &o) -> Body {
        return RuleFired{protocol::FiringInfo::fromJson(o), number(o, "id")};
    }),
    parser<RuleResolved>([](const QJsonObject &o) -> Body {
        return RuleResolved{protocol::FiringInfo::fromJson(o), number(o, "id"), text(o, "reason")};
    }),
    parser<RollbackStarted>([](const QJsonObject &o) -> Body {
        return RollbackStarted{protocol::RollbackInfo::fromJson(o)};
    }),
    parser<StepStarted>([](const QJsonObject &o) -> Body { return step<StepStarted>(o); }),
    parser<StepFinished>([](const QJsonObject &o) -> Body { return step<StepFinished>(o); }),
    parser<StepRetrying>([](const QJsonObject &o) -> Body {
        auto e = step<StepRetrying>(o);
        e.retryInMs = number(o, "retry_in_ms");
        return e;
    }),
    parser<RollbackFinished>([](const QJsonObject &o) -> Body {
        return RollbackFinished{rollbackIn(o), text(o, "message")};
    }),
    parser<RollbackEscalated>([](const QJsonObject &o) -> Body {
        return RollbackEscalated{rollbackIn(o), text(o, "reason")};
    }),
    parser<RollbackRefused>([](const QJsonObject &o) -> Body {
        return RollbackRefused{text(o, "service"), text(o, "rule"), text(o, "code"),
                               text(o, "message")};
    }),
    parser<FreezeStarted>([](const QJsonObject &o) -> Body {
        return FreezeStarted{protocol::FreezeInfo::fromJson(o)};
    }),
    parser<FreezeOverridden>([](const QJsonObject &o) -> Body {
        return FreezeOverridden{
            text(o, "service"), text(o, "version"), text(o, "by"), text(o, "reason"),
            protocol::FreezeInfo::fromJson(o.value(QLatin1String("freeze")).toObject())};
    }),
    parser<SnapshotTaken>([](const QJsonObject &o) -> Body {
        return SnapshotTaken{protocol::SnapshotInfo::fromJson(o)};
    }),
    parser<IncidentOpened>([](const QJsonObject &o) -> Body {
        return IncidentOpened{number(o, "id"), text(o, "title"), texts(o, "services"),
                              text(o, "severity")};
    }),
    parser<IncidentUpdated>([](const QJsonObject &o) -> Body {
        IncidentUpdated e;
        e.id = number(o, "id");
        e.kind = text(o, "kind");
        if (o.contains(QLatin1String("text")))
            e.text = text(o, "text");
        if (o.contains(QLatin1String("state")))
            e.state = text(o, "state");
        e.services = texts(o, "services");
        return e;
    }),
    parser<ApprovalRequested>([](const QJsonObject &o) -> Body {
        return ApprovalRequested{rollbackIn(o), int(number(o, "needed"))};
    }),
    parser<ApprovalGranted>([](const QJsonObject &o) -> Body {
        return ApprovalGranted{rollbackIn(o),
                               text(o, "by"),
                               text(o, "comment"),
                               o.value(QLatin1String("auto")).toBool(),
                               int(number(o, "approvals")),
                               int(number(o, "needed"))};
    }),
    parser<ApprovalRejected>([](const QJsonObject &o) -> Body {
        return ApprovalRejected{rollbackIn(o), text(o, "by"), text(o, "comment")};
    }),
    parser<ServiceUpdated>([](const QJsonObject &o) -> Body {
        return ServiceUpdated{protocol::ServiceStatus::fromJson(o)};
    }),
};

static_assert(std::size(kParsers) == std::variant_size_v<Body>, "a parser for every event kind");

} // namespace

std::optional<Body> fromJson(const QString &type, const QJsonObject &data)
{
    for (const auto &[name, parse] : kParsers) {
        if (type == QLatin1String(name))
            return parse(data);
    }
    return std::nullopt;
}

Published fromWire(const protocol::Event &event)
{
    Published p;
    static_cast<protocol::Event &>(p) = event;
    if (auto body = fromJson(event.type, event.data))
        p.body = std::make_shared<const Body>(std::move(*body));
    return p;
}

} // namespace rwd::events
