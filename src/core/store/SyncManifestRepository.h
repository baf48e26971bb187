#pragma once

#include "Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

class Database;

// What one sync left on a host for one (project, connection, remote folder): a file, symlink or extra file as
// it was when sent. The next sync compares the work tree with it to send only what changed.
struct ManifestEntry
{
    QString path; // relative to the remote folder, '/'-separated
    QString kind; // "file", "link" or "extra"
    qint64 size = 0;
    qint64 mtimeNs = 0;     // local modification time when sent (nanoseconds)
    int mode = 0;           // permission bits sent
    QString hash;           // SHA-1 of the content (of the target, for a symlink), hex; empty: unknown
    qint64 remoteMtime = 0; // the modification time set on the host (seconds)
};

// The sync_targets and sync_manifest tables (migration 11).
class SyncManifestRepository
{
public:
    explicit SyncManifestRepository(Database &db);

    Result<QHash<QString, ManifestEntry>> load(qint64 projectId, qint64 connectionId, const QString &remotePath);
    // The marker the last sync left on the host (empty: never synced there).
    Result<QString> marker(qint64 projectId, qint64 connectionId, const QString &remotePath);
    // In one transaction: writes `entries`, deletes `removed`, records the marker.
    Status save(qint64 projectId, qint64 connectionId, const QString &remotePath, const QList<ManifestEntry> &entries,
                const QStringList &removed, const QString &marker);

private:
    Database &m_db;
};

} // namespace gpudeck
