#include "migrations.h"

namespace rwd::store {

const QList<Migration> &migrations()
{
    // Times are milliseconds since the Unix epoch (UTC); 0/NULL means "not yet".
    static const QList<Migration> all{
        {1,
         QStringLiteral("releases, rollbacks with their steps, rule firings"),
         {
             QStringLiteral(R"(CREATE TABLE releases (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 service TEXT NOT NULL,
                 version TEXT NOT NULL,
                 artifact TEXT NOT NULL DEFAULT '',
                 target TEXT NOT NULL DEFAULT '',
                 state TEXT NOT NULL,
                 deployed_by TEXT NOT NULL DEFAULT '',
                 pipeline TEXT NOT NULL DEFAULT '',
                 deployed_at INTEGER NOT NULL,
                 verified_at INTEGER,
                 previous_id INTEGER REFERENCES releases(id),
                 updated_at INTEGER NOT NULL))"),
             QStringLiteral("CREATE INDEX releases_by_service ON releases(service, id)"),
             QStringLiteral(R"(CREATE TABLE service_state (
                 service TEXT PRIMARY KEY,
                 current_release_id INTEGER REFERENCES releases(id)))"),
             QStringLiteral(R"(CREATE TABLE firings (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 rule TEXT NOT NULL,
                 service TEXT NOT NULL,
                 severity TEXT NOT NULL,
                 action TEXT NOT NULL,
                 expression TEXT NOT NULL,
                 values_json TEXT NOT NULL,
                 fired_at INTEGER NOT NULL,
                 resolved_at INTEGER))"),
             QStringLiteral(R"(CREATE TABLE rollbacks (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 state TEXT NOT NULL,
                 trigger TEXT NOT NULL,
                 reason TEXT NOT NULL DEFAULT '',
                 requested_by TEXT NOT NULL DEFAULT '',
                 strategy TEXT NOT NULL DEFAULT '',
                 firing_id INTEGER REFERENCES firings(id),
                 created_at INTEGER NOT NULL,
                 finished_at INTEGER,
                 message TEXT NOT NULL DEFAULT ''))"),
             QStringLiteral(R"(CREATE TABLE rollback_targets (
                 rollback_id INTEGER NOT NULL REFERENCES rollbacks(id),
                 service TEXT NOT NULL,
                 from_release_id INTEGER REFERENCES releases(id),
                 to_release_id INTEGER REFERENCES releases(id),
                 PRIMARY KEY (rollback_id, service)))"),
             QStringLiteral(R"(CREATE TABLE rollback_steps (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 rollback_id INTEGER NOT NULL REFERENCES rollbacks(id),
                 idx INTEGER NOT NULL,
                 service TEXT NOT NULL,
                 kind TEXT NOT NULL,
                 description TEXT NOT NULL DEFAULT '',
                 params_json TEXT NOT NULL DEFAULT '{}',
                 state TEXT NOT NULL,
                 attempt INTEGER NOT NULL DEFAULT 0,
                 started_at INTEGER,
                 finished_at INTEGER,
                 message TEXT NOT NULL DEFAULT '',
                 UNIQUE (rollback_id, idx)))"),
         }},
        {2,
         QStringLiteral("plans as graphs of steps with attempts; freezes, snapshots, incidents, "
                        "preserved logs; release metadata"),
         {
             QStringLiteral("ALTER TABLE releases ADD COLUMN metadata_json TEXT NOT NULL "
                            "DEFAULT '{}'"),
             QStringLiteral("ALTER TABLE releases ADD COLUMN freeze_override TEXT NOT NULL "
                            "DEFAULT ''"),
             QStringLiteral(R"(CREATE TABLE incidents (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 title TEXT NOT NULL,
                 services_json TEXT NOT NULL DEFAULT '[]',
                 severity TEXT NOT NULL DEFAULT '',
                 opened_at INTEGER NOT NULL,
                 closed_at INTEGER))"),
             QStringLiteral(R"(CREATE TABLE incident_notes (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 incident_id INTEGER NOT NULL REFERENCES incidents(id),
                 at INTEGER NOT NULL,
                 author TEXT NOT NULL DEFAULT '',
                 kind TEXT NOT NULL DEFAULT 'note',
                 text TEXT NOT NULL))"),
             QStringLiteral("ALTER TABLE rollbacks ADD COLUMN class TEXT NOT NULL DEFAULT 'fast'"),
             QStringLiteral("ALTER TABLE rollbacks ADD COLUMN incident_id INTEGER "
                            "REFERENCES incidents(id)"),
             QStringLiteral("ALTER TABLE rollback_targets ADD COLUMN strategy TEXT NOT NULL "
                            "DEFAULT ''"),
             QStringLiteral("ALTER TABLE rollback_targets ADD COLUMN after_json TEXT NOT NULL "
                            "DEFAULT '[]'"),
             QStringLiteral("ALTER TABLE rollback_steps ADD COLUMN executor TEXT NOT NULL "
                            "DEFAULT ''"),
             QStringLiteral("ALTER TABLE rollback_steps ADD COLUMN after_json TEXT NOT NULL "
                            "DEFAULT '[]'"),
             QStringLiteral("ALTER TABLE rollback_steps ADD COLUMN on_failure INTEGER NOT NULL "
                            "DEFAULT 0"),
             // Plans of schema 1 ran their steps one after another.
             QStringLiteral("UPDATE rollback_steps SET after_json = '[' || (idx - 1) || ']' "
                            "WHERE idx > 0"),
             QStringLiteral(R"(CREATE TABLE step_attempts (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 step_id INTEGER NOT NULL REFERENCES rollback_steps(id),
                 attempt INTEGER NOT NULL,
                 started_at INTEGER NOT NULL,
                 finished_at INTEGER,
                 outcome TEXT NOT NULL,
                 message TEXT NOT NULL DEFAULT '',
                 output TEXT NOT NULL DEFAULT ''))"),
             QStringLiteral(
                 "CREATE INDEX step_attempts_by_step ON step_attempts(step_id, attempt)"),
             QStringLiteral(R"(CREATE TABLE freezes (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 service TEXT NOT NULL,
                 reason TEXT NOT NULL DEFAULT '',
                 rollback_id INTEGER REFERENCES rollbacks(id),
                 started_at INTEGER NOT NULL,
                 until_at INTEGER NOT NULL))"),
             QStringLiteral("CREATE INDEX freezes_by_service ON freezes(service, until_at)"),
             QStringLiteral(R"(CREATE TABLE snapshots (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 name TEXT NOT NULL UNIQUE,
                 service TEXT NOT NULL,
                 executor TEXT NOT NULL,
                 reason TEXT NOT NULL DEFAULT '',
                 path TEXT NOT NULL,
                 size_bytes INTEGER NOT NULL,
                 sha256 TEXT NOT NULL,
                 tables_json TEXT NOT NULL DEFAULT '{}',
                 rollback_id INTEGER REFERENCES rollbacks(id),
                 release_id INTEGER REFERENCES releases(id),
                 created_at INTEGER NOT NULL,
                 pruned_at INTEGER))"),
             QStringLiteral(R"(CREATE TABLE preserved_logs (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 incident_id INTEGER REFERENCES incidents(id),
                 rollback_id INTEGER REFERENCES rollbacks(id),
                 service TEXT NOT NULL,
                 source TEXT NOT NULL,
                 path TEXT NOT NULL,
                 bytes INTEGER NOT NULL,
                 truncated INTEGER NOT NULL DEFAULT 0,
                 created_at INTEGER NOT NULL))"),
         }},
        {3,
         QStringLiteral("users, tokens and sessions; approvals; the hash-chained audit log; "
                        "notification deliveries"),
         {
             QStringLiteral(R"(CREATE TABLE users (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 name TEXT NOT NULL UNIQUE,
                 password_hash TEXT NOT NULL DEFAULT '',
                 roles_json TEXT NOT NULL DEFAULT '{}',
                 from_config INTEGER NOT NULL DEFAULT 0,
                 created_at INTEGER NOT NULL,
                 disabled_at INTEGER))"),
             QStringLiteral(R"(CREATE TABLE tokens (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 user_id INTEGER NOT NULL REFERENCES users(id),
                 kind TEXT NOT NULL,
                 name TEXT NOT NULL DEFAULT '',
                 hash TEXT NOT NULL UNIQUE,
                 created_at INTEGER NOT NULL,
                 expires_at INTEGER,
                 revoked_at INTEGER,
                 last_used_at INTEGER))"),
             QStringLiteral(R"(CREATE TABLE approvals (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 rollback_id INTEGER NOT NULL REFERENCES rollbacks(id),
                 user TEXT NOT NULL,
                 decision TEXT NOT NULL,
                 comment TEXT NOT NULL DEFAULT '',
                 at INTEGER NOT NULL,
                 UNIQUE (rollback_id, user)))"),
             QStringLiteral(R"(CREATE TABLE audit (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 at INTEGER NOT NULL,
                 actor TEXT NOT NULL,
                 source TEXT NOT NULL DEFAULT '',
                 action TEXT NOT NULL,
                 target TEXT NOT NULL DEFAULT '',
                 details_json TEXT NOT NULL DEFAULT '{}',
                 prev_hash TEXT NOT NULL,
                 hash TEXT NOT NULL))"),
             QStringLiteral(R"(CREATE TABLE deliveries (
                 id INTEGER PRIMARY KEY AUTOINCREMENT,
                 notifier TEXT NOT NULL,
                 type TEXT NOT NULL,
                 event TEXT NOT NULL,
                 event_seq INTEGER NOT NULL DEFAULT 0,
                 rollback_id INTEGER,
                 state TEXT NOT NULL,
                 attempts INTEGER NOT NULL DEFAULT 0,
                 created_at INTEGER NOT NULL,
                 finished_at INTEGER,
                 message TEXT NOT NULL DEFAULT ''))"),
         }},
        {4,
         QStringLiteral("the verdict of each release's verification"),
         {
             QStringLiteral("ALTER TABLE releases ADD COLUMN verification_json TEXT NOT NULL "
                            "DEFAULT ''"),
         }},
    };
    return all;
}

} // namespace rwd::store
