#pragma once

#include "Result.h"
#include "store/Entities.h"

#include <QList>

namespace gpudeck {

class Database;
class StoreEvents;

// The connections table. Safe to use from any thread (each uses its own database connection).
class ConnectionRepository
{
public:
    ConnectionRepository(Database &db, StoreEvents *events);
    // For a thread that is about to end: closes its database connection.
    void releaseThreadConnection();

    Result<QList<Connection>> list();
    // list() and find() as the API answers them: the JSON of Connection::toJson(), written straight from the rows
    // (store/RowJson.h).
    Result<QByteArray> listJson();
    Result<QByteArray> findJson(const QString &key);
    Result<Connection> get(qint64 id);
    // `key` is an id ("3") or a unique name ("spark-1").
    Result<Connection> find(const QString &key);
    // The `runpod` connection made from a RunPod pod (NotFound when there is none).
    Result<Connection> findByRunPodPod(const QString &podId);
    // runpod_pod_id is written only here (RunPodService makes the connection); update() leaves it alone.
    Result<Connection> create(Connection connection);
    Result<Connection> update(Connection connection);
    // Refuses (Conflict) while projects still use the connection unless `force`, which deletes them too.
    Status remove(qint64 id, bool force);
    // What remove() answers without `force` while the connection still has `projects` projects.
    static Error stillHasProjects(qint64 id, int projects);
    Status setActive(qint64 id, bool active);
    Status resetActive();
    // Pins (or, with an empty string, forgets) the Proxmox API certificate's SHA-256 fingerprint. The only writer
    // of proxmox_fingerprint: update() leaves it alone, so an edit cannot pin a certificate.
    Status setProxmoxFingerprint(
        qint64 id,
        const QString &fingerprint); // marks every connection inactive (at start: no link survives a restart)

private:
    Status checkNameFree(const Connection &connection);

    Database &m_db;
    StoreEvents *m_events;
};

} // namespace gpudeck
