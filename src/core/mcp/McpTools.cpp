#include "mcp/McpTools.h"

#include "api/ApiDescription.h"
#include "api/Router.h"

#include <QJsonDocument>

namespace gpudeck {
namespace {

using Kind = McpTools::Kind;

QJsonObject schemaType(const QString &type)
{
    return QJsonObject{{QStringLiteral("type"), type}};
}

// A path parameter as an argument: the route reads it from the path, so a number and its digits as a string are
// the same; a connection also takes its unique name.
QJsonObject pathArgument(const QJsonObject &parameter)
{
    const QJsonObject schema = parameter.value(QStringLiteral("schema")).toObject();
    const QString description = parameter.value(QStringLiteral("description")).toString();
    QJsonObject out;
    if (schema.value(QStringLiteral("type")).toString() == QStringLiteral("integer")) {
        out.insert(QStringLiteral("type"), QJsonArray{QStringLiteral("integer"), QStringLiteral("string")});
        out.insert(QStringLiteral("minimum"), 1);
        out.insert(QStringLiteral("pattern"), QStringLiteral("^[0-9]+$"));
    } else {
        out.insert(QStringLiteral("type"), QJsonArray{QStringLiteral("string"), QStringLiteral("integer")});
        out.insert(QStringLiteral("minLength"), 1);
    }
    if (!description.isEmpty()) {
        out.insert(QStringLiteral("description"), description);
    }
    return out;
}

// A query parameter as an argument: a flag (the route reads true/1/yes) is a boolean; a number may come as a
// number or its digits; anything else as the description has it.
QJsonObject queryArgument(const QJsonObject &parameter)
{
    QJsonObject schema = parameter.value(QStringLiteral("schema")).toObject();
    const QJsonArray values = schema.value(QStringLiteral("enum")).toArray();
    const QString type = schema.value(QStringLiteral("type")).toString();
    if (values.contains(QStringLiteral("true")) || type == QStringLiteral("boolean")) {
        schema = schemaType(QStringLiteral("boolean"));
    } else if (type == QStringLiteral("integer") || type == QStringLiteral("number")) {
        schema.insert(QStringLiteral("type"), QJsonArray{type, QStringLiteral("string")});
    }
    const QString description = parameter.value(QStringLiteral("description")).toString();
    if (!description.isEmpty()) {
        schema.insert(QStringLiteral("description"), description.trimmed());
    }
    return schema;
}

// The body schema's properties and required fields, through one level of allOf.
void bodyProperties(const QJsonObject &schema, QJsonObject &properties, QStringList &required)
{
    const QJsonObject own = schema.value(QStringLiteral("properties")).toObject();
    for (auto it = own.begin(); it != own.end(); ++it) {
        properties.insert(it.key(), it.value());
    }
    for (const QJsonValue &r : schema.value(QStringLiteral("required")).toArray()) {
        if (!required.contains(r.toString())) {
            required.append(r.toString());
        }
    }
    for (const QJsonValue &part : schema.value(QStringLiteral("allOf")).toArray()) {
        bodyProperties(part.toObject(), properties, required);
    }
}

QJsonObject dryRunSchema()
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("description"),
         QStringLiteral("A dry run (no \"confirm\": true): nothing was done; what would be done instead.")},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("dry_run"), QJsonObject{{QStringLiteral("const"), true}}},
                     {QStringLiteral("would"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("dry_run")}}};
}

// MCP asks for an object: an array answer is wrapped as {"items": [...]}, no answer (204) is {"ok": true}.
QJsonObject outputSchema(const QJsonObject &response)
{
    if (response.isEmpty()) {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                           {QStringLiteral("properties"),
                            QJsonObject{{QStringLiteral("ok"), QJsonObject{{QStringLiteral("const"), true}}}}},
                           {QStringLiteral("required"), QJsonArray{QStringLiteral("ok")}}};
    }
    if (response.value(QStringLiteral("type")).toString() == QStringLiteral("array")) {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                           {QStringLiteral("properties"), QJsonObject{{QStringLiteral("items"), response}}},
                           {QStringLiteral("required"), QJsonArray{QStringLiteral("items")}}};
    }
    QJsonObject out = response;
    out.insert(QStringLiteral("type"), QStringLiteral("object"));
    return out;
}

// What a tool answers for a route's text answer (see McpTools::result).
QJsonObject textAnswerSchema(const QStringList &types)
{
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("description"),
         QStringLiteral("A text answer (the format asked for): the text itself is also the call's content.")},
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("content_type"),
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("string")},
                                  {QStringLiteral("examples"), QJsonArray::fromStringList(types)}}},
                     {QStringLiteral("text"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}},
        {QStringLiteral("required"), QJsonArray{QStringLiteral("content_type"), QStringLiteral("text")}},
        {QStringLiteral("additionalProperties"), false}};
}

QString argumentText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (d == double(qint64(d))) {
            return QString::number(qint64(d));
        }
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String:
        return v.toString();
    default:
        return {};
    }
}

QJsonObject textResult(const QByteArray &json, bool isError)
{
    return QJsonObject{
        {QStringLiteral("content"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                           {QStringLiteral("text"), QString::fromUtf8(json)}}}},
        {QStringLiteral("isError"), isError}};
}

} // namespace

