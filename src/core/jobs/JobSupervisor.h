#pragma once

#include "Result.h"
#include "jobs/JobScripts.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QSet>

class QThread;
class QTimer;

namespace gpudeck {

class ConnectionRepository;
class JobRepository;
class ProjectRepository;
class SshPool;

// Runs training jobs on their project's host — in a detached tmux session, or through Slurm — and follows
// them until they end: one small poll per host per second reads every running job's state and its new
// GPUDECK_METRICS lines. Survives GPU Deck restarting and links dropping: at start and on every reconnect it
// reconciles each `running` job with what is on the host; nothing stays `running` forever.
// Lives on a thread of its own (its DB writes and poll handling never touch the GUI thread); every public
// method is safe from any thread and never blocks.
class JobSupervisor : public QObject
{
    Q_OBJECT
public:
    JobSupervisor(ConnectionRepository &connections, ProjectRepository &projects, JobRepository &jobs, SshPool &pool,
                  QObject *parent = nullptr);
    ~JobSupervisor() override;

    // Moves onto its own thread and begins supervising (connecting hosts that have running jobs).
    void start();
    // Stops supervising and joins the thread (the jobs on the hosts go on).
    void stop();

    QFuture<Result<Job>> startJob(qint64 jobId);
    // Interrupts (Ctrl-C), then kills after `graceMs`; the job becomes `cancelled`.
    QFuture<Result<Job>> cancelJob(qint64 jobId, int graceMs = 10000);
    QFuture<Result<QString>> tailLog(qint64 jobId, int lines);
    // The command that follows the job's log, and the connection to run it on (for streaming endpoints).
    Result<QPair<qint64, QString>> followCommand(qint64 jobId, int lines);

    int pollIntervalMs() const { return m_pollIntervalMs; }
    void setPollIntervalMs(int ms);

Q_SIGNALS:
    void jobEnded(const gpudeck::Job &job);

private:
    struct Context
    {
        Job job;
        Project project;
        Connection connection;
    };
    Result<Context> load(qint64 jobId);
    void pollAll();
    void onPoll(qint64 connectionId, const QList<JobScripts::Watched> &watched, const Result<CommandResult> &result);
    void finishJob(Job job, const QString &status, std::optional<int> exitCode, const QString &reason);
    void onLinkStatus(qint64 connectionId, const LinkStatus &status);

    void startOnThread();

    QThread *m_thread = nullptr;
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    JobRepository &m_jobs;
    SshPool &m_pool;
    QTimer *m_timer = nullptr;
    int m_pollIntervalMs = 1000;
    QSet<qint64> m_pollInFlight;         // connections with a poll running
    QHash<qint64, int> m_metricsSeen;    // job -> metrics lines read
    QHash<qint64, int> m_goneCount;      // job -> consecutive "session gone" observations
    QSet<qint64> m_cancelling;           // jobs being cancelled (their end is "cancelled", whatever the code)
};

} // namespace gpudeck
