// The SQLite store: schema created and migrated by Rewind, refusal of a newer schema, the
// history the daemon writes read back intact after reopening, a store of every earlier schema
// version upgraded with its rows intact, and one write state for all of its aggregates.
#include "common/audit.h"
#include "results.h"
#include "store/migrations.h"
#include "store/store.h"

#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace rwd;

namespace {

// Runs one statement on a raw connection; an empty string when it worked, else why not.
QString exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return {};
    return sql.left(60) + QStringLiteral(": ") + q.lastError().text();
}

// The rows an installation on schema version N had written, each with only the columns that
// version had: version 1 a verified and a bad release with the rule firing and a finished
// two-step rollback between them (steps ran one after another then); version 2 an incident
// with a note and a preserved log, a freeze, a snapshot, an attempt of a step; version 3 a
// user with a token, an approval, two rows of the audit chain and a delivery; version 4 a
// release's verdict. kRowsOfVersion[N - 1] writes what version N added.
const QList<std::function<QStringList()>> kRowsOfVersion{
    [] {
        return QStringList{
            QStringLiteral(
                "INSERT INTO releases (id, service, version, artifact, target, state, deployed_by, "
                "pipeline, deployed_at, verified_at, previous_id, updated_at) VALUES "
                "(1, 'api', 'v1', 'registry/api:v1', 'green', 'verified', 'ci', 'build 7', 1000, "
                "2000, NULL, 2000), "
                "(2, 'api', 'v2', 'registry/api:v2', 'blue', 'rolled_back', 'ci', 'build 8', 3000, "
                "NULL, 1, 3700)"),
            QStringLiteral("INSERT INTO service_state VALUES ('api', 1)"),
            QStringLiteral(
                "INSERT INTO firings (id, rule, service, severity, action, expression, "
                "values_json, "
                "fired_at, resolved_at) VALUES (1, 'errors', 'api', 'critical', 'rollback', "
                "'error_rate(health, 5s) > 5%', '{\"error_rate(health, 5s)\":0.25}', 3500, 3800)"),
            QStringLiteral(
                "INSERT INTO rollbacks (id, state, trigger, reason, requested_by, strategy, "
                "firing_id, created_at, finished_at, message) VALUES (1, 'succeeded', "
                "'rule:errors', 'error rate 25%', '', 'blue_green', 1, 3600, 3700, 'done')"),
            QStringLiteral("INSERT INTO rollback_targets VALUES (1, 'api', 2, 1)"),
            QStringLiteral(
                "INSERT INTO rollback_steps (rollback_id, idx, service, kind, description, "
                "params_json, state, attempt, started_at, finished_at, message) VALUES "
                "(1, 0, 'api', 'switch_traffic', 'Route api traffic to green (v1)', "
                "'{\"target\":\"green\"}', 'succeeded', 1, 3601, 3650, ''), "
                "(1, 1, 'api', 'verify_health', 'Verify api', '{}', 'succeeded', 1, 3650, 3690, "
                "'3 healthy samples')"),
        };
    },
    [] {
        return QStringList{
            QStringLiteral(
                "UPDATE releases SET metadata_json = '{\"revision\":\"42\"}' WHERE id = 2"),
            QStringLiteral(
                "INSERT INTO incidents (id, title, services_json, severity, opened_at, closed_at) "
                "VALUES (1, 'api errors after v2', '[\"api\"]', 'critical', 3500, 4000)"),
            QStringLiteral(
                "INSERT INTO incident_notes (incident_id, at, author, kind, text) VALUES "
                "(1, 3900, 'alice', 'note', 'customers saw 500s for two minutes')"),
            QStringLiteral(
                "INSERT INTO preserved_logs (incident_id, rollback_id, service, source, path, "
                "bytes, "
                "truncated, created_at) VALUES (1, 1, 'api', 'journal', 'logs/api-1.log', 512, 0, "
                "3610)"),
            QStringLiteral(
                "UPDATE rollbacks SET incident_id = 1, class = 'immediate' WHERE id = 1"),
            QStringLiteral(
                "INSERT INTO freezes (service, reason, rollback_id, started_at, until_at) VALUES "
                "('api', 'rolled back by #1', 1, 3700, 999999999999)"),
            QStringLiteral(
                "INSERT INTO snapshots (name, service, executor, reason, path, size_bytes, sha256, "
                "tables_json, rollback_id, release_id, created_at) VALUES ('db-r2', 'db', "
                "'sqlite', "
                "'deploy of api 2', 'snapshots/db-r2.sqlite', 8192, 'abc123', "
                "'{\"orders\":{\"rows\":3}}', NULL, 2, 3000)"),
            QStringLiteral(
                "INSERT INTO step_attempts (step_id, attempt, started_at, finished_at, outcome, "
                "message, output) VALUES (1, 1, 3601, 3650, 'succeeded', '', 'switched')"),
        };
    },
    [] {
        QStringList rows{
            QStringLiteral(
                "INSERT INTO users (id, name, password_hash, roles_json, from_config, created_at) "
                "VALUES (1, 'alice', 'pbkdf2$x', '{\"*\":[\"approver\"]}', 1, 100)"),
            QStringLiteral(
                "INSERT INTO tokens (user_id, kind, name, hash, created_at, expires_at) VALUES "
                "(1, 'api', 'ci', 'deadbeef', 200, NULL)"),
            QStringLiteral(
                "INSERT INTO approvals (rollback_id, user, decision, comment, at) VALUES "
                "(1, 'alice', 'approved', 'go', 3620)"),
            QStringLiteral(
                "INSERT INTO deliveries (notifier, type, event, event_seq, rollback_id, state, "
                "attempts, created_at, finished_at, message) VALUES ('ops', 'slack', "
                "'rollback_finished', 12, 1, 'delivered', 1, 3700, 3701, '200 OK')"),
        };
        QString before = audit::genesis();
        for (qint64 id = 1; id <= 2; ++id) {
            audit::Entry e;
            e.id = id;
            e.atMs = 3600 + id;
            e.actor = id == 1 ? QStringLiteral("rewind") : QStringLiteral("alice");
            e.action =
                id == 1 ? QStringLiteral("rollback_started") : QStringLiteral("rollback_approved");
            e.target = QStringLiteral("rollback #1");
            e.prevHash = before;
            e.hash = audit::hashOf(e);
            before = e.hash;
            rows.append(QStringLiteral("INSERT INTO audit (id, at, actor, source, action, target, "
                                       "details_json, prev_hash, hash) VALUES "
                                       "(%1, %2, '%3', '', '%4', '%5', '{}', '%6', '%7')")
                            .arg(e.id)
                            .arg(e.atMs)
                            .arg(e.actor, e.action, e.target, e.prevHash, e.hash));
        }
        return rows;
    },
    [] {
        return QStringList{
            QStringLiteral(
                "UPDATE releases SET verification_json = '{\"state\":\"verified\",\"final\":"
                "true,\"release_id\":1,\"summary\":\"every check within budget\"}' WHERE id = 1"),
        };
    },
};

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString url(const QString &name) const
    {
        return QStringLiteral("sqlite:") + m_dir.filePath(name);
    }

