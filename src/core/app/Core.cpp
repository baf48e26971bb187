#include "app/Core.h"

#include "api/ApiServer.h"
#include "costguard/CostGuard.h"
#include "costguard/RunPodPodControl.h"
#include "events/EventSources.h"
#include "jobs/JobSupervisor.h"
#include "logging/Logging.h"
#include "metrics/MetricsService.h"
#include "models/ModelLogs.h"
#include "models/ModelService.h"
#include "proxmox/ProxmoxService.h"
#include "proxmox/ProxmoxTypes.h"
#include "report/ReportService.h"
#include "runpod/RunPodService.h"
#include "secrets/KeychainSecretStore.h"
#include "ssh/RemoteExec.h"
#include "ssh/SshPool.h"
#include "sync/SyncService.h"
#include "wol/WakeService.h"

#include <QDir>

namespace gpudeck {

namespace {

SshSettings sshSettings(const AppPaths &paths, ConnectionSecrets *secrets)
{
    SshSettings s;
    s.knownHostsPath = paths.dataDir() + QStringLiteral("/known_hosts");
    // Overridable so tests never depend on (or touch) the real user's trust decisions.
    s.userKnownHostsPath = qEnvironmentVariableIsSet("GPUDECK_USER_KNOWN_HOSTS")
                               ? qEnvironmentVariable("GPUDECK_USER_KNOWN_HOSTS")
                               : QDir::homePath() + QStringLiteral("/.ssh/known_hosts");
    s.secrets = secrets;
    return s;
}

} // namespace

Core::Core(AppPaths paths, std::unique_ptr<SecretStore> secrets, QObject *parent)
    : QObject(parent)
    , m_paths(std::move(paths))
    , m_db(m_paths.databasePath())
    , m_connections(m_db, &m_events)
    , m_projects(m_db, &m_events)
    , m_jobs(m_db, &m_events)
    , m_execLog(m_db)
    , m_audit(m_db)
    , m_secrets(secrets ? std::move(secrets) : std::make_unique<KeychainSecretStore>())
    , m_connectionSecrets(std::make_unique<ConnectionSecrets>(*m_secrets, m_db))
    , m_ssh(std::make_unique<SshPool>(m_connections, sshSettings(m_paths, m_connectionSecrets.get()), &m_db))
    , m_connectionService(std::make_unique<ConnectionService>(m_connections, *m_ssh, *m_connectionSecrets))
    , m_remoteExec(std::make_unique<RemoteExec>(m_connections, *m_ssh, m_execLog))
    , m_metrics(std::make_unique<MetricsService>(m_db, m_connections, *m_ssh))
    , m_jobRunner(std::make_unique<JobSupervisor>(m_connections, m_projects, m_jobs, *m_ssh))
    , m_models(std::make_unique<ModelService>(m_paths.dataDir() + QStringLiteral("/models.yaml"), m_db, m_connections,
                                              *m_ssh, m_metrics.get()))
    , m_modelLogs(std::make_unique<ModelLogs>(*m_models, m_connections, *m_ssh))
    , m_proxmox(std::make_unique<ProxmoxService>(m_connections, *m_connectionSecrets, *m_ssh, m_metrics.get()))
    , m_wake(std::make_unique<WakeService>(m_connections, *m_ssh, *m_connectionSecrets))
    , m_reports(std::make_unique<ReportService>(m_db, m_connections, m_projects, m_jobs, *m_ssh, *m_metrics, *m_models))
    , m_runpod(std::make_unique<RunPodService>(m_connections, *m_connectionService, *m_ssh, *m_secrets, m_db,
                                               m_paths.dataDir(), m_paths.dataDir() + QStringLiteral("/known_hosts")))
    , m_costGuard(std::make_unique<CostGuard>(m_connections, m_projects, m_jobs, m_audit, *m_metrics))
    , m_sync(std::make_unique<SyncService>(m_db, m_connections, m_projects, *m_ssh, QString()))
{
    // The report's clusters: each Proxmox connection's quorum and nodes as last read (every 10 s while shown, and
    // whenever the API asks), never a read of its own: the report is built synchronously on the caller's thread.
    m_reports->setClusterSource([proxmox = m_proxmox.get()] {
        QList<ReportCluster> out;
        for (const ProxmoxStatus &s : proxmox->snapshots()) {
            if (!s.hasData() && !s.error) {
                continue; // never read yet
            }
            ReportCluster c;
            c.connectionName = s.connectionName;
            c.cluster = s.cluster.name;
            c.quorate = s.cluster.quorate;
            c.nodesOnline = s.cluster.nodesOnline;
            c.nodesOffline = qMax(0, s.cluster.nodes - s.cluster.nodesOnline);
            c.expectedVotes = s.cluster.expectedVotes;
            if (s.error) {
                c.detail = s.hasData() ? QStringLiteral("the last read failed (%1); as read at %2")
                                             .arg(s.error->message, isoUtc(s.fetchedAt))
                                       : s.error->message;
            }
            out.append(c);
        }
        return out;
    });
    // A job that ends is worth a notification, like any alert.
    connect(m_jobRunner.get(), &JobSupervisor::jobEnded, m_metrics.get(), &MetricsService::recordJobEnded);
    // The cost guard acts on ended jobs' on_end and watches pods for idleness.
    m_costGuard->setPodControl(std::make_shared<RunPodPodControl>(*m_runpod));
    // A job with sync_before_start syncs its project's files (SyncService) before each launch; a sync that does not
    // complete is a failed start.
    m_jobRunner->setProjectSync([sync = m_sync.get()](qint64 projectId) -> QFuture<Status> {
        const auto started = sync->sync(projectId);
        if (!started.ok()) {
            return QtFuture::makeReadyFuture(Status(started.error()));
        }
        QFuture<SyncProgress> done = started->done;
        return done.then([](const SyncProgress &p) -> Status {
            if (p.state == QStringLiteral("completed")) {
                return {};
            }
            if (p.error) {
                return *p.error;
            }
            return Error::make(ErrorCode::Upstream, QStringLiteral("sync_failed"),
                               QStringLiteral("the sync ended %1").arg(p.state));
        });
    });
    // Any end counts: a launched job the supervisor saw end, or a tracked one set to a final state through the API.
    connect(&m_events, &StoreEvents::jobStatusChanged, m_costGuard.get(),
            [guard = m_costGuard.get()](const Job &job, const QString &previous) {
                if (Job::isFinal(job.status) && !previous.isEmpty() && !Job::isFinal(previous)) {
                    guard->onJobEnded(job);
                }
            });
    connect(m_metrics.get(), &MetricsService::hostUpdated, m_costGuard.get(), &CostGuard::onHostUpdated);
    connect(m_metrics.get(), &MetricsService::settingsApplied, m_costGuard.get(),
            [guard = m_costGuard.get()](const MonitoringSettings &s) { guard->applySettings(s.costGuard); });
    // What changes, for GET /api/events and the API's waits.
    publishCoreEvents(m_eventHub, this, m_events, m_connections, *m_ssh, *m_metrics, *m_models);
    // A Proxmox node is woken by a node of its cluster that is up (POST /nodes/{node}/wakeonlan) when there is one.
    m_wake->setClusterWaker([proxmox = m_proxmox.get()](const Connection &c) { return proxmox->clusterWake(c); });
}

void Core::startJobSupervision()
{
    m_jobRunner->start();
}

void Core::startMonitoring()
{
    m_metrics->start(); // first: the collector follows every link from its first report
    m_connectionService->connectWatched(this);
}

Core::~Core()
{
    // Everything that calls into the SSH pool first (API, jobs, models, metrics), then every SSH link, then
    // the store: no stream sees its link drop at exit.
    stopApi();
    m_costGuard->stop(); // before RunPod: it acts through it
    m_runpod->stop();
    m_wake->stop();
    m_sync->stop(); // before the pool: a transfer in flight is cancelled, its temporary files removed
    m_reports->stop();
    m_jobRunner->stop();
    m_modelLogs->stop(); // its streams' channels close, so their watchdogs end the commands on the hosts
    m_models->stop();
    m_proxmox->stop();
    m_metrics->stop();
    m_ssh->shutdown();
}

Status Core::open()
{
    QString error;
    if (!m_paths.ensureExists(&error)) {
        return Error::internal(error);
    }
    if (Status s = m_db.open(); !s.ok()) {
        return s;
    }
    qCInfo(lcStore).noquote() << QStringLiteral("database %1 (schema %2)").arg(m_db.path()).arg(m_db.schemaVersion());
    auto token = ApiToken::load(m_paths.tokenPath());
    if (!token.ok()) {
        return token.error();
    }
    m_token = token.value();
    if (Status s = startSecretAdoption(); !s.ok()) {
        return s;
    }
    m_models->start(&m_events);
    m_proxmox->start();
    m_wake->start();
    m_reports->start();
    m_runpod->start();
    m_costGuard->start();
    m_sync->setInstanceId(m_db.instanceId());
    m_sync->start();
    // Nothing is connected at start, whatever the last run left behind.
    return m_connections.resetActive();
}

Status Core::startSecretAdoption()
{
    // A database that existed before instance ids lets its connections adopt their keychain entries of the old
    // naming, once; a new (or reset) database never reads them.
    QList<qint64> adoptable;
    const int openedAt = m_db.openedAtVersion();
    if (openedAt > 0 && openedAt < Database::kInstanceIdVersion) {
        const auto all = m_connections.list();
        if (!all.ok()) {
            return all.error();
        }
        for (const Connection &c : all.value()) {
            adoptable.append(c.id);
        }
    }
    return m_connectionSecrets->startAdoption(adoptable);
}

Result<quint16> Core::startApi(quint16 port)
{
    m_api = std::make_unique<ApiServer>(m_db,
                                        ApiContext{m_connections, m_projects, m_jobs, m_execLog, *m_ssh, *m_remoteExec,
                                                   *m_connectionService, *m_metrics, *m_jobRunner, *m_models,
                                                   m_eventHub, m_db.instanceId(), m_audit, *m_proxmox, *m_wake,
                                                   *m_reports, *m_runpod, *m_sync, *m_modelLogs},
                                        m_token);
    auto bound = m_api->start(port);
    if (!bound.ok()) {
        m_api.reset();
    }
    return bound;
}

void Core::stopApi()
{
    if (m_api) {
        m_api->stop();
        m_api.reset();
    }
}

quint16 Core::apiPort() const
{
    return m_api ? m_api->port() : 0;
}

QStringList Core::apiRoutes() const
{
    return m_api ? m_api->routes() : QStringList();
}

QHash<QString, QStringList> Core::apiQueryParams() const
{
    return m_api ? m_api->routeQueryParams() : QHash<QString, QStringList>();
}

} // namespace gpudeck
