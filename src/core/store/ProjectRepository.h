#pragma once

#include "Result.h"
#include "store/Entities.h"
#include "store/RowJson.h"

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
    // list() and get() as the API answers them (Project::toJson()), written straight from the rows
    // (store/RowJson.h); getJson() adds `extra` keys (the project's "jobs").
    Result<QByteArray> listJson(qint64 connectionId = 0);
    Result<QByteArray> getJson(qint64 id, const QList<ExtraField> &extra = {});
    Result<Project> create(Project project);
    Result<Project> update(Project project);
    Status remove(qint64 id);

private:
    Status checkConnection(qint64 connectionId);

    Database &m_db;
    StoreEvents *m_events;
};

} // namespace gpudeck
