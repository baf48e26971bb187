#include "costguard/CostGuardWorker.h"

#include "costguard/CostGuard.h"
#include "logging/Logging.h"
#include "metrics/MetricsService.h"
#include "store/AuditRepository.h"
#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

#include <QDateTime>
#include <QTimer>

namespace gpudeck {
namespace {

QString money(double dollars)
{
    return QStringLiteral("$%1").arg(dollars, 0, 'f', 2);
}

QString duration(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (ms < 1000) {
        return QStringLiteral("%1 ms").arg(ms);
    }
    if (s < 120) {
        return QStringLiteral("%1 s").arg(s);
    }
    if (s < 2 * 3600) {
        return QStringLiteral("%1 min").arg(s / 60);
    }
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace

CostGuardWorker::CostGuardWorker(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                                 AuditRepository &audit, MetricsService &metrics, std::shared_ptr<PodControl> control,
                                 CostGuardSettings settings, int retryBaseMs, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_audit(audit)
    , m_metrics(metrics)
    , m_control(std::move(control))
    , m_settings(settings)
    , m_retryBaseMs(retryBaseMs)
{
}

CostGuardWorker::~CostGuardWorker() = default;

QString CostGuardWorker::verb(const QString &onEnd)
{
    return onEnd == QStringLiteral("terminate_pod") ? QStringLiteral("terminate") : QStringLiteral("stop");
}

void CostGuardWorker::init()
{
    // Actions a previous run scheduled (or was retrying) are taken up again: a restart must not leave a pod running.
    const auto jobs = m_jobs.list();
    if (!jobs.ok()) {
        qCWarning(lcApp).noquote() << jobs.error().message;
        return;
    }
    const QDateTime now = nowUtc();
    for (const Job &job : jobs.value()) {
        const QString state = job.onEndResult.value(QStringLiteral("state")).toString();
        if (state != QStringLiteral("scheduled") && state != QStringLiteral("retrying")) {
            continue;
        }
        Pending p;
        p.jobId = job.id;
        p.attempt = job.attempt;
        p.onEnd = job.onEndResult.value(QStringLiteral("action")).toString();
        p.podId = job.onEndResult.value(QStringLiteral("pod_id")).toString();
        p.tries = job.onEndResult.value(QStringLiteral("tries")).toInt();
        p.dueAt = parseIsoUtc(job.onEndResult.value(QStringLiteral("due_at")).toString());
        if (const auto project = m_projects.get(job.projectId); project.ok()) {
            p.connectionId = project->connectionId;
            if (const auto c = m_connections.get(p.connectionId); c.ok()) {
                p.connectionName = c->name;
            }
        }
        qCInfo(lcApp).noquote() << QStringLiteral("cost guard: taking up the %1 of pod %2 for job %3")
                                       .arg(verb(p.onEnd), p.podId)
                                       .arg(job.id);
        schedule(p, p.dueAt.isValid() ? qMax<qint64>(0, now.msecsTo(p.dueAt)) : 0);
    }
}

void CostGuardWorker::shutdown()
{
    for (Pending &p : m_pending) {
        delete p.timer;
        p.timer = nullptr;
    }
    m_pending.clear();
    m_jobs.releaseThreadConnection();
}

void CostGuardWorker::setSettings(const CostGuardSettings &settings)
{
    m_settings = settings;
    if (!settings.idleAlertOn()) {
        for (qint64 id : m_idle.reset()) {
            clearIdle(id);
        }
    }
}

Result<Connection> CostGuardWorker::connection(qint64 connectionId)
{
    // Host updates come every couple of seconds per host: their connections are read at most once a minute.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_cacheLoadedMs < 0 || now - m_cacheLoadedMs > 60000 || !m_connectionCache.contains(connectionId)) {
        m_connectionCache.clear();
        m_cacheLoadedMs = now;
        if (const auto all = m_connections.list(); all.ok()) {
            for (const Connection &c : all.value()) {
                m_connectionCache.insert(c.id, c);
            }
        }
    }
    const auto it = m_connectionCache.constFind(connectionId);
    if (it == m_connectionCache.constEnd()) {
        return Error::notFound(QStringLiteral("no connection with id %1").arg(connectionId));
    }
    return *it;
}

void CostGuardWorker::record(qint64 jobId, const Pending &p, const QString &state, const QString &message)
{
    const auto job = m_jobs.get(jobId);
    if (!job.ok()) {
        return; // deleted meanwhile
    }
    Job changed = job.value();
    QJsonObject r{
        {QStringLiteral("action"), p.onEnd},
        {QStringLiteral("state"), state},
        {QStringLiteral("pod_id"), p.podId.isEmpty() ? QJsonValue() : QJsonValue(p.podId)},
        {QStringLiteral("due_at"), p.dueAt.isValid() ? QJsonValue(isoUtc(p.dueAt)) : QJsonValue()},
        {QStringLiteral("finished_at"), state == QStringLiteral("scheduled") || state == QStringLiteral("retrying")
                                            ? QJsonValue()
                                            : QJsonValue(isoUtc(nowUtc()))},
        {QStringLiteral("tries"), p.tries},
        {QStringLiteral("message"), message}};
    changed.onEndResult = r;
    if (const auto saved = m_jobs.update(changed, job.value()); !saved.ok()) {
        qCWarning(lcApp).noquote() << saved.error().message;
    }
}

void CostGuardWorker::audit(const Pending &p, const Status &status)
{
    AuditEntry e;
    e.origin = QStringLiteral("auto");
    e.method = QStringLiteral("POST");
    e.route = QStringLiteral("/api/runpod/pods/:id/action");
    e.target = p.podId;
    e.outcome = status.ok() ? QStringLiteral("ok")
                            : (status.error().reason.isEmpty() ? QStringLiteral("error") : status.error().reason);
    e.fields = {QStringLiteral("action")};
    if (Status s = m_audit.record(e); !s.ok()) {
        qCWarning(lcStore).noquote() << s.error().message;
    }
}

void CostGuardWorker::jobEnded(const Job &ended)
{
    if (ended.onEnd == QStringLiteral("none") || !Job::isFinal(ended.status)) {
        return;
    }
    Pending p;
    p.jobId = ended.id;
    p.attempt = ended.attempt;
    p.onEnd = ended.onEnd;
    const auto project = m_projects.get(ended.projectId);
    const auto c = project.ok() ? m_connections.get(project->connectionId) : Result<Connection>(project.error());
    if (!c.ok()) {
        return record(
            ended.id, p, QStringLiteral("skipped"),
            QStringLiteral("nothing done: the job's project or connection is gone (%1)").arg(c.error().message));
    }
    p.connectionId = c->id;
    p.connectionName = c->name;
    if (c->kind != QStringLiteral("runpod")) {
        return record(ended.id, p, QStringLiteral("skipped"),
                      QStringLiteral("nothing done: connection '%1' is not a runpod connection").arg(c->name));
    }
    p.podId = m_control ? m_control->podIdOf(c.value()) : QString();
    if (p.podId.isEmpty()) {
        return record(ended.id, p, QStringLiteral("skipped"),
                      QStringLiteral("nothing done: connection '%1' is not linked to a RunPod pod").arg(c->name));
    }
    const qint64 graceMs = qint64(m_settings.onEndGraceSeconds) * 1000;
    p.dueAt = nowUtc().addMSecs(graceMs);
    record(
        ended.id, p, QStringLiteral("scheduled"),
        QStringLiteral("the pod %1 of '%2' will be %3 at %4 (%5 s after the job %6), unless the job runs again")
            .arg(p.podId, p.connectionName,
                 p.onEnd == QStringLiteral("terminate_pod") ? QStringLiteral("terminated") : QStringLiteral("stopped"),
                 isoUtc(p.dueAt))
            .arg(m_settings.onEndGraceSeconds)
            .arg(ended.status));
    schedule(p, graceMs);
}

void CostGuardWorker::schedule(Pending p, qint64 delayMs)
{
    if (auto old = m_pending.find(p.jobId); old != m_pending.end()) {
        delete old->timer;
        p.failureAlertId = p.failureAlertId ? p.failureAlertId : old->failureAlertId;
        m_pending.erase(old);
    }
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    p.timer->setTimerType(Qt::PreciseTimer);
    const qint64 jobId = p.jobId;
    connect(p.timer, &QTimer::timeout, this, [this, jobId] { act(jobId); });
    p.timer->start(static_cast<int>(qMin<qint64>(delayMs, std::numeric_limits<int>::max())));
    m_pending.insert(jobId, p);
}

void CostGuardWorker::act(qint64 jobId)
{
    auto it = m_pending.find(jobId);
    if (it == m_pending.end()) {
        return;
    }
    Pending &p = *it;
    const auto job = m_jobs.get(jobId);
    const auto dropFailureAlert = [this](Pending &pending, const QString &why) {
        if (pending.failureAlertId > 0) {
            Alert a;
            a.id = pending.failureAlertId;
            a.connectionId = pending.connectionId;
            a.connectionName = pending.connectionName;
            a.kind = QStringLiteral("pod_action_failed");
            a.severity = QStringLiteral("critical");
            a.message = why;
            m_metrics.endAlert(a);
            pending.failureAlertId = 0;
        }
    };
    if (!job.ok()) {
        dropFailureAlert(p, QStringLiteral("job %1 was deleted; its pod action is dropped").arg(jobId));
        p.timer->deleteLater();
        m_pending.erase(it);
        return;
    }
    // Started again since it ended: its pod is in use.
    if (job->attempt != p.attempt || !Job::isFinal(job->status)) {
        const Pending done = p;
        dropFailureAlert(p, QStringLiteral("job '%1' runs again; its pod is left running").arg(job->name));
        p.timer->deleteLater();
        m_pending.erase(it);
        if (job->onEndResult.value(QStringLiteral("state")).toString() == QStringLiteral("scheduled") ||
            job->onEndResult.value(QStringLiteral("state")).toString() == QStringLiteral("retrying")) {
            record(jobId, done, QStringLiteral("skipped"),
                   QStringLiteral("called off: the job was started again before the pod was acted on"));
        }
        return;
    }
    // Another job still running on the same pod would be killed with it: left running, and said so.
    if (const auto live = m_jobs.listLive(); live.ok()) {
        for (const auto &[other, attempt] : live.value()) {
            if (other.id == jobId) {
                continue;
            }
            const auto project = m_projects.get(other.projectId);
            if (project.ok() && project->connectionId == p.connectionId) {
                const Pending done = p;
                const QString why = QStringLiteral("the pod %1 of '%2' was left running: job %3 ('%4') still runs on "
                                                   "it")
                                        .arg(p.podId, p.connectionName)
                                        .arg(other.id)
                                        .arg(other.name);
                dropFailureAlert(p, why);
                p.timer->deleteLater();
                m_pending.erase(it);
                record(jobId, done, QStringLiteral("skipped"), why);
                Alert a;
                a.connectionId = done.connectionId;
                a.connectionName = done.connectionName;
                a.kind = QStringLiteral("pod_left_running");
                a.severity = QStringLiteral("info");
                a.message = QStringLiteral("cost guard: %1").arg(why);
                a.startedAt = nowUtc();
                a.endedAt = a.startedAt;
                m_metrics.recordAlert(a);
                return;
            }
        }
    }
    ++p.tries;
    if (!m_control) {
        return onActed(jobId, Error::make(ErrorCode::Unavailable, QStringLiteral("runpod_unavailable"),
                                          QStringLiteral("RunPod is not available in this GPU Deck")));
    }
    const QString action = verb(p.onEnd);
    qCInfo(lcApp).noquote() << QStringLiteral("cost guard: %1 pod %2 ('%3') after job %4 ended (try %5)")
                                   .arg(action, p.podId, p.connectionName)
                                   .arg(jobId)
                                   .arg(p.tries);
    m_control->act(p.podId, action).then(this, [this, jobId](const Status &s) { onActed(jobId, s); });
}

void CostGuardWorker::onActed(qint64 jobId, const Status &status)
{
    auto it = m_pending.find(jobId);
    if (it == m_pending.end()) {
        return;
    }
    Pending &p = *it;
    audit(p, status);
    const bool terminate = p.onEnd == QStringLiteral("terminate_pod");
    const QString done = terminate ? QStringLiteral("terminated") : QStringLiteral("stopped");
    const auto job = m_jobs.get(jobId);
    const QString jobText = job.ok() ? QStringLiteral("job '%1' %2").arg(job->name, job->status)
                                     : QStringLiteral("job %1 ended").arg(jobId);
    if (status.ok()) {
        const QString message =
            QStringLiteral("cost guard: %1 the pod %2 of '%3' after %4").arg(done, p.podId, p.connectionName, jobText);
        if (p.failureAlertId > 0) {
            Alert a;
            a.id = p.failureAlertId;
            a.connectionId = p.connectionId;
            a.connectionName = p.connectionName;
            a.kind = QStringLiteral("pod_action_failed");
            a.severity = QStringLiteral("critical");
            a.message = message;
            m_metrics.endAlert(a);
        }
        Alert a;
        a.connectionId = p.connectionId;
        a.connectionName = p.connectionName;
        a.kind = terminate ? QStringLiteral("pod_terminated") : QStringLiteral("pod_stopped");
        a.severity = QStringLiteral("info");
        a.message = message;
        a.value = p.tries;
        a.startedAt = nowUtc();
        a.endedAt = a.startedAt;
        m_metrics.recordAlert(a);
        const Pending finished = p;
        p.timer->deleteLater();
        m_pending.erase(it);
        record(jobId, finished, QStringLiteral("done"),
               QStringLiteral("%1 the pod %2 of '%3'%4")
                   .arg(done, finished.podId, finished.connectionName,
                        finished.tries > 1 ? QStringLiteral(" (try %1)").arg(finished.tries) : QString()));
        qCInfo(lcApp).noquote() << message;
        return;
    }
    const QString why = status.error().message;
    const bool giveUp = p.tries >= CostGuard::MaxTries;
    const qint64 delay = qMin<qint64>(qint64(m_retryBaseMs) << qMin(p.tries - 1, 20), CostGuard::RetryMaxMs);
    const QString message =
        giveUp ? QStringLiteral("cost guard could not %1 the pod %2 of '%3' after %4 (%5 tries, giving up; %1 it by "
                                "hand): %6")
                     .arg(verb(p.onEnd), p.podId, p.connectionName, jobText)
                     .arg(p.tries)
                     .arg(why)
               : QStringLiteral("cost guard could not %1 the pod %2 of '%3' after %4 (try %5 of %6, next in %7): %8")
                     .arg(verb(p.onEnd), p.podId, p.connectionName, jobText)
                     .arg(p.tries)
                     .arg(CostGuard::MaxTries)
                     .arg(duration(delay), why);
    qCWarning(lcApp).noquote() << message;
    if (p.failureAlertId == 0 || p.failureMessage != message) {
        // One lasting alert per action, raised loudly on the first failure and kept up until it succeeds; a new
        // message (the next try's) replaces it.
        Alert a;
        a.connectionId = p.connectionId;
        a.connectionName = p.connectionName;
        a.kind = QStringLiteral("pod_action_failed");
        a.severity = QStringLiteral("critical");
        a.message = message;
        a.value = p.tries;
        a.threshold = CostGuard::MaxTries;
        if (p.failureAlertId > 0) {
            Alert old = a;
            old.id = p.failureAlertId;
            old.message = p.failureMessage;
            m_metrics.endAlert(old);
        }
        a.startedAt = nowUtc();
        p.failureAlertId = m_metrics.recordAlert(a);
        p.failureMessage = message;
    }
    if (giveUp) {
        const Pending failed = p;
        p.timer->deleteLater();
        m_pending.erase(it);
        record(jobId, failed, QStringLiteral("failed"), message);
        return;
    }
    p.dueAt = nowUtc().addMSecs(delay);
    const Pending retry = p;
    record(jobId, retry, QStringLiteral("retrying"), message);
    schedule(retry, delay);
}

void CostGuardWorker::hostUpdated(const HostMetrics &m)
{
    if (!m_settings.idleAlertOn() && m_idleAlerts.isEmpty()) {
        return;
    }
    const auto c = connection(m.connectionId);
    if (!c.ok() || c->kind != QStringLiteral("runpod")) {
        if (m_idle.forget(m.connectionId)) {
            clearIdle(m.connectionId);
        }
        return;
    }
    qint64 idleForMs = 0;
    switch (m_idle.update(m, QDateTime::currentMSecsSinceEpoch(), m_settings, &idleForMs)) {
    case IdleWatch::Change::Raise:
        raiseIdle(c->id, c->name, m_control ? m_control->podIdOf(c.value()) : QString(), idleForMs);
        break;
    case IdleWatch::Change::Clear:
        clearIdle(c->id);
        break;
    case IdleWatch::Change::None:
        break;
    }
}

void CostGuardWorker::raiseIdle(qint64 connectionId, const QString &name, const QString &podId, qint64 idleForMs)
{
    Alert a;
    a.connectionId = connectionId;
    a.connectionName = name;
    a.kind = QStringLiteral("pod_idle");
    a.severity = QStringLiteral("warning");
    a.threshold = m_settings.podIdleSeconds;
    a.value = -1;
    const QString idle = QStringLiteral("the pod of '%1' has been idle for %2 (no GPU process, every GPU under %3 %)")
                             .arg(name, duration(idleForMs))
                             .arg(m_settings.idleUtilizationPercent);
    a.key = QStringLiteral("pod_idle/%1").arg(connectionId);
    m_idleAlerts.insert(connectionId, {0, a});
    const auto raise = [this, connectionId, idle](const Result<PodCost> &cost) {
        auto it = m_idleAlerts.find(connectionId);
        if (it == m_idleAlerts.end() || it->alertId != 0) {
            return; // busy again meanwhile
        }
        Alert raised = it->alert;
        if (cost.ok() && cost->costSoFar >= 0) {
            raised.value = cost->costSoFar;
            raised.message =
                QStringLiteral("%1; it has cost %2 so far%3")
                    .arg(idle, money(cost->costSoFar),
                         cost->costPerHr >= 0 ? QStringLiteral(" (%1/h)").arg(money(cost->costPerHr)) : QString());
        } else {
            raised.message = QStringLiteral("%1; its cost so far is unknown%2")
                                 .arg(idle, cost.ok() ? QString() : QStringLiteral(" (%1)").arg(cost.error().message));
        }
        raised.startedAt = nowUtc();
        it->alert = raised;
        it->alertId = m_metrics.recordAlert(raised);
        if (it->alertId == 0) {
            it->alertId = -1; // not stored, but raised: nothing to end later
        }
    };
    if (!m_control || podId.isEmpty()) {
        return raise(Error::notFound(QStringLiteral("no RunPod pod is linked to '%1'").arg(name)));
    }
    m_control->cost(podId).then(this, raise);
}

void CostGuardWorker::clearIdle(qint64 connectionId)
{
    const auto it = m_idleAlerts.constFind(connectionId);
    if (it == m_idleAlerts.constEnd()) {
        return;
    }
    if (it->alertId > 0) {
        Alert a = it->alert;
        a.id = it->alertId;
        m_metrics.endAlert(a);
    }
    m_idleAlerts.erase(it);
}

} // namespace gpudeck
