#include "proxmox/ProxmoxService.h"

#include "metrics/MetricsService.h"
#include "proxmox/ProxmoxLogging.h"
#include "store/ConnectionRepository.h"

#include <QTimer>

Q_LOGGING_CATEGORY(lcProxmox, "gpudeck.proxmox", QtInfoMsg)

namespace gpudeck {
namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

template<typename T>
QFuture<T> readyFuture(T value)
{
    QPromise<T> p;
    p.start();
    p.addResult(std::move(value));
    p.finish();
    return p.future();
}

Error notRunning()
{
    return Error::make(ErrorCode::Unavailable, QStringLiteral("unavailable"),
                       QStringLiteral("Proxmox support is not running"));
}

QString describeGuest(const ProxmoxGuest &g)
{
    const QString what = g.type == QStringLiteral("lxc") ? QStringLiteral("container") : QStringLiteral("VM");
    return g.name.isEmpty() ? QStringLiteral("%1 %2").arg(what).arg(g.vmid)
                            : QStringLiteral("%1 %2 (%3)").arg(what).arg(g.vmid).arg(g.name);
}

} // namespace

ProxmoxService::ProxmoxService(ConnectionRepository &connections, ConnectionSecrets &secrets, SshPool &ssh,
                               MetricsService *alerts, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_secrets(secrets)
    , m_ssh(ssh)
    , m_alerts(alerts)
{
    qRegisterMetaType<ProxmoxStatus>();
    qRegisterMetaType<ProxmoxTask>();
    m_pollTimer = new QTimer(this);
    connect(m_pollTimer, &QTimer::timeout, this, &ProxmoxService::poll);
}

ProxmoxService::~ProxmoxService()
{
    stop();
}

void ProxmoxService::start()
{
    if (m_thread.isRunning()) {
        return;
    }
    const int taskPoll = m_taskPollIntervalMs;
    ProxmoxWorker *worker = m_thread.start([this, taskPoll] {
        auto *w = new ProxmoxWorker(m_connections, m_secrets, m_ssh);
        w->setTaskPollIntervalMs(taskPoll);
        return w;
    });
    // Direct: the bookkeeping is thread-safe, and waiters are answered even while the main thread is busy.
    connect(worker, &ProxmoxWorker::statusRead, this, &ProxmoxService::onStatusRead, Qt::DirectConnection);
    connect(worker, &ProxmoxWorker::taskUpdated, this, &ProxmoxService::onTaskUpdated, Qt::DirectConnection);
    m_pollTimer->start(pollIntervalMs());
}

void ProxmoxService::stop()
{
    m_pollTimer->stop();
    // The worker reads connections on its thread: that thread's database connection goes with it.
    m_thread.stop([this](ProxmoxWorker *) { m_connections.releaseThreadConnection(); });
    QList<std::shared_ptr<QPromise<ProxmoxStatus>>> pending;
    {
        QMutexLocker lock(&m_mutex);
        for (auto &list : m_waiters) {
            pending += list;
        }
        m_waiters.clear();
    }
    for (const auto &p : pending) {
        ProxmoxStatus s;
        s.error = notRunning();
        p->addResult(s);
        p->finish();
    }
}

void ProxmoxService::setPollIntervalMs(int ms)
{
    {
        QMutexLocker lock(&m_mutex);
        m_pollIntervalMs = qMax(100, ms);
    }
    QMetaObject::invokeMethod(this, [this] {
        if (m_pollTimer->isActive()) {
            m_pollTimer->start(pollIntervalMs());
        }
    });
}

int ProxmoxService::pollIntervalMs() const
{
    QMutexLocker lock(&m_mutex);
    return m_pollIntervalMs;
}

void ProxmoxService::setTaskPollIntervalMs(int ms)
{
    {
        QMutexLocker lock(&m_mutex);
        m_taskPollIntervalMs = qMax(10, ms);
    }
    m_thread.post([ms](ProxmoxWorker *w) { w->setTaskPollIntervalMs(qMax(10, ms)); });
}

void ProxmoxService::watch(qint64 connectionId)
{
    {
        QMutexLocker lock(&m_mutex);
        ++m_watchers[connectionId];
    }
    refresh(connectionId);
}

void ProxmoxService::unwatch(qint64 connectionId)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_watchers.find(connectionId);
    if (it != m_watchers.end() && --*it <= 0) {
        m_watchers.erase(it);
    }
}

