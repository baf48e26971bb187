#pragma once

#include "store/AuditRepository.h"
#include "store/ConnectionRepository.h"
#include "store/ExecLogRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

namespace gpudeck {

class ConnectionService;
class EventHub;
class JobSupervisor;
class MetricsService;
class ModelLogs;
class ModelService;
class ProxmoxService;
class RemoteExec;
class ReportService;
class RunPodService;
class SshPool;
class SyncService;
class WakeService;

// What the controllers work with. The repositories are thread-safe façades over the database.
struct ApiContext
{
    ConnectionRepository &connections;
    ProjectRepository &projects;
    JobRepository &jobs;
    ExecLogRepository &execLog;
    SshPool &ssh;
    RemoteExec &exec;
    ConnectionService &connectionService; // removes a connection; its secrets are connectionService.secrets()
    MetricsService &metrics;
    JobSupervisor &jobRunner;
    ModelService &models;
    EventHub &events;        // what changes: GET /api/events and the waits
    QString instanceId;      // this install's (Database::instanceId), shown by GET /api/health
    AuditRepository &audit;  // every action through the API or MCP is recorded (ApiDispatch), GET /api/dgx/audit
    ProxmoxService &proxmox; // Proxmox VE clusters: /api/proxmox/...
    WakeService &wake;       // Wake-on-LAN: wake and wait
    ReportService &reports;  // the status report and its daily schedule
    RunPodService &runpod;   // RunPod pods: /api/runpod/...
    SyncService &sync;       // project files to a host, results back: /api/dgx/projects/:id/sync, /api/dgx/sync/...
    ModelLogs &modelLogs;    // a model's own log: GET /api/dgx/models/logs
};

} // namespace gpudeck
