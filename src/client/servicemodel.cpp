#include "servicemodel.h"

#include "common/duration.h"
#include "dashboardstate.h"

#include <QDateTime>

namespace rwd::client {

namespace {

QString percent(double ratio)
{
    return QString::number(ratio * 100.0, 'f', ratio < 0.1 ? 1 : 0);
}

} // namespace

QString ServiceListModel::verificationText(const protocol::ReleaseInfo &release, qint64 nowMs)
{
    const auto &v = release.verification;
    if (release.state != ReleaseState::Live || v.isEmpty())
        return {};
    QStringList checks;
    QStringList missing;
    for (const auto &c : v.checks) {
        checks.append(tr("%1: %2 of %3 samples failed (%4%)")
                          .arg(c.check)
                          .arg(c.failed)
                          .arg(c.samples)
                          .arg(percent(c.errorRate)));
        if (c.samples < c.needed)
            missing.append(tr("%1: %2 of %3 samples").arg(c.check).arg(c.samples).arg(c.needed));
    }
    const QString budget = percent(v.errorBudget);
    const QString seen = checks.join(QStringLiteral("; "));
    if (v.state == u"pending")
        return tr("Verifying: %1 left; error budget %2%; %3")
            .arg(formatDuration(std::max<qint64>(v.dueAtMs - nowMs, 0)), budget, seen);
    if (v.state == u"insufficient_data")
        return missing.isEmpty() ? tr("Not verified yet: it has nothing to be judged by")
                                 : tr("Not verified yet: too few samples to judge (%1)")
                                       .arg(missing.join(QStringLiteral("; ")));
    if (v.state == u"over_budget")
        return tr("Not verified: over the %1% error budget (%2)").arg(budget, seen);
    if (v.state == u"rule_fired")
        return tr("Not verified: rule %1 fired").arg(v.rule);
    return {};
}

ServiceListModel::ServiceListModel(DashboardState *state, QObject *parent)
    : StateListModel(state, parent)
{
    connect(state, &DashboardState::serviceChanged, this,
            [this](int row) { emit dataChanged(index(row), index(row)); });
}

int ServiceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(state()->services().size());
}

QVariant ServiceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &s = state()->services().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return s.name;
    case EnvironmentRole:
        return s.environment;
    case KindRole:
        return s.kind;
    case HealthRole:
        return wireName(s.health);
    case CurrentVersionRole:
        return s.current ? s.current->version : QString();
    case CurrentStateRole:
        return s.current ? wireName(s.current->state) : QString();
    case LastGoodVersionRole:
        return s.lastGood ? s.lastGood->version : QString();
    case FiringCountRole:
        return int(s.firings.size());
    case FiringSummaryRole: {
        QStringList parts;
        for (const auto &f : s.firings)
            parts.append(QStringLiteral("%1 (%2)").arg(f.rule, f.severity));
        return parts.join(QStringLiteral(", "));
    }
    case DependsOnRole:
        return s.dependsOn;
    case FrozenRole:
        return state()->freezeOf(s.name, state()->nowMs()) != nullptr;
    case FrozenUntilRole: {
        const auto *f = state()->freezeOf(s.name, state()->nowMs());
        return f ? QDateTime::fromMSecsSinceEpoch(f->untilMs, Qt::UTC) : QDateTime();
    }
    case FreezeReasonRole: {
        const auto *f = state()->freezeOf(s.name, state()->nowMs());
        return f ? f->reason : QString();
    }
    case StrategyRole:
        return s.strategy;
    case VerificationRole:
        return s.current ? verificationText(*s.current, state()->nowMs()) : QString();
    case VerificationStateRole:
        return s.current && s.current->state == ReleaseState::Live ? s.current->verification.state
                                                                   : QString();
    case CheckErrorsRole: {
        QStringList parts;
        for (const auto &e : s.checkErrors)
            parts.append(tr("Rewind cannot probe %1: %2").arg(e.check, e.error));
        return parts.join(QStringLiteral("; "));
    }
    case SearchTextRole:
        return QStringList{s.name, s.environment, s.kind,
                           s.current ? s.current->version : QString(),
                           s.lastGood ? s.lastGood->version : QString()}
            .join(u' ')
            .toLower();
    default:
        return {};
    }
}

QVariantMap ServiceListModel::get(const QString &name) const
{
    const int row = state()->indexOfService(name);
    if (row < 0)
        return {};
    QVariantMap out;
    const auto names = roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        out.insert(QString::fromUtf8(it.value()), data(index(row), it.key()));
    QVariantList firings;
    for (const auto &f : state()->services().at(row).firings) {
        QStringList values;
        for (auto v = f.values.begin(); v != f.values.end(); ++v)
            values.append(QStringLiteral("%1 = %2").arg(
                v.key(), v.value().isDouble() ? QString::number(v.value().toDouble(), 'g', 4)
                                              : v.value().toVariant().toString()));
        firings.append(QVariantMap{{"rule", f.rule},
                                   {"severity", f.severity},
                                   {"action", f.action},
                                   {"expression", f.expression},
                                   {"since", QDateTime::fromMSecsSinceEpoch(f.sinceMs, Qt::UTC)},
                                   {"values", values.join(QStringLiteral(", "))}});
    }
    out.insert(QStringLiteral("firings"), firings);
    return out;
}

QHash<int, QByteArray> ServiceListModel::roleNames() const
{
    return {{NameRole, "name"},
            {EnvironmentRole, "environment"},
            {KindRole, "kind"},
            {HealthRole, "health"},
            {CurrentVersionRole, "currentVersion"},
            {CurrentStateRole, "currentState"},
            {LastGoodVersionRole, "lastGoodVersion"},
            {FiringCountRole, "firingCount"},
            {FiringSummaryRole, "firingSummary"},
            {DependsOnRole, "dependsOn"},
            {FrozenRole, "frozen"},
            {FrozenUntilRole, "frozenUntil"},
            {FreezeReasonRole, "freezeReason"},
            {StrategyRole, "strategy"},
            {SearchTextRole, "searchText"},
            {VerificationRole, "verification"},
            {VerificationStateRole, "verificationState"},
            {CheckErrorsRole, "checkErrors"}};
}

} // namespace rwd::client