void ProxmoxService::refresh(qint64 connectionId)
{
    m_thread.post([connectionId](ProxmoxWorker *w) { w->refresh(connectionId); });
}

void ProxmoxService::poll()
{
    QList<qint64> due;
    {
        QMutexLocker lock(&m_mutex);
        const qint64 now = nowMs();
        for (auto it = m_watchers.cbegin(); it != m_watchers.cend(); ++it) {
            due.append(it.key());
        }
        for (auto it = m_lastApiReadMs.begin(); it != m_lastApiReadMs.end();) {
            if (now - it.value() > kApiInterestMs) {
                it = m_lastApiReadMs.erase(it);
                continue;
            }
            if (!due.contains(it.key())) {
                due.append(it.key());
            }
            ++it;
        }
    }
    for (qint64 id : std::as_const(due)) {
        refresh(id);
    }
}

QFuture<ProxmoxStatus> ProxmoxService::status(qint64 connectionId, int maxAgeMs)
{
    auto promise = std::make_shared<QPromise<ProxmoxStatus>>();
    promise->start();
    {
        QMutexLocker lock(&m_mutex);
        m_lastApiReadMs.insert(connectionId, nowMs());
        const int maxAge = maxAgeMs >= 0 ? maxAgeMs : m_pollIntervalMs;
        const auto it = m_status.constFind(connectionId);
        if (it != m_status.constEnd() && it->attemptedAt.isValid() &&
            it->attemptedAt.msecsTo(QDateTime::currentDateTimeUtc()) <= maxAge) {
            promise->addResult(*it);
            promise->finish();
            return promise->future();
        }
        m_waiters[connectionId].append(promise);
    }
    if (!m_thread.post([connectionId](ProxmoxWorker *w) { w->refresh(connectionId); })) {
        QMutexLocker lock(&m_mutex);
        m_waiters[connectionId].removeAll(promise);
        ProxmoxStatus s;
        s.connectionId = connectionId;
        s.error = notRunning();
        promise->addResult(s);
        promise->finish();
    }
    return promise->future();
}

ProxmoxStatus ProxmoxService::snapshot(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    return m_status.value(connectionId);
}

QList<ProxmoxStatus> ProxmoxService::snapshots() const
{
    QMutexLocker lock(&m_mutex);
    return m_status.values();
}

void ProxmoxService::onStatusRead(const ProxmoxStatus &status)
{
    QList<std::shared_ptr<QPromise<ProxmoxStatus>>> waiters;
    {
        QMutexLocker lock(&m_mutex);
        if (status.connectionId > 0 && m_connections.get(status.connectionId).ok()) {
            m_status.insert(status.connectionId, status);
        } else {
            m_status.remove(status.connectionId);
        }
        waiters = m_waiters.take(status.connectionId);
    }
    updateAlerts(status);
    for (const auto &p : std::as_const(waiters)) {
        p->addResult(status);
        p->finish();
    }
    Q_EMIT statusChanged(status);
}

