#pragma once

#include "Result.h"
#include "base/WorkerThread.h"
#include "ssh/SshSettings.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <optional>

class QThread;

namespace gpudeck {

class ConnectionRepository;
class Database;
class SftpTask;
class SshWorker;

// Gives each connected connection its worker (one thread, one libssh session), bounded by maxConnections.
// Every method is thread-safe and returns at once: results arrive as futures, never by blocking the GUI or
// the API thread. Keeps `is_active` / `last_connected_at` in the store true to the links' real state (written on a
// thread of its own, `ssh-store`, shortly after the state changes).
//
// Each worker runs on a WorkerThread, started by the pool's launcher thread (`ssh-launch`): a connect returns at once
// and the caller never waits for a thread to start. The pool's lock guards only its map; calls into a worker are made
// outside it through WorkerThread::call, which a stopping worker waits for, so no call reaches a worker being
// stopped (only a worker's published state is read under it, when a connect or an edit decides whether to replace
// the link). A worker let go (disconnected, or replaced after its connection was edited) may be in a blocking connect
// for seconds: it is stopped and joined on a short-lived thread of its own, and its late reports are ignored (only its
// final "disconnected", and only while no newer worker owns the connection).
class SshPool : public QObject
{
    Q_OBJECT
public:
    // `db`, when given, holds the user-tunable timing rules (settings table, key "ssh"); they are read at the first
    // use, after the database is open.
    SshPool(ConnectionRepository &connections, SshSettings settings, Database *db = nullptr, QObject *parent = nullptr);
    ~SshPool() override; // disconnects everything and joins every worker thread

    void setMaxConnections(int max);
    int maxConnections() const;
    SshSettings settings() const;
    // Validated by SshSettings::fromJson; stored, then applied to every link at once (the next keepalive check,
    // probe or backoff uses it).
    Status setSettings(const SshSettings &settings);

    // Connects (or joins a connect in progress). `acceptFingerprint` explicitly trusts an unknown host key.
    QFuture<Status> connectTo(const Connection &connection, const QString &acceptFingerprint = {});
    void disconnectFrom(qint64 connectionId);
    // Disconnects every link; the ids of the connections that had one (in any state but Disconnected).
    QList<qint64> disconnectAll();
    // A connection was saved. When what the link uses changed (linkSettingsDiffer) and its link is up or trying
    // (connected, connecting, reconnecting, down), `reconnect` replaces the link by one with the new settings, and
    // true is answered; otherwise the link keeps its session and takes the other fields (name, watch). A failed or
    // absent link is left alone: the next connect uses the new settings.
    bool reconfigure(const Connection &connection, bool reconnect = true);
    // Whether two versions of a connection differ in what its SSH link uses (address, port, user, auth, key, kind).
    static bool linkSettingsDiffer(const Connection &a, const Connection &b);
    QFuture<Result<CommandResult>> exec(qint64 connectionId, const QString &command, const ExecOptions &options = {});

    // The local port through which `remotePort` on the host is reached over the connection's link (SshWorker::forward).
    QFuture<Result<quint16>> forward(qint64 connectionId, int remotePort);
    // The same when that forward is open already, at once (none: use forward()), with the shortcut for what is sent
    // to it (ForwardedPorts::deliver). It may close for idleness just after: a connection to it is then refused or
    // reset, and forward() opens it again.
    std::optional<LocalForward> forwardedPort(qint64 connectionId, int remotePort) const;
    // How long a forward with no connection through it stays open (SshSettings::forwardIdleMs), on every link now
    // and later; a shorter time closes the idle ones at once. Not stored: tests shorten it.
    void setForwardIdleMs(int ms);
    // Tests: the next forwardedPort() that finds an open forward calls `hook` once, with its local port, on the
    // caller's thread before it answers (a test holds the proxy there while the forward closes).
    void onNextForwardedPort(std::function<void(quint16 localPort)> hook);

    // Runs an SFTP task (sync, pull) on the connection's own session and worker thread (SshWorker::runSftp).
    Status runSftp(qint64 connectionId, std::shared_ptr<SftpTask> task);

    LinkStatus status(qint64 connectionId) const;
    QHash<qint64, LinkStatus> statuses() const; // every connection with a worker
    int workerCount() const;

    // Removes the host's entries from GPU Deck's known_hosts (never from ~/.ssh/known_hosts).
    Result<int> forgetHostKey(const Connection &connection);

    void shutdown();

Q_SIGNALS:
    // Emitted on the pool's thread.
    void statusChanged(qint64 connectionId, const gpudeck::LinkStatus &status);

private:
    struct Slot
    {
        std::shared_ptr<WorkerThread<SshWorker>> holder;
        Connection connection;
        quint64 generation = 0;
    };

    // On the launcher's thread: creates (or joins) the connection's worker and asks it to connect, unless the
    // connection was disconnected since the connect was asked for (its epoch moved).
    void launch(const Connection &connection, const SshSettings &settings, const QString &acceptFingerprint,
                quint64 epoch, const std::shared_ptr<QPromise<Status>> &promise);
    std::shared_ptr<WorkerThread<SshWorker>> holderOf(qint64 connectionId) const;
    static LinkState stateOf(const Slot &slot);
    void launchEnded(qint64 connectionId); // one launch of the connection's is over (m_mutex held)
    static Error calledOff(const QString &name);
    static LinkStatus launchingStatus();       // what a link waiting for the launcher reads: connecting
    void reportCalledOff(qint64 connectionId); // a connect called off before its worker started: "disconnected"
    void onWorkerStatus(qint64 connectionId, quint64 generation, const LinkStatus &status);
    SshSettings settingsLocked() const; // m_mutex held
    void retire(const Slot &slot, bool wait);
    void recordActive(qint64 connectionId, bool active); // is_active in the store, on m_store's thread

    ConnectionRepository &m_connections;
    Database *m_db = nullptr;
    mutable SshSettings m_settings;
    mutable bool m_settingsLoaded = false;
    int m_maxConnections = 64;
    mutable QMutex m_mutex;
    QHash<qint64, Slot> m_slots;
    quint64 m_lastGeneration = 0;
    QHash<qint64, int> m_launching;       // connects waiting for the launcher, per connection (status: connecting)
    QHash<qint64, quint64> m_launchEpoch; // moved by a disconnect: the launches asked for before it are called off
    std::list<std::unique_ptr<QThread>> m_reapers;                  // stopping let-go workers; finished ones are pruned
    WorkerThread<QObject> m_store{QStringLiteral("ssh-store")};     // writes is_active off the main thread (with a db)
    WorkerThread<QObject> m_launcher{QStringLiteral("ssh-launch")}; // starts workers (see launch())
    mutable std::function<void(quint16)> m_nextForwardedPort;       // m_mutex; onNextForwardedPort()
    mutable std::atomic<bool> m_hasForwardedPortHook = false;
};

} // namespace gpudeck