const QList<McpTools::Spec> &McpTools::specs()
{
    // clang-format off
    static const QList<Spec> specs{
        // The fleet and its hosts
        {QStringLiteral("fleet"), QStringLiteral("Fleet overview"),
         QStringLiteral("Everything at once, in one call: every connection with its link state, each GPU's utilisation, "
                        "memory, temperature and processes with a 'free' verdict, running jobs, the served model and "
                        "its health, and active alerts. Start here to find a host with a free GPU."),
         "GET", QStringLiteral("/api/dgx/fleet"), Kind::Read, true},
        {QStringLiteral("host_status"), QStringLiteral("Host status"),
         QStringLiteral("One connection's SSH link: state (connected, connecting, reconnecting, down, ...), since when, why, "
                        "and the host's identity. The connection is given by id or unique name."),
         "GET", QStringLiteral("/api/dgx/status/:id"), Kind::Read, true},
        {QStringLiteral("host_status_all"), QStringLiteral("Status of all active hosts"),
         QStringLiteral("The SSH link status of every active (connected or connecting) connection."),
         "GET", QStringLiteral("/api/dgx/status"), Kind::Read, true},
        {QStringLiteral("metrics_current"), QStringLiteral("Current GPU metrics"),
         QStringLiteral("A host's latest GPU sample: per GPU utilisation, memory used/total, temperature, power, SM clock "
                        "and processes, plus host memory and load."),
         "GET", QStringLiteral("/api/dgx/metrics/:id"), Kind::Read, true},
        {QStringLiteral("metrics_history"), QStringLiteral("GPU metrics history"),
         QStringLiteral("A host's GPU metrics over time (the last N hours, or a from/to range), from raw samples or "
                        "1-minute/1-hour roll-ups, at most max_points per GPU."),
         "GET", QStringLiteral("/api/dgx/metrics/:id/history"), Kind::Read, true},
        {QStringLiteral("alerts_list"), QStringLiteral("Alerts"),
         QStringLiteral("Alerts raised (GPU temperature, memory, host unreachable, job ended, swap failed, the cost "
                        "guard's pod stopped, pod idle and pod action failed), newest first; filter by connection or to "
                        "the still-active ones."),
         "GET", QStringLiteral("/api/dgx/alerts"), Kind::Read, true},
        {QStringLiteral("health"), QStringLiteral("API health"),
         QStringLiteral("Is GPU Deck's API up: its version and this install's instance id."),
         "GET", QStringLiteral("/api/health"), Kind::Read, true},

        {QStringLiteral("audit_log"), QStringLiteral("Audit log"),
         QStringLiteral("Every action taken through the GUI, the API or MCP, newest first, with its origin (gui, api, "
                        "mcp, or auto: GPU Deck on its own, e.g. the cost guard stopping a pod), route and outcome; "
                        "field names only, never values."),
         "GET", QStringLiteral("/api/dgx/audit"), Kind::Read, true},
        {QStringLiteral("report"), QStringLiteral("Status report"),
         QStringLiteral("The daily status report, now: what needs attention (active critical alerts, hosts down, failed "
                        "jobs and swaps, models and services down), the fleet (hosts, GPUs, models, services, running "
                        "jobs) and the last 24 hours (alerts raised and cleared, jobs ended with their outcome, model "
                        "swaps, hosts that went down and when they came back). format: json (default, structured), "
                        "markdown (a summary to read or mail) or html."),
         "GET", QStringLiteral("/api/dgx/report"), Kind::Read, true},

        // Connections
        {QStringLiteral("connections_list"), QStringLiteral("List connections"),
         QStringLiteral("Every connection (an SSH host GPU Deck knows), ordered by name."),
         "GET", QStringLiteral("/api/dgx/connections"), Kind::Read, true},
        {QStringLiteral("connection_get"), QStringLiteral("Get a connection"),
         QStringLiteral("One connection by id or unique name."),
         "GET", QStringLiteral("/api/dgx/connections/:id"), Kind::Read, true},
        {QStringLiteral("connection_create"), QStringLiteral("Create a connection"),
         QStringLiteral("Adds an SSH host (name, hostname, port, username, auth). Does not connect: use connect."),
         "POST", QStringLiteral("/api/dgx/connections"), Kind::Write, false},
        {QStringLiteral("connection_update"), QStringLiteral("Update a connection"),
         QStringLiteral("Changes a connection's fields (only those given)."),
         "PUT", QStringLiteral("/api/dgx/connections/:id"), Kind::Write, true},
        {QStringLiteral("connection_delete"), QStringLiteral("Delete a connection"),
         QStringLiteral("Deletes a connection and its stored secrets; with force also its projects and their jobs. "
                        "Destructive: without \"confirm\": true it only says what it would delete."),
         "DELETE", QStringLiteral("/api/dgx/connections/:id"), Kind::Destructive, true},
        {QStringLiteral("connection_set_credentials"), QStringLiteral("Set a connection's secrets"),
         QStringLiteral("Stores a connection's password or key passphrase in the system keychain (never in the database)."),
         "PUT", QStringLiteral("/api/dgx/connections/:id/credentials"), Kind::Write, true},
        {QStringLiteral("connection_forget_host_key"), QStringLiteral("Forget a host key"),
         QStringLiteral("Removes the host's trusted key from known_hosts, so the next connect shows the key again to be "
                        "accepted. Destructive: without \"confirm\": true it only says what it would do."),
         "POST", QStringLiteral("/api/dgx/connections/:id/forget-host-key"), Kind::Destructive, true},
        {QStringLiteral("import_ssh_config"), QStringLiteral("Import ~/.ssh/config"),
         QStringLiteral("Creates connections for the hosts of an ssh_config file (the user's by default); hosts already "
                        "known are skipped, aliases of one machine are imported once, and hosts reached through "
                        "ProxyJump or ProxyCommand are not imported (skipped says why)."),
         "POST", QStringLiteral("/api/dgx/connections/import"), Kind::Write, false},
        {QStringLiteral("connect"), QStringLiteral("Connect"),
         QStringLiteral("Opens (or reuses) the SSH session to a host and answers its link status. A new host key is "
                        "refused unless accept_fingerprint names it."),
         "POST", QStringLiteral("/api/dgx/connect/:id"), Kind::Write, true},
        {QStringLiteral("disconnect"), QStringLiteral("Disconnect"),
         QStringLiteral("Closes a host's SSH session (monitoring of it stops). Destructive: without \"confirm\": true it "
                        "only says what it would do."),
         "POST", QStringLiteral("/api/dgx/disconnect/:id"), Kind::Destructive, true},
        {QStringLiteral("wake"), QStringLiteral("Wake a host (Wake-on-LAN)"),
         QStringLiteral("Sends a sleeping host's Wake-on-LAN magic packet (repeated every few seconds) and, unless wait is "
                        "false, waits until its SSH port answers or timeout_s (default 180) passes; then connects it if "
                        "it is watched. Answers the outcome (awake, timeout, cancelled, sent), the time it took and "
                        "where the packets went. The connection needs a mac_address."),
         "POST", QStringLiteral("/api/dgx/wake/:id"), Kind::Write, false},
        {QStringLiteral("wake_all"), QStringLiteral("Wake all asleep hosts"),
         QStringLiteral("Wakes every watched host with a MAC address whose SSH link is not up, at once, and answers "
                        "each one's outcome (wait and timeout_s as for wake)."),
         "POST", QStringLiteral("/api/dgx/wake"), Kind::Write, false},
        {QStringLiteral("wakes_list"), QStringLiteral("Wakes in progress"),
         QStringLiteral("The wakes in progress: phase, time elapsed, deadline, packets sent and where."),
         "GET", QStringLiteral("/api/dgx/wake"), Kind::Read, true},
        {QStringLiteral("wake_cancel"), QStringLiteral("Stop waiting for a wake"),
         QStringLiteral("Stops waiting for a host's wake in progress (the waiting wake answers cancelled); packets "
                        "already sent stay sent."),
         "POST", QStringLiteral("/api/dgx/wake/:id/cancel"), Kind::Write, true},
        {QStringLiteral("connect_all"), QStringLiteral("Connect all"),
         QStringLiteral("Connects every host that is not connected yet, in parallel, and answers each host's outcome "
                        "(connected, already_connected, failed with the reason). A new host key is refused: connect "
                        "that host alone with accept_fingerprint."),
         "POST", QStringLiteral("/api/dgx/connections/connect-all"), Kind::Write, true},
        {QStringLiteral("disconnect_all"), QStringLiteral("Disconnect all"),
         QStringLiteral("Closes every host's SSH link (monitoring of every host stops; watched hosts stay disconnected "
                        "until connected again or GPU Deck restarts). Destructive: without \"confirm\": true it only "
                        "says what it would close."),
         "POST", QStringLiteral("/api/dgx/connections/disconnect-all"), Kind::Destructive, true},

        // Remote exec
        {QStringLiteral("exec"), QStringLiteral("Run a command"),
         QStringLiteral("Runs a shell command on a host and answers its exit code, stdout and stderr. A guard refuses "
                        "destructive patterns (rm -rf /, mkfs, ...) unless overridden. Every command is logged. "
                        "Destructive: without \"confirm\": true it only says what it would run."),
         "POST", QStringLiteral("/api/dgx/exec/:id"), Kind::Destructive, false},
        {QStringLiteral("exec_log"), QStringLiteral("Exec log"),
         QStringLiteral("The audit log of commands run on hosts (by the GUI, the API or MCP), newest first."),
         "GET", QStringLiteral("/api/dgx/exec/log"), Kind::Read, true},

        // Projects
        {QStringLiteral("projects_list"), QStringLiteral("List projects"),
         QStringLiteral("Every project, optionally of one connection (id or name)."),
         "GET", QStringLiteral("/api/dgx/projects"), Kind::Read, true},
        {QStringLiteral("project_get"), QStringLiteral("Get a project"),
         QStringLiteral("One project with its jobs."),
         "GET", QStringLiteral("/api/dgx/projects/:id"), Kind::Read, true},
        {QStringLiteral("project_create"), QStringLiteral("Create a project"),
         QStringLiteral("Creates a project (a group of jobs on a connection, with a remote path)."),
         "POST", QStringLiteral("/api/dgx/projects"), Kind::Write, false},
        {QStringLiteral("project_update"), QStringLiteral("Update a project"),
         QStringLiteral("Changes a project's fields (only those given)."),
         "PUT", QStringLiteral("/api/dgx/projects/:id"), Kind::Write, true},
        {QStringLiteral("project_delete"), QStringLiteral("Delete a project"),
         QStringLiteral("Deletes a project and its jobs' records. Destructive: without \"confirm\": true it only says "
                        "what it would delete."),
         "DELETE", QStringLiteral("/api/dgx/projects/:id"), Kind::Destructive, true},

        // Jobs
        {QStringLiteral("jobs_list"), QStringLiteral("List jobs"),
         QStringLiteral("Every job, optionally of one project or in one status."),
         "GET", QStringLiteral("/api/dgx/jobs"), Kind::Read, true},
        {QStringLiteral("job_get"), QStringLiteral("Get a job"),
         QStringLiteral("One job: status, command, timestamps, exit code, latest metrics."),
         "GET", QStringLiteral("/api/dgx/jobs/:id"), Kind::Read, true, {QStringLiteral("wait")}},
        {QStringLiteral("job_wait"), QStringLiteral("Wait for a job"),
         QStringLiteral("Waits until a job reaches a final state (completed, failed, cancelled) or `wait` seconds pass "
                        "(at most 600), whichever is first, and answers the job. Use instead of polling job_get."),
         "GET", QStringLiteral("/api/dgx/jobs/:id"), Kind::Read, true, {}, QStringLiteral("wait")},
        {QStringLiteral("job_create"), QStringLiteral("Create a job"),
         QStringLiteral("Creates a job in a project: tracked only, or with a command that job_start launches on the host. "
                        "On a RunPod pod, on_end stop_pod or terminate_pod has the cost guard stop or terminate the pod "
                        "when the job ends."),
         "POST", QStringLiteral("/api/dgx/jobs"), Kind::Write, false},
        {QStringLiteral("job_update"), QStringLiteral("Update a job"),
         QStringLiteral("Changes a job's fields (only those given), e.g. the status or metrics of a tracked job."),
         "PUT", QStringLiteral("/api/dgx/jobs/:id"), Kind::Write, true},
        {QStringLiteral("job_delete"), QStringLiteral("Delete a job"),
         QStringLiteral("Deletes a job's record. Destructive: without \"confirm\": true it only says what it would delete."),
         "DELETE", QStringLiteral("/api/dgx/jobs/:id"), Kind::Destructive, true},
        {QStringLiteral("job_start"), QStringLiteral("Start a job"),
         QStringLiteral("Launches a job's command on its host in a detached tmux session (it survives disconnects); "
                        "GPU Deck follows it and sets running/completed/failed itself."),
         "POST", QStringLiteral("/api/dgx/jobs/:id/start"), Kind::Write, false},
        {QStringLiteral("job_cancel"), QStringLiteral("Cancel a job"),
         QStringLiteral("Stops a running job (SIGTERM, then SIGKILL after grace_s). Destructive: without "
                        "\"confirm\": true it only says what it would interrupt."),
         "POST", QStringLiteral("/api/dgx/jobs/:id/cancel"), Kind::Destructive, true},
        {QStringLiteral("job_logs"), QStringLiteral("Job log"),
         QStringLiteral("The last `tail` lines of a job's log (of its latest attempt, or of `attempt`)."),
         "GET", QStringLiteral("/api/dgx/jobs/:id/logs"), Kind::Read, true, {QStringLiteral("follow")}},
        {QStringLiteral("job_attempts"), QStringLiteral("Job attempts"),
         QStringLiteral("Every run of a job, with its exit code, reason and timestamps."),
         "GET", QStringLiteral("/api/dgx/jobs/:id/attempts"), Kind::Read, true},
        {QStringLiteral("job_metrics"), QStringLiteral("Job metrics"),
         QStringLiteral("A job's reported metrics: the latest values and the series over time."),
         "GET", QStringLiteral("/api/dgx/jobs/:id/metrics"), Kind::Read, true},

        // Model serving
        {QStringLiteral("models_list"), QStringLiteral("Models"),
         QStringLiteral("The models of models.yaml per host, which one is served and its health."),
         "GET", QStringLiteral("/api/dgx/models"), Kind::Read, true},
        {QStringLiteral("services_list"), QStringLiteral("Services"),
         QStringLiteral("The other services of models.yaml (speech, embeddings, vector DB, ...) and whether each is up."),
         "GET", QStringLiteral("/api/dgx/services"), Kind::Read, true},
        {QStringLiteral("swap"), QStringLiteral("Swap the served model"),
         QStringLiteral("Stops the model a host serves and starts another (runs in the background; follow it with "
                        "swap_status). A model across hosts is swapped on all its hosts, and a host of one that is up "
                        "is not swapped alone (unit_member) unless stop_unit. On failure the previous model is "
                        "restored. Destructive: without "
                        "\"confirm\": true it only says which model would stop."),
         "POST", QStringLiteral("/api/dgx/models/swap"), Kind::Destructive, false},
        {QStringLiteral("swap_status"), QStringLiteral("Swap status"),
         QStringLiteral("One swap's progress and result."),
         "GET", QStringLiteral("/api/dgx/models/swap/:id"), Kind::Read, true},
        {QStringLiteral("swaps_list"), QStringLiteral("Recent swaps"),
         QStringLiteral("The recent swaps, newest first."),
         "GET", QStringLiteral("/api/dgx/models/swaps"), Kind::Read, true},
        {QStringLiteral("swap_cancel"), QStringLiteral("Cancel a swap"),
         QStringLiteral("Cancels a swap in progress (the previous model is restored). Destructive: without "
                        "\"confirm\": true it only says what it would cancel."),
         "POST", QStringLiteral("/api/dgx/models/swap/:id/cancel"), Kind::Destructive, true},
        {QStringLiteral("model_logs"), QStringLiteral("Model log"),
         QStringLiteral("The last `tail` lines of a model server's own log on its host (the model's `logs` command in "
                        "models.yaml, else what `logs_follow` prints first): what it printed while loading, why it "
                        "failed. Of a model across hosts, `host` picks whose log: the head's (the default) or a worker's."),
         "GET", QStringLiteral("/api/dgx/models/logs"), Kind::Read, true, {QStringLiteral("follow")}},

        // Proxmox VE clusters
        {QStringLiteral("proxmox_status"), QStringLiteral("Proxmox cluster status"),
         QStringLiteral("A Proxmox connection's cluster: name, quorum (quorate, nodes online/offline, expected votes) and "
                        "each node's status, CPU, memory and uptime. Read at most 10 s ago."),
         "GET", QStringLiteral("/api/proxmox/:connection/status"), Kind::Read, true},
        {QStringLiteral("proxmox_resources"), QStringLiteral("Proxmox VMs and containers"),
         QStringLiteral("Every VM (qemu) and container (lxc) of a Proxmox cluster: vmid, name, node, status, CPU, "
                        "memory, uptime, tags; filter by type or node."),
         "GET", QStringLiteral("/api/proxmox/:connection/resources"), Kind::Read, true},
        {QStringLiteral("proxmox_storage"), QStringLiteral("Proxmox storage"),
         QStringLiteral("Use and size of every storage on every node of a Proxmox cluster; nearly_full from 90 %."),
         "GET", QStringLiteral("/api/proxmox/:connection/storage"), Kind::Read, true},
        {QStringLiteral("proxmox_action"), QStringLiteral("Start, shut down, stop or reboot a VM or container"),
         QStringLiteral("Starts, cleanly shuts down (timeout_s, force_stop), hard-stops or reboots a Proxmox VM or "
                        "container and answers the task it started (follow it with proxmox_task). Destructive: "
                        "without \"confirm\": true it only says what it would do."),
         "POST", QStringLiteral("/api/proxmox/:connection/resources/:vmid/action"), Kind::Destructive, false},
        {QStringLiteral("proxmox_task"), QStringLiteral("Proxmox task"),
         QStringLiteral("A Proxmox task (UPID) an action started: running or stopped, and its exit status (OK or the "
                        "reason it failed). With wait (seconds) it answers once the task has ended."),
         "GET", QStringLiteral("/api/proxmox/:connection/tasks/:upid"), Kind::Read, true},
        {QStringLiteral("proxmox_trust"), QStringLiteral("Trust a Proxmox node's certificate"),
         QStringLiteral("Pins the SHA-256 fingerprint of a Proxmox node's certificate after a person checked it (a "
                        "read answers certificate_unknown with it); replace: true replaces a changed one."),
         "POST", QStringLiteral("/api/proxmox/:connection/trust"), Kind::Write, true},

        // RunPod pods
        {QStringLiteral("runpod_pods"), QStringLiteral("RunPod pods"),
         QStringLiteral("Every pod of the RunPod account: status, allowed actions, GPU, cost per hour, uptime, cost so "
                        "far and the runpod connection it became (connection_id)."),
         "GET", QStringLiteral("/api/runpod/pods"), Kind::Read, true},
        {QStringLiteral("runpod_pod"), QStringLiteral("RunPod pod"),
         QStringLiteral("One RunPod pod, read now."),
         "GET", QStringLiteral("/api/runpod/pods/:id"), Kind::Read, true},
        {QStringLiteral("runpod_pod_create"), QStringLiteral("Create a RunPod pod"),
         QStringLiteral("Creates a pod (name, gpu_type, gpu_count; image, cloud, disk_gb, volume_gb, ports, env "
                        "optional) with 22/tcp and GPU Deck's SSH key; once RUNNING it becomes a runpod connection. "
                        "Costs money: without \"confirm\": true it only says what it would create and its price per "
                        "hour."),
         "POST", QStringLiteral("/api/runpod/pods"), Kind::Destructive, false},
        {QStringLiteral("runpod_pod_action"), QStringLiteral("Start, stop, restart or terminate a RunPod pod"),
         QStringLiteral("start, stop, restart or terminate a pod (terminate DELETES the pod and its volume for good). "
                        "Destructive: without \"confirm\": true it only says what it would do, or why the pod's "
                        "status does not allow it."),
         "POST", QStringLiteral("/api/runpod/pods/:id/action"), Kind::Destructive, false},
        {QStringLiteral("runpod_gpu_types"), QStringLiteral("RunPod GPU types"),
         QStringLiteral("RunPod's GPU types with list prices per GPU per hour (secure and community cloud) and the "
                        "most GPUs one pod can have."),
         "GET", QStringLiteral("/api/runpod/gpu-types"), Kind::Read, true},
        {QStringLiteral("runpod_credentials_get"), QStringLiteral("RunPod API key status"),
         QStringLiteral("Whether a RunPod API key is configured and where it comes from (never the key), GPU Deck's "
                        "SSH public key for pods, RunPod's rate-limit state."),
         "GET", QStringLiteral("/api/runpod/credentials"), Kind::Read, true},
        {QStringLiteral("runpod_credentials_set"), QStringLiteral("Set the RunPod API key"),
         QStringLiteral("Checks a RunPod API key with RunPod and stores it in the keychain (null or \"\" removes "
                        "it). RUNPOD_API_KEY in GPU Deck's environment wins over it."),
         "PUT", QStringLiteral("/api/runpod/credentials"), Kind::Write, true},
        {QStringLiteral("runpod_ssh_key_register"), QStringLiteral("Register GPU Deck's SSH key on RunPod"),
         QStringLiteral("Adds GPU Deck's SSH public key to the RunPod account's keys (keeping the others), so pods "
                        "created afterwards accept it. Creating a pod does this too."),
         "POST", QStringLiteral("/api/runpod/ssh-key"), Kind::Write, true},

        // Settings
        {QStringLiteral("log_level_get"), QStringLiteral("Log level"),
         QStringLiteral("GPU Deck's current log level."),
         "GET", QStringLiteral("/api/config/log-level"), Kind::Read, true},
        {QStringLiteral("log_level_set"), QStringLiteral("Set the log level"),
         QStringLiteral("Changes GPU Deck's log level at run time."),
         "POST", QStringLiteral("/api/config/log-level"), Kind::Write, true},
        {QStringLiteral("monitoring_config_get"), QStringLiteral("Monitoring settings"),
         QStringLiteral("The monitoring settings: sample interval, alert thresholds, retention."),
         "GET", QStringLiteral("/api/config/monitoring"), Kind::Read, true},
        {QStringLiteral("monitoring_config_set"), QStringLiteral("Change monitoring settings"),
         QStringLiteral("Changes monitoring settings (only those given)."),
         "PUT", QStringLiteral("/api/config/monitoring"), Kind::Write, true},
        {QStringLiteral("ssh_config_get"), QStringLiteral("SSH settings"),
         QStringLiteral("The SSH link settings: keepalive, timeouts, reconnect backoff."),
         "GET", QStringLiteral("/api/config/ssh"), Kind::Read, true},
        {QStringLiteral("ssh_config_set"), QStringLiteral("Change SSH settings"),
         QStringLiteral("Changes SSH link settings (only those given)."),
         "PUT", QStringLiteral("/api/config/ssh"), Kind::Write, true},
        {QStringLiteral("report_config_get"), QStringLiteral("Report schedule"),
         QStringLiteral("The daily report schedule (enabled, local time of day, folder, format) and what it last did."),
         "GET", QStringLiteral("/api/config/report"), Kind::Read, true},
        {QStringLiteral("report_config_set"), QStringLiteral("Change the report schedule"),
         QStringLiteral("Changes the daily report schedule (only the fields given): once a day at `time` (local) the "
                        "report is written to `folder` as gpudeck-report-YYYY-MM-DD.md/.html/.json."),
         "PUT", QStringLiteral("/api/config/report"), Kind::Write, true},
        {QStringLiteral("project_sync"), QStringLiteral("Sync a project's files to its host"),
         QStringLiteral("Copies the project's git-tracked files (git ls-files, submodules included; never untracked or "
                        "ignored files) and its extra_files (mode 0600) from local_path to remote_path on its host over "
                        "SFTP: only what changed since the last sync, with modes and symlinks; files deleted from git "
                        "are deleted there. Answers the operation (id, state, progress); with wait=S once it ended or "
                        "after S seconds. verify: check every file on the host instead of trusting the manifest."),
         "POST", QStringLiteral("/api/dgx/projects/:id/sync"), Kind::Write, false},
        {QStringLiteral("project_pull"), QStringLiteral("Pull files from a project's host"),
         QStringLiteral("Copies named remote paths (files or folders; relative to the project's remote_path, or "
                        "absolute) into local_dir on this computer, each under its own name. Answers the operation; "
                        "with wait=S once it ended or after S seconds."),
         "POST", QStringLiteral("/api/dgx/projects/:id/pull"), Kind::Write, false},
        {QStringLiteral("syncs_list"), QStringLiteral("Syncs and pulls"),
         QStringLiteral("Syncs and pulls, running first, then the last 50 ended (newest first); optionally of one "
                        "project."),
         "GET", QStringLiteral("/api/dgx/sync"), Kind::Read, true},
        {QStringLiteral("sync_get"), QStringLiteral("A sync or pull"),
         QStringLiteral("One sync or pull: state (planning, running, completed, failed, cancelled), files and bytes "
                        "done of the total, the file in flight, and its summary (sent, unchanged, deleted, failed). "
                        "wait=S answers once it ended or after S seconds."),
         "GET", QStringLiteral("/api/dgx/sync/:id"), Kind::Read, true},
        {QStringLiteral("sync_cancel"), QStringLiteral("Cancel a sync or pull"),
         QStringLiteral("Stops a sync or pull: transfers in flight are dropped with their temporary files (nothing "
                        "half-written appears under a final name); files already in place stay."),
         "POST", QStringLiteral("/api/dgx/sync/:id/cancel"), Kind::Write, true},
    };
    // clang-format on
    return specs;
}