void ProxmoxService::updateAlerts(const ProxmoxStatus &status)
{
    if (!m_alerts || status.connectionId <= 0) {
        return;
    }
    const QString id = QString::number(status.connectionId);
    Alert base;
    base.connectionId = status.connectionId;
    base.connectionName = status.connectionName;
    base.gpuIndex = -1;

    const bool certChanged = status.error && status.error->reason == QStringLiteral("certificate_changed");
    {
        Alert a = base;
        a.kind = QStringLiteral("proxmox_certificate_changed");
        a.severity = QStringLiteral("critical");
        a.message = certChanged ? status.error->message : QString();
        if (certChanged || !status.error) {
            setAlert(QStringLiteral("cert/") + id, certChanged, a);
        }
    }
    if (status.error) {
        return; // quorum and storage are not known now: their alerts stay as they were
    }
    {
        Alert a = base;
        a.kind = QStringLiteral("proxmox_quorum_lost");
        a.severity = QStringLiteral("critical");
        const bool lost = status.cluster.clustered && !status.cluster.quorate;
        a.value = status.cluster.nodesOnline;
        a.threshold = status.cluster.expectedVotes / 2 + 1;
        a.message = QStringLiteral("Proxmox cluster '%1' (%2) lost quorum: %3 of %4 nodes online")
                        .arg(status.cluster.name, status.connectionName)
                        .arg(status.cluster.nodesOnline)
                        .arg(status.cluster.nodes);
        setAlert(QStringLiteral("quorum/") + id, lost, a);
    }
    QSet<QString> seen;
    for (const ProxmoxStorage &s : status.storage) {
        const QString key = QStringLiteral("storage/%1/%2/%3").arg(id, s.node, s.storage);
        seen.insert(key);
        const double percent = s.usedFraction() * 100;
        bool open = false;
        {
            QMutexLocker lock(&m_mutex);
            open = m_openAlerts.contains(key);
        }
        const bool on = s.total > 0 && (open ? percent >= kStorageClearPercent : percent >= kStorageAlertPercent);
        Alert a = base;
        a.kind = QStringLiteral("proxmox_storage_full");
        a.severity = QStringLiteral("warning");
        a.value = qRound(percent * 10) / 10.0;
        a.threshold = kStorageAlertPercent;
        a.message = QStringLiteral("Proxmox storage '%1' on node %2 (%3) is %4 % full")
                        .arg(s.storage, s.node, status.connectionName)
                        .arg(a.value);
        setAlert(key, on, a);
    }
    QStringList gone;
    {
        QMutexLocker lock(&m_mutex);
        const QString prefix = QStringLiteral("storage/%1/").arg(id);
        for (auto it = m_openAlerts.cbegin(); it != m_openAlerts.cend(); ++it) {
            if (it.key().startsWith(prefix) && !seen.contains(it.key())) {
                gone << it.key();
            }
        }
    }
    for (const QString &key : std::as_const(gone)) {
        setAlert(key, false, {});
    }
}

void ProxmoxService::setAlert(const QString &key, bool on, const Alert &alert)
{
    Alert open;
    {
        QMutexLocker lock(&m_mutex);
        const bool isOpen = m_openAlerts.contains(key);
        if (on == isOpen) {
            return;
        }
        if (!on) {
            open = m_openAlerts.take(key);
        }
    }
    if (on) {
        Alert a = alert;
        a.startedAt = nowUtc();
        a.key = QStringLiteral("proxmox/") + key; // after a restart, the same condition is this alert again
        qCWarning(lcProxmox).noquote() << "alert:" << a.message;
        a.id = m_alerts->recordAlert(a);
        QMutexLocker lock(&m_mutex);
        m_openAlerts.insert(key, a);
        return;
    }
    open.endedAt = nowUtc();
    if (alert.value != 0) {
        open.value = alert.value;
    }
    m_alerts->endAlert(open);
}

QFuture<Result<ProxmoxTask>> ProxmoxService::act(qint64 connectionId, const ProxmoxAction &action)
{
    if (!ProxmoxAction::actions().contains(action.action)) {
        return readyFuture<Result<ProxmoxTask>>(Error::validation(
            QStringLiteral("action"),
            QStringLiteral("'action' must be one of %1").arg(ProxmoxAction::actions().join(QStringLiteral(", ")))));
    }
    auto promise = std::make_shared<QPromise<Result<ProxmoxTask>>>();
    promise->start();
    {
        QMutexLocker lock(&m_mutex);
        m_lastApiReadMs.insert(connectionId, nowMs()); // its effect is worth seeing
    }
    if (!m_thread.post([connectionId, action, promise](ProxmoxWorker *w) { w->act(connectionId, action, promise); })) {
        promise->addResult(notRunning());
        promise->finish();
    }
    return promise->future();
}

