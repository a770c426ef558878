#pragma once

#include "common/result.h"
#include "orchestrator/strategy.h"

namespace rwd::orchestrator {

// `type: database` — rolls a database back to the schema of the target release without losing
// the rows written since: snapshot the database (the `sqlite` or `postgres` executor), migrate
// down to the target version through `migrate` (a `command` executor, argv), check integrity
// (declared tables still hold every row they had at the snapshot, optional checksums, and a
// configured query), then verify health. If migrating down or the integrity check fails, the
// snapshot is restored and the plan needs attention: a restore brings back the schema *and* the
// data as they were at the snapshot, so a person decides what happens to the newer rows.
class DatabaseStrategy final : public Strategy
{
public:
    struct Options
    {
        QString executor; // snapshot, integrity_check, restore_snapshot
        QString migrateExecutor;
        QString migrateAction = QStringLiteral("migrate_down");
        QJsonArray tables; // [{name, key, checksum: [columns]}]
        QString query;     // must return true / a non-zero number
        bool snapshotOnDeploy = false;
    };

    explicit DatabaseStrategy(Options options)
        : m_options(std::move(options))
    {}

    [[nodiscard]] QString type() const override { return QStringLiteral("database"); }
    [[nodiscard]] Result<QList<StepSpec>> plan(const Target &target,
                                               const PlanContext &context) const override;
    [[nodiscard]] QList<ActionUse> actions() const override;
    [[nodiscard]] const Options &options() const { return m_options; }

    // The params of an integrity check of the declared tables and query.
    [[nodiscard]] QJsonObject integrityParams() const;

    static std::unique_ptr<Strategy> create(config::MapReader &options,
                                            const config::StrategyConfig &strategy,
                                            const config::ServiceConfig &service,
                                            const config::Config &config);

private:
    Options m_options;
};

} // namespace rwd::orchestrator