McpTools::McpTools(const Router &router, const ApiDescription &description)
{
    const QStringList routes = router.routes();
    for (const Spec &spec : specs()) {
        if (!routes.contains(QString::fromLatin1(spec.method) + QLatin1Char(' ') + spec.pattern)) {
            continue; // this build has no such route (yet)
        }
        const QStringList routeQuery = router.queryParams(spec.method, spec.pattern);
        if (!spec.requireQuery.isEmpty() && !routeQuery.contains(spec.requireQuery)) {
            continue;
        }
        Tool tool;
        tool.spec = spec;
        QJsonObject properties;
        QStringList required;

        const QList<QJsonObject> parameters = description.parameters(spec.method, spec.pattern);
        for (const QString &segment : spec.pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
            if (!segment.startsWith(QLatin1Char(':'))) {
                continue;
            }
            const QString name = segment.mid(1);
            QJsonObject parameter;
            for (const QJsonObject &p : parameters) {
                if (p.value(QStringLiteral("in")).toString() == QStringLiteral("path") &&
                    p.value(QStringLiteral("name")).toString() == name) {
                    parameter = p;
                }
            }
            properties.insert(name, pathArgument(parameter));
            tool.pathParams.append(name);
            required.append(name);
        }
        for (const QString &name : routeQuery) {
            if (name == QStringLiteral("dry_run") && spec.kind == Kind::Destructive) {
                tool.dryRunInQuery = true; // the tool's confirm drives it
                continue;
            }
            if (spec.omit.contains(name)) {
                continue;
            }
            QJsonObject parameter{{QStringLiteral("schema"), schemaType(QStringLiteral("string"))}};
            for (const QJsonObject &p : parameters) {
                if (p.value(QStringLiteral("in")).toString() == QStringLiteral("query") &&
                    p.value(QStringLiteral("name")).toString() == name) {
                    parameter = p;
                }
            }
            properties.insert(name, queryArgument(parameter));
            tool.queryParams.append(name);
            if (name == spec.requireQuery || parameter.value(QStringLiteral("required")).toBool()) {
                required.append(name);
            }
        }
        const QJsonObject body = description.requestSchema(spec.method, spec.pattern);
        QJsonObject bodyProps;
        QStringList bodyRequired;
        bodyProperties(body, bodyProps, bodyRequired);
        for (auto it = bodyProps.begin(); it != bodyProps.end(); ++it) {
            if (it.value().toObject().value(QStringLiteral("readOnly")).toBool()) {
                continue; // server-owned (id, created_at, ...): the route ignores it, so the tool does not offer it
            }
            if (it.key() == QStringLiteral("dry_run") && spec.kind == Kind::Destructive) {
                tool.dryRunInBody = true; // the tool's confirm drives it
                continue;
            }
            if (it.key() == QStringLiteral("confirm") && spec.kind == Kind::Destructive) {
                tool.routeTakesConfirm = true;
                continue; // the tool's own confirm, passed through
            }
            if (properties.contains(it.key())) {
                continue; // a path or query parameter of the same name wins
            }
            properties.insert(it.key(), it.value());
            tool.bodyFields.append(it.key());
            if (bodyRequired.contains(it.key())) {
                required.append(it.key());
            }
        }
        if (spec.kind == Kind::Destructive) {
            properties.insert(QStringLiteral("confirm"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("boolean")},
                                          {QStringLiteral("default"), false},
                                          {QStringLiteral("description"),
                                           QStringLiteral("true to act. Without it the tool changes nothing and "
                                                          "answers what it would do (a dry run).")}});
        }
        tool.required = required;

        QJsonObject input{{QStringLiteral("type"), QStringLiteral("object")},
                          {QStringLiteral("properties"), properties},
                          {QStringLiteral("additionalProperties"), false}};
        if (!required.isEmpty()) {
            input.insert(QStringLiteral("required"), QJsonArray::fromStringList(required));
        }
        QJsonObject output = outputSchema(description.responseSchema(spec.method, spec.pattern));
        const QStringList textTypes = description.textResponseTypes(spec.method, spec.pattern);
        if (!textTypes.isEmpty()) {
            tool.answersText = true;
            output = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                 {QStringLiteral("anyOf"), QJsonArray{output, textAnswerSchema(textTypes)}}};
        }
        if (spec.kind == Kind::Destructive) {
            output = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                 {QStringLiteral("anyOf"), QJsonArray{output, dryRunSchema()}}};
        }
        QJsonObject annotations{{QStringLiteral("title"), spec.title},
                                {QStringLiteral("readOnlyHint"), spec.kind == Kind::Read},
                                {QStringLiteral("openWorldHint"), false}};
        if (spec.kind != Kind::Read) {
            annotations.insert(QStringLiteral("destructiveHint"), spec.kind == Kind::Destructive);
            annotations.insert(QStringLiteral("idempotentHint"), spec.idempotent);
        }
        tool.definition = QJsonObject{
            {QStringLiteral("name"), spec.name},
            {QStringLiteral("title"), spec.title},
            {QStringLiteral("description"),
             spec.description + QStringLiteral(" (%1 %2)").arg(QString::fromLatin1(spec.method), spec.pattern)},
            {QStringLiteral("inputSchema"), input},
            {QStringLiteral("outputSchema"), output},
            {QStringLiteral("annotations"), annotations}};
        m_tools.append(tool);
    }
}

