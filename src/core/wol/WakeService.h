#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "store/Entities.h"
#include "wol/ClusterWaker.h"
#include "wol/WakeTypes.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <optional>

namespace gpudeck {

class ConnectionRepository;
class ConnectionSecrets;
class SshPool;
class WakeWorker;

// Wake-on-LAN, wake and wait: the one door for the API (POST /api/dgx/wake/:id), MCP, the Connections pane, the
// tray and the Fleet tiles. A wake reads the connection's SecureOn password (if any) from the keychain, sends the
// magic packet to every destination (wakeTargets), sends it again every few seconds while it waits for the host to
// answer on its SSH port with an SSH banner, and when the host is up and watched connects it through the SshPool.
// A Proxmox node may be woken by its cluster instead (setClusterWaker).
//
// Owned by Core, created on the main thread; every method is thread-safe and returns at once. The sockets and
// timers of the wakes live on a thread of their own ("gpudeck-wake", a WorkerThread), so neither the window nor the
// API thread ever waits for one. One wake per connection at a time: asking again while one runs joins it (the same
// future; the options of the first one apply).
//
// Signals are emitted on the wake thread; connect with a context object in the receiver's thread (queued).
class WakeService : public QObject
{
    Q_OBJECT
public:
    WakeService(ConnectionRepository &connections, SshPool &ssh, ConnectionSecrets &secrets, QObject *parent = nullptr);
    ~WakeService() override;

    void start(); // starts the wake thread (Core::open does)
    void stop();  // cancels every wake and joins the thread

    // Wakes connection `idOrName`. Errors (the future's result): NotFound; Conflict "no_mac_address" for a
    // connection without a MAC address, or for kind local; Validation for options out of range; Unavailable
    // "wol_send_failed" when the first packets could not be sent anywhere. A timeout is an outcome, not an error.
    QFuture<Result<WakeOutcome>> wake(const QString &idOrName, const WakeOptions &options = {});
    QFuture<Result<WakeOutcome>> wake(const Connection &connection, const WakeOptions &options = {});
    // Wakes every asleep host (asleep()) at once; each one's outcome or error, in the order of asleep().
    QFuture<QList<QPair<Connection, Result<WakeOutcome>>>> wakeAll(const WakeOptions &options = {});
    // Stops waiting for the wake of `connectionId`; its future finishes with outcome "cancelled". False when no
    // wake of it is in progress.
    bool cancel(qint64 connectionId);

    // The wakes in progress, oldest first.
    QList<WakeProgress> inProgress() const;
    std::optional<WakeProgress> progress(qint64 connectionId) const;

    // The hosts "Wake all" wakes: watched connections with a MAC address whose SSH link is not up.
    QList<Connection> asleep() const;
    // Whether `c` can be woken at all (a MAC address, not this computer).
    static bool canWake(const Connection &c);

    void setClusterWaker(ClusterWaker waker);
    ClusterWaker clusterWaker() const;

    static Result<WakeOptions> optionsFromJson(const QJsonObject &json); // {"wait", "timeout_s", "connect"}

Q_SIGNALS:
    void wakeStarted(const gpudeck::WakeProgress &progress);
    void progressChanged(const gpudeck::WakeProgress &progress);
    void wakeFinished(const gpudeck::WakeOutcome &outcome);

private:
    friend class WakeRun;
    struct Entry
    {
        QFuture<Result<WakeOutcome>> future;
        WakeProgress progress;
    };
    // Called by the runs, on the wake thread.
    void reportProgress(const WakeProgress &progress);
    void reportFinished(qint64 connectionId);

    ConnectionRepository &m_connections;
    SshPool &m_ssh;
    ConnectionSecrets &m_secrets;
    WorkerThread<WakeWorker> m_thread{QStringLiteral("gpudeck-wake")};
    mutable QMutex m_mutex;
    QHash<qint64, Entry> m_runs;
    QList<qint64> m_order;
    ClusterWaker m_clusterWaker;
};

} // namespace gpudeck
