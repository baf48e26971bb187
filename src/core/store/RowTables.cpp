#include "store/RowTables.h"

namespace gpudeck::RowTables {

using K = FieldKind;

const RowTable &connections()
{
    static const RowTable table("connections", "connections",
                                {{"id", "id", K::Integer},
                                 {"name", "name", K::Text},
                                 {"hostname", "hostname", K::Text},
                                 {"username", "username", K::Text},
                                 {"ssh_key_path", "ssh_key_path", K::TextOrNull},
                                 {"port", "port", K::Int32},
                                 {"kind", "kind", K::Text},
                                 {"auth_method", "auth_method", K::Text},
                                 {"mac_address", "mac_address", K::MacOrNull},
                                 {"watch", "watch", K::Bool},
                                 {"wol_broadcast", "wol_broadcast", K::TextOrNull},
                                 {"wol_port", "wol_port", K::Int32},
                                 {"proxmox_token_id", "proxmox_token_id", K::TextOrNull},
                                 {"proxmox_api_port", "proxmox_api_port", K::Int32},
                                 {"proxmox_fingerprint", "proxmox_fingerprint", K::TextOrNull},
                                 {"runpod_pod_id", "runpod_pod_id", K::TextOrNull},
                                 {"is_active", "is_active", K::Bool},
                                 {"last_connected_at", "last_connected_at", K::TimeOrNull},
                                 {"created_at", "created_at", K::TimeOrNull},
                                 {"updated_at", "updated_at", K::TimeOrNull}});
    return table;
}

const RowTable &projects()
{
    static const RowTable table("projects", "projects",
                                {{"id", "id", K::Integer},
                                 {"connection_id", "connection_id", K::Integer},
                                 {"name", "name", K::Text},
                                 {"description", "description", K::Text},
                                 {"project_type", "project_type", K::Text},
                                 {"remote_path", "remote_path", K::Text},
                                 {"status", "status", K::Text},
                                 {"backend", "backend", K::Text},
                                 {"config", "config", K::JsonObject},
                                 {"local_path", "local_path", K::Text},
                                 {"extra_files", "extra_files", K::JsonStringArray},
                                 {"created_at", "created_at", K::Time},
                                 {"updated_at", "updated_at", K::Time}});
    return table;
}

const RowTable &jobs()
{
    static const RowTable table("jobs", "training_jobs",
                                {{"id", "id", K::Integer},
                                 {"project_id", "project_id", K::Integer},
                                 {"name", "name", K::Text},
                                 {"model_name", "model_name", K::Text},
                                 {"status", "status", K::Text},
                                 {"config", "config", K::JsonObject},
                                 {"metrics", "metrics", K::JsonObject},
                                 {"container_id", "container_id", K::TextOrNull},
                                 {"started_at", "started_at", K::TimeOrNull},
                                 {"completed_at", "completed_at", K::TimeOrNull},
                                 {"created_at", "created_at", K::Time},
                                 {"command", "command", K::Text},
                                 {"working_dir", "working_dir", K::Text},
                                 {"env", "env", K::JsonObject},
                                 {"exit_code", "exit_code", K::Int32OrNull},
                                 {"status_reason", "status_reason", K::TextOrNull},
                                 {"backend", "backend", K::TextOrNull},
                                 {"attempt", "attempt", K::Int32},
                                 {"on_end", "on_end", K::Text},
                                 {"sync_before_start", "sync_before_start", K::IntFlag},
                                 {"on_end_result", "on_end_result", K::JsonObjectOrNull}});
    return table;
}

const RowTable &jobAttempts()
{
    static const RowTable table("job attempts", "job_attempts",
                                {{"attempt", "attempt", K::Int32},
                                 {"backend", "backend", K::Text},
                                 {"host_dir", "host_dir", K::Text},
                                 {"session", "session", K::Text},
                                 {"container_id", "container_id", K::TextOrNull},
                                 {"started_at", "started_at", K::TimeOrNull},
                                 {"ended_at", "ended_at", K::TimeOrNull},
                                 {"status", "status", K::AttemptStatus, "ended_at"},
                                 {"exit_code", "exit_code", K::Int32OrNull},
                                 {"status_reason", "status_reason", K::TextOrNull}});
    return table;
}

const RowTable &alerts()
{
    static const RowTable table("alerts", "alerts",
                                {{"id", "id", K::Integer},
                                 {"connection_id", "connection_id", K::IdOrNull},
                                 {"connection_name", "connection_name", K::Text},
                                 {"gpu_index", "gpu_index", K::Int32OrNullBelow0},
                                 {"kind", "kind", K::Text},
                                 {"severity", "severity", K::Text},
                                 {"message", "message", K::Text},
                                 {"value", "value", K::Double},
                                 {"threshold", "threshold", K::Double},
                                 {"active", "ended_at", K::NotTime},
                                 {"started_at", "started_at", K::Time},
                                 {"ended_at", "ended_at", K::TimeOrNull},
                                 {"end_reason", "end_reason", K::TextOrNull}});
    return table;
}

const RowTable &execLog()
{
    static const RowTable table("the audit log", "exec_log",
                                {{"id", "id", K::Integer},
                                 {"connection_id", "connection_id", K::IdOrNull},
                                 {"connection_name", "connection_name", K::Text},
                                 {"caller", "caller", K::Text},
                                 {"command", "command", K::Text},
                                 {"outcome", "outcome", K::Text},
                                 {"exit_code", "exit_code", K::Int32OrNull},
                                 {"duration_ms", "duration_ms", K::Integer},
                                 {"forced", "forced", K::Bool},
                                 {"created_at", "created_at", K::Time}});
    return table;
}

const RowTable &audit()
{
    static const RowTable table("the audit log", "audit_log",
                                {{"id", "id", K::Integer},
                                 {"created_at", "created_at", K::Time},
                                 {"origin", "origin", K::Text},
                                 {"method", "method", K::Text},
                                 {"route", "route", K::Text},
                                 {"target", "target", K::TextOrNull},
                                 {"status", "status", K::PositiveInt32OrNull},
                                 {"outcome", "outcome", K::Text},
                                 {"fields", "fields", K::CsvStringArray}});
    return table;
}

QList<QPair<const RowTable *, QString>> schemaNames()
{
    return {{&connections(), QStringLiteral("Connection")},
            {&projects(), QStringLiteral("Project")},
            {&jobs(), QStringLiteral("Job")},
            {&jobAttempts(), QStringLiteral("JobAttempt")},
            {&alerts(), QStringLiteral("Alert")},
            {&execLog(), QStringLiteral("ExecLogEntry")},
            {&audit(), QStringLiteral("AuditEntry")}};
}

} // namespace gpudeck::RowTables
