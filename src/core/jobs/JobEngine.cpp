#include "jobs/JobEngine.h"

#include "jobs/JobLogFollow.h"
#include "jobs/JobStartCheck.h"
#include "logging/Logging.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

#include <QTimer>

namespace gpudeck {
namespace {

ExecOptions quick(int timeoutMs = 30000)
{
    ExecOptions o;
    o.timeoutMs = timeoutMs;
    return o;
}

// The job supervisor's own short commands (polls, follow joins): the SSH link keeps a channel for these, so log
// streams and people's execs never hold them up.
ExecOptions supervisionLane(int timeoutMs)
{
    ExecOptions o = quick(timeoutMs);
    o.lane = ExecLane::Supervision;
    return o;
}

void fulfil(const JobEngine::JobPromise &promise, const Result<Job> &result)
{
    promise->addResult(result);
    promise->finish();
}

// "$HOME/.gpudeck/..." as a person reads it.
QString shownDir(const QString &hostDir)
{
    QString out = hostDir;
    return out.replace(QStringLiteral("$HOME"), QStringLiteral("~"));
}

} // namespace

JobEngine::JobEngine(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs, SshPool &pool,
                     QString instanceId, int pollIntervalMs, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_projects(projects)
    , m_jobs(jobs)
    , m_pool(pool)
    , m_instanceId(std::move(instanceId))
    , m_pollIntervalMs(pollIntervalMs)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &JobEngine::tick);
    connect(&m_pool, &SshPool::statusChanged, this, &JobEngine::onLinkStatus);
}

JobEngine::~JobEngine() = default;

