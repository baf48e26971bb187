#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "sync/SyncTypes.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <memory>

namespace gpudeck {

class ConnectionRepository;
class Database;
class ProjectRepository;
class SshPool;
struct SyncOperation;

// The door to syncing a project's files to its host and pulling results back (the GUI, the API, MCP and the jobs'
// sync_before_start all call it). Every method is thread-safe and returns at once.
//
// A sync sends what `git ls-files --recurse-submodules` lists in the project's local_path (never untracked or ignored
// files), plus its extra_files (mode 0600), to remote_path over SFTP on the connection's existing SSH session:
// only what changed since the last sync to that (connection, remote_path) (the manifest), mirrored deletions of
// files synced before and no longer tracked, each file written under a temporary name and renamed into place.
// Planning (git, lstat, hashing, the manifest) runs on the `gpudeck-sync` thread; the transfer runs on the
// connection's SSH worker thread in slices beside its other channels. See docs/sync.md.
class SyncService : public QObject
{
    Q_OBJECT
public:
    SyncService(Database &db, ConnectionRepository &connections, ProjectRepository &projects, SshPool &ssh,
                QString instanceId, QObject *parent = nullptr);
    ~SyncService() override; // stop()

    // The instance id is known once the database is open: set it before start(). It names the marker on hosts.
    void setInstanceId(const QString &instanceId) { m_instanceId = instanceId; }
    void start();
    void stop(); // cancels what runs and waits for it to end

    struct Started
    {
        SyncProgress progress;      // as it starts (state "planning")
        QFuture<SyncProgress> done; // resolves with the final progress (completed, failed or cancelled)
    };

    // Starts a sync of the project to its connection. Refused at once (409 sync_in_progress) while one of the
    // same project runs; other refusals (no local_path, not a git work tree, not connected, an extra file missing)
    // end the operation as failed, with the reason in its error.
    Result<Started> sync(qint64 projectId, const SyncOptions &options = {});
    // Starts a pull of remote paths of the project's host into a local folder.
    Result<Started> pull(qint64 projectId, const PullRequest &request);

    std::optional<SyncProgress> progress(const QString &id) const;
    // Resolves when the operation ends (at once for one that has ended); nullopt for an unknown id.
    std::optional<QFuture<SyncProgress>> whenDone(const QString &id) const;
    QList<SyncProgress> operations() const; // running first, then the last finished ones (newest first, 50 kept)
    // Cancels a running operation; false when there is none with that id or it already ended.
    bool cancel(const QString &id);

Q_SIGNALS:
    // Emitted on the sync thread (connect with a context object: queued to yours), at most ~5 times a second per
    // operation while it runs, and once when it ends.
    void progressChanged(const gpudeck::SyncProgress &progress);
    void finished(const gpudeck::SyncProgress &progress);

private:
    Result<Started> begin(qint64 projectId, const QString &kind,
                          std::function<void(std::shared_ptr<SyncOperation>)> run);
    void runPush(const std::shared_ptr<SyncOperation> &op, const SyncOptions &options);
    void runPull(const std::shared_ptr<SyncOperation> &op, const PullRequest &request);
    void end(const std::shared_ptr<SyncOperation> &op);

    Database &m_db;
    ConnectionRepository &m_connections;
    ProjectRepository &m_projects;
    SshPool &m_ssh;
    QString m_instanceId;
    WorkerThread<QObject> m_thread{QStringLiteral("gpudeck-sync")};
    mutable QMutex m_mutex;
    QHash<QString, std::shared_ptr<SyncOperation>> m_running;
    QList<SyncProgress> m_finished;
    int m_next = 0;
};

} // namespace gpudeck
