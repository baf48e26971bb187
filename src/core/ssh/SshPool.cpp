#include "ssh/SshPool.h"

#include "logging/Logging.h"
#include "ssh/HostKeys.h"
#include "ssh/SshWorker.h"
#include "store/ConnectionRepository.h"
#include "store/Database.h"
#include "store/SettingsRepository.h"

#include <QFileInfo>
#include <QPromise>
#include <QThread>
#include <libssh/libssh.h>
#include <mutex>
#include <utility>

namespace gpudeck {

namespace {
const QString kSettingsKey = QStringLiteral("ssh");
// Link workers run this many nice steps below the window's thread (WorkerThreadBase::setBackground): 32 links
// doing their key exchanges at once must not take the CPU from it.
constexpr int kLinkNiceness = 5;
} // namespace

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
    m_launcher.start([] { return new QObject; });
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
    quint64 epoch = 0;
    SshSettings settings;
    {
        QMutexLocker lock(&m_mutex);
        epoch = m_launchEpoch.value(connection.id);
        ++m_launching[connection.id];
        settings = settingsLocked(); // read here: the store is not used from the launcher's thread
    }
    // Starting a worker thread waits until the new thread has run, which on a busy machine takes a scheduler's
    // while (0.1 s and more with 32 hosts connecting): that wait happens on the launcher's thread, never on the
    // caller's (the window, the API).
    auto promise = std::make_shared<QPromise<Status>>();
    promise->start();
    QFuture<Status> future = promise->future();
    const bool queued = m_launcher.post([this, connection, settings, acceptFingerprint, epoch, promise](QObject *) {
        launch(connection, settings, acceptFingerprint, epoch, promise);
    });
    if (!queued) { // shut down
        {
            QMutexLocker lock(&m_mutex);
            m_launching.remove(connection.id);
        }
        promise->addResult(Error::make(ErrorCode::Unavailable, QStringLiteral("shutting_down"),
                                       QStringLiteral("GPU Deck is shutting down")));
        promise->finish();
    }
    return future;
}

void SshPool::launch(const Connection &connection, const SshSettings &settings, const QString &acceptFingerprint,
                     quint64 epoch, const std::shared_ptr<QPromise<Status>> &promise)
{
    const auto answer = [promise](const Status &s) {
        promise->addResult(s);
        promise->finish();
    };
    const auto forward = [promise](QFuture<Status> f) {
        f.then(QtFuture::Launch::Sync, [promise](const Status &s) {
             promise->addResult(s);
             promise->finish();
         }).onCanceled([promise] {
            promise->addResult(Error::make(ErrorCode::Unavailable, QStringLiteral("disconnected"),
                                           QStringLiteral("the link was closed before it connected")));
            promise->finish();
        });
    };
    Slot stale;
    std::shared_ptr<WorkerThread<SshWorker>> holder;
    quint64 generation = 0;
    {
        QMutexLocker lock(&m_mutex);
        if (m_launchEpoch.value(connection.id) != epoch) {
            launchEnded(connection.id);
            lock.unlock();
            answer(calledOff(connection.name));
            return;
        }
        auto it = m_slots.find(connection.id);
        if (it != m_slots.end()) {
            const LinkState state = stateOf(*it);
            if (linkSettingsDiffer(it->connection, connection) && state != LinkState::Connected) {
                stale = *it; // settings were edited: start over with a fresh worker
                m_slots.erase(it);
                it = m_slots.end();
            }
        }
        if (it != m_slots.end()) {
            launchEnded(connection.id);
            holder = it->holder;
        } else if (m_slots.size() >= m_maxConnections) {
            launchEnded(connection.id);
            lock.unlock();
            if (stale.holder) {
                retire(stale, false);
            }
            answer(Error::make(ErrorCode::Unavailable, QStringLiteral("too_many_connections"),
                               QStringLiteral("GPU Deck holds at most %1 connections at once; disconnect one first")
                                   .arg(m_maxConnections)));
            return;
        } else {
            generation = ++m_lastGeneration;
        }
    }
    if (stale.holder) {
        retire(stale, false);
    }
    if (!holder) {
        // A new worker, started outside the lock: status() and exec() on other threads do not wait for it.
        Slot slot;
        slot.connection = connection;
        slot.generation = generation;
        slot.holder = std::make_shared<WorkerThread<SshWorker>>(QStringLiteral("ssh-%1").arg(connection.name));
        slot.holder->setBackground(kLinkNiceness);
        SshWorker *worker = slot.holder->start([connection, settings] { return new SshWorker(connection, settings); });
        connect(
            worker, &SshWorker::statusChanged, this,
            [this, generation](qint64 id, const LinkStatus &status) { onWorkerStatus(id, generation, status); },
            Qt::QueuedConnection);
        QMutexLocker lock(&m_mutex);
        launchEnded(connection.id);
        if (m_launchEpoch.value(connection.id) != epoch) {
            // Disconnected meanwhile: this worker goes. (No other launch can have filled the slot: launches run one
            // at a time on the launcher, and only they add slots.)
            lock.unlock();
            retire(slot, false);
            answer(calledOff(connection.name));
            return;
        }
        m_slots.insert(connection.id, slot);
        holder = slot.holder;
    }
    QFuture<Status> connected;
    if (!holder->call([&](SshWorker *w) { connected = w->requestConnect(acceptFingerprint); })) {
        answer(Error::make(ErrorCode::Unavailable, QStringLiteral("disconnected"),
                           QStringLiteral("the link was closed before it connected")));
        return;
    }
    forward(connected);
}

