// The SQLite store: schema created and migrated by Rewind, refusal of a newer schema, the
// history the daemon writes read back intact after reopening, and one write state for all of
// its aggregates.
#include "store/migrations.h"
#include "store/store.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rwd;

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
        QString error;
        auto store = store::Store::open(url(QStringLiteral("fresh/rewind.db")), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->schemaVersion(), store::Store::latestSchemaVersion());
        QCOMPARE(store::Store::latestSchemaVersion(), int(store::migrations().size()));
    }

    void refusesUnsupportedUrlsAndNewerSchemas()
    {
        QString error;
        QVERIFY(!store::Store::open(QStringLiteral("postgres://x"), &error));
        QVERIFY(error.contains(QStringLiteral("unsupported store")));
        {
            auto store = store::Store::open(url(QStringLiteral("newer.db")), &error);
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
        error.clear();
        QVERIFY(!store::Store::open(url(QStringLiteral("newer.db")), &error));
        QVERIFY2(error.contains(QStringLiteral("schema version 999")), qPrintable(error));
    }

    void keepsHistoryAcrossReopen()
    {
        const auto path = url(QStringLiteral("history.db"));
        QString error;
        qint64 goodId = 0;
        qint64 badId = 0;
        qint64 rollbackId = 0;
        {
            auto store = store::Store::open(path, &error);
            QVERIFY(store);
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
        auto store = store::Store::open(path, &error);
        QVERIFY(store);
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

    // A write refused to one aggregate makes the whole store unwritable, whichever aggregate is
    // asked, until a write to any of them succeeds.
    void oneWriteStateForEveryAggregate()
    {
        QString error;
        auto store = store::Store::open(url(QStringLiteral("writestate.db")), &error);
        QVERIFY2(store, qPrintable(error));
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