private slots:
    void createsTheSchemaOnFirstOpen()
    {
        auto opened = store::Store::open(url(QStringLiteral("fresh/rewind.db")));
        QVERIFY2(opened, qPrintable(testing::why(opened)));
        const auto store = *std::move(opened);
        QCOMPARE(store->schemaVersion(), store::Store::latestSchemaVersion());
        QCOMPARE(store::Store::latestSchemaVersion(), int(store::migrations().size()));
    }

    void refusesUnsupportedUrlsAndNewerSchemas()
    {
        const auto unsupported = store::Store::open(QStringLiteral("postgres://x"));
        QVERIFY(!unsupported);
        QVERIFY(unsupported.error().message.contains(QStringLiteral("unsupported store")));
        {
            const auto store = store::Store::open(url(QStringLiteral("newer.db")));
            QVERIFY(store);
        }
        {
            auto db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            db.setDatabaseName(m_dir.filePath(QStringLiteral("newer.db")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(
                q.exec(QStringLiteral("INSERT INTO schema_migrations VALUES (999, 'future', 0)")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
        const auto newer = store::Store::open(url(QStringLiteral("newer.db")));
        QVERIFY(!newer);
        QVERIFY2(newer.error().message.contains(QStringLiteral("schema version 999")),
                 qPrintable(newer.error().message));
    }

    void keepsHistoryAcrossReopen()
    {
        const auto path = url(QStringLiteral("history.db"));
        qint64 goodId = 0;
        qint64 badId = 0;
        qint64 rollbackId = 0;
        {
            auto opened = store::Store::open(path);
            QVERIFY(opened);
            const auto store = *std::move(opened);
            protocol::ReleaseInfo r;
            r.service = QStringLiteral("api");
            r.version = QStringLiteral("v1");
            r.target = QStringLiteral("green");
            r.state = ReleaseState::Live;
            r.deployedAtMs = 1000;
            const auto good = store->releases().insert(r, 1000);
            QVERIFY(good);
            goodId = good->id;
            QVERIFY(store->releases().setState(goodId, ReleaseState::Verified, 2000));
            r.version = QStringLiteral("v2");
            r.target = QStringLiteral("blue");
            r.previousId = goodId;
            r.deployedAtMs = 3000;
            const auto bad = store->releases().insert(r, 3000);
            QVERIFY(bad);
            badId = bad->id;
            QVERIFY(store->releases().setCurrent(QStringLiteral("api"), badId));
            QCOMPARE(store->releases().lastVerified(QStringLiteral("api"), badId)->id, goodId);

            protocol::FiringInfo f;
            f.rule = QStringLiteral("errors");
            f.service = QStringLiteral("api");
            f.severity = QStringLiteral("critical");
            f.action = QStringLiteral("rollback");
            f.expression = QStringLiteral("error_rate(health, 5s) > 5%");
            f.values = {{QStringLiteral("error_rate(health, 5s)"), 0.25}};
            f.sinceMs = 3500;
            const qint64 firingId = store->firings().insert(f);
            QVERIFY(firingId > 0);

            protocol::RollbackInfo rb;
            rb.state = PlanState::Running;
            rb.trigger = QStringLiteral("rule:errors");
            rb.createdAtMs = 3600;
            rb.targets = {
                {QStringLiteral("api"), {}, {}, badId, goodId, QStringLiteral("blue_green"), {}}};
            protocol::StepInfo step;
            step.service = QStringLiteral("api");
            step.kind = QStringLiteral("switch_traffic");
            step.description = QStringLiteral("Route api traffic to green (v1)");
            rb.steps = {step};
            QVERIFY(store->rollbacks().create(rb, {QJsonObject{{"target", "green"}}}, firingId));
            QVERIFY(rb.id > 0 && rb.steps.first().id > 0);
            rollbackId = rb.id;
            rb.steps[0].state = StepState::Succeeded;
            rb.steps[0].startedAtMs = 3601;
            rb.steps[0].finishedAtMs = 3650;
            QVERIFY(store->rollbacks().updateStep(rb.steps[0]));
            QVERIFY(store->rollbacks().setState(rollbackId, PlanState::Succeeded, 3700,
                                                QStringLiteral("ok")));
        }
        auto opened = store::Store::open(path);
        QVERIFY(opened);
        const auto store = *std::move(opened);
        const auto rb = store->rollbacks().find(rollbackId);
        QVERIFY(rb);
        QCOMPARE(rb->state, PlanState::Succeeded);
        QCOMPARE(rb->finishedAtMs, qint64(3700));
        QCOMPARE(rb->targets.size(), 1);
        QCOMPARE(rb->targets.first().fromVersion, QStringLiteral("v2"));
        QCOMPARE(rb->targets.first().toVersion, QStringLiteral("v1"));
        QCOMPARE(rb->steps.size(), 1);
        QCOMPARE(rb->steps.first().state, StepState::Succeeded);
        QCOMPARE(rb->steps.first().finishedAtMs - rb->steps.first().startedAtMs, qint64(49));
        QCOMPARE(store->rollbacks()
                     .stepParams(rollbackId)
                     .first()
                     .value(QLatin1String("target"))
                     .toString(),
                 QStringLiteral("green"));
        QCOMPARE(store->rollbacks().list(10).size(), 1);
        QCOMPARE(*store->releases().currentId(QStringLiteral("api")), badId);
        const auto releases = store->releases().list(QStringLiteral("api"), 10);
        QCOMPARE(releases.size(), 2);
        QCOMPARE(releases.first().id, badId); // newest first
        QCOMPARE(releases.last().state, ReleaseState::Verified);
        QCOMPARE(releases.last().verifiedAtMs, qint64(2000));
        QCOMPARE(releases.first().previousId, goodId);
    }

    // A store written by every earlier schema version, with the rows that version could hold,
    // opens on the latest schema with every row readable as it was written and the columns
    // added since at their documented defaults (steps of a version 1 plan ran one after
    // another; no verdict, class "fast", no freeze override), keeps an intact audit chain,
    // and takes new writes.
    void upgradesEveryEarlierSchemaWithItsRows_data()
    {
        QTest::addColumn<int>("from");
        QVERIFY2(kRowsOfVersion.size() == store::Store::latestSchemaVersion(),
                 "a new schema version needs the rows it can hold in kRowsOfVersion");
        for (int v = 1; v < store::Store::latestSchemaVersion(); ++v)
            QTest::addRow("from version %d", v) << v;
        // And the rows of every version on today's schema, nothing to migrate: each version's
        // rows still fit it.
        QTest::addRow("on version %d", store::Store::latestSchemaVersion())
            << store::Store::latestSchemaVersion();
    }

    void upgradesEveryEarlierSchemaWithItsRows()
    {
        QFETCH(int, from);
        const QString file = m_dir.filePath(QStringLiteral("upgrade-from-%1.db").arg(from));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
            db.setDatabaseName(file);
            QVERIFY(db.open());
            QCOMPARE(exec(db, QStringLiteral("CREATE TABLE schema_migrations (version INTEGER "
                                             "PRIMARY KEY, description TEXT NOT NULL, "
                                             "applied_at INTEGER NOT NULL)")),
                     QString());
            for (const auto &m : store::migrations()) {
                if (m.version > from)
                    break;
                for (const auto &statement : m.statements)
                    QCOMPARE(exec(db, statement), QString());
                QCOMPARE(exec(db, QStringLiteral("INSERT INTO schema_migrations VALUES (%1, "
                                                 "'old', 0)")
                                      .arg(m.version)),
                         QString());
                for (const auto &row : kRowsOfVersion.at(m.version - 1)())
                    QCOMPARE(exec(db, row), QString());
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old"));

        auto opened = store::Store::open(QStringLiteral("sqlite:") + file);
        QVERIFY2(opened, qPrintable(testing::why(opened)));
        const auto store = *std::move(opened);
        QCOMPARE(store->schemaVersion(), store::Store::latestSchemaVersion());

        // Version 1's rows.
        const auto good = store->releases().find(1);
        const auto bad = store->releases().find(2);
        QVERIFY(good && bad);
        QCOMPARE(good->version, QStringLiteral("v1"));
        QCOMPARE(good->artifact, QStringLiteral("registry/api:v1"));
        QCOMPARE(good->state, ReleaseState::Verified);
        QCOMPARE(good->verifiedAtMs, qint64(2000));
        QCOMPARE(bad->state, ReleaseState::RolledBack);
        QCOMPARE(bad->previousId, qint64(1));
        QCOMPARE(bad->pipeline, QStringLiteral("build 8"));
        QVERIFY(bad->freezeOverride.isEmpty());
        QCOMPARE(*store->releases().currentId(QStringLiteral("api")), qint64(1));
        QCOMPARE(store->releases().lastVerified(QStringLiteral("api"), 2)->id, qint64(1));
        const auto firings = store->firings().list({QStringLiteral("api")}, 0, 10000, 10);
        QCOMPARE(firings.size(), 1);
        QCOMPARE(firings.first().info.values.value(QLatin1String("error_rate(health, 5s)")),
                 QJsonValue(0.25));
        QCOMPARE(firings.first().resolvedAtMs, qint64(3800));

        const auto rb = store->rollbacks().find(1);
        QVERIFY(rb);
        QCOMPARE(rb->state, PlanState::Succeeded);
        QCOMPARE(rb->trigger, QStringLiteral("rule:errors"));
        QCOMPARE(rb->message, QStringLiteral("done"));
        QCOMPARE(rb->targets.size(), 1);
        QCOMPARE(rb->targets.first().fromVersion, QStringLiteral("v2"));
        QCOMPARE(rb->targets.first().toVersion, QStringLiteral("v1"));
        QCOMPARE(rb->steps.size(), 2);
        QCOMPARE(rb->steps.at(0).after, QList<int>());
        QCOMPARE(rb->steps.at(1).after, QList<int>{0}); // version 1 plans were sequential
        QVERIFY(!rb->steps.at(1).onFailure);
        QCOMPARE(rb->steps.at(1).message, QStringLiteral("3 healthy samples"));
        QCOMPARE(store->rollbacks().stepParams(1).first().value(QLatin1String("target")),
                 QJsonValue(QStringLiteral("green")));
        QCOMPARE(store->rollbacks().unfinished().size(), 0);
        QCOMPARE(store->rollbacks().countFrom(QStringLiteral("api"), 2), 1);

        // Version 2's rows, or its defaults for a store that had none.
        if (from >= 2) {
            QCOMPARE(bad->metadata.value(QLatin1String("revision")),
                     QJsonValue(QStringLiteral("42")));
            QCOMPARE(rb->rollbackClass, QStringLiteral("immediate"));
            QCOMPARE(rb->incidentId, qint64(1));
            const auto incident = store->incidents().find(1);
            QVERIFY(incident);
            QCOMPARE(incident->title, QStringLiteral("api errors after v2"));
            QVERIFY(!incident->open);
            QCOMPARE(incident->services, QStringList{QStringLiteral("api")});
            QCOMPARE(incident->rollbacks, QList<qint64>{1});
            QCOMPARE(incident->notes.size(), 1);
            QCOMPARE(incident->notes.first().text,
                     QStringLiteral("customers saw 500s for two minutes"));
            QCOMPARE(incident->logs.size(), 1);
            QCOMPARE(incident->logs.first().bytes, qint64(512));
            QVERIFY(store->freezes().active(QStringLiteral("api"), 5000));
            const auto snapshot = store->snapshots().find(QStringLiteral("db-r2"));
            QVERIFY(snapshot);
            QCOMPARE(snapshot->releaseId, qint64(2));
            QCOMPARE(snapshot->tables.value(QLatin1String("orders"))
                         .toObject()
                         .value(QLatin1String("rows")),
                     QJsonValue(3));
            const auto attempts = store->rollbacks().attempts(1);
            QCOMPARE(attempts.size(), 1);
            QCOMPARE(attempts.first().output, QStringLiteral("switched"));
        } else {
            QVERIFY(bad->metadata.isEmpty());
            QCOMPARE(rb->rollbackClass, QStringLiteral("fast"));
            QCOMPARE(rb->incidentId, qint64(0));
            QVERIFY(store->incidents().list(10).isEmpty());
            QVERIFY(!store->freezes().active(QStringLiteral("api"), 5000));
        }

        // Version 3's rows.
        if (from >= 3) {
            const auto alice = store->users().find(QStringLiteral("alice"));
            QVERIFY(alice);
            QVERIFY(alice->fromConfig);
            QCOMPARE(alice->roles.value(QLatin1String("*")).toArray().first(),
                     QJsonValue(QStringLiteral("approver")));
            QVERIFY(store->users().tokenByHash(QStringLiteral("deadbeef")));
            QCOMPARE(rb->approvals.size(), 1);
            QCOMPARE(rb->approvals.first().decision, QStringLiteral("approved"));
            const auto deliveries = store->deliveries().list(10);
            QCOMPARE(deliveries.size(), 1);
            QCOMPARE(deliveries.first().message, QStringLiteral("200 OK"));
        } else {
            QVERIFY(store->users().list().isEmpty());
            QVERIFY(rb->approvals.isEmpty());
        }
        auto entries = store->auditEntries().after(0, 100);
        QCOMPARE(entries.size(), from >= 3 ? 2 : 0);

        // Version 4: the verdict.
        if (from >= 4) {
            QCOMPARE(good->verification.state, QStringLiteral("verified"));
            QVERIFY(good->verification.final);
        } else {
            QVERIFY(good->verification.isEmpty());
        }
        QVERIFY(bad->verification.isEmpty());

        // The upgraded store takes the writes of today's daemon, and its audit chain goes on.
        protocol::ReleaseInfo r;
        r.service = QStringLiteral("api");
        r.version = QStringLiteral("v3");
        r.state = ReleaseState::Live;
        r.deployedAtMs = 5000;
        r.previousId = 1;
        const auto fresh = store->releases().insert(r, 5000);
        QVERIFY2(fresh, qPrintable(store->writeError()));
        QCOMPARE(fresh->id, qint64(3));
        protocol::VerificationInfo verdict;
        verdict.state = QStringLiteral("pending");
        verdict.releaseId = fresh->id;
        QVERIFY(store->releases().setVerification(fresh->id, verdict, 5001));
        QCOMPARE(store->releases().find(fresh->id)->verification.state, QStringLiteral("pending"));
        audit::Entry next;
        next.id = entries.size() + 1;
        next.atMs = 5000;
        next.actor = QStringLiteral("ci");
        next.action = QStringLiteral("deployment_recorded");
        next.prevHash = entries.isEmpty() ? audit::genesis() : entries.last().hash;
        next.hash = audit::hashOf(next);
        QVERIFY(store->auditEntries().insert(next));
        entries = store->auditEntries().after(0, 100);
        const auto verified = audit::verify(entries, audit::genesis());
        QVERIFY2(verified, qPrintable(verified ? QString() : verified.error().problem));
    }

    // A write refused to one aggregate makes the whole store unwritable, whichever aggregate is
    // asked, until a write to any of them succeeds.
    void oneWriteStateForEveryAggregate()
    {
        auto opened = store::Store::open(url(QStringLiteral("writestate.db")));
        QVERIFY2(opened, qPrintable(testing::why(opened)));
        const auto store = *std::move(opened);
        QVERIFY(store->writable());
        audit::Entry e;
        e.id = 1;
        e.atMs = 1000;
        e.actor = QStringLiteral("rewind");
        e.action = QStringLiteral("test");
        QVERIFY(store->auditEntries().insert(e));
        QVERIFY(!store->auditEntries().insert(e)); // the same id again: refused
        QVERIFY(!store->writable());
        QVERIFY(!store->writeError().isEmpty());
        QVERIFY(!store->releases().writable());
        QCOMPARE(store->deliveries().writeError(), store->writeError());

        protocol::FiringInfo f;
        f.rule = QStringLiteral("errors");
        f.service = QStringLiteral("api");
        f.sinceMs = 2000;
        QVERIFY(store->firings().insert(f) > 0);
        QVERIFY(store->writable());
        QVERIFY(store->auditEntries().writable());
        QVERIFY(store->auditEntries().writeError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