void SshPool::launchEnded(qint64 connectionId)
{
    if (--m_launching[connectionId] <= 0) {
        m_launching.remove(connectionId);
    }
}

Error SshPool::calledOff(const QString &name)
{
    return Error::make(ErrorCode::Unavailable, QStringLiteral("disconnected"),
                       QStringLiteral("%1 was disconnected before its link started").arg(name));
}

void SshPool::reportCalledOff(qint64 connectionId)
{
    QMetaObject::invokeMethod(
        this,
        [this, connectionId] {
            LinkStatus off;
            off.state = LinkState::Disconnected;
            off.since = nowUtc();
            Q_EMIT statusChanged(connectionId, off);
        },
        Qt::QueuedConnection);
}

LinkState SshPool::stateOf(const Slot &slot)
{
    LinkState state = LinkState::Disconnected;
    slot.holder->call([&state](SshWorker *w) { state = w->status().state; });
    return state;
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
        ++m_launchEpoch[connectionId]; // a connect still waiting for the launcher does not start
        const bool wasLaunching = m_launching.remove(connectionId);
        auto it = m_slots.find(connectionId);
        if (it == m_slots.end()) {
            if (wasLaunching) {
                reportCalledOff(connectionId); // it read "connecting": its followers learn it is not
            }
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
    QList<qint64> ids;
    {
        QMutexLocker lock(&m_mutex);
        slots = std::exchange(m_slots, {});
        for (auto it = m_launching.cbegin(); it != m_launching.cend(); ++it) {
            ++m_launchEpoch[it.key()]; // connecting: its launch is called off
            if (!slots.contains(it.key())) {
                ids.append(it.key());
                reportCalledOff(it.key());
            }
        }
        m_launching.clear();
    }
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
        const LinkState state = stateOf(*it);
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
    m_launcher.stop(); // connects still waiting for it are cancelled (their futures too)
    QHash<qint64, Slot> slots;
    std::list<std::unique_ptr<QThread>> reapers;
    {
        QMutexLocker lock(&m_mutex);
        m_launching.clear();
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
    QFuture<Result<CommandResult>> queued;
    if (const auto holder = holderOf(connectionId); holder && holder->call([&](SshWorker *w) {
            queued = w->exec(command, options); // only queues it: returns at once
        })) {
        return queued;
    }
    QPromise<Result<CommandResult>> refused;
    refused.start();
    refused.addResult(
        Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                    QStringLiteral("connection %1 is not connected; connect it first").arg(connectionId)));
    refused.finish();
    return refused.future();
}

QFuture<Result<quint16>> SshPool::forward(qint64 connectionId, int remotePort)
{
    QFuture<Result<quint16>> queued;
    if (const auto holder = holderOf(connectionId);
        holder && holder->call([&](SshWorker *w) { queued = w->forward(remotePort); })) {
        return queued;
    }
    QPromise<Result<quint16>> refused;
    refused.start();
    refused.addResult(
        Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                    QStringLiteral("connection %1 is not connected; connect it first").arg(connectionId)));
    refused.finish();
    return refused.future();
}