const McpTools::Tool *McpTools::find(const QString &name) const
{
    for (const Tool &t : m_tools) {
        if (t.spec.name == name) {
            return &t;
        }
    }
    return nullptr;
}

QJsonArray McpTools::definitions() const
{
    QJsonArray out;
    for (const Tool &t : m_tools) {
        out.append(t.definition);
    }
    return out;
}

McpTools::Call McpTools::prepare(const Tool &tool, const QJsonObject &arguments)
{
    Call call;
    for (auto it = arguments.begin(); it != arguments.end(); ++it) {
        const QString &key = it.key();
        const bool known = tool.pathParams.contains(key) || tool.queryParams.contains(key) ||
                           tool.bodyFields.contains(key) ||
                           (key == QStringLiteral("confirm") && tool.spec.kind == Kind::Destructive);
        if (!known) {
            QStringList takes = tool.pathParams + tool.queryParams + tool.bodyFields;
            if (tool.spec.kind == Kind::Destructive) {
                takes.append(QStringLiteral("confirm"));
            }
            call.error = QStringLiteral("unknown argument '%1' for tool %2; it takes: %3")
                             .arg(key, tool.spec.name,
                                  takes.isEmpty() ? QStringLiteral("no arguments") : takes.join(QStringLiteral(", ")));
            return call;
        }
    }
    for (const QString &name : tool.required) {
        if (!arguments.contains(name) && !tool.bodyFields.contains(name)) {
            call.error = QStringLiteral("tool %1 needs the argument '%2'").arg(tool.spec.name, name);
            return call;
        }
    }
    const QJsonValue confirmValue = arguments.value(QStringLiteral("confirm"));
    if (!confirmValue.isUndefined() && !confirmValue.isBool()) {
        call.error = QStringLiteral("'confirm' must be true or false");
        return call;
    }
    const bool confirmed = confirmValue.toBool(false);
    const bool dryRun = tool.spec.kind == Kind::Destructive && !confirmed;

    ApiRequest request;
    request.method = tool.spec.method;
    request.caller = QStringLiteral("mcp");
    QStringList segments = tool.spec.pattern.split(QLatin1Char('/'));
    for (QString &segment : segments) {
        if (!segment.startsWith(QLatin1Char(':'))) {
            continue;
        }
        const QString name = segment.mid(1);
        const QJsonValue v = arguments.value(name);
        const QString text = argumentText(v);
        if (text.isEmpty() || (!v.isString() && !v.isDouble()) || text.contains(QLatin1Char('/'))) {
            call.error = QStringLiteral("'%1' must be an id (a positive integer) or a name").arg(name);
            return call;
        }
        segment = text;
    }
    request.path = segments.join(QLatin1Char('/'));

    for (const QString &name : tool.queryParams) {
        if (!arguments.contains(name)) {
            continue;
        }
        const QJsonValue v = arguments.value(name);
        if (v.isObject() || v.isArray() || v.isNull()) {
            call.error = QStringLiteral("'%1' must be a string, a number or a boolean").arg(name);
            return call;
        }
        request.query.addQueryItem(name, argumentText(v));
    }
    QJsonObject body;
    for (const QString &name : tool.bodyFields) {
        if (arguments.contains(name)) {
            body.insert(name, arguments.value(name));
        }
    }
    if (tool.routeTakesConfirm && confirmed) {
        body.insert(QStringLiteral("confirm"), true);
    }

    if (dryRun) {
        if (tool.dryRunInQuery) {
            request.query.addQueryItem(QStringLiteral("dry_run"), QStringLiteral("true"));
        } else if (tool.dryRunInBody) {
            body.insert(QStringLiteral("dry_run"), true);
        } else {
            // The route plans no dry run of its own: do nothing, and say what would be sent.
            QString would = QString::fromLatin1(request.method) + QLatin1Char(' ') + request.path;
            if (!request.query.isEmpty()) {
                would += QLatin1Char('?') + request.query.toString(QUrl::FullyEncoded);
            }
            if (!body.isEmpty()) {
                would += QLatin1Char(' ') + QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Compact));
            }
            call.result = QJsonObject{{QStringLiteral("dry_run"), true}, {QStringLiteral("would"), would}};
            return call;
        }
    }
    if (request.method == "POST" || request.method == "PUT") {
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        request.json = body;
        request.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    }
    call.request = std::move(request);
    return call;
}

