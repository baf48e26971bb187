#include "wol/WakeService.h"

#include "secrets/ConnectionSecrets.h"
#include "ssh/SshPool.h"
#include "store/ConnectionRepository.h"
#include "wol/MacAddress.h"
#include "wol/WakeRun.h"
#include "wol/WolLogging.h"

#include <QPromise>

Q_LOGGING_CATEGORY(lcWol, "gpudeck.wol", QtInfoMsg)

namespace gpudeck {
namespace {

template<typename T>
QFuture<T> readyFuture(T value)
{
    return QtFuture::makeReadyFuture(std::move(value));
}

// Whether GPU Deck keeps this host connected (the "watch" setting): then a wake connects it once it is up.
bool isWatched(const Connection &c)
{
    return c.watch;
}

} // namespace

WakeService::WakeService(ConnectionRepository &connections, SshPool &ssh, ConnectionSecrets &secrets, QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_ssh(ssh)
    , m_secrets(secrets)
{
    qRegisterMetaType<WakeProgress>();
    qRegisterMetaType<WakeOutcome>();
}

WakeService::~WakeService()
{
    stop();
}

void WakeService::start()
{
    m_thread.start([] { return new WakeWorker; });
}

void WakeService::stop()
{
    m_thread.stop(); // deletes the runs on their thread: each answers "cancelled"
}

bool WakeService::canWake(const Connection &c)
{
    return c.kind != QStringLiteral("local") && MacAddress::parse(c.macAddress).has_value();
}

QFuture<Result<WakeOutcome>> WakeService::wake(const QString &idOrName, const WakeOptions &options)
{
    const auto c = m_connections.find(idOrName);
    if (!c.ok()) {
        return readyFuture(Result<WakeOutcome>(c.error()));
    }
    return wake(c.value(), options);
}

QFuture<Result<WakeOutcome>> WakeService::wake(const Connection &connection, const WakeOptions &options)
{
    if (connection.kind == QStringLiteral("local")) {
        return readyFuture(Result<WakeOutcome>(
            Error::make(ErrorCode::Conflict, QStringLiteral("no_mac_address"),
                        QStringLiteral("'%1' is this computer: it is awake").arg(connection.name))));
    }
    const auto mac = MacAddress::parse(connection.macAddress);
    if (!mac) {
        return readyFuture(Result<WakeOutcome>(
            Error::make(ErrorCode::Conflict, QStringLiteral("no_mac_address"),
                        QStringLiteral("'%1' has no MAC address to wake it with: set its mac_address first")
                            .arg(connection.name))));
    }
    if (options.timeoutMs < 1 || options.timeoutMs > WakeOptions::kMaxTimeoutMs || options.resendIntervalMs < 100 ||
        options.probeIntervalMs < 10) {
        return readyFuture(Result<WakeOutcome>(Error::validation(
            QStringLiteral("timeout_s"), QStringLiteral("'timeout_s' must be between 0.001 and %1 seconds")
                                             .arg(WakeOptions::kMaxTimeoutMs / 1000))));
    }

    QMutexLocker lock(&m_mutex);
    if (const auto it = m_runs.constFind(connection.id); it != m_runs.constEnd()) {
        return it->future; // one wake per host: join it
    }
    if (!m_thread.isRunning()) {
        return readyFuture(Result<WakeOutcome>(Error::make(ErrorCode::Unavailable, QStringLiteral("wake_stopped"),
                                                           QStringLiteral("GPU Deck is stopping"))));
    }
    auto promise = std::make_shared<QPromise<Result<WakeOutcome>>>();
    promise->start();
    WakeRun::Setup setup;
    setup.connection = connection;
    setup.mac = *mac;
    setup.wolBroadcast = connection.wolBroadcast;
    setup.wolPort = quint16(connection.wolPort);
    setup.watched = isWatched(connection);
    setup.options = options;
    setup.service = this;
    setup.ssh = &m_ssh;
    setup.secrets = &m_secrets;
    setup.clusterWaker = m_clusterWaker;
    setup.promise = promise;

    Entry entry;
    entry.future = promise->future();
    entry.progress.connectionId = connection.id;
    entry.progress.name = connection.name;
    entry.progress.startedAt = nowUtc();
    entry.progress.timeoutMs = options.wait ? options.timeoutMs : 0;
    m_runs.insert(connection.id, entry);
    m_order.append(connection.id);
    const QFuture<Result<WakeOutcome>> future = entry.future;
    const WakeProgress first = entry.progress;
    m_thread.post([setup = std::move(setup)](WakeWorker *worker) mutable {
        auto *run = new WakeRun(std::move(setup), worker);
        run->start();
    });
    lock.unlock();
    Q_EMIT wakeStarted(first);
    return future;
}

QFuture<QList<QPair<Connection, Result<WakeOutcome>>>> WakeService::wakeAll(const WakeOptions &options)
{
    using Item = QPair<Connection, Result<WakeOutcome>>;
    const QList<Connection> hosts = asleep();
    if (hosts.isEmpty()) {
        return readyFuture(QList<Item>());
    }
    struct State
    {
        QMutex mutex;
        QList<Item> items;
        int remaining = 0;
        QPromise<QList<Item>> promise;
    };
    auto state = std::make_shared<State>();
    state->remaining = int(hosts.size());
    for (const Connection &c : hosts) {
        state->items.append({c, Result<WakeOutcome>()});
    }
    state->promise.start();
    const QFuture<QList<Item>> all = state->promise.future();
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        wake(hosts.at(i), options).then([state, i](const Result<WakeOutcome> &outcome) {
            QMutexLocker lock(&state->mutex);
            state->items[i].second = outcome;
            if (--state->remaining == 0) {
                state->promise.addResult(state->items);
                state->promise.finish();
            }
        });
    }
    return all;
}

bool WakeService::cancel(qint64 connectionId)
{
    {
        QMutexLocker lock(&m_mutex);
        if (!m_runs.contains(connectionId)) {
            return false;
        }
    }
    return m_thread.post([connectionId](WakeWorker *worker) {
        for (WakeRun *run : worker->findChildren<WakeRun *>(Qt::FindDirectChildrenOnly)) {
            if (run->connectionId() == connectionId) {
                run->cancel();
            }
        }
    });
}

QList<WakeProgress> WakeService::inProgress() const
{
    QMutexLocker lock(&m_mutex);
    QList<WakeProgress> out;
    for (qint64 id : m_order) {
        WakeProgress p = m_runs.value(id).progress;
        p.elapsedMs = p.startedAt.msecsTo(nowUtc());
        out.append(p);
    }
    return out;
}

std::optional<WakeProgress> WakeService::progress(qint64 connectionId) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_runs.constFind(connectionId);
    if (it == m_runs.constEnd()) {
        return std::nullopt;
    }
    WakeProgress p = it->progress;
    p.elapsedMs = p.startedAt.msecsTo(nowUtc());
    return p;
}

