#include "costguard/CostGuard.h"

#include "costguard/CostGuardWorker.h"
#include "costguard/PodControl.h"
#include "metrics/MetricsService.h"

namespace gpudeck {

CostGuard::CostGuard(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                     AuditRepository &audit, MetricsService &metrics, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_audit(audit)
    , m_metrics(metrics)
{
}

CostGuard::~CostGuard()
{
    stop();
}

void CostGuard::setPodControl(std::shared_ptr<PodControl> control)
{
    m_control = control;
    m_worker.post([control](CostGuardWorker *w) { w->setControl(control); });
}

void CostGuard::setRetryBaseMs(int ms)
{
    m_retryBaseMs = qMax(10, ms);
    m_worker.post([ms = m_retryBaseMs](CostGuardWorker *w) { w->setRetryBaseMs(ms); });
}

void CostGuard::start()
{
    if (m_worker.isRunning()) {
        return;
    }
    const CostGuardSettings settings = m_metrics.settings().costGuard;
    m_idleOn = settings.idleAlertOn();
    m_worker.start([this, settings] {
        auto *w = new CostGuardWorker(m_connections, m_projects, m_jobs, m_audit, m_metrics, m_control, settings,
                                      m_retryBaseMs);
        w->init();
        return w;
    });
}

void CostGuard::stop()
{
    m_worker.stop([](CostGuardWorker *w) { w->shutdown(); });
}

void CostGuard::onJobEnded(const Job &job)
{
    if (job.onEnd == QStringLiteral("none")) {
        return;
    }
    m_worker.post([job](CostGuardWorker *w) { w->jobEnded(job); });
}

void CostGuard::onHostUpdated(const HostMetrics &metrics)
{
    // Every sample of every host passes here: dropped at once while the idle alert is off (an alert still up is
    // cleared by applySettings).
    if (!m_idleOn) {
        return;
    }
    m_worker.post([metrics](CostGuardWorker *w) { w->hostUpdated(metrics); });
}

void CostGuard::applySettings(const CostGuardSettings &settings)
{
    m_idleOn = settings.idleAlertOn();
    m_worker.post([settings](CostGuardWorker *w) { w->setSettings(settings); });
}

} // namespace gpudeck
