#include "store/Migrations.h"

#include "store/MetricRepository.h"

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
            QStringLiteral(
                "UPDATE connections SET auth_method = 'key' WHERE ssh_key_path IS NOT NULL AND ssh_key_path <> ''"),
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
        // 4: GPU metrics in tiers. Times become integer milliseconds since the epoch (UTC): a week of 1 s
        // samples is millions of rows, and integer keys make them half the size and range scans fast. The
        // clustered key (connection, time, gpu) serves "all GPUs of one host over a time range" directly.
        // The schema-1 gpu_metrics table never held data (no collector existed), so it is replaced.
        {
            QStringLiteral("DROP TABLE gpu_metrics"),
            QStringLiteral(R"(CREATE TABLE gpu_metrics (
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                recorded_at INTEGER NOT NULL,
                gpu_index INTEGER NOT NULL,
                gpu_utilization REAL,
                memory_used_mb REAL,
                memory_total_mb REAL,
                temperature_c REAL,
                power_watts REAL,
                PRIMARY KEY (connection_id, recorded_at, gpu_index)) WITHOUT ROWID)"),
            QStringLiteral(R"(CREATE TABLE gpu_metrics_1m (
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                bucket INTEGER NOT NULL,
                gpu_index INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                util_min REAL, util_avg REAL, util_max REAL,
                mem_min REAL, mem_avg REAL, mem_max REAL, mem_total REAL,
                temp_min REAL, temp_avg REAL, temp_max REAL,
                power_min REAL, power_avg REAL, power_max REAL,
                PRIMARY KEY (connection_id, bucket, gpu_index)) WITHOUT ROWID)"),
            QStringLiteral(R"(CREATE TABLE gpu_metrics_1h (
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                bucket INTEGER NOT NULL,
                gpu_index INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                util_min REAL, util_avg REAL, util_max REAL,
                mem_min REAL, mem_avg REAL, mem_max REAL, mem_total REAL,
                temp_min REAL, temp_avg REAL, temp_max REAL,
                power_min REAL, power_avg REAL, power_max REAL,
                PRIMARY KEY (connection_id, bucket, gpu_index)) WITHOUT ROWID)"),
            QStringLiteral("CREATE TABLE metric_rollups (tier TEXT PRIMARY KEY, done_until INTEGER NOT NULL)"),
            QStringLiteral(R"(CREATE TABLE alerts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
                connection_name TEXT NOT NULL,
                gpu_index INTEGER,
                kind TEXT NOT NULL,
                severity TEXT NOT NULL,
                message TEXT NOT NULL,
                value REAL,
                threshold REAL,
                started_at TEXT NOT NULL,
                ended_at TEXT))"),
            QStringLiteral("CREATE INDEX idx_alerts_open ON alerts(ended_at, connection_id)"),
            QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        },
        // 5: jobs GPU Deck runs itself: what to run and where, how it ended, its metric series; projects name
        // the backend (tmux on the connection, or a Slurm cluster whose login node the connection is).
        {
            QStringLiteral("ALTER TABLE projects ADD COLUMN backend TEXT NOT NULL DEFAULT 'tmux'"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN command TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN working_dir TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN env TEXT NOT NULL DEFAULT '{}'"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN exit_code INTEGER"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN status_reason TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN backend TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("CREATE INDEX idx_jobs_status ON training_jobs(status)"),
            QStringLiteral(R"(CREATE TABLE job_metrics (
                job_id INTEGER NOT NULL REFERENCES training_jobs(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                recorded_at TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (job_id, seq)) WITHOUT ROWID)"),
        },
        // 6: this install's instance id, made once with the database: every name GPU Deck creates on a host and
        // every secret it keeps carries it, so two installs sharing a host account or a keychain never collide.
        // 48 random bits from SQLite's generator (seeded from the OS), as 12 lowercase hex digits.
        {
            QStringLiteral("CREATE TABLE instance (id INTEGER PRIMARY KEY CHECK (id = 1), instance_id TEXT NOT NULL)"),
            QStringLiteral("INSERT INTO instance (id, instance_id) VALUES (1, lower(hex(randomblob(6))))"),
        },
        // 7: a job can run again. `attempt` counts its runs; each run is a row in job_attempts with the folder and the
        // session (or Slurm job name) it has on the host, so a job is always found under the name it was started with.
        // Jobs launched before this step ran under the old names (~/.gpudeck/jobs/<id>, gpudeck-job-<id>): they become
        // attempt 1 with those names, live when they may still run (running, or queued in Slurm).
        {
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral(R"(CREATE TABLE job_attempts (
                job_id INTEGER NOT NULL REFERENCES training_jobs(id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                backend TEXT NOT NULL,
                host_dir TEXT NOT NULL,
                session TEXT NOT NULL,
                container_id TEXT,
                started_at TEXT,
                ended_at TEXT,
                status TEXT NOT NULL DEFAULT '',
                exit_code INTEGER,
                status_reason TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (job_id, attempt)) WITHOUT ROWID)"),
            QStringLiteral(
                R"(INSERT INTO job_attempts (job_id, attempt, backend, host_dir, session, container_id, started_at,
                    ended_at, status, exit_code, status_reason)
                SELECT id, 1, backend, '$HOME/.gpudeck/jobs/' || id, 'gpudeck-job-' || id, container_id, started_at,
                    CASE WHEN status = 'running' OR (status = 'pending' AND backend = 'slurm' AND container_id IS NOT NULL)
                         THEN NULL ELSE COALESCE(completed_at, started_at, created_at) END,
                    CASE WHEN status IN ('completed', 'failed', 'cancelled') THEN status ELSE '' END,
                    exit_code, status_reason
                FROM training_jobs WHERE backend <> '')"),
            QStringLiteral("UPDATE training_jobs SET attempt = 1 WHERE backend <> ''"),
            QStringLiteral("ALTER TABLE job_metrics ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1"),
        },
        // 8: the audit log: every action taken through the window, the API or MCP, with its origin. Field names only,
        // never a body's values (AuditRepository).
        {
            QStringLiteral(R"(CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at TEXT NOT NULL,
                origin TEXT NOT NULL,
                method TEXT NOT NULL,
                route TEXT NOT NULL,
                target TEXT,
                status INTEGER,
                outcome TEXT NOT NULL,
                fields TEXT NOT NULL DEFAULT ''))"),
            QStringLiteral("CREATE INDEX audit_log_origin ON audit_log (origin, id)"),
        },
        // 9: the fleet stays watched: watch (connect at start, keep connected), Wake-on-LAN target, Proxmox API
        // token id (its secret is in the keychain), port and pinned certificate fingerprint.
        {
            QStringLiteral("ALTER TABLE connections ADD COLUMN watch INTEGER NOT NULL DEFAULT 1"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN wol_broadcast TEXT"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN wol_port INTEGER NOT NULL DEFAULT 9"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN proxmox_token_id TEXT"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN proxmox_api_port INTEGER NOT NULL DEFAULT 8006"),
            QStringLiteral("ALTER TABLE connections ADD COLUMN proxmox_fingerprint TEXT"),
        },
        // 10: what the daily status report tells of the last day and is not kept elsewhere: each change of a
        // connection's link state (when hosts went down and came back) and each finished model swap. Names are kept
        // so the history outlives a deleted connection (no foreign keys on purpose); both are pruned by age
        // (ReportService). The report also reads alerts and jobs by time, hence their indexes.
        {
            QStringLiteral(R"(CREATE TABLE link_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                connection_id INTEGER NOT NULL,
                connection_name TEXT NOT NULL,
                state TEXT NOT NULL,
                reason TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX idx_link_events_at ON link_events(at)"),
            QStringLiteral(R"(CREATE TABLE swap_history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                swap_id TEXT NOT NULL,
                host TEXT NOT NULL,
                model TEXT NOT NULL,
                previous TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL,
                error_step TEXT NOT NULL DEFAULT '',
                error TEXT NOT NULL DEFAULT '',
                restored INTEGER,
                started_at TEXT,
                finished_at TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX idx_swap_history_finished ON swap_history(finished_at)"),
            QStringLiteral("CREATE INDEX idx_alerts_started ON alerts(started_at)"),
            QStringLiteral("CREATE INDEX idx_jobs_completed ON training_jobs(completed_at)"),
        },
        // 11: a `runpod` connection remembers the RunPod pod it was made from, so a pod whose address moved (every
        // start) updates its connection instead of making another one. At most one connection per pod.
        {
            QStringLiteral("ALTER TABLE connections ADD COLUMN runpod_pod_id TEXT"),
            QStringLiteral("CREATE UNIQUE INDEX idx_connections_runpod_pod ON connections(runpod_pod_id) "
                           "WHERE runpod_pod_id IS NOT NULL"),
        },
        // 12: the cost guard: what happens to a job's RunPod pod when the job ends (on_end), what the guard did about
        // it (on_end_result, JSON), and syncing the project's files before each launch (sync_before_start).
        {
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN on_end TEXT NOT NULL DEFAULT 'none'"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN on_end_result TEXT NOT NULL DEFAULT '{}'"),
            QStringLiteral("ALTER TABLE training_jobs ADD COLUMN sync_before_start INTEGER NOT NULL DEFAULT 0"),
        },
        // 13: a project's files synced to its host (src/core/sync): the local git work tree and the extra files outside
        // git (named one by one, a JSON array of paths), and what was last synced to each (project, connection,
        // remote folder): the marker left on the host with that sync, and per file what was sent (size, mtime,
        // mode, content hash), so a re-sync sends only what changed and mirrors deletions. Gone with the project or
        // the connection.
        {
            QStringLiteral("ALTER TABLE projects ADD COLUMN local_path TEXT"),
            QStringLiteral("ALTER TABLE projects ADD COLUMN extra_files TEXT NOT NULL DEFAULT '[]'"),
            QStringLiteral(R"(CREATE TABLE sync_targets (
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                remote_path TEXT NOT NULL,
                marker TEXT NOT NULL,
                synced_at TEXT NOT NULL,
                PRIMARY KEY (project_id, connection_id, remote_path)) WITHOUT ROWID)"),
            QStringLiteral(R"(CREATE TABLE sync_manifest (
                project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                remote_path TEXT NOT NULL,
                path TEXT NOT NULL,
                kind TEXT NOT NULL,
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                mode INTEGER NOT NULL,
                hash TEXT NOT NULL,
                remote_mtime INTEGER NOT NULL,
                PRIMARY KEY (project_id, connection_id, remote_path, path)) WITHOUT ROWID)"),
        },
        // 14: an alert seen again is the same alert (AlertRepository::raise): alert_key says what makes it the same,
        // end_reason why it ended — cleared (the condition ended) or unseen (GPU Deck stopped looking: a closed link,
        // a restart), which a raise of the same key reopens. Older rows have neither and are never reopened.
        {
            QStringLiteral("ALTER TABLE alerts ADD COLUMN alert_key TEXT"),
            QStringLiteral("ALTER TABLE alerts ADD COLUMN end_reason TEXT"),
            QStringLiteral("UPDATE alerts SET end_reason = 'cleared' WHERE ended_at IS NOT NULL"),
            // job_ended alerts named the job where the host goes; the message names it too.
            QStringLiteral("UPDATE alerts SET connection_name = '' WHERE kind = 'job_ended' AND connection_id IS NULL"),
            QStringLiteral("CREATE INDEX idx_alerts_key ON alerts(alert_key, id)"),
        },
        // 15: the roll-up tiers keep per metric the sum and the count of the readings that were there (an [N/A] reading
        // counts in neither), so any bucket's average is SUM(sum) / SUM(n), exact across minutes with missing
        // readings (decision 139). Old rows only had an average over their readings: sum = avg * samples, n = samples.
        {
            QStringLiteral(R"(CREATE TABLE gpu_metrics_1m_v15 (
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                bucket INTEGER NOT NULL,
                gpu_index INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                util_min REAL, util_max REAL, util_sum REAL, util_n INTEGER NOT NULL DEFAULT 0,
                mem_min REAL, mem_max REAL, mem_sum REAL, mem_n INTEGER NOT NULL DEFAULT 0, mem_total REAL,
                temp_min REAL, temp_max REAL, temp_sum REAL, temp_n INTEGER NOT NULL DEFAULT 0,
                power_min REAL, power_max REAL, power_sum REAL, power_n INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (connection_id, bucket, gpu_index)) WITHOUT ROWID)"),
            QStringLiteral("INSERT INTO gpu_metrics_1m_v15 SELECT connection_id, bucket, gpu_index, samples, "
                           "util_min, util_max, util_avg * samples, CASE WHEN util_avg IS NULL THEN 0 ELSE samples "
                           "END, mem_min, mem_max, mem_avg * samples, CASE WHEN mem_avg IS NULL THEN 0 ELSE samples "
                           "END, mem_total, temp_min, temp_max, temp_avg * samples, CASE WHEN temp_avg IS NULL THEN 0 "
                           "ELSE samples END, power_min, power_max, power_avg * samples, CASE WHEN power_avg IS NULL "
                           "THEN 0 ELSE samples END FROM gpu_metrics_1m"),
            QStringLiteral("DROP TABLE gpu_metrics_1m"),
            QStringLiteral("ALTER TABLE gpu_metrics_1m_v15 RENAME TO gpu_metrics_1m"),
            QStringLiteral(R"(CREATE TABLE gpu_metrics_1h_v15 (
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                bucket INTEGER NOT NULL,
                gpu_index INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                util_min REAL, util_max REAL, util_sum REAL, util_n INTEGER NOT NULL DEFAULT 0,
                mem_min REAL, mem_max REAL, mem_sum REAL, mem_n INTEGER NOT NULL DEFAULT 0, mem_total REAL,
                temp_min REAL, temp_max REAL, temp_sum REAL, temp_n INTEGER NOT NULL DEFAULT 0,
                power_min REAL, power_max REAL, power_sum REAL, power_n INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (connection_id, bucket, gpu_index)) WITHOUT ROWID)"),
            QStringLiteral("INSERT INTO gpu_metrics_1h_v15 SELECT connection_id, bucket, gpu_index, samples, "
                           "util_min, util_max, util_avg * samples, CASE WHEN util_avg IS NULL THEN 0 ELSE samples "
                           "END, mem_min, mem_max, mem_avg * samples, CASE WHEN mem_avg IS NULL THEN 0 ELSE samples "
                           "END, mem_total, temp_min, temp_max, temp_avg * samples, CASE WHEN temp_avg IS NULL THEN 0 "
                           "ELSE samples END, power_min, power_max, power_avg * samples, CASE WHEN power_avg IS NULL "
                           "THEN 0 ELSE samples END FROM gpu_metrics_1h"),
            QStringLiteral("DROP TABLE gpu_metrics_1h"),
            QStringLiteral("ALTER TABLE gpu_metrics_1h_v15 RENAME TO gpu_metrics_1h"),
        },
        // 16: raw samples are stored as one compressed chunk per connection, GPU and minute (decision 140), converted
        // from the one-row-per-reading gpu_metrics table by migrationCode(16), which then drops that table.
        {
            QStringLiteral(R"(CREATE TABLE gpu_metric_chunks (
                connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
                minute INTEGER NOT NULL,
                gpu_index INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (connection_id, minute, gpu_index)) WITHOUT ROWID)"),
        },
    };
    return steps;
}

} // namespace gpudeck

namespace gpudeck {

MigrationCode migrationCode(int version)
{
    switch (version) {
    case 16:
        return &convertRawRowsToChunks;
    default:
        return nullptr;
    }
}

} // namespace gpudeck
