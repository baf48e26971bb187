#pragma once

#include "ssh/SftpClient.h"
#include "sync/SyncTypes.h"

#include <QMutex>
#include <QPromise>
#include <atomic>
#include <memory>

namespace gpudeck {

// One sync or pull in flight, shared by the service (sync thread), the SFTP task (the SSH worker's thread) and
// whoever reads its progress (any thread). The counters the transfer bumps per answer are atomics; the rest is
// under the mutex.
struct SyncOperation
{
    mutable QMutex mutex;
    SyncProgress progress;
    std::atomic<qint64> bytesDone{0};
    std::atomic<int> filesDone{0};
    std::atomic_bool cancelRequested{false};
    std::shared_ptr<SftpTask> task; // while transferring
    QPromise<SyncProgress> promise;

    SyncProgress snapshot() const
    {
        QMutexLocker lock(&mutex);
        SyncProgress p = progress;
        if (!p.isFinal()) {
            p.bytesDone = bytesDone.load();
            p.filesDone = filesDone.load();
        }
        return p;
    }
    void setCurrent(const QString &path)
    {
        QMutexLocker lock(&mutex);
        progress.current = path;
    }
};

} // namespace gpudeck
