#pragma once

#include "ssh/SftpClient.h"
#include "store/SyncManifestRepository.h"
#include "sync/SyncOperation.h"
#include "sync/SyncPlan.h"
#include "sync/SyncTypes.h"

#include <QCryptographicHash>
#include <QFuture>
#include <QPromise>
#include <list>
#include <memory>

namespace gpudeck {

// What a push did on the host, for the manifest.
struct PushOutcome
{
    QList<ManifestEntry> written; // sent and in place
    QStringList removed;          // no longer on the host (deleted, or found missing by a verification)
    QString marker;               // the marker now on the host ("" when none is known to be there)
    SyncSummary summary;
    bool cancelled = false;
    std::optional<Error> error; // the transfer as a whole failed (the link was lost, SFTP refused)
};

// Sends a SyncPlan over one SFTP channel, on the SSH worker's thread (SftpTask):
// 1. makes the remote folder (mkdir of each component, errors ignored) and reads the marker left there;
// 2. when the marker is not the one recorded (or `verify`), lstats every file the manifest says is there and
//    sends those that are missing or differ (size, mtime, type, mode);
// 3. removes the deleted files, makes the folders the new files need, then sends files: each is opened under a
//    temporary name in its folder, written in pipelined chunks (as far as the window and the slice allow),
//    given its mode and mtime, closed, and renamed over the final name once every write was acknowledged; up to
//    `filesInFlight` files at once; symlinks are made under a temporary name and renamed the same way;
// 4. removes folders the deletions emptied and writes a new marker when the old one did not match.
// A cancel stops issuing, closes and removes the temporary files in flight, and ends: no file is ever visible
// half-written under its final name.
class PushTask : public SftpTask
{
public:
    PushTask(std::shared_ptr<SyncOperation> op, SyncPlan plan, SyncOptions options);
    ~PushTask() override;
    QFuture<PushOutcome> future() { return m_promise.future(); }

    void begin(SftpClient &client) override;
    bool feed(SftpClient &client) override;
    bool finished() const override { return m_finished; }
    void abort(const Error &error) override;

private:
    enum class Phase { Marker, Verify, Transfer, Wrapup, Done };
    struct Xfer
    {
        int index = 0; // into m_plan.entries
        QByteArray tmp;
        QByteArray target;
        QByteArray handle;
        int fd = -1;
        quint64 offset = 0;
        bool dataDone = false;
        bool failed = false;
        bool done = false;    // nothing more will be issued for it
        int pending = 0;      // its requests not yet answered
        bool changed = false; // the local file changed while it was read
        QCryptographicHash hash{QCryptographicHash::Sha1};
    };

    QByteArray remote(const QString &relative) const;
    QString shown(const SyncEntry &e) const; // the path in messages (never an extra file's)
    void startVerify(SftpClient &c);
    void startTransfer(SftpClient &c);
    void startFile(SftpClient &c, int index);
    bool feedData(SftpClient &c, Xfer &x, qint64 &budget);
    void finishData(SftpClient &c, Xfer &x);
    void failXfer(SftpClient &c, Xfer &x, const QString &message);
    void succeed(Xfer &x);
    void cancelAll(SftpClient &c);
    void wrapUp(SftpClient &c);
    void complete();
    void closeFd(Xfer &x);
    void addError(const QString &path, const QString &message);

    std::shared_ptr<SyncOperation> m_op;
    SyncPlan m_plan;
    SyncOptions m_options;
    QPromise<PushOutcome> m_promise;
    PushOutcome m_outcome;
    Phase m_phase = Phase::Marker;
    bool m_finished = false;
    bool m_cancelling = false;
    int m_outstanding = 0; // every request of ours not yet answered
    QByteArray m_tmpPrefix;

    bool m_markerRead = false;
    QString m_remoteMarker;
    bool m_verify = false;
    int m_verifyNext = 0;
    QList<int> m_verifyList;

    QList<int> m_sendList;
    int m_sendNext = 0;
    std::list<std::unique_ptr<Xfer>> m_active;
};

} // namespace gpudeck
