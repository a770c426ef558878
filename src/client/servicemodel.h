#pragma once

#include "common/protocol.h"
#include "statelistmodel.h"

namespace rwd::client {

// Every service the server watches, one row each, in configuration order.
class ServiceListModel final : public StateListModel
{
    Q_OBJECT

public:
    enum Role
    {
        NameRole = Qt::UserRole + 1, // QString: service name
        EnvironmentRole,             // QString: environment name
        KindRole,                    // QString: frontend, backend, worker, database
        HealthRole,                  // QString: unknown, healthy, degraded, failing
        CurrentVersionRole,          // QString: version of the current release ("" if none)
        CurrentStateRole,            // QString: state of the current release
        LastGoodVersionRole,         // QString: version of the newest verified release
        FiringCountRole,             // int: rules firing now
        FiringSummaryRole,           // QString: "rule (severity)" of each firing, comma-separated
        DependsOnRole,               // QStringList: services this one depends on
        FrozenRole,                  // bool: deployments are refused now
        FrozenUntilRole,             // QDateTime (UTC): until when (invalid if not frozen)
        FreezeReasonRole,            // QString: why it is frozen
        StrategyRole,                // QString: its rollback strategy
        SearchTextRole,              // QString: name, environment, kind and versions, lowercase
        // QString: why the live release is not (yet) verified — time left, samples against the
        // error budget, what is missing; "" when the current release is not being verified.
        VerificationRole,
        VerificationStateRole, // QString: pending, insufficient_data, over_budget, rule_fired…
        CheckErrorsRole,       // QString: checks Rewind itself cannot probe now, and why
    };
    Q_ENUM(Role)

    explicit ServiceListModel(DashboardState *state, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // The row of service `name` as {role name: value} ({} if there is none), plus "firings":
    // [{rule, severity, action, expression, since, values}] with the values that made each fire.
    [[nodiscard]] Q_INVOKABLE QVariantMap get(const QString &name) const;

    // The text of VerificationRole for `release` at `nowMs` (translated).
    [[nodiscard]] static QString verificationText(const protocol::ReleaseInfo &release,
                                                  qint64 nowMs);
};

} // namespace rwd::client
