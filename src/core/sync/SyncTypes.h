#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

namespace gpudeck {

// How a push (sync) runs.
struct SyncOptions
{
    // Check every file the manifest says is on the host (one lstat each, pipelined) instead of trusting it. Done
    // anyway when the host's marker does not match the last sync (a wiped or replaced disk, another remote_path).
    bool verify = false;
    // Tuning (the benchmark): bytes per SFTP write request and files in flight at once.
    int chunkBytes = 64 * 1024;
    int filesInFlight = 32;
};

// The way back: named remote paths (files or folders; relative to the project's remote_path, or absolute) copied
// into a local folder. Each lands under its own base name: pulling "runs/7/logs" gives <local_dir>/logs/...
struct PullRequest
{
    QStringList remotePaths;
    QString localDir; // absolute; created when missing
};

// What a finished sync or pull did.
struct SyncSummary
{
    int sent = 0;      // files (and symlinks) written
    int unchanged = 0; // files left alone: the manifest (and the host, when verified) say they are there
    int deleted = 0;   // files removed on the host: tracked and synced before, no longer tracked (or gone)
    int extra = 0;     // of `sent`: extra files (mode 0600)
    int failed = 0;
    qint64 bytesSent = 0;
    bool verified = false;                 // the host's copy was checked file by file (marker mismatch or `verify`)
    QList<QPair<QString, QString>> errors; // (path, message), at most 50; extra files are never named

    QJsonObject toJson() const;
};

// One sync or pull, as the API and the GUI show it. States: planning → running → completed | failed | cancelled.
struct SyncProgress
{
    QString id;   // "sync-<n>"
    QString kind; // "push" or "pull"
    qint64 projectId = 0;
    qint64 connectionId = 0;
    QString state = QStringLiteral("planning");
    int filesTotal = 0;
    int filesDone = 0;
    qint64 bytesTotal = 0;
    qint64 bytesDone = 0;
    QString current; // the path being transferred (never an extra file's)
    QDateTime startedAt;
    QDateTime finishedAt;
    SyncSummary summary;
    std::optional<Error> error; // why it failed (or was cancelled)

    bool isFinal() const
    {
        return state == QStringLiteral("completed") || state == QStringLiteral("failed") ||
               state == QStringLiteral("cancelled");
    }
    QJsonObject toJson() const;
};

} // namespace gpudeck

Q_DECLARE_METATYPE(gpudeck::SyncProgress)
