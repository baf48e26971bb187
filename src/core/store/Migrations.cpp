#include "store/Migrations.h"

namespace gpudeck {

const QList<QStringList> &migrations()
{
    static const QList<QStringList> steps = {
        // 1: the tables of the first release.
        {
            QStringLiteral(R"(CREATE TABLE connections (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                hostname TEXT NOT NULL,
                username TEXT NOT NULL DEFAULT '',
                ssh_key_path TEXT,
                port INTEGER NOT NULL DEFAULT 22,
                is_active INTEGER NOT NULL DEFAULT 0,
                last_connected_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))"),
            QStringLiteral(R"(CREATE TABLE projects (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                project_type TEXT NOT NULL DEFAULT 'other',
                remote_path TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'active',
                config TEXT NOT NULL DEFAULT '{}',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX idx_projects_connection ON projects(connection_id)"),
            QStringLiteral(R"(CREATE TABLE training_jobs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                model_name TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'pending',
                config TEXT NOT NULL DEFAULT '{}',
                metrics TEXT NOT NULL DEFAULT '{}',
                container_id TEXT,
                started_at TEXT,
                completed_at TEXT,
                created_at TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX idx_jobs_project ON training_jobs(project_id)"),
            QStringLiteral(R"(CREATE TABLE gpu_metrics (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                gpu_index INTEGER NOT NULL DEFAULT 0,
                gpu_utilization REAL,
                memory_used_mb REAL,
                memory_total_mb REAL,
                temperature_c REAL,
                power_watts REAL,
                recorded_at TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX idx_metrics_connection_time ON gpu_metrics(connection_id, recorded_at)"),
        },
        // 2: what a connection needs beyond an address: its kind, how it authenticates, a MAC for Wake-on-LAN.
        {
            QStringLiteral("ALTER TABLE connections ADD COLUMN kind TEXT NOT NULL DEFAULT 'generic'"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'agent'"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN mac_address TEXT"),
            QStringLiteral("UPDATE connections SET auth_method = 'key' WHERE ssh_key_path IS NOT NULL AND ssh_key_path <> ''"),
        },
        // 3: the audit log of every command run on a host. connection_name is kept so the log survives the
        // connection's deletion (no foreign key on purpose).
        {
            QStringLiteral(R"(CREATE TABLE exec_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection_id INTEGER,
                connection_name TEXT NOT NULL,
                caller TEXT NOT NULL,
                command TEXT NOT NULL,
                outcome TEXT NOT NULL,
                exit_code INTEGER,
                duration_ms INTEGER,
                forced INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX idx_exec_log_connection ON exec_log(connection_id, id)"),
        },
    };
    return steps;
}

} // namespace gpudeck