std::optional<LocalForward> SshPool::forwardedPort(qint64 connectionId, int remotePort) const
{
    std::optional<LocalForward> port;
    if (const auto holder = holderOf(connectionId)) {
        holder->call([&](SshWorker *w) { port = w->forwardedPort(remotePort); });
    }
    if (port && m_hasForwardedPortHook.load(std::memory_order_relaxed)) {
        std::function<void(quint16)> hook;
        {
            QMutexLocker lock(&m_mutex);
            hook = std::exchange(m_nextForwardedPort, nullptr);
            m_hasForwardedPortHook = false;
        }
        if (hook) {
            hook(port->port);
        }
    }
    return port;
}

void SshPool::setForwardIdleMs(int ms)
{
    QMutexLocker lock(&m_mutex);
    SshSettings next = settingsLocked();
    next.forwardIdleMs = qMax(0, ms);
    m_settings = next;
    for (const Slot &slot : std::as_const(m_slots)) {
        slot.holder->post([next](SshWorker *worker) { worker->applySettings(next); });
    }
}

void SshPool::onNextForwardedPort(std::function<void(quint16)> hook)
{
    QMutexLocker lock(&m_mutex);
    m_nextForwardedPort = std::move(hook);
    m_hasForwardedPortHook = bool(m_nextForwardedPort);
}

Status SshPool::runSftp(qint64 connectionId, std::shared_ptr<SftpTask> task)
{
    Status queued = Error::make(ErrorCode::Conflict, QStringLiteral("not_connected"),
                                QStringLiteral("connection %1 is not connected; connect it first").arg(connectionId));
    if (const auto holder = holderOf(connectionId)) {
        holder->call([&](SshWorker *w) { queued = w->runSftp(std::move(task)); }); // only queues it: returns at once
    }
    return queued;
}

std::shared_ptr<WorkerThread<SshWorker>> SshPool::holderOf(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_slots.find(connectionId);
    return it == m_slots.end() ? nullptr : it->holder;
}

LinkStatus SshPool::status(qint64 connectionId) const
{
    std::shared_ptr<WorkerThread<SshWorker>> holder;
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_slots.find(connectionId);
        if (it != m_slots.end()) {
            holder = it->holder;
        } else if (m_launching.contains(connectionId)) {
            return launchingStatus();
        }
    }
    LinkStatus s;
    if (holder) {
        holder->call([&s](SshWorker *w) { s = w->status(); });
    }
    return s;
}

LinkStatus SshPool::launchingStatus()
{
    LinkStatus starting;
    starting.state = LinkState::Connecting;
    starting.since = nowUtc();
    return starting;
}

QHash<qint64, LinkStatus> SshPool::statuses() const
{
    // The lock is held only to copy the map: asking the workers happens outside it, so a thread that is slow to
    // get a CPU back while it holds a worker never makes the window wait.
    QHash<qint64, std::shared_ptr<WorkerThread<SshWorker>>> holders;
    QList<qint64> launching;
    {
        QMutexLocker lock(&m_mutex);
        for (auto it = m_slots.cbegin(); it != m_slots.cend(); ++it) {
            holders.insert(it.key(), it->holder);
        }
        launching = m_launching.keys();
    }
    QHash<qint64, LinkStatus> out;
    for (const qint64 id : std::as_const(launching)) {
        out.insert(id, launchingStatus());
    }
    for (auto it = holders.cbegin(); it != holders.cend(); ++it) {
        LinkStatus s;
        if (it.value()->call([&s](SshWorker *w) { s = w->status(); })) {
            out.insert(it.key(), s);
        }
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
    if (connection.kind == QStringLiteral("runpod") && !connection.runpodPodId.isEmpty()) {
        const bool known =
            QFileInfo::exists(HostKeys::podKnownHostsPath(m_settings.knownHostsPath, connection.runpodPodId));
        HostKeys::forgetPod(m_settings.knownHostsPath, connection.runpodPodId);
        return known ? 1 : 0;
    }
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
