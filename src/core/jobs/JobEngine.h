#pragma once

#include "Result.h"
#include "jobs/JobScripts.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPromise>
#include <QSet>
#include <functional>
#include <memory>

class QTimer;

namespace gpudeck {

class ConnectionRepository;
class JobLogFollow;
class JobRepository;
class ProjectRepository;
class SshPool;

// The jobs thread's worker, behind JobSupervisor: starts, polls, cancels and reconciles launched jobs, and reads the
// logs that are followed. Every member is touched on that thread only (JobSupervisor posts to it), so nothing here
// needs a lock. Internal.
class JobEngine : public QObject
{
    Q_OBJECT
public:
    using JobPromise = std::shared_ptr<QPromise<Result<Job>>>;
    // Copies a project's files to its host (sync_before_start); answers on any thread.
    using ProjectSync = std::function<QFuture<Status>(qint64 projectId)>;

    JobEngine(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs, SshPool &pool,
              QString instanceId, int pollIntervalMs, QObject *parent = nullptr);
    ~JobEngine() override;

    void init();     // starts polling and connects the hosts of jobs that may still run
    void shutdown(); // ends followers, stops polling, releases the thread's database connection

    void setPollIntervalMs(int ms);
    void setProjectSync(ProjectSync sync) { m_sync = std::move(sync); }
    void startJob(qint64 jobId, bool createDir, const JobPromise &promise);
    void cancelJob(qint64 jobId, int graceMs, const JobPromise &promise);
    // Joins `follower` to the log of `attempt` (on `connectionId`): its last `lines` lines now, new bytes as polled.
    void follow(const std::shared_ptr<JobLogFollow> &follower, const JobAttempt &attempt, qint64 connectionId,
                int lines);

    // A job with its project and the connection it runs on, as the store has them now; the first that is missing is
    // the error. What starting a job, cancelling it and JobSupervisor::canStart read first.
    struct Context
    {
        Job job;
        Project project;
        Connection connection;
    };
    static Result<Context> load(JobRepository &jobs, ProjectRepository &projects, ConnectionRepository &connections,
                                qint64 jobId);

    // How often a host with followed logs is read (below the poll interval, so logs stream).
    static constexpr int FollowIntervalMs = 250;
    static constexpr int LogChunkBytes = 256 * 1024;            // at most this much of one log per poll
    static constexpr int TmuxInstallTimeoutMs = 10 * 60 * 1000; // a package manager's update and install

Q_SIGNALS:
    void jobEnded(const gpudeck::Job &job);

private:
    using AttemptKey = QPair<qint64, int>; // job, attempt
    struct Follower
    {
        std::shared_ptr<JobLogFollow> sink;
        qint64 offset = -1; // bytes of the log it has been given (-1: still joining)
    };
    struct FollowedLog
    {
        JobAttempt attempt;
        qint64 connectionId = 0;
        QList<Follower> followers;
    };
    struct Entry
    {
        AttemptKey key;
        bool state = false; // its state was read (it was live)
    };

    Result<Context> load(qint64 jobId) { return load(m_jobs, m_projects, m_connections, jobId); }
    // What a launch needs on the host first: tmux on a runpod connection (installed when missing), then the project's
    // files when the job syncs before it starts. `then` gets the first failure, or ok.
    void prepareHost(const Context &ctx, bool slurm, const std::function<void(const Status &)> &then);
    void syncProject(const Context &ctx, const std::function<void(const Status &)> &then);
    void onStarted(const Context &ctx, const JobAttempt &attempt, const Result<CommandResult> &r,
                   const JobPromise &promise);
    void tick();
    void poll(bool supervision);
    void onPoll(qint64 connectionId, const QHash<int, Entry> &entries, const Result<CommandResult> &result);
    // Applies one live job's polled state; true when that ended its attempt.
    bool applyState(const AttemptKey &key, const JobScripts::PollState &st);
    void deliverLog(const AttemptKey &key, const JobScripts::PollState &st, bool ended);
    void finishJob(Job job, int attempt, const QString &status, std::optional<int> exitCode, const QString &reason);
    void onLinkStatus(qint64 connectionId, const LinkStatus &status);
    void updateTimer();
    QString hostName(qint64 connectionId);

    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    SshPool &m_pool;
    QString m_instanceId;
    ProjectSync m_sync;
    int m_pollIntervalMs;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_sinceSupervision;
    QSet<qint64> m_pollInFlight;          // connections with a poll running
    QHash<AttemptKey, int> m_metricsSeen; // metrics lines read
    QHash<qint64, int> m_goneCount;       // job -> consecutive "session gone" observations
    QSet<qint64> m_cancelling;            // jobs being cancelled (their end is "cancelled", whatever the code)
    QSet<qint64> m_starting;              // jobs whose start command is on its way
    QHash<AttemptKey, FollowedLog> m_follows;
};

} // namespace gpudeck
