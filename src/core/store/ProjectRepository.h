#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QList>

namespace gpudeck {

class Database;
class StoreEvents;

// The projects table. Deleting a project deletes its jobs.
class ProjectRepository
{
public:
    ProjectRepository(Database &db, StoreEvents *events);

    // All projects, or those of one connection when `connectionId` > 0.
    Result<QList<Project>> list(qint64 connectionId = 0);
    Result<Project> get(qint64 id);
    Result<Project> create(Project project);
    Result<Project> update(Project project);
    Status remove(qint64 id);

private:
    Status checkConnection(qint64 connectionId);

    Database &m_db;
    StoreEvents *m_events;
};

} // namespace gpudeck
