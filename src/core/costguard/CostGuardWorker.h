#pragma once

#include "Result.h"
#include "alerts/Alert.h"
#include "costguard/CostGuardSettings.h"
#include "costguard/IdleWatch.h"
#include "costguard/PodControl.h"
#include "metrics/HostMetrics.h"
#include "store/Entities.h"

#include <QHash>
#include <QObject>
#include <memory>

class QTimer;

namespace gpudeck {

class AuditRepository;
class ConnectionRepository;
class JobRepository;
class MetricsService;
class ProjectRepository;

// The cost guard's worker on its own thread (see CostGuard): the scheduled pod actions, their retries, the idle
// watch. Touched on that thread only. Internal.
class CostGuardWorker : public QObject
{
    Q_OBJECT
public:
    CostGuardWorker(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                    AuditRepository &audit, MetricsService &metrics, std::shared_ptr<PodControl> control,
                    CostGuardSettings settings, int retryBaseMs, QObject *parent = nullptr);
    ~CostGuardWorker() override;

    void init();
    void shutdown();
    void setControl(std::shared_ptr<PodControl> control) { m_control = std::move(control); }
    void setSettings(const CostGuardSettings &settings);
    void setRetryBaseMs(int ms) { m_retryBaseMs = ms; }
    void jobEnded(const Job &job);
    void hostUpdated(const HostMetrics &metrics);

private:
    struct Pending
    {
        qint64 jobId = 0;
        int attempt = 0;
        QString onEnd; // stop_pod, terminate_pod
        QString podId;
        qint64 connectionId = 0;
        QString connectionName;
        int tries = 0;
        QDateTime dueAt;
        QTimer *timer = nullptr;
        qint64 failureAlertId = 0; // the pod_action_failed alert up, when there is one
        QString failureMessage;
    };

    void schedule(Pending pending, qint64 delayMs);
    void act(qint64 jobId);
    void onActed(qint64 jobId, const Status &status);
    // Writes the job's on_end_result (state and message, with the pending action's fields).
    void record(qint64 jobId, const Pending &p, const QString &state, const QString &message);
    void audit(const Pending &p, const Status &status);
    void raiseIdle(qint64 connectionId, const QString &name, const QString &podId, qint64 idleForMs);
    void clearIdle(qint64 connectionId);
    Result<Connection> connection(qint64 connectionId);
    static QString verb(const QString &onEnd); // stop, terminate

    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    AuditRepository &m_audit;
    MetricsService &m_metrics;
    std::shared_ptr<PodControl> m_control;
    CostGuardSettings m_settings;
    int m_retryBaseMs;
    QHash<qint64, Pending> m_pending; // job id -> its scheduled action
    IdleWatch m_idle;
    struct IdleAlert
    {
        qint64 alertId = 0; // 0 while its cost is being read
        Alert alert;
    };
    QHash<qint64, IdleAlert> m_idleAlerts; // connection id -> its pod_idle alert
    QHash<qint64, Connection> m_connectionCache;
    qint64 m_cacheLoadedMs = -1;
};

} // namespace gpudeck
