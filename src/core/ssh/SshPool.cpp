#include "ssh/SshPool.h"

#include "logging/Logging.h"
#include "ssh/HostKeys.h"
#include "ssh/SshWorker.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/SettingsRepository.h"

#include <QPromise>
#include <QThread>
#include <libssh/libssh.h>
#include <mutex>

namespace gpudeck {

namespace {
const QString kSettingsKey = QStringLiteral("ssh");
}

SshPool::SshPool(ConnectionRepository &connections, SshSettings settings, Database *db, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_db(db)
    , m_settings(std::move(settings))
    , m_settingsLoaded(db == nullptr)
{
    static std::once_flag once;
    std::call_once(once, [] { ssh_init(); });
    qRegisterMetaType<LinkStatus>();
    if (m_db) {
        m_store.start([] { return new QObject; });
    }
}

SshPool::~SshPool()
{
    shutdown();
}

SshSettings SshPool::settingsLocked() const
{
    if (!m_settingsLoaded) {
        m_settingsLoaded = true;
        QString error;
        SshSettings stored = m_settings;
        if (!SshSettings::fromJson(SettingsRepository(*m_db).value(kSettingsKey), stored, &error)) {
            qCWarning(lcSsh).noquote() << "stored SSH settings ignored:" << error;
        } else {
            m_settings = stored;
        }
    }
    return m_settings;
}

SshSettings SshPool::settings() const
{
    QMutexLocker lock(&m_mutex);
    return settingsLocked();
}

Status SshPool::setSettings(const SshSettings &settings)
{
    QMutexLocker lock(&m_mutex);
    SshSettings next = settingsLocked();
    QString error;
    if (!SshSettings::fromJson(settings.toJson(), next, &error)) {
        return Error::validation(QString(), error);
    }
    if (m_db) {
        if (Status s = SettingsRepository(*m_db).setValue(kSettingsKey, next.toJson()); !s.ok()) {
            return s;
        }
    }
    m_settings = next;
    for (const Slot &slot : std::as_const(m_slots)) {
        slot.holder->post([next](SshWorker *worker) { worker->applySettings(next); });
    }
    return {};
}

void SshPool::setMaxConnections(int max)
{
    QMutexLocker lock(&m_mutex);
    m_maxConnections = qMax(1, max);
}

int SshPool::maxConnections() const
{
    QMutexLocker lock(&m_mutex);
    return m_maxConnections;
}

QFuture<Status> SshPool::connectTo(const Connection &connection, const QString &acceptFingerprint)
{
    Slot stale;
    QFuture<Status> future;
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_slots.find(connection.id);
        if (it != m_slots.end()) {
            const LinkState state = it->worker->status().state;
            if (linkSettingsDiffer(it->connection, connection) && state != LinkState::Connected) {
                stale = *it; // settings were edited: start over with a fresh worker
                m_slots.erase(it);
                it = m_slots.end();
            }
        }
        if (it == m_slots.end()) {
            if (m_slots.size() >= m_maxConnections) {
                lock.unlock();
                if (stale.holder) {
                    retire(stale, false);
                }
                QPromise<Status> refused;
                refused.start();
                refused.addResult(Error::make(ErrorCode::Unavailable, QStringLiteral("too_many_connections"),
                                              QStringLiteral("GPU Deck holds at most %1 connections at once; "
                                                             "disconnect one first")
                                                  .arg(m_maxConnections)));
                refused.finish();
                return refused.future();
            }
            Slot slot;
            slot.connection = connection;
            slot.generation = ++m_lastGeneration;
            slot.holder = std::make_shared<WorkerThread<SshWorker>>(QStringLiteral("ssh-%1").arg(connection.name));
            const SshSettings settings = settingsLocked();
            slot.worker = slot.holder->start([connection, settings] { return new SshWorker(connection, settings); });
            const quint64 generation = slot.generation;
            connect(
                slot.worker, &SshWorker::statusChanged, this,
                [this, generation](qint64 id, const LinkStatus &status) { onWorkerStatus(id, generation, status); },
                Qt::QueuedConnection);
            it = m_slots.insert(connection.id, slot);
        }
        future = it->worker->requestConnect(acceptFingerprint);
    }
    if (stale.holder) {
        retire(stale, false);
    }
    return future;
}

void SshPool::retire(const Slot &slot, bool wait)
{
    std::shared_ptr<WorkerThread<SshWorker>> holder = slot.holder;
    auto stop = [holder]() mutable {
        holder->stop([](SshWorker *worker) { worker->shutdown(); });
        holder.reset();
    };
    if (wait) {
        stop();
        return;
    }
    // The worker may be in a blocking connect for seconds: nobody who let it go waits for that.
    std::unique_ptr<QThread> reaper(QThread::create(std::move(stop)));
    reaper->setObjectName(QStringLiteral("ssh-stop"));
    reaper->start();
    QMutexLocker lock(&m_mutex);
    for (auto it = m_reapers.begin(); it != m_reapers.end();) {
        if ((*it)->isFinished()) {
            (*it)->wait();
            it = m_reapers.erase(it);
        } else {
            ++it;
        }
    }
    m_reapers.push_back(std::move(reaper));
}

void SshPool::disconnectFrom(qint64 connectionId)
{
    Slot slot;
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_slots.find(connectionId);
        if (it == m_slots.end()) {
            return;
        }
        slot = *it;
        m_slots.erase(it);
    }
    retire(slot, false);
}

