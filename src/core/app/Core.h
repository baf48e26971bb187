#pragma once

#include "Result.h"
#include "api/ApiContext.h"
#include "api/ApiToken.h"
#include "app/AppPaths.h"
#include "connections/ConnectionService.h"
#include "events/EventHub.h"
#include "secrets/ConnectionSecrets.h"
#include "secrets/SecretStore.h"
#include "ssh/SshSettings.h"
#include "store/AuditRepository.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/ExecLogRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"
#include "store/StoreEvents.h"

#include <QHash>
#include <QObject>
#include <memory>

namespace gpudeck {

class ApiServer;
class CostGuard;
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

// Everything GPU Deck is without a window: store, repositories, API. The GUI and headless mode both sit on
// one Core, so the window and the API can never disagree. Created and destroyed on the main thread.
class Core : public QObject
{
    Q_OBJECT
public:
    // `secrets` defaults to the system keychain.
    explicit Core(AppPaths paths, std::unique_ptr<SecretStore> secrets = {}, QObject *parent = nullptr);
    ~Core() override;

    // Opens the database (migrating it) and loads the API token.
    Status open();
    // Starts the API on 127.0.0.1:`port`; 0 picks a free port.
    Result<quint16> startApi(quint16 port);
    void stopApi();

    const AppPaths &paths() const { return m_paths; }
    Database &database() { return m_db; }
    StoreEvents *events() { return &m_events; }
    // What changed, in order, with a ring for late readers (GET /api/events, waits).
    EventHub &eventHub() { return m_eventHub; }
    ConnectionRepository &connections() { return m_connections; }
    ProjectRepository &projects() { return m_projects; }
    JobRepository &jobs() { return m_jobs; }
    ExecLogRepository &execLog() { return m_execLog; }
    AuditRepository &audit() { return m_audit; }
    SecretStore &secrets() { return *m_secrets; }
    // This install's connections' secrets (named by instance and connection) and the door for a whole connection.
    ConnectionSecrets &connectionSecrets() { return *m_connectionSecrets; }
    ConnectionService &connectionService() { return *m_connectionService; }
    SshPool &ssh() { return *m_ssh; }
    RemoteExec &remoteExec() { return *m_remoteExec; }
    MetricsService &metrics() { return *m_metrics; }
    // Model serving: models.yaml, swaps, services health (started by open()).
    ModelService &models() { return *m_models; }
    JobSupervisor &jobRunner() { return *m_jobRunner; }
    // A model's own log (models.yaml logs_follow), followed over its host's SSH link.
    ModelLogs &modelLogs() { return *m_modelLogs; }
    // Proxmox VE clusters: reads while shown, actions and their tasks, quorum and storage alerts (started by open()).
    ProxmoxService &proxmox() { return *m_proxmox; }
    // Wake-on-LAN, wake and wait (started by open()).
    WakeService &wake() { return *m_wake; }
    // The status report, the history it keeps (link changes, finished swaps) and its daily schedule (started by
    // open()).
    ReportService &reports() { return *m_reports; }
    // RunPod pods: the v2 API client, pods as connections, the API key (started by open()).
    RunPodService &runpod() { return *m_runpod; }
    // The cost guard: a job's on_end pod action and the idle pod alert (started by open()).
    CostGuard &costGuard() { return *m_costGuard; }
    // Project files synced to their host and results pulled back (started by open()).
    SyncService &sync() { return *m_sync; }
    // Starts GPU monitoring and job supervision (the headless app and the window do; most tests need neither).
    // Monitoring connects every watched connection at once, in parallel, without waiting for any.
    void startMonitoring();
    void startJobSupervision();
    const ApiToken &token() const { return m_token; }
    quint16 apiPort() const;
    // Every "METHOD /pattern" the API serves (for tests that must cover every route).
    QStringList apiRoutes() const;
    QHash<QString, QStringList> apiQueryParams() const; // each route's query parameters

private:
    Status startSecretAdoption();

    AppPaths m_paths;
    Database m_db;
    StoreEvents m_events;
    EventHub m_eventHub;
    ConnectionRepository m_connections;
    ProjectRepository m_projects;
    JobRepository m_jobs;
    ExecLogRepository m_execLog;
    AuditRepository m_audit;
    ApiToken m_token;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<ConnectionSecrets> m_connectionSecrets;
    std::unique_ptr<SshPool> m_ssh;
    std::unique_ptr<ConnectionService> m_connectionService;
    std::unique_ptr<RemoteExec> m_remoteExec;
    std::unique_ptr<MetricsService> m_metrics;
    std::unique_ptr<JobSupervisor> m_jobRunner;
    std::unique_ptr<ModelService> m_models;
    std::unique_ptr<ModelLogs> m_modelLogs;
    std::unique_ptr<ProxmoxService> m_proxmox;
    std::unique_ptr<WakeService> m_wake;
    std::unique_ptr<ReportService> m_reports;
    std::unique_ptr<RunPodService> m_runpod;
    std::unique_ptr<CostGuard> m_costGuard;
    std::unique_ptr<SyncService> m_sync;
    std::unique_ptr<ApiServer> m_api;
};

} // namespace gpudeck
