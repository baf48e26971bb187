#pragma once

#include "base/WorkerThread.h"
#include "costguard/CostGuardSettings.h"
#include "metrics/HostMetrics.h"
#include "store/Entities.h"

#include <QObject>
#include <atomic>
#include <memory>

namespace gpudeck {

class AuditRepository;
class ConnectionRepository;
class CostGuardWorker;
class JobRepository;
class MetricsService;
class PodControl;
class ProjectRepository;

// Stops paying for a rented GPU nobody uses. Two rules, both off until asked for:
//
// - on_end: a job on a `runpod` connection with on_end stop_pod or terminate_pod that ends (completed, failed or
//   cancelled) has its pod stopped or terminated after a grace (CostGuardSettings::onEndGraceSeconds, 60 s by
//   default). The action is called off when the job runs again meanwhile, and skipped (said so) while another job
//   still runs on the same pod. What was done is the job's on_end_result, an audit entry (origin "auto") and an
//   alert (pod_stopped / pod_terminated, info), so the tray tells. A refused or failed action raises a critical
//   pod_action_failed alert and is retried (30 s doubling to 10 min, 8 tries), the alert ending when it succeeds.
//   A scheduled action survives GPU Deck restarting (it is taken up again from on_end_result).
// - idle pod: a runpod connection's host with no GPU process and every GPU under the idle utilisation for
//   CostGuardSettings::podIdleSeconds raises a pod_idle alert (warning) with the pod's cost so far; it ends when the
//   host is busy again or stops reporting.
//
// The work happens on the "gpudeck-costguard" thread (CostGuardWorker). This door is thread-safe; feed it the job
// supervisor's jobEnded and the metrics service's hostUpdated and settingsApplied.
class CostGuard : public QObject
{
    Q_OBJECT
public:
    CostGuard(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
              AuditRepository &audit, MetricsService &metrics, QObject *parent = nullptr);
    ~CostGuard() override;

    // The way to RunPod (RunPodPodControl in the app; a test's own). Without one, actions fail (and are retried)
    // and idle alerts say the cost is unknown.
    void setPodControl(std::shared_ptr<PodControl> control);
    // How long the first retry of a failed pod action waits (doubling after that): 30 s; tests shorten it.
    void setRetryBaseMs(int ms);

    void start(); // takes up actions left scheduled by a previous run
    void stop();
    bool isRunning() const { return m_worker.isRunning(); }

    void onJobEnded(const gpudeck::Job &job);
    void onHostUpdated(const gpudeck::HostMetrics &metrics);
    void applySettings(const gpudeck::CostGuardSettings &settings);

    static constexpr int MaxTries = 8;
    static constexpr int RetryMaxMs = 10 * 60 * 1000;

private:
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    AuditRepository &m_audit;
    MetricsService &m_metrics;
    std::shared_ptr<PodControl> m_control;
    int m_retryBaseMs = 30000;
    std::atomic_bool m_idleOn{false};
    WorkerThread<CostGuardWorker> m_worker{QStringLiteral("gpudeck-costguard")};
};

} // namespace gpudeck
