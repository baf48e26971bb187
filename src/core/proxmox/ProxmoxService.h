#pragma once

#include "Result.h"
#include "alerts/Alert.h"
#include "base/WorkerThread.h"
#include "plans/ActionPlan.h"
#include "proxmox/ProxmoxTypes.h"
#include "proxmox/ProxmoxWorker.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <memory>
#include <optional>

class QTimer;

namespace gpudeck {

class ConnectionRepository;
class ConnectionSecrets;
class MetricsService;
class SshPool;

// Proxmox VE clusters: the one door the API, MCP and the Fleet pane use (owned by Core, lives on the main thread).
// Reads and actions run on its worker thread (`gpudeck-proxmox`); every method here is thread-safe and returns at
// once (futures, or what is already known).
//
// Polling "while shown": a connection is read every pollIntervalMs() (10 s) while the GUI watches it (watch() /
// unwatch(), counted) or an API/MCP reader asked for it within the last kApiInterestMs (60 s). Nothing is read for a
// connection nobody looks at.
//
// Alerts (through MetricsService, so they are stored, shown, notified and sent as events like the others):
// proxmox_quorum_lost (critical) while a cluster is not quorate; proxmox_storage_full (warning) while a storage is at
// kStorageAlertPercent or more, until it is below kStorageClearPercent; proxmox_certificate_changed (critical) while
// the node presents another certificate than the pinned one.
class ProxmoxService : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultPollIntervalMs = 10000;
    static constexpr int kApiInterestMs = 60000;
    static constexpr double kStorageAlertPercent = 90;
    static constexpr double kStorageClearPercent = 85;
    static constexpr int kMaxTasksKept = 200;

    ProxmoxService(ConnectionRepository &connections, ConnectionSecrets &secrets, SshPool &ssh, MetricsService *alerts,
                   QObject *parent = nullptr);
    ~ProxmoxService() override;

    void start(); // main thread
    void stop();

    void setPollIntervalMs(int ms);
    int pollIntervalMs() const;
    void setTaskPollIntervalMs(int ms);

    // The GUI shows this connection: read it now and every pollIntervalMs() until as many unwatch() calls.
    void watch(qint64 connectionId);
    void unwatch(qint64 connectionId);
    // Reads now (joins a read in progress).
    void refresh(qint64 connectionId);

    // The connection's status, not older than `maxAgeMs` (-1: pollIntervalMs()): what is known when it is recent
    // enough, else after a fresh read. Its `error` says when that read failed. Counts as an API reader's interest.
    QFuture<ProxmoxStatus> status(qint64 connectionId, int maxAgeMs = -1);
    // What is known now, without reading (an empty status before the first read).
    ProxmoxStatus snapshot(qint64 connectionId) const;
    QList<ProxmoxStatus> snapshots() const;

    // Starts an action on a VM or container: answers the task it started, then follows it (taskUpdated) until it
    // ends. The action must be one of ProxmoxAction::actions().
    QFuture<Result<ProxmoxTask>> act(qint64 connectionId, const ProxmoxAction &action);
    // What act() would do, from what is known (no read): the dry run of the API and MCP, the GUI's confirmation.
    Result<ActionPlan> plan(const Connection &connection, const ProxmoxAction &action) const;
    // A task: as GPU Deck follows it, or else read once from Proxmox. `waitMs` > 0: a task GPU Deck follows that is
    // still running is answered when it ends, or when `waitMs` has passed (as it then is).
    QFuture<Result<ProxmoxTask>> task(qint64 connectionId, const QString &upid, int waitMs = 0);
    // The tasks GPU Deck started on this connection (newest first; at most kMaxTasksKept in all).
    QList<ProxmoxTask> tasks(qint64 connectionId) const;

    // Pins the node's certificate after the user checked its fingerprint (see ProxmoxWorker::trust), then reads.
    QFuture<Result<ProxmoxStatus>> trust(qint64 connectionId, const QString &fingerprint, bool replace);
    // Asks the connection's cluster to wake `node` (POST /nodes/{node}/wakeonlan): the MAC address it woke.
    QFuture<Result<QString>> wakeNode(qint64 connectionId, const QString &node);
    // For Wake-on-LAN (WakeService's cluster hook): when `connection` is a node of a cluster another proxmox
    // connection reads fine (read in the last kPeerFreshMs, the node matched by name, address or connection name),
    // asks that peer to wake it (POST /nodes/{node}/wakeonlan); std::nullopt when no peer can.
    std::optional<QFuture<Status>> clusterWake(const Connection &connection);
    static constexpr int kPeerFreshMs = 5 * 60 * 1000;
    // The connection changed (edited, new token secret, deleted): its next read starts afresh.
    void forget(qint64 connectionId);

Q_SIGNALS:
    // A read finished (emitted on the worker's thread; connect with a context on your thread).
    void statusChanged(const gpudeck::ProxmoxStatus &status);
    // A task GPU Deck follows changed (started, running, ended).
    void taskUpdated(const gpudeck::ProxmoxTask &task);

private:
    void onStatusRead(const ProxmoxStatus &status); // worker thread
    void onTaskUpdated(const ProxmoxTask &task);    // worker thread
    void poll();                                    // main thread
    void updateAlerts(const ProxmoxStatus &status); // worker thread
    void setAlert(const QString &key, bool on, const Alert &alert);

    ConnectionRepository &m_connections;
    ConnectionSecrets &m_secrets;
    SshPool &m_ssh;
    MetricsService *m_alerts = nullptr;
    WorkerThread<ProxmoxWorker> m_thread{QStringLiteral("gpudeck-proxmox")};
    QTimer *m_pollTimer = nullptr;

    mutable QMutex m_mutex;
    int m_pollIntervalMs = kDefaultPollIntervalMs;
    int m_taskPollIntervalMs = 1000;
    QHash<qint64, ProxmoxStatus> m_status;
    QHash<qint64, QList<std::shared_ptr<QPromise<ProxmoxStatus>>>> m_waiters;
    QHash<qint64, int> m_watchers;
    QHash<qint64, qint64> m_lastApiReadMs; // monotonic ms
    QList<ProxmoxTask> m_tasks;            // newest first
    using TaskPromise = std::shared_ptr<QPromise<Result<ProxmoxTask>>>;
    QHash<QString, QList<TaskPromise>> m_taskWaiters; // by UPID: answered when the task ends or their time is up
    QHash<QString, Alert> m_openAlerts; // by key: "quorum/<id>", "storage/<id>/<node>/<storage>", "cert/<id>"
};

} // namespace gpudeck
