#include "jobs/JobSupervisor.h"

#include "logging/Logging.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

#include <QPromise>
#include <QThread>
#include <QTimer>

namespace gpudeck {
namespace {

template<typename T>
QFuture<Result<T>> ready(Result<T> value)
{
    return QtFuture::makeReadyFuture(std::move(value));
}

ExecOptions quick(int timeoutMs = 30000)
{
    ExecOptions o;
    o.timeoutMs = timeoutMs;
    return o;
}

} // namespace

JobSupervisor::JobSupervisor(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs,
                             SshPool &pool, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_pool(pool)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(m_pollIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &JobSupervisor::pollAll);
    connect(&m_pool, &SshPool::statusChanged, this, &JobSupervisor::onLinkStatus);
}

JobSupervisor::~JobSupervisor()
{
    stop();
}

void JobSupervisor::setPollIntervalMs(int ms)
{
    m_pollIntervalMs = qMax(100, ms);
    QMetaObject::invokeMethod(this, [this] { m_timer->setInterval(m_pollIntervalMs); });
}

void JobSupervisor::start()
{
    if (m_thread) {
        return;
    }
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("gpudeck-jobs"));
    moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(this, [this] { startOnThread(); });
}

void JobSupervisor::startOnThread()
{
    m_timer->start();
    // Hosts with jobs still marked running are connected so those jobs can be reconciled.
    const auto running = m_jobs.listByStatus({QStringLiteral("running"), QStringLiteral("pending")});
    if (!running.ok()) {
        return;
    }
    QSet<qint64> hosts;
    for (const Job &j : running.value()) {
        if (j.backend.isEmpty()) {
            continue; // tracked, not launched by GPU Deck
        }
        if (const auto p = m_projects.get(j.projectId); p.ok()) {
            hosts.insert(p->connectionId);
        }
    }
    for (qint64 id : std::as_const(hosts)) {
        if (const auto c = m_connections.get(id); c.ok() && m_pool.status(id).state != LinkState::Connected) {
            qCInfo(lcApp).noquote() << "connecting" << c->name << "to reconcile its running jobs";
            m_pool.connectTo(c.value());
        }
    }
}

