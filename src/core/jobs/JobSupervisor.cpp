#include "jobs/JobSupervisor.h"

#include "jobs/JobEngine.h"
#include "jobs/JobScripts.h"
#include "jobs/JobStartCheck.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

#include <QPromise>

namespace gpudeck {
namespace {

template<typename T>
QFuture<T> ready(T value)
{
    return QtFuture::makeReadyFuture(std::move(value));
}

Error notRunning()
{
    return Error::make(ErrorCode::Unavailable, QStringLiteral("unavailable"),
                       QStringLiteral("job supervision is not started"));
}

ExecOptions quick()
{
    ExecOptions o;
    o.timeoutMs = 30000;
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
{
}

JobSupervisor::~JobSupervisor()
{
    stop();
}

void JobSupervisor::start()
{
    if (m_engine.isRunning()) {
        return;
    }
    const QString instanceId = m_jobs.instanceId();
    m_engine.start([this, instanceId] {
        auto *engine = new JobEngine(m_connections, m_projects, m_jobs, m_pool, instanceId, m_pollIntervalMs.load());
        engine->setProjectSync(m_sync);
        connect(engine, &JobEngine::jobEnded, this, &JobSupervisor::jobEnded);
        engine->init();
        return engine;
    });
}

void JobSupervisor::stop()
{
    m_engine.stop([](JobEngine *engine) { engine->shutdown(); });
}

void JobSupervisor::setPollIntervalMs(int ms)
{
    m_pollIntervalMs = qMax(100, ms);
    m_engine.post([ms = m_pollIntervalMs.load()](JobEngine *engine) { engine->setPollIntervalMs(ms); });
}

QFuture<Result<Job>> JobSupervisor::startJob(qint64 jobId, bool createDir)
{
    auto promise = std::make_shared<QPromise<Result<Job>>>();
    QFuture<Result<Job>> future = promise->future();
    promise->start();
    if (!m_engine.post(
            [jobId, createDir, promise](JobEngine *engine) { engine->startJob(jobId, createDir, promise); })) {
        promise->addResult(Result<Job>(notRunning()));
        promise->finish();
    }
    return future;
}

QFuture<Result<Job>> JobSupervisor::cancelJob(qint64 jobId, int graceMs)
{
    auto promise = std::make_shared<QPromise<Result<Job>>>();
    QFuture<Result<Job>> future = promise->future();
    promise->start();
    if (!m_engine.post([jobId, graceMs, promise](JobEngine *engine) { engine->cancelJob(jobId, graceMs, promise); })) {
        promise->addResult(Result<Job>(notRunning()));
        promise->finish();
    }
    return future;
}

Status JobSupervisor::canStart(qint64 jobId)
{
    if (!m_engine.isRunning()) {
        return notRunning();
    }
    const auto ctx = JobEngine::load(m_jobs, m_projects, m_connections, jobId);
    if (!ctx.ok()) {
        return ctx.error();
    }
    std::optional<JobAttempt> latest;
    if (ctx->job.attempt > 0) {
        if (const auto current = m_jobs.attempt(jobId, ctx->job.attempt); current.ok()) {
            latest = current.value();
        }
    }
    return JobStartCheck::check(ctx->job, latest, ctx->connection.name, m_pool.status(ctx->connection.id));
}

Result<JobSupervisor::AttemptRef> JobSupervisor::resolveAttempt(qint64 jobId, int attempt)
{
    const auto job = m_jobs.get(jobId);
    if (!job.ok()) {
        return job.error();
    }
    if (job->attempt == 0) {
        if (job->command.isEmpty()) {
            return Error::make(ErrorCode::Conflict, QStringLiteral("no_log"),
                               QStringLiteral("%1 was not launched by GPU Deck, so it has no log here")
                                   .arg(JobStartCheck::jobText(*job)));
        }
        return Error::make(
            ErrorCode::Conflict, QStringLiteral("no_log"),
            QStringLiteral("%1 has not been started yet, so it has no log").arg(JobStartCheck::jobText(*job)));
    }
    const int n = attempt == 0 ? job->attempt : attempt;
    if (n < 1 || n > job->attempt) {
        return Error::notFound(QStringLiteral("job %1 has no attempt %2: it has run %3 time(s), attempts 1 to %3")
                                   .arg(jobId)
                                   .arg(n)
                                   .arg(job->attempt));
    }
    const auto row = m_jobs.attempt(jobId, n);
    if (!row.ok()) {
        return row.error();
    }
    const auto project = m_projects.get(job->projectId);
    if (!project.ok()) {
        return project.error();
    }
    const auto connection = m_connections.get(project->connectionId);
    if (!connection.ok()) {
        return connection.error();
    }
    return AttemptRef{job.value(), row.value(), connection.value()};
}

QFuture<Result<QString>> JobSupervisor::tailLog(qint64 jobId, int lines, int attempt)
{
    const auto ref = resolveAttempt(jobId, attempt);
    if (!ref.ok()) {
        return ready(Result<QString>(ref.error()));
    }
    const int n = ref->attempt.attempt;
    const QString host = ref->connection.name;
    return m_pool.exec(ref->connection.id, JobScripts::tail(ref->attempt, lines), quick())
        .then([jobId, n, host](const Result<CommandResult> &r) -> Result<QString> {
            if (!r.ok()) {
                return r.error();
            }
            if (r->exitCode == 3 && r->stdErr.contains("GPUDECK_NO_LOG")) {
                return Error::make(
                    ErrorCode::NotFound, QStringLiteral("no_log"),
                    QStringLiteral("the log of attempt %1 of job %2 is no longer on '%3'").arg(n).arg(jobId).arg(host));
            }
            return QString::fromUtf8(r->stdOut);
        });
}

Result<std::shared_ptr<JobLogFollow>> JobSupervisor::followLog(qint64 jobId, int attempt, int lines,
                                                               JobLogFollow::Output output,
                                                               JobLogFollow::Finished finished)
{
    if (!m_engine.isRunning()) {
        return notRunning();
    }
    const auto ref = resolveAttempt(jobId, attempt);
    if (!ref.ok()) {
        return ref.error();
    }
    auto follower = std::make_shared<JobLogFollow>(std::move(output), std::move(finished));
    const JobAttempt a = ref->attempt;
    const qint64 connectionId = ref->connection.id;
    if (!m_engine.post([follower, a, connectionId, lines](JobEngine *engine) {
            engine->follow(follower, a, connectionId, lines);
        })) {
        return notRunning();
    }
    return follower;
}

QFuture<Status> JobSupervisor::checkRemotePath(qint64 connectionId, const QString &path, bool create)
{
    const auto connection = m_connections.get(connectionId);
    if (!connection.ok()) {
        return ready(Status(connection.error()));
    }
    const QString host = connection->name;
    const QString shown = path.isEmpty() ? QStringLiteral("~") : path;
    if (m_pool.status(connectionId).state != LinkState::Connected) {
        if (!create) {
            return ready(Status()); // checked when a job starts
        }
        return ready(Status(Error::make(
            ErrorCode::Conflict, QStringLiteral("not_connected"),
            QStringLiteral("cannot create %1 on '%2': it is not connected (connect it first)").arg(shown, host))));
    }
    return m_pool.exec(connectionId, JobScripts::checkDir(path, create), quick())
        .then([host, shown, create](const Result<CommandResult> &r) -> Status {
            if (!r.ok()) {
                return r.error();
            }
            const QString out = QString::fromUtf8(r->stdOut);
            if (out.startsWith(QStringLiteral("GPUDECK_DIR_OK"))) {
                return {};
            }
            QString why = out.section(QLatin1Char('\n'), 1, 1).trimmed();
            if (!out.startsWith(QStringLiteral("GPUDECK_DIR_FAIL")) || why.isEmpty()) {
                why = QStringLiteral("cannot check %1 (exit %2): %3")
                          .arg(shown)
                          .arg(r->exitCode)
                          .arg(QString::fromUtf8(r->stdErr).trimmed().left(300));
            }
            Error e = Error::make(
                ErrorCode::Validation, QStringLiteral("remote_path_unusable"),
                create ? QStringLiteral("%1 (on '%2')").arg(why, host)
                       : QStringLiteral("%1 (on '%2'; send \"create_remote_path\": true to create it)").arg(why, host),
                {{QStringLiteral("path"), shown}});
            e.field = QStringLiteral("remote_path");
            return e;
        });
}

} // namespace gpudeck
