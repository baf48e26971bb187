#pragma once

#include "ssh/SftpClient.h"
#include "sync/SyncOperation.h"
#include "sync/SyncTypes.h"

#include <QFuture>
#include <QPromise>
#include <deque>
#include <list>
#include <memory>

namespace gpudeck {

struct PullOutcome
{
    SyncSummary summary; // `sent` counts the files received, `bytesSent` their bytes
    bool cancelled = false;
    std::optional<Error> error;
};

// Copies remote files and folders into a local folder over one SFTP channel, on the SSH worker's thread: each
// named path is lstat'ed; a folder is listed (opendir/readdir) recursively, its tree made locally; every file is
// read with pipelined requests into a temporary file beside its final name (pwrite at each answer's offset), given
// the remote mode and mtime, and renamed into place once complete. Symlinks are made as symlinks. A cancel stops
// issuing, closes what is open and removes the temporary files: nothing half-read appears under a final name.
class PullTask : public SftpTask
{
public:
    PullTask(std::shared_ptr<SyncOperation> op, QString remoteRoot, PullRequest request, int chunkBytes = 64 * 1024);
    ~PullTask() override;
    QFuture<PullOutcome> future() { return m_promise.future(); }

    void begin(SftpClient &client) override;
    bool feed(SftpClient &client) override;
    bool finished() const override { return m_finished; }
    void abort(const Error &error) override;

private:
    struct File
    {
        QByteArray remote;
        QString local;
        QString tmp;
        SftpAttrs attrs;
        QByteArray handle;
        int fd = -1;
        quint64 nextOffset = 0;
        int pending = 0;
        bool opening = false;
        bool failed = false;
        bool eof = false;
        bool closing = false;
        bool done = false;
    };

    QByteArray resolve(const QString &path) const;
    void enqueue(SftpClient &c, const QByteArray &remote, const QString &local, const SftpAttrs &attrs);
    void listDir(SftpClient &c, const QByteArray &remote, const QString &local);
    void startFile(SftpClient &c, File &f);
    bool feedFile(SftpClient &c, File &f, qint64 &budget);
    void requestRange(SftpClient &c, File &f, quint64 offset, quint32 length);
    void finishFile(SftpClient &c, File &f);
    void failFile(File &f, const QString &message);
    void addError(const QString &path, const QString &message);
    void complete();

    std::shared_ptr<SyncOperation> m_op;
    QString m_root;
    PullRequest m_request;
    int m_chunk;
    QPromise<PullOutcome> m_promise;
    PullOutcome m_outcome;
    bool m_finished = false;
    bool m_cancelling = false;
    int m_outstanding = 0;
    qint64 m_inFlightBytes = 0;
    std::deque<std::unique_ptr<File>> m_waiting;
    std::list<std::unique_ptr<File>> m_active;
};

} // namespace gpudeck
