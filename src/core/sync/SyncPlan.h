#pragma once

#include "Result.h"
#include "store/Entities.h"
#include "store/SyncManifestRepository.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace gpudeck {

// One thing to have on the host: a tracked file or symlink of the work tree, or an extra file.
struct SyncEntry
{
    enum class Kind { File, Link, Extra };
    Kind kind = Kind::File;
    QString path;      // relative to the remote folder, '/'-separated
    QString localFile; // absolute path on this computer
    qint64 size = 0;
    qint64 mtimeNs = 0;
    int mode = 0;           // permission bits to set (extra files: 0600)
    QByteArray linkTarget;  // for Kind::Link
    QString hash;           // known content hash (hex SHA-1); empty: computed while sending
    qint64 remoteMtime = 0; // what the manifest says the host has (for a verification)
    bool send = false;      // changed (or new) since the last sync: to be sent
    bool touched = false;   // its mtime moved but its content did not: the manifest takes the new mtime
    bool isExtra() const { return kind == Kind::Extra; }
    QString kindName() const;
};

// What a sync has to do, worked out on this computer from the work tree and the manifest alone.
struct SyncPlan
{
    QString remoteRoot; // the project's remote folder as an SFTP path ("" is the login's home)
    QString markerName; // the marker file in it: .gpudeck-sync-<instance id>
    QString marker;     // the marker the last sync left there (empty: none recorded)
    QList<SyncEntry> entries;
    QStringList deletions;    // tracked and synced before, not tracked (or not there) now: removed on the host
    QStringList forgotExtras; // extra files synced before and no longer listed: forgotten, not removed
    qint64 bytesToSend = 0;
    int toSend = 0;
};

namespace syncplan {

// The files `git ls-files -z --recurse-submodules` lists in `localPath` (tracked files only, submodules' tracked
// files included, paths relative to localPath), or why not: not a git work tree, git missing.
Result<QStringList> trackedFiles(const QString &localPath);

// SHA-1 of a file's content (hex), read in 1 MiB slices.
Result<QString> hashFile(const QString &path);
QString hashBytes(const QByteArray &bytes);

// The project's remote_path as an SFTP path: "", "~" and "$HOME" are the home folder (""), "~/x" is "x".
QString sftpRoot(const QString &remotePath);

// Reads the work tree (lstat of every tracked path; hashes only files whose size is unchanged but whose mtime
// moved) and the project's extra files, and compares them with the manifest. Refuses with a clear error a
// local_path that is not a git work tree, and an extra file that is missing or not a regular file.
Result<SyncPlan> make(const Project &project, const QHash<QString, ManifestEntry> &manifest, const QString &marker,
                      const QString &instanceId);

} // namespace syncplan
} // namespace gpudeck