QList<qint64> SshPool::disconnectAll()
{
    QHash<qint64, Slot> slots;
    {
        QMutexLocker lock(&m_mutex);
        slots = std::exchange(m_slots, {});
    }
    QList<qint64> ids;
    for (auto it = slots.cbegin(); it != slots.cend(); ++it) {
        ids.append(it.key());
        retire(it.value(), false); // each on its own short-lived thread: none waits for another's connect
    }
    return ids;
}

bool SshPool::linkSettingsDiffer(const Connection &a, const Connection &b)
{
    return a.hostname != b.hostname || a.port != b.port || a.username != b.username || a.sshKeyPath != b.sshKeyPath ||
           a.authMethod != b.authMethod || a.kind != b.kind;
}

bool SshPool::reconfigure(const Connection &connection, bool reconnect)
{
    Slot stale;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_slots.find(connection.id);
        if (it == m_slots.end()) {
            return false;
        }
        const LinkState state = it->worker->status().state;
        const bool trying = state != LinkState::Failed && state != LinkState::Disconnected;
        if (!connection.watch && state == LinkState::Down) {
            // Only watching kept it trying (it was never up since it was asked for): it stops.
            stale = *it;
            m_slots.erase(it);
            lock.unlock();
            retire(stale, false);
            return false;
        }
        if (!(reconnect && trying && linkSettingsDiffer(it->connection, connection))) {
            // The session stays as it is (with the settings it was opened with); the rest follows the edit.
            it->connection.name = connection.name;
            it->connection.watch = connection.watch;
            it->connection.macAddress = connection.macAddress;
            it->holder->post([connection](SshWorker *worker) { worker->updateConnection(connection); });
            return false;
        }
        stale = *it;
        m_slots.erase(it);
    }
    retire(stale, false);
    qCInfo(lcSsh).noquote() << connection.name << "reconnecting with its edited settings";
    connectTo(connection); // its answer is the link's status, which everyone follows
    return true;
}

void SshPool::shutdown()
{
    QHash<qint64, Slot> slots;
    std::list<std::unique_ptr<QThread>> reapers;
    {
        QMutexLocker lock(&m_mutex);
        slots = std::exchange(m_slots, {});
        reapers = std::exchange(m_reapers, {});
    }
    for (const Slot &slot : std::as_const(slots)) {
        retire(slot, true);
    }
    // The links' last states are written (in order) before the final "inactive" below.
    m_store.stop([this](QObject *) { m_db->releaseThread(); });
    for (const Slot &slot : std::as_const(slots)) {
        if (Status s = m_connections.setActive(slot.connection.id, false); !s.ok()) {
            qCWarning(lcSsh).noquote() << s.error().message;
        }
    }
    for (const auto &reaper : reapers) {
        reaper->wait();
    }
}

QFuture<Result<CommandResult>> SshPool::exec(qint64 connectionId, const QString &command, const ExecOptions &options)
{
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_slots.find(connectionId);
        if (it != m_slots.end()) {
            return it->worker->exec(command, options); // only queues it: returns at once
        }
    }
    QPromise<Result<CommandResult>> refused;
    refused.start();
    refused.addResult(
        Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                    QStringLiteral("connection %1 is not connected; connect it first").arg(connectionId)));
    refused.finish();
    return refused.future();
}

LinkStatus SshPool::status(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_slots.find(connectionId);
    return it == m_slots.end() ? LinkStatus{} : it->worker->status();
}

QHash<qint64, LinkStatus> SshPool::statuses() const
{
    QMutexLocker lock(&m_mutex);
    QHash<qint64, LinkStatus> out;
    for (auto it = m_slots.cbegin(); it != m_slots.cend(); ++it) {
        out.insert(it.key(), it->worker->status());
    }
    return out;
}

int SshPool::workerCount() const
{
    QMutexLocker lock(&m_mutex);
    return static_cast<int>(m_slots.size());
}

Result<int> SshPool::forgetHostKey(const Connection &connection)
{
    return HostKeys::forget(m_settings.knownHostsPath, connection.hostname, connection.port);
}

void SshPool::onWorkerStatus(qint64 connectionId, quint64 generation, const LinkStatus &status)
{
    // A worker that was let go (disconnected mid-connect, or replaced after an edit) may still report; only
    // its final "disconnected" counts, and only while no newer worker owns the connection.
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_slots.find(connectionId);
        const bool current = it != m_slots.end() && it->generation == generation;
        const bool released = it == m_slots.end() && status.state == LinkState::Disconnected;
        if (!current && !released) {
            return;
        }
    }
    // Written on the pool's store thread, in order: a write on this (the main) thread waits whenever another thread
    // holds SQLite's write lock (the metrics batch), which froze the window for up to 0.3 s while 32 hosts connected.
    const bool active = status.state == LinkState::Connected;
    if (!m_store.post([this, connectionId, active](QObject *) { recordActive(connectionId, active); })) {
        recordActive(connectionId, active);
    }
    Q_EMIT statusChanged(connectionId, status);
}

void SshPool::recordActive(qint64 connectionId, bool active)
{
    const auto stored = m_connections.get(connectionId);
    if (stored.ok() && stored->isActive != active) {
        if (Status s = m_connections.setActive(connectionId, active); !s.ok()) {
            qCWarning(lcSsh).noquote() << s.error().message;
        }
    }
}

} // namespace gpudeck
