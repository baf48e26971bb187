#pragma once

#include "Result.h"
#include "ssh/SshSettings.h"
#include "ssh/SshTypes.h"
#include "store/Entities.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>

#include <memory>

class QThread;

namespace gpudeck {

class ConnectionRepository;
class SshWorker;

// Gives each connected connection its worker (one thread, one libssh session), bounded by maxConnections.
// Every method is thread-safe and returns at once: results arrive as futures, never by blocking the GUI or
// the API thread. Keeps `is_active` / `last_connected_at` in the store true to the links' real state.
class SshPool : public QObject
{
    Q_OBJECT
public:
    SshPool(ConnectionRepository &connections, SshSettings settings, QObject *parent = nullptr);
    ~SshPool() override; // disconnects everything and joins every worker thread

    void setMaxConnections(int max);
    int maxConnections() const;
    const SshSettings &settings() const { return m_settings; }

    // Connects (or joins a connect in progress). `acceptFingerprint` explicitly trusts an unknown host key.
    QFuture<Status> connectTo(const Connection &connection, const QString &acceptFingerprint = {});
    void disconnectFrom(qint64 connectionId);
    QFuture<Result<CommandResult>> exec(qint64 connectionId, const QString &command, const ExecOptions &options = {});

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
        QThread *thread = nullptr;
        std::shared_ptr<SshWorker> worker;
        Connection connection;
    };

    void onWorkerStatus(qint64 connectionId, const LinkStatus &status);
    static void stopSlot(const Slot &slot, bool wait);

    ConnectionRepository &m_connections;
    SshSettings m_settings;
    int m_maxConnections = 64;
    mutable QMutex m_mutex;
    QHash<qint64, Slot> m_slots;
};

} // namespace gpudeck