void JobSupervisor::stop()
{
    if (!m_thread) {
        return;
    }
    QThread *owner = QThread::currentThread() == m_thread ? nullptr : QThread::currentThread();
    QMetaObject::invokeMethod(
        this,
        [this, owner] {
            m_timer->stop();
            m_jobs.releaseThreadConnection();
            moveToThread(owner); // back to the thread that will delete it
            QThread::currentThread()->quit();
        },
        Qt::BlockingQueuedConnection);
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

Result<JobSupervisor::Context> JobSupervisor::load(qint64 jobId)
{
    Context ctx;
    const auto job = m_jobs.get(jobId);
    if (!job.ok()) {
        return job.error();
    }
    const auto project = m_projects.get(job->projectId);
    if (!project.ok()) {
        return project.error();
    }
    const auto connection = m_connections.get(project->connectionId);
    if (!connection.ok()) {
        return connection.error();
    }
    ctx.job = job.value();
    ctx.project = project.value();
    ctx.connection = connection.value();
    return ctx;
}

QFuture<Result<Job>> JobSupervisor::startJob(qint64 jobId)
{
    const auto ctx = load(jobId);
    if (!ctx.ok()) {
        return ready<Job>(ctx.error());
    }
    const Job &job = ctx->job;
    if (job.command.trimmed().isEmpty()) {
        return ready<Job>(Error::validation(QStringLiteral("command"),
                                            QStringLiteral("job %1 has no command to run; set 'command' first").arg(jobId)));
    }
    if (job.status != QStringLiteral("pending")) {
        return ready<Job>(Error::conflict(
            QStringLiteral("job %1 is %2; only a pending job can be started").arg(jobId).arg(job.status)));
    }
    if (!job.containerId.isEmpty() && job.backend == QStringLiteral("slurm")) {
        // A submitted Slurm job stays pending while it waits in the queue; submitting it again would run it twice.
        return ready<Job>(Error::conflict(QStringLiteral("job %1 was already submitted to Slurm (job %2) and is waiting "
                                                         "in the queue")
                                              .arg(jobId)
                                              .arg(job.containerId)));
    }
    const QString dir = job.workingDir.isEmpty() ? ctx->project.remotePath : job.workingDir;
    const bool slurm = ctx->project.backend == QStringLiteral("slurm");
    const QString script = slurm ? JobScripts::slurmSubmit(job, dir) : JobScripts::tmuxStart(job, dir);
    JobRepository *jobs = &m_jobs;
    const QString host = ctx->connection.name;
    return m_pool.exec(ctx->connection.id, script, quick())
        .then(this, [jobs, jobId, slurm, host](const Result<CommandResult> &r) -> Result<Job> {
            if (!r.ok()) {
                return r.error();
            }
            const QString err = QString::fromUtf8(r->stdErr).trimmed();
            if (r->exitCode == 97) {
                return Error::make(ErrorCode::Upstream, QStringLiteral("no_tmux"),
                                   QStringLiteral("tmux is not installed on '%1'; install it (e.g. apt-get install tmux) "
                                                  "to launch jobs there").arg(host));
            }
            if (r->exitCode == 98) {
                return Error::make(ErrorCode::Upstream, QStringLiteral("no_slurm"),
                                   QStringLiteral("sbatch is not available on '%1'; is it a Slurm login node?").arg(host));
            }
            if (r->exitCode != 0) {
                return Error::make(ErrorCode::Upstream, QStringLiteral("start_failed"),
                                   QStringLiteral("could not start job %1 on '%2' (exit %3): %4")
                                       .arg(jobId)
                                       .arg(host)
                                       .arg(r->exitCode)
                                       .arg(err.left(500)));
            }
            auto stored = jobs->get(jobId);
            if (!stored.ok()) {
                return stored.error();
            }
            Job updated = stored.value();
            updated.backend = slurm ? QStringLiteral("slurm") : QStringLiteral("tmux");
            if (slurm) {
                updated.containerId = QString::fromUtf8(r->stdOut).trimmed().section(QLatin1Char(';'), 0, 0);
            } else {
                updated.containerId = JobScripts::sessionName(jobId);
                updated.status = QStringLiteral("running");
            }
            updated.exitCode.reset();
            updated.statusReason.clear();
            return jobs->update(updated);
        });
}

QFuture<Result<Job>> JobSupervisor::cancelJob(qint64 jobId, int graceMs)
{
    const auto ctx = load(jobId);
    if (!ctx.ok()) {
        return ready<Job>(ctx.error());
    }
    const Job &job = ctx->job;
    if (Job::isFinal(job.status)) {
        return ready<Job>(Error::conflict(QStringLiteral("job %1 has already ended (%2)").arg(jobId).arg(job.status)));
    }
    if (job.backend.isEmpty()) {
        // A tracked job: nothing to stop on a host, just record it.
        Job updated = job;
        updated.status = QStringLiteral("cancelled");
        updated.statusReason = QStringLiteral("cancelled by the user");
        return ready<Job>(m_jobs.update(updated));
    }
    m_cancelling.insert(jobId);
    const qint64 connectionId = ctx->connection.id;
    const bool slurm = job.backend == QStringLiteral("slurm");
    const QString script = slurm ? JobScripts::slurmCancel(job.containerId) : JobScripts::tmuxInterrupt(jobId);
    JobRepository *jobs = &m_jobs;
    SshPool *pool = &m_pool;
    return m_pool.exec(connectionId, script, quick())
        .then(this, [this, jobs, pool, jobId, connectionId, slurm, graceMs](const Result<CommandResult> &r) -> Result<Job> {
            if (!r.ok()) {
                m_cancelling.remove(jobId);
                return r.error();
            }
            if (!slurm) {
                // Whatever ignores the interrupt is killed after the grace period.
                QTimer::singleShot(graceMs, this, [pool, connectionId, jobId] {
                    pool->exec(connectionId, JobScripts::tmuxKill(jobId), quick());
                });
            }
            auto stored = jobs->get(jobId);
            if (!stored.ok()) {
                return stored.error();
            }
            Job updated = stored.value();
            if (Job::isFinal(updated.status)) {
                return updated;
            }
            updated.status = QStringLiteral("cancelled");
            updated.statusReason = QStringLiteral("cancelled by the user");
            auto saved = jobs->update(updated);
            m_cancelling.remove(jobId);
            if (saved.ok()) {
                Q_EMIT jobEnded(saved.value());
            }
            return saved;
        });
}

QFuture<Result<QString>> JobSupervisor::tailLog(qint64 jobId, int lines)
{
    const auto ctx = load(jobId);
    if (!ctx.ok()) {
        return ready<QString>(ctx.error());
    }
    if (ctx->job.backend.isEmpty()) {
        return ready<QString>(Error::make(ErrorCode::Conflict, QStringLiteral("no_log"),
                                          QStringLiteral("job %1 was not launched by GPU Deck, so it has no log here").arg(jobId)));
    }
    return m_pool.exec(ctx->connection.id, JobScripts::tail(jobId, lines), quick())
        .then([](const Result<CommandResult> &r) -> Result<QString> {
            if (!r.ok()) {
                return r.error();
            }
            return QString::fromUtf8(r->stdOut);
        });
}

Result<QPair<qint64, QString>> JobSupervisor::followCommand(qint64 jobId, int lines)
{
    const auto ctx = load(jobId);
    if (!ctx.ok()) {
        return ctx.error();
    }
    if (ctx->job.backend.isEmpty()) {
        return Error::make(ErrorCode::Conflict, QStringLiteral("no_log"),
                           QStringLiteral("job %1 was not launched by GPU Deck, so it has no log here").arg(jobId));
    }
    return QPair<qint64, QString>(ctx->connection.id, JobScripts::follow(jobId, lines));
}

void JobSupervisor::onLinkStatus(qint64, const LinkStatus &status)
{
    if (status.state == LinkState::Connected) {
        pollAll(); // reconcile at once on (re)connect
    }
}

void JobSupervisor::pollAll()
{
    const auto active = m_jobs.listByStatus({QStringLiteral("running"), QStringLiteral("pending")});
    if (!active.ok()) {
        return;
    }
    QHash<qint64, QList<JobScripts::Watched>> perHost;
    for (const Job &j : active.value()) {
        if (j.backend.isEmpty() || (j.backend == QStringLiteral("slurm") && j.containerId.isEmpty())) {
            continue;
        }
        const auto p = m_projects.get(j.projectId);
        if (!p.ok()) {
            continue;
        }
        if (!m_metricsSeen.contains(j.id)) {
            // After a restart: what was already stored is not read again.
            const auto series = m_jobs.metricSeries(j.id, 1000000);
            m_metricsSeen.insert(j.id, series.ok() ? static_cast<int>(series->size()) : 0);
        }
        perHost[p->connectionId].append({j.id, j.backend, j.containerId, m_metricsSeen.value(j.id)});
    }
    for (auto it = perHost.begin(); it != perHost.end(); ++it) {
        const qint64 connectionId = it.key();
        if (m_pollInFlight.contains(connectionId) || m_pool.status(connectionId).state != LinkState::Connected) {
            continue;
        }
        m_pollInFlight.insert(connectionId);
        const QList<JobScripts::Watched> watched = it.value();
        m_pool.exec(connectionId, JobScripts::poll(watched), quick(15000))
            .then(this, [this, connectionId, watched](const Result<CommandResult> &r) { onPoll(connectionId, watched, r); });
    }
}

void JobSupervisor::onPoll(qint64 connectionId, const QList<JobScripts::Watched> &watched, const Result<CommandResult> &result)
{
    m_pollInFlight.remove(connectionId);
    if (!result.ok()) {
        return; // the link dropped; reconciled when it is back
    }
    const auto states = JobScripts::parsePoll(QString::fromUtf8(result->stdOut));
    for (const JobScripts::Watched &w : watched) {
        const JobScripts::PollState st = states.value(w.jobId);
        auto job = m_jobs.get(w.jobId);
        if (!job.ok() || Job::isFinal(job->status)) {
            continue;
        }
        Job current = job.value();
        if (st.metricsLines > 0) {
            m_metricsSeen[w.jobId] += st.metricsLines;
            if (!st.metrics.isEmpty()) {
                for (const QJsonObject &m : st.metrics) {
                    for (auto it = m.begin(); it != m.end(); ++it) {
                        current.metrics.insert(it.key(), it.value()); // latest values win
                    }
                }
                if (Status s = m_jobs.appendMetrics(w.jobId, st.metrics); !s.ok()) {
                    qCWarning(lcApp).noquote() << s.error().message;
                }
                if (auto saved = m_jobs.update(current); saved.ok()) {
                    current = saved.value();
                }
            }
        }
        const bool cancelling = m_cancelling.contains(w.jobId);
        if (st.state == QStringLiteral("exit")) {
            if (cancelling) {
                finishJob(current, QStringLiteral("cancelled"), st.exitCode, QStringLiteral("cancelled by the user"));
            } else if (st.exitCode == 0) {
                finishJob(current, QStringLiteral("completed"), 0, {});
            } else {
                finishJob(current, QStringLiteral("failed"), st.exitCode,
                          QStringLiteral("the command exited with code %1").arg(st.exitCode));
            }
        } else if (st.state == QStringLiteral("gone")) {
            // Seen twice in a row, so a job ending between two checks of the same poll is not misread.
            if (++m_goneCount[w.jobId] >= 2) {
                finishJob(current, cancelling ? QStringLiteral("cancelled") : QStringLiteral("failed"), std::nullopt,
                          cancelling ? QStringLiteral("cancelled by the user")
                                     : QStringLiteral("the tmux session vanished without an exit code (killed, or the "
                                                      "host rebooted)"));
            }
        } else if (st.state == QStringLiteral("slurm")) {
            const QString status = JobScripts::statusForSlurm(st.slurmState);
            if (status == QStringLiteral("running") && current.status != QStringLiteral("running")) {
                current.status = QStringLiteral("running");
                if (auto saved = m_jobs.update(current); saved.ok()) {
                    current = saved.value();
                }
            } else if (Job::isFinal(status)) {
                finishJob(current, status, st.exitCode >= 0 ? std::optional<int>(st.exitCode) : std::nullopt,
                          status == QStringLiteral("completed") ? QString()
                                                                 : QStringLiteral("Slurm reports %1").arg(st.slurmState));
            } else if (status.isEmpty() && st.slurmState == QStringLiteral("UNKNOWN")) {
                if (++m_goneCount[w.jobId] >= 3) {
                    finishJob(current, QStringLiteral("failed"), std::nullopt,
                              QStringLiteral("Slurm no longer knows job %1 and it left no exit code").arg(current.containerId));
                }
            }
        } else if (st.state == QStringLiteral("running")) {
            m_goneCount.remove(w.jobId);
        }
    }
}

void JobSupervisor::finishJob(Job job, const QString &status, std::optional<int> exitCode, const QString &reason)
{
    job.status = status;
    job.exitCode = exitCode;
    job.statusReason = reason;
    m_cancelling.remove(job.id);
    m_goneCount.remove(job.id);
    m_metricsSeen.remove(job.id);
    auto saved = m_jobs.update(job);
    if (!saved.ok()) {
        qCWarning(lcApp).noquote() << saved.error().message;
        return;
    }
    qCInfo(lcApp).noquote() << QStringLiteral("job %1 (%2) %3").arg(job.id).arg(job.name, status);
    Q_EMIT jobEnded(saved.value());
}

} // namespace gpudeck