Result<ActionPlan> ProxmoxService::plan(const Connection &connection, const ProxmoxAction &action) const
{
    if (!ProxmoxAction::actions().contains(action.action)) {
        return Error::validation(
            QStringLiteral("action"),
            QStringLiteral("'action' must be one of %1").arg(ProxmoxAction::actions().join(QStringLiteral(", "))));
    }
    ActionPlan plan;
    plan.action = QStringLiteral("proxmox.") + action.action;
    QJsonObject target{{QStringLiteral("kind"), QStringLiteral("guest")},
                       {QStringLiteral("connection_id"), connection.id},
                       {QStringLiteral("connection"), connection.name},
                       {QStringLiteral("vmid"), action.vmid}};
    if (connection.kind != QStringLiteral("proxmox")) {
        plan.target = target;
        plan.wouldRefuse = Error::make(
            ErrorCode::Conflict, QStringLiteral("not_proxmox"),
            QStringLiteral("connection '%1' is of kind '%2', not 'proxmox'").arg(connection.name, connection.kind));
        return plan;
    }
    const ProxmoxStatus known = snapshot(connection.id);
    const ProxmoxGuest *guest = known.guest(action.vmid);
    if (!guest && known.hasData()) {
        plan.target = target;
        plan.wouldRefuse = Error::notFound(QStringLiteral("no VM or container %1 in this cluster").arg(action.vmid));
        return plan;
    }
    QString what = QStringLiteral("VM or container %1").arg(action.vmid);
    if (guest) {
        target.insert(QStringLiteral("name"), guest->name);
        target.insert(QStringLiteral("node"), guest->node);
        target.insert(QStringLiteral("type"), guest->type);
        target.insert(QStringLiteral("status"), guest->status);
        what = describeGuest(*guest) + QStringLiteral(" on node ") + guest->node;
    }
    plan.target = target;
    if (action.action == QStringLiteral("start")) {
        plan.effects << QStringLiteral("starts %1").arg(what);
    } else if (action.action == QStringLiteral("shutdown")) {
        plan.effects << QStringLiteral("asks %1 to shut down cleanly (ACPI / the container's init)").arg(what);
        plan.effects << (action.timeoutS >= 0 ? QStringLiteral("waits at most %1 s").arg(action.timeoutS)
                                              : QStringLiteral("waits as long as Proxmox's default timeout"));
        if (action.forceStop) {
            plan.effects << QStringLiteral("then stops it hard if it is still running (force_stop)");
        }
    } else if (action.action == QStringLiteral("stop")) {
        plan.effects
            << QStringLiteral("stops %1 at once, like pulling the power plug: unsaved data in it is lost").arg(what);
    } else {
        plan.effects << QStringLiteral("reboots %1 (a clean shutdown, then a start)").arg(what);
    }
    plan.effects << QStringLiteral("follows the Proxmox task until it ends and reports its exit status");
    return plan;
}

QFuture<Result<ProxmoxTask>> ProxmoxService::task(qint64 connectionId, const QString &upid, int waitMs)
{
    {
        QMutexLocker lock(&m_mutex);
        for (const ProxmoxTask &t : std::as_const(m_tasks)) {
            if (t.upid != upid || t.connectionId != connectionId) {
                continue;
            }
            if (waitMs <= 0 || t.finished() || t.status == QStringLiteral("unknown")) {
                return readyFuture<Result<ProxmoxTask>>(t);
            }
            auto promise = std::make_shared<QPromise<Result<ProxmoxTask>>>();
            promise->start();
            m_taskWaiters[upid].append(promise);
            // The time limit runs on the worker's thread, whose loop never waits on anyone.
            const bool posted = m_thread.post([this, upid, promise, waitMs](ProxmoxWorker *w) {
                QTimer::singleShot(waitMs, w, [this, upid, promise] {
                    ProxmoxTask now;
                    {
                        QMutexLocker inner(&m_mutex);
                        auto it = m_taskWaiters.find(upid);
                        if (it == m_taskWaiters.end() || !it->removeOne(promise)) {
                            return; // answered when the task ended
                        }
                        for (const ProxmoxTask &known : std::as_const(m_tasks)) {
                            if (known.upid == upid) {
                                now = known;
                            }
                        }
                    }
                    promise->addResult(now);
                    promise->finish();
                });
            });
            if (!posted) {
                m_taskWaiters[upid].removeOne(promise);
                return readyFuture<Result<ProxmoxTask>>(t);
            }
            return promise->future();
        }
    }
    auto promise = std::make_shared<QPromise<Result<ProxmoxTask>>>();
    promise->start();
    if (!m_thread.post([connectionId, upid, promise](ProxmoxWorker *w) { w->readTask(connectionId, upid, promise); })) {
        promise->addResult(notRunning());
        promise->finish();
    }
    return promise->future();
}

