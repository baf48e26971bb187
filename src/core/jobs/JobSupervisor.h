#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "jobs/JobLogFollow.h"
#include "store/Entities.h"

#include <QFuture>
#include <QObject>
#include <atomic>
#include <functional>
#include <memory>

namespace gpudeck {

class ConnectionRepository;
class JobEngine;
class JobRepository;
class ProjectRepository;
class SshPool;

// Launched jobs: the one door the GUI and the API use. Runs training jobs on their project's host — in a detached
// tmux session, or through Slurm — and follows them until they end: one small poll per host per second reads every
// running job's state, its new GPUDECK_METRICS lines and the new bytes of every followed log. Survives GPU Deck
// restarting and links dropping: at start and on every reconnect it reconciles each job that may still run with what
// is on the host; nothing stays `running` forever. An ended job can run again: each run is a new attempt.
//
// The work happens in JobEngine on the "gpudeck-jobs" thread, which alone holds the supervision state. Every method
// here is thread-safe and returns at once; `jobEnded` arrives on the thread the supervisor lives on (the GUI thread).
class JobSupervisor : public QObject
{
    Q_OBJECT
public:
    JobSupervisor(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs, SshPool &pool,
                  QObject *parent = nullptr);
    ~JobSupervisor() override;

    // Starts the jobs thread and supervising (connecting hosts that have jobs that may still run). After the
    // database is open: the host-side names carry its instance id.
    void start();
    // Stops supervising and joins the thread (the jobs on the hosts go on); open followers finish.
    void stop();
    bool isRunning() const { return m_engine.isRunning(); }

    // Starts a new attempt of the job (a pending one, or one that has ended: it runs again). Its working directory
    // (the job's, else the project's remote_path) is checked on the host first, and created with `createDir`; when
    // it cannot be used the attempt is recorded as failed with the path and the reason, and that is the error too.
    QFuture<Result<Job>> startJob(qint64 jobId, bool createDir = false);
    // Whether startJob would go ahead now (the job, its latest attempt and its host's link, see JobStartCheck): what
    // the Jobs pane enables its Start button by. Reads the store; returns at once.
    Status canStart(qint64 jobId);
    // Interrupts (Ctrl-C), then kills after `graceMs`; the job becomes `cancelled`.
    QFuture<Result<Job>> cancelJob(qint64 jobId, int graceMs = 10000);
    // The last `lines` lines of the log of attempt `attempt` (0: the latest).
    QFuture<Result<QString>> tailLog(qint64 jobId, int lines, int attempt = 0);
    // Follows the log of attempt `attempt` (0: the latest) without an SSH channel of its own: see JobLogFollow.
    // `output` gets the last `lines` lines, then new bytes as they are written; `finished` runs once, when the attempt
    // has ended and all of it was delivered (or with the error that stopped it). Both run on the jobs thread.
    Result<std::shared_ptr<JobLogFollow>> followLog(qint64 jobId, int attempt, int lines, JobLogFollow::Output output,
                                                    JobLogFollow::Finished finished);
    // Checks that `path` can be worked in on the connection's host (creating it with `create`). Without a link the
    // check is skipped (ok) — unless `create` asks for the folder, which needs the link.
    QFuture<Status> checkRemotePath(qint64 connectionId, const QString &path, bool create);

    // Copies a project's files to its host before a job with sync_before_start launches (the sync service's door).
    // Set before start(); without it such a job is refused with a clear error.
    void setProjectSync(std::function<QFuture<Status>(qint64 projectId)> sync) { m_sync = std::move(sync); }

    int pollIntervalMs() const { return m_pollIntervalMs; }
    void setPollIntervalMs(int ms);

Q_SIGNALS:
    void jobEnded(const gpudeck::Job &job);

private:
    // The job, the attempt asked for (0: the latest) and the connection it ran on; errors name what is missing.
    struct AttemptRef
    {
        Job job;
        JobAttempt attempt;
        Connection connection;
    };
    Result<AttemptRef> resolveAttempt(qint64 jobId, int attempt);

    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    SshPool &m_pool;
    std::atomic_int m_pollIntervalMs{1000};
    std::function<QFuture<Status>(qint64)> m_sync;
    WorkerThread<JobEngine> m_engine{QStringLiteral("gpudeck-jobs")};
};

} // namespace gpudeck