QList<Connection> WakeService::asleep() const
{
    QList<Connection> out;
    const auto all = m_connections.list();
    if (!all.ok()) {
        return out;
    }
    for (const Connection &c : all.value()) {
        if (canWake(c) && isWatched(c) && m_ssh.status(c.id).state != LinkState::Connected) {
            out.append(c);
        }
    }
    return out;
}

void WakeService::setClusterWaker(ClusterWaker waker)
{
    QMutexLocker lock(&m_mutex);
    m_clusterWaker = std::move(waker);
}

ClusterWaker WakeService::clusterWaker() const
{
    QMutexLocker lock(&m_mutex);
    return m_clusterWaker;
}

Result<WakeOptions> WakeService::optionsFromJson(const QJsonObject &json)
{
    WakeOptions o;
    const QJsonValue wait = json.value(QStringLiteral("wait"));
    if (!wait.isUndefined() && !wait.isBool()) {
        return Error::validation(QStringLiteral("wait"), QStringLiteral("'wait' must be true or false"));
    }
    o.wait = wait.toBool(true);
    const QJsonValue timeout = json.value(QStringLiteral("timeout_s"));
    if (!timeout.isUndefined()) {
        const double seconds = timeout.toDouble(-1);
        if (!timeout.isDouble() || !(seconds > 0 && seconds <= WakeOptions::kMaxTimeoutMs / 1000)) {
            return Error::validation(QStringLiteral("timeout_s"),
                                     QStringLiteral("'timeout_s' must be a number of seconds above 0, at most %1")
                                         .arg(WakeOptions::kMaxTimeoutMs / 1000));
        }
        o.timeoutMs = qMax(1, int(seconds * 1000));
    }
    const QJsonValue connect = json.value(QStringLiteral("connect"));
    if (!connect.isUndefined() && !connect.isBool()) {
        return Error::validation(QStringLiteral("connect"), QStringLiteral("'connect' must be true or false"));
    }
    o.connect = connect.toBool(true);
    return o;
}

void WakeService::reportProgress(const WakeProgress &progress)
{
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_runs.find(progress.connectionId);
        if (it == m_runs.end()) {
            return;
        }
        it->progress = progress;
    }
    Q_EMIT progressChanged(progress);
}

void WakeService::reportFinished(qint64 connectionId)
{
    QMutexLocker lock(&m_mutex);
    m_runs.remove(connectionId);
    m_order.removeOne(connectionId);
}

} // namespace gpudeck
