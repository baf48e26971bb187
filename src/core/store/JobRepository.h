#pragma once

#include "Result.h"
#include "store/Entities.h"

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
    Result<Job> create(Job job);
    Result<Job> update(Job job);
    Status remove(qint64 id);

    // Stamps started_at / completed_at for a move from `before` (nullptr when new) to `after`.
    static void stampStatusTimes(const Job *before, Job &after);

private:
    Status checkProject(qint64 projectId);

    Database &m_db;
    StoreEvents *m_events;
};

} // namespace gpudeck