QJsonObject McpTools::result(const Tool &tool, const ApiResponse &response)
{
    if (response.status < 200 || response.status >= 300) {
        const QJsonObject error =
            QJsonDocument::fromJson(response.body).object().value(QStringLiteral("error")).toObject();
        QString text = QStringLiteral("%1 %2: %3")
                           .arg(response.status)
                           .arg(error.value(QStringLiteral("code")).toString(QStringLiteral("error")),
                                error.value(QStringLiteral("message")).toString(QString::fromUtf8(response.body)));
        return textResult(text.toUtf8(), true);
    }
    QJsonObject structured;
    QByteArray text = response.body;
    if (tool.answersText && response.contentType.startsWith("text/")) {
        // Markdown or HTML asked for: the text is the answer, for the model to read as it is.
        QJsonObject out = textResult(response.body, false);
        out.insert(QStringLiteral("structuredContent"),
                   QJsonObject{{QStringLiteral("content_type"), QString::fromLatin1(response.contentType)},
                               {QStringLiteral("text"), QString::fromUtf8(response.body)}});
        return out;
    }
    if (response.body.trimmed().isEmpty()) {
        structured = QJsonObject{{QStringLiteral("ok"), true}};
        text = QByteArrayLiteral("{\"ok\":true}");
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(response.body);
        if (doc.isArray()) {
            structured = QJsonObject{{QStringLiteral("items"), doc.array()}};
            text = QJsonDocument(structured).toJson(QJsonDocument::Compact);
        } else if (doc.isObject()) {
            structured = doc.object();
        } else {
            return textResult(QByteArrayLiteral("the route answered something that is not JSON"), true);
        }
    }
    QJsonObject out = textResult(text, false);
    out.insert(QStringLiteral("structuredContent"), structured);
    return out;
}

} // namespace gpudeck