QList<ProxmoxTask> ProxmoxService::tasks(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    QList<ProxmoxTask> out;
    for (const ProxmoxTask &t : m_tasks) {
        if (t.connectionId == connectionId) {
            out.append(t);
        }
    }
    return out;
}

void ProxmoxService::onTaskUpdated(const ProxmoxTask &task)
{
    QList<TaskPromise> waiters;
    {
        QMutexLocker lock(&m_mutex);
        if (task.finished() || task.status == QStringLiteral("unknown")) {
            waiters = m_taskWaiters.take(task.upid);
        }
        bool found = false;
        for (ProxmoxTask &t : m_tasks) {
            if (t.upid == task.upid) {
                t = task;
                found = true;
            }
        }
        if (!found) {
            m_tasks.prepend(task);
            while (m_tasks.size() > kMaxTasksKept) {
                m_tasks.removeLast();
            }
        }
    }
    for (const TaskPromise &p : std::as_const(waiters)) {
        p->addResult(task);
        p->finish();
    }
    Q_EMIT taskUpdated(task);
}

QFuture<Result<ProxmoxStatus>> ProxmoxService::trust(qint64 connectionId, const QString &fingerprint, bool replace)
{
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    auto future = promise->future();
    if (!m_thread.post([connectionId, fingerprint, replace, promise](ProxmoxWorker *w) {
            w->trust(connectionId, fingerprint, replace, promise);
        })) {
        promise->addResult(notRunning());
        promise->finish();
    }
    return future
        .then([this, connectionId](Status trusted) -> QFuture<Result<ProxmoxStatus>> {
            if (!trusted.ok()) {
                return readyFuture<Result<ProxmoxStatus>>(trusted.error());
            }
            return status(connectionId, 0).then([](ProxmoxStatus s) { return Result<ProxmoxStatus>(s); });
        })
        .unwrap();
}

QFuture<Result<QString>> ProxmoxService::wakeNode(qint64 connectionId, const QString &node)
{
    auto promise = std::make_shared<QPromise<Result<QString>>>();
    promise->start();
    if (!m_thread.post([connectionId, node, promise](ProxmoxWorker *w) { w->wakeNode(connectionId, node, promise); })) {
        promise->addResult(notRunning());
        promise->finish();
    }
    return promise->future();
}

std::optional<QFuture<Status>> ProxmoxService::clusterWake(const Connection &connection)
{
    qint64 peer = 0;
    QString node;
    {
        QMutexLocker lock(&m_mutex);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const ProxmoxStatus &s : std::as_const(m_status)) {
            if (s.connectionId == connection.id || s.error || !s.hasData() || s.fetchedAt.msecsTo(now) > kPeerFreshMs) {
                continue;
            }
            for (const ProxmoxNode &n : s.nodes) {
                const QString host = connection.hostname.section(QLatin1Char('.'), 0, 0);
                if (n.name == connection.hostname || n.name == host || n.name == connection.name ||
                    (!n.ip.isEmpty() && n.ip == connection.hostname)) {
                    peer = s.connectionId;
                    node = n.name;
                }
            }
            if (peer > 0) {
                break;
            }
        }
    }
    if (peer <= 0) {
        return std::nullopt;
    }
    qCInfo(lcProxmox).noquote() << QStringLiteral("waking %1 (node %2) through its cluster").arg(connection.name, node);
    return wakeNode(peer, node).then([](Result<QString> mac) { return mac.ok() ? Status() : Status(mac.error()); });
}

void ProxmoxService::forget(qint64 connectionId)
{
    m_thread.post([connectionId](ProxmoxWorker *w) { w->forget(connectionId); });
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_status.find(connectionId);
        if (it != m_status.end()) {
            it->attemptedAt = QDateTime(); // the next read asks the cluster (the data stay for the GUI)
        }
    }
    if (!m_connections.get(connectionId).ok()) {
        QMutexLocker lock(&m_mutex);
        m_status.remove(connectionId);
        m_watchers.remove(connectionId);
        m_lastApiReadMs.remove(connectionId);
    }
}

} // namespace gpudeck
