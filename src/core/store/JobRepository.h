#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QJsonArray>
#include <QList>
#include <QMap>

namespace gpudeck {

class Database;
class StoreEvents;

// The training_jobs table. Status changes stamp the times: to `running` sets started_at, to a final state
// (completed, failed, cancelled) sets completed_at, back to `pending` clears both — unless the caller set
// those times itself.
class JobRepository
{
public:
    JobRepository(Database &db, StoreEvents *events);

    // All jobs, or those of one project when `projectId` > 0; only those in one of `statuses` when it is not empty.
    Result<QList<Job>> list(qint64 projectId = 0, const QStringList &statuses = {});
    Result<Job> get(qint64 id);
    // list(), get() and attempts() as the API answers them (Job::toJson(), JobAttempt::toJson()), written straight
    // from the rows (store/RowJson.h).
    Result<QByteArray> listJson(qint64 projectId = 0, const QStringList &statuses = {});
    Result<QByteArray> getJson(qint64 id);
    Result<QByteArray> attemptsJson(qint64 jobId);
    Result<QList<Job>> listByStatus(const QStringList &statuses);
    // Jobs that reached a final state (completed, failed, cancelled) at or after `since`, newest end first, at most
    // `limit` (the status report's "jobs ended").
    Result<QList<Job>> listEndedSince(const QDateTime &since, int limit = 500);
    // How many jobs have each status (statuses without jobs are left out).
    Result<QMap<QString, int>> countByStatus();
    // The series of GPUDECK_METRICS points a launched job printed (oldest first, at most `limit`), of one attempt
    // (`attempt` > 0) or of all of them.
    Status appendMetrics(qint64 jobId, int attempt, const QList<QJsonObject> &points);
    Result<QJsonArray> metricSeries(qint64 jobId, int limit = 5000, int attempt = 0);
    Result<int> metricCount(qint64 jobId, int attempt);

    // The runs of launched jobs (see JobAttempt). NotFound when job `jobId` has no attempt `attempt`.
    Result<JobAttempt> attempt(qint64 jobId, int attempt);
    Result<QList<JobAttempt>> attempts(qint64 jobId);
    // Jobs that may still run on a host (pending or running, their latest attempt not ended), with that attempt.
    Result<QList<QPair<Job, JobAttempt>>> listLive();
    // Records a new attempt and the job as it now is (its `attempt` set to it), in one transaction.
    Result<Job> recordAttempt(Job job, const JobAttempt &attempt);
    // Ends attempt `attempt` of the job with `job`'s status, exit code and reason, and — when it is still the job's
    // latest attempt — stores `job` too, in one transaction.
    Result<Job> endAttempt(Job job, int attempt);
    QString instanceId() const;
    // For a thread that is about to end: closes its database connection.
    void releaseThreadConnection();
    Result<Job> create(Job job);
    Result<Job> update(Job job);
    // The same, for a caller that has just read the stored job (`before`): no second read.
    Result<Job> update(Job job, const Job &before);
    Status remove(qint64 id);

    // Stamps started_at / completed_at for a move from `before` (nullptr when new) to `after`.
    static void stampStatusTimes(const Job *before, Job &after);

private:
    // The UPDATE of update(), without telling anyone (inside a transaction the change is not visible yet).
    Result<Job> updateRow(Job job, const Job &before);
    Status checkProject(qint64 projectId);
    // on_end other than none needs the job's project on a runpod connection.
    Status checkOnEnd(const Job &job);

    Database &m_db;
    StoreEvents *m_events;
};

} // namespace gpudeck
