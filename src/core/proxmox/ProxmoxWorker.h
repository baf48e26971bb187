#pragma once

#include "Result.h"
#include "proxmox/ProxmoxSource.h"
#include "proxmox/ProxmoxTypes.h"
#include "store/Entities.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPromise>
#include <QSet>
#include <memory>

class QTimer;

namespace gpudeck {

class ConnectionRepository;
class ConnectionSecrets;
class SshPool;

// What an action asks of a VM or container.
struct ProxmoxAction
{
    QString action; // start, shutdown, stop, reboot
    int vmid = 0;
    int timeoutS = -1;      // shutdown: how long the guest gets to stop cleanly (-1: Proxmox's default)
    bool forceStop = false; // shutdown: stop it hard once the timeout passed

    static QStringList actions();
};

// The Proxmox side of GPU Deck on its own thread (`gpudeck-proxmox`, a WorkerThread held by ProxmoxService): one
// source per connection (ProxmoxApiSource with a token, the pvesh fallback without), refreshes, actions, and the tasks
// they start, followed until they end. Every method runs on the worker's thread (ProxmoxService posts them); results
// leave through the signals (emitted on this thread) and the promises.
class ProxmoxWorker : public QObject
{
    Q_OBJECT
public:
    template<typename T>
    using Promise = std::shared_ptr<QPromise<T>>;

    ProxmoxWorker(ConnectionRepository &connections, ConnectionSecrets &secrets, SshPool &ssh);
    ~ProxmoxWorker() override;

    void setTaskPollIntervalMs(int ms) { m_taskPollMs = ms; }
    // Reads everything once (joins a read in progress); statusRead() says how it went.
    void refresh(qint64 connectionId);
    void act(qint64 connectionId, const ProxmoxAction &action, Promise<Result<ProxmoxTask>> promise);
    // One task's status, read from Proxmox (for a task GPU Deck does not follow).
    void readTask(qint64 connectionId, const QString &upid, Promise<Result<ProxmoxTask>> promise);
    // Pins `fingerprint` once the node presented exactly that certificate; `replace` to replace another pin.
    void trust(qint64 connectionId, const QString &fingerprint, bool replace, Promise<Status> promise);
    // POST /nodes/{node}/wakeonlan through the connection's node: the MAC address the packet was sent to.
    void wakeNode(qint64 connectionId, const QString &node, Promise<Result<QString>> promise);
    // Drops the connection's source (edited, new secret, deleted): the next call makes a new one.
    void forget(qint64 connectionId);

Q_SIGNALS:
    void statusRead(const gpudeck::ProxmoxStatus &status);
    void taskUpdated(const gpudeck::ProxmoxTask &task);

private:
    struct Link
    {
        QString key; // what the source was made from (host, port, token, pin)
        std::unique_ptr<ProxmoxSource> source;
        int outstanding = 0;
        bool retired = false;
    };
    using LinkPtr = std::shared_ptr<Link>;
    using LinkDone = std::function<void(Result<LinkPtr>, const Connection &)>;

    void withLink(qint64 connectionId, LinkDone done);
    void makeLink(const Connection &connection, const QString &key, LinkDone done);
    void call(const LinkPtr &link, bool post, const QString &path, const ProxmoxParams &params,
              ProxmoxSource::Done done);
    void retire(qint64 connectionId);
    void finishRefresh(qint64 connectionId, const Connection &connection, const QString &source,
                       const std::optional<Error> &error, ProxmoxStatus fresh);
    void follow(qint64 connectionId, const ProxmoxTask &task);
    void pollTask(qint64 connectionId, const QString &upid);

    ConnectionRepository &m_connections;
    ConnectionSecrets &m_secrets;
    SshPool &m_ssh;
    int m_taskPollMs = 1000;
    QHash<qint64, LinkPtr> m_links;
    QHash<qint64, QList<LinkDone>> m_linkWaiters; // a source being made (the keychain answers later)
    QList<LinkPtr> m_retired;                     // replaced while calls were in flight
    QSet<qint64> m_refreshing;
    QHash<qint64, ProxmoxStatus> m_last;
    struct Followed
    {
        qint64 connectionId = 0;
        ProxmoxTask task;
        QTimer *timer = nullptr;
        int failures = 0;
    };
    QHash<QString, Followed> m_followed; // by UPID
};

} // namespace gpudeck