void JobEngine::init()
{
    updateTimer();
    m_timer->start();
    // Hosts with jobs that may still run are connected so those jobs can be reconciled.
    const auto live = m_jobs.listLive();
    if (!live.ok()) {
        qCWarning(lcApp).noquote() << live.error().message;
        return;
    }
    QSet<qint64> hosts;
    for (const auto &[job, attempt] : live.value()) {
        if (const auto p = m_projects.get(job.projectId); p.ok()) {
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

void JobEngine::shutdown()
{
    m_timer->stop();
    for (FollowedLog &f : m_follows) {
        for (Follower &follower : f.followers) {
            follower.sink->finish(Error::make(ErrorCode::Unavailable, QStringLiteral("shutting_down"),
                                              QStringLiteral("GPU Deck is shutting down")));
        }
    }
    m_follows.clear();
    m_jobs.releaseThreadConnection();
}

void JobEngine::setPollIntervalMs(int ms)
{
    m_pollIntervalMs = ms;
    updateTimer();
}

void JobEngine::updateTimer()
{
    m_timer->setInterval(m_follows.isEmpty() ? m_pollIntervalMs : qMin(m_pollIntervalMs, FollowIntervalMs));
}

QString JobEngine::hostName(qint64 connectionId)
{
    const auto c = m_connections.get(connectionId);
    return c.ok() ? c->name : QString::number(connectionId);
}

Result<JobEngine::Context> JobEngine::load(JobRepository &jobs, ProjectRepository &projects,
                                           ConnectionRepository &connections, qint64 jobId)
{
    Context ctx;
    const auto job = jobs.get(jobId);
    if (!job.ok()) {
        return job.error();
    }
    const auto project = projects.get(job->projectId);
    if (!project.ok()) {
        return project.error();
    }
    const auto connection = connections.get(project->connectionId);
    if (!connection.ok()) {
        return connection.error();
    }
    ctx.job = job.value();
    ctx.project = project.value();
    ctx.connection = connection.value();
    return ctx;
}

void JobEngine::startJob(qint64 jobId, bool createDir, const JobPromise &promise)
{
    const auto ctx = load(jobId);
    if (!ctx.ok()) {
        return fulfil(promise, ctx.error());
    }
    const Job &job = ctx->job;
    if (m_starting.contains(jobId)) {
        return fulfil(promise,
                      Error::conflict(QStringLiteral("%1 is being started already").arg(JobStartCheck::jobText(job))));
    }
    std::optional<JobAttempt> latest;
    if (job.attempt > 0) {
        if (const auto current = m_jobs.attempt(jobId, job.attempt); current.ok()) {
            latest = current.value();
        }
    }
    if (Status can = JobStartCheck::check(job, latest, ctx->connection.name, m_pool.status(ctx->connection.id));
        !can.ok()) {
        return fulfil(promise, can.error());
    }
    const bool slurm = ctx->project.backend == QStringLiteral("slurm");
    JobAttempt attempt;
    attempt.jobId = jobId;
    attempt.attempt = job.attempt + 1;
    attempt.backend = slurm ? QStringLiteral("slurm") : QStringLiteral("tmux");
    attempt.hostDir = JobScripts::attemptDir(m_instanceId, jobId, attempt.attempt);
    attempt.session = JobScripts::sessionName(m_instanceId, jobId, attempt.attempt);
    const QString dir = job.workingDir.isEmpty() ? ctx->project.remotePath : job.workingDir;
    const QString script = slurm ? JobScripts::slurmSubmit(job, dir, attempt, createDir)
                                 : JobScripts::tmuxStart(job, dir, attempt, createDir);
    m_starting.insert(jobId);
    const Context context = ctx.value();
    // Before the launch: tmux on a pod (its image may lack it), then the project's files when the job asks.
    prepareHost(context, slurm, [this, context, attempt, script, promise](const Status &ready) {
        if (!ready.ok()) {
            m_starting.remove(context.job.id);
            return fulfil(promise, ready.error());
        }
        m_pool.exec(context.connection.id, script, quick())
            .then(this, [this, context, attempt, promise](const Result<CommandResult> &r) {
                m_starting.remove(context.job.id);
                onStarted(context, attempt, r, promise);
            });
    });
}

void JobEngine::prepareHost(const Context &ctx, bool slurm, const std::function<void(const Status &)> &then)
{
    const bool pod = ctx.connection.kind == QStringLiteral("runpod");
    if (!pod || slurm) {
        return syncProject(ctx, then);
    }
    // Checked before every launch on a pod, not once: stopping and starting a pod resets its container disk, and the
    // check costs one short command.
    ExecOptions options = quick(TmuxInstallTimeoutMs);
    const QString host = ctx.connection.name;
    m_pool.exec(ctx.connection.id, JobScripts::ensureTmux(), options)
        .then(this, [this, ctx, host, then](const Result<CommandResult> &r) {
            if (!r.ok()) {
                return then(r.error());
            }
            const QString out = QString::fromUtf8(r->stdOut).trimmed();
            if (r->exitCode == 0 && out.contains(QStringLiteral("GPUDECK_TMUX_INSTALLED"))) {
                const QString manager = out.section(QStringLiteral("GPUDECK_TMUX_INSTALLED"), 1).trimmed();
                qCInfo(lcApp).noquote() << QStringLiteral("installed tmux on '%1' with %2").arg(host, manager);
            } else if (r->exitCode != 0 || !out.contains(QStringLiteral("GPUDECK_TMUX_OK"))) {
                QString why = out.section(QStringLiteral("GPUDECK_TMUX_FAIL"), 1).trimmed();
                if (why.isEmpty()) {
                    why = QStringLiteral("the check ended with exit %1").arg(r->exitCode);
                }
                const QString tail = QString::fromUtf8(r->stdErr).trimmed().right(600);
                return then(Error::make(ErrorCode::Upstream, QStringLiteral("tmux_install_failed"),
                                        QStringLiteral("tmux is needed to launch jobs on '%1' and could not be "
                                                       "installed: %2%3")
                                            .arg(host, why, tail.isEmpty() ? QString() : QStringLiteral(": ") + tail)));
            }
            syncProject(ctx, then);
        });
}

void JobEngine::syncProject(const Context &ctx, const std::function<void(const Status &)> &then)
{
    if (!ctx.job.syncBeforeStart) {
        return then({});
    }
    if (!m_sync) {
        return then(Error::make(ErrorCode::Unavailable, QStringLiteral("sync_unavailable"),
                                QStringLiteral("%1 asks to sync its project's files before it starts, and "
                                               "syncing is not available here; clear 'sync_before_start'")
                                    .arg(JobStartCheck::jobText(ctx.job))));
    }
    const QString jobText = JobStartCheck::jobText(ctx.job);
    const QString project = ctx.project.name;
    m_sync(ctx.project.id).then(this, [jobText, project, then](const Status &synced) {
        if (!synced.ok()) {
            return then(Error::make(ErrorCode::Upstream, QStringLiteral("sync_failed"),
                                    QStringLiteral("%1 was not started: syncing project '%2' before it failed: %3")
                                        .arg(jobText, project, synced.error().message)));
        }
        then({});
    });
}

void JobEngine::onStarted(const Context &ctx, const JobAttempt &started, const Result<CommandResult> &r,
                          const JobPromise &promise)
{
    const qint64 jobId = ctx.job.id;
    const QString host = ctx.connection.name;
    if (!r.ok()) {
        return fulfil(promise, r.error());
    }
    const QString err = QString::fromUtf8(r->stdErr).trimmed();
    switch (r->exitCode) {
    case 0:
        break;
    case JobScripts::NoTmux:
        return fulfil(promise,
                      Error::make(ErrorCode::Upstream, QStringLiteral("no_tmux"),
                                  QStringLiteral("tmux is not installed on '%1'; install it (e.g. apt-get install "
                                                 "tmux) to launch jobs there")
                                      .arg(host)));
    case JobScripts::NoSlurm:
        return fulfil(
            promise,
            Error::make(ErrorCode::Upstream, QStringLiteral("no_slurm"),
                        QStringLiteral("sbatch is not available on '%1'; is it a Slurm login node?").arg(host)));
    case JobScripts::FolderExists:
        return fulfil(promise,
                      Error::make(ErrorCode::Conflict, QStringLiteral("job_folder_exists"),
                                  QStringLiteral("the folder %1 for attempt %2 of %3 already exists on '%4'; "
                                                 "it is not this GPU Deck's to overwrite (is a copy of this data "
                                                 "directory running elsewhere?)")
                                      .arg(shownDir(started.hostDir))
                                      .arg(started.attempt)
                                      .arg(JobStartCheck::jobText(ctx.job), host)));
    case JobScripts::SessionExists:
        return fulfil(promise,
                      Error::make(ErrorCode::Conflict, QStringLiteral("session_exists"),
                                  QStringLiteral("a tmux session named %1 already exists on '%2'; it is not this "
                                                 "GPU Deck's to replace")
                                      .arg(started.session, host)));
    case JobScripts::WorkingDirUnusable: {
        // The attempt happened and failed before the command could run: recorded as such, so the job, its log and
        // the notification all say why.
        Job failed = ctx.job;
        failed.status = QStringLiteral("failed");
        failed.statusReason = err.section(QLatin1Char('\n'), 0, 0);
        failed.exitCode.reset();
        failed.backend = started.backend;
        failed.containerId = started.backend == QStringLiteral("tmux") ? started.session : QString();
        failed.metrics = {};
        failed.startedAt = nowUtc();
        failed.completedAt = failed.startedAt;
        JobAttempt attempt = started;
        attempt.startedAt = failed.startedAt;
        attempt.endedAt = failed.startedAt;
        attempt.status = failed.status;
        attempt.statusReason = failed.statusReason;
        auto saved = m_jobs.recordAttempt(failed, attempt);
        if (saved.ok()) {
            Q_EMIT jobEnded(saved.value());
        }
        Error e = Error::make(ErrorCode::Validation, QStringLiteral("working_dir_unusable"),
                              QStringLiteral("%1 (on '%2'; create it, or send \"create_remote_path\": true)")
                                  .arg(failed.statusReason, host),
                              {{QStringLiteral("job_id"), jobId}, {QStringLiteral("attempt"), started.attempt}});
        e.field = ctx.job.workingDir.isEmpty() ? QStringLiteral("remote_path") : QStringLiteral("working_dir");
        return fulfil(promise, e);
    }
    default:
        return fulfil(promise, Error::make(ErrorCode::Upstream, QStringLiteral("start_failed"),
                                           QStringLiteral("could not start %1 on '%2' (exit %3): %4")
                                               .arg(JobStartCheck::jobText(ctx.job), host)
                                               .arg(r->exitCode)
                                               .arg(err.left(500))));
    }
    auto stored = m_jobs.get(jobId);
    if (!stored.ok()) {
        return fulfil(promise, stored.error());
    }
    Job updated = stored.value();
    JobAttempt attempt = started;
    attempt.startedAt = nowUtc();
    const bool slurm = started.backend == QStringLiteral("slurm");
    updated.backend = started.backend;
    attempt.containerId =
        slurm ? QString::fromUtf8(r->stdOut).trimmed().section(QLatin1Char(';'), 0, 0) : started.session;
    updated.containerId = attempt.containerId;
    // A new run: what the job says describes this attempt from now on.
    updated.status = slurm ? QStringLiteral("pending") : QStringLiteral("running");
    updated.startedAt = {};
    updated.completedAt = {};
    if (!slurm) {
        updated.startedAt = attempt.startedAt;
    }
    updated.exitCode.reset();
    updated.statusReason.clear();
    updated.metrics = {};
    updated.onEndResult = {}; // the cost guard's record is of the latest end
    m_metricsSeen.insert({jobId, attempt.attempt}, 0);
    m_goneCount.remove(jobId);
    fulfil(promise, m_jobs.recordAttempt(updated, attempt));
}

void JobEngine::cancelJob(qint64 jobId, int graceMs, const JobPromise &promise)
{
    const auto ctx = load(jobId);
    if (!ctx.ok()) {
        return fulfil(promise, ctx.error());
    }
    const Job &job = ctx->job;
    if (Job::isFinal(job.status)) {
        return fulfil(
            promise,
            Error::conflict(QStringLiteral("%1 has already ended (%2)").arg(JobStartCheck::jobText(job), job.status)));
    }
    const auto attempt = job.attempt > 0 ? m_jobs.attempt(jobId, job.attempt) : Result<JobAttempt>(Error::notFound({}));
    if (!attempt.ok() || !attempt->isLive()) {
        // Nothing of it runs on a host (a tracked job, or never started): just record it.
        Job updated = job;
        updated.status = QStringLiteral("cancelled");
        updated.statusReason = QStringLiteral("cancelled by the user");
        return fulfil(promise, m_jobs.update(updated));
    }
    m_cancelling.insert(jobId);
    const qint64 connectionId = ctx->connection.id;
    const JobAttempt running = attempt.value();
    const bool slurm = running.backend == QStringLiteral("slurm");
    const QString script =
        slurm ? JobScripts::slurmCancel(running.containerId) : JobScripts::tmuxInterrupt(running.session);
    m_pool.exec(connectionId, script, quick())
        .then(this, [this, jobId, connectionId, running, slurm, graceMs, promise](const Result<CommandResult> &r) {
            if (!r.ok()) {
                m_cancelling.remove(jobId);
                return fulfil(promise, r.error());
            }
            if (!slurm) {
                // Whatever ignores the interrupt is killed after the grace period: this attempt's session only.
                QTimer::singleShot(graceMs, this, [this, connectionId, session = running.session] {
                    m_pool.exec(connectionId, JobScripts::tmuxKill(session), quick());
                });
            }
            auto stored = m_jobs.get(jobId);
            if (!stored.ok()) {
                m_cancelling.remove(jobId);
                return fulfil(promise, stored.error());
            }
            Job updated = stored.value();
            if (Job::isFinal(updated.status) || updated.attempt != running.attempt) {
                m_cancelling.remove(jobId);
                return fulfil(promise, updated); // it ended meanwhile (the poll saw it)
            }
            updated.status = QStringLiteral("cancelled");
            updated.statusReason = QStringLiteral("cancelled by the user");
            auto saved = m_jobs.endAttempt(updated, running.attempt);
            m_cancelling.remove(jobId);
            m_goneCount.remove(jobId);
            if (saved.ok()) {
                Q_EMIT jobEnded(saved.value());
            }
            fulfil(promise, saved);
        });
}

void JobEngine::follow(const std::shared_ptr<JobLogFollow> &follower, const JobAttempt &attempt, qint64 connectionId,
                       int lines)
{
    const AttemptKey key{attempt.jobId, attempt.attempt};
    FollowedLog &followed = m_follows[key];
    followed.attempt = attempt;
    followed.connectionId = connectionId;
    followed.followers.append({follower, -1});
    updateTimer();
    // One short command for the lines so far and the size they end at; from there the poll reads by offset.
    m_pool.exec(connectionId, JobScripts::tailWithSize(attempt, lines), supervisionLane(30000))
        .then(this, [this, key, follower](const Result<CommandResult> &r) {
            auto it = m_follows.find(key);
            if (it == m_follows.end()) {
                return;
            }
            for (qsizetype i = 0; i < it->followers.size(); ++i) {
                Follower &f = it->followers[i];
                if (f.sink != follower) {
                    continue;
                }
                if (!r.ok()) {
                    follower->finish(r.error());
                    it->followers.removeAt(i);
                    break;
                }
                const QByteArray out = r->stdOut;
                const qsizetype newline = out.indexOf('\n');
                bool ok = false;
                const qint64 size = out.left(newline).trimmed().toLongLong(&ok);
                f.offset = ok ? size : 0;
                follower->deliver(newline < 0 ? QByteArray() : out.mid(newline + 1));
                break;
            }
            if (it->followers.isEmpty()) {
                m_follows.erase(it);
                updateTimer();
            }
        });
}

void JobEngine::onLinkStatus(qint64, const LinkStatus &status)
{
    if (status.state == LinkState::Connected) {
        poll(true); // reconcile at once on (re)connect
    }
}

void JobEngine::tick()
{
    // Half a tick of slack: a coarse timer may fire a little early, and a supervision poll skipped for that would
    // cost a whole interval.
    const bool supervision =
        !m_sinceSupervision.isValid() || m_sinceSupervision.elapsed() >= m_pollIntervalMs - m_timer->interval() / 2;
    poll(supervision);
}

void JobEngine::poll(bool supervision)
{
    if (supervision) {
        m_sinceSupervision.restart();
    }
    // Followers that left cost nothing from here on.
    for (auto it = m_follows.begin(); it != m_follows.end();) {
        it->followers.removeIf([](const Follower &f) { return f.sink->isStopped(); });
        it = it->followers.isEmpty() ? m_follows.erase(it) : std::next(it);
    }
    updateTimer();

    struct HostWork
    {
        QList<JobScripts::Watched> watched;
        QHash<int, Entry> entries;
        bool followed = false;
    };
    QHash<qint64, HostWork> perHost;
    int nextKey = 0;
    const auto logFrom = [this](const AttemptKey &key) -> qint64 {
        const auto it = m_follows.constFind(key);
        if (it == m_follows.constEnd()) {
            return -1;
        }
        qint64 from = -1;
        for (const Follower &f : it->followers) {
            if (f.offset >= 0 && (from < 0 || f.offset < from)) {
                from = f.offset;
            }
        }
        return from;
    };
    QSet<AttemptKey> covered;
    if (const auto live = m_jobs.listLive(); live.ok()) {
        for (const auto &[job, attempt] : live.value()) {
            const auto p = m_projects.get(job.projectId);
            if (!p.ok()) {
                continue;
            }
            const AttemptKey key{job.id, attempt.attempt};
            if (!m_metricsSeen.contains(key)) {
                // After a restart: what was already stored is not read again.
                const auto count = m_jobs.metricCount(job.id, attempt.attempt);
                m_metricsSeen.insert(key, count.ok() ? count.value() : 0);
            }
            HostWork &work = perHost[p->connectionId];
            const int k = ++nextKey;
            const qint64 from = logFrom(key);
            work.watched.append({k, attempt, true, m_metricsSeen.value(key), from});
            work.entries.insert(k, {key, true});
            work.followed = work.followed || from >= 0;
            covered.insert(key);
        }
    } else {
        qCWarning(lcApp).noquote() << live.error().message;
    }
    // Followed logs of attempts that have ended: read until everything was delivered.
    for (auto it = m_follows.cbegin(); it != m_follows.cend(); ++it) {
        const qint64 from = logFrom(it.key());
        if (covered.contains(it.key()) || from < 0) {
            continue;
        }
        HostWork &work = perHost[it->connectionId];
        const int k = ++nextKey;
        work.watched.append({k, it->attempt, false, 0, from});
        work.entries.insert(k, {it.key(), false});
        work.followed = true;
    }
    for (auto it = perHost.cbegin(); it != perHost.cend(); ++it) {
        const qint64 connectionId = it.key();
        if ((!supervision && !it->followed) || m_pollInFlight.contains(connectionId) ||
            m_pool.status(connectionId).state != LinkState::Connected) {
            continue;
        }
        m_pollInFlight.insert(connectionId);
        const QHash<int, Entry> entries = it->entries;
        m_pool.exec(connectionId, JobScripts::poll(it->watched, LogChunkBytes), supervisionLane(15000))
            .then(this,
                  [this, connectionId, entries](const Result<CommandResult> &r) { onPoll(connectionId, entries, r); });
    }
}

void JobEngine::onPoll(qint64 connectionId, const QHash<int, Entry> &entries, const Result<CommandResult> &result)
{
    m_pollInFlight.remove(connectionId);
    if (!result.ok()) {
        return; // the link dropped; reconciled when it is back
    }
    const auto states = JobScripts::parsePoll(QString::fromUtf8(result->stdOut));
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        const JobScripts::PollState st = states.value(it.key());
        const bool ended = it->state ? applyState(it->key, st) : true;
        if (st.hasLog) {
            deliverLog(it->key, st, ended);
        }
    }
    updateTimer();
}

bool JobEngine::applyState(const AttemptKey &key, const JobScripts::PollState &st)
{
    const qint64 jobId = key.first;
    const int attempt = key.second;
    auto job = m_jobs.get(jobId);
    if (!job.ok() || Job::isFinal(job->status) || job->attempt != attempt) {
        return true;
    }
    Job current = job.value();
    if (st.metricsLines > 0) {
        m_metricsSeen[key] += st.metricsLines;
        if (!st.metrics.isEmpty()) {
            for (const QJsonObject &m : st.metrics) {
                for (auto it = m.begin(); it != m.end(); ++it) {
                    current.metrics.insert(it.key(), it.value()); // latest values win
                }
            }
            if (Status s = m_jobs.appendMetrics(jobId, attempt, st.metrics); !s.ok()) {
                qCWarning(lcApp).noquote() << s.error().message;
            }
            if (auto saved = m_jobs.update(current); saved.ok()) {
                current = saved.value();
            }
        }
    }
    const bool cancelling = m_cancelling.contains(jobId);
    if (st.state == QStringLiteral("exit")) {
        if (cancelling) {
            finishJob(current, attempt, QStringLiteral("cancelled"), st.exitCode,
                      QStringLiteral("cancelled by the user"));
        } else if (!st.reason.isEmpty()) {
            // It never got to run the command (its working directory was not there).
            finishJob(current, attempt, QStringLiteral("failed"), std::nullopt, st.reason);
        } else if (st.exitCode == 0) {
            finishJob(current, attempt, QStringLiteral("completed"), 0, {});
        } else {
            finishJob(current, attempt, QStringLiteral("failed"), st.exitCode,
                      QStringLiteral("the command exited with code %1").arg(st.exitCode));
        }
        return true;
    }
    if (st.state == QStringLiteral("gone")) {
        // Seen twice in a row, so a job ending between two checks of the same poll is not misread.
        if (++m_goneCount[jobId] >= 2) {
            finishJob(current, attempt, cancelling ? QStringLiteral("cancelled") : QStringLiteral("failed"),
                      std::nullopt,
                      cancelling ? QStringLiteral("cancelled by the user")
                                 : QStringLiteral("the tmux session vanished without an exit code (killed, or the host "
                                                  "rebooted)"));
            return true;
        }
    } else if (st.state == QStringLiteral("slurm")) {
        const QString status = JobScripts::statusForSlurm(st.slurmState);
        if (status == QStringLiteral("running") && current.status != QStringLiteral("running")) {
            current.status = QStringLiteral("running");
            if (auto saved = m_jobs.update(current); saved.ok()) {
                current = saved.value();
            }
        } else if (Job::isFinal(status)) {
            finishJob(current, attempt, status, st.exitCode >= 0 ? std::optional<int>(st.exitCode) : std::nullopt,
                      status == QStringLiteral("completed") ? QString()
                                                            : QStringLiteral("Slurm reports %1").arg(st.slurmState));
            return true;
        } else if (status.isEmpty() && st.slurmState == QStringLiteral("UNKNOWN")) {
            if (++m_goneCount[jobId] >= 3) {
                finishJob(
                    current, attempt, QStringLiteral("failed"), std::nullopt,
                    QStringLiteral("Slurm no longer knows job %1 and it left no exit code").arg(current.containerId));
                return true;
            }
        }
    } else if (st.state == QStringLiteral("running")) {
        m_goneCount.remove(jobId);
    }
    return false;
}

void JobEngine::deliverLog(const AttemptKey &key, const JobScripts::PollState &st, bool ended)
{
    auto it = m_follows.find(key);
    if (it == m_follows.end()) {
        return;
    }
    const qint64 from = st.logFrom;
    const qint64 end = from + st.log.size();
    for (Follower &f : it->followers) {
        if (f.offset < from || f.offset >= end) {
            continue; // still joining, or behind what this read started at (the next read starts there)
        }
        f.sink->deliver(st.log.mid(f.offset - from));
        f.offset = end;
    }
    if (ended && st.log.size() < LogChunkBytes) {
        // The attempt has ended and its log is read to the end: those who have all of it are done.
        it->followers.removeIf([end](const Follower &f) {
            if (f.offset >= end) {
                f.sink->finish({});
                return true;
            }
            return false;
        });
        if (it->followers.isEmpty()) {
            m_follows.erase(it);
        }
    }
}

void JobEngine::finishJob(Job job, int attempt, const QString &status, std::optional<int> exitCode,
                          const QString &reason)
{
    job.status = status;
    job.exitCode = exitCode;
    job.statusReason = reason;
    m_cancelling.remove(job.id);
    m_goneCount.remove(job.id);
    m_metricsSeen.remove({job.id, attempt});
    auto saved = m_jobs.endAttempt(job, attempt);
    if (!saved.ok()) {
        qCWarning(lcApp).noquote() << saved.error().message;
        return;
    }
    qCInfo(lcApp).noquote()
        << QStringLiteral("job %1 (%2) attempt %3 %4").arg(job.id).arg(job.name).arg(attempt).arg(status);
    Q_EMIT jobEnded(saved.value());
}

} // namespace gpudeck
