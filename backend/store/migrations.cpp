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
    };
    return all;
}

} // namespace rwd::store
