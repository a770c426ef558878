#include "database.h"

#include <QRegularExpression>

namespace rwd::orchestrator {

namespace {

bool isIdentifier(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,62}$"));
    return re.match(name).hasMatch();
}

} // namespace

std::unique_ptr<Strategy> DatabaseStrategy::create(config::MapReader &options,
                                                   const config::StrategyConfig &strategy,
                                                   const config::ServiceConfig &,
                                                   const config::Config &config)
{
    Options o;
    o.executor = strategy.executor;
    if (const auto migrate = options.value(QStringLiteral("migrate")); !migrate.isNull()) {
        config::MapReader m(migrate, options.diagnostics(),
                            QStringLiteral("migrate of ") + options.what());
        o.migrateExecutor =
            m.string(QStringLiteral("executor"), config::Need::Required).value_or(QString());
        o.migrateAction = m.string(QStringLiteral("action"), o.migrateAction);
        if (!o.migrateExecutor.isEmpty() && !config.executor(o.migrateExecutor))
            m.errorAt(QStringLiteral("executor"),
                      QStringLiteral("'executor' of %1 names no configured executor '%2'")
                          .arg(m.what(), o.migrateExecutor));
        m.finish();
    } else {
        options.errorAt(QStringLiteral("migrate"),
                        QStringLiteral("%1 needs 'migrate: {executor: NAME}', the command that "
                                       "migrates the schema down to {{version}}")
                            .arg(options.what()));
    }
    if (const auto integrity = options.value(QStringLiteral("integrity")); !integrity.isNull()) {
        config::MapReader i(integrity, options.diagnostics(),
                            QStringLiteral("integrity of ") + options.what());
        const auto tables = i.value(QStringLiteral("tables"));
        for (const auto &item : tables.isSequence()
                                    ? tables.items()
                                    : (tables.isNull() ? QList<config::ConfigNode>{}
                                                       : QList<config::ConfigNode>{tables})) {
            QJsonObject table;
            if (item.isScalar()) {
                table.insert(QStringLiteral("name"), item.scalar());
            } else {
                config::MapReader t(item, options.diagnostics(),
                                    QStringLiteral("a table of ") + i.what());
                table.insert(
                    QStringLiteral("name"),
                    t.string(QStringLiteral("name"), config::Need::Required).value_or(QString()));
                if (const auto key = t.string(QStringLiteral("key")))
                    table.insert(QStringLiteral("key"), *key);
                if (const auto columns = t.stringList(QStringLiteral("checksum")))
                    table.insert(QStringLiteral("checksum"), QJsonArray::fromStringList(*columns));
                t.finish();
            }
            QStringList names{table.value(QLatin1String("name")).toString()};
            if (table.contains(QLatin1String("key")))
                names.append(table.value(QLatin1String("key")).toString());
            for (const auto &c : table.value(QLatin1String("checksum")).toArray())
                names.append(c.toString());
            for (const auto &n : std::as_const(names)) {
                if (!isIdentifier(n))
                    options.diagnostics().error(
                        item.position(),
                        QStringLiteral("'%1' in %2 is not a plain SQL identifier (letters, "
                                       "digits and '_', starting with a letter or '_')")
                            .arg(n, i.what()));
            }
            if (table.contains(QLatin1String("checksum")) && !table.contains(QLatin1String("key")))
                options.diagnostics().error(
                    item.position(),
                    QStringLiteral("a table with 'checksum' in %1 needs 'key', the column that "
                                   "orders its rows")
                        .arg(i.what()));
            o.tables.append(table);
        }
        o.query = i.string(QStringLiteral("query"), QString());
        i.finish();
    }
    o.snapshotOnDeploy = options.boolean(QStringLiteral("snapshot_on_deploy")).value_or(false);
    return std::make_unique<DatabaseStrategy>(std::move(o));
}

QList<ActionUse> DatabaseStrategy::actions() const
{
    return {{m_options.executor, QStringLiteral("snapshot"), QStringLiteral("executor")},
            {m_options.executor, QStringLiteral("integrity_check"), QStringLiteral("executor")},
            {m_options.executor, QStringLiteral("restore_snapshot"), QStringLiteral("executor")},
            {m_options.migrateExecutor, m_options.migrateAction, QStringLiteral("migrate")}};
}

QJsonObject DatabaseStrategy::integrityParams() const
{
    return {{"tables", m_options.tables}, {"query", m_options.query}};
}

Result<QList<StepSpec>> DatabaseStrategy::plan(const Target &target,
                                               const PlanContext &context) const
{
    const auto &name = target.service->name;
    // One snapshot per rollback and service; the name is fixed before the plan runs, so every
    // step (and a resumed plan) refers to the same one.
    const QString snapshot = QStringLiteral("%1-rollback-{{rollback_id}}").arg(name);
    const QJsonObject withSnapshot{{"snapshot", snapshot}};
    QJsonObject snapshotParams = integrityParams();
    snapshotParams.insert(QStringLiteral("reason"),
                          QStringLiteral("before rolling %1 back from %2 to %3")
                              .arg(name, target.from.version, target.to.version));
    auto snap = executorStep(
        target, context, m_options.executor, QStringLiteral("snapshot"),
        QStringLiteral("Snapshot the %1 database (schema %2)").arg(name, target.from.version),
        withSnapshot, snapshotParams);
    auto migrate = executorStep(target, context, m_options.migrateExecutor, m_options.migrateAction,
                                QStringLiteral("Migrate %1 down from %2 to %3")
                                    .arg(name, target.from.version, target.to.version),
                                withSnapshot);
    auto integrity = executorStep(
        target, context, m_options.executor, QStringLiteral("integrity_check"),
        QStringLiteral("Check that %1 kept its data (%2 table(s)%3)")
            .arg(name)
            .arg(m_options.tables.size())
            .arg(m_options.query.isEmpty() ? QString()
                                           : QStringLiteral(" and the integrity query")),
        withSnapshot, integrityParams());
    integrity.restores = true;
    auto restore =
        executorStep(target, context, m_options.executor, QStringLiteral("restore_snapshot"),
                     QStringLiteral("Restore the %1 snapshot taken before the "
                                    "migration")
                         .arg(name),
                     withSnapshot);
    restore.onFailure = true;
    restore.after = QList<int>{0};
    return QList<StepSpec>{snap, migrate, integrity, verifyHealthStep(target), restore};
}

} // namespace rwd::orchestrator
