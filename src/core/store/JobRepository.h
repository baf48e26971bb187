#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QJsonArray>
#include <QList>

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

    // All jobs, or those of one project when `projectId` > 0.
    Result<QList<Job>> list(qint64 projectId = 0);
    Result<Job> get(qint64 id);
    Result<QList<Job>> listByStatus(const QStringList &statuses);
    // The series of GPUDECK_METRICS points a launched job printed (oldest first, at most `limit`).
    Status appendMetrics(qint64 jobId, const QList<QJsonObject> &points);
    Result<QJsonArray> metricSeries(qint64 jobId, int limit = 5000);
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
    Status checkProject(qint64 projectId);

    Database &m_db;
    StoreEvents *m_events;
};

} // namespace gpudeck
